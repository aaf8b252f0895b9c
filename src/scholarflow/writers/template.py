"""The template writer: deterministic, offline, and written from the plan and evidence only.

It fills the answer's prose slots (render/document.py owns everything else). It never varies at
random, but it does not fill a form either: each sentence is built from what this plan holds
(the user's task, the steps and their modalities, the findings) and what the sources say
(their screened evidence, restated in the third person and cited).
"""

from __future__ import annotations

import re
from collections import defaultdict

from scholarflow import taxonomy
from scholarflow.grounding import normalize_prose
from scholarflow.models import Brief, Evidence, Slots, Source, Step, Warning
from scholarflow.writers.prose import article_for, cite, join_names, restate

_SOURCE_CITATION = re.compile(r"\s*\[\d[\d,\s\u2013-]*\]")


class TemplateWriter:
    name = "template"

    def write(self, brief: Brief) -> Slots:
        return _Composer(brief).slots()


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
        """An evidence sentence, restated about its source and cited; remembered as used.

        A summary's own citations ("[12]") point into its paper's bibliography, not ours:
        they are left out of the restatement.
        """
        self.used.add((item.source_id, item.span))
        source = self.source(item.source_id)
        text = _SOURCE_CITATION.sub("", normalize_prose(item.text))
        return cite(restate(text, _subject(source)), self.n(item.source_id))

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

    def task_slot(self) -> str:
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
            return line
        return self.rest_of_workflow(recommended, lead)

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

    def step_slot(self, step: Step) -> str:
        if step.kind == "input":
            return (
                f"{step.description[0].upper() + step.description[1:]}." if step.description else ""
            )
        if step.kind == "output":
            return ""
        if step.kind == "operation":
            text = f"{step.description[0].upper() + step.description[1:]}."
            if not step.covered:
                text += " Any model built for this step can do it."
            return text
        source = self.source(step.source_id or "")
        text = f"Here it is used {step.description}." if step.description else ""
        if step.optional:
            items = self.unused(source.id)[:1] or self.evidence[source.id][:1]
            return " ".join([text, *(self.say(e) for e in items)]).strip()
        focus_ids = {(e.source_id, e.span) for e in self.unused(source.id, on_focus=True)[:1]}
        items = [e for e in self.unused(source.id) if (e.source_id, e.span) not in focus_ids]
        if not items:  # its one focus sentence is all there is: it belongs here, then
            items = self.unused(source.id)[:1]
        said = [self.say(item) for item in items[:2]]
        return " ".join([text, *said]).strip()

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

    def background_slot(self, source_id: str) -> str:
        """Why a related source stays a reference, then what it says of itself."""
        source = self.source(source_id)
        tasks = [taxonomy.tasks()[t] for t in source.tasks if t in taxonomy.tasks()]
        if not tasks:
            role = "What it takes and makes could not be told from its text, so it is not a step."
        elif tasks[0].family == self.understanding.task.family:
            role = (
                f"It works on the same kind of problem ({tasks[0].name}) but is not a step of "
                "this workflow."
            )
        else:
            role = f"It is about {tasks[0].name}, not a step of this workflow."
        items = self.unused(source_id)[:1] or self.evidence[source_id][:1]
        return " ".join([role, *(self.say(e) for e in items)])

    def slots(self) -> Slots:
        texts: dict[str, str] = {"task": self.task_slot()}
        steps = {step.node_id: step for step in self.plan.steps}
        mechanism_done = False
        for key in self.brief.slot_keys():
            kind, _, ident = key.partition(":")
            if kind == "step":
                if steps[ident].optional and not mechanism_done:
                    texts["mechanism"] = self.focus_paragraph()
                    mechanism_done = True
                texts[key] = self.step_slot(steps[ident])
            elif kind == "mechanism":
                texts[key] = self.focus_paragraph()
                mechanism_done = True
            elif kind == "background":
                texts[key] = self.background_slot(ident)
            elif kind == "caveats":
                texts[key] = ""
        return Slots(texts=texts)
