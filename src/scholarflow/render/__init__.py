"""Renderers: an `Answer` in each output format. One module per format."""

from __future__ import annotations

from collections.abc import Callable

from scholarflow.models import Answer

FORMATS = ("markdown", "json", "mermaid", "workflow")


def render(answer: Answer, fmt: str) -> str:
    return _renderer(fmt)(answer)


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
    if fmt == "workflow":
        from scholarflow.render.workflow import render_workflow

        return render_workflow
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
