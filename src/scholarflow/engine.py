"""The engine: runs the pipeline stages in order and keeps grounding by construction.

    parse → understand → plan → evidence → write → verify → render

Each stage is a plain function in its own module; this one wires them and times them. Code
writes every name, link, citation, the diagram and the references (render/document.py); a
writer only fills prose slots, and each slot the writer returns passes the screen
(grounding.py) on its own or is replaced by the template writer's text for that slot, with a
warning that says which. When most of a writer's slots fail, the whole answer is the
template's. The template's own slots pass the same screen; a sentence of its that cannot be
grounded is not written, so a valid prompt never ends without an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import TYPE_CHECKING

from scholarflow import evidence, planning, signatures
from scholarflow.errors import ConfigurationError, GroundingError
from scholarflow.grounding import Problem, Screen, sanitize_question
from scholarflow.models import (
    Answer,
    Brief,
    Plan,
    Reference,
    Request,
    Sections,
    Slots,
    Source,
    Understanding,
    Warning,
    slot_kind,
)
from scholarflow.render.document import (
    Part,
    assemble,
    compose,
    headings,
    outline,
    render_part,
)
from scholarflow.text import canonical_url, find_urls, has_link, sentences
from scholarflow.understanding import tells_alternatives, tells_steps, understand, users_telling
from scholarflow.writers import Writer, get_writer

if TYPE_CHECKING:
    from scholarflow.models import CatalogHit
    from scholarflow.retrieval import Retriever

TextSink = Callable[[str], None]
# A writer's answer is the template's when this share of the slots it wrote fail, or when
# both the task paragraph and the mechanism fail: what is left would be mostly ours.
_REJECT_SHARE = 0.5


def clear_caches() -> None:
    """Forget per-source-text work (sentence analysis); for measurements."""
    evidence.analyse_cache_clear()


def references_for(sources: tuple[Source, ...]) -> tuple[Reference, ...]:
    return tuple(
        Reference(
            number=i,
            source_id=s.id,
            name=s.name,
            title=s.title,
            role=s.role,
            links=tuple(s.links()),
            catalog_id=s.catalog_id,
        )
        for i, s in enumerate(sources, 1)
    )


@dataclass
class Prepared:
    """Everything before the writer: what the engine, MCP's compose_workflow and tests share."""

    request: Request
    brief: Brief
    screen: Screen
    timings: dict[str, float]


def prepare(request: Request) -> Prepared:
    """Signatures, understanding, plan and screened evidence for a request."""
    timings: dict[str, float] = {}
    clock = perf_counter()

    def lap(stage: str) -> None:
        # (a stage run twice, on a second reading, counts both times)
        nonlocal clock
        now = perf_counter()
        timings[stage] = round(timings.get(stage, 0.0) + (now - clock) * 1000, 3)
        clock = now

    enriched = signatures.enrich_all(request.sources)
    request = request.model_copy(
        update={
            "recommended": tuple(s for s in enriched if s.role == "recommended"),
            "related": tuple(s for s in enriched if s.role != "recommended"),
        }
    )
    original = request
    lap("signatures")
    understanding, enriched, request, plan = _read_and_plan(request, lap)
    if (
        _every_recommended_flagged(plan, request)
        and understanding.confidence < _SURE_AGAINST_THE_PICKS
        and not original.earlier
    ):
        # Two picks or more of the platform, none fitting an unsure reading, say more
        # against the reading than against them all: the request is read again among the
        # tasks they do, and that reading stands where it leaves fewer of them unfit. (Not a
        # follow-up: what the conversation said carries it.)
        served = frozenset(
            task_id for s in original.recommended for task_id in (*s.tasks, *s.plausible)
        )
        again = _read_and_plan(original, lap, among=served) if served else None
        if (
            again is not None
            and again[0].question_reads_as is not None
            and _flagged(again[3], again[2]) < _flagged(plan, request)
        ):
            understanding, enriched, request, plan = again
    screen = Screen(enriched, question=request.question)
    found, instructed = evidence.gather(enriched, understanding.focus, screen)
    lap("evidence")

    names = {s.id: s.name for s in enriched}
    extra = [
        Warning(
            code="source_text_ignored",
            source_id=source_id,
            message=(
                f"The summary of {names[source_id]} contains a sentence addressed to the "
                "reader; it was treated as data and not used."
            ),
        )
        for source_id in instructed
    ]
    if has_link(request.question, names=screen.dotted_names):
        extra.append(
            Warning(
                code="question_link_ignored",
                message="The question contains a link; links in a question are not sources, "
                "so it is neither followed nor cited.",
            )
        )
    plan = plan.model_copy(update={"warnings": plan.warnings + tuple(extra)})
    brief = Brief(
        question=sanitize_question(request.question, screen.dotted_names),
        plan=plan,
        sources=enriched,
        evidence=found,
        references=references_for(enriched),
    )
    screen.set_topic(_topic_text(brief))
    return Prepared(request=request, brief=brief, screen=screen, timings=timings)


# A reading this sure of the question stands against every pick of the platform.
_SURE_AGAINST_THE_PICKS = 0.7


def _read_and_plan(
    request: Request, lap: Callable[[str], None], *, among: frozenset[str] | None = None
) -> tuple[Understanding, tuple[Source, ...], Request, Plan]:
    """The user's task (`among` those tasks, where given), the sources adopted to it, and
    the plan: the request's sources already enriched. (`lap` adds each stage's time.)"""
    understanding = understand(request, among=among)
    enriched = tuple(request.sources)
    enriched = signatures.adopt_stated_work(enriched, request.question)
    enriched = signatures.adopt_task(enriched, understanding.task.id, doing=understanding.task)
    enriched = signatures.adopt_unread(enriched, understanding.task.id)
    enriched = signatures.adopt_feeder(
        enriched,
        understanding.have,
        understanding.task.id,
        steps_told=tells_steps(users_telling(request.question)),
        made=understanding.made_on_the_way,
        alternatives_told=tells_alternatives(users_telling(request.question)),
    )
    enriched = signatures.adopt_stated_needs(enriched, request.question)
    enriched = signatures.adopt_told_steps(
        enriched, understanding.told_steps, understanding.task.id
    )
    enriched = signatures.adopt_guide(enriched, wanted=understanding.want)
    enriched = signatures.adopt_alternative(
        enriched,
        understanding.have,
        understanding.task.id,
        steps_told=tells_steps(users_telling(request.question)),
    )
    enriched = planning.compose_recommended(understanding, enriched, request.question)
    request = request.model_copy(
        update={
            "recommended": tuple(s for s in enriched if s.role == "recommended"),
            "related": tuple(s for s in enriched if s.role != "recommended"),
        }
    )
    lap("understand")
    plan = planning.plan(understanding, enriched, request.question)
    lap("plan")
    return understanding, enriched, request, plan


def _flagged(plan: Plan, request: Request) -> int:
    """How many recommended models the plan says do not fit."""
    flagged = {w.source_id for w in plan.warnings if w.code == "model_task_mismatch"}
    return sum(1 for s in request.recommended if s.id in flagged)


def _every_recommended_flagged(plan: Plan, request: Request) -> bool:
    return len(request.recommended) >= 2 and _flagged(plan, request) == len(request.recommended)


def _topic_text(brief: Brief) -> str:
    """Everything this request is about, as words: what a slot must stay close to."""
    from scholarflow import taxonomy

    plan = brief.plan
    task = plan.understanding.task
    focus = taxonomy.focuses().get(plan.understanding.focus[0])
    parts = [task.name, task.description, task.result, task.goal]
    parts += [taxonomy.label(m) for m in (*plan.understanding.have, *plan.understanding.want)]
    parts += [f"{step.label} {step.description}" for step in plan.steps]
    parts += [taxonomy.label(m) for step in plan.steps for m in (*step.inputs, *step.outputs)]
    parts += [f"{s.name} {s.title} {s.catalog_summary or ''}" for s in brief.sources]
    parts += [item.text for item in brief.evidence]
    parts += [w.message for w in plan.warnings]
    if focus is not None:
        parts += [focus.phrase, focus.heading, " ".join(focus.evidence)]
    return " ".join(parts)


def answer(
    request: Request, *, writer: Writer | str = "template", on_text: TextSink | None = None
) -> Answer:
    """Answer a request from its provided sources only.

    `on_text`, when given, receives the answer's Markdown piece by piece as each part is
    decided (screened), ending with exactly `Answer.markdown`: streaming never shows text the
    screen has not passed.
    """
    prepared = prepare(request)
    brief, screen, timings = prepared.brief, prepared.screen, prepared.timings
    clock = perf_counter()
    parts = outline(brief)
    template = _template_slots(brief, screen)
    chosen = get_writer(writer) if isinstance(writer, str) else writer
    stream = DocumentStream(parts, on_text, brief.language) if on_text is not None else None
    if chosen.name == "template":
        slots, warnings, used = template, [], "template"
        if stream is not None:
            stream.finish(slots)
    else:
        slots, warnings, used = _writer_slots(chosen, brief, screen, template, stream)
    timings["write"] = round((perf_counter() - clock) * 1000, 3)
    clock = perf_counter()
    sections = assemble(parts, slots)
    _final_check(sections, brief, screen)
    timings["verify"] = round((perf_counter() - clock) * 1000, 3)
    return Answer(
        question=brief.question,
        understanding=brief.plan.understanding,
        workflow=brief.plan.workflow,
        references=brief.references,
        warnings=brief.plan.warnings + tuple(warnings),
        evidence=brief.evidence,
        sections=sections,
        markdown=compose(sections, brief.language),
        writer=used,
        timings=timings,
    )


# --- slots -----------------------------------------------------------------------------------


def _template_slots(brief: Brief, screen: Screen) -> Slots:
    """The template writer's slots, each sentence screened: one it cannot ground is dropped."""
    from scholarflow.writers.template import TemplateWriter

    written = TemplateWriter().write(brief)
    kept: dict[str, str] = {}
    for key, text in written.texts.items():
        if not text or not _policy_or_words(screen, text):
            kept[key] = text
            continue
        kept[key] = " ".join(
            text[a:b] for a, b in sentences(text) if not _policy_or_words(screen, text[a:b])
        )
    return Slots(texts=kept)


def _policy_or_words(screen: Screen, text: str) -> list[Problem]:
    return screen.policy_problems(text) + screen.unknown_words(text)


@dataclass
class _Verdict:
    accepted: dict[str, str]
    failed: dict[str, list[Problem]]


def _judge(key: str, text: str, verdict: _Verdict, screen: Screen, brief: Brief) -> list[Problem]:
    others = [t for k, t in verdict.accepted.items() if k != key]
    return screen.prose_problems(text, slot_kind(key), others=others, question=brief.question)


def _writer_slots(
    writer: Writer,
    brief: Brief,
    screen: Screen,
    template: Slots,
    stream: DocumentStream | None,
) -> tuple[Slots, list[Warning], str]:
    """A writer's slots, each screened; failures replaced by the template's, with a warning."""
    keys = brief.slot_keys()
    verdict = _Verdict(accepted={}, failed={})
    giving_up = False

    def on_slot(key: str, text: str) -> None:
        nonlocal giving_up
        if key not in keys or key in verdict.accepted or key in verdict.failed:
            return
        if not text.strip():
            return
        problems = [] if giving_up else _judge(key, text, verdict, screen, brief)
        if giving_up or problems:
            verdict.failed[key] = problems or [Problem("quality", "most other slots failed")]
            if stream is not None:
                stream.decide(key, template.get(key))
                # What has streamed cannot be taken back, so a streamed answer stops trusting
                # the writer sooner: at a failed task paragraph, or at a second failure.
                giving_up = "task" in verdict.failed or len(verdict.failed) >= 2
            return
        verdict.accepted[key] = text
        if stream is not None:
            stream.decide(key, text)

    broken: Warning | None = None
    if stream is None:
        written = writer.write(brief)
    else:
        try:
            written = writer.write(brief, on_slot=on_slot)
        except ConfigurationError as error:
            if not stream.decided:
                raise  # nothing was shown yet: the failure is the whole outcome (exit 4)
            # Part of the answer has been shown: finish it from the plan, and say why.
            written = Slots()
            broken = Warning(
                code="llm_stream_failed",
                message=f"The {writer.name} writer stopped mid-answer ({error}); the rest of "
                "the answer is the template's.",
            )
    for key in keys:  # slots the writer returned without streaming them, in document order
        on_slot(key, written.get(key))
    for key in ("task", "mechanism"):
        if key not in verdict.accepted and key not in verdict.failed:
            verdict.failed[key] = [Problem("quality", "the writer left it empty")]
    _tell(writer, verdict)

    if stream is None and _too_many_failures(verdict):
        return template, [_rejection(writer, verdict)], "template"
    texts = {key: verdict.accepted.get(key, template.get(key)) for key in keys}
    if stream is not None:
        stream.finish(Slots(texts=texts))
    warnings = [broken] if broken is not None else []
    if verdict.failed:
        warnings.append(_replacement(writer, verdict, brief))
    used = writer.name if verdict.accepted else "template"
    return Slots(texts=texts), warnings, used


def _too_many_failures(verdict: _Verdict) -> bool:
    judged = len(verdict.accepted) + len(verdict.failed)
    if not judged:
        return False
    if "task" in verdict.failed and "mechanism" in verdict.failed:
        return True
    return len(verdict.failed) / judged > _REJECT_SHARE and len(verdict.failed) >= 2


_PLAIN_PROBLEMS = {
    "link": "a link",
    "html": "markup",
    "citation": "a citation of no provided source",
    "foreign_name": "a name that was not provided",
    "unknown_word": "a word that is neither provided nor ordinary",
    "mixed_script": "a disguised word",
    "quality": "text below the quality floor",
}


def _slot_label(key: str, brief: Brief) -> str:
    kind, _, ident = key.partition(":")
    if kind == "step":
        step = next((s for s in brief.plan.steps if s.node_id == ident), None)
        return f"the step '{step.label}'" if step else "a step"
    if kind == "background":
        return f"the note on {brief.source(ident).name}"
    return {"task": "the task paragraph", "mechanism": "the mechanism", "caveats": "the caveats"}[
        kind
    ]


def _reasons(verdict: _Verdict) -> str:
    kinds = sorted({p.kind for problems in verdict.failed.values() for p in problems})
    # Kinds, never the offending text: a refused link or name must not come back this way.
    return ", ".join(_PLAIN_PROBLEMS.get(kind, kind) for kind in kinds)


def _replacement(writer: Writer, verdict: _Verdict, brief: Brief) -> Warning:
    labels = [_slot_label(key, brief) for key in verdict.failed]
    return Warning(
        code="writer_slots_replaced",
        message=(
            f"The {writer.name} writer's text for {', '.join(labels)} was replaced by the "
            f"template's ({_reasons(verdict)})."
        ),
    )


def _rejection(writer: Writer, verdict: _Verdict) -> Warning:
    judged = len(verdict.accepted) + len(verdict.failed)
    return Warning(
        code="llm_output_rejected",
        message=(
            f"The {writer.name} writer's answer could not be used: {len(verdict.failed)} of "
            f"{judged} parts failed the screen ({_reasons(verdict)}); the template answer is "
            "shown instead."
        ),
    )


def _tell(writer: Writer, verdict: _Verdict) -> None:
    """Let a writer that logs its calls (the LLM writer) record the screen's verdict."""
    record = getattr(writer, "record", None)
    if not callable(record):
        return
    actions = [
        f"replaced {key}: " + "; ".join(sorted({p.kind for p in problems}))
        for key, problems in verdict.failed.items()
    ]
    outcome = (
        "rejected" if _too_many_failures(verdict) else "repaired" if verdict.failed else "accepted"
    )
    record(outcome, actions)


# --- the finished document -------------------------------------------------------------------


def _final_check(sections: Sections, brief: Brief, screen: Screen) -> None:
    """Belt and braces over what code assembled: links only in the references, and only the
    provided ones; citations in range. A failure here is a bug in the assembly, not a writer's
    fault, so it is an error (exit 3) rather than something to repair."""
    problems: list[str] = []
    names = screen.dotted_names
    for name in ("task", "workflow"):
        section = getattr(sections, name)
        problems += [f"link in the {name} section: {u}" for u in find_urls(section, names=names)]
    for url in find_urls(sections.references, names=screen.reference_names):
        if canonical_url(url) not in screen.allowed_links:
            problems.append(f"link not provided: {url}")
    full = "\n".join((sections.task, sections.workflow, sections.references))
    problems += [f"citation {c}" for c in screen.bad_citations(full)]
    for source in brief.sources:
        if source.role == "recommended" and source.name.lower() not in full.lower():
            problems.append(f"the recommended model {source.name} is not named")
    if problems:
        raise GroundingError(
            "the answer could not be grounded in the provided sources: " + "; ".join(problems[:3]),
            problems,
        )


class DocumentStream:
    """Prints the document's parts in order as their slots are decided.

    What it prints, joined, is exactly `compose(assemble(parts, slots))` for the slots decided:
    a part waits until every slot before it is decided, so text reaches the reader only after
    the screen.
    """

    def __init__(self, parts: list[Part], emit: TextSink, language: str = "en") -> None:
        self.headings = headings(language)
        self.parts = parts
        self.emit = emit
        self.position = 0
        self.decided: dict[str, str] = {}
        self.section: str | None = None
        self.section_started = False
        self.finished = False

    def decide(self, key: str, text: str) -> None:
        self.decided.setdefault(key, text)
        self._advance()

    def finish(self, slots: Slots) -> None:
        for part in self.parts:
            if part.slot is not None:
                self.decided.setdefault(part.slot, slots.get(part.slot))
        self._advance()
        if not self.finished:
            self.finished = True
            self.emit("\n")

    def _advance(self) -> None:
        slots = Slots(texts=self.decided)
        while self.position < len(self.parts):
            part = self.parts[self.position]
            if part.slot is not None and part.slot not in self.decided:
                return
            self.position += 1
            if part.section != self.section:
                lead = "" if self.section is None else "\n\n"
                self.emit(f"{lead}{self.headings[part.section]}\n\n")
                self.section = part.section
                self.section_started = False
            rendered = render_part(part, slots)
            if rendered is None or not rendered.strip():
                continue
            self.emit((part.before if self.section_started else "") + rendered.strip())
            self.section_started = True


def plan_for(request: Request) -> Brief:
    """The brief (understanding, workflow, evidence, references) without writing an answer."""
    return prepare(request).brief


def ask(
    question: str,
    retriever: Retriever,
    *,
    writer: Writer | str = "template",
    limit: int = 10,
    on_text: TextSink | None = None,
    earlier: Sequence[str] = (),
) -> tuple[Answer, list[CatalogHit]]:
    """Answer a free question from the catalog: retrieve, build the request, answer it.

    `earlier`: the questions asked before this one in the same conversation, oldest first.
    A follow-up is read and searched in their context (followup.follow_up); a question that
    stands on its own is answered exactly as without them.

    Raises `retrieval.CatalogCannotServe` when nothing in the catalog is about the question.
    """
    from scholarflow.followup import follow_up
    from scholarflow.retrieval import build_request

    turn = follow_up(question, earlier)
    task = None
    if turn.leans:
        # The task the follow-up was understood to ask about steers the search even when it
        # is less certain than a first question's must be: the conversation makes it so.
        understood = understand(
            Request(question=question, recommended=(), origin="free", earlier=turn.earlier)
        )
        task = understood.task if understood.task.id != "none" else None
    hits = retriever.search(turn.search_text, limit=limit, task=task)
    request = build_request(question, hits, earlier=turn.earlier)
    return answer(request, writer=writer, on_text=on_text), hits
