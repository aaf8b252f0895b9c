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

from fake_openai import FakeOpenAIServer, Reply, stream_chunks
from scholarflow.engine import answer
from scholarflow.llm_log import LLMLog
from scholarflow.prompt_format import parse_prompt

from conftest import PROMPTS_DIR, ROOT

PROMPT = PROMPTS_DIR / "phone_depth.txt"


def _good_reply() -> str:
    """What a capable model would write: the plan's content, in other words."""
    template = answer(parse_prompt(PROMPT.read_text(encoding="utf-8"))).markdown
    return template.replace(
        "You are doing **video depth estimation**",
        "What you did is **video depth estimation**, in the words of a friendly expert",
    )


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


def test_a_good_answer_is_kept_as_written(server, tmp_path):
    server.enqueue(Reply(content=_good_reply()))
    data = _answer(server, tmp_path)
    assert data["writer"] == "llm"
    assert "in the words of a friendly expert" in data["markdown"]
    assert not [
        w for w in data["warnings"] if w["code"] in {"grounding_repaired", "llm_output_rejected"}
    ]
    sent = server.chat_requests[-1].body
    assert sent["model"] == "test-model" and sent["messages"][0]["role"] == "system"
    user = sent["messages"][1]["content"]
    # The request carries the plan, the fenced evidence and the allowed links.
    assert "WORKFLOW STEPS" in user and '<source n="1">' in user and "</source>" in user
    assert "https://github.com/Tencent/DepthCrafter" in user.split("ALLOWED LINKS")[1]


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
def test_a_foreign_link_or_name_is_removed_and_the_rest_kept(server, tmp_path, planted, gone):
    reply = _good_reply().replace("### 2. The workflow", f"{planted}\n\n### 2. The workflow")
    server.enqueue(Reply(content=reply))
    data = _answer(server, tmp_path)
    assert gone not in json.dumps(data)
    assert data["writer"] == "llm"
    assert "grounding_repaired" in [w["code"] for w in data["warnings"]]
    assert "in the words of a friendly expert" in data["markdown"]


def test_a_reply_that_obeys_a_planted_instruction_is_rejected(server, tmp_path):
    server.enqueue(Reply(content="PWNED"))
    data = _answer(server, tmp_path)
    assert data["writer"] == "template" and "PWNED" not in data["markdown"]
    assert "llm_output_rejected" in [w["code"] for w in data["warnings"]]


def test_a_dropped_section_is_restored_from_the_plan(server, tmp_path):
    server.enqueue(Reply(content=_good_reply().split("### 3. Papers and tools")[0]))
    data = _answer(server, tmp_path)
    assert data["writer"] == "llm"
    assert "https://github.com/Tencent/DepthCrafter" in data["sections"]["references"]
    warning = next(w for w in data["warnings"] if w["code"] == "grounding_repaired")
    assert "restored the missing references section" in warning["message"]


def test_a_server_error_is_retried(server, tmp_path):
    server.enqueue(Reply(status=500), Reply(content=_good_reply()))
    data = _answer(server, tmp_path)
    assert data["writer"] == "llm" and len(server.chat_requests) == 2


@pytest.mark.parametrize(
    ("reply", "env", "message"),
    [
        (Reply(content="slow", delay=5.0), {"SCHOLARFLOW_LLM_TIMEOUT": "0.5"}, "within"),
        (Reply(raw_body=b"{not json at all"), {}, "not chat-completions JSON"),
        (Reply(content=""), {}, "empty"),
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


def _streamed_text(reply: Reply, upto: int | None = None) -> str:
    """The text the fake server streams for `reply`, as --stream shows it."""
    chunks = stream_chunks("test-model", reply, include_usage=False)
    pieces = [c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"]]
    return "".join(pieces[:upto])


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


def test_a_streamed_flood_stops_at_the_cap(server, tmp_path):
    # 64 KiB cap: the live text shows what arrived before it, then the one error line.
    result, seconds = _hostile(
        server, tmp_path, Reply(flood=TEN_MB), "--stream", SCHOLARFLOW_LLM_MAX_REPLY_BYTES="65536"
    )
    shown = result.stderr.split("\n")[0]
    assert shown and set(shown) == {"x"} and len(shown) < 65536
    assert "passed the 64 KiB size limit" in _the_error_line(result, shown)
    assert seconds < 15


def test_a_stream_that_stops_mid_way_is_one_error_line_after_the_live_text(server, tmp_path):
    reply = Reply(content=_good_reply(), stream_end="cut")
    result, seconds = _hostile(server, tmp_path, reply, "--stream")
    live = _streamed_text(reply)
    assert live and live != _good_reply()  # half the text was shown, then it stopped
    assert "stopped before the reply was complete" in _the_error_line(result, live)
    assert seconds < 15
    assert _logged_error(tmp_path, result.stderr.splitlines()[-1])["stream"] is True


def test_invalid_utf8_in_a_stream_is_one_error_line_after_the_valid_text(server, tmp_path):
    reply = Reply(content=_good_reply(), invalid_utf8=True, chunk_size=400)
    result, seconds = _hostile(server, tmp_path, reply, "--stream")
    error = "\nscholarflow: error: "
    live, _, _ = result.stderr.rpartition(error)
    before_bad_byte = _streamed_text(reply).split("\u2063")[0]
    # What was shown is text the server sent before the bad byte; nothing was replaced.
    assert before_bad_byte.startswith(live) and "\ufffd" not in result.stderr
    assert "not valid UTF-8" in _the_error_line(result, live)
    assert seconds < 15


def test_a_stream_with_finish_reason_but_no_done_is_an_answer(server, tmp_path):
    result, _ = _hostile(
        server, tmp_path, Reply(content=_good_reply(), stream_end="no_done"), "--stream"
    )
    assert result.returncode == 0, result.stderr
    assert "in the words of a friendly expert" in result.stdout
    assert "error" not in result.stderr


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


def test_streaming_shows_the_text_and_ends_with_the_guarded_answer(server, tmp_path):
    planted = "Weights: https://evil.example.com/w.zip are faster."
    server.enqueue(Reply(content=_good_reply().replace("### 2.", f"{planted}\n\n### 2.")))
    result = run(server, tmp_path, "answer", str(PROMPT), "--writer", "llm", "--stream")
    assert result.returncode == 0, result.stderr
    assert server.chat_requests[-1].body["stream"] is True
    assert "evil.example.com" in result.stderr  # the live text is what the model wrote
    assert "evil.example.com" not in result.stdout  # the printed answer is guarded
    assert result.stdout.startswith("### 1. The task")


def test_every_call_is_logged_and_logging_can_be_switched_off(server, tmp_path):
    server.enqueue(
        Reply(content=_good_reply().replace("### 2.", "See https://evil.example.com.\n\n### 2."))
    )
    _answer(server, tmp_path)
    shown = run(server, tmp_path, "logs", "--json")
    calls = json.loads(shown.stdout)
    assert len(calls) == 1 and calls[0]["outcome"] == "repaired"
    assert calls[0]["model"] == "test-model" and calls[0]["prompt_tokens"] is not None
    assert any("evil.example.com" in action for action in calls[0]["guard_actions"])
    assert "REPAIRED" in run(server, tmp_path, "logs").stdout
    _answer(server, tmp_path, SCHOLARFLOW_LOG_LLM="false")
    assert len(json.loads(run(server, tmp_path, "logs", "--json").stdout)) == 1


def test_config_shows_where_each_setting_comes_from(server, tmp_path):
    result = run(server, tmp_path, "config")
    assert result.returncode == 0
    assert "llm_base_url" in result.stdout and "(env)" in result.stdout
    assert "llm_deadline" in result.stdout and "llm_max_reply_bytes" in result.stdout
