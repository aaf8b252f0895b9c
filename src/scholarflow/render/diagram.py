"""A plain-text drawing of the workflow, for the Markdown answer and the terminal.

The main chain (the path through the recommended model) comes first; every other edge is
drawn once, in chains, marked "also:" when it feeds the main result and "optional:" when it
belongs to a side branch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scholarflow import taxonomy
from scholarflow.models import Edge, Node, Workflow

if TYPE_CHECKING:
    from scholarflow.i18n import Messages

ARROW = "──{}──►"


def _name(node: Node, numbers: dict[str, int]) -> str:
    if node.source_id and node.source_id in numbers:
        return f"{node.label} [{numbers[node.source_id]}]"
    return node.label


def _main_chain(workflow: Workflow, preferred: set[str]) -> list[Edge]:
    incoming: dict[str, list[Edge]] = {}
    for edge in workflow.edges:
        incoming.setdefault(edge.target, []).append(edge)

    # Node ids run in topological order: one pass finds every node with a preferred node at
    # or upstream of it (a search per edge would grow with the number of paths).
    upstream: dict[str, bool] = {}
    for node in workflow.nodes:
        upstream[node.id] = node.id in preferred or any(
            upstream.get(e.source, False) for e in incoming.get(node.id, [])
        )

    def leads_to_preferred(node_id: str) -> bool:
        return upstream.get(node_id, False)

    outputs = [n for n in workflow.nodes if n.kind == "output" and not n.optional]
    if not outputs:
        return []
    chain: list[Edge] = []
    current = outputs[0].id
    while incoming.get(current):
        edges = incoming[current]
        # Prefer the way back through the recommended model, then through any model.
        best = next(
            (e for e in edges if leads_to_preferred(e.source)),
            next((e for e in edges if workflow.node(e.source).kind == "model"), edges[0]),
        )
        chain.append(best)
        current = best.source
    return list(reversed(chain))


def _line(
    edges: list[Edge], workflow: Workflow, numbers: dict[str, int], text: Messages | None
) -> str:
    parts = [_name(workflow.node(edges[0].source), numbers)]
    for edge in edges:
        # a thing a model or step made is named as made ("text", not "text prompt")
        made = workflow.node(edge.source).kind != "input"
        label = (
            text.label(edge.modality, made=made)
            if text
            else taxonomy.label(edge.modality, made=made)
        )
        parts.append(ARROW.format(label))
        parts.append(_name(workflow.node(edge.target), numbers))
    return " ".join(parts)


def ascii_diagram(
    workflow: Workflow,
    numbers: dict[str, int],
    preferred: set[str] | None = None,
    text: Messages | None = None,
) -> str:
    """The workflow as lines of `a ──modality──► b`; `preferred` nodes lead the main line."""
    if not workflow.edges:
        return "\n".join(_name(n, numbers) for n in workflow.nodes)
    if text is None:
        from scholarflow.i18n import messages_for

        text = messages_for("en")
    main = _main_chain(workflow, preferred or set())
    drawn = set(map(id, main))
    on_main = {e.source for e in main} | {e.target for e in main}
    lines = [_line(main, workflow, numbers, text)] if main else []
    outgoing: dict[str, list[Edge]] = {}
    for edge in workflow.edges:
        outgoing.setdefault(edge.source, []).append(edge)
    for edge in workflow.edges:
        if id(edge) in drawn:
            continue
        chain = [edge]
        drawn.add(id(edge))
        while chain[-1].target not in on_main:  # the main line already shows what follows
            nxt = [e for e in outgoing.get(chain[-1].target, []) if id(e) not in drawn]
            if not nxt:
                break
            chain.append(nxt[0])
            drawn.add(id(nxt[0]))
        optional = any(workflow.node(e.target).optional for e in chain)
        prefix = f"  {text('diagram_optional') if optional else text('diagram_also')}: "
        lines.append(prefix + _line(chain, workflow, numbers, text))
    return "\n".join(lines)
