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

import gzip
import math
import re
from functools import cache
from importlib import resources

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
        return any(word in words for bucket, words in _snapshot() if bucket >= threshold)
    return _wordfreq_zipf(word) >= threshold


def _wordfreq_zipf(word: str) -> float:
    try:
        import wordfreq
    except ImportError:  # the screen then leans on its own vocabulary alone
        return 0.0
    return float(wordfreq.zipf_frequency(word, "en"))


@cache
def _snapshot() -> tuple[tuple[float, frozenset[str]], ...]:
    """(step, the words in it), commonest step first. One set per step, not a word → step
    dict: building a dict of ~290,000 words takes 0.1 s, the sets 0.04 s."""
    raw = resources.files("scholarflow.lexicon").joinpath(SNAPSHOT).read_bytes()
    steps = []
    for block in gzip.decompress(raw).decode("utf-8").split("\n@")[1:]:
        head, _, words = block.partition("\n")
        steps.append((float(head), frozenset(words.split())))
    return tuple(steps)
