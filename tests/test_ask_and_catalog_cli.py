"""`ask`, `prompt` and `catalog` as a user runs them: new processes, a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scholarflow.catalog.store import SQLiteCatalogStore
from scholarflow.prompt_format import parse_prompt
from scholarflow.retrieval import Retriever, build_request

from answer_checks import check_answer
from conftest import ROOT

QUESTION = "How do apps turn a phone video into a depth video that doesn't flicker?"
FIXTURES = Path(__file__).parent / "fixtures" / "catalog"


def run(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SCHOLARFLOW_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "scholarflow.cli", *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env)  # fmt: skip


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


def test_ask_answers_pass_the_same_grounding_checks_as_answer(home: Path):
    result = run("ask", QUESTION, "--format", "json", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["served"] is True
    with SQLiteCatalogStore(home / "catalog.db") as store:
        request = build_request(QUESTION, Retriever(store).search(QUESTION))
    check_answer(data, request)
    assert data["task"]["id"] == "video_depth_estimation"
    assert data["references"][0]["name"] == "DepthCrafter"
    ranked = data["sources"]
    assert ranked[0]["entry_id"] == "depthcrafter" and ranked[0]["rank"] == 1
    # Links appear only for entries the answer used as sources.
    assert all(s["links"] == [] for s in ranked if not s["used"])


def test_ask_markdown_is_the_answer_of_its_own_prompt(home: Path):
    asked = run("ask", QUESTION, home=home)
    prompt = run("prompt", QUESTION, home=home)
    assert asked.returncode == 0 and prompt.returncode == 0
    command = [sys.executable, "-m", "scholarflow.cli", "answer", "-"]
    answered = subprocess.run(command, input=prompt.stdout, capture_output=True, text=True,
                              cwd=ROOT)  # fmt: skip
    assert answered.stdout == asked.stdout


def test_prompt_output_parses_back_to_the_same_sources(home: Path):
    result = run("prompt", QUESTION, home=home)
    assert result.returncode == 0, result.stderr
    parsed = parse_prompt(result.stdout)
    with SQLiteCatalogStore(home / "catalog.db") as store:
        request = build_request(QUESTION, Retriever(store).search(QUESTION))
    assert parsed.question == QUESTION
    for mine, theirs in zip(parsed.sources, request.sources, strict=True):
        assert (mine.title, mine.role, mine.paper_url, mine.github_url, mine.summary) == (
            theirs.title,
            theirs.role,
            theirs.paper_url,
            theirs.github_url,
            theirs.summary,
        )


def test_a_question_the_catalog_cannot_serve_says_so(home: Path):
    question = "What is a good recipe for sourdough bread with a crispy crust?"
    text = run("ask", question, home=home)
    assert text.returncode == 0
    assert text.stdout.startswith("The catalog cannot answer this")
    data = json.loads(run("ask", question, "--format", "json", home=home).stdout)
    assert data["served"] is False and "no model or paper" in data["message"]
    assert all(s["links"] == [] for s in data["sources"])
    refused = run("prompt", question, home=home)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1


def test_catalog_add_show_search_export_import_remove(tmp_path: Path):
    home = tmp_path
    added = run("catalog", "add", "--title", "FlowDepth: Stable Video Depth from Optical Flow",
                "--paper", "https://arxiv.org/abs/2501.00001", "--github",
                "https://github.com/example/flowdepth", "--summary",
                "Estimates temporally stable depth for every frame of a video.",
                "--tags", "depth,video", home=home)  # fmt: skip
    assert added.returncode == 0, added.stderr
    entry_id = added.stdout.split(":", 1)[1].strip()
    shown = json.loads(run("catalog", "show", entry_id, "--format", "json", home=home).stdout)
    assert shown["arxiv_id"] == "2501.00001" and shown["tags"] == ["depth", "video"]
    assert shown["tasks"][0] == "video_depth_estimation"
    listing = run("catalog", "list", home=home).stdout
    assert len(listing.splitlines()) == 1 + 13 and entry_id in listing  # a header, 13 rows
    found = run("catalog", "search", "stable depth from optical flow", home=home).stdout
    assert entry_id in found.splitlines()[1]

    exported = run("catalog", "export", "-o", str(tmp_path / "all.jsonl"), home=home)
    assert exported.returncode == 0
    lines = (tmp_path / "all.jsonl").read_text().splitlines()
    assert len(lines) == 13

    other = tmp_path / "other"
    imported = run("catalog", "import", str(tmp_path / "all.jsonl"), home=other)
    assert imported.returncode == 0, imported.stderr
    again = run("catalog", "import", str(tmp_path / "all.jsonl"), home=other)
    assert "0 added, 0 updated, 13 unchanged" in again.stdout
    assert run("catalog", "export", home=other).stdout == (tmp_path / "all.jsonl").read_text()

    removed = run("catalog", "remove", "toon3d", home=home)
    assert removed.returncode == 0
    assert "toon3d" not in run("catalog", "list", home=home).stdout
    missing = run("catalog", "show", "toon3d", home=home)
    assert missing.returncode == 2 and "no catalog entry" in missing.stderr


def test_a_bad_import_line_is_named_and_changes_nothing(tmp_path: Path):
    before = run("catalog", "export", home=tmp_path).stdout
    broken = FIXTURES / "entries-broken.jsonl"
    failed = run("catalog", "import", str(broken), home=tmp_path)
    assert failed.returncode == 2
    assert "line" in failed.stderr and failed.stderr.count("\n") == 1
    assert run("catalog", "export", home=tmp_path).stdout == before
    skipped = run("catalog", "import", str(broken), "--skip-bad", home=tmp_path)
    assert skipped.returncode == 0, skipped.stderr
    assert "skipped:" in skipped.stderr and "skipped" in skipped.stdout


@pytest.mark.parametrize("name", ["awesome-video-depth.md", "references.bib", "seed-prompt.txt"])
def test_every_import_format_works_from_the_cli(tmp_path: Path, name: str):
    # The BibTeX fixture holds one entry without a title on purpose: skip it, say so.
    result = run("catalog", "import", str(FIXTURES / name), "--skip-bad", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert " added" in result.stdout


def test_a_shot_transfer_shows_every_thing_its_model_says_it_makes(home: Path):
    # the user names only the camera move; the catalog entry doing the job says it gives the
    # camera path and the actors' motion, and the workflow shows both, each named for itself
    question = (
        "I love the camera move in an old western duel scene. How can I copy that shot's "
        "camera movement into Blender for my own animation?"
    )
    result = run("ask", question, "--format", "json", home=home)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["task"]["id"] == "cinematic_camera_transfer"
    assert data["task"]["outputs"] == ["camera_trajectory", "human_motion"]
    outputs = sorted(
        n["label"] for n in data["workflow"]["nodes"] if n["kind"] == "output" and not n["optional"]
    )
    assert outputs == ["Camera path", "Human motion"]
