"""Mermaid: the workflow as a flowchart, nodes shaped by kind and edges labelled by modality."""

from __future__ import annotations

from scholarflow.models import Answer, Node, Workflow

_SHAPES = {
    "input": ('[/"', '"/]'),
    "model": ('["', '"]'),
    "operation": ('("', '")'),
    "output": ('(["', '"])'),
}


def _label(node: Node, numbers: dict[str, int]) -> str:
    text = node.label
    if node.source_id and node.source_id in numbers:
        text += f" [{numbers[node.source_id]}]"
    return text.replace('"', "#quot;")


def workflow_to_mermaid(workflow: Workflow, numbers: dict[str, int]) -> str:
    lines = ["flowchart LR"]
    for node in workflow.nodes:
        opening, closing = _SHAPES[node.kind]
        lines.append(f"  {node.id}{opening}{_label(node, numbers)}{closing}")
    for edge in workflow.edges:
        lines.append(f"  {edge.source} -- {edge.modality} --> {edge.target}")
    for kind in ("input", "model", "operation", "output"):
        ids = [n.id for n in workflow.nodes if n.kind == kind]
        if ids:
            lines.append(f"  class {','.join(ids)} {kind}")
    optional = [n.id for n in workflow.nodes if n.optional]
    if optional:
        lines.append(f"  class {','.join(optional)} optional")
    lines += [
        "  classDef input fill:#e8f1fb,stroke:#2b6cb0",
        "  classDef model fill:#fdf2e3,stroke:#c05621",
        "  classDef operation fill:#f0f0f0,stroke:#555",
        "  classDef output fill:#e6f6ec,stroke:#2f855a",
        "  classDef optional stroke-dasharray:4 3",
    ]
    return "\n".join(lines) + "\n"


def render_mermaid(answer: Answer) -> str:
    numbers = {r.source_id: r.number for r in answer.references}
    return workflow_to_mermaid(answer.workflow, numbers)
