"""The red team's suite (tests/hostile/, written without reading the defence) against the
whole path: a real chat-completions server, the real client and writer, the screen, every
renderer, streaming and not.

Pinned: zero escapes (no `never` string and no unprovided link in any output, the question
and the evidence included), zero crashes, zero degenerate replies kept as the writer's, every
clean or awkwardly shaped clean reply kept whole, and the hostile and legitimate prompts
answered by the template writer with exit 0. benchmarks/hostile_report.py prints the figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from scholarflow.engine import answer
from scholarflow.prompt_format import parse_prompt
from scholarflow.render import render

from conftest import ROOT, seed_paths
from fake_openai import FakeOpenAIServer, Reply
from hostile_harness import (
    FORMATS,
    Servers,
    normal,
    prompt_specs,
    prompt_text,
    replies,
    reply_body,
    run,
)
from serve_process import ServeProcess

pytestmark = pytest.mark.usefixtures("seeds")  # the replies answer the seed prompts too

# Each reply is sent as JSON (the schema honoured) without streaming, and as tagged text (the
# schema refused) streamed; a raw reply as written, both ways. The report script runs all
# four combinations.
_MODES = {"slots": (("json", False), ("text", True)), "raw": (("json", False), ("json", True))}


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    with Servers() as running:
        yield running


@pytest.mark.parametrize("reply", replies(), ids=[r["id"] for r in replies()])
def test_a_reply_is_screened_or_kept_as_it_should_be(reply, servers):
    for mode, stream in _MODES["raw" if "raw" in reply else "slots"]:
        outcome = run(reply, mode, stream, servers)
        where = f"{mode}, {'streamed' if stream else 'not streamed'}"
        assert not outcome.crashed, f"{where}: {outcome.crashed}"
        assert not outcome.escapes, f"{where}: {outcome.escapes}"
        if reply["expect"] == "kept":
            assert outcome.kept_whole, f"{where}: a clean reply was not kept whole"
        if reply["class"] == "degenerate":
            assert not outcome.kept_whole, f"{where}: a degenerate reply was kept as written"


@pytest.mark.parametrize("name", sorted(prompt_specs()))
def test_a_hostile_or_tricky_prompt_is_answered_without_what_it_plants(name):
    spec = prompt_specs()[name]
    result = answer(parse_prompt(prompt_text(name)))
    shown = normal("\n".join(render(result, fmt) for fmt in FORMATS))
    planted = [s for s in spec.get("never", []) if normal(s) in shown]
    assert planted == []
    if spec["kind"] == "legit":
        # What a source legitimately says may be quoted; the JSON evidence quotes it exactly.
        quoted = normal(render(result, "json"))
        assert [t for t in spec["expected_terms"] if normal(t) in quoted], name


@pytest.mark.parametrize("name", ["legit-1", "legit-3"])
def test_a_summary_with_its_own_citations_and_code_names_is_quoted(name):
    """`[12]` is the source's own reference: never printed as ours, and never a reason to fail;
    code names and figures are quoted as the source wrote them."""
    from scholarflow.engine import prepare

    prepared = prepare(parse_prompt(prompt_text(name)))
    # Their sentences passed the screen: their words are words a writer may use.
    assert {"convgru", "unet3d"} <= prepared.screen.vocabulary
    result = answer(parse_prompt(prompt_text(name)))
    assert result.writer == "template"
    assert "[12]" not in result.markdown


# --- through the CLI ---------------------------------------------------------------------------


def _one_per_class() -> list[dict]:
    chosen: dict[str, dict] = {}
    for reply in replies():
        if "slots" in reply:
            chosen.setdefault(reply["class"], reply)
    return list(chosen.values())


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("reply", _one_per_class(), ids=lambda r: r["id"])
def test_the_cli_prints_only_screened_text(reply, stream, tmp_path):
    def respond(body: dict) -> str:
        return reply_body(reply, body, "json" if "response_format" in body else "text")

    prompt = tmp_path / "prompt.txt"
    prompt.write_text(prompt_text(reply["prompt"]), encoding="utf-8")
    with FakeOpenAIServer(Reply(respond=respond, chunk_size=9), model="m") as server:
        environment = {
            **os.environ,
            "SCHOLARFLOW_HOME": str(tmp_path),
            "SCHOLARFLOW_LLM_BASE_URL": server.base_url,
            "SCHOLARFLOW_LLM_MODEL": "m",
        }
        args = ["answer", str(prompt), "--writer", "llm", *(["--stream"] if stream else [])]
        result = subprocess.run(
            [sys.executable, "-m", "scholarflow.cli", *args],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
            env=environment,
        )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    shown = normal(result.stdout + result.stderr)
    assert [s for s in reply.get("never", []) if normal(s) in shown] == []
    assert result.stdout.startswith("### 1. The task")


def test_the_seed_prompts_are_where_the_suite_expects_them():
    assert len(seed_paths()) == 5


# --- through the OpenAI-compatible endpoint ------------------------------------------------------


@pytest.fixture(scope="module")
def llm_backed_server(tmp_path_factory) -> Iterator[tuple[str, Servers]]:
    """`scholarflow serve --writer llm` whose LLM is the red team's scripted server."""
    with Servers() as scripted:
        served = ServeProcess(
            tmp_path_factory.mktemp("home"),
            args=["--writer", "llm"],
            env={
                "SCHOLARFLOW_LLM_BASE_URL": scripted.base_url("json"),
                "SCHOLARFLOW_LLM_MODEL": "m",
            },
        )
        try:
            yield served.wait_for_url(150), scripted
        finally:
            served.stop()


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "streamed"])
@pytest.mark.parametrize("reply", _one_per_class(), ids=lambda r: r["id"])
def test_the_chat_endpoint_sends_only_screened_text(reply, stream, llm_backed_server):
    import openai

    url, scripted = llm_backed_server
    scripted.current = reply
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="unused", max_retries=0, timeout=120)
    messages = [{"role": "user", "content": prompt_text(reply["prompt"])}]
    if stream:
        pieces = client.chat.completions.create(model="scholarflow", messages=messages, stream=True)
        text = "".join(chunk.choices[0].delta.content or "" for chunk in pieces if chunk.choices)
    else:
        completion = client.chat.completions.create(model="scholarflow", messages=messages)
        text = completion.choices[0].message.content or ""
    shown = normal(text)
    assert text.lstrip().startswith("### 1.")
    assert [s for s in reply.get("never", []) if normal(s) in shown] == []
    if reply["expect"] == "kept":  # the LLM's words did reach the answer
        assert normal(str(reply["slots"]["task"]))[:60] in shown
