"""How common an English word is, from a snapshot of wordfreq's English table.

The grounding screen asks this of every word it reads. wordfreq itself takes ~0.4 s to import
and load (it brings langcodes), which was 40% of a cold `scholarflow answer`; the snapshot in
lexicon/english_words.txt.gz loads in a few hundredths of a second. It holds the words of
plain lowercase letters, grouped into half-Zipf steps from 1.0 up, which is all the screen's
thresholds need; any other word, and any other language, is asked of wordfreq itself.
`scripts/english_words.py` writes the snapshot; tests/test_english_words.py checks it
against wordfreq.
"""

from __future__ import annotations

import math
import re
from functools import cache

from scholarflow import data_files

SNAPSHOT = "english_words.txt.gz"
STEP = 0.5  # the snapshot's resolution on the Zipf scale
LOWEST = 1.0  # words rarer than this are not in the snapshot

_PLAIN = re.compile(r"[a-z]+")


def plain(word: str) -> bool:
    """A word the snapshot answers for: lowercase a–z only (wordfreq reads it as one token)."""
    return _PLAIN.fullmatch(word) is not None


def bucket_of(zipf: float) -> float | None:
    """The half-Zipf step a frequency falls in; None below LOWEST."""
    if zipf < LOWEST:
        return None
    return math.floor(zipf / STEP) * STEP


def at_least(word: str, threshold: float) -> bool:
    """Whether `word` has a Zipf frequency of `threshold` or more in English."""
    if threshold < LOWEST or not math.isclose(threshold / STEP, round(threshold / STEP)):
        raise ValueError(f"threshold {threshold} is not a multiple of {STEP} from {LOWEST} up")
    if plain(word):
        return any(_holds(words, word) for step, words in _snapshot() if step >= threshold)
    return _wordfreq_zipf(word) >= threshold


def _holds(lines: str, word: str) -> bool:
    """Whether `word` is a line of `lines`: sorted words, each between two newlines.

    A binary search over the text itself: the bounds `low` and `high` are newlines, and the
    word, if there, is a line between them.
    """
    low, high = 0, len(lines) - 1
    while low < high:
        start = lines.rfind("\n", low, (low + high) // 2 + 1)
        end = lines.find("\n", start + 1)
        line = lines[start + 1 : end]
        if line == word:
            return True
        if line < word:
            low = end
        else:
            high = start
    return False


def _wordfreq_zipf(word: str) -> float:
    try:
        import wordfreq
    except ImportError:  # the screen then leans on its own vocabulary alone
        return 0.0
    return float(wordfreq.zipf_frequency(word, "en"))


@cache
def _snapshot() -> tuple[tuple[float, str], ...]:
    """(step, its words in sorted order, one a line, with a newline before and after each),
    commonest step first.

    The text is searched as it is, by bisection (`_holds`), not split or hashed: the script
    writes each step sorted, and splitting ~290,000 words into lists took 0.015–0.03 s of
    every cold start (hashing them into sets 0.09 s); a lookup is ~17 comparisons a step.
    """
    text = data_files.gunzipped_text("scholarflow.lexicon", SNAPSHOT)
    steps = []
    for block in text.split("\n@")[1:]:
        head, _, words = block.partition("\n")
        steps.append((float(head), f"\n{words.strip()}\n"))
    return tuple(steps)
