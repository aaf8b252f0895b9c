"""JSON: the contract of DESIGN.md, `schema_version` 1 (schema/answer-v1.schema.json).

Fields may be added; none may be renamed or removed without a new schema_version. The same
request always gives the same bytes (stage timings stay in the Python API: `Answer.timings`).
"""

from __future__ import annotations

import json
from typing import Any

from scholarflow.models import Answer

SCHEMA_VERSION = 1


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    understanding = answer.understanding
    task = understanding.task
    return {
        "schema_version": SCHEMA_VERSION,
        "question": answer.question,
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
                {"source": e.source, "target": e.target, "modality": e.modality}
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
