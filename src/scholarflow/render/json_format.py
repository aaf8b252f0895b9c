"""JSON: the contract of DESIGN.md, `schema_version` 1 (schema/answer-v1.schema.json).

Fields may be added; none may be renamed or removed without a new schema_version. The same
request always gives the same bytes (stage timings stay in the Python API: `Answer.timings`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from scholarflow.models import Answer, CatalogHit

SCHEMA_VERSION = 1


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    understanding = answer.understanding
    task = understanding.task
    return {
        "schema_version": SCHEMA_VERSION,
        "question": answer.question,
        "language": understanding.language,  # of the answer's own words (quotes stay as written)
        "task": {
            "id": task.id,
            "name": task.name,
            "summary": f"{task.description[0].upper()}{task.description[1:]}.",
            "confidence": understanding.confidence,
            "inputs": list(understanding.have),
            "outputs": list(understanding.want),
            "focus": list(understanding.focus),
        },
        "workflow": {
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "label": n.label,
                    "modality": n.modality,
                    "source_id": n.source_id,
                    "optional": n.optional,
                }
                for n in answer.workflow.nodes
            ],
            "edges": [
                {"source": e.source, "target": e.target, "modality": e.modality, "role": e.role}
                for e in answer.workflow.edges
            ],
        },
        "references": [
            {
                "number": r.number,
                "source_id": r.source_id,
                "name": r.name,
                "title": r.title,
                "role": r.role,
                "links": list(r.links),
            }
            for r in answer.references
        ],
        "warnings": [
            {"code": w.code, "message": w.message, "source_id": w.source_id}
            for w in answer.warnings
        ],
        "evidence": [
            {"source_id": e.source_id, "text": e.text, "span": list(e.span), "field": e.field}
            for e in answer.evidence
        ],
        "sections": {
            "task": answer.sections.task,
            "workflow": answer.sections.workflow,
            "references": answer.sections.references,
        },
        "markdown": answer.markdown,
        "writer": answer.writer,
    }


def render_json(answer: Answer) -> str:
    return json.dumps(answer_to_dict(answer), ensure_ascii=False, indent=2) + "\n"


def hits_to_list(hits: Sequence[CatalogHit], provided: set[str]) -> list[dict[str, Any]]:
    """Ranked catalog hits. Links are listed only for entries the answer was given as
    sources: the grounding policy allows no other link in the output."""
    return [
        {
            "rank": rank,
            "entry_id": hit.entry.id,
            "name": hit.entry.name,
            "title": hit.entry.title,
            "kind": hit.entry.kind,
            "score": hit.score,
            "bm25_rank": hit.bm25_rank,
            "dense_rank": hit.dense_rank,
            "similarity": None if hit.similarity is None else round(hit.similarity, 4),
            "serves_task": hit.serves_task,
            "used": hit.entry.id in provided,
            "links": [
                u
                for u in (hit.entry.paper_url, hit.entry.github_url, hit.entry.project_url)
                if u and hit.entry.id in provided
            ],
        }
        for rank, hit in enumerate(hits, 1)
    ]


def render_ask_json(answer: Answer | None, hits: Sequence[CatalogHit], message: str = "") -> str:
    """`ask --format json`: the answer contract plus "sources", or `served: false`."""
    if answer is None:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "served": False,
            "message": message,
            "sources": hits_to_list(hits, set()),
        }
    else:
        used = {ref.catalog_id for ref in answer.references if ref.catalog_id}
        data = answer_to_dict(answer) | {"served": True, "sources": hits_to_list(hits, used)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
