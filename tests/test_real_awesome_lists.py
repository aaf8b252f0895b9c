"""Real awesome lists imported the way users import them, then asked through every door.

The two lists in ../shared/data/awesome are copied to a temporary folder first (never read in
place for writing). Each is imported once per module by the real command in a new process;
the tests then ask through the CLI (new processes), the HTTP server (in-process, through its
ASGI app) and the MCP tools, and check that nothing crashes on entries that have only a title
and links, and that asking after an import embeds nothing.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from scholarflow.mcp_server import build_server
from scholarflow.server import create_app

from conftest import AWESOME_LISTS, ROOT

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
REPORT = re.compile(
    r"(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) skipped"
    r"(?: \((\d+) repeated in the file, counted once\))?; (\d+) embedded"
)
DEPTH_QUESTION = "How do apps turn a phone video into a depth video?"
QUESTIONS = {
    "awesome-NeRF.README.md": "How can a scene be rendered from new viewpoints from photos?",
    "Awesome-Video-Diffusion.README.md": "How does a model turn a text prompt into a video?",
}
# Enough entries that most of each list came through (counted by hand: 172 and 823 list
# items, of which table-of-contents anchors, talks on YouTube, notebooks on Kaggle and
# product pages without a paper are not papers), few enough to allow small edits upstream.
MIN_ENTRIES = {"awesome-NeRF.README.md": 150, "Awesome-Video-Diffusion.README.md": 700}
BUILTIN_COUNT = 12


def run(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in a new process, its stderr not a terminal."""
    environment = dict(os.environ, SCHOLARFLOW_HOME=str(home), **env)
    environment.pop("SCHOLARFLOW_PROGRESS", None) if "SCHOLARFLOW_PROGRESS" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", *args],
        capture_output=True,
        text=True,
        timeout=900,  # a loaded CI machine embeds a few hundred entries in minutes, not hours
        cwd=ROOT,
        env=environment,
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def file_signature(db: Path) -> tuple[tuple[int, int], int]:
    """The catalog file's mtime and size and its write-ahead log's size: any write changes
    one of them. (An idle connection leaves an empty log behind; empty counts as absent.)"""
    stat = db.stat()
    wal = Path(f"{db}-wal")
    return (stat.st_mtime_ns, stat.st_size), wal.stat().st_size if wal.exists() else 0


def embedding_rows(db: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(
            "SELECT entry_id, model, text_hash, vector FROM embeddings ORDER BY entry_id"
        ).fetchall()


def entry_count(db: Path) -> int:
    with closing(sqlite3.connect(db)) as connection:
        return int(connection.execute("SELECT count(*) FROM entries").fetchone()[0])


@dataclass
class Imported:
    name: str
    path: Path
    home: Path
    result: subprocess.CompletedProcess[str]

    @property
    def db(self) -> Path:
        return self.home / "catalog.db"

    def report(self) -> re.Match[str]:
        found = REPORT.search(self.result.stdout)
        assert found, self.result.stdout
        return found

    def exported(self) -> list[dict[str, Any]]:
        lines = ok(run("catalog", "export", home=self.home)).stdout.splitlines()
        return [json.loads(line) for line in lines]


@pytest.fixture(scope="module", params=AWESOME_LISTS)
def imported(
    request: pytest.FixtureRequest,
    awesome_lists: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Imported:
    name = request.param
    home = tmp_path_factory.mktemp("home")
    result = run("catalog", "import", str(awesome_lists[name]), home=home, SCHOLARFLOW_PROGRESS="1")
    return Imported(name, awesome_lists[name], home, ok(result))


# --------------------------------------------------------------------------- the import


def test_a_real_list_imports_its_papers_and_embeds_them(imported: Imported):
    added, updated, unchanged, skipped, repeats, embedded = map(int, imported.report().groups("0"))
    assert added >= MIN_ENTRIES[imported.name]
    assert repeats >= 1  # both lists give some papers under two headings
    assert (updated, skipped) == (0, 0)
    assert entry_count(imported.db) == BUILTIN_COUNT + added
    # Everything the catalog holds was embedded before the command returned.
    assert embedded == BUILTIN_COUNT + added and len(embedding_rows(imported.db)) == embedded
    assert unchanged <= 3  # papers that are built-in entries


def test_imported_entries_are_papers_with_their_own_links(imported: Imported):
    entries = [entry for entry in imported.exported() if entry["id"] not in BUILTIN_IDS]
    # One entry per paper. (One title may stand for two papers: the list gives "ReconX" twice
    # with two arXiv ids, one of them another paper's, and we cannot tell which.)
    papers = [(entry["title"], entry.get("paper_url")) for entry in entries]
    assert len(papers) == len(set(papers))
    for entry in entries:
        links = [entry.get(key) for key in ("paper_url", "github_url", "project_url")]
        assert any(links), entry
        for link in filter(None, links):
            assert link.startswith("http") and "img.shields.io" not in link, entry
            assert "citations/" not in link and not link.endswith(".bib"), entry  # bibtex
        assert "shields" not in entry["title"].lower() and "](" not in entry["title"], entry
        assert "table of contents" not in entry.get("tags", []), entry
    by_title = {entry["title"]: entry for entry in entries}
    for title, fields in KNOWN_ENTRIES[imported.name].items():
        assert title in by_title, title
        for key, value in fields.items():
            assert by_title[title].get(key) == value, (title, key)


BUILTIN_IDS = ("sv4d-2", "depthcrafter", "sd15-qgo-promptingreal", "make-it-4d", "camco", "4k4d",
               "cinematic-behavior-transfer", "dreamcolour", "stereo4d", "toon3d",
               "refine-monodepth", "sfm-stereo")  # fmt: skip
# Entries read by hand against the files: title, links, and the heading path as tags.
KNOWN_ENTRIES: dict[str, dict[str, dict[str, Any]]] = {
    "awesome-NeRF.README.md": {
        "KiloNeRF: Speeding up Neural Radiance Fields with Thousands of Tiny MLPs": {
            "paper_url": "https://arxiv.org/abs/2103.13744",
            "github_url": "https://github.com/creiser/kilonerf",
            "tags": ["papers", "faster inference"],
        },
        "NeRF in the Wild: Neural Radiance Fields for Unconstrained Photo Collections": {
            "project_url": "https://nerf-w.github.io/",
            "tags": ["papers", "unconstrained images"],
        },
        "NoPe-NeRF: Optimising Neural Radiance Field with No Pose Prior": {
            "project_url": "https://nope-nerf.active.vision/",
            "github_url": "https://github.com/ActiveVisionLab/nope-nerf",
        },
        "Ha-NeRF: Hallucinated Neural Radiance Fields in the Wild": {
            "project_url": "https://rover-xingyu.github.io/Ha-NeRF/",
            "github_url": "https://github.com/rover-xingyu/Ha-NeRF",
        },
        "JaxNeRF": {
            "github_url": "https://github.com/google-research/google-research/tree/master/jaxnerf",
            "tags": ["implementations", "jax"],
        },
    },
    "Awesome-Video-Diffusion.README.md": {
        "Latte: Latent Diffusion Transformer for Video Generation": {
            "paper_url": "https://arxiv.org/abs/2401.03048",
            "github_url": "https://github.com/Vchitect/Latte",
            "project_url": "https://maxin-cn.github.io/latte_project/",
            "tags": ["video generation"],
        },
        "Motion Modes: What Could Happen Next?": {
            "paper_url": "https://motionmodes.github.io/resources/MotionModes.pdf",
            "project_url": "https://motionmodes.github.io/",
        },
        "Impossible Videos": {"paper_url": "https://arxiv.org/abs/2503.14378"},
        # Its title link repeats Impossible Videos' arXiv id; its arXiv badge is its own.
        "Paper2Video: Automatic Video Generation from Scientific Papers": {
            "paper_url": "https://arxiv.org/abs/2510.05096",
            "github_url": "https://github.com/showlab/Paper2Video",
        },
        "NanoI2V": {
            "github_url": "https://github.com/Shubham2376G/NanoI2V",
            "project_url": "https://shubham2376g.github.io/NanoI2V/",
        },
    },
}


def test_the_import_draws_a_progress_bar_with_total_rate_and_eta(imported: Imported):
    stderr = ANSI.sub("", imported.result.stderr)
    total = int(imported.report().group(6))
    assert re.search(rf"embedding .*\b{total}/{total}\b .*/s ETA \d+:\d\d", stderr), stderr[-500:]


def test_reimporting_the_same_list_is_a_true_no_op(imported: Imported):
    rows = embedding_rows(imported.db)
    signature = file_signature(imported.db)
    again = ok(run("catalog", "import", str(imported.path), home=imported.home))
    added, updated, _, skipped, _, embedded = map(int, REPORT.search(again.stdout).groups("0"))
    assert (added, updated, skipped, embedded) == (0, 0, 0, 0)
    assert embedding_rows(imported.db) == rows
    assert file_signature(imported.db) == signature  # nothing written, nothing to rebuild


# --------------------------------------------------------------------------- asking afterwards


def test_ask_prompt_and_search_work_and_embed_nothing(imported: Imported):
    rows = embedding_rows(imported.db)
    signature = file_signature(imported.db)
    answer = ok(run("ask", DEPTH_QUESTION, home=imported.home))
    assert "DepthCrafter" in answer.stdout and "### 3. Papers and tools" in answer.stdout
    question = QUESTIONS[imported.name]
    as_json = json.loads(ok(run("ask", question, "--format", "json", home=imported.home)).stdout)
    assert as_json["served"] is True
    assert any(source["entry_id"] not in BUILTIN_IDS for source in as_json["sources"])
    prompt = ok(run("prompt", question, home=imported.home))
    assert "### Recommended AI Models:" in prompt.stdout
    found = ok(run("catalog", "search", question, home=imported.home))
    assert found.stdout.splitlines()[1].split()[0] == "1"  # a header row, then hit number 1
    assert embedding_rows(imported.db) == rows  # asking embedded no catalog entry
    assert file_signature(imported.db) == signature


def test_entries_with_only_a_title_and_a_link_are_listed_shown_and_exported(imported: Imported):
    bare = next(
        entry
        for entry in imported.exported()
        if "summary" not in entry and "paper_url" not in entry and "tags" in entry
    )
    listing = ok(run("catalog", "list", home=imported.home)).stdout
    assert bare["id"] in listing
    shown = ok(run("catalog", "show", bare["id"], home=imported.home)).stdout
    assert bare["title"] in " ".join(shown.split())  # `show` wraps long fields
    as_json = json.loads(
        ok(run("catalog", "show", bare["id"], "-f", "json", home=imported.home)).stdout
    )
    assert as_json["summary"] is None and as_json["paper_url"] is None


def test_the_server_answers_from_the_imported_list(imported: Imported):
    signature = file_signature(imported.db)
    with TestClient(
        create_app(catalog_path=imported.db, token=""), base_url="http://127.0.0.1"
    ) as client:
        for question in (DEPTH_QUESTION, QUESTIONS[imported.name]):
            asked = client.post("/api/ask", json={"question": question})
            assert asked.status_code == 200, asked.text
            assert asked.json()["served"] is True
            searched = client.get("/api/catalog/search", params={"q": question})
            assert searched.status_code == 200 and searched.json(), searched.text
            body = {"model": "scholarflow", "messages": [{"role": "user", "content": question}]}
            chat = client.post("/v1/chat/completions", json=body)
            assert chat.status_code == 200, chat.text
            assert "### 1. The task" in chat.json()["choices"][0]["message"]["content"]
            streamed = client.post("/v1/chat/completions", json={**body, "stream": True})
            assert streamed.status_code == 200 and streamed.text.rstrip().endswith("[DONE]")
    assert file_signature(imported.db) == signature  # the server embedded nothing either


def test_the_mcp_tools_answer_from_the_imported_list(imported: Imported):
    assert_mcp_tools_work(imported.db, QUESTIONS[imported.name])


def assert_mcp_tools_work(db: Path, question: str) -> None:
    server = build_server(catalog_path=db)
    calls = {
        "ask": {"question": question},
        "recommend_models": {"question": question, "limit": 3},
        "compose_workflow": {"question": question},
        "search_catalog": {"query": question, "limit": 5},
    }

    async def call_all() -> dict[str, Any]:
        return {tool: await server.call_tool(tool, args) for tool, args in calls.items()}

    for tool, result in anyio.run(call_all).items():
        assert not result.is_error, (tool, result.content)
        assert isinstance(result.structured_content, dict), tool


def test_reindex_recomputes_on_demand_and_changes_no_vector(imported: Imported):
    rows = embedding_rows(imported.db)
    stale_only = ok(run("catalog", "reindex", home=imported.home)).stdout
    assert "0 embedded (stale only)" in stale_only and "full-text index rebuilt" in stale_only
    everything = ok(run("catalog", "reindex", "--all", home=imported.home))
    assert f"{len(rows)} embedded (all)" in everything.stdout
    assert everything.stderr == ""  # seconds of work, but no terminal and not forced: no bar
    again = embedding_rows(imported.db)
    assert [row[:3] for row in again] == [row[:3] for row in rows]  # same texts, same hashes
    assert ok(run("catalog", "search", "radiance fields", home=imported.home)).stdout


# --------------------------------------------------------------------------- title only


def test_an_entry_known_only_by_its_title_works_everywhere(tmp_path: Path):
    added = ok(run("catalog", "add", "--title", "X", home=tmp_path))
    entry_id = added.stdout.split(":", 1)[1].strip()
    answer = ok(run("ask", DEPTH_QUESTION, home=tmp_path))
    assert "DepthCrafter" in answer.stdout
    ok(run("ask", "X", home=tmp_path))
    ok(run("prompt", "X", home=tmp_path))
    assert entry_id in ok(run("catalog", "search", "X", home=tmp_path)).stdout
    assert entry_id in ok(run("catalog", "list", home=tmp_path)).stdout
    assert "X" in ok(run("catalog", "show", entry_id, home=tmp_path)).stdout
    exported = ok(run("catalog", "export", home=tmp_path)).stdout.splitlines()
    assert {"id": entry_id, "title": "X", "name": "X", "kind": "paper"} in map(json.loads, exported)
    db = tmp_path / "catalog.db"
    with TestClient(create_app(catalog_path=db, token=""), base_url="http://127.0.0.1") as client:
        for question in ("X", DEPTH_QUESTION):
            assert client.post("/api/ask", json={"question": question}).status_code == 200
            assert client.get("/api/catalog/search", params={"q": question}).status_code == 200
            body = {"model": "scholarflow", "messages": [{"role": "user", "content": question}]}
            assert client.post("/v1/chat/completions", json=body).status_code == 200
    assert_mcp_tools_work(db, "X")


# --------------------------------------------------------------------------- files without entries


def test_a_file_without_entries_is_one_line_exit_2_and_suggests_format(tmp_path: Path):
    before = ok(run("catalog", "export", home=tmp_path)).stdout
    notes = tmp_path / "notes.md"
    notes.write_text("# My notes\n\nNothing here is a paper, just [a link](#anchor).\n")
    failed = run("catalog", "import", str(notes), home=tmp_path)
    assert failed.returncode == 2
    assert failed.stderr.count("\n") == 1 and "Traceback" not in failed.stderr
    assert "no entries" in failed.stderr and "--format" in failed.stderr
    assert failed.stdout == ""
    # A BibTeX file named .md: the format, not the file, is what is wrong, and it says so.
    bib = tmp_path / "refs.md"
    bib.write_text("@article{a, title={Depth for Everyone}, url={https://arxiv.org/abs/2401.1}}\n")
    wrong = run("catalog", "import", str(bib), home=tmp_path)
    assert wrong.returncode == 2 and "--format" in wrong.stderr
    assert ok(run("catalog", "import", str(bib), "--format", "bibtex", home=tmp_path))
    assert ok(run("catalog", "export", home=tmp_path)).stdout != before


def test_importing_a_line_for_a_builtin_changes_none_of_what_it_says(tmp_path: Path):
    before = json.loads(
        ok(run("catalog", "show", "depthcrafter", "-f", "json", home=tmp_path)).stdout
    )
    listing = tmp_path / "depth.md"
    listing.write_text(
        "## Depth\n\n"
        "- [DepthCrafter](https://arxiv.org/abs/2409.02095) | [project](https://depthcrafter.github.io)"
        "\n- [DepthCrafter](https://arxiv.org/abs/2409.02095) - listed twice, counted once here.\n"
    )
    imported = ok(run("catalog", "import", str(listing), home=tmp_path))
    assert "0 added, 1 updated, 0 unchanged, 0 skipped (1 repeated in the file" in imported.stdout
    after = json.loads(
        ok(run("catalog", "show", "depthcrafter", "-f", "json", home=tmp_path)).stdout
    )
    for field in ("kind", "title", "name", "summary", "tags", "tasks", "signatures", "builtin"):
        assert after[field] == before[field], field
    assert after["project_url"] == "https://depthcrafter.github.io"  # the one thing it lacked
