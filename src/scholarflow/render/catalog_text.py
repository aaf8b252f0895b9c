"""The catalog as a person reads it in a terminal: aligned tables and one entry's card.

Pure functions: data and a width in, text out. The CLI picks the width (the terminal's, or
none when the output is piped) and writes the text.

The table fitting is our own rather than `rich.table`: tried on the catalog at 80 columns,
rich 15 (box=None, ids' width pinned) dropped the kind column entirely, cut the names to 9
cells before touching the titles, cut the titles without an ellipsis, and padded every line
with trailing spaces. Here ids are never cut, only the columns marked `flexible` give way
(the widest first), with "…", and no line ends in spaces, so piped output is plain and
diffable. Widths are counted in terminal cells (`rich.cells`), so CJK titles line up.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size

from scholarflow.models import CatalogEntry, CatalogHit, Signature, Task

GAP = "  "
ELLIPSIS = "…"
MIN_FLEXIBLE = 8  # a cut column keeps at least this many cells: "Refinem…"
CARD_WIDTH = 100  # a card's text is wrapped at most this wide, even on a wide terminal
PIPED_CARD_WIDTH = 80  # and this wide when there is no terminal to fit


@dataclass(frozen=True)
class Column:
    header: str
    align_right: bool = False
    flexible: bool = False  # may be cut with an ellipsis to fit the width


def table(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None) -> str:
    """Rows under a header, each column as wide as its widest cell, two spaces apart.

    With a `width`, the widest flexible column loses a cell at a time until the table fits
    or each is down to `MIN_FLEXIBLE`, so a long name and a long title end up sharing the
    room; other columns are never cut. `width=None`: never cut.
    """
    header = [column.header for column in columns]
    widths = [max(cell_len(cell) for cell in values) for values in zip(header, *rows, strict=True)]
    if width is not None:
        excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
        flexible = [index for index, column in enumerate(columns) if column.flexible]
        while excess > 0 and flexible:
            widest = max(flexible, key=lambda index: (widths[index], index))
            if widths[widest] <= MIN_FLEXIBLE:
                break
            widths[widest] -= 1
            excess -= 1
    lines = [_line(columns, header, widths)]
    lines.extend(_line(columns, row, widths) for row in rows)
    return "".join(line + "\n" for line in lines)


def _line(columns: Sequence[Column], cells: Sequence[str], widths: Sequence[int]) -> str:
    fitted = []
    for column, cell, size in zip(columns, cells, widths, strict=True):
        text = _fit(cell, size)
        pad = " " * (size - cell_len(text))
        fitted.append(pad + text if column.align_right else text + pad)
    return GAP.join(fitted).rstrip()


def _fit(text: str, size: int) -> str:
    if cell_len(text) <= size:
        return text
    return set_cell_size(text, size - 1).rstrip() + ELLIPSIS


# --------------------------------------------------------------------------- catalog list


def entries_table(entries: Sequence[CatalogEntry], width: int | None) -> str:
    """`catalog list`: id, kind, name and title (cut first when the terminal is narrow)."""
    columns = (
        Column("ID"),
        Column("KIND"),
        Column("NAME", flexible=True),
        Column("TITLE", flexible=True),
    )
    rows = [(entry.id, entry.kind, entry.name, entry.title) for entry in entries]
    return table(columns, rows, width)


# --------------------------------------------------------------------------- catalog search


def hits_table(hits: Sequence[CatalogHit], width: int | None) -> str:
    """`catalog search`: rank, score (best = 100), similarity (cosine, %), id, name, title."""
    if not hits:
        return "no matches\n"
    best = max(hit.score for hit in hits)
    columns = (
        Column("#", align_right=True),
        Column("SCORE", align_right=True),
        Column("SIMILARITY", align_right=True),
        Column("ID"),
        Column("NAME", flexible=True),
        Column("TITLE", flexible=True),
    )
    rows = [
        (
            str(rank),
            relative_score(hit.score, best),
            similarity_percent(hit.similarity),
            hit.entry.id,
            hit.entry.name,
            hit.entry.title,
        )
        for rank, hit in enumerate(hits, 1)
    ]
    return table(columns, rows, width)


def relative_score(score: float, best: float) -> str:
    """The fused score on a 0–100 scale where the best hit of this search is 100."""
    return str(round(100 * score / best)) if best > 0 else "0"


def similarity_percent(similarity: float | None) -> str:
    """The cosine similarity as a whole percentage; "-" when the dense search missed it."""
    return "-" if similarity is None else f"{round(100 * similarity)}%"


# --------------------------------------------------------------------------- tasks


def tasks_table(tasks: Sequence[Task], width: int | None) -> str:
    """`scholarflow tasks`: the ids `catalog add --tasks` accepts, with what each does."""
    columns = (Column("ID"), Column("INPUT → OUTPUT"), Column("NAME", flexible=True))
    rows = [(task.id, _arrow(task.inputs, task.outputs), task.name) for task in tasks]
    return table(columns, rows, width)


def _arrow(inputs: Sequence[str], outputs: Sequence[str]) -> str:
    return f"{' + '.join(map(modality_words, inputs))} → {' + '.join(map(modality_words, outputs))}"


def modality_words(modality: str) -> str:
    """A modality id as words: "depth_video" → "depth video"."""
    return modality.replace("_", " ")


def signature_text(signature: Signature) -> str:
    """ "video → depth video", with the variant's note when it has one."""
    arrow = _arrow(signature.inputs, signature.outputs)
    return f"{arrow} ({signature.note})" if signature.note else arrow


# --------------------------------------------------------------------------- catalog show


def entry_card(entry: CatalogEntry, task_names: dict[str, str], width: int | None) -> str:
    """`catalog show`: one labelled field per line, long text wrapped under its label, each
    link on a line of its own, signatures as arrows. `task_names` maps task ids to names."""
    wrap_at = min(width or PIPED_CARD_WIDTH, CARD_WIDTH)
    fields: list[tuple[str, list[str]]] = [
        ("id", [entry.id]),
        ("name", [entry.name]),
        ("title", [entry.title]),
        ("kind", [entry.kind + (", built-in" if entry.builtin else "")]),
        ("tasks", [_task_text(task, task_names) for task in entry.tasks]),
        ("signatures", [signature_text(signature) for signature in entry.signatures]),
        ("tags", [", ".join(entry.tags)] if entry.tags else []),
        ("arXiv", [entry.arxiv_id] if entry.arxiv_id else []),
        ("paper", [entry.paper_url] if entry.paper_url else []),
        ("github", [entry.github_url] if entry.github_url else []),
        ("project", [entry.project_url] if entry.project_url else []),
        ("origin", [_origin(entry)]),
        ("imported", [entry.imported_at] if entry.imported_at else []),
        ("summary", [entry.summary] if entry.summary else []),
    ]
    label_width = max(len(label) for label, _ in fields) + len(GAP)
    indent = " " * label_width
    lines: list[str] = []
    for label, values in fields:
        for number, value in enumerate(values):
            first = label.ljust(label_width) if number == 0 else indent
            lines.extend(
                textwrap.wrap(
                    value,
                    width=max(wrap_at, label_width + MIN_FLEXIBLE),
                    initial_indent=first,
                    subsequent_indent=indent,
                    break_long_words=False,  # a link stays whole, and clickable
                    break_on_hyphens=False,
                )
                or [first.rstrip()]
            )
    return "".join(line.rstrip() + "\n" for line in lines)


def _task_text(task_id: str, task_names: dict[str, str]) -> str:
    name = task_names.get(task_id)
    return f"{task_id} ({name})" if name else task_id


def _origin(entry: CatalogEntry) -> str:
    origin = entry.provenance.origin
    if origin == "catalog:builtin":
        return "built into scholarflow"
    return f"{origin}, line {entry.provenance.line}" if entry.provenance.line else origin
