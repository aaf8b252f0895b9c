"""Renderers: an `Answer` in each output format. One module per format."""

from __future__ import annotations

from collections.abc import Callable

from scholarflow.models import Answer

FORMATS = ("markdown", "json", "mermaid", "graph", "comfyui")
# Older names still accepted, so a script or page written for them keeps working:
# "workflow" was the typed graph's name before the ComfyUI file existed.
ALIASES = {"workflow": "graph"}
ACCEPTED = (*FORMATS, *ALIASES)


def canonical(fmt: str) -> str:
    """The format a name stands for ("workflow" → "graph"); an unknown name is an error."""
    name = ALIASES.get(fmt, fmt)
    if name not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return name


def render(answer: Answer, fmt: str) -> str:
    return _renderer(canonical(fmt))(answer)


def _renderer(fmt: str) -> Callable[[Answer], str]:
    if fmt == "markdown":
        from scholarflow.render.markdown import render_markdown

        return render_markdown
    if fmt == "json":
        from scholarflow.render.json_format import render_json

        return render_json
    if fmt == "mermaid":
        from scholarflow.render.mermaid import render_mermaid

        return render_mermaid
    if fmt == "graph":
        from scholarflow.render.graph import render_graph

        return render_graph
    if fmt == "comfyui":
        from scholarflow.render.comfyui import render_comfyui

        return render_comfyui
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
