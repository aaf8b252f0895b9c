"""The seed prompt format: parse it into a `Request`, and render a `Request` back into it.

The format (see the README) is a question in quotes after "A user has asked the following
question:", then a "Recommended AI Models" section and a "Related Papers" section whose entries
are blocks of `Field: value` lines (Model, Paper, GitHub, Project, Summary; "None" means absent).
The parser is tolerant of what people and platforms do to such text (CRLF, extra blank lines,
reordered fields, missing summaries, a trailing "Answer:") and strict about what it cannot guess:
a missing question or a missing recommended model is an error naming the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scholarflow.errors import PromptFormatError
from scholarflow.models import MAX_SOURCES, Provenance, Request, Source, SourceRole
from scholarflow.text import decode_tex_accents, find_urls, foreign_scheme

_QUESTION_MARKER = re.compile(
    r"(?i)(?:asked the following question|user'?s? question|^\s*\**question\**\s*:)\s*:?\s*"
)
_RECOMMENDED_HEADER = re.compile(r"(?i)^\s*#{0,6}\s*\**\s*recommended\b[^:]*:?\s*\**\s*$")
_RELATED_HEADER = re.compile(r"(?i)^\s*#{0,6}\s*\**\s*related\b[^:]*:?\s*\**\s*$")
_ANSWER_LINE = re.compile(r"(?i)^\s*\**\s*answer\s*:?\s*\**\s*$")
_FIELD_LINE = re.compile(
    r"(?i)^\s*[-*]?\s*\**(model|title|name|paper|arxiv|pdf|github|code|repo|repository|"
    r"project(?:\s+page)?|website|homepage|summary|abstract|description)\**\s*:\s*(.*)$"
)
_FIELD_NAMES = {
    "model": "title",
    "title": "title",
    "name": "title",
    "paper": "paper",
    "arxiv": "paper",
    "pdf": "paper",
    "github": "github",
    "code": "github",
    "repo": "github",
    "repository": "github",
    "project": "project",
    "project page": "project",
    "website": "project",
    "homepage": "project",
    "summary": "summary",
    "abstract": "summary",
    "description": "summary",
}
_ABSENT = {"", "none", "null", "n/a", "na", "-", "—", "not available", "unknown"}
_LINK_LABELS = {"paper": "Paper", "github": "GitHub", "project": "Project"}
# "Paper: arXiv:2409.02095" names a paper without linking it: read as no link, as before.
_IDENTIFIER_SCHEMES = {"arxiv", "doi"}
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "«": "»", "「": "」"}


@dataclass
class _Entry:
    line: int
    fields: dict[str, str] = field(default_factory=dict)
    last_field: str | None = None
    field_lines: dict[str, int] = field(default_factory=dict)


def parse_prompt(text: str, *, where: str = "<prompt>") -> Request:
    """Read a seed-format prompt. Raises `PromptFormatError` naming what is missing and where."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    question = _find_question(lines, where)
    recommended_at, related_at = _find_headers(lines)
    if recommended_at is None:
        raise PromptFormatError(
            f"{where}: no recommended model: expected a '### Recommended AI Models:' section "
            "with at least one 'Model:' entry"
        )
    sections: list[tuple[int, SourceRole]] = [(recommended_at, "recommended")]
    if related_at is not None:
        sections.append((related_at, "related"))
    sections.sort()

    sources: list[Source] = []
    for index, (start, role) in enumerate(sections):
        end = sections[index + 1][0] if index + 1 < len(sections) else len(lines)
        entries = _parse_entries(lines, start + 1, end, where)
        if role == "recommended" and not entries:
            raise PromptFormatError(
                f"{where}:{start + 1}: the Recommended AI Models section has no 'Model:' entry"
            )
        if len(sources) + len(entries) > MAX_SOURCES:
            raise PromptFormatError(
                f"{where}:{start + 1}: the prompt lists more than {MAX_SOURCES} models and "
                f"papers; at most {MAX_SOURCES} are read from one request"
            )
        for entry in entries:
            sources.append(_to_source(entry, role, len(sources) + 1, where))

    recommended = tuple(s for s in sources if s.role == "recommended")
    related = tuple(s for s in sources if s.role == "related")
    # Recommended sources are numbered first so that [1] is always the recommended model.
    renumbered = [
        s.model_copy(update={"id": f"s{i}"}) for i, s in enumerate(recommended + related, 1)
    ]
    return Request(
        question=question,
        recommended=tuple(renumbered[: len(recommended)]),
        related=tuple(renumbered[len(recommended) :]),
        origin="prompt",
    )


def _find_question(lines: list[str], where: str) -> str:
    for number, line in enumerate(lines):
        match = _QUESTION_MARKER.search(line)
        if not match:
            continue
        rest = line[match.end() :].strip()
        following = [rest] if rest else []
        for later in lines[number + 1 :]:
            if _RECOMMENDED_HEADER.match(later) or _RELATED_HEADER.match(later):
                break
            if not later.strip():
                if following:
                    break
                continue
            following.append(later.strip())
        question = _unquote(" ".join(following))
        if question:
            return question
        raise PromptFormatError(
            f"{where}:{number + 1}: no question after '{line.strip()}': "
            "expected the question, in quotes, on the next line"
        )
    raise PromptFormatError(
        f"{where}: no question: expected a line 'A user has asked the following question:' "
        "followed by the question in quotes"
    )


def _unquote(text: str) -> str:
    text = text.strip()
    if text and text[0] in _QUOTE_PAIRS:
        closing = _QUOTE_PAIRS[text[0]]
        end = text.rfind(closing, 1)
        return (text[1:end] if end > 0 else text[1:]).strip()
    return text


def _find_headers(lines: list[str]) -> tuple[int | None, int | None]:
    recommended = related = None
    for number, line in enumerate(lines):
        if recommended is None and _RECOMMENDED_HEADER.match(line):
            recommended = number
        elif related is None and _RELATED_HEADER.match(line):
            related = number
    return recommended, related


def _parse_entries(lines: list[str], start: int, end: int, where: str) -> list[_Entry]:
    entries: list[_Entry] = []
    current: _Entry | None = None
    previous_blank = True
    for number in range(start, end):
        line = lines[number]
        if _ANSWER_LINE.match(line):
            break
        if not line.strip():
            previous_blank = True
            continue
        match = _FIELD_LINE.match(line)
        if match:
            key = _FIELD_NAMES[match.group(1).lower()]
            value = match.group(2).strip()
            starts_new = (
                current is None
                or key in current.fields
                or (previous_blank and "title" in current.fields)
            )
            if starts_new:
                current = _Entry(line=number + 1)
                entries.append(current)
            assert current is not None
            current.fields[key] = value
            current.last_field = key
            current.field_lines[key] = number + 1
        elif current is not None and current.last_field is not None:
            # A wrapped line continues the field above it (summaries are often wrapped).
            joined = f"{current.fields[current.last_field]} {line.strip()}"
            current.fields[current.last_field] = joined.strip()
        elif line.strip().startswith("#") or line.strip().startswith("---"):
            continue
        else:
            raise PromptFormatError(
                f"{where}:{number + 1}: expected an entry line such as 'Model: <name>', "
                f"found {line.strip()[:60]!r}"
            )
        previous_blank = False
    for entry in entries:
        if not _present(entry.fields.get("title")):
            raise PromptFormatError(
                f"{where}:{entry.line}: entry has no 'Model:' name "
                f"(fields found: {', '.join(sorted(entry.fields)) or 'none'})"
            )
    return entries


def _present(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in _ABSENT


def _url(entry: _Entry, key: str, where: str) -> str | None:
    """The link in field `key`, if any. One that starts with a scheme other than http(s)
    (`javascript:`, `data:`, `file:`…) is an error naming its line, not a link to render."""
    value = entry.fields.get(key)
    if not _present(value):
        return None
    assert value is not None
    scheme = foreign_scheme(value)
    if scheme is not None and scheme not in _IDENTIFIER_SCHEMES:
        raise PromptFormatError(
            f"{where}:{entry.field_lines.get(key, entry.line)}: the {_LINK_LABELS[key]} link "
            f"must start with http:// or https://, not '{scheme}:'"
        )
    urls = find_urls(value)
    if not urls:
        return None
    url = urls[0]
    return url if "://" in url else f"https://{url}"


def _to_source(entry: _Entry, role: SourceRole, number: int, where: str) -> Source:
    title = decode_tex_accents(" ".join(entry.fields["title"].split()))
    summary = entry.fields.get("summary")
    return Source(
        id=f"s{number}",
        name=short_name(title),
        title=title,
        kind="model" if role == "recommended" else "paper",
        paper_url=_url(entry, "paper", where),
        github_url=_url(entry, "github", where),
        project_url=_url(entry, "project", where),
        summary=decode_tex_accents(" ".join(summary.split())) if _present(summary) else None,
        role=role,
        provenance=Provenance(origin=where, line=entry.line),
    )


_SHORTEN_AT = re.compile(r"\s+(?:via|using|with|through|by means of)\s+", re.IGNORECASE)


def short_name(title: str) -> str:
    """The name a paper goes by: "Name" of "Name: What it does", or a long title's head."""
    head, sep, _ = title.partition(":")
    if sep and 0 < len(head.split()) <= 5:
        return head.strip()
    if len(title.split()) > 6:
        first = _SHORTEN_AT.split(title, maxsplit=1)[0]
        if 2 <= len(first.split()) <= 6:
            return first.strip()
    return title.strip()


_INSTRUCTIONS = """\
Based on the following recommended models, explain:

1. What task the user is trying to perform.
2. How the model(s) would work in a CNAPS AI-like workflow (input → model → output).
3. List relevant papers and tools (with GitHub or ArXiv links) that support your answer.

Use **only the provided models and papers**. Do not refer to outside sources."""


def render_prompt(request: Request) -> str:
    """The request in the seed format, ready to hand to any language model."""
    parts = [
        "You are an AI scientist.",
        "",
        "A user has asked the following question:",
        f'"{request.question}"',
        "",
        _INSTRUCTIONS,
        "",
        "### Recommended AI Models:",
    ]
    for source in request.recommended:
        parts.extend(_render_entry(source))
    parts.extend(["", "### Related Papers:"])
    for source in request.related:
        parts.extend(_render_entry(source))
        parts.append("")
    parts.extend(["", "Answer:"])
    return "\n".join(parts) + "\n"


def _render_entry(source: Source) -> list[str]:
    lines = [
        f"Model: {source.title}",
        f"Paper: {source.paper_url or 'None'}",
    ]
    if source.github_url or source.role == "recommended":
        lines.append(f"GitHub: {source.github_url or 'None'}")
    if source.project_url:
        lines.append(f"Project: {source.project_url}")
    if source.summary:
        lines.append(f"Summary: {source.summary}")
    return lines
