"""The grounding screen: one check for every piece of prose an answer prints.

DESIGN.md keeps the grounding policy by structure: code writes every name, link, citation, the
diagram and the references (render/document.py); writers fill prose slots only. This module is
the one screen those slots pass, whoever wrote them (the template writer, an LLM), and that a
source's summary sentence passes before anything quotes it.

The screen works on normalised text (NFKC; invisible, soft-hyphen and bidirectional characters
removed; HTML entities decoded; dashes unified), so a disguise changes nothing it sees. It
refuses, in any form:

- link-like text (text.link_spans: any scheme, `//host`, bare domains of any top-level domain,
  IP addresses, defanged spellings), HTML, Markdown link or image syntax;
- a citation that is not `[n]` (or `[n, m]`) with every n in 1..number of sources;
- a known model, tool or company name (catalog/known_names.txt, matched across case, spacing,
  hyphens and version suffixes) that no provided source carries; a word mixing alphabets
  (a Cyrillic letter in a Latin word); and, in prose a writer returns, any word that is neither
  provided (a source's name, title, links, a screened sentence of its summary), nor an ordinary
  word of the language (wordfreq), nor a technical term the project lists;
- prose below the quality floor: too short or too long, repeated sentences, a refusal, talk
  about instructions or prompts, orders to the reader, claims about a source's standing that
  no source makes, a language other than the question's (or English).

Every scan is linear in the length of its text. Nothing here decides what happens to a slot
that fails: the engine replaces it (engine.py).
"""

from __future__ import annotations

import html
import itertools
import re
import tomllib
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from scholarflow import english_words
from scholarflow.models import Source
from scholarflow.text import (
    canonical_url,
    clean_url,
    collapse_spaced,
    dotted_names,
    link_spans,
    sentences,
    squash,
)

# Dash-like characters an attacker uses to keep a name from matching ("GPT‑4" with U+2011).
_DASHES = str.maketrans(
    {c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"}
    | {c: "." for c in "\u3002\uff61\u2024\u2027"}  # ideographic and other full stops
)
_WORD = re.compile(r"[^\W_]+")
# Arrows, box-drawing lines and the shapes that end them: what a workflow diagram draws between
# two steps ("clip ──► Champ"). No name is written across them, so a name is not read across
# them ("Clipchamp").
_DRAWN = re.compile(r"[\u2190-\u21ff\u2500-\u257f\u25a0-\u25ff\u2794-\u27bf]")
# The end of a sentence or clause, or of a bracket, between two words: what comes after it is
# not the rest of a name begun before it when it names something itself ("…the video clip).
# Champ" is not "Clipchamp"). A bracket inside a name with no space after it ("GPT-[4]")
# still joins.
# A citation's opening bracket between a name read and the next word.
_CITATION_OPENS = re.compile(r"[\[【〔(（]")
# (a sentence's end may be closed by Markdown's emphasis before the space: "consistent.** 4D")
_CLAUSE_END = re.compile(r"[.!?;:,)\]}][*_]*(?=\s)")
_CITATION_OPENERS = "[【〔⟦〖"
_CITATION_CLOSERS = "]】〕⟧〗"
_VALID_CITATION = re.compile(r"\d{1,5}(?:\s*,\s*\d{1,5})*")
# Numbers with the units people write after them: "4K", "1080p", "30fps", "25M", "3.5x", "v2".
_MEASURE = re.compile(
    r"(?i)^(?:v?\d+(?:st|nd|rd|th|k|m|b|d|p|fps|px|ms|s|x|gb|mb|tb|bit|hz|mp|h|min)?|x\d+)$"
)
_ROMAN = re.compile(r"(?i)[ivxlc]{1,6}")
_MIN_CHARS = {"task": 60, "step": 8, "mechanism": 60, "caveats": 15, "background": 15}
_MAX_CHARS = {"task": 2000, "step": 1200, "mechanism": 3000, "caveats": 2000, "background": 1200}
# Languages whose words the dictionary check can look up (wordfreq); others are not checked
# for ordinary words, only for names, links and the rest of the policy.
_DICTIONARY_LANGUAGES = frozenset({"en", "es", "fr", "de", "it", "pt"})
_ORDINARY_ZIPF = 1.0
_SCRIPT_LANGUAGES = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "CJK": "zh"}
_ALPHABETS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "CHEROKEE"})


@dataclass(frozen=True)
class Problem:
    """One way a piece of prose breaks the policy or falls below the floor."""

    kind: str  # link | html | citation | foreign_name | unknown_word | mixed_script | quality
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


# --- normalisation ---------------------------------------------------------------------------


def normalize_prose(text: str) -> str:
    """The form every check sees: entities decoded, NFKC, invisible characters removed.

    Entities are decoded twice (`&amp;#68;` hides `&#68;`, which hides "D"); Unicode format
    characters (category Cf: soft hyphens, zero-width spaces and joiners, bidirectional
    overrides) are dropped, so "Zoe\u00adDepth" and "Zoe\u200bDepth" read "ZoeDepth".
    """
    if "&" in text:
        text = html.unescape(html.unescape(text))
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        text = text.translate(_DASHES)
    return text


def _without_html_comments(text: str) -> str:
    """Text with `<!-- … -->` removed, so "Depth<!-- -->Anything" reads as one word."""
    if "<!--" not in text:
        return text
    pieces, position = [], 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            break
        end = text.find("-->", start + 4)
        pieces.append(text[position:start])
        if end < 0:
            position = len(text)
            break
        position = end + 3
    pieces.append(text[position:])
    return "".join(pieces)


@lru_cache(maxsize=4096)
def _script(ch: str) -> str:
    if not ch.isalpha():
        return ""
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "IDEOGRAPHIC"):  # 々, the iteration mark, is written with kanji
        return "CJK"
    if first == "KATAKANA-HIRAGANA":  # ー, the long-vowel mark, belongs to both kana
        return ""
    return first


# --- data ------------------------------------------------------------------------------------


@cache
def _screen_phrases() -> dict[str, tuple[str, ...]]:
    with resources.files("scholarflow.lexicon").joinpath("screen.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {key: tuple(value) for key, value in data.items()}


@cache
def stopwords() -> dict[str, frozenset[str]]:
    with resources.files("scholarflow.lexicon").joinpath("stopwords.toml").open("rb") as handle:
        data = tomllib.load(handle)
    return {language: frozenset(words) for language, words in data.items()}


@cache
def technical_terms() -> frozenset[str]:
    text = resources.files("scholarflow.lexicon").joinpath("technical_terms.txt").read_text()
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@dataclass(frozen=True)
class KnownName:
    name: str
    key: str  # squashed: letters and digits only, lower case
    word: bool  # also an ordinary word: matched only when capitalised
    parts: int  # how many words it is written with ("Shap-E": 2)

    def matches_in(self, words: int) -> bool:
        """Whether written in `words` words it is still this name: "DepthAnything" is "Depth
        Anything", but "shape" is not "Shap-E" (a short key could be an ordinary word)."""
        return words >= self.parts or len(self.key) >= 8 or any(c.isdigit() for c in self.key)


@cache
def known_name_entries() -> tuple[KnownName, ...]:
    text = resources.files("scholarflow.catalog").joinpath("known_names.txt").read_text("utf-8")
    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word = line.endswith("~word")
        name = line.removesuffix("~word").strip()
        key = squash(name)
        if len(key) >= 2:
            entries.append(KnownName(name=name, key=key, word=word, parts=len(_WORD.findall(name))))
    return tuple(entries)


def known_names() -> tuple[str, ...]:
    return tuple(entry.name for entry in known_name_entries())


@cache
def _known_index() -> tuple[dict[str, KnownName], int]:
    index: dict[str, KnownName] = {}
    for entry in known_name_entries():
        index.setdefault(entry.key, entry)
    return index, max((len(k) for k in index), default=0)


@cache
def _key_prefixes() -> frozenset[str]:
    """Every beginning of a known key: a window of words that is not one cannot grow into a
    name, so the scan stops there (most words are not the start of any name)."""
    index, _ = _known_index()
    return frozenset(key[:n] for key in index for n in range(1, len(key) + 1))


@cache
def _prefix_lengths() -> tuple[int, ...]:
    """Lengths of the known keys a version suffix may follow, longest first."""
    index, _ = _known_index()
    return tuple(
        sorted({len(k) for k, e in index.items() if len(k) >= 5 and not e.word}, reverse=True)
    )


# A known name followed by one of these is the same thing in another version or size
# ("MegaDepth-9000", "StableDiffusionXL", "ZoeDepth v2"), so it is refused as the name is.
_VERSION_SUFFIX = re.compile(
    r"^(?:v?\d[\w.]*|xl|xxl|pro|plus|max|lite|turbo|mini|large|base|small|tiny|ultra|hd|dev|"
    r"schnell|instruct|chat|o|s|es)$"
)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int


def _tokens(text: str) -> list[_Token]:
    """Words of `text`; a spaced-out word ("M i d j o u r n e y") is joined back into one."""
    raw = [_Token(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    tokens: list[_Token] = []
    run: list[_Token] = []

    def flush() -> None:
        if len(run) >= 3:
            tokens.append(_Token("".join(t.text for t in run), run[0].start, run[-1].end))
        else:
            tokens.extend(run)
        run.clear()

    for token in raw:
        if len(token.text) == 1 and token.text.isalpha():
            if run and token.start - run[-1].end > 2:
                flush()
            run.append(token)
            continue
        flush()
        tokens.append(token)
    flush()
    return tokens


def known_names_in(text: str) -> list[str]:
    """Every known model, tool or company name in `text` (provided or not), as listed.

    Windows of up to four words are squashed and looked up, so "Depth Anything", "depth-
    anything" and "DEPTHANYTHING" all match; a name followed by a version or size suffix
    matches too; the longest name starting at a word is the one read. A name that is also
    an ordinary word ("Runway") matches only when written in capitals, or with a capital away
    from the start of a sentence, or at one where it does what a product does ("Runway
    generates …", "Runway's model"). A name of several words written in an index's order
    ("Diffusion, Stable Video;") matches too.
    """
    return [hit.entry.name for hit in _known_hits(normalize_prose(text))]


@dataclass(frozen=True)
class _NameIndex:
    """The known names to look for, with what the scan needs to stop early."""

    index: dict[str, KnownName]
    longest: int
    lengths: tuple[int, ...]
    beginnings: frozenset[str]
    provided: frozenset[str] = frozenset()  # the keys of a request's own source names


@cache
def _default_names() -> _NameIndex:
    index, longest = _known_index()
    return _NameIndex(index, longest, _prefix_lengths(), _key_prefixes())


def _names_with(extra: dict[str, KnownName]) -> _NameIndex:
    """The known names plus a request's own source names ("DepthCrafter-XL" is not the
    provided DepthCrafter); built once per request."""
    base = _default_names()
    if not extra:
        return base
    return _NameIndex(
        {**extra, **base.index},
        max(base.longest, max(len(k) for k in extra)),
        tuple(sorted({*base.lengths, *(len(k) for k in extra if len(k) >= 5)}, reverse=True)),
        base.beginnings | {k[:n] for k in extra for n in range(1, len(k) + 1)},
        frozenset(extra),
    )


class _Hit(NamedTuple):
    entry: KnownName
    start: int
    end: int
    inverted: bool = False  # written in an index's order ("Diffusion, Stable Video")


def _known_hits(text: str, names: _NameIndex | None = None) -> list[_Hit]:
    """Each known name in `text`, the longest that starts at each word; the span takes in a
    version that follows it ("SV4D 3.0"), so that a provided "SV4D 2.0" does not vouch for
    "SV4D 3.0"."""
    names = names or _default_names()
    index, longest, lengths, beginnings = (
        names.index,
        names.longest,
        names.lengths,
        names.beginnings,
    )
    text = _without_html_comments(text)
    tokens = _tokens(text)

    def name_from(
        i: int, *, across_ends: bool, anywhere: bool = False
    ) -> tuple[KnownName, int] | None:
        """The longest known name starting at token i, and its last token (negative: a name
        with a suffix, whose span ends at that token). A sentence's or clause's end splits a
        name only where the word before it is prose, in lower case, the words after it name
        something themselves, and the two do not begin a name written in lower case: "…the
        video clip). Champ [1]" is the clip and the provided Champ, not "Clipchamp"; "Mid.
        Journey", "Video. Depth Anything" and "faster. Whisper" are split to hide a name.
        (`anywhere`: a provided name that is also a word counts in any case.)"""
        key = ""
        best: tuple[KnownName, int] | None = None
        for j in range(i, min(i + 4, len(tokens))):
            if j > i and _DRAWN.search(text, tokens[j - 1].end, tokens[j].start):
                break  # an arrow or a box line of a diagram stands between two names
            if best is not None and _CITATION_OPENS.search(
                text, tokens[j - 1].end, tokens[j].start
            ):
                break  # "SAM 2 [1]" is SAM 2 cited, not SAM 2.1; "GPT-[4]" is still read
            if j > i and _CLAUSE_END.search(text, tokens[j - 1].end, tokens[j].start):
                if not across_ends:
                    break
                joined = key + tokens[j].text.lower()
                if (
                    tokens[j - 1].text[:1].islower()
                    and joined not in _lower_case_beginnings()
                    and name_from(j, across_ends=False, anywhere=True) is not None
                ):
                    break
            key += tokens[j].text.lower()
            if len(key) > longest + 12:
                break
            growing = key in beginnings
            if not growing and not any(key[:n] in index for n in lengths if n < len(key)):
                break  # neither the start of a name nor a name with a suffix
            entry = index.get(key)
            if (
                entry is not None
                and entry.matches_in(j - i + 1)
                and (
                    not entry.word
                    or _capitalised(tokens[i], text, tokens[j].end)
                    or (anywhere and key in names.provided)
                )
            ):
                best = (entry, j)
            elif best is None:
                hit = _prefix_hit(key, index, lengths) if len(key) > 5 else None
                if hit is not None and hit.matches_in(j - i + 1):
                    return hit, -j - 1
            if not growing:
                break
        return best

    hits: list[_Hit] = []
    for i, token in enumerate(tokens):
        if hits and token.start < hits[-1].end:
            continue  # inside a name already read: the "o" of "Show-o [1]" starts no "o1"
        found = name_from(i, across_ends=True)
        if found is None:
            continue
        entry, last = found
        end = _version_end(tokens, last, text) if last >= 0 else tokens[-last - 1].end
        hits.append(_Hit(entry, token.start, end))
    # (an index's order yields only to the same name read in order; a shorter name inside
    # it, provided or not, vouches for nothing longer)
    read = {hit.entry.key for hit in hits}
    inverted = [hit for hit in _inverted_names(tokens, text, index) if hit.entry.key not in read]
    return sorted([*hits, *inverted], key=lambda hit: hit.start) if inverted else hits


# What ends a name written in an index's order: a clause's end or the end of the text.
_INDEX_ENTRY_END = re.compile(r"[ \t]*(?:[.;,:!?)\]\-–—\n]|\[\d|$)")


def _inverted_names(tokens: list[_Token], text: str, index: dict[str, KnownName]) -> list[_Hit]:
    """Names of several words written in an index's order, the last part first and a comma
    after it ("Diffusion, Stable Video;"): every word capitalised, as an index writes them,
    and the entry ending where a clause does. Up to three words on each side of each comma."""
    found: list[_Hit] = []
    for k in range(1, len(tokens)):
        gap = text[tokens[k - 1].end : tokens[k].start]
        if gap.strip() != ",":
            continue
        before = tokens[max(0, k - 3) : k]
        after = tokens[k : k + 3]
        longest: _Hit | None = None
        for b in range(1, len(before) + 1):
            tail = before[-b:]
            for a in range(1, len(after) + 1):
                head = after[:a]
                words = [*head, *tail]
                if not all(w.text[:1].isupper() for w in words):
                    continue
                if not _INDEX_ENTRY_END.match(text, head[-1].end):
                    continue
                entry = index.get("".join(w.text.lower() for w in words))
                if (
                    entry is not None
                    and entry.parts >= 2
                    and entry.parts == len(words)
                    and (longest is None or len(words) > longest.entry.parts)
                ):
                    longest = _Hit(entry, tail[0].start, head[-1].end, inverted=True)
        if longest is not None:
            found.append(longest)  # (the longest name at this comma: not its shorter part too)
    return found


@cache
def _lower_case_beginnings() -> frozenset[str]:
    """Every beginning of a known name written in lower case ("faster-whisper", "o4-mini"):
    there a lower-case word before a sentence's end is no sign of prose."""
    return frozenset(
        entry.key[:n]
        for entry in known_name_entries()
        if entry.name[:1].islower()
        for n in range(1, len(entry.key) + 1)
    )


def _version_end(tokens: list[_Token], last: int, text: str) -> int:
    end = tokens[last].end
    for token in tokens[last + 1 : last + 4]:
        gap = text[end : token.start]
        if len(gap) > 2 or gap.strip(" .-") or not _VERSION_SUFFIX.match(token.text.lower()):
            break
        end = token.end
    return end


def _prefix_hit(
    key: str, index: dict[str, KnownName], lengths: tuple[int, ...]
) -> KnownName | None:
    """A known name that starts `key` and is followed by a version or size suffix."""
    for length in lengths:
        if length >= len(key):
            continue
        entry = index.get(key[:length])
        if entry is not None and not entry.word and _VERSION_SUFFIX.match(key[length:]):
            return entry
    return None


def _capitalised(token: _Token, text: str, name_end: int) -> bool:
    """Whether a name that is also a word is written as a name: in capitals, or with a capital
    away from the start of a sentence, a line or a bullet. At such a start the capital may be
    the sentence's: there the word names the product where it does what a product does
    ("Firefly generates …", "Runway's model"). (`name_end`: where the name's last word ends.)"""
    word = token.text
    if len(word) > 1 and word.isupper():
        return True
    if not word[:1].isupper():
        return False
    # (the character before the word, past quotes, emphasis and brackets: a bounded look back;
    # a long indent is a line's start)
    at = token.start
    floor = max(0, at - 12)
    while at > floor and text[at - 1] in " \t\"'*_(":
        at -= 1
    before = text[at - 1] if at > 0 else ""
    if at == floor and before in (" ", "\t"):
        before = "\n"
    # A sentence, a line, a bullet, a label after a colon, a diagram's arrow or a table cell
    # starts with a capital whatever the word ("──► Imagen reescalada" is the Spanish word for
    # image, not the model): there the word must act as a product for its capital to count.
    if before in ("", ".", "!", "?", "\n", "-", "•", ":", "#", "►", "→", "|"):
        return _ACTS_AS_SUBJECT.match(text, name_end) is not None
    return True


# What a product does, said right after its name (past a version: "Pika 1.5 generates"): then
# a word at the start of a sentence is the product's name ("Firefly generates plates",
# "Runway is the tool here"), not the thing ("Apple trees line the road", "Transformers
# generate one token at a time", "Falcon can dive"). So is a name owning what follows it
# ("Runway's model"). A modal counts only before a product's verb ("Pika can generate").
_PRODUCT_VERBS = (
    "generate|create|make|produce|render|animate|offer|provide|output|turn|convert|edit|add|"
    "give|support|handle|use|run|ship|upscale|transcribe|composite|synthesize|synthesise|fill|"
    "segment|track|estimate|predict|interpolate|relight|remove|inpaint|reconstruct|lift|dub|"
    "sync|colorize|colourize|restore|denoise|stabilize|stabilise|extend|replace|follow|let"
)
_ACTS_AS_SUBJECT = re.compile(
    r"['’]s\s"
    r"|(?:\s+v?\d[\w.]*)?\s+(?:"
    rf"(?:{_PRODUCT_VERBS})(?:e?s)(?<!ss)|made|released|launched|introduced|is|was|has|"
    rf"(?:can|could|will|would|does|did)\s+(?:also\s+|then\s+)?(?:{_PRODUCT_VERBS})"
    r")(?!\w)"
)


# --- language --------------------------------------------------------------------------------


def detect_language(text: str) -> str:
    """The language of a short text: by script for Korean, Japanese and Chinese, by function
    words for the Latin-script languages in lexicon/stopwords.toml; "en" when unsure.

    Hand-written on purpose: six languages and three scripts, deterministic, no model to load.
    """
    scripts: dict[str, int] = {}
    letters = 0
    for ch in text:
        script = _script(ch)
        if script:
            letters += 1
            scripts[script] = scripts.get(script, 0) + 1
    if letters:
        for script, language in (("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja")):
            if scripts.get(script, 0) / letters > 0.1:
                return language
        if scripts.get("CJK", 0) / letters > 0.3:
            return "zh"
    return _latin_language(text) or "en"


def _latin_language(text: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return None
    best, best_hits = None, 0
    for language, common in stopwords().items():
        hits = sum(1 for w in words if w in common)
        if hits > best_hits:
            best, best_hits = language, hits
    return best if best_hits >= 2 else None


# --- the screen ------------------------------------------------------------------------------


@cache
def _wordfreq() -> object | None:
    try:
        import wordfreq
    except ImportError:  # the dictionary check then falls back to the vocabulary alone
        return None
    return wordfreq


@lru_cache(maxsize=65536)
def _ordinary(word: str, language: str) -> bool:
    if english_words.at_least(word, 2.0 if language != "en" else _ORDINARY_ZIPF):
        return True
    if language == "en":
        return False
    module = _wordfreq()
    if module is None:
        return False
    return bool(module.zipf_frequency(word, language) >= _ORDINARY_ZIPF)  # type: ignore[attr-defined]


_SUFFIXES = (
    "less",
    "ness",
    "ably",
    "ibly",
    "ised",
    "ized",
    "ising",
    "izing",
    "ings",
    "ing",
    "ers",
    "ed",
    "er",
    "es",
    "ly",
    "s",
    "d",
)
_PREFIXES = ("re", "un", "non", "multi", "sub", "pre", "post", "over", "under", "inter", "per")


@lru_cache(maxsize=65536)
def _bases(word: str) -> tuple[str, ...]:
    """Words `word` may be built from by one common suffix and/or prefix."""
    stems = [word[: -len(suffix)] for suffix in _SUFFIXES if word.endswith(suffix)]
    stems = [stem for stem in stems if len(stem) >= 3] + [word]
    bases = list(stems)
    for stem in stems:
        for prefix in _PREFIXES:
            if stem.startswith(prefix) and len(stem) - len(prefix) >= 4:
                bases.append(stem[len(prefix) :])
    return tuple(b for b in bases if b != word)


def _window_keys(texts: Iterable[str], width: int = 6) -> frozenset[str]:
    """Squashed runs of up to `width` consecutive words of each text, with CamelCase words
    also split into their parts ("StableDiffusionV1" gives "stable", "stablediffusion"…)."""
    keys: set[str] = set()
    for text in texts:
        for words in (_WORD.findall(text), _CAMEL_PART.findall(text)):
            lowered = [w.lower() for w in words]
            for i in range(len(lowered)):
                key = ""
                for word in lowered[i : i + width]:
                    key += word
                    keys.add(key)
    return frozenset(keys)


def _vocabulary_of(text: str) -> set[str]:
    words = {w.lower() for w in _WORD.findall(normalize_prose(text))}
    # Third-person forms a restatement makes of an abstract's verbs ("we predict" → "predicts").
    return words | {w + "s" for w in words} | {w + "es" for w in words}


def own_title_words(source: Source) -> frozenset[str]:
    """Words of one source's name and title that read as a bare domain but are the source's
    own name (`text.dotted_names`) or its makers' as a code host spells the owner, "." read
    as "-" and nothing else changed ("Yi: … by 01.AI" of github.com/01-ai/Yi), lowercased.
    Only for printing that source's own name and title in its reference, where code prints
    them: a writer's prose never gets them (a maker's domain is no name the answer may use
    elsewhere), and an owner proves nothing of who holds the domain."""
    links = source.links()
    texts = [text for text in (source.name, source.title) if text]
    found = set(dotted_names((text, links) for text in texts))
    owners = {owner for link in links if (owner := _code_host_owner(link))}
    if owners:
        for text in texts:
            for word in text.split():
                word = clean_url(word).lower()
                if (
                    link_spans(word) == [(0, len(word))]
                    and not any(mark in word for mark in ("/", ":", "@", "\\"))
                    and not word.startswith("www.")
                    and word.replace(".", "-") in owners
                ):
                    found.add(word)
    return frozenset(found)


def _code_host_owner(link: str) -> str | None:
    """The owner in a link to a repository or model on a code host (lowercased), or None."""
    rest = re.sub(r"(?i)^https?://", "", link.strip())
    host, _, path = rest.partition("/")
    host = host.lower().removeprefix("www.")
    phrases = _screen_phrases()
    segments = [part for part in path.split("?", 1)[0].split("#", 1)[0].split("/") if part]
    if host not in phrases["code_hosts"] or len(segments) < 2:
        return None
    owner = segments[0].lower()
    return None if owner in phrases["host_sections"] else owner


class Screen:
    """The grounding policy for one request: its sources, its question's language."""

    def __init__(self, sources: Sequence[Source], *, question: str = "") -> None:
        self.sources = tuple(sources)
        self.count = len(self.sources)
        self.language = detect_language(question) if question else "en"
        self.allowed_links = {canonical_url(u) for s in self.sources for u in s.links()}
        # A provided name that reads as a domain ("pyannote.audio") is still that name.
        self.dotted_names = dotted_names((s.name, s.links()) for s in self.sources)
        # ...and in the references, where code prints each source's name and title, so are
        # the words of its title naming it or its makers (`own_title_words`).
        self.reference_names = self.dotted_names.union(*(own_title_words(s) for s in self.sources))
        self._provided_keys = _window_keys(
            part for s in self.sources for part in (s.name, s.title, *s.links()) if part
        )
        self._names = _names_with(
            {
                squash(s.name): KnownName(s.name, squash(s.name), False, len(_WORD.findall(s.name)))
                for s in self.sources
                if len(squash(s.name)) >= 4 and len(s.name.split()) <= 4
            }
        )
        self._topic_text = ""
        self._topic: set[str] | None = None
        self.vocabulary: set[str] = set()
        for source in self.sources:
            for part in (source.name, source.title, source.catalog_summary or "", *source.links()):
                self.vocabulary |= _vocabulary_of(part)
        self.vocabulary |= own_vocabulary(self.language)
        self._tainted_text: list[str] = []
        self._tainted: set[str] | None = None
        self._status_words_in_sources = {
            phrase
            for phrase in _screen_phrases()["status_claims"]
            for s in self.sources
            if phrase in (s.summary or "").lower() or phrase in (s.catalog_summary or "").lower()
        }

    # --- what is provided, and what was refused --------------------------------------------

    def add_taint(self, text: str) -> None:
        """Words of a summary sentence that was refused as an order to the reader (or markup,
        or a claim about a source): a writer that repeats a distinctive one obeyed it.

        Only words found nowhere in what is provided count, and only uncommon ones (a word
        like "previous" proves nothing), so repeating them can only come from that sentence.
        """
        self._tainted_text.append(normalize_prose(text))

    def tainted_words(self) -> set[str]:
        if self._tainted is None:
            words = {
                w.lower()
                for text in self._tainted_text
                for w in _WORD.findall(_without_html_comments(text) + " " + text)
            }
            self._tainted = {
                w
                for w in words - self.vocabulary
                if len(w) >= 4 and w.isalpha() and not _very_common(w)
            }
        return self._tainted

    def name_provided(self, name: str) -> bool:
        """Whether a provided source's name, title or link says `name`, word for word: a run
        of its words (or of the parts of a CamelCase word) squashes to the same letters.
        "SAM" is not provided by "sampling", nor "SV4D 3.0" by "SV4D 2.0"."""
        key = squash(name)
        return bool(key) and key in self._provided_keys

    def names_in(self, text: str) -> list[str]:
        """Every known name in `text` as this request reads it: with its own sources' names
        among the names, so a sentence ending right before one ("… stays consistent.** 4D
        Gaussian Splatting …") is split there, as the guard splits it."""
        return [hit.entry.name for hit in _known_hits(normalize_prose(text), self._names)]

    def add_vocabulary(self, text: str) -> None:
        """Words of a screened summary sentence become words a writer may use."""
        self.vocabulary |= _vocabulary_of(text)
        self._tainted = None

    def _taint_problems(self, text: str) -> list[Problem]:
        tainted = self.tainted_words() if self._tainted_text else set()
        if not tainted:
            return []
        said = {w.lower() for w in _WORD.findall(collapse_spaced(text))}
        echoed = sorted(said & tainted)
        if echoed:
            return [Problem("quality", "it repeats an instruction planted in a summary")]
        return []

    def set_topic(self, text: str) -> None:
        """What this request is about (task, modalities, steps, sources): see `_topic_problems`.

        Worked out on first use: only a writer's slots are checked against it."""
        self._topic_text = text
        self._topic = None

    @property
    def topic(self) -> set[str]:
        if self._topic is None:
            words = set(_WORD.findall(normalize_prose(self._topic_text).lower()))
            self._topic = {base for w in words for base in (w, *_bases(w))}
        return self._topic

    def _topic_problems(self, text: str) -> list[Problem]:
        """A fluent paragraph about something else (a bread recipe, "this step cannot be
        discussed") is no answer: a slot's content words must touch this request's world
        (its task, modalities, steps and sources); a long slot must mostly stay in it."""
        if not self.topic:
            return []
        content = [
            w.lower()
            for w in _WORD.findall(text)
            if len(w) >= 4 and w.isalpha() and w.lower() not in _all_stopwords()
        ]
        if not content:
            return [Problem("quality", "it says nothing about this workflow")]
        technical = technical_terms()
        inside = sum(
            1 for w in content if w in technical or any(b in self.topic for b in (w, *_bases(w)))
        )
        if inside == 0 or (len(content) >= 10 and inside / len(content) < 0.3):
            return [Problem("quality", "it is about something other than this workflow")]
        return []

    # --- checks -------------------------------------------------------------------------

    def policy_problems(self, text: str, *, citations: bool = True) -> list[Problem]:
        """Links, HTML, Markdown links, bad citations, unprovided known names, mixed scripts."""
        text = normalize_prose(text)
        names = self.dotted_names
        problems = [Problem("link", text[a:b][:80]) for a, b in link_spans(text, names=names)]
        for collapsed in (collapse_spaced(text), collapse_spaced(text, split_digits=True)):
            if collapsed != text and not problems:
                problems = [
                    Problem("link", collapsed[a:b][:80])
                    for a, b in link_spans(collapsed, names=names)
                ]
        problems += _html_problems(text)
        if citations:
            problems += [Problem("citation", c) for c in self.bad_citations(text)]
        problems += [
            Problem("foreign_name", hit.entry.name)
            for hit in _known_hits(text, self._names)
            if not self.name_provided(hit.entry.name if hit.inverted else text[hit.start : hit.end])
            and not (
                text[hit.end - 1 : hit.end] == "s"
                and self.name_provided(text[hit.start : hit.end - 1])
            )
        ]
        problems += _script_problems(text, self.language)
        return problems

    def bad_citations(self, text: str) -> list[str]:
        """Every bracketed group holding a digit that is not a citation of 1..count, and a
        bare number in parentheses past the last source ("(7)" among four sources)."""
        bad = [
            match.group(0)
            for match in _PAREN_NUMBER.finditer(text)
            if not 1 <= int(match.group(1)) <= self.count
        ]
        position = 0
        while True:
            start = _next_opener(text, position)
            if start < 0:
                return bad
            window = text[start + 1 : start + 26]
            close = min(
                (i for i in (window.find(c) for c in _CITATION_CLOSERS) if i >= 0), default=-1
            )
            position = start + 1
            if close < 0:
                continue
            content = window[:close].strip()
            if _ROMAN.fullmatch(content):
                bad.append(text[start : start + close + 2])  # "[vii]": a citation in disguise
                continue
            if not any(ch.isdigit() for ch in content):
                continue
            if not _VALID_CITATION.fullmatch(content) or any(
                part.strip().startswith("0") or not 1 <= int(part) <= self.count
                for part in content.split(",")
            ):
                bad.append(text[start : start + close + 2])

    def prose_problems(
        self, text: str, kind: str, *, others: Iterable[str] = (), question: str = ""
    ) -> list[Problem]:
        """Everything wrong with one slot of prose: the policy, unknown words, the floor.

        `kind` is task | step | mechanism | caveats | background; `others` are the texts of
        the other slots (a sentence repeated across slots is a repeat); `question` is the
        question (a slot that only copies it is no answer).
        """
        normal = normalize_prose(text)
        problems = self.policy_problems(normal)
        problems += self.unknown_words(normal)
        problems += self.floor_problems(normal, kind, others=others, question=question)
        return problems

    def unknown_words(self, text: str) -> list[Problem]:
        """Words that are neither provided, nor ordinary in the language, nor technical."""
        text = _without_html_comments(normalize_prose(text))
        language = self.language if self.language in _DICTIONARY_LANGUAGES else "en"
        unknown: list[Problem] = []
        technical = technical_terms()
        seen: set[str] = set()
        for token in _tokens(text):
            word = token.text.lower()
            if word in seen or not any("a" <= ch <= "z" for ch in word):
                continue
            seen.add(word)
            if _MEASURE.match(word) or word in self.vocabulary or word in technical:
                continue
            if not word.isascii() and not word.isalpha():
                continue
            if any(ch.isdigit() for ch in word) or not self._known_word(word, language):
                unknown.append(Problem("unknown_word", token.text))
        return unknown

    def _known_word(self, word: str, language: str) -> bool:
        """Ordinary, provided or technical, as written or once a common affix is taken off
        ("textureless" → "texture", "relights" → "light")."""
        if _ordinary(word, language):
            return True
        technical = technical_terms()
        for base in _bases(word):
            if base in self.vocabulary or base in technical or _ordinary(base, language):
                return True
        return False

    def floor_problems(
        self, text: str, kind: str, *, others: Iterable[str] = (), question: str = ""
    ) -> list[Problem]:
        """The quality floor: length, repeats, refusals, meta talk, orders, claims, language."""
        problems: list[Problem] = []
        stripped = text.strip()
        letters = sum(1 for ch in stripped if ch.isalpha())
        if (
            len(stripped) < _MIN_CHARS.get(kind, 15)
            or letters < 0.5 * len(stripped)
            or len(_WORD.findall(stripped)) < 2
        ):
            problems.append(Problem("quality", f"the {kind} text is too short or not prose"))
        if len(stripped) > _MAX_CHARS.get(kind, 2000):
            problems.append(Problem("quality", f"the {kind} text is too long"))
        lowered = " ".join(collapse_spaced(stripped).lower().split())
        problems += _phrase_problems(lowered, self._status_words_in_sources)
        problems += _repeat_problems(stripped, others)
        problems += _spam_problems(stripped)
        problems += self._taint_problems(stripped)
        if detect_language(stripped) == "en":
            problems += self._topic_problems(stripped)
        if _echoes_instructions(lowered):
            problems.append(Problem("quality", "it copies the writer's instructions"))
        if question and _copies(lowered, question):
            problems.append(Problem("quality", "it repeats the question instead of answering"))
        language = detect_language(stripped)
        words = [w.lower() for w in _WORD.findall(stripped)]
        latin = language not in _SCRIPT_LANGUAGES.values()
        if language not in {self.language, "en"}:
            problems.append(Problem("quality", f"written in {language}, not {self.language}"))
        elif latin and len(words) >= 8:
            common = stopwords().get(language, frozenset())
            if sum(1 for w in words if w in common) < 0.08 * len(words):
                problems.append(Problem("quality", "not written as sentences of a language"))
        return problems


@cache
def own_vocabulary(language: str = "en") -> frozenset[str]:
    """Words the project's own code and template writer print (task names and descriptions,
    modality and step labels, focus phrases, role descriptions, the message catalog in
    `language`): the template writer's words, which need no dictionary to be trusted.

    Only printed fields: never the cue phrases, hints or example requests, which name things
    users say (and may name a product) but which the answer never prints itself."""
    from scholarflow import i18n, taxonomy

    texts: list[str] = list(i18n.english().values())
    texts += list(i18n.catalog(language).values())
    for task in taxonomy.tasks().values():
        texts += [task.name, task.description, task.result, task.goal]
    texts += [m.label for m in taxonomy.modalities().values()]
    for op in taxonomy.operations().values():
        texts += [op.label, op.description]
    for offer in taxonomy.supplied().values():
        texts += [offer.label, offer.description]
    for focus in taxonomy.focuses().values():
        texts += [focus.lead, focus.heading, focus.phrase]
    texts += list(taxonomy.role_descriptions().values())
    words = {w.lower() for text in texts for w in _WORD.findall(text)}
    words |= {w for common in stopwords().values() for w in common}
    return frozenset(words)


def _next_opener(text: str, position: int) -> int:
    found = [i for i in (text.find(c, position) for c in _CITATION_OPENERS) if i >= 0]
    return min(found) if found else -1


_PAREN_NUMBER = re.compile(r"[(（](\d{1,3})[)）]")
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_MARKDOWN_LINK = re.compile(
    r"\]\s*\(|!\[|^\s*\[[^\]\n]{1,80}\]:\s*\S|\]\s*\[[^\]\n]*[^\d\s,\]]", re.M
)


def _html_problems(text: str) -> list[Problem]:
    problems = []
    match = _TAG.search(text)
    if match:
        problems.append(Problem("html", text[match.start() : match.start() + 20]))
    match = _MARKDOWN_LINK.search(text)
    if match:
        problems.append(Problem("html", "Markdown link or image: " + match.group(0).strip()))
    return problems


def _script_problems(text: str, language: str) -> list[Problem]:
    """A word mixing alphabets ("Ѕora": a Cyrillic S) or in an alphabet nobody asked for."""
    problems = []
    allowed = {"LATIN"} | {s for s, lang in _SCRIPT_LANGUAGES.items() if lang == language}
    if language in {"ja", "zh"}:
        allowed |= {"CJK", "HIRAGANA", "KATAKANA"}
    if text.isascii():
        return problems
    for match in _WORD.finditer(text):
        word = match.group(0)
        if word.isascii():
            continue
        scripts = {_script(ch) for ch in word} - {""}
        alphabets = scripts & _ALPHABETS
        if len(alphabets) > 1 or (scripts - allowed and len(word) > 1):
            problems.append(Problem("mixed_script", word))
    return problems


def _phrase_problems(lowered: str, allowed_claims: set[str]) -> list[Problem]:
    phrases = _screen_phrases()
    problems = []
    for phrase in phrases["refusal"]:
        if _contains_phrase(lowered, phrase):
            problems.append(Problem("quality", f"a refusal ('{phrase}')"))
            break
    for phrase in phrases["meta"]:
        if _contains_phrase(lowered, phrase):
            problems.append(Problem("quality", f"talks about its instructions ('{phrase}')"))
            break
    for phrase in phrases["commands"]:
        if phrase in lowered:
            problems.append(Problem("quality", f"tells the reader to act ('{phrase.strip()}')"))
            break
    openings = phrases["imperative_openings"]
    for start, end in sentences(lowered):
        head = lowered[start:end].lstrip("-*•>#0123456789.) \t")
        for filler in ("please ", "now ", "first, ", "first ", "also ", "kindly ", "just "):
            head = head.removeprefix(filler)
        if any(head.startswith(o + " ") or head.startswith(o + ",") for o in openings):
            problems.append(Problem("quality", f"gives an order: '{head[:40]}'"))
            break
    for phrase in phrases["status_claims"]:
        if phrase not in allowed_claims and _contains_phrase(lowered, phrase):
            problems.append(Problem("quality", f"a claim no source makes ('{phrase}')"))
            break
    return problems


def _contains_phrase(lowered: str, phrase: str) -> bool:
    start = lowered.find(phrase)
    while start >= 0:
        if start == 0 or not lowered[start - 1].isalnum():
            return True
        start = lowered.find(phrase, start + 1)
    return False


def _sentence_keys(text: str) -> list[str]:
    keys = []
    for start, end in sentences(text):
        words = _WORD.findall(text[start:end].lower())
        if len(words) >= 4:
            keys.append(" ".join(words))
    return keys


def _repeat_problems(text: str, others: Iterable[str]) -> list[Problem]:
    own = _sentence_keys(text)
    if len(own) != len(set(own)):
        return [Problem("quality", "a sentence is repeated")]
    elsewhere = {key for other in others for key in _sentence_keys(normalize_prose(other))}
    repeated = [key for key in own if key in elsewhere]
    if repeated:
        return [Problem("quality", f"repeats another part: '{repeated[0][:40]}'")]
    return []


def _spam_problems(text: str) -> list[Problem]:
    """One word said over and over ("the the the the"), or a text that is mostly one word."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 4:
        return []
    run = longest = 1
    for before, word in itertools.pairwise(words):
        run = run + 1 if word == before else 1
        longest = max(longest, run)
    if longest >= 4:
        return [Problem("quality", "a word is repeated over and over")]
    if len(words) >= 20:
        top = (
            max(words.count(w) for w in set(words) if w not in _all_stopwords())
            if set(words) - _all_stopwords()
            else 0
        )
        if top > 0.25 * len(words):
            return [Problem("quality", "one word makes up most of the text")]
    return []


@cache
def _all_stopwords() -> frozenset[str]:
    return frozenset(w for words in stopwords().values() for w in words)


@lru_cache(maxsize=8192)
def _very_common(word: str) -> bool:
    return english_words.at_least(word, 4.5)


@cache
def _instruction_shingles() -> frozenset[str]:
    """Five-word runs of the LLM writer's own instructions: a slot that repeats one is
    echoing its brief, not answering."""
    from scholarflow.writers import llm

    text = " ".join((llm.SYSTEM_PROMPT, llm._JSON_FORMAT, llm._TAGGED_FORMAT)).lower()
    words = _WORD.findall(text)
    return frozenset(" ".join(words[i : i + 5]) for i in range(len(words) - 4))


def _echoes_instructions(lowered: str) -> bool:
    words = _WORD.findall(lowered)
    shingles = _instruction_shingles()
    return any(" ".join(words[i : i + 5]) in shingles for i in range(len(words) - 4))


def _copies(lowered: str, question: str) -> bool:
    asked = set(_WORD.findall(question.lower()))
    said = set(_WORD.findall(lowered))
    if len(said) < 12 or not asked:
        return False
    return len(said & asked) / len(said) > 0.85


# --- summaries -------------------------------------------------------------------------------

_INTERNAL_CAPITAL = re.compile(r"[A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*(?:-\w+)*|[A-Za-z]+-\d+\w*")
_CAMEL_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+[A-Za-z]?")


def coined_names(sentence: str) -> list[str]:
    """Words shaped like a coined model name: a compound of ordinary words ("MagicDepthXL",
    "DepthCrafter") or a word with a number tag ("Depth-9000").

    A summary that names such a thing, other than a provided source, speaks of another model,
    and is not quoted. Compounds of technical abbreviations ("ConvGRU", "UNet3D") are the
    parts of a method, not other models, and pass.
    """
    found = []
    technical = technical_terms()
    for match in _INTERNAL_CAPITAL.finditer(normalize_prose(sentence)):
        word = match.group(0)
        if re.fullmatch(r"[A-Za-z]+-\d+\w*", word):
            found.append(word)
            continue
        parts = [p.lower() for p in _CAMEL_PART.findall(word)]
        if any(p in technical for p in parts):
            continue
        worded = [p for p in parts if len(p) >= 3 and p.isalpha() and _common(p)]
        if len(worded) >= 2:
            found.append(word)
    return found


@lru_cache(maxsize=8192)
def _common(word: str) -> bool:
    if word in own_vocabulary():
        return True
    return english_words.at_least(word, 3.0)


def quote_problems(sentence: str) -> list[Problem]:
    """What keeps a summary's sentence from being quoted, whatever the request: a link or
    markup, a word mixing alphabets, a claim about a source's standing. (Whether the models it
    names were provided is decided per request: `Screen.name_provided`.)"""
    text = normalize_prose(sentence)
    problems = [Problem("link", text[a:b][:80]) for a, b in link_spans(text)]
    problems += _html_problems(text)
    problems += _script_problems(text, detect_language(text))
    lowered = " ".join(text.lower().split())
    for phrase in _screen_phrases()["status_claims"]:
        if _contains_phrase(lowered, phrase):
            problems.append(Problem("quality", f"a claim about a source's standing ('{phrase}')"))
            break
    return problems


def sanitize_question(question: str, names: Collection[str] = ()) -> str:
    """The question as echoed back: links in it are not sources, so they are not repeated
    (a provided name that reads as a domain is that name: `Screen.dotted_names`)."""
    from scholarflow.text import replace_links

    return replace_links(normalize_prose(question), "<link removed>", names=names)
