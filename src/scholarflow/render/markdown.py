"""Markdown: the answer as `Answer.markdown` holds it (render/document.py composes it)."""

from __future__ import annotations

from scholarflow.models import Answer


def render_markdown(answer: Answer) -> str:
    return answer.markdown
