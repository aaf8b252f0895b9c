"""`--format graph`: the answer's workflow as scholarflow's own typed graph, for other tools.

Numbered nodes with ordered, typed input and output slots, and links kept once, in a flat
list, as `[link_id, from_node, from_slot, to_node, to_slot, type]`: the shape of a node
editor's saved workflow, with scholarflow's own words and fields (docs/workflow-format.md),
and slots typed with modality ids from taxonomy/modalities.toml, so a tool can colour them
and refuse a connection whose types differ; `check_document` applies that same rule to any
document, ours or one a tool wrote. (It was called `--format workflow`, a name still
accepted; the file ComfyUI itself opens is `--format comfyui`, render/comfyui.py, built on
this graph.)

The document is built from the answer alone: the only links it holds are the references'
links, so it stays inside the grounding policy like every other format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from scholarflow import taxonomy
from scholarflow.errors import ScholarflowError
from scholarflow.models import Answer, Node, Reference, Workflow

FORMAT = "scholarflow-workflow"
VERSION = 1
NODE_TYPES = ("input", "model", "operation", "output")
# Spacing of the left-to-right layout: wide enough for a title, tall enough for a few slots.
COLUMN_WIDTH = 300
ROW_HEIGHT = 150

_NUMBERED = re.compile(r"^n(\d+)$")
# What the checks keep of a node: its "inputs" and "outputs" slot lists.
Sides = dict[str, list[dict[str, Any]]]


class WorkflowDocumentError(ScholarflowError, ValueError):
    """A workflow document that breaks its own typing rules (a link between slots of
    different modalities, a slot naming a link that does not exist…).

    `problems` lists every problem; the message names the first, so it stays one line."""

    def __init__(self, problems: list[str]) -> None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"workflow document refused: {problems[0]}{more}")
        self.problems = problems


@dataclass
class _Slot:
    name: str
    type: str
    links: list[int] = field(default_factory=list)


@dataclass
class _Sheet:
    """The slots of one node while the document is assembled."""

    inputs: list[_Slot] = field(default_factory=list)
    outputs: list[_Slot] = field(default_factory=list)


def _modality_label(modality: str) -> str:
    info = taxonomy.modalities().get(modality)
    return info.label if info else modality


def numeric_ids(workflow: Workflow) -> dict[str, int]:
    """`n7` becomes 7, so an id in the document is the id in every other format; any other
    id (or a clash) takes the next free number, in node order, which keeps it stable."""
    numbers: dict[str, int] = {}
    taken: set[int] = set()
    for node in workflow.nodes:
        match = _NUMBERED.match(node.id)
        if match and int(match.group(1)) not in taken and node.id not in numbers:
            numbers[node.id] = int(match.group(1))
            taken.add(numbers[node.id])
    next_free = max(taken, default=0) + 1
    for node in workflow.nodes:
        if node.id not in numbers:
            numbers[node.id] = next_free
            taken.add(next_free)
            next_free += 1
    return numbers


def _slot_name(modality: str, existing: Iterable[_Slot]) -> str:
    """The modality's label; a second slot of the same modality gets " 2", and so on."""
    label = _modality_label(modality)
    same = sum(1 for slot in existing if slot.type == modality)
    return label if same == 0 else f"{label} {same + 1}"


def _sheets(workflow: Workflow) -> dict[str, _Sheet]:
    """Each node's slots, in a fixed order so that slot indexes are stable.

    Input slots are the distinct modalities entering a node, in edge order; output slots the
    distinct modalities leaving it. An input node's single output slot and an output node's
    single input slot are its own modality, declared on the node even when no edge touches
    it. An input slot holds one link (an editor draws one wire into a socket), so a second
    edge of a modality that already fills a slot gets a slot of its own."""
    sheets = {node.id: _Sheet() for node in workflow.nodes}
    for node in workflow.nodes:
        if node.modality is not None and node.kind == "input":
            sheets[node.id].outputs.append(_Slot(_modality_label(node.modality), node.modality))
        if node.modality is not None and node.kind == "output":
            sheets[node.id].inputs.append(_Slot(_modality_label(node.modality), node.modality))
    seen_inputs: dict[str, list[str]] = {node.id: [] for node in workflow.nodes}
    for edge in workflow.edges:
        for end in (edge.source, edge.target):
            if end not in sheets:
                raise WorkflowDocumentError(
                    [f"edge {edge.source} → {edge.target}: node {end} is not in the workflow"]
                )
        outputs = sheets[edge.source].outputs
        if all(slot.type != edge.modality for slot in outputs):
            outputs.append(_Slot(_slot_name(edge.modality, outputs), edge.modality))
        inputs = sheets[edge.target].inputs
        declared = [s for s in inputs if s.type == edge.modality]
        if seen_inputs[edge.target].count(edge.modality) >= len(declared):
            inputs.append(_Slot(_slot_name(edge.modality, inputs), edge.modality))
        seen_inputs[edge.target].append(edge.modality)
    return sheets


def depths(workflow: Workflow) -> dict[str, int]:
    """Longest path from any starting node, so every link runs strictly left to right.

    Nodes on a cycle (the planner makes none) are put one column past the rest."""
    incoming = {node.id: 0 for node in workflow.nodes}
    for edge in workflow.edges:
        incoming[edge.target] += 1
    depth = {node.id: 0 for node in workflow.nodes}
    ready = [node.id for node in workflow.nodes if incoming[node.id] == 0]
    placed: list[str] = []
    while ready:
        current = ready.pop(0)
        placed.append(current)
        for edge in workflow.edges:
            if edge.source == current:
                depth[edge.target] = max(depth[edge.target], depth[current] + 1)
                incoming[edge.target] -= 1
                if incoming[edge.target] == 0:
                    ready.append(edge.target)
    last = max((depth[node_id] for node_id in placed), default=-1)
    for node in workflow.nodes:
        if node.id not in placed:
            depth[node.id] = last + 1
    return depth


def _positions(workflow: Workflow) -> dict[str, list[int]]:
    by_node = depths(workflow)
    rows: dict[int, int] = {}
    positions: dict[str, list[int]] = {}
    for node in workflow.nodes:
        depth = by_node[node.id]
        row = rows.get(depth, 0)
        rows[depth] = row + 1
        positions[node.id] = [COLUMN_WIDTH * depth, ROW_HEIGHT * row]
    return positions


def _source(node: Node, references: dict[str, Reference]) -> dict[str, Any] | None:
    """Which numbered reference a model node is: the same number as in the answer's text."""
    if node.kind != "model" or node.source_id not in references:
        return None
    reference = references[node.source_id]
    return {
        "number": reference.number,
        "name": reference.name,
        "title": reference.title,
        "role": reference.role,
        "links": list(reference.links),
    }


def _used_types(sheets: dict[str, _Sheet]) -> dict[str, str]:
    """The modalities the document uses, in the taxonomy's order (then any unknown one)."""
    used = {slot.type for sheet in sheets.values() for slot in (*sheet.inputs, *sheet.outputs)}
    ordered = [m for m in taxonomy.modalities() if m in used]
    ordered += sorted(used.difference(ordered))
    return {modality: _modality_label(modality) for modality in ordered}


def workflow_document(answer: Answer) -> dict[str, Any]:
    """The answer's workflow as a scholarflow-workflow document (docs/workflow-format.md).

    Raises `WorkflowDocumentError` rather than return a document that `check_document`
    would refuse: an editor should never be handed a graph it cannot load."""
    workflow = answer.workflow
    ids = numeric_ids(workflow)
    sheets = _sheets(workflow)
    links: list[list[Any]] = []
    filled: dict[str, list[bool]] = {n: [False] * len(s.inputs) for n, s in sheets.items()}
    for link_id, edge in enumerate(workflow.edges, 1):
        outputs = sheets[edge.source].outputs
        from_slot = next(i for i, slot in enumerate(outputs) if slot.type == edge.modality)
        inputs = sheets[edge.target].inputs
        to_slot = next(
            i
            for i, slot in enumerate(inputs)
            if slot.type == edge.modality and not filled[edge.target][i]
        )
        filled[edge.target][to_slot] = True
        outputs[from_slot].links.append(link_id)
        inputs[to_slot].links.append(link_id)
        links.append(
            [link_id, ids[edge.source], from_slot, ids[edge.target], to_slot, edge.modality]
        )

    references = {reference.source_id: reference for reference in answer.references}
    positions = _positions(workflow)
    task = answer.understanding.task
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "question": answer.question,
        "task": {"id": task.id, "name": task.name},
        "nodes": [
            {
                "id": ids[node.id],
                "type": node.kind,
                "title": node.label,
                "source": _source(node, references),
                "operation": node.operation if node.kind == "operation" else None,
                "optional": node.optional,
                "inputs": [
                    {"name": s.name, "type": s.type, "link": s.links[0] if s.links else None}
                    for s in sheets[node.id].inputs
                ],
                "outputs": [
                    {"name": s.name, "type": s.type, "links": list(s.links)}
                    for s in sheets[node.id].outputs
                ],
                "pos": positions[node.id],
            }
            for node in workflow.nodes
        ],
        "links": links,
        "types": _used_types(sheets),
    }
    validate_document(document)
    return document


def render_graph(answer: Answer) -> str:
    """`--format graph`: the document as JSON; the same answer always gives the same bytes."""
    return json.dumps(workflow_document(answer), indent=2, ensure_ascii=False) + "\n"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_nodes(
    nodes: list[Any], types: dict[str, Any] | None, problems: list[str]
) -> dict[int, Sides]:
    """Per-node problems. Returns, by id, the slots of each well-formed node (a slot list that
    is not one counts as empty) for the link checks, leaving the document itself untouched."""
    by_id: dict[int, Sides] = {}
    for position, node in enumerate(nodes):
        if not isinstance(node, dict) or not _is_int(node.get("id")):
            problems.append(f"node at position {position} has no integer id")
            continue
        node_id = node["id"]
        if node_id in by_id:
            problems.append(f"duplicate node id {node_id}")
            continue
        kind = node.get("type")
        if kind not in NODE_TYPES:
            problems.append(f"node {node_id} has unknown type {kind!r}")
        sides: Sides = {}
        for side in ("inputs", "outputs"):
            slots = node.get(side)
            if not isinstance(slots, list) or not all(isinstance(s, dict) for s in slots):
                problems.append(f"node {node_id} {side} is not a list of slots")
                slots = []
            sides[side] = slots
            for index, slot in enumerate(slots):
                slot_type = slot.get("type")
                if types is not None and not (isinstance(slot_type, str) and slot_type in types):
                    problems.append(
                        f"node {node_id} {side[:-1]} slot {index} has type {slot_type!r}, "
                        "which is not in types"
                    )
        by_id[node_id] = sides
        if kind == "input" and (sides["inputs"] or len(sides["outputs"]) != 1):
            problems.append(f"input node {node_id} must have no inputs and one output slot")
        if kind == "output" and (sides["outputs"] or len(sides["inputs"]) != 1):
            problems.append(f"output node {node_id} must have one input slot and no outputs")
    return by_id


def check_links(
    links: list[Any],
    slots_by_node: dict[int, Sides],
    problems: list[str],
    *,
    shape: str = "[link_id, from_node, from_slot, to_node, to_slot, type]",
    type_rule: str = "a link must join slots of the same type",
) -> dict[int, list[Any]]:
    """Each link against the slots at both its ends: they must exist, name it, and carry
    the link's type. Returns the well-formed links by id.

    Shared by every document that keeps its links as `[id, from_node, from_slot, to_node,
    to_slot, type]` over typed slot lists: this graph and the ComfyUI workflow built on it
    (render/comfyui.py). `shape` and `type_rule` are how a document's messages name the
    link's fields and the rule a mismatched link breaks."""
    by_link: dict[int, list[Any]] = {}
    for position, link in enumerate(links):
        if not (
            isinstance(link, list)
            and len(link) == 6
            and all(_is_int(value) for value in link[:5])
            and isinstance(link[5], str)
        ):
            problems.append(f"link at position {position} is not {shape}")
            continue
        link_id, from_node, from_slot, to_node, to_slot, link_type = link
        if link_id in by_link:
            problems.append(f"duplicate link id {link_id}")
            continue
        by_link[link_id] = link
        ends = (
            (from_node, "outputs", from_slot, "output"),
            (to_node, "inputs", to_slot, "input"),
        )
        for node_id, side, index, word in ends:
            if node_id not in slots_by_node:
                problems.append(f"link {link_id} refers to missing node {node_id}")
                continue
            slots = slots_by_node[node_id][side]
            if not 0 <= index < len(slots):
                problems.append(
                    f"link {link_id} refers to missing {word} slot {index} of node {node_id}"
                )
                continue
            slot = slots[index]
            if slot.get("type") != link_type:
                problems.append(
                    f"link {link_id} carries {link_type!r} but {word} slot {index} "
                    f"({slot.get('name')}) of node {node_id} is {slot.get('type')!r}: "
                    f"{type_rule}"
                )
            named = slot.get("links") if side == "outputs" else [slot.get("link")]
            if not isinstance(named, list) or link_id not in named:
                problems.append(
                    f"{word} slot {index} of node {node_id} does not list link {link_id}"
                )
    return by_link


def _check_slot_links(
    by_id: dict[int, Sides],
    by_link: dict[int, list[Any]],
    problems: list[str],
) -> None:
    """Each link a slot names must exist and end at that very slot."""
    for node_id, node in by_id.items():
        for side, word, end in (("inputs", "input", (3, 4)), ("outputs", "output", (1, 2))):
            for index, slot in enumerate(node[side]):
                if side == "inputs":
                    named = [] if slot.get("link") is None else [slot.get("link")]
                else:
                    named = slot.get("links")
                    if not isinstance(named, list):
                        problems.append(f"{word} slot {index} of node {node_id}: links not a list")
                        continue
                for link_id in named:
                    link = by_link.get(link_id) if _is_int(link_id) else None
                    if link is None:
                        problems.append(
                            f"{word} slot {index} of node {node_id} points at missing link "
                            f"{link_id!r}"
                        )
                    elif (link[end[0]], link[end[1]]) != (node_id, index):
                        problems.append(
                            f"{word} slot {index} of node {node_id} names link {link_id}, "
                            f"which ends at node {link[end[0]]} slot {link[end[1]]}"
                        )


def check_document(doc: Any) -> list[str]:
    """Every problem that would stop an editor from loading `doc` faithfully, in reading order;
    an empty list means the document is sound.

    It never raises on a malformed document: an editor-written file can hold anything, and a
    list of problems is more use to its author than the first exception."""
    if not isinstance(doc, dict):
        return ["the document is not a JSON object"]
    problems: list[str] = []
    if doc.get("format") != FORMAT:
        problems.append(f"format is {doc.get('format')!r}, expected {FORMAT!r}")
    if doc.get("version") != VERSION:
        problems.append(f"version is {doc.get('version')!r}, expected {VERSION}")
    types = doc.get("types")
    if not isinstance(types, dict):
        problems.append("types is not an object of modality id → label")
        types = None
    nodes = doc.get("nodes")
    if not isinstance(nodes, list):
        problems.append("nodes is not a list")
        nodes = []
    links = doc.get("links")
    if not isinstance(links, list):
        problems.append("links is not a list")
        links = []
    by_id = _check_nodes(nodes, types, problems)
    by_link = check_links(links, by_id, problems)
    for link in by_link.values():
        if types is not None and link[5] not in types:
            problems.append(f"link {link[0]} has type {link[5]!r}, which is not in types")
    _check_slot_links(by_id, by_link, problems)
    return problems


def validate_document(doc: Any) -> None:
    """Refuse a document with problems, the way an editor refuses a mismatched connection."""
    problems = check_document(doc)
    if problems:
        raise WorkflowDocumentError(problems)
