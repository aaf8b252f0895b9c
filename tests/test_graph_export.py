"""`--format graph`: the typed workflow graph, sound, complete, grounded and stable."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scholarflow import taxonomy
from scholarflow.engine import answer
from scholarflow.models import Answer, Edge, Node, Workflow
from scholarflow.prompt_format import parse_prompt
from scholarflow.render.graph import (
    COLUMN_WIDTH,
    FORMAT,
    ROW_HEIGHT,
    WorkflowDocumentError,
    check_document,
    render_graph,
    validate_document,
    workflow_document,
)

from conftest import PROMPTS_DIR

PROMPTS = sorted(PROMPTS_DIR.glob("*.txt"))


@cache
def _answer(name: str) -> Answer:
    return answer(parse_prompt((PROMPTS_DIR / name).read_text(encoding="utf-8")))


def _int_id(node_id: str) -> int:
    return int(node_id.removeprefix("n"))


def _nodes(doc: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {node["id"]: node for node in doc["nodes"]}


@pytest.fixture(params=PROMPTS, ids=lambda path: path.stem)
def answered(request: pytest.FixtureRequest) -> tuple[Answer, dict[str, Any]]:
    result = _answer(request.param.name)
    return result, workflow_document(result)


def test_the_prompts_are_there():
    assert len(PROMPTS) >= 10


def test_document_has_no_problems(answered):
    _, doc = answered
    assert check_document(doc) == []
    assert doc["format"] == FORMAT
    assert doc["version"] == 1


def test_header_names_the_question_and_task(answered):
    result, doc = answered
    assert doc["question"] == result.question
    assert doc["task"] == {
        "id": result.understanding.task.id,
        "name": result.understanding.task.name,
    }


def test_every_edge_is_exactly_one_link_of_its_modality(answered):
    result, doc = answered
    edges = Counter(
        (_int_id(e.source), _int_id(e.target), e.modality) for e in result.workflow.edges
    )
    links = Counter((link[1], link[3], link[5]) for link in doc["links"])
    assert links == edges
    assert len(doc["links"]) == len(result.workflow.edges)
    assert [link[0] for link in doc["links"]] == list(range(1, len(doc["links"]) + 1))
    nodes = _nodes(doc)
    for link_id, from_node, from_slot, to_node, to_slot, kind in doc["links"]:
        out_slot = nodes[from_node]["outputs"][from_slot]
        in_slot = nodes[to_node]["inputs"][to_slot]
        assert out_slot["type"] == in_slot["type"] == kind
        assert link_id in out_slot["links"]
        assert in_slot["link"] == link_id


def test_nodes_mirror_the_workflow(answered):
    result, doc = answered
    assert [node["id"] for node in doc["nodes"]] == [_int_id(n.id) for n in result.workflow.nodes]
    for node, original in zip(doc["nodes"], result.workflow.nodes, strict=True):
        assert node["type"] == original.kind
        assert node["title"] == original.label
        assert node["optional"] is original.optional
        if node["type"] == "operation":
            assert node["operation"] in taxonomy.operations()
        else:
            assert node["operation"] is None
        if node["type"] == "input":
            assert node["inputs"] == []
            assert [slot["type"] for slot in node["outputs"]] == [original.modality]
        if node["type"] == "output":
            assert node["outputs"] == []
            assert [slot["type"] for slot in node["inputs"]] == [original.modality]
        outputs = [slot["type"] for slot in node["outputs"]]
        assert len(outputs) == len(set(outputs)), "one output slot per modality"
        # An input slot holds one wire: two inputs of one modality (a composite's subject and
        # background videos) are two slots.
        if original.kind in ("model", "operation"):
            entering = [e for e in result.workflow.edges if e.target == original.id]
            assert len(node["inputs"]) == len(entering)


def test_slots_follow_edge_order(answered):
    result, doc = answered
    nodes = _nodes(doc)
    for original in result.workflow.nodes:
        if original.kind in ("model", "operation"):
            entering = [e.modality for e in result.workflow.edges if e.target == original.id]
            leaving = [e.modality for e in result.workflow.edges if e.source == original.id]
            node = nodes[_int_id(original.id)]
            assert [s["type"] for s in node["inputs"]] == entering
            assert [s["type"] for s in node["outputs"]] == list(dict.fromkeys(leaving))


def test_recommended_model_node_carries_its_reference(answered):
    result, doc = answered
    recommended = next(r for r in result.references if r.role == "recommended")
    model_ids = [
        _int_id(n.id)
        for n in result.workflow.nodes
        if n.kind == "model" and n.source_id == recommended.source_id
    ]
    flagged = {w.source_id for w in result.warnings if w.code == "model_task_mismatch"}
    if recommended.source_id in flagged:
        # A model that cannot do any step of the task is named in the notice, not wired in.
        return
    assert model_ids, "an unflagged recommended model sits in the workflow"
    nodes = _nodes(doc)
    for node_id in model_ids:
        source = nodes[node_id]["source"]
        assert source["number"] == recommended.number
        assert source["name"] == recommended.name
        assert source["role"] == "recommended"
        assert source["links"] == list(recommended.links)


def test_only_model_nodes_have_a_source_and_links_are_grounded(answered):
    result, doc = answered
    allowed = {link for r in result.references for link in r.links}
    for node in doc["nodes"]:
        assert (node["source"] is not None) == (node["type"] == "model")
    found = set(re.findall(r"https?://[^\s\"]+", json.dumps(doc)))
    assert found <= allowed


def test_positions_run_left_to_right_along_links(answered):
    _, doc = answered
    nodes = _nodes(doc)
    for _, from_node, _, to_node, _, _ in doc["links"]:
        assert nodes[from_node]["pos"][0] < nodes[to_node]["pos"][0]
    places = [tuple(node["pos"]) for node in doc["nodes"]]
    assert len(places) == len(set(places)), "no two nodes on top of each other"
    for x, y in places:
        assert x % COLUMN_WIDTH == 0 and y % ROW_HEIGHT == 0


def test_types_are_the_modalities_used(answered):
    _, doc = answered
    used = {
        slot["type"] for n in doc["nodes"] for side in ("inputs", "outputs") for slot in n[side]
    }
    assert set(doc["types"]) == used
    for modality, label in doc["types"].items():
        assert label == taxonomy.label(modality)


def test_output_is_json_and_stable(answered):
    result, doc = answered
    text = render_graph(result)
    assert text.endswith("}\n")
    assert json.loads(text) == doc
    assert render_graph(result) == text


@pytest.mark.parametrize("path", PROMPTS[:3], ids=lambda path: path.stem)
def test_a_fresh_answer_gives_the_same_bytes(path: Path):
    text = path.read_text(encoding="utf-8")
    first = render_graph(answer(parse_prompt(text)))
    second = render_graph(answer(parse_prompt(text)))
    assert first == second


def _two_node_document(link_type: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": 1,
        "question": "q",
        "task": {"id": "t", "name": "t"},
        "nodes": [
            {
                "id": 1,
                "type": "input",
                "title": "Your video clip",
                "source": None,
                "operation": None,
                "optional": False,
                "inputs": [],
                "outputs": [{"name": "video clip", "type": "video", "links": [1]}],
                "pos": [0, 0],
            },
            {
                "id": 2,
                "type": "output",
                "title": "Depth video",
                "source": None,
                "operation": None,
                "optional": False,
                "inputs": [{"name": "depth video", "type": "depth_video", "link": 1}],
                "outputs": [],
                "pos": [300, 0],
            },
        ],
        "links": [[1, 1, 0, 2, 0, link_type]],
        "types": {"video": "video clip", "depth_video": "depth video"},
    }


def test_a_link_of_the_wrong_type_is_refused():
    problems = check_document(_two_node_document("video"))
    assert len(problems) == 1
    assert "link 1 carries 'video'" in problems[0]
    assert "input slot 0 (depth video) of node 2 is 'depth_video'" in problems[0]
    with pytest.raises(WorkflowDocumentError, match="workflow document refused: link 1"):
        validate_document(_two_node_document("video"))


def test_a_wrong_type_in_a_real_document_is_found():
    doc = copy.deepcopy(workflow_document(_answer("phone_depth.txt")))
    doc["links"][0][5] = "depth_map"
    problems = check_document(doc)
    assert any("link 1 carries 'depth_map'" in p and "output slot 0" in p for p in problems)
    assert any("link 1 carries 'depth_map'" in p and "input slot 0" in p for p in problems)


def test_missing_links_and_duplicate_ids_are_found():
    doc = _two_node_document("video")
    doc["nodes"][1]["inputs"][0]["type"] = "video"
    assert check_document(doc) == []
    doc["nodes"][1]["inputs"][0]["link"] = 9
    doc["nodes"].append(copy.deepcopy(doc["nodes"][0]))
    doc["links"].append(list(doc["links"][0]))
    problems = check_document(doc)
    assert "duplicate node id 1" in problems
    assert "duplicate link id 1" in problems
    assert "input slot 0 of node 2 points at missing link 9" in problems
    assert "input slot 0 of node 2 does not list link 1" in problems


def test_malformed_documents_give_problems_not_exceptions():
    assert check_document([]) == ["the document is not a JSON object"]
    problems = check_document({"format": "other", "nodes": "x", "links": [[1, 2]]})
    assert "format is 'other', expected 'scholarflow-workflow'" in problems
    assert "nodes is not a list" in problems
    assert any(p.startswith("link at position 0 is not") for p in problems)
    odd = _two_node_document("video")
    odd["nodes"][0]["outputs"][0]["type"] = ["video"]
    odd["nodes"][1]["inputs"][0]["link"] = [1]
    assert check_document(odd)  # unhashable values are reported, not raised


def _with_workflow(nodes: list[Node], edges: list[Edge]) -> Answer:
    base = _answer("phone_depth.txt")
    return base.model_copy(update={"workflow": Workflow(nodes=tuple(nodes), edges=tuple(edges))})


def test_two_edges_of_one_modality_into_a_node_get_two_slots():
    nodes = [
        Node(id="n1", kind="input", label="Your video clip", modality="video"),
        Node(id="n2", kind="input", label="Your other clip", modality="video"),
        Node(id="n3", kind="operation", label="composite", operation="composite"),
        Node(id="n4", kind="output", label="Result", modality="video"),
    ]
    edges = [
        Edge(source="n1", target="n3", modality="video"),
        Edge(source="n2", target="n3", modality="video"),
        Edge(source="n3", target="n4", modality="video"),
    ]
    doc = workflow_document(_with_workflow(nodes, edges))
    assert check_document(doc) == []
    composite = _nodes(doc)[3]
    assert [(s["name"], s["link"]) for s in composite["inputs"]] == [
        ("video clip", 1),
        ("video clip 2", 2),
    ]
    assert [link[4] for link in doc["links"][:2]] == [0, 1]
    assert [node["pos"] for node in doc["nodes"]] == [[0, 0], [0, 150], [300, 0], [600, 0]]


def test_an_edge_that_contradicts_its_output_node_is_refused():
    nodes = [
        Node(id="n1", kind="input", label="Your video clip", modality="video"),
        Node(id="n2", kind="output", label="Depth video", modality="depth_video"),
    ]
    edges = [Edge(source="n1", target="n2", modality="video")]
    with pytest.raises(WorkflowDocumentError, match="output node 2 must have one input slot"):
        workflow_document(_with_workflow(nodes, edges))


def test_an_edge_to_a_missing_node_is_refused():
    nodes = [Node(id="n1", kind="input", label="Your video clip", modality="video")]
    edges = [Edge(source="n1", target="n5", modality="video")]
    with pytest.raises(WorkflowDocumentError, match="node n5 is not in the workflow"):
        workflow_document(_with_workflow(nodes, edges))


def test_ids_that_are_not_numbered_get_the_next_free_number():
    nodes = [
        Node(id="n2", kind="input", label="Your video clip", modality="video"),
        Node(id="extra", kind="output", label="Result", modality="video"),
    ]
    edges = [Edge(source="n2", target="extra", modality="video")]
    doc = workflow_document(_with_workflow(nodes, edges))
    assert [node["id"] for node in doc["nodes"]] == [2, 3]
    assert doc["links"] == [[1, 2, 0, 3, 0, "video"]]


def test_the_cli_writes_the_graph_format() -> None:
    import subprocess
    import sys

    prompt = Path(__file__).parent / "prompts" / "phone_depth.txt"
    done = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "answer", str(prompt), "--format", "graph"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["format"] == "scholarflow-workflow" and check_document(document) == []
