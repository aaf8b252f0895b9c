"""The LLM writer end to end: scholarflow against a real HTTP server speaking the OpenAI
chat-completions protocol, with scripted replies. Every reply ends in a grounded answer or a
clear error (exit 4), never in an ungrounded one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scholarflow.engine import prepare
from scholarflow.llm_log import LLMLog
from scholarflow.prompt_format import parse_prompt
from scholarflow.writers.template import TemplateWriter

from conftest import PROMPTS_DIR, ROOT
from fake_openai import FakeOpenAIServer, Reply

PROMPT = PROMPTS_DIR / "phone_depth.txt"


def _good_slots(**changes: str) -> dict:
    """What a capable model would write: the template's slots, the task in other words."""
    prepared = prepare(parse_prompt(PROMPT.read_text(encoding="utf-8")))
    slots = TemplateWriter().write(prepared.brief).texts
    slots["task"] = (
        "In the words of a friendly expert: you turned an ordinary clip into a depth video "
        "that stays steady from one frame to the next, because DepthCrafter [1] estimates "
        "the depth of many frames together."
    )
    slots.update(changes)
    return slots


def _reply(slots: dict) -> str:
    """Slots as the JSON object the writer asks for."""
    steps = [
        {"id": k.split(":", 1)[1], "text": v} for k, v in slots.items() if k.startswith("step:")
    ]
    data = {key: slots.get(key, "") for key in ("task", "mechanism", "caveats")}
    return json.dumps({**data, "steps": steps, "background": []})


def _good_reply(**changes: str) -> str:
    return _reply(_good_slots(**changes))


def run(server: FakeOpenAIServer, home: Path, *args: str, **env: str):
    environment = {
        **os.environ,
        "SCHOLARFLOW_HOME": str(home),
        "SCHOLARFLOW_LLM_BASE_URL": server.base_url,
        "SCHOLARFLOW_LLM_MODEL": "test-model",
        "SCHOLARFLOW_LLM_MAX_RETRIES": "2",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=environment,
    )


def _answer(server: FakeOpenAIServer, home: Path, *extra: str, **env: str) -> dict:
    result = run(
        server, home, "answer", str(PROMPT), "--writer", "llm", "--format", "json", *extra, **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def server():
    with FakeOpenAIServer(model="test-model") as running:
        yield running


_REPLACED = {"writer_slots_replaced", "llm_output_rejected"}


def test_a_good_answer_is_kept_as_written(server, tmp_path):
    server.enqueue(Reply(content=_good_reply()))
    data = _answer(server, tmp_path)
    assert data["writer"] == "llm"
    assert "In the words of a friendly expert" in data["markdown"]
    assert not [w for w in data["warnings"] if w["code"] in _REPLACED]
    sent = server.chat_requests[-1].body
    assert sent["model"] == "test-model" and sent["messages"][0]["role"] == "system"
    assert sent["response_format"]["type"] == "json_schema"
    user = sent["messages"][1]["content"]
    # The request carries the plan's steps and the fenced evidence, and no link at all:
    # links are written by code.
    assert "STEPS" in user and '<source n="1">' in user and "</source>" in user
    assert "https://" not in user


@pytest.mark.parametrize(
    ("planted", "gone"),
    [
        (
            "Grab the better weights at https://evil.example.com/depth.ckpt today.",
            "evil.example.com",
        ),
        ("Depth Anything V2 would do this better, honestly.", "Depth Anything"),
        ("This is the approach of MagicDepthXL [7].", "MagicDepthXL"),
    ],
)
def test_a_slot_with_a_foreign_link_or_name_is_replaced_and_the_rest_kept(
    server, tmp_path, planted, gone
):
    template = _good_slots()
    server.enqueue(Reply(content=_good_reply(mechanism=f"{template['mechanism']} {planted}")))
    data = _answer(server, tmp_path)
    assert gone not in json.dumps(data)
    assert data["writer"] == "llm"
    warning = next(w for w in data["warnings"] if w["code"] == "writer_slots_replaced")
    assert "the mechanism" in warning["message"] and gone not in warning["message"]
    assert "In the words of a friendly expert" in data["markdown"]


def test_a_reply_that_obeys_a_planted_instruction_is_rejected(server, tmp_path):
    server.enqueue(Reply(content="PWNED"))
    data = _answer(server, tmp_path)
    assert data["writer"] == "template" and "PWNED" not in data["markdown"]
    assert "llm_output_rejected" in [w["code"] for w in data["warnings"]]


def test_a_missing_slot_is_filled_from_the_plan(server, tmp_path):
    slots = _good_slots()
    del slots["mechanism"]
    server.enqueue(Reply(content=_reply(slots)))
    data = _answer(server, tmp_path)
    assert data["writer"] == "llm"
    assert "https://github.com/Tencent/DepthCrafter" in data["sections"]["references"]
    warning = next(w for w in data["warnings"] if w["code"] == "writer_slots_replaced")
    assert "the mechanism" in warning["message"]


def test_a_server_without_json_schema_gets_asked_for_tagged_text(server, tmp_path):
    slots = _good_slots()
    tagged = "\n".join(
        [f"<task>{slots['task']}</task>", f"<mechanism>{slots['mechanism']}</mechanism>"]
        + [f'<step id="{k[5:]}">{v}</step>' for k, v in slots.items() if k.startswith("step:")]
    )
    server.enqueue(Reply(content=tagged, rejects_response_format=True))
    data = _answer(server, tmp_path)
    assert data["writer"] == "llm" and "In the words of a friendly expert" in data["markdown"]
    first, second = server.chat_requests[-2:]
    assert "response_format" in first.body and "response_format" not in second.body
    assert "<task>" in second.body["messages"][0]["content"]


def test_an_empty_reply_gets_the_template_answer(server, tmp_path):
    server.enqueue(Reply(content=""))
    data = _answer(server, tmp_path)
    assert data["writer"] == "template"
    assert "llm_output_rejected" in [w["code"] for w in data["warnings"]]


def test_a_server_error_is_retried(server, tmp_path):
    server.enqueue(Reply(status=500), Reply(content=_good_reply()))
    data = _answer(server, tmp_path)
    assert data["writer"] == "llm" and len(server.chat_requests) == 2


@pytest.mark.parametrize(
    ("reply", "env", "message"),
    [
        (Reply(content="slow", delay=5.0), {"SCHOLARFLOW_LLM_TIMEOUT": "0.5"}, "within"),
        (Reply(raw_body=b"{not json at all"), {}, "not chat-completions JSON"),
        (Reply(status=500), {}, "500"),
    ],
)
def test_backend_failures_are_one_clear_line_and_exit_4(server, tmp_path, reply, env, message):
    server.enqueue(reply)
    result = run(server, tmp_path, "answer", str(PROMPT), "--writer", "llm", **env)
    assert result.returncode == 4, result.stderr
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


# A hostile server, through the real CLI: each case ends within the 2 s deadline set here.
# The bound asserted is generous (15 s: interpreter start-up included, on a loaded machine),
# yet the same cases held the CLI for 90 s or more (Retry-After), or for ever (a trickle),
# before the deadline existed; see benchmarks/bench_llm_hostile.py for the figures.
DEADLINE = "2"
TEN_MB = 10 * 1024 * 1024


def _hostile(server, tmp_path, reply, *extra, **env):
    """Run `answer --writer llm` against one scripted reply; return the result and seconds."""
    server.enqueue(reply)
    env.setdefault("SCHOLARFLOW_LLM_DEADLINE", DEADLINE)
    started = time.perf_counter()
    result = run(server, tmp_path, "answer", str(PROMPT), "--writer", "llm", *extra, **env)
    return result, time.perf_counter() - started


def _the_error_line(result, live_text: str = "") -> str:
    """Exit 4, nothing on stdout, and stderr exactly: the live text the user asked for (with
    --stream), ended on its own line, then one error line."""
    assert result.returncode == 4, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    shown = live_text + ("\n" if live_text and not live_text.endswith("\n") else "")
    assert result.stderr.startswith(shown)
    error = result.stderr[len(shown) :]
    assert error.startswith("scholarflow: error: ") and error.count("\n") == 1, error
    assert error.endswith("\n")
    return error


def _logged_error(home: Path, line: str) -> dict:
    """The failure is in the LLM log, as other errors are: outcome error, the same message."""
    with LLMLog(home / "logs.db") as log:
        (call,) = log.recent(5)
    assert call.outcome == "error"
    assert call.error == line.removeprefix("scholarflow: error: ").rstrip("\n")
    assert call.attempts >= 1 and call.latency_ms is not None
    return json.loads(call.request_json)


@pytest.mark.parametrize(
    ("reply", "stream", "message"),
    [
        (Reply(content="x" * 400, trickle=0.5), False, "still sending its reply at the 2 s"),
        (Reply(content="x" * 400, trickle=0.5), True, "still sending its reply at the 2 s"),
        (Reply(status=429, headers={"Retry-After": "3600"}), False, "asked to wait 3600 s"),
        (Reply(status=429, headers={"Retry-After": "1"}), False, "asked to wait 1 s"),
        (Reply(flood=TEN_MB), False, "passed the 2 MiB size limit"),
        (Reply(content="déjà vu " * 40, invalid_utf8=True), False, "not valid UTF-8"),
    ],
    ids=["trickle", "trickle-stream", "retry-after-3600", "retry-after-chain", "10MB", "utf8"],
)
def test_a_hostile_server_is_one_line_and_exit_4_within_the_deadline(
    server, tmp_path, reply, stream, message
):
    extra = ("--stream",) if stream else ()
    result, seconds = _hostile(server, tmp_path, reply, *extra, SCHOLARFLOW_LLM_MAX_RETRIES="10")
    line = _the_error_line(result)
    assert message in line
    assert seconds < 15
    _logged_error(tmp_path, line)


def test_a_streamed_flood_stops_at_the_cap_before_anything_is_shown(server, tmp_path):
    # 64 KiB cap, and no slot in the flood: nothing passed the screen, so nothing was shown.
    result, seconds = _hostile(
        server, tmp_path, Reply(flood=TEN_MB), "--stream", SCHOLARFLOW_LLM_MAX_REPLY_BYTES="65536"
    )
    assert "passed the 64 KiB size limit" in _the_error_line(result)
    assert seconds < 15


def _finished_with_a_warning(result, warning: str) -> None:
    """A streamed answer whose server failed after some of it was shown: the answer is
    finished from the plan (exit 0) and one line on stderr says what happened."""
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.startswith("### 1. The task") and "### 3. Papers and tools" in result.stdout
    )
    assert "https://github.com/Tencent/DepthCrafter" in result.stdout
    assert result.stderr.count("\n") == 1 and warning in result.stderr, result.stderr
    assert result.stderr.startswith("scholarflow: warning: ") and "Traceback" not in result.stderr


def test_a_stream_that_stops_mid_way_is_finished_from_the_plan(server, tmp_path):
    reply = Reply(content=_good_reply(), stream_end="cut", chunk_size=40)
    result, seconds = _hostile(server, tmp_path, reply, "--stream")
    _finished_with_a_warning(result, "stopped before the reply was complete")
    assert "In the words of a friendly expert" in result.stdout  # shown before the cut
    assert seconds < 15
    with LLMLog(tmp_path / "logs.db") as log:
        (call,) = log.recent(5)
    assert call.outcome == "error" and json.loads(call.request_json)["stream"] is True


def test_invalid_utf8_in_a_stream_is_finished_from_the_plan(server, tmp_path):
    reply = Reply(content=_good_reply(), invalid_utf8=True, chunk_size=40)
    result, seconds = _hostile(server, tmp_path, reply, "--stream")
    _finished_with_a_warning(result, "not valid UTF-8")
    assert "\ufffd" not in result.stdout
    assert seconds < 15


def test_a_stream_with_finish_reason_but_no_done_is_an_answer(server, tmp_path):
    result, _ = _hostile(
        server, tmp_path, Reply(content=_good_reply(), stream_end="no_done"), "--stream"
    )
    assert result.returncode == 0, result.stderr
    assert "In the words of a friendly expert" in result.stdout
    assert result.stderr == ""


def test_max_tokens_and_the_deadline_flag_reach_the_server_and_the_log(server, tmp_path):
    server.enqueue(Reply(content=_good_reply()))
    result = run(
        server,
        tmp_path,
        "answer",
        str(PROMPT),
        "--writer",
        "llm",
        "--llm-deadline",
        "30",
        SCHOLARFLOW_LLM_MAX_TOKENS="700",
    )
    assert result.returncode == 0, result.stderr
    sent = server.chat_requests[-1].body
    assert sent["max_tokens"] == 700
    with LLMLog(tmp_path / "logs.db") as log:
        (call,) = log.recent(5)
    assert json.loads(call.request_json) == sent  # the log holds the request as sent


def test_a_bad_deadline_flag_is_one_line_naming_it(server, tmp_path):
    result = run(server, tmp_path, "answer", str(PROMPT), "--writer", "llm", "--llm-deadline", "-1")
    assert result.returncode == 4
    assert result.stderr.count("\n") == 1 and "--llm-deadline" in result.stderr


def test_no_server_configured_is_exit_4_saying_what_to_set(tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SCHOLARFLOW_LLM")}
    environment["SCHOLARFLOW_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "answer", str(PROMPT), "--writer", "llm"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        timeout=60,
    )
    assert result.returncode == 4
    assert "SCHOLARFLOW_LLM_BASE_URL" in result.stderr and result.stderr.count("\n") == 1


def test_streaming_shows_only_screened_text(server, tmp_path):
    template = _good_slots()
    planted = "Weights: https://evil.example.com/w.zip are faster."
    server.enqueue(
        Reply(content=_good_reply(mechanism=f"{template['mechanism']} {planted}"), chunk_size=5)
    )
    result = run(server, tmp_path, "answer", str(PROMPT), "--writer", "llm", "--stream")
    assert result.returncode == 0, result.stderr
    assert server.chat_requests[-1].body["stream"] is True
    assert "evil.example.com" not in result.stdout + result.stderr
    assert result.stdout.startswith("### 1. The task")
    assert "In the words of a friendly expert" in result.stdout
    # The streamed answer is the finished answer: the same bytes `answer` prints without it.
    server.enqueue(
        Reply(content=_good_reply(mechanism=f"{template['mechanism']} {planted}"), chunk_size=5)
    )
    whole = run(server, tmp_path, "answer", str(PROMPT), "--writer", "llm")
    assert result.stdout == whole.stdout


def test_every_call_is_logged_and_logging_can_be_switched_off(server, tmp_path):
    template = _good_slots()
    server.enqueue(
        Reply(content=_good_reply(mechanism=template["mechanism"] + " See evil.example.com."))
    )
    _answer(server, tmp_path)
    shown = run(server, tmp_path, "logs", "--json")
    calls = json.loads(shown.stdout)
    assert len(calls) == 1 and calls[0]["outcome"] == "repaired"
    assert calls[0]["model"] == "test-model" and calls[0]["prompt_tokens"] is not None
    assert calls[0]["guard_actions"] == ["replaced mechanism: link"]
    assert "evil.example.com" in calls[0]["response_text"]  # the raw text is kept in the log
    assert "REPAIRED" in run(server, tmp_path, "logs").stdout
    _answer(server, tmp_path, SCHOLARFLOW_LOG_LLM="false")
    assert len(json.loads(run(server, tmp_path, "logs", "--json").stdout)) == 1


def test_config_shows_where_each_setting_comes_from(server, tmp_path):
    result = run(server, tmp_path, "config")
    assert result.returncode == 0
    assert "llm_base_url" in result.stdout and "(env)" in result.stdout
    assert "llm_deadline" in result.stdout and "llm_max_reply_bytes" in result.stdout


def test_the_writer_is_told_when_the_task_is_only_the_closest_reading():
    # the code hedges the task line at a low confidence: the writer must not then write the
    # task as certain right after it
    from scholarflow.writers.llm import build_messages

    prompt = (
        "You are an AI scientist.\nA user has asked the following question:\n"
        '"My voice memo from the windy pier is full of wind noise. How do I get a clean '
        'version of my voice?"\n### Recommended AI Models:\n'
        "Model: CleanWave: Speech Enhancement with Score-Based Diffusion Models\nPaper: None\n"
        "### Related Papers:\n\nAnswer:\n"
    )
    unsure = prepare(parse_prompt(prompt)).brief
    assert unsure.plan.understanding.confidence <= 0.05
    assert "only the closest reading" in build_messages(unsure)[1]["content"]
    sure = prepare(
        parse_prompt((PROMPTS_DIR / "drawn_path_plain_animator_mismatch.txt").read_text())
    )
    assert "only the closest reading" not in build_messages(sure.brief)[1]["content"]
