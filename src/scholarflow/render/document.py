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
from collections.abc import Collection
from dataclasses import dataclass

from scholarflow import taxonomy
from scholarflow.grounding import own_title_words
from scholarflow.i18n import Messages, messages_for
from scholarflow.models import Brief, Sections, Slots, Source, Step, Warning
from scholarflow.render.diagram import ascii_diagram
from scholarflow.text import dotted_names, replace_links

SECTIONS = ("task", "workflow", "references")
# At or below this confidence the task is said to be the closest reading, not a sure one: on
# the dev halves (2,041 answers), 69% of the tasks read this unsurely were right, against 98%
# of those read at above 0.4.
UNSURE_AT = 0.05
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


def plain(text: str, names: Collection[str] = ()) -> str:
    """A name or title from a source record, safe to print: links removed, Markdown escaped.

    Source records come from the request, so they are data: a title holding a link or markup
    must print as text, never as a link or as HTML. (`names`: provided names that only read
    as domains, `text.dotted_names`.)
    """
    text = replace_links(" ".join(text.split()), "<link removed>", names=names)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def headings(language: str = "en") -> dict[str, str]:
    text = messages_for(language)
    return {name: text(f"heading_{name}") for name in SECTIONS}


class _Outline:
    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.plan = brief.plan
        self.understanding = brief.plan.understanding
        self.text: Messages = messages_for(brief.language)
        self.parts: list[Part] = []
        self._names: re.Pattern[str] | None = None
        self._number_of: dict[str, int] = {}
        # (a provided name that reads as a domain, "pyannote.audio", prints as that name)
        self.dotted = dotted_names((s.name, s.links()) for s in brief.sources)

    def labels(self, modalities: tuple[str, ...] | list[str], *, made: bool = False) -> str:
        return self.text.join([self.text.label(m, made=made) for m in modalities])

    def arrow(self, step: Step) -> str:
        return f"{self.labels(step.inputs)} → {self.labels(step.outputs, made=True)}"

    def n(self, source_id: str) -> int:
        return self.brief.number(source_id)

    def source(self, source_id: str) -> Source:
        return self.brief.source(source_id)

    def cite_name(self, source: Source) -> str:
        return f"{plain(source.name, self.dotted)} [{self.n(source.id)}]"

    def cited(self, text: str) -> str:
        """A warning message (code-written) with each source it names followed by its number:
        one scan of the message, whatever the number of sources."""
        if self._names is None:
            names = sorted({s.name for s in self.brief.sources if s.name}, key=len, reverse=True)
            self._names = re.compile("|".join(re.escape(n) for n in names)) if names else None
            self._number_of = {s.name: self.n(s.id) for s in reversed(self.brief.sources)}
        if self._names is None:
            return text
        done: set[str] = set()

        def mark(match: re.Match[str]) -> str:
            name = match.group(0)
            if name in done or text[match.end() : match.end() + 2] == " [":
                return name
            done.add(name)
            return f"{name} [{self._number_of[name]}]"

        return self._names.sub(mark, text)

    def warnings(self, *codes: str) -> list[Warning]:
        return [w for w in self.plan.warnings if w.code in codes]

    def add(self, section: str, text: str = "", **kwargs: object) -> None:
        self.parts.append(Part(section=section, text=text, **kwargs))  # type: ignore[arg-type]

    # --- section 1 ----------------------------------------------------------------------

    def task_section(self) -> None:
        task = self.understanding.task
        text = self.text
        have = text.with_article(self.labels(self.understanding.have))
        result = text.task_result(task) or self.labels(self.understanding.want, made=True)
        self.add(
            "task",
            text(
                "task_line",
                task=text.task_name(task),
                description=text.task_description(task),
                have=have,
                result=text.with_article(result),
            ),
        )
        read_as = self.understanding.question_reads_as
        if read_as is not None:
            self.add("task", text("task_from_recommended", reading=text.task_name(read_as)))
        elif task.id != "none" and self.understanding.confidence <= UNSURE_AT:
            self.add("task", text("task_unsure"))
        self.add("task", slot="task", optional=True)
        for warning in self.warnings("model_task_mismatch"):
            self.add("task", text("mismatch_notice", message=self.cited(warning.message)))
        if self.warnings("question_link_ignored"):
            self.add("task", text("question_link"))
        title_only = [
            s for s in self.brief.sources if not (s.summary or "").strip() and not s.catalog_summary
        ]
        if title_only:
            names = text.join([self.cite_name(s) for s in title_only])
            key = "title_only_one" if len(title_only) == 1 else "title_only_many"
            self.add("task", text(key, names=names))

    # --- section 2 ----------------------------------------------------------------------

    def workflow_section(self) -> None:
        text = self.text
        numbers = {s.id: self.n(s.id) for s in self.brief.sources}
        preferred = {
            node.id
            for node in self.plan.workflow.nodes
            if node.source_id and self.source(node.source_id).role == "recommended"
        }
        diagram = ascii_diagram(self.plan.workflow, numbers, preferred, text)
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
        heading = text("focus_heading_line", heading=text.focus_heading(focus))
        self.add("workflow", heading, slot="mechanism", optional=True, inline=True)

        branches = [s for s in self.plan.steps if s.optional and s.kind == "model"]
        if branches or self.plan.background:
            self.add("workflow", text("going_further"))
            for step in branches:
                source = self.source(step.source_id or "")
                self.add(
                    "workflow",
                    text("branch_head", name=self.cite_name(source), arrow=self.arrow(step)),
                    slot=f"step:{step.node_id}",
                    before=_LINE,
                    inline=True,
                )
            for source_id in self.plan.background:
                source = self.source(source_id)
                self.add(
                    "workflow",
                    text("background_head", name=self.cite_name(source)),
                    slot=f"background:{source_id}",
                    before=_LINE,
                    inline=True,
                )

        gaps = self.warnings(
            "model_read_from_request",
            "preceding_step_needed",
            "step_not_covered",
            "source_text_ignored",
        )
        if gaps:
            self.add("workflow", text("gaps"))
            for warning in gaps:
                self.add("workflow", f"- {self.cited(warning.message)}", before=_LINE)
            self.add("workflow", slot="caveats", optional=True)
        else:
            self.add("workflow", text("caveats"), slot="caveats", optional=True, inline=True)

    def step_head(self, step: Step) -> str:
        text = self.text
        label = text.op_label(step) if step.kind != "model" else step.label
        if step.kind == "input":
            return text("step_input", label=text.inline(label))
        if step.kind == "output":
            modality = step.inputs[0] if step.inputs else None
            producers = self.producers_of(step.node_id)
            via = text("step_output_via", producers=text.join(producers)) if producers else ""
            shown = text.label(modality, made=True) if modality else ""
            head = text("step_output", label=text.inline(label), modality=shown, via=via)
            return head.replace(" ()", "")
        if step.kind == "operation":
            key = "step_operation_gap" if not step.covered else "step_operation"
            return text(key, label=label[0].upper() + label[1:], arrow=self.arrow(step))
        source = self.source(step.source_id or "")
        return text("step_model", name=self.cite_name(source), arrow=self.arrow(step))

    def producers_of(self, node_id: str) -> list[str]:
        workflow = self.plan.workflow
        labels = []
        for edge in workflow.edges:
            if edge.target == node_id:
                node = workflow.node(edge.source)
                if node.source_id:
                    labels.append(self.cite_name(self.source(node.source_id)))
                else:
                    labels.append(self.text("the_step", label=self.text.t(node.label)))
        return labels

    # --- section 3 ----------------------------------------------------------------------

    def references_section(self) -> None:
        text = self.text
        lines = []
        for reference in self.brief.references:
            source = self.source(reference.source_id)
            links = []
            if source.paper_url:
                links.append(text("link_paper", url=source.paper_url))
            if source.github_url:
                links.append(text("link_code", url=source.github_url))
            if source.project_url:
                links.append(text("link_project", url=source.project_url))
            role = text("role_recommended" if reference.role == "recommended" else "role_related")
            where = " · ".join(links) if links else text("no_link")
            lines.append(
                text(
                    "reference_line",
                    number=str(reference.number),
                    title=plain(source.title, self.dotted | own_title_words(source)),
                    role=role,
                    where=where,
                )
            )
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
        pieces.append((part.before if pieces else "") + rendered.strip())
    return Sections(**{name: "".join(pieces).strip() for name, pieces in bodies.items()})


def compose(sections: Sections, language: str = "en") -> str:
    """The whole answer: the three sections under their headings (`Answer.markdown`)."""
    titles = headings(language)
    body = "\n\n".join(f"{titles[name]}\n\n{getattr(sections, name).strip()}" for name in SECTIONS)
    return body + "\n"
