"""The engine: runs the pipeline stages in order and enforces grounding on the way out.

    parse → understand → plan → evidence → write → verify → render

Each stage is a plain function in its own module; this one only wires them and times them.
An answer that breaks the grounding policy is never returned: a writer other than the
template writer is repaired (offending sentences dropped) or replaced by the template answer
with a warning; a template answer that fails the guard is an error (exit 3).
"""

from __future__ import annotations

from collections import Counter
from time import perf_counter
from typing import TYPE_CHECKING

from scholarflow import evidence, planning, signatures
from scholarflow.errors import GroundingError
from scholarflow.grounding import Guard, sanitize_question
from scholarflow.models import Answer, Brief, Reference, Request, Sections, Source, Warning
from scholarflow.render.markdown import compose
from scholarflow.text import URL_PATTERN
from scholarflow.understanding import understand
from scholarflow.writers import Writer, get_writer

if TYPE_CHECKING:
    from scholarflow.models import CatalogHit
    from scholarflow.retrieval import Retriever


def clear_caches() -> None:
    """Forget per-source-text work (sentence analysis, token sets); for measurements."""
    from scholarflow import grounding

    evidence.analyse_cache_clear()
    grounding.tokens_cache_clear()


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


def answer(request: Request, *, writer: Writer | str = "template") -> Answer:
    """Answer a request from its provided sources only."""
    timings: dict[str, float] = {}
    clock = perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = perf_counter()
        timings[stage] = round((now - clock) * 1000, 3)
        clock = now

    enriched = tuple(signatures.enrich(s) for s in request.sources)
    request = request.model_copy(
        update={
            "recommended": tuple(s for s in enriched if s.role == "recommended"),
            "related": tuple(s for s in enriched if s.role != "recommended"),
        }
    )
    lap("signatures")
    understanding = understand(request)
    lap("understand")
    plan = planning.plan(understanding, enriched)
    lap("plan")
    guard = Guard(enriched)
    found, instructed = evidence.gather(
        enriched, understanding.focus, foreign_names=guard.foreign_names
    )
    lap("evidence")

    extra = [
        Warning(
            code="source_text_ignored",
            source_id=source_id,
            message=(
                f"The summary of {next(s.name for s in enriched if s.id == source_id)} contains "
                "a sentence addressed to the reader; it was treated as data and not used."
            ),
        )
        for source_id in instructed
    ]
    if URL_PATTERN.search(request.question):
        extra.append(
            Warning(
                code="question_link_ignored",
                message="The question contains a link; links in a question are not sources, "
                "so it is neither followed nor cited.",
            )
        )
    plan = plan.model_copy(update={"warnings": plan.warnings + tuple(extra)})
    references = references_for(enriched)
    brief = Brief(
        question=sanitize_question(request.question),
        plan=plan,
        sources=enriched,
        evidence=found,
        references=references,
    )

    chosen = get_writer(writer) if isinstance(writer, str) else writer
    sections = chosen.write(brief)
    lap("write")
    sections, warnings, used_writer = _grounded(sections, chosen, brief, guard)
    lap("verify")
    markdown = compose(sections)
    result = Answer(
        question=brief.question,
        understanding=understanding,
        workflow=plan.workflow,
        references=references,
        warnings=plan.warnings + tuple(warnings),
        evidence=found,
        sections=sections,
        markdown=markdown,
        writer=used_writer,
        timings=timings,
    )
    lap("render")
    return result


def _grounded(
    sections: Sections, writer: Writer, brief: Brief, guard: Guard
) -> tuple[Sections, list[Warning], str]:
    """The sections, if grounded; else repaired; else the template's, with a warning.

    Repair, for a writer other than the template: drop every sentence that carries a foreign
    link, an unprovided name or a citation of no source; restore from the plan (the template's
    wording) a section that is missing, a references section that lost a link, or a workflow
    section that no longer names the recommended model. An answer that still fails, or needed
    more than one part restored, is rejected for the template answer.
    """
    violations = guard.verify(sections, brief.references)
    if not violations:
        _tell(writer, "accepted", [])
        return sections, [], writer.name
    if writer.name == "template":
        raise GroundingError(
            "the answer could not be grounded in the provided sources: "
            + "; ".join(map(str, violations[:3])),
            [str(v) for v in violations],
        )
    template = get_writer("template").write(brief)
    repaired, actions = _repair(sections, template, violations, brief, guard)
    # An answer that needed more than one part put back from the plan is mostly ours, not
    # the writer's: showing it as the writer's answer would mislead.
    restored_parts = sum(1 for action in actions if action.startswith("restored"))
    if restored_parts <= 1 and not guard.verify(repaired, brief.references):
        _tell(writer, "repaired", actions)
        # The message counts what was removed and never repeats it: a removed link or name
        # must not come back through the warning. `scholarflow logs` holds the details.
        kinds = Counter(
            v.kind for v in violations if v.kind in {"foreign_link", "unknown_name", "bad_citation"}
        )
        removed = [f"{n} {_PLAIN[kind]}{'s' if n > 1 else ''}" for kind, n in sorted(kinds.items())]
        restored = [a for a in actions if a.startswith("restored")]
        parts = (["removed " + ", ".join(removed)] if removed else []) + restored
        message = (
            f"The {writer.name} writer's answer broke the grounding policy and was repaired: "
            + "; ".join(parts)
            + "."
        )
        return repaired, [Warning(code="grounding_repaired", message=message)], writer.name
    remaining = guard.verify(template, brief.references)
    if remaining:
        raise GroundingError(
            "the answer could not be grounded in the provided sources: "
            + "; ".join(map(str, remaining[:3])),
            [str(v) for v in remaining],
        )
    _tell(writer, "rejected", [*actions, "replaced by the template answer"])
    return (
        template,
        [
            Warning(
                code="llm_output_rejected",
                message=f"The {writer.name} writer's answer could not be grounded "
                f"({len(violations)} problem(s), the first: "
                f"{violations[0].kind.replace('_', ' ')}); the template answer is shown instead.",
            )
        ],
        "template",
    )


def _repair(
    sections: Sections, template: Sections, violations: list, brief: Brief, guard: Guard
) -> tuple[Sections, list[str]]:
    actions = [
        f"removed {v.kind.replace('_', ' ')}: {v.detail}"
        for v in violations
        if v.kind in {"foreign_link", "unknown_name", "bad_citation"}
    ]
    repaired = guard.repair(sections, brief.references)
    restored: dict[str, str] = {}
    for key in ("task", "workflow", "references"):
        if not getattr(repaired, key).strip():
            restored[key] = getattr(template, key)
            actions.append(f"restored the missing {key} section from the plan")
    kinds = {v.kind for v in guard.verify(repaired.model_copy(update=restored), brief.references)}
    if "missing_link" in kinds and "references" not in restored:
        restored["references"] = template.references
        actions.append("restored the references and their links from the plan")
    if "missing_recommended" in kinds and "workflow" not in restored:
        restored["workflow"] = template.workflow
        actions.append("restored the workflow naming the recommended model from the plan")
    return repaired.model_copy(update=restored), actions


_PLAIN = {
    "foreign_link": "link outside the provided sources",
    "unknown_name": "name of a model that was not provided",
    "bad_citation": "citation of no provided source",
}


def _tell(writer: Writer, outcome: str, actions: list[str]) -> None:
    """Let a writer that logs its calls (the LLM writer) record the guard's verdict."""
    record = getattr(writer, "record", None)
    if callable(record):
        record(outcome, actions)


def ask(
    question: str,
    retriever: Retriever,
    *,
    writer: Writer | str = "template",
    limit: int = 10,
) -> tuple[Answer, list[CatalogHit]]:
    """Answer a free question from the catalog: retrieve, build the request, answer it.

    Raises `retrieval.CatalogCannotServe` when nothing in the catalog is about the question.
    """
    from scholarflow.retrieval import build_request

    hits = retriever.search(question, limit=limit)
    request = build_request(question, hits)
    return answer(request, writer=writer), hits
