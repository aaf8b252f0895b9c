"""`--format comfyui`: the answer's workflow as a file ComfyUI opens (its UI workflow JSON).

ComfyUI saves and loads the graph its editor shows as "workflow JSON", schema 0.4 of the
graph library the editor is built on (litegraph): `last_node_id`, `last_link_id`, `nodes`
(each with `id`, `type`, `pos`, `size`, `flags`, `order`, `mode`, typed `inputs` and
`outputs`, `properties`, `widgets_values`), `links` as `[id, origin_id, origin_slot,
target_id, target_slot, type]`, `groups` (`title`, `bounding`, `color`), `config`, `extra`
and `version`. This module writes exactly that, so a user can drop the file on ComfyUI's
canvas and see the answer's workflow as nodes and wires.

Why it is built on the typed graph (`render.graph`) rather than on the answer directly: the
graph already gives every node its ordered, typed slots and refuses a link between slots of
different modalities; this module only maps modalities to ComfyUI types (one-to-one, so the
editor refuses the same wrong wires the graph does) and steps to ComfyUI node types.

A step is a ComfyUI built-in node only where one does that exact job with those exact slots:
loading or saving an image or a video, a text box. Every other step (the provided models,
generic operations, things ComfyUI has no loader for) is a *placeholder*: a node of a type
no ComfyUI install has, which ComfyUI shows as a missing node with its slots and wires kept,
and whose properties say what it needs. `extra.scholarflow.placeholders` lists them, so a
user knows what to install. The sources, with their links, are a `Note` node.

Grounding: every name and link in the file is written by code from the answer's references,
its workflow labels and the taxonomy; nothing is copied from free text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from scholarflow import taxonomy
from scholarflow.models import Answer
from scholarflow.render.graph import (
    Sides,
    WorkflowDocumentError,
    check_links,
    depths,
    numeric_ids,
    workflow_document,
)

FORMAT = "scholarflow-comfyui"  # extra.scholarflow.format: which tool wrote the file
FORMAT_VERSION = 1
SCHEMA_VERSION = 0.4  # ComfyUI's (litegraph's) workflow schema
PLACEHOLDER_PREFIX = "scholarflow:"

# ComfyUI's own type names for the modalities it carries natively; any other modality is
# its id in capitals (DEPTH_VIDEO), which no ComfyUI node declares, so only our slots fit.
NATIVE_TYPES = {"text": "STRING", "image": "IMAGE", "video": "VIDEO", "mask": "MASK"}

# Sizes follow litegraph's defaults: a 30-unit title bar above `pos`, slots 20 units apart.
TITLE_HEIGHT = 30
SLOT_HEIGHT = 20
MIN_WIDTH = 240
MIN_HEIGHT = 60
NOTE_MAX_WIDTH = 900
MAX_WIDTH = 440
COLUMN_GAP = 100
ROW_GAP = 50
BAND_GAP = 80
GROUP_FONT_SIZE = 24
GROUP_TITLE_HEIGHT = 34  # litegraph draws a group's title bar font_size × 1.4 high
GROUP_PADDING = 20
GROUP_COLOR = "#3f789e"
NOTE_COLOR, NOTE_BGCOLOR = "#432", "#653"  # ComfyUI's yellow, as its Note node has
PLACEHOLDER_COLOR, PLACEHOLDER_BGCOLOR = "#322", "#533"  # red: "install something here"

# A node's fields in the order ComfyUI writes them, so a saved file diffs cleanly against ours.
_NODE_KEYS = (
    "id", "type", "pos", "size", "flags", "order", "mode", "inputs", "outputs", "title",
    "properties", "widgets_values", "color", "bgcolor",
)  # fmt: skip
_NOT_SLUG = re.compile(r"[^A-Za-z0-9._-]+")


class ComfyUIDocumentError(WorkflowDocumentError):
    """A ComfyUI workflow that ComfyUI would not load faithfully (a link whose type differs
    from a slot's, a built-in node whose slots are not ComfyUI's…)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        self.args = (f"ComfyUI workflow refused: {problems[0]}{more}",)


@dataclass(frozen=True)
class Builtin:
    """A node ComfyUI ships, with the slots it declares (name, type), in its order.

    Taken from ComfyUI's own node definitions (nodes.py `LoadImage`, `SaveImage`;
    comfy_extras/nodes_video.py `LoadVideo`, `SaveVideo`; comfy_extras/nodes_primitive.py
    `PrimitiveStringMultiline`). Widgets are left at ComfyUI's defaults: the user picks
    their own file."""

    type: str
    inputs: tuple[tuple[str, str], ...]
    outputs: tuple[tuple[str, str], ...]
    size: tuple[int, int]


LOADERS = {
    "image": Builtin("LoadImage", (), (("IMAGE", "IMAGE"), ("MASK", "MASK")), (315, 314)),
    "video": Builtin("LoadVideo", (), (("VIDEO", "VIDEO"),), (315, 314)),
    "text": Builtin("PrimitiveStringMultiline", (), (("STRING", "STRING"),), (400, 200)),
}
SAVERS = {
    "image": Builtin("SaveImage", (("images", "IMAGE"),), (), (315, 270)),
    "video": Builtin("SaveVideo", (("video", "VIDEO"),), (), (315, 270)),
}
BUILTINS = {b.type: b for b in (*LOADERS.values(), *SAVERS.values())}
NOTE_TYPE = "Note"  # ComfyUI's frontend note: properties {"text"}, one multiline widget


def comfy_type(modality: str) -> str:
    """The ComfyUI slot type of a modality: STRING, IMAGE, VIDEO, MASK, else DEPTH_VIDEO…"""
    return NATIVE_TYPES.get(modality, modality.upper())


def comfy_types() -> dict[str, str]:
    """Every known modality's ComfyUI type; refuses a mapping that is not one-to-one, since
    two modalities sharing a type would let the editor join slots the graph keeps apart."""
    types = {modality: comfy_type(modality) for modality in taxonomy.modalities()}
    if len(set(types.values())) != len(types):
        raise ValueError("two modalities map to one ComfyUI type")
    return types


@dataclass
class _Box:
    """One node while the document is laid out: its column, band, size and place."""

    node: dict[str, Any]
    column: int
    band: int
    width: int
    height: int
    x: int = 0
    y: int = 0


def _placeholder_type(kind: str, key: str) -> str:
    return f"{PLACEHOLDER_PREFIX}{kind}:{_NOT_SLUG.sub('_', key).strip('_') or kind}"


def _placeholder_key(graph_node: dict[str, Any]) -> str:
    """What a placeholder's type is named after: the model's name, the operation's id, or
    the modality a loader or saver would handle. ComfyUI lists missing node types by this
    name when the file is opened, so the list reads as what to install."""
    kind = graph_node["type"]
    if kind == "model" and graph_node["source"]:
        return str(graph_node["source"]["name"])
    if kind == "operation" and graph_node["operation"]:
        return str(graph_node["operation"])
    slots = [*graph_node["outputs"], *graph_node["inputs"]]
    return str(slots[0]["type"]) if slots else str(graph_node["title"])


def _width(title: str, inputs: list[dict[str, Any]], outputs: list[dict[str, Any]]) -> int:
    """Wide enough for the title, and for the longest input and output names side by side."""
    longest_in = max((len(slot["name"]) for slot in inputs), default=0)
    longest_out = max((len(slot["name"]) for slot in outputs), default=0)
    wanted = max(9 * len(title) + 40, 7 * (longest_in + longest_out) + 60)
    return max(MIN_WIDTH, min(MAX_WIDTH, wanted))


def _slot_labels(slots: list[dict[str, Any]]) -> str:
    return ", ".join(slot["name"] for slot in slots) or "nothing"


def _needs(graph_node: dict[str, Any]) -> str:
    """What a placeholder asks of the user, in plain words written by code."""
    kind = graph_node["type"]
    ins = _slot_labels(graph_node["inputs"])
    outs = _slot_labels(graph_node["outputs"])
    if kind == "model" and graph_node["source"]:
        source = graph_node["source"]
        return (
            f"a ComfyUI node that runs {source['name']} (reference [{source['number']}]; "
            f"install a custom node for it, or wrap its code from the links), taking {ins} and "
            f"giving {outs}"
        )
    if kind == "model":
        return f"a node that does this model step, taking {ins} and giving {outs}"
    if kind == "operation":
        operation = taxonomy.operations().get(graph_node["operation"] or "")
        what = operation.description if operation else graph_node["title"]
        return f"a node that does this step ({what}), taking {ins} and giving {outs}"
    if kind == "input":
        return f"a node that loads your {outs}: ComfyUI has no built-in loader for it"
    return f"a node that saves or previews the {ins}: ComfyUI has no built-in saver for it"


def _node(graph_node: dict[str, Any]) -> dict[str, Any]:
    """One step as a ComfyUI node: a built-in loader or saver where ComfyUI has one for the
    step's modality, else a placeholder that keeps the graph's typed slots."""
    kind = graph_node["type"]
    inputs = [
        {"name": slot["name"], "type": comfy_type(slot["type"]), "link": slot["link"]}
        for slot in graph_node["inputs"]
    ]
    outputs = [
        {"name": slot["name"], "type": comfy_type(slot["type"]), "links": list(slot["links"])}
        for slot in graph_node["outputs"]
    ]
    builtin = None
    if kind == "input" and len(graph_node["outputs"]) == 1:
        builtin = LOADERS.get(graph_node["outputs"][0]["type"])
    if kind == "output" and len(graph_node["inputs"]) == 1:
        builtin = SAVERS.get(graph_node["inputs"][0]["type"])
    title = graph_node["title"]
    node: dict[str, Any] = {"id": graph_node["id"]}
    if builtin is not None:
        # The step's one slot becomes the built-in slot of its type; the others stay empty.
        ours = (outputs if kind == "input" else inputs)[0]
        if kind == "input":
            outputs = [
                {
                    "name": name,
                    "type": slot_type,
                    "links": ours["links"] if slot_type == ours["type"] else [],
                }
                for name, slot_type in builtin.outputs
            ]
        else:
            inputs = [
                {
                    "name": name,
                    "type": slot_type,
                    "link": ours["link"] if slot_type == ours["type"] else None,
                }
                for name, slot_type in builtin.inputs
            ]
        node |= {"type": builtin.type, "title": title}
        properties: dict[str, Any] = {"Node name for S&R": builtin.type}
    else:
        source = graph_node.get("source")
        if kind == "model" and source:
            title = f"{title} [{source['number']}]"
        node_type = _placeholder_type(kind, _placeholder_key(graph_node))
        node |= {"type": node_type, "title": title}
        properties = {"Node name for S&R": node_type, "needs": _needs(graph_node)}
        if kind == "model" and source:
            # The graph's source is the answer's reference: its name, number and every link.
            properties["model"] = source["name"]
            properties["reference"] = source["number"]
            properties["links"] = list(source["links"])
        if kind == "operation":
            properties["operation"] = graph_node["operation"]
        node |= {"color": PLACEHOLDER_COLOR, "bgcolor": PLACEHOLDER_BGCOLOR}
    for index, slot in enumerate(outputs):
        slot["slot_index"] = index
    node |= {"inputs": inputs, "outputs": outputs, "properties": properties}
    if graph_node["optional"]:
        node["properties"]["optional"] = True
    return node


def _branches(graph: dict[str, Any]) -> list[list[int]]:
    """The optional branches: optional nodes joined by links, one list of ids each, in node
    order. Each becomes a ComfyUI group a user can move, bypass or delete as one."""
    optional = [node["id"] for node in graph["nodes"] if node["optional"]]
    parent = {node_id: node_id for node_id in optional}

    def root(node_id: int) -> int:
        while parent[node_id] != node_id:
            parent[node_id] = parent[parent[node_id]]
            node_id = parent[node_id]
        return node_id

    for _, origin, _, target, _, _ in graph["links"]:
        if origin in parent and target in parent:
            parent[root(target)] = root(origin)
    branches: dict[int, list[int]] = {}
    for node_id in optional:
        branches.setdefault(root(node_id), []).append(node_id)
    return list(branches.values())


def _note_text(answer: Answer, placeholders: list[dict[str, Any]]) -> str:
    task = answer.understanding.task
    lines = [f"Task: {task.name}", "", "Sources (the only ones this workflow uses):"]
    for reference in answer.references:
        lines.append(f"[{reference.number}] {reference.name} ({reference.role}): {reference.title}")
        lines += [f"    {link}" for link in reference.links]
    if placeholders:
        lines += ["", "Red nodes are placeholders: no ComfyUI node does these steps yet."]
        lines += [f"- node {p['node']} {p['title']}: needs {p['needs']}" for p in placeholders]
    return "\n".join(lines)


def _layout(boxes: list[_Box], bands: int) -> list[list[int]]:
    """Places every box: columns left to right (each as wide as its widest node), bands top to
    bottom (the main path, then each optional branch in a band of its own, so that a branch's
    group holds its nodes and no others), and within a band and column the nodes one under
    another. Returns each band's [top, bottom], title bars and group frames included."""
    widths: dict[int, int] = {}
    for box in boxes:
        widths[box.column] = max(widths.get(box.column, 0), box.width)
    lefts: dict[int, int] = {}
    x = 0
    for column in sorted(widths):
        lefts[column] = x
        x += widths[column] + COLUMN_GAP
    spans: list[list[int]] = []
    top = 0
    for band in range(bands):
        grouped = band > 0
        start = top + (GROUP_TITLE_HEIGHT + GROUP_PADDING if grouped else 0)
        bottom = start
        heights: dict[int, int] = {}
        for box in (b for b in boxes if b.band == band):
            box.x = lefts[box.column]
            box.y = start + heights.get(box.column, 0) + TITLE_HEIGHT
            heights[box.column] = heights.get(box.column, 0) + TITLE_HEIGHT + box.height + ROW_GAP
            bottom = max(bottom, box.y + box.height)
        bottom += GROUP_PADDING if grouped else 0
        spans.append([top, bottom])
        top = bottom + BAND_GAP
    return spans


def _placeholders(nodes: list[dict[str, Any]], graph: dict[str, Any]) -> list[dict[str, Any]]:
    """`extra.scholarflow.placeholders`: what a user must install, one entry a placeholder."""
    return [
        {
            "node": node["id"],
            "type": node["type"],
            "title": node["title"],
            "step": graph_node["type"],
            "needs": node["properties"]["needs"],
            "model": node["properties"].get("model"),
            "reference": node["properties"].get("reference"),
            "links": node["properties"].get("links", []),
            "optional": graph_node["optional"],
        }
        for node, graph_node in zip(nodes, graph["nodes"], strict=True)
        if node["type"].startswith(PLACEHOLDER_PREFIX)
    ]


def _note(node_id: int, text: str) -> dict[str, Any]:
    """ComfyUI's Note node: its text is its one widget's value, as ComfyUI saves notes."""
    return {
        "id": node_id,
        "type": NOTE_TYPE,
        "title": "Sources",
        "inputs": [],
        "outputs": [],
        "properties": {"text": ""},
        "widgets_values": [text],
        "color": NOTE_COLOR,
        "bgcolor": NOTE_BGCOLOR,
    }


def _box(node: dict[str, Any], column: int, band: int) -> _Box:
    """A step's box: a built-in node at ComfyUI's usual size, a placeholder as large as its
    title and slots need."""
    builtin = BUILTINS.get(node["type"])
    if builtin is not None:
        width, height = builtin.size
    else:
        width = _width(node["title"], node["inputs"], node["outputs"])
        rows = max(len(node["inputs"]), len(node["outputs"]), 1)
        height = max(MIN_HEIGHT, rows * SLOT_HEIGHT + 16)
    return _Box(node, column, band, width, height)


def _groups(
    boxes: list[_Box], branches: list[list[int]], spans: list[list[int]]
) -> list[dict[str, Any]]:
    """One group per optional branch, framing its band from its first to its last node."""
    groups = []
    for index, branch in enumerate(branches, 1):
        inside = [box for box in boxes if box.node["id"] in branch]
        left = min(box.x for box in inside) - GROUP_PADDING
        right = max(box.x + box.width for box in inside) + GROUP_PADDING
        top, bottom = spans[index]
        titles = [box.node["title"] for box in inside if box.node["properties"].get("model")]
        groups.append(
            {
                "id": index,
                "title": "Optional: " + (", ".join(titles) or inside[0].node["title"]),
                "bounding": [left, top, right - left, bottom - top],
                "color": GROUP_COLOR,
                "font_size": GROUP_FONT_SIZE,
                "flags": {},
            }
        )
    return groups


def _laid_out(boxes: list[_Box], columns: dict[int, int]) -> list[dict[str, Any]]:
    """The nodes with their place, size and execution order (by column, then id, as
    litegraph orders them), each with its fields in ComfyUI's order."""
    ranked = sorted((box.node["id"] for box in boxes), key=lambda i: (columns.get(i, 1 << 30), i))
    order = {node_id: index for index, node_id in enumerate(ranked)}
    nodes = []
    for box in boxes:
        placed = box.node | {
            "pos": [box.x, box.y],
            "size": [box.width, box.height],
            "flags": {},
            "order": order[box.node["id"]],
            "mode": 0,
        }
        nodes.append({key: placed[key] for key in _NODE_KEYS if key in placed})
    return nodes


def comfyui_document(answer: Answer) -> dict[str, Any]:
    """The answer's workflow as a ComfyUI workflow (schema 0.4), validated.

    Raises `ComfyUIDocumentError` rather than return a file ComfyUI would load wrongly, and
    `WorkflowDocumentError` (from the typed graph) for a workflow whose links contradict
    their nodes."""
    graph = workflow_document(answer)
    nodes = [_node(graph_node) for graph_node in graph["nodes"]]
    branches = _branches(graph)
    band_of = {node_id: i + 1 for i, branch in enumerate(branches) for node_id in branch}
    # Each node's column: the longest path reaching it, so every wire runs left to right.
    ids = numeric_ids(answer.workflow)
    columns = {ids[node_id]: depth for node_id, depth in depths(answer.workflow).items()}
    boxes = [_box(node, columns[node["id"]], band_of.get(node["id"], 0)) for node in nodes]
    spans = _layout(boxes, len(branches) + 1)

    placeholders = _placeholders(nodes, graph)
    note_id = max((node["id"] for node in nodes), default=0) + 1
    text = _note_text(answer, placeholders)
    # The note goes under everything, at the left edge, and widens no column.
    longest = max(len(line) for line in text.splitlines())
    note = _Box(_note(note_id, text), -1, -1, max(MAX_WIDTH, min(NOTE_MAX_WIDTH, 7 * longest)), 0)
    note.height = 17 * (text.count("\n") + 1) + 40
    note.x, note.y = 0, spans[-1][1] + BAND_GAP + TITLE_HEIGHT

    task = answer.understanding.task
    document: dict[str, Any] = {
        "last_node_id": note_id,
        "last_link_id": max((link[0] for link in graph["links"]), default=0),
        "nodes": _laid_out([*boxes, note], columns),
        "links": [
            [link_id, origin, origin_slot, target, target_slot, comfy_type(modality)]
            for link_id, origin, origin_slot, target, target_slot, modality in graph["links"]
        ],
        "groups": _groups(boxes, branches, spans),
        "config": {},
        "extra": {
            # Where ComfyUI puts its view on opening: the graph's top-left corner in sight.
            "ds": {"scale": 0.8, "offset": [40, 60]},
            "scholarflow": {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "question": answer.question,
                "task": {"id": task.id, "name": task.name},
                "types": {
                    comfy_type(modality): modality
                    for modality in sorted({link[5] for link in graph["links"]})
                },
                "placeholders": placeholders,
                "sources": [
                    {
                        "number": r.number,
                        "name": r.name,
                        "title": r.title,
                        "role": r.role,
                        "links": list(r.links),
                    }
                    for r in answer.references
                ],
            },
        },
        "version": SCHEMA_VERSION,
    }
    # A built-in node may hold the step's slot at another index than the graph's.
    _relink(document)
    validate_comfyui(document)
    return document


def _relink(document: dict[str, Any]) -> None:
    """Sets each link's origin and target slot to where its id sits on the nodes, since a
    built-in node may hold the step's slot at another index (LoadImage's IMAGE is output 0
    of two)."""
    origin: dict[int, int] = {}
    target: dict[int, int] = {}
    for node in document["nodes"]:
        for index, slot in enumerate(node["outputs"]):
            for link_id in slot["links"] or []:
                origin[link_id] = index
        for index, slot in enumerate(node["inputs"]):
            if slot["link"] is not None:
                target[slot["link"]] = index
    for link in document["links"]:
        link[2] = origin.get(link[0], link[2])
        link[4] = target.get(link[0], link[4])


def render_comfyui(answer: Answer) -> str:
    """`--format comfyui`: the workflow file as JSON; the same answer gives the same bytes."""
    return json.dumps(comfyui_document(answer), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- checking

_REQUIRED_NODE_FIELDS = ("id", "type", "pos", "size", "flags", "order", "mode", "properties")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _slots(node: dict[str, Any], side: str) -> list[dict[str, Any]]:
    """A node's slot list, or an empty one when it is not a list of objects."""
    slots = node.get(side)
    if isinstance(slots, list) and all(isinstance(slot, dict) for slot in slots):
        return slots
    return []


def _check_builtin(node: dict[str, Any], problems: list[str]) -> None:
    """A ComfyUI built-in node must have the slots ComfyUI declares for it, in its order:
    ComfyUI rebuilds them from its own definition, and a wire to any other slot is lost."""
    builtin = BUILTINS.get(node.get("type", ""))
    if builtin is None:
        return
    for side, declared in (("inputs", builtin.inputs), ("outputs", builtin.outputs)):
        found = [(slot.get("name"), slot.get("type")) for slot in _slots(node, side)]
        if found != list(declared):
            problems.append(
                f"node {node['id']} ({builtin.type}) {side} are {found}, but ComfyUI declares "
                f"{list(declared)}"
            )


def _check_nodes(nodes: list[Any], problems: list[str]) -> dict[int, dict[str, Any]]:
    """Per-node problems; returns the nodes with an integer id, by id."""
    by_id: dict[int, dict[str, Any]] = {}
    for position, node in enumerate(nodes):
        if not isinstance(node, dict) or not _is_int(node.get("id")):
            problems.append(f"node at position {position} has no integer id")
            continue
        missing = [name for name in _REQUIRED_NODE_FIELDS if name not in node]
        if missing:
            problems.append(f"node {node['id']} lacks {', '.join(missing)}")
        if node["id"] in by_id:
            problems.append(f"duplicate node id {node['id']}")
        by_id[node["id"]] = node
        for side in ("inputs", "outputs"):
            if not _slots(node, side) and node.get(side) not in (None, []):
                problems.append(f"node {node['id']} {side} is not a list of slots")
        _check_builtin(node, problems)
    return by_id


def _check_links(
    links: list[Any], by_id: dict[int, dict[str, Any]], problems: list[str]
) -> dict[int, list[Any]]:
    """The typed graph's link check (`graph.check_links`: same link shape, same rules) in
    ComfyUI's words. Returns the well-formed links by id."""
    slots_by_node: dict[int, Sides] = {
        node_id: {side: _slots(node, side) for side in ("inputs", "outputs")}
        for node_id, node in by_id.items()
    }
    return check_links(
        links,
        slots_by_node,
        problems,
        shape="[id, origin_id, origin_slot, target_id, target_slot, type]",
        type_rule="ComfyUI joins only slots of the same type",
    )


def _check_slot_links(
    by_id: dict[int, dict[str, Any]], seen: dict[int, list[Any]], problems: list[str]
) -> None:
    """Each link a slot names must exist and end at that very slot."""
    for node_id, node in by_id.items():
        for side, word, ends in (("inputs", "input", (3, 4)), ("outputs", "output", (1, 2))):
            for index, slot in enumerate(_slots(node, side)):
                named = [slot.get("link")] if side == "inputs" else slot.get("links")
                for link_id in named if isinstance(named, list) else []:
                    if link_id is None and side == "inputs":
                        continue
                    link = seen.get(link_id) if _is_int(link_id) else None
                    if link is None or (link[ends[0]], link[ends[1]]) != (node_id, index):
                        problems.append(
                            f"{word} slot {index} of node {node_id} names link {link_id!r}, "
                            "which is not joined there"
                        )


def check_comfyui(doc: Any) -> list[str]:
    """Every problem that would stop ComfyUI from loading `doc` with all its nodes and links,
    in reading order; an empty list means it loads. Never raises on a malformed document."""
    if not isinstance(doc, dict):
        return ["the document is not a JSON object"]
    problems: list[str] = []
    if doc.get("version") != SCHEMA_VERSION:
        problems.append(f"version is {doc.get('version')!r}, expected {SCHEMA_VERSION}")
    lists = {}
    for name in ("nodes", "links", "groups"):
        lists[name] = doc.get(name) if isinstance(doc.get(name), list) else []
        if not isinstance(doc.get(name), list):
            problems.append(f"{name} is not a list")
    by_id = _check_nodes(lists["nodes"], problems)
    if by_id and (not _is_int(doc.get("last_node_id")) or doc["last_node_id"] < max(by_id)):
        problems.append(f"last_node_id {doc.get('last_node_id')!r} is below a node's id")
    seen = _check_links(lists["links"], by_id, problems)
    if seen and (not _is_int(doc.get("last_link_id")) or doc["last_link_id"] < max(seen)):
        problems.append(f"last_link_id {doc.get('last_link_id')!r} is below a link's id")
    _check_slot_links(by_id, seen, problems)
    for group in lists["groups"]:
        bounding = group.get("bounding") if isinstance(group, dict) else None
        if not (
            isinstance(bounding, list)
            and len(bounding) == 4
            and all(isinstance(v, int | float) for v in bounding)
            and isinstance(group.get("title"), str)
        ):
            problems.append("a group lacks a title or a bounding of four numbers")
    return problems


def validate_comfyui(doc: Any) -> None:
    """Refuse a workflow with problems, as ComfyUI's editor refuses a wire between slots of
    different types."""
    problems = check_comfyui(doc)
    if problems:
        raise ComfyUIDocumentError(problems)
