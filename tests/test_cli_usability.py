"""What a new user meets at the command line, run as they run it: a new process each time.

Questions from stdin, catalogs that do not exist, the permissions of written files, bare
commands, help texts, the catalog's tables and cards, near-miss ids, task ids, restoring a
removed built-in, and batch's exit code.
"""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from scholarflow import taxonomy
from scholarflow.catalog.store import SQLiteCatalogStore, builtin_catalog_entries
from scholarflow.cli import build_parser, main
from scholarflow.retrieval import MIN_SIMILARITY, MIN_SIMILARITY_WITH_WORDS

from conftest import PROMPTS_DIR, ROOT

PROMPT = PROMPTS_DIR / "phone_depth.txt"
QUESTION = "How do apps turn a phone video into a depth video that doesn't flicker?"
BUILTIN_IDS = [entry.id for entry in builtin_catalog_entries()]


def run(
    *args: str,
    home: Path,
    stdin: bytes | None = None,
    columns: int | None = None,
    umask: int = -1,
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SCHOLARFLOW_HOME=str(home))
    env.pop("COLUMNS", None)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    completed = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        umask=umask,
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """`cli.main` in this process, for the many error paths: as `run` does, less the ~1 s of
    a new interpreter. Tables are tested through `run`, whose stdout is surely a pipe."""

    def call(*args: str, home: Path, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
        monkeypatch.setenv("SCHOLARFLOW_HOME", str(home))
        monkeypatch.setenv("COLUMNS", "80")
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            code = main(list(args))
        except SystemExit as exit_:  # --help, and usage errors, leave through argparse
            code = exit_.code if isinstance(exit_.code, int) else 1
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)

    return call


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, *parts: str):
    assert result.returncode == code, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("scholarflow: error: ")
    for part in parts:
        assert part in result.stderr, result.stderr


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose default catalog the tests only read (it is created on first use)."""
    return tmp_path_factory.mktemp("home")


# --------------------------------------------------------------------------- 1. ask -


def test_ask_reads_the_question_from_stdin(home: Path):
    from_stdin = run("ask", "-", home=home, stdin=f"  {QUESTION}\n".encode())
    from_argument = run("ask", QUESTION, home=home)
    assert from_stdin.returncode == 0, from_stdin.stderr
    assert from_stdin.stdout == from_argument.stdout
    assert "DepthCrafter" in from_stdin.stdout
    prompt = run("prompt", "-", home=home, stdin=QUESTION.encode())
    assert prompt.returncode == 0 and f'"{QUESTION}"' in prompt.stdout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "<stdin>: is empty; expected a question"),
        (b"  \n\t\n", "<stdin>: is empty; expected a question"),
        (b"how does depth\x00work", "<stdin>: is not a text file (binary data at byte 14)"),
        ("profondeur d'une vidéo".encode("latin-1"), "<stdin>: is not UTF-8 text"),
        (b"x" * (2 * 1024 * 1024), "<stdin>: input exceeds 1024 KB"),
        (b"why " * 1001, "the question is 4003 characters; the limit is 4000"),
    ],
    ids=["empty", "blank", "binary", "latin-1", "two-megabytes", "over-4000-characters"],
)
@pytest.mark.parametrize("command", ["ask", "prompt"])
def test_a_bad_question_on_stdin_is_one_line_and_exit_2(
    cli, tmp_path: Path, command: str, data: bytes, message: str
):
    assert_one_line_error(cli(command, "-", home=tmp_path, stdin=data), 2, message)
    assert not (tmp_path / "catalog.db").exists()  # refused before the catalog was opened


def test_answer_stdin_keeps_its_own_wording(tmp_path: Path):
    result = run("answer", "-", home=tmp_path, stdin=b"")
    assert_one_line_error(result, 2, "<stdin>: is empty; expected a prompt in the seed format")


# --------------------------------------------------------------------------- 2. --catalog


@pytest.mark.parametrize(
    "command",
    [
        ["ask", QUESTION],
        ["prompt", QUESTION],
        ["catalog", "list"],
        ["catalog", "show", "depthcrafter"],
        ["catalog", "search", "video depth"],
        ["catalog", "export"],
        ["eval"],
    ],
    ids=lambda command: " ".join(command[:2]) if command[0] == "catalog" else command[0],
)
def test_a_reading_command_refuses_a_catalog_that_does_not_exist(cli, tmp_path: Path, command):
    missing = tmp_path / "typo" / "catalg.db"
    result = cli(*command, "--catalog", str(missing), home=tmp_path / "home")
    assert_one_line_error(result, 2, f"{missing}: no such catalog", "catalog import", "add")
    assert not missing.exists() and not missing.parent.exists()
    assert not (tmp_path / "home").exists()


def test_batch_refuses_a_catalog_that_does_not_exist(tmp_path: Path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"question": QUESTION}) + "\n", encoding="utf-8")
    missing = tmp_path / "nope.db"
    result = run(
        "batch", str(source), str(tmp_path / "out.jsonl"), "--catalog", str(missing),
        home=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2 and "no such catalog" in result.stderr, result.stderr
    assert not missing.exists() and not (tmp_path / "out.jsonl").exists()


@pytest.mark.parametrize(
    ("command", "entries"),
    [
        (["catalog", "add", "--title", "FlowDepth: Stable Video Depth"], 13),
        (["catalog", "remove", "toon3d"], 11),
        (["catalog", "restore", "toon3d"], 12),
    ],
    ids=["add", "remove", "restore"],
)
def test_a_writing_command_creates_the_catalog_it_is_given(
    tmp_path: Path, command: list[str], entries: int
):
    fresh = tmp_path / "new" / "team.db"
    result = run(*command, "--catalog", str(fresh), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    with SQLiteCatalogStore(fresh) as store:
        assert store.count() == entries  # the built-ins came with it


def test_the_default_catalog_is_created_on_first_use(tmp_path: Path):
    result = run("catalog", "list", "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [entry["id"] for entry in json.loads(result.stdout)] == BUILTIN_IDS
    assert (tmp_path / "catalog.db").is_file()


# --------------------------------------------------------------------------- 3. -o modes


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_output_file_follows_the_umask(tmp_path: Path, umask: int, mode: int):
    target = tmp_path / "answer.md"
    result = run("answer", str(PROMPT), "-o", str(target), home=tmp_path, umask=umask)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_text(encoding="utf-8").startswith("### 1. The task")
    assert [path.name for path in tmp_path.iterdir()] == ["answer.md"]  # no temporary left


@pytest.mark.parametrize("mode", [0o640, 0o666, 0o604])
def test_replacing_a_file_keeps_its_mode(tmp_path: Path, mode: int):
    target = tmp_path / "catalog.jsonl"
    target.write_text("old\n")
    target.chmod(mode)
    result = run("catalog", "export", "-o", str(target), home=tmp_path, umask=0o077)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert len(target.read_text(encoding="utf-8").splitlines()) == 12


def test_a_read_only_output_file_is_treated_as_open_would(tmp_path: Path):
    target = tmp_path / "answer.md"
    target.write_text("keep me\n")
    target.chmod(0o444)
    result = run("answer", str(PROMPT), "-o", str(target), home=tmp_path)
    if os.geteuid() == 0:  # root may write any file, with open() too: replaced, mode kept
        assert result.returncode == 0, result.stderr
        assert target.read_text(encoding="utf-8").startswith("### 1. The task")
    else:
        assert_one_line_error(result, 2, f"{target}: is not writable; not replaced")
        assert target.read_text() == "keep me\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert [path.name for path in tmp_path.iterdir()] == ["answer.md"]


# --------------------------------------------------------------------------- 4. bare commands


def test_bare_scholarflow_prints_the_help(tmp_path: Path):
    result = run(home=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == run("--help", home=tmp_path).stdout
    assert result.stdout.startswith("usage: scholarflow")
    for command in ("answer", "ask", "catalog", "tasks", "batch"):
        assert re.search(rf"^\s+{command}\s", result.stdout, re.MULTILINE)


def test_bare_catalog_prints_its_help(tmp_path: Path):
    result = run("catalog", home=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == run("catalog", "--help", home=tmp_path).stdout
    assert not (tmp_path / "catalog.db").exists()


def test_a_wrong_command_is_still_a_usage_error(tmp_path: Path):
    assert_one_line_error(run("anwser", home=tmp_path), 2, "invalid choice: 'anwser'")


# --------------------------------------------------------------------------- 5. --help


def _catalog_actions() -> dict[str, str]:
    """Every `catalog` action and its description, from the parser itself."""
    import argparse

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    catalog = commands.choices["catalog"]
    actions = next(a for a in catalog._actions if isinstance(a, argparse._SubParsersAction))
    return {name: sub.description or "" for name, sub in actions.choices.items()}


def test_the_catalog_actions_are_all_tested_here():
    assert set(_catalog_actions()) == {
        "list", "show", "search", "add", "import", "reindex", "export", "remove", "restore",
        "copy",
    }  # fmt: skip


@pytest.mark.parametrize("action", sorted(_catalog_actions()))
def test_every_catalog_action_has_a_description_and_an_example(cli, tmp_path: Path, action: str):
    result = cli("catalog", action, "--help", home=tmp_path)
    assert result.returncode == 0 and result.stderr == ""
    text = result.stdout
    # The description: a paragraph between the usage and the argument lists.
    description = text.split("\n\n")[1]
    assert not description.startswith(("positional arguments", "options"))
    assert len(description.split()) >= 6, description
    examples = re.split(r"^examples?:$", text, flags=re.MULTILINE)
    assert len(examples) == 2 and f"  scholarflow catalog {action}" in examples[1], text
    assert all(len(line) <= 100 for line in text.splitlines()), text


def test_search_help_explains_both_scores_with_the_real_thresholds(tmp_path: Path):
    text = run("catalog", "search", "--help", home=tmp_path).stdout
    assert "SCORE" in text and "best hit of this search is 100" in text
    assert "SIMILARITY" in text and "cosine similarity" in text
    assert f"{round(MIN_SIMILARITY * 100)} %" in text
    assert f"{round(MIN_SIMILARITY_WITH_WORDS * 100)} %" in text


# --------------------------------------------------------------------------- 6. catalog list


def test_list_is_an_aligned_table_fitted_to_the_terminal(home: Path):
    result = run("catalog", "list", home=home, columns=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "KIND", "NAME", "TITLE"]
    assert len(lines) == 1 + len(BUILTIN_IDS)
    assert all(cell_len(line) <= 60 for line in lines), lines
    assert all(line == line.rstrip() for line in lines)
    # Ids whole, in order; every row's columns start where the header's do.
    assert [line.split()[0] for line in lines[1:]] == BUILTIN_IDS
    starts = [lines[0].index(word) for word in ("KIND", "NAME", "TITLE")]
    for line in lines[1:]:
        assert all(line[start - 2 : start] == "  " and line[start] != " " for start in starts)
    assert any(line.endswith("…") for line in lines)  # long titles were cut
    assert "Generating Consistent Long Depth Sequences" not in result.stdout


def test_a_table_counts_terminal_cells_so_wide_titles_line_up():
    from scholarflow.render.catalog_text import Column, table

    rows = [("a1", "深度视频", "深度估计视频：一个很长的标题"), ("b22", "Depth", "Depth for video")]
    text = table((Column("ID"), Column("NAME", flexible=True), Column("TITLE", flexible=True)),
                 rows, width=30)  # fmt: skip
    lines = text.splitlines()
    assert [cell_len(line) for line in lines] == [20, 30, 30]
    assert lines[1] == "a1   深度视频  深度估计视频：…"
    assert lines[2].index("Depth for") == cell_len("a1   深度视频  ")  # same cell column
    assert table((Column("ID"),), [("x" * 50,)], width=10).splitlines()[1] == "x" * 50  # ids whole


def test_piped_list_is_not_cut_and_limit_counts_rows(home: Path):
    whole = run("catalog", "list", home=home)
    assert "DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos" in (
        whole.stdout
    )
    assert "…" not in whole.stdout
    first = run("catalog", "list", "-n", "3", home=home)
    assert first.returncode == 0
    shown = [line.split() for line in first.stdout.splitlines()]
    assert shown == [line.split() for line in whole.stdout.splitlines()[:4]]
    assert first.stderr == f"… {len(BUILTIN_IDS) - 3} more; -n {len(BUILTIN_IDS)} shows all\n"
    assert_one_line_error(run("catalog", "list", "-n", "0", home=home), 2, "--limit")


def test_list_json_is_unchanged(home: Path):
    data = json.loads(run("catalog", "list", "--format", "json", home=home).stdout)
    assert [entry["id"] for entry in data] == BUILTIN_IDS
    assert set(data[0]) == {
        "id", "name", "title", "kind", "paper_url", "github_url", "project_url", "summary",
        "tasks", "signatures", "tags", "arxiv_id", "provenance", "imported_at", "builtin",
    }  # fmt: skip
    depth = data[BUILTIN_IDS.index("depthcrafter")]
    assert depth["signatures"] == [
        {"inputs": ["video"], "outputs": ["depth_video:depth"], "note": ""}
    ]
    limited = json.loads(run("catalog", "list", "-n", "2", "--format", "json", home=home).stdout)
    assert limited == data[:2]


# --------------------------------------------------------------------------- 7. catalog show


def test_show_is_labelled_and_readable(home: Path):
    result = run("catalog", "show", "depthcrafter", home=home)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    lines = text.splitlines()
    fields = {line.split()[0]: line.split(None, 1)[1] for line in lines if not line[0].isspace()}
    assert fields["id"] == "depthcrafter" and fields["name"] == "DepthCrafter"
    assert fields["kind"] == "model, built-in"
    assert fields["tasks"] == "video_depth_estimation (video depth estimation)"
    assert fields["signatures"] == "video → depth video"
    assert fields["tags"] == "video depth, diffusion, temporal consistency"
    assert fields["paper"] == "https://arxiv.org/pdf/2409.02095"  # one link a line
    assert fields["github"] == "https://github.com/Tencent/DepthCrafter"
    for python_repr in ("('", "['", "{'", "Signature(", "Provenance(", "None", "True"):
        assert python_repr not in text
    # The summary is wrapped under its label, within 80 columns when piped.
    summary = text[text.index("summary") :].splitlines()
    assert len(summary) > 3 and all(len(line) <= 80 for line in lines)
    assert all(line.startswith(" " * len("signatures  ")) for line in summary[1:])
    assert " ".join(" ".join(summary).split()[1:]).startswith("DepthCrafter estimates depth")


def test_show_json_is_unchanged(home: Path):
    data = json.loads(run("catalog", "show", "depthcrafter", "--format", "json", home=home).stdout)
    assert data["signatures"] == [
        {"inputs": ["video"], "outputs": ["depth_video:depth"], "note": ""}
    ]
    assert data["provenance"] == {"origin": "catalog:builtin", "line": None}
    assert data["builtin"] is True and data["tasks"] == ["video_depth_estimation"]


# --------------------------------------------------------------------------- 8. search scores


def test_search_scores_read_as_percentages(home: Path):
    result = run("catalog", "search", "depth for every frame of a video", "-n", "5", home=home)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["#", "SCORE", "SIMILARITY", "ID", "NAME", "TITLE"]
    assert len(rows) == 5
    scores = [int(row.split()[1]) for row in rows]
    similarities = [row.split()[2] for row in rows]
    assert scores[0] == 100 and scores == sorted(scores, reverse=True)
    assert all(0 <= score <= 100 for score in scores)
    assert all(re.fullmatch(r"-?\d{1,3}%|-", value) for value in similarities)
    assert rows[0].split()[3] == "depthcrafter"
    raw = json.loads(
        run("catalog", "search", "depth for every frame of a video", "-n", "5",
            "--format", "json", home=home).stdout
    )  # fmt: skip
    assert similarities[0] == f"{round(raw[0]['similarity'] * 100)}%"
    assert scores[1] == round(100 * raw[1]["score"] / raw[0]["score"])


# --------------------------------------------------------------------------- 9. near misses


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("depthc", "'depthcrafter'"),
        ("dephtcrafter", "'depthcrafter'"),
        ("DepthCrafter", "'depthcrafter'"),
        ("4k", "'4k4d'"),
        ("sv4d", "'sv4d-2'"),
    ],
)
def test_show_suggests_the_id_that_was_meant(cli, home: Path, typed: str, suggested: str):
    result = cli("catalog", "show", typed, home=home)
    assert_one_line_error(result, 2, f"no catalog entry '{typed}'; did you mean {suggested}?")


def test_show_of_nothing_like_an_id_points_at_the_list(home: Path):
    result = run("catalog", "show", "sourdough", home=home)
    assert_one_line_error(
        result, 2, "no catalog entry 'sourdough' (see 'scholarflow catalog list')"
    )


def test_remove_suggests_too_and_removes_nothing(tmp_path: Path):
    result = run("catalog", "remove", "toon", home=tmp_path)
    assert_one_line_error(result, 2, "did you mean 'toon3d'?")
    with SQLiteCatalogStore(tmp_path / "catalog.db") as store:
        assert store.get("toon3d") is not None


# --------------------------------------------------------------------------- 10. tasks


def test_tasks_lists_every_task_of_the_taxonomy(tmp_path: Path):
    result = run("tasks", home=tmp_path)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[0] == "ID" and "INPUT → OUTPUT" in header
    known = taxonomy.tasks()
    assert [row.split()[0] for row in rows] == list(known)
    depth = next(row for row in rows if row.startswith("video_depth_estimation "))
    assert "video → depth video" in depth and known["video_depth_estimation"].name in depth
    data = json.loads(run("tasks", "--format", "json", home=tmp_path).stdout)
    assert [(t["id"], t["name"], t["inputs"], t["outputs"]) for t in data] == [
        (t.id, t.name, list(t.inputs), list(t.outputs)) for t in known.values()
    ]
    assert not (tmp_path / "catalog.db").exists()  # no catalog needed to list tasks


def test_add_with_an_unknown_task_names_it_and_points_at_tasks(tmp_path: Path):
    tasks = "video_depth_estimation,video_depht,dreaming"
    result = run("catalog", "add", "--title", "FlowDepth", "--tasks", tasks, home=tmp_path)
    assert_one_line_error(
        result, 2, "unknown task ids 'video_depht' (did you mean 'video_depth_estimation'?), "
        "'dreaming'; 'scholarflow tasks' lists the ids",
    )  # fmt: skip
    assert "FlowDepth" not in run("catalog", "list", home=tmp_path).stdout
    added = run("catalog", "add", "--title", "FlowDepth: Stable Video Depth",
                "--tasks", "video_depth_estimation, depth_refinement", home=tmp_path)  # fmt: skip
    assert added.returncode == 0, added.stderr
    entry_id = added.stdout.split(":", 1)[1].strip()
    shown = json.loads(run("catalog", "show", entry_id, "--format", "json", home=tmp_path).stdout)
    assert shown["tasks"] == ["video_depth_estimation", "depth_refinement"]


# --------------------------------------------------------------------------- 11. restore


def test_a_removed_builtin_can_be_restored(tmp_path: Path):
    before = run("catalog", "show", "toon3d", "--format", "json", home=tmp_path).stdout
    assert run("catalog", "remove", "toon3d", home=tmp_path).returncode == 0
    gone = run("catalog", "show", "toon3d", home=tmp_path)
    assert_one_line_error(gone, 2, "built-in entry that was removed",
                          "scholarflow catalog restore toon3d")  # fmt: skip
    restored = run("catalog", "restore", "toon3d", home=tmp_path)
    assert (restored.returncode, restored.stdout) == (0, "restored: toon3d\n")
    assert run("catalog", "show", "toon3d", "--format", "json", home=tmp_path).stdout == before
    again = run("catalog", "restore", "toon3d", home=tmp_path)
    assert (again.returncode, again.stdout) == (0, "unchanged: toon3d is in the catalog\n")
    # It stays restored when the store reseeds (a new package version of the built-ins).
    with SQLiteCatalogStore(tmp_path / "catalog.db") as store:
        assert "toon3d" not in store.removed_builtin_ids()


def test_copy_verifies_and_never_overwrites_a_catalog_unasked(tmp_path: Path):
    """Between two files here; SQLite ⇄ PostgreSQL is in test_catalog_postgres.py."""
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    added = run("catalog", "add", "--catalog", str(source), "--title", "Copy me", home=tmp_path)
    assert added.returncode == 0, added.stderr
    assert (
        run("catalog", "remove", "toon3d", "--catalog", str(source), home=tmp_path).returncode == 0
    )
    copied = run("catalog", "copy", str(source), str(target), home=tmp_path)
    assert copied.returncode == 0, copied.stderr
    assert "12 entries, 1 removed built-ins, 0 embeddings copied" in copied.stdout
    assert re.search(r"content hash [0-9a-f]{16} match", copied.stdout)
    listing = ["catalog", "export", "--catalog"]
    assert (
        run(*listing, str(target), home=tmp_path).stdout
        == run(*listing, str(source), home=tmp_path).stdout
    )

    run("catalog", "add", "--catalog", str(target), "--title", "Mine only", home=tmp_path)
    before = run(*listing, str(target), home=tmp_path).stdout
    refused = run("catalog", "copy", str(source), str(target), home=tmp_path)
    assert_one_line_error(refused, 2, "holds 3 entries or removals of its own", "--replace")
    assert run(*listing, str(target), home=tmp_path).stdout == before
    missing = run("catalog", "copy", str(tmp_path / "nope.db"), str(target), home=tmp_path)
    assert_one_line_error(missing, 2, "nope.db: no such catalog")
    assert not (tmp_path / "nope.db").exists()
    same = run("catalog", "copy", str(source), str(source), home=tmp_path)
    assert_one_line_error(same, 2, "the same catalog")


def test_restore_refuses_what_is_not_a_builtin(tmp_path: Path):
    result = run("catalog", "restore", "toon", home=tmp_path)
    assert_one_line_error(result, 2, "no built-in entry 'toon'; did you mean 'toon3d'?")
    added = run("catalog", "add", "--title", "FlowDepth: Stable Video Depth", home=tmp_path)
    mine = added.stdout.split(":", 1)[1].strip()
    assert run("catalog", "remove", mine, home=tmp_path).returncode == 0
    result = run("catalog", "restore", mine, home=tmp_path)
    assert_one_line_error(result, 2, f"no built-in entry '{mine}'", "added or imported again")


def test_restore_does_not_displace_the_users_entry_for_the_same_paper(tmp_path: Path):
    assert run("catalog", "remove", "depthcrafter", home=tmp_path).returncode == 0
    added = run("catalog", "add", "--title", "DepthCrafter (our fork)",
                "--paper", "https://arxiv.org/abs/2409.02095", home=tmp_path)  # fmt: skip
    mine = added.stdout.split(":", 1)[1].strip()
    assert mine != "depthcrafter"
    result = run("catalog", "restore", "depthcrafter", home=tmp_path)
    assert_one_line_error(result, 2, f"your entry '{mine}' holds the same paper")
    with SQLiteCatalogStore(tmp_path / "catalog.db") as store:
        assert store.get("depthcrafter") is None and store.get(mine) is not None


# --------------------------------------------------------------------------- 12. batch


def test_batch_exits_1_after_its_summary_when_a_record_failed(tmp_path: Path):
    prompt = PROMPT.read_text(encoding="utf-8")
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"prompt": prompt}) + "\n", encoding="utf-8")
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(good.read_text() + '{"prompt": ""}\n', encoding="utf-8")

    done = run("batch", str(good), str(tmp_path / "good.out"), "-w", "1", home=tmp_path)
    assert done.returncode == 0, done.stderr
    failed = run("batch", str(mixed), str(tmp_path / "mixed.out"), "-w", "1", home=tmp_path)
    assert failed.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr
    assert failed.stderr.splitlines()[-1].startswith(
        f"{tmp_path / 'mixed.out'}: 1 answered, 1 failed"
    )
    results = [json.loads(line) for line in (tmp_path / "mixed.out").read_text().splitlines()]
    assert [(r["ok"], r.get("exit_code")) for r in results] == [(True, None), (False, 2)]


def test_batch_help_documents_its_exit_codes(tmp_path: Path):
    text = run("batch", "--help", home=tmp_path).stdout
    assert "exit codes:" in text and "1 the run wrote every result" in text
