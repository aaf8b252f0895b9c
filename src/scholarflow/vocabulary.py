"""Which tasks a source's own words belong to, counted against the taxonomy's own words.

The embedding model reads a title as a whole, and a title's generic half ("… Video
Generation") can outweigh the one word that sets its job apart ("Talking"). Here each task is
described by the words of its name, its description and its paper phrases
(`taxonomy/paper_phrases.toml`); a word few tasks use weighs more than one many use (inverse
document frequency), so "talking", "segment" or "understanding" speak for the tasks that use
them, and "video" or "generation" say little. The two readings are added: each catches what
the other misses.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache

from scholarflow import taxonomy

_WORD = re.compile(r"[a-z][a-z0-9]+|[0-9]+[a-z]+")
# Words that say nothing about a job: function words and the stock words of paper titles.
_EMPTY = frozenset(
    "a an the of for and or in on with to from by via as is are be its it our we into at "
    "without using use based towards toward your any all one this that which can than their "
    "them they each every more most new not only other such these those while who".split()
)
# Endings stripped so that "tracking" meets "track" and "segmentation" meets "segment".
# (A stemming library would be one more dependency loaded on every cold start, for what is
# needed here: English title words and the taxonomy's English words stripped alike.)
_ENDINGS = ("ations", "ation", "ings", "ing", "ies", "es", "s", "ed")
_MIN_STEM = 4


@cache  # a title's words and the taxonomy's repeat: each is stripped once
def stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def terms(text: str) -> list[str]:
    """The content words of `text`, lower case and stripped of their endings."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _EMPTY]


@cache
def _task_words() -> tuple[dict[str, Counter[str]], dict[str, float]]:
    """Each task's word counts, and each word's weight (rarer across tasks weighs more)."""
    counts: dict[str, Counter[str]] = {}
    for task_id, text in taxonomy.index_texts(taxonomy.PAPERS):
        counts.setdefault(task_id, Counter()).update(terms(text))
    documents = len(counts)
    spread = Counter(word for words in counts.values() for word in words)
    weights = {word: math.log(documents / n) for word, n in spread.items()}
    return counts, weights


def task_scores(text: str) -> dict[str, float]:
    """How much of what sets each task apart `text`'s words share, as a share of the best:
    1.0 for the task they share most with, 0 for one they share nothing with. {} when no
    word of `text` is any task's."""
    counts, weights = _task_words()
    words = set(terms(text))
    raw = {
        task_id: sum(weights[w] * (1.0 + math.log(found[w])) for w in words if w in found)
        for task_id, found in counts.items()
    }
    best = max(raw.values(), default=0.0)
    if best <= 0.0:
        return {}
    return {task_id: value / best for task_id, value in raw.items() if value > 0.0}
