"""The Markdown answer for a person at a terminal, drawn by `rich`.

Piped or written to a file, the answer stays plain Markdown (`Answer.markdown`, byte for byte).
On a terminal the same text is drawn with rich: headings, bold, lists and paragraphs wrapped
to the terminal's width. The workflow diagram is the one block rich would leave as it is:
it is a code block whose main line holds the whole chain (400-700 characters for a long
workflow), so here it is redrawn one step per line,

    Your single image
      ──single image──► treat the image as a one-frame clip
      ──video clip──► DepthCrafter [1]

and a step longer than the terminal is wrapped under itself. No line is wider than the
terminal. Colour follows `--no-color` and the NO_COLOR convention (https://no-color.org);
bold and other emphasis stay, as the convention allows.
"""

from __future__ import annotations

import io
import os
import re
import textwrap
from typing import TextIO

# The diagram's arrow (render/diagram.py: "──{modality}──►"), with the spaces around it.
_ARROW = re.compile(r" (──.+?──►) ")
_FENCE = re.compile(r"^(```+|~~~+)[ \t]*(\w*)[ \t]*$")
_MIN_WIDTH = 30
_TRAILING = re.compile(r"(?: |\x1b\[[0-9;]*m)+$")


def color_wanted(no_color_flag: bool = False) -> bool:
    """False for `--no-color` or a non-empty NO_COLOR; rich also drops colour on TERM=dumb."""
    return not no_color_flag and not os.environ.get("NO_COLOR")


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def diagram_steps(diagram: str, width: int) -> str:
    """The diagram's chains, one step a line, each line at most `width` characters.

    A chain `a ──m──► b ──n──► c` becomes `a`, then `  ──m──► b`, `  ──n──► c`; a prefix
    such as "also:" stays on the chain's first line, and chains are parted by a blank line.
    """
    out: list[str] = []
    for line in diagram.splitlines():
        if not line.strip():
            continue
        pieces = _ARROW.split(line.strip())
        if out:
            out.append("")
        out.extend(_wrapped(pieces[0], width, ""))
        for k in range(1, len(pieces) - 1, 2):
            out.extend(_wrapped(f"{pieces[k]} {pieces[k + 1]}", width, "  "))
    return "\n".join(out)


def _wrapped(text: str, width: int, indent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=max(width, 10),
        initial_indent=indent,
        subsequent_indent=indent + "    ",
        break_on_hyphens=False,
        break_long_words=True,
    ) or [indent.rstrip()]


def steps_markdown(markdown: str, width: int) -> str:
    """`markdown` with each workflow diagram (a fenced block of `──…──►` chains) redrawn one
    step per line for `width` columns; everything else unchanged."""
    lines = markdown.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if not fence:
            out.append(lines[i])
            i += 1
            continue
        end = i + 1
        while end < len(lines) and not lines[end].startswith(fence.group(1)):
            end += 1
        body = "\n".join(lines[i + 1 : end])
        out.append(lines[i])
        out.append(diagram_steps(body, width) if "──►" in body else body)
        if end < len(lines):
            out.append(lines[end])
        i = end + 1
    return "\n".join(out)


def render_terminal(markdown: str, *, width: int, color: bool = True) -> str:
    """The answer drawn for a terminal `width` columns wide (ANSI styles; colour if `color`)."""
    from rich.console import Console
    from rich.markdown import Markdown

    width = max(width, _MIN_WIDTH)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=True,
        no_color=not color,
        color_system="standard",  # with no_color, bold and underline stay
        highlight=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    # A code block is drawn with one column of padding on each side.
    console.print(Markdown(steps_markdown(markdown, width - 2), code_theme="ansi_dark"))
    # rich pads every line to the width; the padding only gets in the way of copying.
    return "\n".join(_without_padding(line) for line in buffer.getvalue().split("\n"))


def _without_padding(line: str) -> str:
    """`line` without its trailing spaces; the style codes among them are kept."""
    return _TRAILING.sub(lambda tail: tail.group(0).replace(" ", ""), line)
