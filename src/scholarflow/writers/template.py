"""The template writer: deterministic, offline, and written from the plan and evidence only.

It never varies at random, but it does not fill a form either: each sentence is built from
what this plan holds (the user's task, the steps and their modalities, the findings) and what
the sources say (their evidence, restated in the third person and cited).
"""

from __future__ import annotations

from collections import defaultdict

from scholarflow import taxonomy
from scholarflow.models import Brief, Evidence, Sections, Source, Step, Warning
from scholarflow.render.diagram import ascii_diagram
from scholarflow.writers.prose import article_for, cite, join_names, restate


class TemplateWriter:
    name = "template"

    def write(self, brief: Brief) -> Sections:
        return _Composer(brief).sections()


def _subject(source: Source) -> str:
    """How a sentence refers to a source: its name, unless the name is a whole title."""
    return source.name if len(source.name.split()) <= 5 else "This work"


def _a(label: str) -> str:
    return f"{article_for(label)} {label}"


def _modalities(modalities: tuple[str, ...] | list[str]) -> str:
    return join_names([taxonomy.label(m) for m in modalities])


class _Composer:
    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.plan = brief.plan
        self.understanding = brief.plan.understanding
        self.evidence: dict[str, list[Evidence]] = defaultdict(list)
        for item in brief.evidence:
            self.evidence[item.source_id].append(item)
        self.used: set[tuple[str, tuple[int, int]]] = set()
        focus_id = self.understanding.focus[0]
        self.focus = taxonomy.focuses().get(focus_id, taxonomy.focuses()["mechanism"])

    # --- helpers ------------------------------------------------------------------------

    def n(self, source_id: str) -> int:
        return self.brief.number(source_id)

    def source(self, source_id: str) -> Source:
        return self.brief.source(source_id)

    def say(self, item: Evidence) -> str:
        """An evidence sentence, restated about its source and cited; remembered as used."""
        self.used.add((item.source_id, item.span))
        source = self.source(item.source_id)
        if item.field == "title":
            return cite(
                f"{source.name} is known here only by its title, “{item.text}”", self.n(source.id)
            )
        return cite(restate(item.text, _subject(source)), self.n(item.source_id))

    def unused(self, source_id: str, *, on_focus: bool | None = None) -> list[Evidence]:
        items = [e for e in self.evidence[source_id] if (e.source_id, e.span) not in self.used]
        if on_focus is not None:
            items = [e for e in items if e.on_focus == on_focus]
        return items

    def best_focus_item(self, source_ids: list[str]) -> Evidence | None:
        candidates = [e for sid in source_ids for e in self.unused(sid) if e.on_focus]
        return max(candidates, key=lambda e: e.score) if candidates else None

    def main_sources(self) -> list[str]:
        return [s.source_id for s in self.plan.steps if s.source_id and not s.optional]

    def warnings(self, code: str) -> list[Warning]:
        return [w for w in self.plan.warnings if w.code == code]

    def cited(self, text: str) -> str:
        """A warning message with each provided source it names followed by its number."""
        for source in self.brief.sources:
            marker = f"{source.name} [{self.n(source.id)}]"
            if source.name in text and marker not in text:
                text = text.replace(source.name, marker, 1)
        return text

    # --- section 1 ----------------------------------------------------------------------

    def task_section(self) -> str:
        task = self.understanding.task
        have = _a(_modalities(self.understanding.have))
        result = task.result or _modalities(self.understanding.want)
        paragraphs = [
            f"You are doing **{task.name}**: {task.description}. "
            f"You start from {have} and want {_a(result)}."
        ]
        recommended = [s for s in self.brief.sources if s.role == "recommended"]
        lead = self.focus.lead
        if self.plan.recommended_fits and recommended:
            names = join_names([f"**{s.name}** [{self.n(s.id)}]" for s in recommended])
            signature = recommended[0].signature
            does = (
                f", turning {_a(_modalities(signature.inputs))} into "
                f"{_a(_modalities(signature.outputs))}"
                if signature
                else ""
            )
            line = f"The recommended model, {names}, does the central step{does}."
            item = self.best_focus_item([recommended[0].id])
            if item is not None:
                line += f" {lead} comes from the way it works. {self.say(item)}"
            paragraphs.append(line)
        else:
            paragraphs.append(self.rest_of_workflow(recommended, lead))
        for warning in self.warnings("model_task_mismatch"):
            paragraphs.append(
                f"> **The recommended model does not fit this task.** {self.cited(warning.message)}"
            )
        return "\n\n".join(paragraphs)

    def rest_of_workflow(self, recommended: list[Source], lead: str) -> str:
        """For a recommended model that does not fit: where the result really comes from."""
        recommended_ids = {s.id for s in recommended}
        parts: list[str] = []
        helpers: list[str] = []
        for step in self.plan.steps:
            if step.optional or step.kind in {"input", "output"}:
                continue
            if step.source_id and step.source_id not in recommended_ids:
                parts.append(f"{self.source(step.source_id).name} [{self.n(step.source_id)}]")
                helpers.append(step.source_id)
            elif step.operation and not step.covered:
                parts.append(f"the step '{step.label}' (no provided source performs it)")
            elif step.operation and taxonomy.operations()[step.operation].kind != "format":
                parts.append(f"the step '{step.label}'")
        if parts:
            text = f"{lead} comes from the rest of the workflow: {join_names(parts)}."
        else:
            text = f"{lead} does not come from the recommended model."
        candidates = helpers + list(self.plan.branched) + list(self.plan.background)
        item = self.best_focus_item(candidates)
        strong = [e for s in recommended for e in self.unused(s.id) if e.on_focus and e.score >= 3]
        if strong and (item is None or max(strong, key=lambda e: e.score).score > item.score):
            # A misfit can still explain the mechanism when it says how, not what it lacks.
            item = max(strong, key=lambda e: e.score)
        if item is not None:
            source = self.source(item.source_id)
            if item.source_id in helpers:
                text += f" {self.say(item)}"
            elif item.source_id in recommended_ids:
                text += (
                    f" {source.name} [{self.n(source.id)}] itself works on the same principle "
                    f"within its own job. {self.say(item)}"
                )
            else:
                tasks = [taxonomy.tasks()[t].name for t in source.tasks if t in taxonomy.tasks()]
                topic = f" for {tasks[0]}" if tasks else ""
                text += (
                    f" Among the provided sources, {source.name} [{self.n(source.id)}] shows "
                    f"the same idea{topic}. {self.say(item)}"
                )
        return text

    # --- section 2 ----------------------------------------------------------------------

    def workflow_section(self) -> str:
        numbers = {s.id: self.n(s.id) for s in self.brief.sources}
        preferred = {
            n.id
            for n in self.plan.workflow.nodes
            if n.source_id and self.source(n.source_id).role == "recommended"
        }
        parts = ["```text", ascii_diagram(self.plan.workflow, numbers, preferred), "```", ""]
        bullets: list[str] = []
        for step in self.plan.steps:
            if step.optional:
                continue
            bullets.append(self.step_bullet(step))
        parts.extend(bullets)

        focus_text = self.focus_paragraph()
        if focus_text:
            parts.extend(["", f"**{self.focus.heading}.** {focus_text}"])

        further = self.further_bullets()
        if further:
            parts.extend(["", "**Going further with the provided sources.**", *further])

        caveats = [
            f"- {self.cited(w.message)}"
            for w in self.plan.warnings
            if w.code in {"preceding_step_needed", "step_not_covered"}
        ]
        if caveats:
            parts.extend(["", "**Gaps and caveats.**", *caveats])
        return "\n".join(parts).strip()

    def step_bullet(self, step: Step) -> str:
        if step.kind == "input":
            text = f"- **Input: {step.label[0].lower() + step.label[1:]}.**"
            if step.description:
                text += f" {step.description[0].upper() + step.description[1:]}."
            return text
        if step.kind == "output":
            modality = step.inputs[0] if step.inputs else None
            producers = self.producers_of(step.node_id)
            via = f", from {join_names(producers)}" if producers else ""
            what = f" ({taxonomy.label(modality)})" if modality else ""
            return f"- **Output: {step.label[0].lower() + step.label[1:]}**{what}{via}."
        arrow = f"{_modalities(step.inputs)} → {_modalities(step.outputs)}"
        if step.kind == "operation":
            text = f"- **{step.label[0].upper() + step.label[1:]}** ({arrow}): {step.description}."
            if not step.covered:
                text += " None of the provided sources does this step; any model built for it can."
            return text
        source = self.source(step.source_id or "")
        number = self.n(source.id)
        text = f"- **{source.name} [{number}]** ({arrow})."
        if step.description:
            text += f" Here it is used {step.description}."
        focus_ids = {(e.source_id, e.span) for e in self.unused(source.id, on_focus=True)[:1]}
        items = [e for e in self.unused(source.id) if (e.source_id, e.span) not in focus_ids]
        if not items:  # its one focus sentence is all there is: it belongs here, then
            items = self.unused(source.id)[:1]
        for item in items[:2]:
            text += f" {self.say(item)}"
        if not items and not self.evidence[source.id]:
            text += f" No summary was provided, so only its name and title describe it [{number}]."
        return text

    def producers_of(self, node_id: str) -> list[str]:
        workflow = self.plan.workflow
        labels = []
        for edge in workflow.edges:
            if edge.target == node_id:
                node = workflow.node(edge.source)
                if node.source_id:
                    labels.append(f"{node.label} [{self.n(node.source_id)}]")
                else:
                    labels.append(f"the step '{node.label}'")
        return labels

    def focus_paragraph(self) -> str:
        sentences: list[str] = []
        misfits = {w.source_id for w in self.warnings("model_task_mismatch")}
        for source_id in dict.fromkeys(self.main_sources()):
            if source_id in misfits:  # what a misfit says about itself explains nothing here
                continue
            for item in self.unused(source_id, on_focus=True)[:1]:
                sentences.append(self.say(item))
        if not sentences:
            return ""
        return " ".join(sentences)

    def further_bullets(self) -> list[str]:
        bullets = []
        for source_id in self.plan.branched:
            source = self.source(source_id)
            steps = [s for s in self.plan.steps if s.source_id == source_id]
            arrow = (
                f" ({_modalities(steps[0].inputs)} → {_modalities(steps[0].outputs)})"
                if steps
                else ""
            )
            items = self.unused(source_id)[:1] or self.evidence[source_id][:1]
            said = " ".join(self.say(e) for e in items)
            head = f"- **{source.name} [{self.n(source_id)}]**{arrow}"
            bullets.append(f"{head} can join as an optional branch. {said}".rstrip())
        for source_id in self.plan.background:
            source = self.source(source_id)
            items = self.unused(source_id)[:1] or self.evidence[source_id][:1]
            said = " ".join(self.say(e) for e in items)
            role = self.background_role(source)
            bullets.append(f"- **{source.name} [{self.n(source_id)}]** {role} {said}".rstrip())
        return bullets

    def background_role(self, source: Source) -> str:
        tasks = [taxonomy.tasks()[t] for t in source.tasks if t in taxonomy.tasks()]
        if not tasks:
            return "is background: what it takes and makes could not be told from its text."
        if tasks[0].family == self.understanding.task.family:
            return f"is background on the same kind of problem ({tasks[0].name}), not a step here."
        return f"is background rather than a step: it is about {tasks[0].name}."

    # --- section 3 ----------------------------------------------------------------------

    def references_section(self) -> str:
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
            lines.append(f"{reference.number}. **{source.title}** ({role}): {where}")
        return "\n".join(lines)

    def sections(self) -> Sections:
        task = self.task_section()
        workflow = self.workflow_section()
        return Sections(task=task, workflow=workflow, references=self.references_section())
