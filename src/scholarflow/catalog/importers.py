"""Read catalog entries from the files people already have: JSONL, BibTeX, awesome lists, prompts.

Every reader returns one `ParsedLine` per entry it found, in file order: the line where the
entry starts and either a `CatalogEntry` or an `ImportProblem`. Reading never stops at a bad
entry, so the caller decides: abort on the first problem (naming file and line) or skip the
bad ones and report them (`select_entries`). Nothing here touches the store or prints.

Every entry gets the same finishing: a short name, its arXiv id, tasks (given, from the
built-in entry it matches, or inferred from its words), a signature, and its provenance.

`read_catalog_file` is what an import calls: the entries, one per paper (a paper the file
repeats is folded into its first mention by `merge_duplicates`), and an error for a file
that yields none. Real lists are mostly titles and links; every field but the title may be
missing, and the awesome-list reader is built from what real lists do (see `_blocks`).
"""

from __future__ import annotations

import html
import itertools
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import urlsplit

from scholarflow import catalog, taxonomy
from scholarflow.catalog.store import derive_entry_id, entry_key, title_key
from scholarflow.errors import InputError
from scholarflow.models import CatalogEntry, Provenance, Signature, Source, SourceKind
from scholarflow.progress import ProgressCallback
from scholarflow.prompt_format import parse_prompt, short_name
from scholarflow.signatures import infer_tasks
from scholarflow.text import squash

if TYPE_CHECKING:
    from bibtexparser.bparser import BibTexParser

FORMAT_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "jsonl": (".jsonl", ".ndjson"),
    "bibtex": (".bib",),
    "awesome-md": (".md", ".markdown"),
    "prompt": (".txt",),
}
_PROGRESS_EVERY = 100


# --------------------------------------------------------------------------- public types


class CatalogImportError(InputError):
    """A catalog file that cannot be imported (exit 2); the message names the file and line."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class UnknownFormatError(CatalogImportError):
    """The import format could not be told from the file name, or is not one we read."""


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Why the entry starting at `line` of `path` could not be imported."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}: line {self.line}: {self.message}"


class ParsedLine(NamedTuple):
    """One entry of a file: where it starts, and what came of it."""

    line: int
    item: CatalogEntry | ImportProblem


def detect_format(path: Path) -> str:
    """The import format of `path`, from its extension."""
    suffix = path.suffix.lower()
    for fmt, extensions in FORMAT_EXTENSIONS.items():
        if suffix in extensions:
            return fmt
    raise UnknownFormatError(
        f"{path}: cannot tell the import format from the extension {suffix or '(none)'!r}; "
        f"name one of: {_formats_text()}",
        path=str(path),
    )


def read_entries(
    path: Path, fmt: str | None = None, *, on_progress: ProgressCallback | None = None
) -> list[ParsedLine]:
    """Every entry of the file, in file order, each an entry or a problem with its line.

    Raises `CatalogImportError` only for what spoils the whole file (missing, not UTF-8,
    unknown format) and `PromptFormatError` for a prompt file that cannot be parsed at all.
    """
    fmt = fmt or detect_format(path)
    if fmt not in FORMAT_EXTENSIONS:
        raise UnknownFormatError(
            f"{path}: unknown import format {fmt!r}; use one of: {_formats_text()}",
            path=str(path),
        )
    text = _read_text(path)
    drafts = list(_READERS[fmt](text, str(path)))
    origin = str(path)
    parsed: list[ParsedLine] = []
    for done, (line, draft) in enumerate(drafts, 1):
        if isinstance(draft, str):
            parsed.append(ParsedLine(line, ImportProblem(origin, line, draft)))
        else:
            parsed.append(ParsedLine(line, _finish(draft, origin, line)))
        if on_progress is not None and (done % _PROGRESS_EVERY == 0 or done == len(drafts)):
            on_progress(done, len(drafts))
    return parsed


def select_entries(
    parsed: Sequence[ParsedLine], *, skip_bad: bool = False
) -> tuple[list[CatalogEntry], list[ImportProblem]]:
    """The entries to import and the problems passed over.

    Without `skip_bad` the first problem raises `CatalogImportError`, before anything is
    stored, so a bad file leaves the catalog as it was.
    """
    entries: list[CatalogEntry] = []
    problems: list[ImportProblem] = []
    for _, item in parsed:
        if isinstance(item, ImportProblem):
            if not skip_bad:
                raise CatalogImportError(str(item), path=item.path, line=item.line)
            problems.append(item)
        else:
            entries.append(item)
    return entries, problems


@dataclass(frozen=True, slots=True)
class FileEntries:
    """What a catalog file holds, ready to store: one entry per paper, and what was passed."""

    path: Path
    format: str
    entries: list[CatalogEntry]
    skipped: list[ImportProblem]
    duplicates: int  # entries that named a paper already given earlier in the file


def read_catalog_file(
    path: Path,
    fmt: str | None = None,
    *,
    skip_bad: bool = False,
    on_progress: ProgressCallback | None = None,
) -> FileEntries:
    """The entries of a catalog file, one per paper, or `CatalogImportError` naming why not.

    A file that yields no entry at all is an error rather than an import of nothing: it is
    almost always a file in another format, or a list laid out in a way we do not read.
    """
    fmt = fmt or detect_format(path)
    parsed = read_entries(path, fmt, on_progress=on_progress)
    entries, skipped = select_entries(parsed, skip_bad=skip_bad)
    unique, duplicates = merge_duplicates(entries)
    if not unique:
        found = f"{len(skipped)} bad entries and no good one" if skipped else "no entries"
        raise CatalogImportError(
            f"{path}: {found} when read as {fmt} ({_FORMAT_EXPECTS[fmt]}); if the file is in "
            f"another format, name it with --format ({', '.join(FORMAT_EXTENSIONS)})",
            path=str(path),
        )
    return FileEntries(path, fmt, unique, skipped, duplicates)


_FORMAT_EXPECTS = {
    "jsonl": 'one JSON object with a "title" per line',
    "bibtex": "@article{…} or other BibTeX entries with a title",
    "awesome-md": "list items, table rows or title lines with a paper, code or project link",
    "prompt": "a seed-format prompt with Model: entries",
}


def merge_duplicates(entries: Sequence[CatalogEntry]) -> tuple[list[CatalogEntry], int]:
    """One entry per paper, in first-seen order, and how many repeats were folded in.

    Lists often give a paper twice (under two topics). Counting each mention would report
    an update for a paper the file merely repeats, and re-importing would flip its fields
    between the two mentions. Papers are the same as the store decides it: the same arXiv
    id, or the same title where either lacks one. The first mention's fields win; a later
    one fills what it left empty, and adds its tags.
    """
    merged: list[CatalogEntry] = []
    by_arxiv: dict[str, int] = {}
    by_title: dict[str, list[int]] = {}
    for entry in entries:
        arxiv = entry.arxiv_id or catalog.arxiv_id(entry.paper_url)
        key = title_key(entry.title)
        index = by_arxiv.get(arxiv) if arxiv else None
        if index is None:
            index = next(
                (i for i in by_title.get(key, []) if not (arxiv and merged[i].arxiv_id)),
                None,
            )
        if index is None:
            index = len(merged)
            merged.append(entry.model_copy(update={"arxiv_id": arxiv}))
            by_title.setdefault(key, []).append(index)
        else:
            merged[index] = _fold(merged[index], entry.model_copy(update={"arxiv_id": arxiv}))
        if merged[index].arxiv_id:
            by_arxiv.setdefault(merged[index].arxiv_id or "", index)
    return merged, len(entries) - len(merged)


def _fold(first: CatalogEntry, later: CatalogEntry) -> CatalogEntry:
    """`first` with the fields it lacks taken from `later`, and the tags of both."""
    update: dict[str, object] = {
        name: getattr(later, name)
        for name in ("paper_url", "github_url", "project_url", "summary", "arxiv_id")
        if not getattr(first, name) and getattr(later, name)
    }
    update["tags"] = tuple(dict.fromkeys((*first.tags, *later.tags)))
    if not first.tasks and later.tasks:
        update["tasks"] = later.tasks
        update["signatures"] = later.signatures
    return first.model_copy(update=update)


def _formats_text() -> str:
    return ", ".join(
        f"{fmt} ({', '.join(extensions)})" for fmt, extensions in FORMAT_EXTENSIONS.items()
    )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogImportError(f"{path}: no such file", path=str(path)) from None
    except IsADirectoryError:
        raise CatalogImportError(f"{path}: is a directory, not a file", path=str(path)) from None
    except OSError as error:
        raise CatalogImportError(f"{path}: cannot read: {error.strerror}", path=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogImportError(
            f"{path}: line {line}: not UTF-8 text", path=str(path), line=line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- drafts


@dataclass(slots=True)
class _Draft:
    """What a reader found for one entry, before the shared finishing in `_finish`."""

    title: str
    name: str | None = None
    kind: SourceKind = "paper"
    paper_url: str | None = None
    github_url: str | None = None
    project_url: str | None = None
    summary: str | None = None
    tags: tuple[str, ...] = ()
    tasks: tuple[str, ...] | None = None  # None: infer them
    arxiv_id: str | None = None  # when known from elsewhere than the paper link (BibTeX eprint)
    entry_id: str | None = None
    paper_links: list[str] = field(default_factory=list)  # every paper link, in order


# A reader yields (line, draft) or (line, problem message).
_Found = tuple[int, _Draft | str]


def _finish(draft: _Draft, origin: str, line: int) -> CatalogEntry:
    """Name, arXiv id, tasks, signature, provenance and id: the same for every format."""
    title = " ".join(draft.title.split())
    name = " ".join((draft.name or short_name(title)).split())
    summary = " ".join(draft.summary.split()) if draft.summary else None
    # What the entry says about the paper. The built-in match and the task inference read
    # the same fields the entry stores, so they cannot judge a different paper than it holds.
    described: dict[str, Any] = {
        "name": name,
        "title": title,
        "kind": draft.kind,
        "paper_url": draft.paper_url,
        "github_url": draft.github_url,
        "project_url": draft.project_url,
        "summary": summary,
    }
    probe = Source(id="probe", **described)
    known = catalog.match(probe)
    tasks: tuple[str, ...]
    if draft.tasks is not None:
        tasks = draft.tasks
    else:
        tasks = known.tasks if known is not None else infer_tasks(probe)
    entry = CatalogEntry(
        id="pending",
        **described,
        tags=tuple(dict.fromkeys(draft.tags)),
        tasks=tasks,
        signatures=known.signatures if known is not None else _task_signature(tasks),
        arxiv_id=draft.arxiv_id or catalog.arxiv_id(draft.paper_url),
        provenance=Provenance(origin=origin, line=line),
    )
    entry_id = draft.entry_id or derive_entry_id(name, entry_key(entry))
    return entry.model_copy(update={"id": entry_id})


def _task_signature(tasks: tuple[str, ...]) -> tuple[Signature, ...]:
    if not tasks:
        return ()
    task = taxonomy.tasks()[tasks[0]]
    return (task.signature,) if task.signature else ()


# --------------------------------------------------------------------------- JSONL

_JSONL_TEXT_FIELDS = ("name", "summary", "id")
_JSONL_URL_FIELDS = ("paper_url", "github_url", "project_url")


def _read_jsonl(text: str, origin: str) -> Iterator[_Found]:
    # Split on "\n" only: str.splitlines() would also split on U+2028 inside JSON strings.
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"not valid JSON: {error.msg} (column {error.colno})"
            continue
        if not isinstance(value, dict):
            yield number, f"expected a JSON object, found {_json_type(value)}"
            continue
        yield number, _jsonl_draft(value)


def _jsonl_draft(value: dict[str, object]) -> _Draft | str:
    """A draft from one JSON object, or the first thing wrong with it."""
    title = value.get("title")
    if title is None or (isinstance(title, str) and not title.strip()):
        return 'no title: each line needs a non-empty "title"'
    if not isinstance(title, str):
        return f'"title" must be a string, found {_json_type(title)}'
    draft = _Draft(title=title)
    for key in (*_JSONL_TEXT_FIELDS, *_JSONL_URL_FIELDS, "kind", "tags", "tasks"):
        problem = _set_jsonl_field(draft, key, value.get(key))
        if problem:
            return problem
    return draft


def _set_jsonl_field(draft: _Draft, key: str, raw: object) -> str | None:
    if raw is None:
        return None
    if key in ("tags", "tasks"):
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            return f'"{key}" must be a list of strings, found {_json_type(raw)}'
        items = tuple(item.strip() for item in raw if item.strip())
        if key == "tasks":
            unknown = [task for task in items if task not in taxonomy.tasks()]
            if unknown:
                return f"unknown task id {unknown[0]!r} (see taxonomy/tasks.toml for the ids)"
            draft.tasks = items
        else:
            draft.tags = items
        return None
    if not isinstance(raw, str):
        return f'"{key}" must be a string, found {_json_type(raw)}'
    text = raw.strip()
    if key == "kind":
        if text not in ("model", "paper"):
            return f'"kind" must be "model" or "paper", found {text!r}'
        draft.kind = "model" if text == "model" else "paper"
    elif key in _JSONL_URL_FIELDS:
        if text and (any(ch.isspace() for ch in text) or "." not in text):
            return f'"{key}" is not a link: {text[:60]!r}'
        setattr(draft, key, _with_scheme(text) if text else None)
    elif key == "id":
        draft.entry_id = text or None
    else:
        setattr(draft, key, text or None)
    return None


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _with_scheme(url: str) -> str:
    return url if re.match(r"(?i)^[a-z][a-z0-9+.-]*://", url) else f"https://{url}"


# --------------------------------------------------------------------------- BibTeX

_BIB_ENTRY_START = re.compile(r"(?m)^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]")
_BIB_SKIPPED_TYPES = {"comment", "preamble"}
_ARXIV_NUMBER = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
_LATEX_ARGUMENT_COMMANDS = re.compile(
    r"\\(?:textbf|textit|textsl|textsc|texttt|textrm|textsf|textup|textmd|emph|underline|"
    r"mathrm|mathbf|mathit|mathsf|mathtt|mathcal|mathbb|boldsymbol|text|mbox|hbox|url|"
    r"NoCaseChange|MakeUppercase|MakeLowercase)\s*\{([^{}]*)\}"
)
_LATEX_HREF = re.compile(r"\\href\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_LATEX_SWITCHES = re.compile(r"\\(?:em|bf|it|sc|rm|tt|sf|sl|normalfont|relax)\b\s*")
_LATEX_URL = re.compile(r"\\url\s*\{([^{}]*)\}")
_BIB_URL_FIELDS = ("url", "howpublished", "note", "eprint", "doi", "journal", "booktitle")


def _read_bibtex(text: str, origin: str) -> Iterator[_Found]:
    """Each entry is parsed on its own, so one broken entry costs only itself, and its line
    is exact; @string definitions are read in order, as BibTeX itself does."""
    from bibtexparser.bparser import BibTexParser  # imported here: only BibTeX imports pay

    parser = BibTexParser(
        common_strings=True, ignore_nonstandard_types=False, interpolate_strings=False
    )
    parser.expect_multiple_parse = True
    starts = list(_BIB_ENTRY_START.finditer(text))
    for index, start in enumerate(starts):
        kind = start.group(1).lower()
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        if kind in _BIB_SKIPPED_TYPES:
            continue
        line = text.count("\n", 0, start.start()) + 1
        fields = _parse_bib_chunk(parser, text[start.start() : end])
        if kind == "string":
            continue
        if isinstance(fields, str):
            yield line, fields
        else:
            yield line, _bib_draft(fields)


def _parse_bib_chunk(parser: BibTexParser, chunk: str) -> dict[str, str] | str:
    """The fields of the one entry in `chunk` as text, or why it could not be read."""
    from bibtexparser.bibdatabase import UndefinedString
    from pyparsing import ParseException

    database = parser.bib_database
    before = len(database.entries)
    try:
        parser.parse(chunk)
    except ParseException as error:
        return f"could not read this BibTeX entry: {error.msg}"
    except UndefinedString as error:  # raised only when a value is interpolated
        return f"undefined BibTeX string {error}"
    added = database.entries[before:]
    if not added:
        return "could not read this BibTeX entry (check its braces and the comma after its key)"
    return {key: _bib_value_text(value) for key, value in added[0].items()}


def _bib_value_text(value: object) -> str:
    """A field value as text; an undefined macro (`month = foo`) stays as its name."""
    from bibtexparser.bibdatabase import BibDataString, BibDataStringExpression, UndefinedString

    if isinstance(value, str):
        return value
    if isinstance(value, BibDataStringExpression):
        return "".join(_bib_value_text(part) for part in value.expr)
    if isinstance(value, BibDataString):
        try:
            return str(value.get_value())
        except UndefinedString:
            return value.name
    return str(value)


def _bib_draft(fields: dict[str, str]) -> _Draft | str:
    title = latex_to_text(fields.get("title", ""))
    if not title:
        return f"BibTeX entry {fields.get('ID', '')!r} has no title"
    draft = _Draft(title=title)
    draft.arxiv_id = _bib_arxiv_id(fields)
    links = [url for key in _BIB_URL_FIELDS for url in _bib_links(key, fields.get(key, ""))]
    if draft.arxiv_id:
        links.append(f"https://arxiv.org/abs/{draft.arxiv_id}")
    doi = fields.get("doi", "").strip()
    if doi and not doi.lower().startswith("http"):
        links.append(f"https://doi.org/{doi}")
    _assign_bib_links(draft, links)
    abstract = latex_to_text(fields.get("abstract", ""))
    draft.summary = abstract or None
    draft.tags = tuple(
        tag.lower() for tag in (latex_to_text(t) for t in _split_keywords(fields)) if tag
    )
    return draft


def _bib_arxiv_id(fields: dict[str, str]) -> str | None:
    """The arXiv id an entry names: its eprint (when the archive is arXiv or unnamed), or an
    "arXiv preprint arXiv:…" in journal, note or booktitle, as Google Scholar writes it."""
    archive = fields.get("archiveprefix", fields.get("eprinttype", "arxiv")).lower()
    eprint = fields.get("eprint", "")
    if "arxiv" in archive or "arxiv" in eprint.lower():
        found = _ARXIV_NUMBER.search(eprint)
        if found:
            return found.group(1)
    for key in ("journal", "note", "booktitle", "howpublished", "url"):
        value = fields.get(key, "")
        if "arxiv" in value.lower():
            found = _ARXIV_NUMBER.search(value)
            if found:
                return found.group(1)
    return None


def _bib_links(key: str, value: str) -> list[str]:
    if key in ("eprint", "doi", "journal", "booktitle"):
        return []  # these name ids, not links; handled by _bib_arxiv_id and the doi rule
    value = _LATEX_URL.sub(r" \1 ", value)
    return [match.rstrip(".,;}") for match in re.findall(r"https?://[^\s{}\"<>]+", value)]


def _assign_bib_links(draft: _Draft, links: list[str]) -> None:
    """Sort a BibTeX entry's links into paper, code and project; its first other link is
    its paper, since a reference's url is where the work itself lives."""
    others: list[str] = []
    for url in links:
        kind = classify_link(url)
        if kind == "code" and draft.github_url is None:
            draft.github_url = _repository_link(url)
        elif kind == "project" and draft.project_url is None:
            draft.project_url = url
        elif kind == "paper" and draft.paper_url is None:
            draft.paper_url = url
        elif kind == "other":
            others.append(url)
    if draft.paper_url is None and others:
        draft.paper_url = others[0]


def _split_keywords(fields: dict[str, str]) -> list[str]:
    raw = fields.get("keywords", fields.get("keyword", ""))
    return [part.strip() for part in re.split(r"[,;]", raw) if part.strip()]


def latex_to_text(value: str) -> str:
    """Plain Unicode text from a BibTeX value: accents composed, markup and braces gone."""
    from bibtexparser.latexenc import latex_to_unicode

    text = _LATEX_HREF.sub(r"\2", value)
    previous = None
    while previous != text:  # nested markup: \textbf{\emph{x}}
        previous = text
        text = _LATEX_ARGUMENT_COMMANDS.sub(r"\1", text)
    text = _LATEX_SWITCHES.sub("", text)
    text = latex_to_unicode(text)
    text = text.replace("~", " ").replace("$", "")
    text = re.sub(r"\\([A-Za-z]+)\s*", r"\1", text)  # unknown commands: keep the word
    text = text.replace("\\", "").replace("{", "").replace("}", "")
    # {\'\i} is an accent on a dotless i; with the accent composed it is a plain í.
    text = re.sub("\u0131(?=[\u0300-\u036f])", "i", text)
    return " ".join(unicodedata.normalize("NFC", text).split())


# --------------------------------------------------------------------------- links

LinkKind = Literal["paper", "code", "project", "other"]

_PAPER_HOSTS = (
    "openreview.net",
    "aclanthology.org",
    "aclweb.org",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "openaccess.thecvf.com",
    "proceedings.mlr.press",
    "dl.acm.org",
    "doi.org",
    "ieeexplore.ieee.org",
    "link.springer.com",
    "ecva.net",
    "ojs.aaai.org",
    "ijcai.org",
    "jmlr.org",
    "biorxiv.org",
    "medrxiv.org",
    "semanticscholar.org",
    "sciencedirect.com",
)
_GITHUB_NON_REPOSITORY_OWNERS = {
    "about",
    "apps",
    "collections",
    "features",
    "marketplace",
    "orgs",
    "search",
    "settings",
    "site",
    "sponsors",
    "topics",
    "trending",
}
_GITHUB_REPOSITORY_PAGES = {"stargazers", "network", "watchers", "forks", "fork", "issues", "pulls"}


def classify_link(url: str) -> LinkKind:
    """What a link points at: a paper, a code repository, a project page, or something else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "other"
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path
    segments = [segment for segment in path.split("/") if segment]
    if host == "github.com":
        is_repository = len(segments) >= 2 and segments[0] not in _GITHUB_NON_REPOSITORY_OWNERS
        return "code" if is_repository else "other"
    if path.lower().endswith(".pdf"):
        return "paper"  # a PDF is the paper, on a project site too
    if host.endswith(".github.io"):
        return "project"
    if host.endswith("arxiv.org"):
        has_paper = bool(segments) and segments[0] in {"abs", "pdf", "html", "format"}
        return "paper" if has_paper else "other"
    if host == "huggingface.co" and segments[:1] == ["papers"]:
        return "paper"
    if any(host == known or host.endswith("." + known) for known in _PAPER_HOSTS):
        return "paper"
    if path.lower().endswith(".pdf"):
        return "paper"
    return "other"


def _repository_link(url: str) -> str:
    """A GitHub link as written, but a badge's /stargazers page becomes the repository."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) >= 3 and segments[2] in _GITHUB_REPOSITORY_PAGES:
        return f"{parts.scheme}://{parts.netloc}/{segments[0]}/{segments[1]}"
    return url


def _repository_name(url: str) -> str:
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    return segments[1].removesuffix(".git") if len(segments) >= 2 else ""


# --------------------------------------------------------------------------- Markdown inline


@dataclass(frozen=True, slots=True)
class _Link:
    text: str  # visible text, cleaned; "" for badges, images and bare URLs
    url: str
    badge: bool = False
    label: str = ""  # a badge's alt text ("arXiv", "Website"): what the link is, never a title

    @property
    def kind(self) -> LinkKind:
        """What the link points at, from its address; where the address says nothing
        (an "other" host), from what the list calls it: "[📄 Paper](…)", a "Website" badge."""
        kind = classify_link(self.url)
        if kind != "other" or not _is_web_address(self.url):
            return kind
        words = _plain_words(self.label or self.text)
        if words in _PAPER_LINK_TEXTS:
            return "paper"
        if words in _PROJECT_LINK_TEXTS:
            return "project"
        return kind


_INLINE_TOKEN = re.compile(
    r"""
    (?P<badge>\[\s*!\[(?P<badge_alt>[^\]]*)\]\([^)]*\)\s*\]\(\s*<?(?P<badge_url>[^)\s>]+)>?[^)]*\))
    | (?P<image>!\[[^\]]*\]\([^)]*\))
    | (?P<html_img><img\b[^>]*>)
    | (?P<html_a><a\b[^>]*?href\s*=\s*["'](?P<a_url>[^"']+)["'][^>]*>(?P<a_text>.*?)</a\s*>)
    | (?P<link>\[(?P<link_text>(?:[^\[\]]|\[[^\[\]]*\])*)\]
        \(\s*<?(?P<link_url>[^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\))
    | (?P<ref>\[(?P<ref_text>[^\[\]]+)\]\[(?P<ref_id>[^\[\]]*)\])
    | (?P<auto><(?P<auto_url>https?://[^>\s]+)>)
    | (?P<bare>https?://[^\s<>()\[\]"'`]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_REFERENCE_DEFINITION = re.compile(r"^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?\s*$")

Segment = str | _Link


def _segments(text: str, references: dict[str, str]) -> list[Segment]:
    """Inline Markdown cut into plain text and links, in order; images vanish."""
    segments: list[Segment] = []
    position = 0
    for match in _INLINE_TOKEN.finditer(text):
        segments.append(text[position : match.start()])
        position = match.end()
        link = _link_from_match(match, references)
        if link is not None:
            segments.append(link)
        elif match.group("ref"):
            segments.append(match.group("ref_text"))  # an unresolved [text][ref] is text
        else:
            segments.append(" ")
    segments.append(text[position:])
    return [segment for segment in segments if segment != ""]


def _link_from_match(match: re.Match[str], references: dict[str, str]) -> _Link | None:
    if match.group("badge"):
        label = _inline_text(match.group("badge_alt"))
        return _Link("", match.group("badge_url"), badge=True, label=label)
    if match.group("html_a"):
        return _Link(_inline_text(match.group("a_text")), html.unescape(match.group("a_url")))
    if match.group("link"):
        return _Link(_inline_text(match.group("link_text")), match.group("link_url"))
    if match.group("ref"):
        ref_id = (match.group("ref_id") or match.group("ref_text")).strip().lower()
        url = references.get(ref_id)
        return _Link(_inline_text(match.group("ref_text")), url) if url else None
    if match.group("auto"):
        return _Link("", match.group("auto_url"))
    if match.group("bare"):
        return _Link("", match.group("bare").rstrip(".,;:!?*_~"))
    return None  # images


_EMOJI_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
_HTML_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3}|~~|`+)")
_EDGE_PUNCTUATION = "-–—:|,;.·•/\\ \t"


def _inline_text(text: str) -> str:
    """Visible text of inline Markdown with no link markup: no emphasis, HTML or emoji."""
    text = _HTML_TAG.sub(" ", html.unescape(text))
    text = _EMOJI_SHORTCODE.sub(" ", text)
    text = _EMPHASIS.sub("", text)
    text = "".join(ch for ch in text if not _is_emoji(ch))
    return " ".join(text.split())


def _is_emoji(ch: str) -> bool:
    if ch in "\u200d\ufe0f\ufe0e\u20e3":  # joiners and variation selectors
        return True
    # Symbols from U+2100 on are emoji and pictographs; "°", "©" and "®" below that are text.
    category = unicodedata.category(ch)
    return (category == "So" and ord(ch) >= 0x2100) or 0x1F3FB <= ord(ch) <= 0x1F3FF


def _tidy(text: str) -> str:
    """Strip the leftovers of removed links: empty brackets, separators at the ends."""
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"\[\s*[|,/]?\s*\]|\(\s*[|,/]?\s*\)|【\s*】", " ", text)
        text = re.sub(r"\s*\|\s*(\|\s*)+", " | ", text)
        text = " ".join(text.split()).strip(_EDGE_PUNCTUATION)
    return text


# Link texts that say what a link is, not what the work is called: never a title.
_GENERIC_LINK_TEXTS = frozenset(
    {
        "abs",
        "abstract",
        "arxiv",
        "bibtex",
        "blog",
        "checkpoint",
        "checkpoints",
        "citation",
        "code",
        "colab",
        "data",
        "dataset",
        "demo",
        "doi",
        "github",
        "hf",
        "home",
        "home page",
        "homepage",
        "html",
        "hugging face",
        "huggingface",
        "link",
        "model",
        "models",
        "official",
        "official code",
        "openreview",
        "page",
        "paper",
        "pdf",
        "poster",
        "project",
        "project page",
        "project website",
        "pytorch",
        "repo",
        "repository",
        "slides",
        "star",
        "stars",
        "supp",
        "supplementary",
        "talk",
        "twitter",
        "unofficial code",
        "video",
        "webpage",
        "website",
        "weights",
        "youtube",
    }
)
_VENUE_WORD = (
    r"(?:arxiv|cvpr|iccv|eccv|neurips|nips|iclr|icml|siggraph(?:\s+asia)?|aaai|ijcai|wacv|"
    r"bmvc|3dv|tog|tpami|ijcv|acl|emnlp|naacl|accv|icra|iros|corl|mm|acm\s*mm|tvcg|preprint)"
)
_VENUE_TEXT = re.compile(rf"(?i)^\s*{_VENUE_WORD}?\s*'?\s*(?:\d{{2}}|\d{{4}})?\s*$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_TRAILING_VENUE = re.compile(
    rf"(?i)[\s.,;]*(?:\(\s*{_VENUE_WORD}[^()]*\)|\(\s*(?:19|20)\d{{2}}\s*\)|"
    rf"\(\s*{_MONTH},?\s*(?:19|20)\d{{2}}[^()]*\)|"  # "(Apr., 2025 | CVPR 2025)"
    rf"\b{_VENUE_WORD}\b\s*'?\s*(?:\d{{4}}|\d{{2}}))\s*\.?$"
)
_PROJECT_LINK_TEXTS = {
    "project",
    "project page",
    "project website",
    "website",
    "homepage",
    "home page",
    "page",
    "webpage",
}
_PAPER_LINK_TEXTS = {"paper", "pdf", "arxiv", "arxiv paper", "paper pdf", "preprint"}
_CITATION_LINK_TEXTS = {"bibtex", "bibtext", "bib", "citation", "citations", "cite", "cite this"}
_CODE_LINK_TEXTS = {"code", "github", "star", "stars", "github stars", "repo", "repository"}


def _plain_words(text: str) -> str:
    """ "📄 Paper" → "paper"; "Project-Page" → "project page"."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", _inline_text(text).lower()).split())


def _is_web_address(url: str) -> bool:
    return re.match(r"(?i)https?://[^/\s]+\.[^/\s]+", url) is not None


def _is_generic(text: str) -> bool:
    words = text.strip("[]()【】 ").lower()
    words = " ".join(re.sub(r"[^\w\s]", " ", words).split())
    if not words or words in _GENERIC_LINK_TEXTS:
        return True
    if re.fullmatch(r"(?:arxiv )?\d{4} \d{4,5}(?:v\d+)?", words):  # "arXiv:2409.02095"
        return True
    return bool(_VENUE_TEXT.match(words)) or words.startswith(("http ", "https "))


def _usable_text(link: _Link) -> str:
    """A link's text when it could be a title, else ""."""
    if link.badge or _is_generic(link.text):
        return ""
    if link.kind == "code" and link.text.strip("/").count("/") == 1 and " " not in link.text:
        return _repository_name(link.url)  # "owner/repo" as text: the repository is the name
    return link.text


# --------------------------------------------------------------------------- awesome-md

BlockKind = Literal["item", "row", "paragraph"]


@dataclass
class _Block:
    """A list item (with its continuation lines), a table row, or a paragraph, with its
    heading path. A paragraph is kept only for the title-then-links layout:

        **A Paper Title**                     ### A Paper Title
        [📄 Paper](…) | [💻 Code](…)          [Paper](…) [Code](…)
    """

    line: int
    text: str
    tags: tuple[str, ...]
    kind: BlockKind = "item"
    indent: int = 0
    parent: _Block | None = None
    cells: list[str] | None = None  # table rows only
    headers: list[str] | None = None
    lines: list[str] = field(default_factory=list)  # paragraphs only: each line as written
    given_title: str | None = None  # paragraphs: a heading or a lone line just above it
    title_is_heading: bool = False
    absorbed: list[_Link] = field(default_factory=list)  # links of untitled sub-items
    absorbed_into_parent: bool = False


_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
# `<details><summary>Faster Inference</summary>` groups items like a heading does.
_SUMMARY_LINE = re.compile(r"(?i)^\s*(?:<details[^>]*>\s*)?<summary[^>]*>(.*?)</summary>\s*$")
_DETAILS_END = re.compile(r"(?i)^\s*</details>\s*$")
_SUMMARY_LEVEL = 7  # below every Markdown heading
_CONTENTS_HEADINGS = frozenset({"contents", "table of contents", "toc", "index", "outline"})
_TITLE_COLUMNS = ("title", "paper", "name", "model", "method", "work")
_SUMMARY_COLUMNS = ("description", "summary", "abstract", "highlight", "tl;dr", "tldr", "note")
_MIN_SUMMARY_WORDS = 6  # shorter leftovers are venues and author lists, not descriptions
_MAX_TITLE_WORDS = 30  # a longer line above a link is prose, not a title
# Where a named link without a paper or code link is still the work's own page: not a video,
# a post, a notebook or a profile.
_NOT_A_WORK_PAGE = (
    "youtube.com",
    "youtu.be",
    "vimeo.com",
    "bilibili.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "facebook.com",
    "instagram.com",
    "reddit.com",
    "medium.com",
    "zhihu.com",
    "weixin.qq.com",
    "kaggle.com",
    "colab.research.google.com",
    "wikipedia.org",
    "discord.gg",
    "discord.com",
    "t.me",
    "img.shields.io",
)
# A model's page on a hub is its own page, as a repository is its code.
_MODEL_HUBS = ("huggingface.co", "modelscope.cn", "civitai.com", "replicate.com")
# What makes an item a paper when its only link is a web page: authors or a date.
_PAPER_SIGNAL = re.compile(r"(?i)\bet\s*al\b|(?<!\d)(?:19|20)\d{2}(?!\d)")


def _read_awesome_md(text: str, origin: str) -> Iterator[_Found]:
    lines = text.split("\n")
    references = _reference_definitions(lines)
    blocks = _blocks(lines)
    for block in blocks:
        if block.kind == "item":
            _absorb_untitled(block, references)
    found: list[_Found] = []
    for block in blocks:
        if block.absorbed_into_parent:
            continue
        if block.kind == "row":
            draft = _table_row_draft(block, references)
        elif block.kind == "paragraph":
            draft = _paragraph_draft(block, references)
        else:
            draft = _list_item_draft(block, references)
        if draft is not None:
            found.append((block.line, draft))
    _settle_arxiv_claims([draft for _, draft in found if isinstance(draft, _Draft)])
    yield from found


def _reference_definitions(lines: list[str]) -> dict[str, str]:
    definitions: dict[str, str] = {}
    for line in lines:
        match = _REFERENCE_DEFINITION.match(line)
        if match and re.match(r"(?i)https?://", match.group(2)):
            definitions.setdefault(match.group(1).strip().lower(), match.group(2))
    return definitions


class _Outline:
    """The document's structure while it is read: the heading path and the open list items
    and paragraph, so that `_blocks` reads as one pass over the lines."""

    def __init__(self, blocks: list[_Block]) -> None:
        self.blocks = blocks
        self.headings: list[tuple[int, str]] = []
        self.open_items: list[_Block] = []
        self.paragraph: list[tuple[int, str]] = []
        # A heading or a lone short line that a following paragraph of links may belong to.
        self.pending_title: tuple[str, bool] | None = None  # (text, is_heading)

    def tags(self) -> tuple[str, ...]:
        return tuple(tag for _, tag in self.headings)

    def end_paragraph(self) -> None:
        """Close the open paragraph: a block if it can hold an entry, else maybe a title."""
        if not self.paragraph:
            return
        lines = [text for _, text in self.paragraph]
        start = self.paragraph[0][0]
        self.paragraph = []
        pending, self.pending_title = self.pending_title, None
        given, is_heading = pending if pending and _is_links_line(lines[0]) else (None, False)
        if given is None and len(lines) == 1 and _is_title_line(lines[0]):
            self.pending_title = (lines[0], False)
            return
        block = _Block(start, " ".join(lines), self.tags(), "paragraph", lines=lines)
        block.given_title, block.title_is_heading = given, is_heading
        self.blocks.append(block)

    def end_structure(self) -> None:
        self.end_paragraph()
        self.open_items.clear()
        self.pending_title = None


def _blocks(lines: list[str]) -> list[_Block]:
    """Cut the document into list items, table rows and paragraphs, each tagged with its
    heading path (and `<summary>` group)."""
    blocks: list[_Block] = []
    outline = _Outline(blocks)
    in_fence = in_comment = previous_blank = False
    number = 0
    while number < len(lines):
        line = lines[number]
        number += 1
        if _FENCE.match(line):
            in_fence = not in_fence
            outline.end_structure()
            continue
        if in_fence:
            continue
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if not line.strip():
            outline.end_paragraph()
            previous_blank = True
            continue
        heading = _HEADING.match(line)
        summary = _SUMMARY_LINE.match(line)
        if _THEMATIC_BREAK.match(line):
            outline.end_structure()
        elif heading:
            outline.end_structure()
            level = len(heading.group(1))
            _enter_heading(outline.headings, level, heading.group(2))
            if level >= 2:  # the level-1 heading names the list itself
                outline.pending_title = (heading.group(2), True)
        elif summary:
            outline.end_structure()
            _enter_heading(outline.headings, _SUMMARY_LEVEL, summary.group(1))
        elif _DETAILS_END.match(line):
            outline.end_structure()
            while outline.headings and outline.headings[-1][0] >= _SUMMARY_LEVEL:
                outline.headings.pop()
        elif _starts_table(lines, number - 1):
            outline.end_structure()
            number = _read_table(lines, number - 1, outline.tags(), blocks)
        elif item := _LIST_ITEM.match(line):
            outline.end_paragraph()
            outline.pending_title = None
            indent = len(item.group(1).expandtabs(4))
            open_items = outline.open_items
            while open_items and open_items[-1].indent >= indent:
                open_items.pop()
            parent = open_items[-1] if open_items else None
            block = _Block(number, item.group(2), outline.tags(), "item", indent, parent)
            blocks.append(block)
            open_items.append(block)
        elif outline.open_items and (not previous_blank or line[:1] in " \t"):
            outline.open_items[-1].text += " " + line.strip()  # a continuation line of the item
        else:
            outline.open_items.clear()  # a paragraph ends the list
            outline.paragraph.append((number, line.strip()))
        previous_blank = False
    outline.end_paragraph()
    return blocks


def _enter_heading(headings: list[tuple[int, str]], level: int, text: str) -> None:
    while headings and headings[-1][0] >= level:
        headings.pop()
    tag = _heading_tag(text)
    # The level-1 heading is the list's own title, and a table of contents is no topic.
    if level >= 2 and tag and tag not in _CONTENTS_HEADINGS:
        headings.append((level, tag))


def _heading_tag(text: str) -> str:
    """ "## 🎥 Video Depth Estimation:" → "video depth estimation"."""
    visible = "".join(
        segment if isinstance(segment, str) else segment.text for segment in _segments(text, {})
    )
    visible = _inline_text(visible)
    visible = re.sub(r"^\s*(?:\d+(?:\.\d+)*|[ivx]+)[.)]?\s+", "", visible, flags=re.I)
    return visible.strip(_EDGE_PUNCTUATION + "!?").lower()


def _starts_table(lines: list[str], index: int) -> bool:
    return (
        "|" in lines[index]
        and index + 1 < len(lines)
        and bool(_TABLE_SEPARATOR.match(lines[index + 1]))
        and "-" in lines[index + 1]
    )


def _read_table(lines: list[str], index: int, tags: tuple[str, ...], out: list[_Block]) -> int:
    """Read a table starting at `index` (its header); returns the index after its last row."""
    headers = [_inline_text(cell).lower() for cell in _table_cells(lines[index])]
    row_index = index + 2
    while row_index < len(lines) and "|" in lines[row_index] and lines[row_index].strip():
        cells = _table_cells(lines[row_index])
        out.append(
            _Block(row_index + 1, " | ".join(cells), tags, "row", cells=cells, headers=headers)
        )
        row_index += 1
    return row_index


def _table_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.replace("\\|", "|").strip() for cell in re.split(r"(?<!\\)\|", body)]


def _absorb_untitled(block: _Block, references: dict[str, str]) -> None:
    """A sub-item made only of links ("- [Paper](…) [Code](…)") belongs to the item above."""
    if block.parent is None or block.parent.kind != "item":
        return
    segments = _segments(block.text, references)
    links = [segment for segment in segments if isinstance(segment, _Link)]
    if not links or _item_title(block.text, segments):
        return
    block.parent.absorbed.extend(links)
    block.absorbed_into_parent = True


def _list_item_draft(block: _Block, references: dict[str, str]) -> _Draft | str | None:
    segments = _segments(block.text, references)
    links = [segment for segment in segments if isinstance(segment, _Link)] + block.absorbed
    draft = _draft_from_links(links, block.tags, page=_work_page(block.text, segments))
    if draft is None:
        return None  # no paper, code or project link: not an entry, and not a problem
    title = _item_title(block.text, segments) or _code_name(draft)
    if not title:
        return "a paper link but no title (give the item some text or a named link)"
    draft.title = title
    draft.summary = _description(segments, title)
    return draft


def _paragraph_draft(block: _Block, references: dict[str, str]) -> _Draft | str | None:
    """The title-then-links layout: a title line (or the heading or lone line above), then
    lines made only of links; any prose after the links is the summary."""
    lines = block.lines
    if block.given_title is not None:
        title_line, rest = block.given_title, lines
    elif len(lines) >= 2 and _is_title_line(lines[0]) and _is_links_line(lines[1]):
        title_line, rest = lines[0], lines[1:]
    else:
        return None  # prose, badges or a caption: not an entry
    link_lines = list(itertools.takewhile(_is_links_line, rest))
    title_segments = _segments(title_line, references)
    links = [s for s in title_segments if isinstance(s, _Link)]
    for line in link_lines:
        links += [s for s in _segments(line, references) if isinstance(s, _Link)]
    tags = block.tags
    if block.title_is_heading and tags and tags[-1] == _heading_tag(title_line):
        tags = tags[:-1]  # a heading that titles one paper is not a topic
    draft = _draft_from_links(links, tags)
    if draft is None:
        return None
    title = _item_title(title_line, title_segments) or _code_name(draft)
    if not title:
        return "a paper link but no title (give the line above the links some text)"
    draft.title = title
    prose = _tidy(
        _plain(_segments(" ".join(rest[len(link_lines) :]), references), keep_link_text=True)
    )
    draft.summary = prose if len(prose.split()) >= _MIN_SUMMARY_WORDS else None
    return draft


def _is_links_line(line: str) -> bool:
    """A line made only of links, badges and the separators and labels between them, with
    at least one link that is not a decoration (a "PRs welcome" or licence badge)."""
    segments = _segments(line, {})
    if not any(isinstance(segment, _Link) and _names_a_work(segment) for segment in segments):
        return False
    leftover = _plain(segments, keep_link_text=False)
    leftover = _tidy(re.sub(r"[\[\]()【】|·•,;/]", " ", leftover))
    return not leftover or _is_generic(leftover)


def _names_a_work(link: _Link) -> bool:
    """A plain link, or a badge that says it leads to the paper, code or page."""
    if not link.badge:
        return True
    words = _plain_words(link.label)
    return words in _PAPER_LINK_TEXTS or words in _PROJECT_LINK_TEXTS or words in _CODE_LINK_TEXTS


def _is_title_line(line: str) -> bool:
    """A line that can be a paper's title: some words, not a sentence leading into a list."""
    if _is_links_line(line):
        return False
    text = _inline_text(_plain(_segments(line, {}), keep_link_text=True))
    words = text.split()
    return 0 < len(words) <= _MAX_TITLE_WORDS and not text.endswith(":")


def _table_row_draft(block: _Block, references: dict[str, str]) -> _Draft | str | None:
    assert block.cells is not None and block.headers is not None
    cell_segments = [_segments(cell, references) for cell in block.cells]
    links = [s for segments in cell_segments for s in segments if isinstance(s, _Link)]
    title_at = _column(block.headers, _TITLE_COLUMNS) or 0
    page = None
    if title_at < len(block.cells):
        page = _work_page(block.text, cell_segments[title_at])
    draft = _draft_from_links(links, block.tags, page=page)
    if draft is None:
        return None
    title = ""
    if title_at < len(block.cells):
        title = _item_title(block.cells[title_at], cell_segments[title_at])
    title = title or next((_usable_text(link) for link in links if _usable_text(link)), "")
    title = title or _code_name(draft)
    if not title:
        return "a table row with a paper link but no title"
    draft.title = title
    summary_at = _column(block.headers, _SUMMARY_COLUMNS)
    if summary_at is not None and summary_at < len(block.cells):
        summary = _tidy(_plain(cell_segments[summary_at], keep_link_text=True))
        draft.summary = summary or None
    return draft


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    """The first column named like `names[0]`, else like `names[1]`, and so on."""
    for name in names:
        for index, header in enumerate(headers):
            if name in header:
                return index
    return None


def _work_page(text: str, segments: list[Segment]) -> _Link | None:
    """The page an item's title links to, when the item reads like a paper (authors or a
    date beside it) and the page is the work's own (not a video, a post or a profile).

    Many lists link a paper's title to its project page only ("[NeRF in the Wild](…),
    Martin-Brualla et al., CVPR 2021"); without this rule such items would be dropped.
    """
    link = _leading_link(segments)
    if link is None or link.kind in ("paper", "code") or not _usable_text(link):
        return None
    if not _is_web_address(link.url):
        return None
    host = (urlsplit(link.url).hostname or "").lower().removeprefix("www.")
    if any(host == blocked or host.endswith("." + blocked) for blocked in _NOT_A_WORK_PAGE):
        return None
    if link.kind == "project" or any(host.endswith(hub) for hub in _MODEL_HUBS):
        return link
    around = _plain(segments, keep_link_text=False)
    return link if _PAPER_SIGNAL.search(around) else None


def _draft_from_links(
    links: list[_Link], tags: tuple[str, ...], *, page: _Link | None = None
) -> _Draft | None:
    """Paper, code and project links of an item; None when it has none of paper, code and
    `page` (the title's link to the work's own page)."""
    draft = _Draft(title="", tags=tags)
    for link in links:
        if _plain_words(link.label or link.text) in _CITATION_LINK_TEXTS:
            continue  # "[bibtex](…/awesome-NeRF/blob/main/citations/x.txt)": the list's file
        kind = link.kind
        if kind == "paper":
            draft.paper_links.append(link.url)
            if draft.paper_url is None:
                draft.paper_url = link.url  # kept as written: abs or pdf
            draft.arxiv_id = draft.arxiv_id or catalog.arxiv_id(link.url)
        elif kind == "code" and draft.github_url is None:
            draft.github_url = _repository_link(link.url)
        elif kind == "project" and draft.project_url is None:
            draft.project_url = link.url
    if draft.paper_url is None and draft.github_url is None and page is None:
        return None
    if draft.project_url is None and page is not None:
        draft.project_url = page.url  # the title's own page ("[NoPe-NeRF](lab page), …")
    return draft


def _settle_arxiv_claims(drafts: list[_Draft]) -> None:
    """Give each arXiv id to one paper of the file: an item's arXiv link that another,
    differently titled item also gives is a copy-paste slip of the list.

    Items with one arXiv id claim it first (the first such item in file order wins); an
    item with several then takes the first one nobody else claimed ("[Paper2Video](…/
    2503.14378) … [arXiv](…/2510.05096)" where 2503.14378 is another item's). An item left
    with no arXiv id of its own keeps its other links.
    """
    owners: dict[str, _Draft] = {}

    def ids_of(draft: _Draft) -> list[str]:
        found = (catalog.arxiv_id(url) for url in draft.paper_links)
        return list(dict.fromkeys(arxiv for arxiv in found if arxiv))

    def free(arxiv: str, draft: _Draft) -> bool:
        owner = owners.get(arxiv)
        return owner is None or owner is draft or _same_paper(owner, draft)

    for several in (False, True):
        for draft in drafts:
            candidates = ids_of(draft)
            if not candidates or (len(candidates) > 1) != several:
                continue
            chosen = next((arxiv for arxiv in candidates if free(arxiv, draft)), None)
            if chosen is not None:
                owners.setdefault(chosen, draft)
            if chosen != draft.arxiv_id:
                _use_arxiv(draft, chosen)


def _use_arxiv(draft: _Draft, arxiv: str | None) -> None:
    """Make `arxiv` the draft's paper (None: its first paper link that is not on arXiv)."""
    draft.arxiv_id = arxiv
    draft.paper_url = next(
        (url for url in draft.paper_links if catalog.arxiv_id(url) == arxiv),
        None,
    )
    if arxiv is None:
        draft.paper_links = [url for url in draft.paper_links if not catalog.arxiv_id(url)]
        draft.paper_url = draft.paper_links[0] if draft.paper_links else None


_MIN_TITLE_OVERLAP = 20  # letters: a title inside another names the same paper above this


def _same_paper(first: _Draft, second: _Draft) -> bool:
    """Whether two items of one file name the same paper: the same title, one title within
    the other, or the same short name ("DepthCrafter", "DepthCrafter: Generating …")."""
    first_title, second_title = squash(first.title), squash(second.title)
    shorter, longer = sorted((first_title, second_title), key=len)
    if shorter == longer or (len(shorter) >= _MIN_TITLE_OVERLAP and shorter in longer):
        return True  # "One-Shot Motion …" and "Customize-A-Video: One-Shot Motion …"
    first_name, second_name = squash(short_name(first.title)), squash(short_name(second.title))
    return bool(first_name) and first_name == second_name


def _item_title(text: str, segments: list[Segment]) -> str:
    """An item's title: the named link it opens with, else its bold text, else its own words,
    else the first named link anywhere in it."""
    leading = _leading_link(segments)
    if leading is not None and _usable_text(leading):
        return _strip_venue(_usable_text(leading))
    bold = re.search(r"\*\*(.+?)\*\*|__(.+?)__|<b>(.+?)</b>|<strong>(.+?)</strong>", text)
    if bold:
        inner = next(group for group in bold.groups() if group)
        title = _tidy(_plain(_segments(inner, {}), keep_link_text=True))
        if title and not _is_generic(title):
            return _strip_venue(title)
    own_words = _tidy(_before_separator(_plain(segments, keep_link_text=False)))
    if own_words and not _is_generic(own_words):
        return _strip_venue(own_words)
    named = [_usable_text(s) for s in segments if isinstance(s, _Link) and _usable_text(s)]
    return _strip_venue(named[0]) if named else ""


def _leading_link(segments: list[Segment]) -> _Link | None:
    """The link an item starts with, looking past brackets, emoji and emphasis."""
    for segment in segments:
        if isinstance(segment, _Link):
            if segment.badge:
                continue
            return segment
        if _inline_text(_without_labels(segment)).strip("[]()【】" + _EDGE_PUNCTUATION):
            return None
    return None


def _plain(segments: list[Segment], *, keep_link_text: bool) -> str:
    parts = []
    for segment in segments:
        if isinstance(segment, str):
            parts.append(segment)
        elif keep_link_text and not segment.badge and not _is_generic(segment.text):
            parts.append(segment.text)
        else:
            parts.append(" ")
    return _inline_text(" ".join(parts))


def _before_separator(text: str) -> str:
    """ "Marigold - diffusion depth" → "Marigold": a dash between spaces ends a title."""
    return re.split(r"\s+[-–—]\s+", text, maxsplit=1)[0]


def _description(segments: list[Segment], title: str) -> str | None:
    """What an item says after its title ("- [X](…) - what X does"), when it says enough."""
    text = _plain(segments, keep_link_text=True)
    at = text.find(title)
    rest = text[at + len(title) :] if at >= 0 else ""
    rest = _tidy(re.sub(r"^\s*[-–—:]\s*", "", rest))
    if len(_TRAILING_VENUE.sub("", rest).split()) < _MIN_SUMMARY_WORDS or _is_byline(rest):
        return None
    return rest


def _is_byline(text: str) -> bool:
    """ "Mildenhall et al., ECCV 2020" or "A. Smith, B. Jones and C. Lee, CVPR 2024": who
    wrote it and where, not what it does (and not worth embedding as a description)."""
    if re.search(r"(?i)\bet\s*al\b", text):
        return True
    names = re.sub(r"\([^()]*\)", " ", _TRAILING_VENUE.sub("", text))  # "(*: equal …)"
    words = re.findall(r"[^\W\d_][\w'-]*", names)
    capitalised = [word for word in words if word[0].isupper()]
    names_only = {"and", "&"} >= {word for word in words if not word[0].isupper()}
    return "," in text and bool(capitalised) and names_only


def _strip_venue(title: str) -> str:
    """ "[CVPR 2024] Marigold: … Estimation. CVPR 2024" → "Marigold: … Estimation"."""
    stripped = _TRAILING_VENUE.sub("", _tidy(_without_labels(title)))
    stripped = _TRAILING_AUTHORS.sub("", stripped).strip(_EDGE_PUNCTUATION)
    stripped = re.sub(r"\s+([:;,.!?])", r"\1", stripped)  # "Ha-NeRF :laughing:: …" → "Ha-NeRF: …"
    if stripped.endswith("]") and "[" not in stripped:  # "+ Title](url)": a "[" was forgotten
        stripped = stripped[:-1].strip(_EDGE_PUNCTUATION)
    return stripped or title


_TRAILING_AUTHORS = re.compile(r"[,.]\s+[^,.]*\bet\s+al\b.*$")


_BRACKETED = re.compile(r"\[([^\[\]]{0,40})\]|\(([^()]{0,40})\)|【([^【】]{0,40})】")


def _without_labels(text: str) -> str:
    """Text without bracketed labels: "[CVPR 2024]", "(2024/01)", "【Paper】"."""

    def drop_label(match: re.Match[str]) -> str:
        content = next(group for group in match.groups() if group is not None)
        is_date = re.fullmatch(r"[\d\s/.\-']+", content) is not None
        return " " if is_date or _is_generic(content) else match.group(0)

    return _BRACKETED.sub(drop_label, text)


def _code_name(draft: _Draft) -> str:
    return _repository_name(draft.github_url) if draft.github_url else ""


# --------------------------------------------------------------------------- prompts


def _read_prompt(text: str, origin: str) -> Iterator[_Found]:
    request = parse_prompt(text, where=origin)
    found: list[_Found] = []
    for source in request.sources:
        draft = _Draft(
            title=source.title,
            name=source.name,
            kind="model" if source.role == "recommended" else "paper",
            paper_url=source.paper_url,
            github_url=source.github_url,
            project_url=source.project_url,
            summary=source.summary,
        )
        found.append((source.provenance.line or 0, draft))
    yield from sorted(found, key=lambda pair: pair[0])


_READERS = {
    "jsonl": _read_jsonl,
    "bibtex": _read_bibtex,
    "awesome-md": _read_awesome_md,
    "prompt": _read_prompt,
}


# --------------------------------------------------------------------------- single entries


def entry_from_fields(fields: dict[str, object], *, origin: str) -> CatalogEntry:
    """One entry from the fields of a JSONL line (what `catalog add` is given).

    Raises `CatalogImportError` naming the first thing wrong with the fields.
    """
    draft = _jsonl_draft(fields)
    if isinstance(draft, str):
        raise CatalogImportError(f"{origin}: {draft}", path=origin)
    return _finish(draft, origin, 1)


def entry_to_fields(entry: CatalogEntry) -> dict[str, object]:
    """The JSONL line for an entry: what `catalog export` writes and `catalog import` reads."""
    fields: dict[str, object] = {
        "id": entry.id,
        "title": entry.title,
        "name": entry.name,
        "kind": entry.kind,
    }
    for key in ("paper_url", "github_url", "project_url", "summary"):
        value = getattr(entry, key)
        if value:
            fields[key] = value
    if entry.tags:
        fields["tags"] = list(entry.tags)
    if entry.tasks:
        fields["tasks"] = list(entry.tasks)
    return fields
