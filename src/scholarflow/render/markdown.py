"""Markdown: the three sections under their headings; this is also `Answer.markdown`."""

from __future__ import annotations

from scholarflow.models import Answer, Sections

HEADINGS = ("### 1. The task", "### 2. The workflow", "### 3. Papers and tools")


def compose(sections: Sections) -> str:
    bodies = (sections.task, sections.workflow, sections.references)
    return (
        "\n\n".join(
            f"{heading}\n\n{body.strip()}" for heading, body in zip(HEADINGS, bodies, strict=True)
        )
        + "\n"
    )


def render_markdown(answer: Answer) -> str:
    return answer.markdown
