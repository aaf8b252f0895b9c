"""Small text helpers shared by the stages: normalising, cue matching, sentences, URLs."""

from __future__ import annotations

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


# A scheme at the start of a link ("javascript:", "data:", "file:"). Not one when digits
# follow the colon: "example.org:8080/x" is a host and a port.
_LEADING_SCHEME = re.compile(r"(?i)^\s*([a-z][a-z0-9+.-]*):(?!\d)")
WEB_SCHEMES = frozenset({"http", "https"})


def foreign_scheme(link: str) -> str | None:
    """The scheme `link` starts with if it is not http or https (lower case), else None.

    Why one function for every way a source arrives (JSON requests, prompts): a link field
    is rendered as a link, and a `javascript:` or `data:` one would run in a reader's browser,
    a `file:` one read their disk. None also when there is no scheme at all ("github.com/x"),
    which callers complete with https://.
    """
    match = _LEADING_SCHEME.match(link)
    if match is None:
        return None
    scheme = match.group(1).lower()
    return None if scheme in WEB_SCHEMES else scheme


def canonical_url(url: str) -> str:
    """The form two links are compared in: no scheme, no 'www.', no trailing slash, lower host."""
    url = clean_url(url.strip())
    url = re.sub(r"(?i)^(?:https?://|ftp://)", "", url)
    url = re.sub(r"(?i)^www\.", "", url)
    host, _, path = url.partition("/")
    return (host.lower() + ("/" + path if path else "")).rstrip("/")
