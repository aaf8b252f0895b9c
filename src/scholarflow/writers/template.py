"""The template writer: deterministic, offline, and written from the plan and evidence only.

It fills the answer's prose slots (render/document.py owns everything else). It never varies at
random, but it does not fill a form either: each sentence is built from what this plan holds
(the user's task, the steps, their ports and roles, the findings) and what the sources say
(their screened evidence, restated in the third person and cited).

The mechanism slot is filled first, from the sentences that say *how* the models doing the job
work, matched to what the question asks about; the steps then get what each source says of its
own role, so no sentence is said twice.
"""

from __future__ import annotations

import re
from collections import defaultdict

from scholarflow import taxonomy
from scholarflow.grounding import normalize_prose
from scholarflow.i18n import Messages, messages_for
from scholarflow.models import Brief, Evidence, Slots, Source, Step, Warning
from scholarflow.writers.prose import cite, join_names, restate

_SOURCE_CITATION = re.compile(r"\s*\[\d[\d,\s\u2013-]*\]")
MECHANISM_SENTENCES = 3


class TemplateWriter:
    name = "template"

    def write(self, brief: Brief) -> Slots:
        return _Composer(brief).slots()


def _subject(source: Source) -> str:
    """How a sentence refers to a source: its name, unless the name is a whole title."""
    return source.name if len(source.name.split()) <= 5 else "This work"


class _Composer:
    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.plan = brief.plan
        self.understanding = brief.plan.understanding
        self.text: Messages = messages_for(brief.language)
        self.evidence: dict[str, list[Evidence]] = defaultdict(list)
        for item in brief.evidence:
            self.evidence[item.source_id].append(item)
        self.used: set[tuple[str, tuple[int, int]]] = set()
        focus_id = self.understanding.focus[0]
        self.focus = taxonomy.focuses().get(focus_id, taxonomy.focuses()["mechanism"])
        self.misfits = {w.source_id for w in self.warnings("model_task_mismatch")}

    # --- helpers ------------------------------------------------------------------------

    def n(self, source_id: str) -> int:
        return self.brief.number(source_id)

    def source(self, source_id: str) -> Source:
        return self.brief.source(source_id)

    def a(self, label: str) -> str:
        return self.text.with_article(label)

    def things(self, modalities: tuple[str, ...] | list[str], *, made: bool = False) -> str:
        """ "a set of images and a point cloud": each with its own article."""
        return self.text.join([self.a(self.text.label(m, made=made)) for m in modalities])

    def labels(self, modalities: tuple[str, ...] | list[str]) -> str:
        return self.text.join([self.text.label(m) for m in modalities])

    def say(self, item: Evidence) -> str:
        """An evidence sentence, restated about its source and cited; remembered as used.

        A summary's own citations ("[12]") point into its paper's bibliography, not ours:
        they are left out of the restatement.
        """
        self.used.add((item.source_id, item.span))
        source = self.source(item.source_id)
        text = _SOURCE_CITATION.sub("", normalize_prose(item.text))
        return cite(restate(text, _subject(source)), self.n(item.source_id))

    def unused(self, source_id: str) -> list[Evidence]:
        return [e for e in self.evidence[source_id] if (e.source_id, e.span) not in self.used]

    def warnings(self, code: str) -> list[Warning]:
        return [w for w in self.plan.warnings if w.code == code]

    def main_models(self) -> list[str]:
        return list(
            dict.fromkeys(s.source_id for s in self.plan.steps if s.source_id and not s.optional)
        )

    def doing_the_job(self) -> list[str]:
        """Main-path sources whose task is of the user's family first: they hold the how."""
        family = self.understanding.task.family
        known = taxonomy.tasks()
        ids = [s for s in self.main_models() if s not in self.misfits]

        def of_family(source_id: str) -> bool:
            tasks = self.source(source_id).tasks
            return any(t in known and known[t].family == family for t in tasks)

        return sorted(ids, key=lambda s: not of_family(s))

    # --- the mechanism ------------------------------------------------------------------

    def mechanism_slot(self) -> str:
        """The sentences that say how the result gets the property the question asks about,
        from the sources that do the job; a source off the path that shows the same idea when
        none on it does."""
        chosen: list[Evidence] = []
        central = self.doing_the_job()
        for source_id in central:  # each central source's best sentence on the focus
            on_focus = [e for e in self.unused(source_id) if e.on_focus and e.score > 0]
            if on_focus and len(chosen) < MECHANISM_SENTENCES:
                chosen.append(max(on_focus, key=lambda e: e.score))
        pool = [
            e
            for source_id in central
            for e in self.unused(source_id)
            if e not in chosen and e.score >= 2
        ]
        for item in sorted(pool, key=lambda e: -e.score):
            if len(chosen) >= MECHANISM_SENTENCES:
                break
            same_source = sum(1 for e in chosen if e.source_id == item.source_id)
            # Two sentences a source at most (its step keeps one), and none that says again
            # what a chosen one says.
            if same_source < 2 and not any(_restates(item, e) for e in chosen):
                chosen.append(item)
        if chosen:
            order = {source_id: index for index, source_id in enumerate(central)}
            chosen.sort(key=lambda e: (order[e.source_id], e.span[0]))
            return " ".join(self.say(item) for item in chosen)
        return self.borrowed_mechanism()

    def borrowed_mechanism(self) -> str:
        """No source on the path says how: one off it that shows the same idea, named."""
        candidates = [
            e
            for source_id in (*self.plan.branched, *self.plan.background, *self.misfits)
            if source_id
            for e in self.unused(source_id)
            if e.on_focus and e.score >= 2
        ]
        if not candidates:
            return ""
        item = max(candidates, key=lambda e: e.score)
        source = self.source(item.source_id)
        tasks = [taxonomy.tasks()[t] for t in source.tasks if t in taxonomy.tasks()]
        return (
            self.text(
                "borrowed_mechanism",
                name=f"{source.name} [{self.n(source.id)}]",
                task=self.text.task_name(tasks[0]) if tasks else self.text("its_own_job"),
            )
            + f" {self.say(item)}"
        )

    # --- the task -----------------------------------------------------------------------

    def task_slot(self) -> str:
        recommended = [s for s in self.brief.sources if s.role == "recommended"]
        if self.plan.recommended_fits and recommended:
            return self.fitting_models(recommended)
        return self.rest_of_workflow(recommended)

    def fitting_models(self, recommended: list[Source]) -> str:
        on_path = [s for s in recommended if s.id in self.main_models()]
        described = []
        for source in on_path or recommended:
            step = next((s for s in self.plan.steps if s.source_id == source.id), None)
            ins = step.inputs if step else (source.signature.inputs if source.signature else ())
            outs = step.outputs if step else (source.signature.outputs if source.signature else ())
            described.append(
                self.text(
                    "model_turns",
                    name=f"**{source.name}** [{self.n(source.id)}]",
                    inputs=self.things(ins),
                    outputs=self.things(outs, made=True),
                )
            )
        if len(described) == 1:
            return self.text("one_model_central", does=described[0])
        key = "models_chained" if self.feed_one_another(on_path) else "models_side_by_side"
        return self.text(key, does=self.text.join(described))

    def feed_one_another(self, sources: list[Source]) -> bool:
        """Whether one of these models' results flows into another's step (a chain), rather
        than each doing the central step on its own (alternatives side by side)."""
        workflow = self.plan.workflow
        nodes = {n.id: n for n in workflow.nodes}
        ids = {s.id for s in sources}
        after: dict[str, list[str]] = {}
        for edge in workflow.edges:
            after.setdefault(edge.source, []).append(edge.target)
        for start in (n.id for n in workflow.nodes if n.source_id in ids):
            seen, todo = {start}, list(after.get(start, ()))
            while todo:
                node_id = todo.pop()
                if node_id in seen:
                    continue
                seen.add(node_id)
                if nodes[node_id].source_id in ids:
                    return True
                todo.extend(after.get(node_id, ()))
        return False

    def rest_of_workflow(self, recommended: list[Source]) -> str:
        """For recommended models that do not fit: where the result really comes from."""
        recommended_ids = {s.id for s in recommended}
        parts: list[str] = []
        for step in self.plan.steps:
            if step.optional or step.kind in {"input", "output"}:
                continue
            if step.source_id and step.source_id not in recommended_ids:
                parts.append(f"{self.source(step.source_id).name} [{self.n(step.source_id)}]")
            elif step.operation and not step.covered:
                parts.append(self.text("uncovered_step", label=self.text.op_label(step)))
            elif step.operation and taxonomy.operations()[step.operation].kind != "format":
                parts.append(self.text("the_step", label=self.text.op_label(step)))
        lead = self.text.focus_lead(self.focus)
        if parts:
            return self.text("from_the_rest", lead=lead, parts=self.text.join(parts))
        return self.text("not_from_recommended", lead=lead)

    # --- the steps ----------------------------------------------------------------------

    def step_slot(self, step: Step) -> str:
        if step.kind == "input":
            return self.input_slot(step)
        if step.kind == "output":
            return ""
        if step.kind == "operation":
            text = self.text.sentence(self.text.op_description(step))
            if not step.covered:
                text += " " + self.text("any_model_can")
            return text
        source = self.source(step.source_id or "")
        said: list[str] = []
        if step.description and not step.optional:
            said.append(self.text("used_here", how=self.text.note(step.description)))
        if step.optional:
            said.append(self.text.sentence(self.text.branch_purpose(step.description)))
        items = self.unused(source.id)
        if items:
            said.append(self.say(items[0]))
        if not said and self.makes_the_result(step) and source.id not in self.misfits:
            # nothing of its own to quote (a bare title): say which job it does on the path
            # (not for a model that does not fit: the answer has just said it cannot do it)
            job = self.text.task_description(self.understanding.task)
            said.append(self.text("does_the_job", job=job))
        return " ".join(said)

    def makes_the_result(self, step: Step) -> bool:
        """Whether the step feeds the path's final output directly."""
        outputs = {n.id for n in self.plan.workflow.nodes if n.kind == "output"}
        return any(
            edge.source == step.node_id and edge.target in outputs
            for edge in self.plan.workflow.edges
        )

    def input_slot(self, step: Step) -> str:
        """What the input is used as, from the roles of the steps it feeds."""
        if step.description:
            return self.text.sentence(self.text.supplied_description(step))
        roles = [
            edge.role
            for edge in self.plan.workflow.edges
            if edge.source == step.node_id and edge.role
        ]
        described = [self.text.role(role) for role in dict.fromkeys(roles)]
        described = [d for d in described if d]
        if not described:
            return ""
        return self.text("input_serves", roles=self.text.join(described))

    # --- background ---------------------------------------------------------------------

    def background_slot(self, source_id: str) -> str:
        """Why a related source stays a reference, then what it says of itself."""
        source = self.source(source_id)
        tasks = [taxonomy.tasks()[t] for t in source.tasks if t in taxonomy.tasks()]
        if not tasks:
            role = self.text("background_unknown")
        elif tasks[0].family == self.understanding.task.family:
            role = self.text("background_same_family", task=self.text.task_name(tasks[0]))
        else:
            role = self.text("background_other", task=self.text.task_name(tasks[0]))
        items = self.unused(source_id)[:1]
        return " ".join([role, *(self.say(e) for e in items)])

    def slots(self) -> Slots:
        texts: dict[str, str] = {"mechanism": self.mechanism_slot()}
        steps = {step.node_id: step for step in self.plan.steps}
        for key in self.brief.slot_keys():
            kind, _, ident = key.partition(":")
            if kind == "step":
                texts[key] = self.step_slot(steps[ident])
            elif kind == "background":
                texts[key] = self.background_slot(ident)
        texts["task"] = self.task_slot()
        texts["caveats"] = ""
        return Slots(texts=texts)


_WORD = re.compile(r"[A-Za-z]{4,}")


def _restates(one: Evidence, other: Evidence) -> bool:
    """Whether two sentences say much the same (most content words shared)."""
    a = {w.lower() for w in _WORD.findall(one.text)}
    b = {w.lower() for w in _WORD.findall(other.text)}
    return bool(a and b) and len(a & b) >= 0.6 * min(len(a), len(b))


__all__ = ["TemplateWriter", "join_names"]
