"""Small text helpers shared by the stages: normalising, cue matching, sentences, URLs."""

from __future__ import annotations

import difflib
import heapq
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": " - ", "–": "-"})
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, NFKC, straight quotes, single spaces: the form every cue is matched in."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Letters and digits only, lower-cased: "Stable Diffusion" and "StableDiffusionV1" meet."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class CueHit:
    label: str
    cue: str
    start: int
    end: int


class CueMatcher:
    """Finds cue phrases of many labels in one pass.

    A cue matches at the start of a word (so "rotat" finds "rotating") except for cues in
    scripts written without spaces, which match anywhere. At one place the longest cue wins.
    """

    def __init__(self, cues: Mapping[str, Iterable[str]]) -> None:
        self._labels: dict[str, list[str]] = {}
        for label, phrases in cues.items():
            for phrase in phrases:
                key = normalize(phrase)
                if key:
                    self._labels.setdefault(key, []).append(label)
        # (cue, needs a word boundary before it); plain `str.find` over a few hundred short
        # cues is far faster than one regex alternation of them on question-sized text.
        self._keys = [(key, key[0].isascii() and key[0].isalnum()) for key in self._labels]

    def find(self, normalized_text: str) -> Iterator[CueHit]:
        text = normalized_text
        found: list[tuple[int, int, str]] = []
        for key, bounded in self._keys:
            start = text.find(key)
            while start >= 0:
                if (
                    not bounded
                    or start == 0
                    or not (text[start - 1].isalnum() or text[start - 1] == "_")
                ):
                    found.append((start, start + len(key), key))
                start = text.find(key, start + 1)
        # Leftmost, then longest, never overlapping: what one regex alternation would find.
        found.sort(key=lambda hit: (hit[0], -hit[1]))
        position = 0
        for start, end, key in found:
            if start < position:
                continue
            position = end
            for label in self._labels[key]:
                yield CueHit(label, key, start, end)


_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "fig.", "eq.", "cf.", "approx.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[“])")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`, so evidence can point at its exact place."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if candidate.lower().endswith(_ABBREVIATIONS):
            continue
        spans.append((start, start + len(candidate)))
        start = match.end()
    tail = text[start:].rstrip()
    if tail.strip():
        spans.append((start, start + len(tail)))
    # Drop leading whitespace inside each span so text[span] is the sentence itself.
    cleaned = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        if begin < end:
            cleaned.append((begin, end))
    return cleaned


URL_PATTERN = re.compile(
    r"""(?ix)
    \b(?:https?://|ftp://|www\.)[^\s<>"'`\])}]+        # scheme or www.
    | \b(?:[a-z0-9-]+\.)+(?:com|org|net|io|ai|dev|app|xyz|ru|cn|info|biz|co|me|ly|gl|sh|to)
      (?:/[^\s<>"'`\])}]*)?                             # bare domains with a path
    """
)


def find_urls(text: str) -> list[str]:
    """Every link-like string in `text`, with trailing punctuation removed."""
    return [clean_url(m.group(0)) for m in URL_PATTERN.finditer(text)]


def clean_url(url: str) -> str:
    return url.rstrip(".,;:!?*_~")


def canonical_url(url: str) -> str:
    """The form two links are compared in: no scheme, no 'www.', no trailing slash, lower host."""
    url = clean_url(url.strip())
    url = re.sub(r"(?i)^(?:https?://|ftp://)", "", url)
    url = re.sub(r"(?i)^www\.", "", url)
    host, _, path = url.partition("/")
    return (host.lower() + ("/" + path if path else "")).rstrip("/")


# Two words of the same length share letters by chance ("dreaming", "frame_in" score 0.62),
# so a candidate cut to the typed length must match more closely than a whole one.
PREFIX_CUTOFF = 0.8


def near_misses(
    wanted: str, candidates: Iterable[str], limit: int = 3, cutoff: float = 0.6
) -> list[str]:
    """The candidates a shortened or mistyped `wanted` most likely meant, best first.

    For "did you mean" lines. Candidates that start with it come first, shortest first
    ("depthc" is "depthcrafter" before "depthcrafter-v2-3f2a9c"); then close spellings by
    difflib's ratio, each candidate compared whole and cut to the typed length, so that a typo
    in a prefix ("video_depht") finds "video_depth_estimation" rather than whatever is
    closest as a whole word ("video_to_4d"). Case is ignored.
    """
    typed = wanted.strip().lower()
    if not typed or limit <= 0:
        return []
    pool = list(dict.fromkeys(candidates))
    prefixed = sorted((c for c in pool if c.lower().startswith(typed)), key=lambda c: (len(c), c))
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(typed)  # difflib caches what it learns about the second sequence
    scored: list[tuple[float, str]] = []
    taken = set(prefixed)
    for candidate in pool:
        if candidate in taken:
            continue
        lowered = candidate.lower()
        best = 0.0
        for form, needed in ((lowered, cutoff), (lowered[: len(typed)], PREFIX_CUTOFF)):
            matcher.set_seq1(form)
            # The two quick upper bounds skip most candidates before the costly ratio.
            if matcher.real_quick_ratio() >= needed and matcher.quick_ratio() >= needed:
                ratio = matcher.ratio()
                if ratio >= needed:
                    best = max(best, ratio)
        if best:
            scored.append((best, candidate))
    close = [c for _, c in heapq.nlargest(limit, scored, key=lambda pair: pair[0])]
    return (prefixed + close)[:limit]
