"""The planner: a typed DAG where every edge's modality matches the signatures it joins."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarflow import taxonomy
from scholarflow.models import Plan, Source
from scholarflow.planning import plan, recommended_fits
from scholarflow.prompt_format import parse_prompt
from scholarflow.signatures import enrich
from scholarflow.understanding import understand

from conftest import PROMPTS_DIR


def _plan(text: str) -> tuple[Plan, dict[str, Source]]:
    request = parse_prompt(text)
    sources = tuple(enrich(s) for s in request.sources)
    request = request.model_copy(
        update={
            "recommended": tuple(s for s in sources if s.role == "recommended"),
            "related": tuple(s for s in sources if s.role == "related"),
        }
    )
    return plan(understand(request), sources), {s.id: s for s in sources}


def _all_prompts(seeds: dict[str, Path]) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in [*seeds.values(), *PROMPTS_DIR.glob("*.txt")]]


def test_every_edge_matches_the_signatures_it_joins(seeds):
    for text in _all_prompts(seeds):
        result, sources = _plan(text)
        workflow = result.workflow
        steps = {s.node_id: s for s in result.steps}
        for edge in workflow.edges:
            producer, consumer = workflow.node(edge.source), workflow.node(edge.target)
            assert edge.modality in taxonomy.modalities()
            if producer.kind in {"model", "operation"}:
                assert edge.modality in steps[producer.id].outputs
            if consumer.kind in {"model", "operation"}:
                assert edge.modality in steps[consumer.id].inputs
            if consumer.kind == "model":
                assert any(
                    edge.modality in sig.inputs for sig in sources[consumer.source_id].signatures
                )
        # Every input of every step is fed, and ids run in topological order.
        for node_id, step in steps.items():
            if step.kind in {"model", "operation"}:
                fed = {e.modality for e in workflow.edges if e.target == node_id}
                assert fed == set(step.inputs), (step.label, fed, step.inputs)
        order = {n.id: i for i, n in enumerate(workflow.nodes)}
        assert all(order[e.source] < order[e.target] for e in workflow.edges)


def test_related_sources_join_only_where_their_signature_fits(seeds):
    result, sources = _plan(seeds["004"].read_text(encoding="utf-8"))
    names = {sources[s].name for s in result.branched}
    assert names == {
        "Refinement of Monocular Depth Maps",
        "3D reconstruction using Structure for Motion",
    }
    assert [sources[s].name for s in result.background] == ["Make-It-4D"]
    assert all(n.optional for n in result.workflow.nodes if n.source_id in result.branched)


def test_the_recommended_model_is_on_the_main_path_when_it_fits(seeds):
    result, _ = _plan(seeds["004"].read_text(encoding="utf-8"))
    main = [n for n in result.workflow.nodes if not n.optional]
    assert [n.kind for n in main] == ["input", "model", "output"]
    assert main[1].source_id == "s1" and result.recommended_fits


def test_a_mismatched_model_is_used_for_the_step_it_can_do(seeds):
    result, sources = _plan(seeds["003"].read_text(encoding="utf-8"))
    main_models = [
        sources[n.source_id].name
        for n in result.workflow.nodes
        if n.kind == "model" and not n.optional
    ]
    assert main_models == ["DepthCrafter", "Make-It-4D"]
    assert not result.recommended_fits


def test_a_model_with_the_right_modalities_but_the_wrong_job_is_a_mismatch():
    result, _ = _plan((PROMPTS_DIR / "dancer_background_mismatch.txt").read_text())
    assert [w.code for w in result.warnings if w.source_id == "s1"] == ["model_task_mismatch"]
    # The plan still does the job: something segments and composites the subject.
    operations = {n.operation for n in result.workflow.nodes if n.kind == "operation"}
    assert {"segment_subject", "composite"} <= operations


@pytest.mark.parametrize(
    ("number", "fits"),
    [("000", True), ("001", True), ("002", False), ("003", False), ("004", True)],
)
def test_fit_of_each_seeds_recommended_model(seeds, number, fits):
    request = parse_prompt(seeds[number].read_text(encoding="utf-8"))
    sources = tuple(enrich(s) for s in request.sources)
    request = request.model_copy(update={"recommended": sources[:1], "related": sources[1:]})
    assert recommended_fits(understand(request), sources[0])[0] is fits
