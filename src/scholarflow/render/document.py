"""The answer as a document: code writes it, writers fill its prose slots.

DESIGN.md's grounding by construction: every name, link, citation, the diagram and the
references are written here, from the plan and the source records; what a writer produces only
ever lands in a slot (task paragraph, one explanation per step, the mechanism, the caveats,
one line per background source) after the screen (grounding.py) has passed it.

`outline(brief)` lists the document's parts in reading order, each either code-written text or
a slot; `assemble(parts, slots)` fills them into the three sections. Streaming prints the same
parts in the same order as each slot is decided (engine.DocumentStream), so what streams is
exactly what the finished answer holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scholarflow import taxonomy
from scholarflow.models import Brief, Sections, Slots, Source, Step, Warning
from scholarflow.render.diagram import ascii_diagram
from scholarflow.text import replace_links
from scholarflow.writers.prose import article_for, join_names

SECTIONS = ("task", "workflow", "references")
HEADINGS = {
    "task": "### 1. The task",
    "workflow": "### 2. The workflow",
    "references": "### 3. Papers and tools",
}
_PARAGRAPH = "\n\n"
_LINE = "\n"


@dataclass(frozen=True)
class Part:
    """One piece of a section: code-written text, a slot, or code text that a slot follows.

    With `slot` set and `optional` true, the whole part (its code text too) is left out when
    the slot is empty: a heading with nothing under it is not shown.
    """

    section: str
    text: str = ""
    slot: str | None = None
    before: str = _PARAGRAPH
    optional: bool = False
    inline: bool = False  # the slot continues the code text's line (a list item)


# --- safe text from source records -----------------------------------------------------------

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def plain(text: str) -> str:
    """A name or title from a source record, safe to print: links removed, Markdown escaped.

    Source records come from the request, so they are data: a title holding a link or markup
    must print as text, never as a link or as HTML.
    """
    text = replace_links(" ".join(text.split()), "<link removed>")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _labels(modalities: tuple[str, ...] | list[str]) -> str:
    return join_names([taxonomy.label(m) for m in modalities])


def _a(label: str) -> str:
    return f"{article_for(label)} {label}"


class _Outline:
    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.plan = brief.plan
        self.understanding = brief.plan.understanding
        self.parts: list[Part] = []

    def n(self, source_id: str) -> int:
        return self.brief.number(source_id)

    def source(self, source_id: str) -> Source:
        return self.brief.source(source_id)

    def cite_name(self, source: Source) -> str:
        return f"{plain(source.name)} [{self.n(source.id)}]"

    def cited(self, text: str) -> str:
        """A warning message (code-written) with each source it names followed by its number."""
        for source in self.brief.sources:
            marker = f"{source.name} [{self.n(source.id)}]"
            if source.name in text and marker not in text:
                text = text.replace(source.name, marker, 1)
        return text

    def warnings(self, *codes: str) -> list[Warning]:
        return [w for w in self.plan.warnings if w.code in codes]

    def add(self, section: str, text: str = "", **kwargs: object) -> None:
        self.parts.append(Part(section=section, text=text, **kwargs))  # type: ignore[arg-type]

    # --- section 1 ----------------------------------------------------------------------

    def task_section(self) -> None:
        task = self.understanding.task
        have = _a(_labels(self.understanding.have))
        result = task.result or _labels(self.understanding.want)
        self.add(
            "task",
            f"You are doing **{task.name}**: {task.description}. "
            f"You start from {have} and want {_a(result)}.",
        )
        self.add("task", slot="task", optional=True)
        for warning in self.warnings("model_task_mismatch"):
            notice = "> **The recommended model does not fit this task.**"
            self.add("task", f"{notice} {self.cited(warning.message)}")
        if self.warnings("question_link_ignored"):
            self.add(
                "task",
                "Your question asks for a link to be cited. A link in a question is not one of "
                "the provided sources, so it is neither followed nor cited here.",
            )
        title_only = [
            s for s in self.brief.sources if not (s.summary or "").strip() and not s.catalog_summary
        ]
        if title_only:
            names = join_names([self.cite_name(s) for s in title_only])
            verb = "is" if len(title_only) == 1 else "are"
            whose = "its title" if len(title_only) == 1 else "their titles"
            self.add(
                "task",
                f"{names} {verb} known here only by {whose}: no summary was provided, so "
                "nothing more is said about what it does than its name and title tell.",
            )

    # --- section 2 ----------------------------------------------------------------------

    def workflow_section(self) -> None:
        numbers = {s.id: self.n(s.id) for s in self.brief.sources}
        preferred = {
            node.id
            for node in self.plan.workflow.nodes
            if node.source_id and self.source(node.source_id).role == "recommended"
        }
        diagram = ascii_diagram(self.plan.workflow, numbers, preferred)
        self.add("workflow", "```text\n" + diagram.replace("```", "'''") + "\n```")
        first = True
        for step in self.plan.steps:
            if step.optional:
                continue
            self.add(
                "workflow",
                self.step_head(step),
                slot=f"step:{step.node_id}",
                before=_PARAGRAPH if first else _LINE,
                inline=True,
            )
            first = False
        focus = taxonomy.focuses().get(self.understanding.focus[0], taxonomy.focuses()["mechanism"])
        self.add("workflow", f"**{focus.heading}.**", slot="mechanism", optional=True, inline=True)

        branches = [s for s in self.plan.steps if s.optional and s.kind == "model"]
        if branches or self.plan.background:
            self.add("workflow", "**Going further with the provided sources.**")
            for step in branches:
                source = self.source(step.source_id or "")
                arrow = f"{_labels(step.inputs)} → {_labels(step.outputs)}"
                self.add(
                    "workflow",
                    f"- **{self.cite_name(source)}** ({arrow}), an optional branch.",
                    slot=f"step:{step.node_id}",
                    before=_LINE,
                    inline=True,
                )
            for source_id in self.plan.background:
                source = self.source(source_id)
                self.add(
                    "workflow",
                    f"- **{self.cite_name(source)}**, background.",
                    slot=f"background:{source_id}",
                    before=_LINE,
                    inline=True,
                )

        gaps = self.warnings("preceding_step_needed", "step_not_covered", "source_text_ignored")
        if gaps:
            self.add("workflow", "**Gaps and caveats.**")
            for warning in gaps:
                self.add("workflow", f"- {self.cited(warning.message)}", before=_LINE)
            self.add("workflow", slot="caveats", optional=True)
        else:
            self.add("workflow", "**Caveats.**", slot="caveats", optional=True, inline=True)

    def step_head(self, step: Step) -> str:
        if step.kind == "input":
            return f"- **Input: {step.label[0].lower() + step.label[1:]}.**"
        if step.kind == "output":
            modality = step.inputs[0] if step.inputs else None
            producers = self.producers_of(step.node_id)
            via = f", from {join_names(producers)}" if producers else ""
            what = f" ({taxonomy.label(modality)})" if modality else ""
            return f"- **Output: {step.label[0].lower() + step.label[1:]}**{what}{via}."
        arrow = f"{_labels(step.inputs)} → {_labels(step.outputs)}"
        if step.kind == "operation":
            gap = "; no provided source does this step" if not step.covered else ""
            return f"- **{step.label[0].upper() + step.label[1:]}** ({arrow}{gap})."
        source = self.source(step.source_id or "")
        return f"- **{self.cite_name(source)}** ({arrow})."

    def producers_of(self, node_id: str) -> list[str]:
        workflow = self.plan.workflow
        labels = []
        for edge in workflow.edges:
            if edge.target == node_id:
                node = workflow.node(edge.source)
                if node.source_id:
                    labels.append(self.cite_name(self.source(node.source_id)))
                else:
                    labels.append(f"the step '{node.label}'")
        return labels

    # --- section 3 ----------------------------------------------------------------------

    def references_section(self) -> None:
        lines = []
        for reference in self.brief.references:
            source = self.source(reference.source_id)
            links = []
            if source.paper_url:
                links.append(f"paper {source.paper_url}")
            if source.github_url:
                links.append(f"code {source.github_url}")
            if source.project_url:
                links.append(f"project page {source.project_url}")
            role = "recommended model" if reference.role == "recommended" else "related paper"
            where = " · ".join(links) if links else "no link was provided"
            lines.append(f"{reference.number}. **{plain(source.title)}** ({role}): {where}")
        self.add("references", "\n".join(lines))


def outline(brief: Brief) -> list[Part]:
    """The document's parts in reading order: code text and slots."""
    builder = _Outline(brief)
    builder.task_section()
    builder.workflow_section()
    builder.references_section()
    return builder.parts


def slot_markdown(text: str, *, inline: bool) -> str:
    """A slot's text as it may appear in the document.

    Headings inside a slot become bold lines and code fences are dropped: only code may give
    the answer its structure (a writer's "### 3. Papers and tools" must not start a section).
    A slot that continues a list item is joined into one paragraph.
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            continue
        heading = re.match(r"^#{1,6}\s+(.*)$", stripped)
        if heading:
            line = f"**{heading.group(1).strip(' #*')}**"
        lines.append(line.rstrip())
    if inline:
        return " ".join(part.strip() for part in lines if part.strip())
    joined = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", joined)


def render_part(part: Part, slots: Slots) -> str | None:
    """The Markdown of one part, or None when it is left out."""
    if part.slot is None:
        return part.text
    text = slot_markdown(slots.get(part.slot), inline=part.inline)
    if not text:
        return None if part.optional else part.text
    if not part.text:
        return text
    return f"{part.text} {text}" if part.inline else f"{part.text}\n\n{text}"


def assemble(parts: list[Part], slots: Slots) -> Sections:
    """The three sections of the answer: the parts with their slots filled in."""
    bodies: dict[str, list[str]] = {name: [] for name in SECTIONS}
    for part in parts:
        rendered = render_part(part, slots)
        if rendered is None or not rendered.strip():
            continue
        pieces = bodies[part.section]
        pieces.append((part.before if pieces else "") + rendered)
    return Sections(**{name: "".join(pieces).strip() for name, pieces in bodies.items()})


def compose(sections: Sections) -> str:
    """The whole answer: the three sections under their headings (`Answer.markdown`)."""
    return (
        "\n\n".join(f"{HEADINGS[name]}\n\n{getattr(sections, name).strip()}" for name in SECTIONS)
        + "\n"
    )
