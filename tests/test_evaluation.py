"""The evaluation metrics on small hand-checked examples, and the built-in set end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scholarflow.engine import answer
from scholarflow.evaluation import metrics
from scholarflow.evaluation.cases import load_case, load_cases
from scholarflow.evaluation.harness import workflow_labels
from scholarflow.models import Source
from scholarflow.prompt_format import parse_prompt
from scholarflow.signatures import enrich

from conftest import PROMPTS_DIR, ROOT


def test_one_wrong_edge_of_two_halves_precision_recall_and_f1():
    expected = {("input:video", "model:D"), ("model:D", "output:depth_video")}
    predicted = {("input:video", "model:D"), ("model:D", "output:video")}
    score = metrics.set_f1(predicted, expected)
    assert (score.precision, score.recall, score.f1) == (0.5, 0.5, 0.5)
    # An extra edge lowers precision only: 2/3 precision, full recall, F1 = 0.8.
    extra = metrics.set_f1(expected | {("input:video", "output:depth_video")}, expected)
    assert extra.recall == 1.0 and abs(extra.precision - 2 / 3) < 1e-9
    assert abs(extra.f1 - 0.8) < 1e-9
    assert metrics.set_f1(set(), set()).f1 == 1.0
    assert metrics.set_f1(set(), expected).f1 == 0.0


def test_mismatch_precision_and_recall():
    pairs = [(True, True), (True, False), (False, True), (False, False)]
    assert metrics.binary_precision_recall(pairs) == (0.5, 0.5)


def test_ranking_metrics():
    ranked = ["a", "b", "c", "d"]
    assert metrics.recall_at(ranked, "c", 3) == 1.0 and metrics.recall_at(ranked, "d", 3) == 0.0
    assert metrics.reciprocal_rank(ranked, "b") == 0.5 and metrics.reciprocal_rank(ranked, "z") == 0
    assert metrics.percentile([5, 1, 3, 2, 4], 0.5) == 3


SOURCES = (
    Source(
        id="s1",
        name="DepthCrafter",
        title="DepthCrafter: Consistent depth",
        paper_url="https://arxiv.org/pdf/2409.02095",
        role="recommended",
    ),
    Source(
        id="s2", name="Other", title="Other paper", summary="Project page: https://o.github.io/x"
    ),
)


def test_a_planted_foreign_link_is_counted_and_provided_ones_are_not():
    text = (
        "See https://arxiv.org/pdf/2409.02095 and http://arxiv.org/pdf/2409.02095/ for the paper; "
        "weights at https://evil.example.com/w.zip and evil.example.net/x."
    )
    assert metrics.foreign_links(text, SOURCES) == [
        "https://evil.example.com/w.zip",
        "evil.example.net/x",
    ]


def test_a_known_name_nobody_provided_is_ungrounded():
    text = "DepthCrafter does this; Depth Anything V2 and SAM would too, like any clip sampler."
    found = metrics.ungrounded_names(text, SOURCES)
    # the name as the guard reads it: "Depth Anything" with its version
    assert "SAM" in found and any(name.startswith("Depth Anything") for name in found)
    assert "DepthCrafter" not in found


def test_a_bold_heading_ending_before_a_provided_name_makes_no_name_of_the_two():
    # "consistent.** 4D Warp": the heading's last word and the provided name after it are no
    # "Consistent4D", as the guard reads them; a name split to hide it still counts
    warp = Source(id="s9", name="4D Warp", title="4D Warp: Moving Scenes from Many Cameras")
    heading = "**Why it stays consistent.** 4D Warp renders each view from one model [1]."
    assert metrics.ungrounded_names(heading, [warp]) == []
    assert metrics.ungrounded_names("It is Mid.** Journey that draws it.", [warp]) == ["Midjourney"]


def test_citation_support_catches_a_deliberately_wrong_citation():
    request = parse_prompt((PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8"))
    produced = answer(request)
    own = {}
    for ref in produced.references:
        source = enrich(next(s for s in request.sources if s.id == ref.source_id))
        own[ref.number] = " ".join(
            p for p in (source.name, source.title, source.summary, source.catalog_summary) if p
        )
    cited = metrics.cited_sentences(produced.markdown, own)
    right = [c for c in cited if c.number == 1 and "window of frames" in c.sentence]
    assert right and all(c.supported for c in right)
    # The same sentence attributed to the refinement paper [2] is not supported by it.
    wrong = metrics.cited_sentences(right[0].sentence.replace("[1]", "[2]"), own)
    assert wrong and not wrong[0].supported
    assert wrong[0].support < metrics.SUPPORT_THRESHOLD <= right[0].support


def test_workflow_labels_use_the_main_path_only():
    request = parse_prompt((PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8"))
    nodes, edges = workflow_labels(answer(request).workflow)
    assert nodes == {"input:video", "model:DepthCrafter", "output:depth_video"}
    assert edges == {
        ("input:video", "model:DepthCrafter"),
        ("model:DepthCrafter", "output:depth_video"),
    }


def test_a_case_file_is_validated(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'question = "q"\n[expect]\ntask = "t"\ninputs = []\noutputs = []\n'
        'mismatch = false\nnodes = ["input:video"]\nedges = [["input:video", "model:X"]]\n'
    )
    from scholarflow.errors import InputError

    with pytest.raises(InputError, match="joins a node not listed"):
        load_case(bad)


def test_the_builtin_set_is_large_and_varied():
    cases = load_cases()
    assert len(cases) >= 40
    tags = {tag for case in cases for tag in case.tags}
    assert {"mismatch", "hostile", "non-english", "no-summary", "free-question"} <= tags
    assert sum(1 for case in cases if case.question) >= 10


def test_eval_runs_the_builtin_set_with_grounding_at_target(tmp_path: Path):
    report = tmp_path / "report.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scholarflow.cli",
            "eval",
            "--json",
            str(report),
            "--markdown",
            str(tmp_path / "report.md"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "workflow edge F1" in result.stdout
    values = {m["name"]: m["value"] for m in json.loads(report.read_text())["metrics"]}
    assert values["cases answered without error"] == 1.0
    assert values["out-of-source link rate"] == 0.0
    assert values["ungrounded-name rate"] == 0.0
    assert values["never-strings found rate"] == 0.0
    assert values["recommended-model coverage"] == 1.0
    assert (tmp_path / "report.md").read_text().startswith("| metric |")


def test_a_name_that_is_a_word_of_the_answers_language_counts_only_written_as_a_name():
    # "Imagen" is the Spanish for image: a diagram label after an arrow or a table cell
    # starts with a capital, and that is not the model; mid-sentence it is
    spanish = "Tu imagen única ──imagen única──► Imagen reescalada\n| Imagen | entrada |"
    assert metrics.ungrounded_names(spanish, SOURCES) == []
    assert metrics.ungrounded_names("It was compared with Imagen.", SOURCES) == ["Imagen"]


# --- a case is never read against its own question ---------------------------------------------


def _a_dev_case_whose_question_is_an_example():
    from scholarflow import taxonomy
    from scholarflow.evaluation.cases import question_of

    examples = {t for texts in taxonomy.index_entries(taxonomy.REQUESTS).values() for t in texts}
    for path in sorted((ROOT / "src" / "scholarflow" / "evaluation").glob("unseen2*/dev/*.toml")):
        case = load_case(path)
        if case.prompt is not None and question_of(case) in examples:
            return case
    raise AssertionError("no dev question among the example requests")


def test_leaving_a_question_out_drops_its_row_from_the_request_index():
    from scholarflow import taxonomy
    from scholarflow.evaluation.cases import question_of

    question = question_of(_a_dev_case_whose_question_is_an_example())
    _labels, matrix = taxonomy.index_vectors(None, taxonomy.REQUESTS)
    with taxonomy.leaving_out([question]):
        fewer_labels, fewer = taxonomy.index_vectors(None, taxonomy.REQUESTS)
    assert fewer.shape[0] == matrix.shape[0] - 1 == len(fewer_labels)
    assert taxonomy.index_vectors(None, taxonomy.REQUESTS)[1].shape == matrix.shape  # restored


def test_eval_reads_a_case_without_its_own_question_unless_asked_in_sample():
    from scholarflow.evaluation.cases import question_of
    from scholarflow.understanding import requests_left_out, task_similarities

    case = _a_dev_case_whose_question_is_an_example()
    question = question_of(case)
    own = task_similarities(question, nearest=5)[case.expect.task]
    with requests_left_out([question]):
        left_out = task_similarities(question, nearest=5)[case.expect.task]
    # its own row was among its task's closest (a cosine of 1): without it the mean falls
    assert left_out < own - 0.02
    assert task_similarities(question, nearest=5)[case.expect.task] == own  # cache cleared


def test_eval_help_tells_of_the_in_sample_switch():
    shown = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "eval", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--in-sample" in shown and "left out" in shown
