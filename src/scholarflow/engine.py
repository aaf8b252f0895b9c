"""The engine: runs the pipeline stages in order and enforces grounding on the way out.

    parse → understand → plan → evidence → write → verify → render

Each stage is a plain function in its own module; this one only wires them and times them.
An answer that breaks the grounding policy is never returned: a writer other than the
template writer is repaired (offending sentences dropped) or replaced by the template answer
with a warning; a template answer that fails the guard is an error (exit 3).
"""

from __future__ import annotations

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
        enriched, understanding.focus, foreign_names=guard.known_foreign_names
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
    violations = guard.verify(sections, brief.references)
    if not violations:
        return sections, [], writer.name
    if writer.name == "template":
        raise GroundingError(
            "the answer could not be grounded in the provided sources: "
            + "; ".join(map(str, violations[:3])),
            [str(v) for v in violations],
        )
    repaired = guard.repair(sections, brief.references)
    if not guard.verify(repaired, brief.references):
        return (
            repaired,
            [
                Warning(
                    code="grounding_repaired",
                    message=f"The {writer.name} writer's answer named or linked something outside "
                    f"the provided sources; {len(violations)} such item(s) were removed.",
                )
            ],
            writer.name,
        )
    fallback = get_writer("template")
    template_sections = fallback.write(brief)
    remaining = guard.verify(template_sections, brief.references)
    if remaining:
        raise GroundingError(
            "the answer could not be grounded in the provided sources: "
            + "; ".join(map(str, remaining[:3])),
            [str(v) for v in remaining],
        )
    return (
        template_sections,
        [
            Warning(
                code="writer_output_rejected",
                message=f"The {writer.name} writer's answer could not be grounded "
                f"({violations[0]}); the template answer is shown instead.",
            )
        ],
        fallback.name,
    )


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
