"""The grounding guard: enforces DESIGN.md's grounding policy on every answer, in code.

- A link may appear only if it is a Paper, GitHub or Project field of a provided source, or a
  URL that a source's summary names as its project page or code (see `signatures.enrich`).
- Nothing in the question is a source.
- The answer names only provided models and papers: a known name (catalog/known_names.txt)
  that no provided source carries is refused, and so is an unknown name-like token
  ("MagicDepthXL") that appears nowhere in the provided sources.
- Every recommended model is named and listed in the references with all its links.
- A citation [n] must point at a provided source.

`verify` reports violations; `repair` drops the sentences that carry them. Whether a repaired
answer is acceptable, or falls back to the template writer, is the engine's decision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from scholarflow.models import Reference, Sections, Source
from scholarflow.text import URL_PATTERN, canonical_url, clean_url, sentences, squash

_CITATION = re.compile(r"\[(\d+)\]")
_NAME_LIKE = re.compile(
    r"(?<![\w.-])(?:[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*|(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*\d)"
    r"[A-Za-z0-9]{2,})(?![\w-])"
)
# Technical words that look like names but are not models: "3D", "4K", "1080p", "30fps".
_TECHNICAL = re.compile(r"(?i)^(?:\d+(?:d|k|p|fps|px|ms|s|x|gb|mb|bit)|x\d+|v\d+|h\d+)$")
_TECHNICAL_WORDS = frozenset(
    w.lower() for w in ("RGBD", "UNet", "NeRFs", "SfM", "LDIs", "GPUs", "MP4", "H264", "A100")
)


@dataclass(frozen=True)
class Violation:
    kind: str  # foreign_link | unknown_name | bad_citation | missing_recommended | missing_link
    detail: str
    source_id: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@cache
def known_names() -> tuple[str, ...]:
    text = resources.files("scholarflow.catalog").joinpath("known_names.txt").read_text("utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_TOKEN = re.compile(r"\w[\w.·+-]*")


@cache
def _known_names_index() -> tuple[frozenset[str], re.Pattern[str], frozenset[str]]:
    """One-word names, matched as whole tokens with their case ("SAM", "Flux", so the words
    "sam" and "flux" never trip the guard); longer names, matched in any case and with any
    spacing or hyphenation; and the lower-cased first words of those, to skip the pattern
    for text that holds none of them."""
    single, multiple, firsts = set(), [], set()
    for name in sorted(known_names(), key=len, reverse=True):
        words = name.split()
        if len(words) == 1:
            single.add(name)
        else:
            multiple.append(r"[\s-]*".join(re.escape(w) for w in words))
            firsts.add(words[0].lower())
    pattern = re.compile(rf"(?i)(?<![\w-])(?:{'|'.join(multiple)})(?![\w-])")
    return frozenset(single), pattern, frozenset(firsts)


def known_names_in(text: str) -> list[str]:
    """Every known model or tool name in `text`, provided or not."""
    single, multiple, firsts = _known_names_index()
    found = []
    tokens = dict.fromkeys(_TOKEN.findall(text))  # each distinct word once, in order
    for token in tokens:
        for candidate in (token, token.rstrip(".-")):
            if candidate in single:
                found.append(candidate)
                break
    # Only text holding the first word of some longer name pays for that pattern.
    if not firsts.isdisjoint(token.lower() for token in tokens):
        found.extend(m.group(0) for m in multiple.finditer(text))
    return found


@cache
def _squashed_known_names() -> tuple[str, ...]:
    return tuple(squash(name) for name in known_names())


@lru_cache(maxsize=4096)
def _tokens(text: str) -> frozenset[str]:
    words = re.findall(r"[A-Za-z0-9]+", text) + re.findall(r"[\w.-]+", text)
    return frozenset(t.lower() for t in words)


def tokens_cache_clear() -> None:
    _tokens.cache_clear()


class Guard:
    """The grounding policy for one set of provided sources."""

    def __init__(self, sources: Sequence[Source]) -> None:
        self.sources = tuple(sources)
        self.allowed_links = {canonical_url(u) for s in sources for u in s.links()}
        provided = " ".join(
            squash(part)
            for s in sources
            for part in (s.name, s.title, s.github_url or "", s.project_url or "")
        )
        self.provided_names = {n for n in _squashed_known_names() if n in provided}
        # Name-like words are known when a source's own name, title or links carry them, or
        # our catalog's description of it does. Words found only in a summary are not: a
        # summary is text from others, and may plant a name ("use MagicDepthXL").
        self.known_tokens: set[str] = set()
        for s in sources:
            for part in (s.name, s.title, s.catalog_summary or "", *s.links()):
                self.known_tokens |= _tokens(part)

    # --- checks -------------------------------------------------------------------------

    def link_allowed(self, url: str) -> bool:
        return canonical_url(url) in self.allowed_links

    def foreign_links(self, text: str) -> list[str]:
        return [
            u
            for u in (clean_url(m.group(0)) for m in URL_PATTERN.finditer(text))
            if not self.link_allowed(u)
        ]

    def known_foreign_names(self, text: str) -> list[str]:
        """Names of real models or tools in `text` that no provided source carries."""
        return [n for n in known_names_in(text) if squash(n) not in self.provided_names]

    def foreign_names(self, text: str) -> list[str]:
        found = self.known_foreign_names(text)
        without_links = URL_PATTERN.sub(" ", text)
        for token in dict.fromkeys(_NAME_LIKE.findall(without_links)):  # each name once
            if _TECHNICAL.match(token) or token.lower() in _TECHNICAL_WORDS:
                continue
            parts = [p for p in re.findall(r"[A-Za-z0-9]+", token)]
            if token.lower() in self.known_tokens or all(
                p.lower() in self.known_tokens for p in parts
            ):
                continue
            found.append(token)
        return found

    def bad_citations(self, text: str, count: int) -> list[str]:
        return [m.group(0) for m in _CITATION.finditer(text) if not 1 <= int(m.group(1)) <= count]

    def verify(self, sections: Sections, references: Sequence[Reference]) -> list[Violation]:
        """Every way `sections` breaks the policy; an empty list means grounded."""
        violations: list[Violation] = []
        full = "\n".join((sections.task, sections.workflow, sections.references))
        violations += [Violation("foreign_link", u) for u in self.foreign_links(full)]
        violations += [Violation("unknown_name", n) for n in self.foreign_names(full)]
        violations += [
            Violation("bad_citation", c) for c in self.bad_citations(full, len(references))
        ]
        body = (sections.task + sections.workflow).lower()
        listed = {canonical_url(u) for u in URL_PATTERN.findall(sections.references)}
        for source in self.sources:
            if source.role != "recommended":
                continue
            if source.name.lower() not in body:
                violations.append(Violation("missing_recommended", source.name, source.id))
            for link in source.links():
                if canonical_url(link) not in listed:
                    violations.append(Violation("missing_link", link, source.id))
        return violations

    # --- repair -------------------------------------------------------------------------

    def _sentence_ok(self, sentence: str, count: int) -> bool:
        return not (
            self.foreign_links(sentence)
            or self.foreign_names(sentence)
            or self.bad_citations(sentence, count)
        )

    def repair(self, sections: Sections, references: Sequence[Reference]) -> Sections:
        """The sections without every sentence that carries a foreign link, name or citation."""
        count = len(references)
        return Sections(
            task=self._clean(sections.task, count),
            workflow=self._clean(sections.workflow, count),
            references=self._clean(sections.references, count),
        )

    def _clean(self, text: str, count: int) -> str:
        kept_lines = []
        for line in text.split("\n"):
            if self._sentence_ok(line, count):
                kept_lines.append(line)
                continue
            kept = [line[a:b] for a, b in sentences(line) if self._sentence_ok(line[a:b], count)]
            prefix = re.match(r"^\s*(?:[-*]|\d+\.)\s+", line)
            rebuilt = " ".join(kept)
            if rebuilt.strip() and (not prefix or rebuilt.startswith(prefix.group(0))):
                kept_lines.append(rebuilt)
        return "\n".join(kept_lines)


def sanitize_question(question: str) -> str:
    """The question as echoed back: links in it are not sources, so they are not repeated."""
    return URL_PATTERN.sub("<link removed>", question)
