"""An English gloss of a question asked in another language, word by word, for the meaning
signal.

The embedding model shipped (all-MiniLM-L6-v2) reads English only: a question in Korean or
German had no signal of meaning at all, and a free question in those languages was refused or
read at random (five of the eleven task misses of the last round's held-out halves were asked
in another language). What the model needs is not a translation: the content words of what
was started from and what came out ("salon filmed customer hair copper instead brown whole
video flicker") carry the task, and the model reads such a string close to the English
requests that say the same thing.

The glossary (`lexicon/glosses.toml`) is general vocabulary of describing media work in
German, Spanish, French, Japanese and Korean, written from the languages and not from any
evaluation question. It is hand-kept data because nothing better installs here: PyPI holds no
multilingual sentence model's weights and no bilingual dictionary that covers all five
languages (JMdict covers Japanese alone), and model weights cannot be fetched at run time.

The scan is a dictionary lookup per position, longest key first, so it stays linear in the
question (a regular-expression alternation of a few thousand keys tries every key at every
position).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from scholarflow import data_files

# Latin-script languages are glossed word by word: a key is a word's start (a stem, so that
# "fotografiert" and "fotografierte" meet "fotografier"). German joins nouns into compounds,
# so there a key of this many letters also counts inside a word ("Tiefenkarte": "karte").
_LATIN = frozenset({"de", "es", "fr"})
_STEM = 3
_INSIDE_WORDS = {"de": 5}
# Japanese and Korean are written without spaces between words (Korean between phrases, with
# particles attached): a key counts wherever it stands, the longest first.
_UNSPACED = frozenset({"ja", "ko"})
GLOSSED = _LATIN | _UNSPACED
_WORD = re.compile(r"\w+(?:-\w+)*")  # "arrière-plan" is one word


@cache
def _glossary(language: str) -> tuple[dict[str, str], int, int]:
    """The language's table, and its longest and shortest key."""
    table = {
        unicodedata.normalize("NFKC", key).lower(): gloss
        for key, gloss in data_files.load_toml("scholarflow.lexicon", "glosses.toml")
        .get(language, {})
        .items()
    }
    if not table:
        return {}, 0, 0
    lengths = [len(key) for key in table]
    return table, max(lengths), min(lengths)


def english_gloss(text: str, language: str) -> str:
    """The English glosses of the glossary's words found in `text`, in the order they stand;
    "" for English and for a language the glossary does not keep."""
    if language not in GLOSSED:
        return ""
    table, longest, shortest = _glossary(language)
    if not table:
        return ""
    lowered = unicodedata.normalize("NFKC", text).lower()
    if language in _UNSPACED:
        glosses = _scan(lowered, table, longest, shortest, 0, len(lowered))
    else:
        glosses = []
        inside = _INSIDE_WORDS.get(language)
        for match in _WORD.finditer(lowered):
            word = match.group(0)
            # a hyphenated word is read part by part unless a key runs past its first hyphen
            # ("arrière-plans": "arrière-plan"; "3d-modell": "3d", "modell")
            stem = _longest_at(word, table, longest, _STEM, 0, len(word)) or ""
            whole = "-" not in word or "-" in stem
            parts = [word] if whole else word.split("-")
            for part in parts:
                glosses.extend(_gloss_word(part, table, longest, inside))
    return " ".join(glosses)


def _longest_at(
    text: str, table: dict[str, str], longest: int, shortest: int, start: int, end: int
) -> str | None:
    for length in range(min(longest, end - start), shortest - 1, -1):
        key = text[start : start + length]
        if key in table:
            return key
    return None


def _scan(
    text: str, table: dict[str, str], longest: int, shortest: int, start: int, end: int
) -> list[str]:
    """Every key in text[start:end], left to right, the longest at each place, not overlapping."""
    glosses: list[str] = []
    position = start
    while position < end:
        key = _longest_at(text, table, longest, shortest, position, end)
        if key is None:
            position += 1
            continue
        glosses.append(table[key])
        position += len(key)
    return glosses


def _gloss_word(word: str, table: dict[str, str], longest: int, inside: int | None) -> list[str]:
    # a whole word first; then its start, of three letters at least ("vr" is no start of "vrai")
    key = word if word in table else _longest_at(word, table, longest, _STEM, 0, len(word))
    glosses = [table[key]] if key else []
    if inside is None:
        return glosses
    # A compound: its start, then the keys of `inside` letters or more in the rest of it.
    return glosses + _scan(word, table, longest, inside, len(key) if key else 1, len(word))
