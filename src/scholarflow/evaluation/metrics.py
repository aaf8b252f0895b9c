"""Metrics: each a plain function of predicted and expected values, defined in docs/evaluation.md.

They are deliberately independent of the grounding guard: the guard enforces the policy, these
functions measure whether it held, with their own reading of links, names and citations.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scholarflow.grounding import Screen
from scholarflow.models import Source
from scholarflow.text import canonical_url, clean_url, find_urls, link_spans, squash

SUPPORT_THRESHOLD = 0.5  # a cited sentence shares at least half its content words with the source

_CITATION = re.compile(r"\s*\[(\d+)\]")
_WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
_STOPWORDS = frozenset(
    "about above after again also because been before being below between both could does "
    "doing down during each from further have having here into itself just more most once "
    "only other over same should some such than that their theirs them then there these they "
    "this those through under until very were what when where which while with would your "
    "yours step steps model models input output here used uses using workflow provided source "
    "sources paper papers answer".split()
)


# --- set and ranking metrics ---------------------------------------------------------------


@dataclass(frozen=True)
class F1:
    precision: float
    recall: float
    f1: float


def set_f1(predicted: Iterable[object], expected: Iterable[object]) -> F1:
    """Precision, recall and F1 of two sets (TaskBench scores tool graphs this way).

    Two empty sets agree perfectly; one empty set against a non-empty one scores 0.
    """
    predicted_set, expected_set = set(predicted), set(expected)
    if not predicted_set and not expected_set:
        return F1(1.0, 1.0, 1.0)
    hits = len(predicted_set & expected_set)
    precision = hits / len(predicted_set) if predicted_set else 0.0
    recall = hits / len(expected_set) if expected_set else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return F1(precision, recall, f1)


def binary_precision_recall(pairs: Sequence[tuple[bool, bool]]) -> tuple[float, float]:
    """Precision and recall of (predicted, expected) flags; 1.0 where nothing was to find."""
    true_positive = sum(1 for p, e in pairs if p and e)
    predicted = sum(1 for p, _ in pairs if p)
    expected = sum(1 for _, e in pairs if e)
    precision = true_positive / predicted if predicted else 1.0
    recall = true_positive / expected if expected else 1.0
    return precision, recall


def reciprocal_rank(ranked: Sequence[str], expected: str) -> float:
    return 1.0 / (ranked.index(expected) + 1) if expected in ranked else 0.0


def recall_at(ranked: Sequence[str], expected: str, k: int) -> float:
    return 1.0 if expected in ranked[:k] else 0.0


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


# --- grounding metrics ----------------------------------------------------------------------


def allowed_links(sources: Sequence[Source]) -> set[str]:
    """Links the policy allows: the sources' fields, including a project page a summary named."""
    return {canonical_url(url) for source in sources for url in source.links()}


def links_in(text: str) -> list[str]:
    return find_urls(text)


def foreign_links(text: str, sources: Sequence[Source]) -> list[str]:
    """Links in `text` that no source gave. A run inside a word-for-word copy of a source's
    title or name is that source's text ("Yi: … by 01.AI"), not a link the answer added;
    read here from the text itself, not from the guard's lists, so that the metric can
    catch what the guard lets through."""
    allowed = allowed_links(sources)
    given = [part for s in sources for part in (s.title, s.name) if part and find_urls(part)]
    copies = [(found, found + len(part)) for part in given for found in _occurrences(text, part)]
    foreign = []
    for start, end in link_spans(text):
        link = clean_url(text[start:end])
        at = start + max(text.find(link, start, end) - start, 0)
        if canonical_url(link) not in allowed and not any(
            a <= at and at + len(link) <= b for a, b in copies
        ):
            foreign.append(link)
    return foreign


def _occurrences(text: str, part: str) -> list[int]:
    found, at = [], text.find(part)
    while at != -1:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def ungrounded_names(text: str, sources: Sequence[Source]) -> list[str]:
    """Known model and tool names in `text` that no provided source carries."""
    provided = " ".join(
        squash(part) for s in sources for part in (s.name, s.title, s.github_url or "")
    )
    # The guard's own reading of names (grounding.Screen.names_in), so that the metric and
    # the guard agree on what a name is: across case and spacing, a name that is also a word
    # ("Imagen", Spanish for image) only where written as a name, and the request's own
    # names among the names (a sentence ending right before one is split there).
    # Line by line: the contract's strings are joined with newlines, and no name runs across
    # two of them ("image" then the node id "n2" is not "Imagen 2").
    screen = Screen(sources)
    found = (name for line in text.splitlines() for name in screen.names_in(line))
    return [name for name in dict.fromkeys(found) if squash(name) not in provided]


def covers_recommended(text: str, references_text: str, source: Source) -> bool:
    """The recommended model is named and every one of its links is in the references."""
    listed = {canonical_url(u) for u in links_in(references_text)}
    named = source.name.lower() in text.lower()
    return named and all(canonical_url(u) in listed for u in source.links())


# --- citation support ------------------------------------------------------------------------


def content_words(text: str) -> set[str]:
    """Lower-cased words of four letters or more, without function words, plural -s removed."""
    words = set()
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS:
            continue
        if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
            word = word[:-1]
        words.add(word)
    return words


def support(sentence: str, source_text: str) -> float:
    """Share of the sentence's content words that the cited source's text also holds."""
    words = content_words(_CITATION.sub("", sentence))
    if not words:
        return 1.0
    return len(words & content_words(source_text)) / len(words)


@dataclass(frozen=True)
class CitedSentence:
    sentence: str
    number: int
    support: float

    @property
    def supported(self) -> bool:
        return self.support >= SUPPORT_THRESHOLD


def cited_sentences(markdown: str, texts_by_number: dict[int, str]) -> list[CitedSentence]:
    """Every sentence of the answer that cites [n], scored against source n's own text.

    The references section is left out: it lists the sources, it does not claim anything.
    """
    body = markdown.split("### 3.")[0]
    found = []
    for line in body.splitlines():
        if line.startswith(("```", "  optional:", "  also:")) or "──" in line:
            continue
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z*])", line):
            for number in {int(n) for n in _CITATION.findall(sentence)}:
                text = texts_by_number.get(number, "")
                found.append(CitedSentence(sentence.strip(), number, support(sentence, text)))
    return found
