"""`--format comfyui`: a workflow file ComfyUI opens, with every node and link it should have.

Two kinds of test. In Python: the file follows ComfyUI's workflow schema 0.4, holds one node
per step plus the sources' note, one link per edge typed by modality, placeholders for what
no built-in node does (listed in `extra`), groups for optional branches, a left-to-right
layout without overlaps, and nothing that is not from the answer's sources. In headless
Chromium: each file is opened with litegraph, the graph library ComfyUI's editor is built on
(tests/litegraph_harness.js registers ComfyUI's built-in nodes as ComfyUI does and lets the
others load as ComfyUI's missing nodes), and every node, slot, link and group must survive,
be saved back unchanged, and be rebuilt wire by wire by litegraph's own typed `connect`.

Without Chromium or litegraph (scripts/install-browser.sh, scripts/fetch-litegraph.sh; `make
test` runs both) the browser tests skip on a developer's machine and fail when CI=true; so do
the seed tests without ../shared.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scholarflow import taxonomy
from scholarflow.engine import answer
from scholarflow.models import Answer, Edge, Node, Workflow
from scholarflow.prompt_format import parse_prompt
from scholarflow.render.comfyui import (
    BUILTINS,
    GROUP_TITLE_HEIGHT,
    NATIVE_TYPES,
    NOTE_TYPE,
    PLACEHOLDER_PREFIX,
    TITLE_HEIGHT,
    ComfyUIDocumentError,
    check_comfyui,
    comfy_type,
    comfy_types,
    comfyui_document,
    render_comfyui,
    validate_comfyui,
)
from scholarflow.render.graph import WorkflowDocumentError, workflow_document

from conftest import PROMPTS_DIR, run_cli

PROMPTS = sorted(PROMPTS_DIR.glob("*.txt"))
HERE = Path(__file__).parent
LITEGRAPH = HERE / "vendor" / "litegraph" / "litegraph.umd.js"
HARNESS = HERE / "litegraph_harness.js"
CHROMIUM = Path(os.environ.get("SCHOLARFLOW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
URL = re.compile(r"https?://[^\s\"\\]+")


@cache
def _answer(path: Path) -> Answer:
    return answer(parse_prompt(path.read_text(encoding="utf-8")))


def _two_branches() -> Answer:
    """A workflow with two optional branches (no real prompt has two yet): each must become a
    group of its own holding only its nodes."""
    base = _answer(PROMPTS_DIR / "neon_poster.txt")
    source = base.references[0].source_id
    nodes = [
        Node(id="n1", kind="input", label="Your text prompt", modality="text"),
        Node(id="n2", kind="model", label=base.references[0].name, source_id=source),
        Node(id="n3", kind="output", label="Generated image", modality="image"),
        Node(
            id="n4",
            kind="operation",
            label="treat the image as a one-frame clip",
            operation="image_as_clip",
            optional=True,
        ),
        Node(id="n5", kind="output", label="Optional: a clip", modality="video", optional=True),
        Node(
            id="n6",
            kind="operation",
            label="lift the pixels into 3D with the depth",
            operation="lift_to_point_cloud",
            optional=True,
        ),
        Node(
            id="n7", kind="output", label="Optional: points", modality="point_cloud", optional=True
        ),
        Node(id="n8", kind="input", label="Your depth map", modality="depth_map"),
    ]
    edges = [
        Edge(source="n1", target="n2", modality="text"),
        Edge(source="n2", target="n3", modality="image"),
        Edge(source="n2", target="n4", modality="image"),
        Edge(source="n4", target="n5", modality="video"),
        Edge(source="n2", target="n6", modality="image"),
        Edge(source="n8", target="n6", modality="depth_map"),
        Edge(source="n6", target="n7", modality="point_cloud"),
    ]
    return base.model_copy(update={"workflow": Workflow(nodes=tuple(nodes), edges=tuple(edges))})


CASES: dict[str, Any] = {path.stem: path for path in PROMPTS} | {"two_branches": None}


def _case(name: str) -> Answer:
    path = CASES[name]
    return _two_branches() if path is None else _answer(path)


@pytest.fixture(params=sorted(CASES), ids=str)
def answered(request: pytest.FixtureRequest) -> tuple[Answer, dict[str, Any]]:
    result = _case(request.param)
    return result, comfyui_document(result)


def _nodes(doc: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {node["id"]: node for node in doc["nodes"]}


def _rect(node: dict[str, Any]) -> tuple[float, float, float, float]:
    """The area litegraph draws a node in: its title bar sits above `pos`."""
    x, y = node["pos"]
    width, height = node["size"]
    return x, y - TITLE_HEIGHT, x + width, y + height


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# --------------------------------------------------------------------------- the file


def test_the_file_follows_comfyuis_schema(answered):
    _, doc = answered
    assert check_comfyui(doc) == []
    assert doc["version"] == 0.4
    assert set(doc) >= {"last_node_id", "last_link_id", "nodes", "links", "groups", "config"}
    assert doc["last_node_id"] == max(node["id"] for node in doc["nodes"])
    assert doc["last_link_id"] == max((link[0] for link in doc["links"]), default=0)
    for node in doc["nodes"]:
        for field in ("id", "type", "pos", "size", "flags", "order", "mode", "properties"):
            assert field in node, (node["id"], field)
        assert node["mode"] == 0 and node["flags"] == {}
        for index, slot in enumerate(node["outputs"]):
            assert slot["slot_index"] == index
    orders = sorted(node["order"] for node in doc["nodes"])
    assert orders == list(range(len(doc["nodes"])))


def test_one_node_per_step_and_one_link_per_edge_typed_by_modality(answered):
    result, doc = answered
    graph = workflow_document(result)
    nodes = _nodes(doc)
    assert [n["id"] for n in doc["nodes"][:-1]] == [n["id"] for n in graph["nodes"]]
    assert doc["nodes"][-1]["type"] == NOTE_TYPE
    assert len(doc["links"]) == len(result.workflow.edges)
    for link, typed in zip(doc["links"], graph["links"], strict=True):
        link_id, origin, origin_slot, target, target_slot, kind = link
        assert (link_id, origin, target) == (typed[0], typed[1], typed[3])
        assert kind == comfy_type(typed[5])
        assert nodes[origin]["outputs"][origin_slot]["type"] == kind
        assert link_id in nodes[origin]["outputs"][origin_slot]["links"]
        assert nodes[target]["inputs"][target_slot]["type"] == kind
        assert nodes[target]["inputs"][target_slot]["link"] == link_id
    assert doc["extra"]["scholarflow"]["types"] == {
        comfy_type(edge.modality): edge.modality for edge in result.workflow.edges
    }


def test_built_in_nodes_only_where_comfyui_has_one(answered):
    result, doc = answered
    nodes = _nodes(doc)
    for step in result.workflow.nodes:
        node = nodes[int(step.id.removeprefix("n"))]
        builtin = BUILTINS.get(node["type"])
        if step.kind == "input" and step.modality in ("image", "video", "text"):
            assert builtin is not None and builtin.outputs[0][1] == comfy_type(step.modality)
            assert [(s["name"], s["type"]) for s in node["outputs"]] == list(builtin.outputs)
        elif step.kind == "output" and step.modality in ("image", "video"):
            assert builtin is not None and builtin.inputs[0][1] == comfy_type(step.modality)
            assert [(s["name"], s["type"]) for s in node["inputs"]] == list(builtin.inputs)
        else:
            assert builtin is None, (step.kind, step.modality, node["type"])
            assert node["type"].startswith(PLACEHOLDER_PREFIX + step.kind + ":")
        assert node["title"].startswith(step.label)


def test_placeholders_say_what_they_need_and_are_listed_in_extra(answered):
    result, doc = answered
    references = {r.number: r for r in result.references}
    listed = {p["node"]: p for p in doc["extra"]["scholarflow"]["placeholders"]}
    placeholders = [n for n in doc["nodes"] if n["type"].startswith(PLACEHOLDER_PREFIX)]
    assert sorted(listed) == [n["id"] for n in placeholders]
    for node in placeholders:
        entry = listed[node["id"]]
        assert entry["type"] == node["type"] and entry["title"] == node["title"]
        assert entry["needs"] == node["properties"]["needs"] and entry["needs"]
        if entry["step"] == "model":
            reference = references[entry["reference"]]
            assert entry["model"] == reference.name == node["properties"]["model"]
            assert entry["links"] == list(reference.links) == node["properties"]["links"]
            assert node["title"] == f"{reference.name} [{reference.number}]"
            assert reference.name in entry["needs"]
    models = [s for s in result.workflow.nodes if s.kind == "model"]
    assert len([p for p in listed.values() if p["step"] == "model"]) == len(models)


def test_the_note_holds_every_source_with_its_links(answered):
    result, doc = answered
    note = doc["nodes"][-1]
    assert note["title"] == "Sources" and note["properties"] == {"text": ""}
    (text,) = note["widgets_values"]
    for reference in result.references:
        assert f"[{reference.number}] {reference.name}" in text
        for link in reference.links:
            assert link in text
    sources = doc["extra"]["scholarflow"]["sources"]
    assert [s["links"] for s in sources] == [list(r.links) for r in result.references]


def test_every_name_and_link_comes_from_the_sources(answered):
    result, doc = answered
    allowed = {link for r in result.references for link in r.links}
    assert set(URL.findall(json.dumps(doc, ensure_ascii=False))) <= allowed
    names = {r.name for r in result.references}
    labels = {step.label for step in result.workflow.nodes}
    for node in doc["nodes"][:-1]:
        assert node["title"] in labels or node["title"].rsplit(" [", 1)[0] in names
        if "model" in node["properties"]:
            assert node["properties"]["model"] in names


def test_layout_runs_left_to_right_without_overlaps(answered):
    _, doc = answered
    nodes = _nodes(doc)
    for _, origin, _, target, _, _ in doc["links"]:
        assert _rect(nodes[origin])[2] < _rect(nodes[target])[0], (origin, target)
    rects = [_rect(node) for node in doc["nodes"]]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not _overlap(a, b), (a, b)


def test_a_group_per_optional_branch_holding_its_nodes_only(answered):
    result, doc = answered
    optional = {int(s.id.removeprefix("n")) for s in result.workflow.nodes if s.optional}
    grouped: list[int] = []
    for group in doc["groups"]:
        x, y, width, height = group["bounding"]
        inside = [
            node["id"]
            for node in doc["nodes"]
            if _overlap(_rect(node), (x, y, x + width, y + height))
        ]
        assert inside and set(inside) <= optional, (group["title"], inside)
        for node_id in inside:
            left, top, right, bottom = _rect(_nodes(doc)[node_id])
            assert x <= left and right <= x + width and y + GROUP_TITLE_HEIGHT <= top
            assert bottom <= y + height
        assert group["title"].startswith("Optional: ")
        grouped += inside
    assert sorted(grouped) == sorted(optional)


def test_two_optional_branches_make_two_groups():
    doc = comfyui_document(_two_branches())
    groups = doc["groups"]
    assert [g["title"] for g in groups] == [
        "Optional: treat the image as a one-frame clip",
        "Optional: lift the pixels into 3D with the depth",
    ]
    first, second = (g["bounding"] for g in groups)
    assert first[1] + first[3] < second[1], "the branches' frames do not overlap"


def test_modalities_map_one_to_one_onto_comfyui_types():
    types = comfy_types()
    assert set(types) == set(taxonomy.modalities())
    assert len(set(types.values())) == len(types)
    for modality, native in NATIVE_TYPES.items():
        assert types[modality] == native
    assert types["depth_video"] == "DEPTH_VIDEO"


def test_a_link_between_slots_of_different_types_is_refused():
    doc = copy.deepcopy(comfyui_document(_answer(PROMPTS_DIR / "phone_depth.txt")))
    doc["links"][0][5] = "DEPTH_VIDEO"  # the clip's wire, now claiming to carry depth
    problems = check_comfyui(doc)
    assert any(
        "link 1 carries 'DEPTH_VIDEO' but output slot 0 (VIDEO) of node 1 is 'VIDEO'" in p
        and "ComfyUI joins only slots of the same type" in p
        for p in problems
    ), problems
    with pytest.raises(ComfyUIDocumentError, match="ComfyUI workflow refused: link 1 carries"):
        validate_comfyui(doc)


def test_a_built_in_node_with_other_slots_than_comfyuis_is_refused():
    doc = copy.deepcopy(comfyui_document(_answer(PROMPTS_DIR / "phone_depth.txt")))
    loader = doc["nodes"][0]
    assert loader["type"] == "LoadVideo"
    loader["outputs"][0]["name"] = "video clip"
    problems = check_comfyui(doc)
    assert problems == [
        "node 1 (LoadVideo) outputs are [('video clip', 'VIDEO')], but ComfyUI declares "
        "[('VIDEO', 'VIDEO')]"
    ]


def test_malformed_files_give_problems_not_exceptions():
    assert check_comfyui([]) == ["the document is not a JSON object"]
    problems = check_comfyui({"version": 1, "nodes": {}, "links": [[1]], "groups": [{}]})
    assert "version is 1, expected 0.4" in problems
    assert "nodes is not a list" in problems
    assert any(p.startswith("link at position 0 is not") for p in problems)
    assert "a group lacks a title or a bounding of four numbers" in problems
    doc = copy.deepcopy(comfyui_document(_answer(PROMPTS_DIR / "phone_depth.txt")))
    doc["nodes"][1]["inputs"][0]["link"] = [1]
    doc["nodes"][0]["outputs"][0]["links"] = [{"id": 1}]
    assert check_comfyui(doc)  # unhashable link ids are reported, not raised


def test_a_workflow_whose_edge_contradicts_its_node_is_refused():
    base = _answer(PROMPTS_DIR / "phone_depth.txt")
    nodes = (
        Node(id="n1", kind="input", label="Your video clip", modality="video"),
        Node(id="n2", kind="output", label="Depth video", modality="depth_video"),
    )
    edges = (Edge(source="n1", target="n2", modality="video"),)
    broken = base.model_copy(update={"workflow": Workflow(nodes=nodes, edges=edges)})
    with pytest.raises(WorkflowDocumentError, match="output node 2 must have one input slot"):
        comfyui_document(broken)


def test_the_same_answer_gives_the_same_bytes(answered):
    result, doc = answered
    text = render_comfyui(result)
    assert text.endswith("}\n") and json.loads(text) == doc
    fresh = answer(parse_prompt((PROMPTS_DIR / "cabin_camera_path.txt").read_text("utf-8")))
    assert render_comfyui(fresh) == render_comfyui(_answer(PROMPTS_DIR / "cabin_camera_path.txt"))


def test_every_seed_gives_a_sound_file(seeds: dict[str, Path]):
    assert len(seeds) >= 5
    for number, path in seeds.items():
        doc = comfyui_document(_answer(path))
        assert check_comfyui(doc) == [], number


# --------------------------------------------------------------------------- the CLI, the API


def test_the_cli_writes_the_comfyui_file_and_keeps_the_old_name_of_the_graph():
    prompt = str(PROMPTS_DIR / "phone_depth.txt")
    done = run_cli("answer", prompt, "--format", "comfyui")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == comfyui_document(_answer(PROMPTS_DIR / "phone_depth.txt"))
    graph = run_cli("answer", prompt, "--format", "graph")
    old = run_cli("answer", prompt, "--format", "workflow")
    assert graph.returncode == old.returncode == 0
    assert graph.stdout == old.stdout
    assert json.loads(graph.stdout)["format"] == "scholarflow-workflow"
    help_text = run_cli("answer", "--help").stdout.decode()
    assert "comfyui" in help_text and "graph" in help_text


def test_the_server_sends_the_comfyui_file_as_text(tmp_path: Path):
    from fastapi.testclient import TestClient

    from scholarflow.server.app import create_app

    prompt = (PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8")
    app = create_app(catalog_path=tmp_path / "catalog.db", token="")
    with TestClient(app, base_url="http://127.0.0.1") as client:
        reply = client.post("/api/answer", json={"prompt": prompt, "format": "comfyui"})
        assert reply.status_code == 200, reply.text
        data = reply.json()
        assert data["schema_version"] == 1
        assert data["text"] == render_comfyui(_answer(PROMPTS_DIR / "phone_depth.txt"))
        old = client.post("/api/answer", json={"prompt": prompt, "format": "workflow"}).json()
        assert json.loads(old["text"])["format"] == "scholarflow-workflow"
        wrong = client.post("/api/answer", json={"prompt": prompt, "format": "comfy"})
        assert wrong.status_code == 422 and "unknown format 'comfy'" in wrong.text
        asked = client.post(
            "/api/ask",
            json={"question": QUESTION, "format": "comfyui"},
        ).json()
        assert asked["served"] is True
        assert check_comfyui(json.loads(asked["text"])) == []


QUESTION = "How do apps turn a phone video into a depth video that doesn't flicker?"


# --------------------------------------------------------------------------- in litegraph


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(message: str) -> None:
    if _in_ci():
        pytest.fail(message + " (CI=true: `make test` installs it)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def litegraph() -> Iterator[Any]:
    """A blank page in headless Chromium with litegraph and the harness loaded."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found (scripts/install-browser.sh)")
    if not LITEGRAPH.is_file():
        _missing(f"{LITEGRAPH} not found (scripts/fetch-litegraph.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_content(
            '<!doctype html><html><body style="margin:0">'
            '<canvas id="canvas" width="1600" height="900"></canvas></body></html>'
        )
        page.add_script_tag(path=str(LITEGRAPH))
        page.add_script_tag(path=str(HARNESS))
        page.js_errors = errors  # type: ignore[attr-defined]
        yield page
        browser.close()


def _open(page: Any, doc: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = page.evaluate("(workflow) => openInLitegraph(workflow)", doc)
    assert page.js_errors == []
    return loaded


def _slots(node: dict[str, Any], side: str) -> list[dict[str, Any]]:
    if side == "inputs":
        return [{"name": s["name"], "type": s["type"], "link": s["link"]} for s in node[side]]
    return [
        {"name": s["name"], "type": s["type"], "links": sorted(s["links"] or [])}
        for s in node[side]
    ]


def _assert_survives(doc: dict[str, Any], loaded: dict[str, Any]) -> None:
    """Every node and link of `doc` is in the graph litegraph built, as it was written."""
    placeholders = sorted(
        {n["type"] for n in doc["nodes"] if n["type"] not in BUILTINS} - {NOTE_TYPE}
    )
    # ComfyUI would list exactly the placeholders as missing, and nothing it ships.
    assert sorted(loaded["missing"]) == placeholders
    assert [n["id"] for n in loaded["nodes"]] == [n["id"] for n in doc["nodes"]]
    for written, built in zip(doc["nodes"], loaded["nodes"], strict=True):
        where = f"node {written['id']} ({written['type']})"
        assert built["type"] == written["type"], where
        assert built["title"] == written["title"], where
        assert built["pos"] == written["pos"] and built["size"] == written["size"], where
        assert built["has_errors"] == (written["type"] in placeholders), where
        assert built["inputs"] == _slots(written, "inputs"), where
        assert built["outputs"] == _slots(written, "outputs"), where
        assert built["properties"] == written["properties"], where
        if built["declared"] is not None:  # a registered node: ComfyUI's own slots
            assert built["declared"]["inputs"] == [
                [s["name"], s["type"]] for s in written["inputs"]
            ]
            assert built["declared"]["outputs"] == [
                [s["name"], s["type"]] for s in written["outputs"]
            ]
    note_written, note_built = doc["nodes"][-1], loaded["nodes"][-1]
    assert note_built["widgets"] == note_written["widgets_values"]  # its text, as a widget
    assert loaded["links"] == doc["links"]
    # Saved back as ComfyUI saves a workflow: the same nodes and links.
    saved = loaded["saved"]
    assert saved["links"] == doc["links"]
    assert (saved["last_node_id"], saved["last_link_id"]) == (
        doc["last_node_id"],
        doc["last_link_id"],
    )
    for written, kept in zip(doc["nodes"], saved["nodes"], strict=True):
        assert kept["id"] == written["id"] and kept["type"] == written["type"]
        assert _slots(kept, "inputs") == _slots(written, "inputs")
        assert _slots(kept, "outputs") == _slots(written, "outputs")
    # Every wire rebuilt with litegraph's typed connect; a wire of the wrong type refused.
    rebuilt = loaded["reconnected"]
    assert rebuilt["made"] == [link[1:] for link in doc["links"]]
    if len({link[5] for link in doc["links"]}) > 1:
        assert rebuilt["wrong_type"] is not None and rebuilt["wrong_type"]["made"] is False
    # litegraph's own measure: no two nodes overlap, and each group holds its branch only.
    boxes = [n["bounding"] for n in loaded["nodes"]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlap(
                (a[0], a[1], a[0] + a[2], a[1] + a[3]), (b[0], b[1], b[0] + b[2], b[1] + b[3])
            )
    assert [g["title"] for g in loaded["groups"]] == [g["title"] for g in doc["groups"]]


def _expected_branches(result: Answer) -> list[list[int]]:
    """The answer's optional branches: its optional nodes, joined by its edges."""
    optional = [int(s.id.removeprefix("n")) for s in result.workflow.nodes if s.optional]
    branches = [{node_id} for node_id in optional]
    for edge in result.workflow.edges:
        ends = {int(edge.source.removeprefix("n")), int(edge.target.removeprefix("n"))}
        joined = [b for b in branches if b & ends]
        if len(ends & set(optional)) == 2 and len(joined) == 2:
            branches = [b for b in branches if b not in joined] + [joined[0] | joined[1]]
    return sorted(sorted(branch) for branch in branches)


def test_every_seed_loads_in_litegraph_with_every_node_and_link(seeds, litegraph):
    assert len(seeds) >= 5
    for number, path in sorted(seeds.items()):
        doc = comfyui_document(_answer(path))
        loaded = _open(litegraph, doc)
        try:
            _assert_survives(doc, loaded)
        except AssertionError as error:
            raise AssertionError(f"seed {number}: {error}") from error


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_prompt_loads_in_litegraph_with_its_groups(name, litegraph):
    result = _case(name)
    doc = comfyui_document(result)
    loaded = _open(litegraph, doc)
    _assert_survives(doc, loaded)
    # litegraph's own test of what a group holds (a node whose centre is inside it).
    assert sorted(g["nodes"] for g in loaded["groups"]) == _expected_branches(result)
