"""The `llm` plugin (plugins/llm-scholarflow), through the real `llm` CLI in a new process.

`llm` keeps its keys, logs and conversations under LLM_USER_PATH, and scholarflow its catalog
under SCHOLARFLOW_HOME: both point at temporary folders, so nothing of the developer's is read
or written. `make setup` installs `llm` and the plugin (editable); a machine without them
skips these tests, and CI (CI=true) fails them instead, so a missing install step cannot pass.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import scholarflow

from conftest import ROOT

ORBIT = "One photo became a smooth 360° video. How?"
DEPTH = "How do apps turn a phone video into a depth video that doesn't flicker?"
LLM = Path(sys.executable).with_name("llm")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog of the built-in entries, embedded once for the module."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.db"
    from scholarflow.catalog.store import SQLiteCatalogStore
    from scholarflow.retrieval import Retriever

    with SQLiteCatalogStore(path) as store:
        Retriever(store).ensure_embeddings()
    return path


@pytest.fixture
def env(tmp_path: Path, catalog: Path) -> dict[str, str]:
    if not LLM.exists():
        message = f"the llm CLI is not installed at {LLM}: 'make setup' installs it and the plugin"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path / "scholarflow-home"
    home.mkdir()
    with sqlite3.connect(catalog) as source, sqlite3.connect(home / "catalog.db") as copy:
        source.backup(copy)
    return {
        **os.environ,
        "LLM_USER_PATH": str(tmp_path / "llm-user"),
        "SCHOLARFLOW_HOME": str(home),
    }


def llm(
    env: dict[str, str], *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LLM), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=env,
    )


def test_the_plugin_registers_the_scholarflow_model(env: dict[str, str]):
    listed = llm(env, "models", "list")
    assert listed.returncode == 0, listed.stderr
    assert any(line.endswith(": scholarflow") for line in listed.stdout.splitlines())
    plugins = json.loads(llm(env, "plugins").stdout)
    assert "llm-scholarflow" in {plugin["name"] for plugin in plugins}


def test_llm_m_scholarflow_answers_a_seed_question_as_the_engine_does(env: dict[str, str]):
    done = llm(env, "-m", "scholarflow", DEPTH)
    assert done.returncode == 0, done.stderr
    expected = scholarflow.reply(DEPTH, catalog=Path(env["SCHOLARFLOW_HOME"]) / "catalog.db")
    assert done.stdout.strip() == expected.strip()
    assert "You are doing **video depth estimation**" in done.stdout
    assert "DepthCrafter" in done.stdout and done.stderr == ""


def test_a_seed_prompt_on_stdin_is_answered_from_its_own_sources(env: dict[str, str]):
    prompt = (ROOT / "examples" / "video-depth.txt").read_text(encoding="utf-8")
    done = llm(env, "-m", "scholarflow", stdin=prompt)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == scholarflow.answer_prompt(prompt).markdown.strip()


def test_llm_c_follows_up_in_the_conversation(env: dict[str, str]):
    first = llm(env, "-m", "scholarflow", ORBIT)
    assert "**novel-view (orbit) video from a single image**" in first.stdout, first.stderr
    follow = llm(env, "-c", "and from a video instead?")
    assert follow.returncode == 0, follow.stderr
    assert "**multi-view video generation from one video (video-to-4D)**" in follow.stdout
    assert "You start from a video clip" in follow.stdout
    logged = json.loads(llm(env, "logs", "-n", "2", "--json").stdout)
    assert {entry["model"] for entry in logged} == {"scholarflow"}
    assert len({entry["conversation_id"] for entry in logged}) == 1


def test_a_missing_catalog_is_one_error_line(env: dict[str, str], tmp_path: Path):
    missing = tmp_path / "missing.db"
    done = llm(env, "-m", "scholarflow", "-o", "catalog", str(missing), DEPTH)
    assert done.returncode == 1
    assert done.stderr == f"Error: scholarflow: {missing}: no such catalog\n"
    assert not missing.exists()
