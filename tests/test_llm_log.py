"""The LLM call log: records read back newest first, renderings, migrations, a broken file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scholarflow.errors import ConfigurationError
from scholarflow.llm_log import (
    MIGRATIONS,
    NO_CALLS_TEXT,
    NO_CONVERSATIONS_TEXT,
    LLMLog,
    LogRecord,
    render_conversations_json,
    render_conversations_text,
    render_logs_json,
    render_logs_text,
)

LONG_PROMPT = "Explain the workflow step by step. " * 40  # about 1,400 characters
LONG_REPLY = "### 1. The task\n" + "The clip becomes a depth video. " * 40


def request_body(user: str = "How does it stay consistent?", **extra: object) -> str:
    body = {
        "model": "llama3.1",
        "messages": [
            {"role": "system", "content": "You are the writer of scholarflow."},
            {"role": "user", "content": user},
        ],
        "temperature": 0.2,
        "stream": False,
        **extra,
    }
    return json.dumps(body, ensure_ascii=False)


def make_record(n: int = 1, **fields: object) -> LogRecord:
    values: dict[str, object] = {
        "writer": "llm",
        "base_url": "http://localhost:11434/v1",
        "model": "llama3.1",
        "question": f"question {n}",
        "request_json": request_body(),
        "response_text": f"reply {n}",
        "prompt_tokens": 812,
        "completion_tokens": 240,
        "latency_ms": 1234.5,
        "attempts": 1,
        "outcome": "accepted",
    }
    values.update(fields)
    return LogRecord(**values)  # type: ignore[arg-type]


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    return tmp_path / "home" / "logs.db"  # the parent does not exist yet


@pytest.fixture
def log(log_file: Path):
    with LLMLog(log_file) as opened:
        yield opened


def test_record_and_read_back(log: LLMLog):
    record = make_record(
        outcome="repaired",
        streamed=True,
        guard_actions=["removed link https://evil.example/x", "dropped sentence citing [7]"],
    )
    row_id = log.record(record)
    [call] = log.recent()
    assert call.id == row_id
    assert call.at == record.at and call.at.endswith("+00:00")  # ISO 8601, UTC
    assert call.writer == "llm" and call.model == "llama3.1"
    assert call.base_url == "http://localhost:11434/v1"
    assert call.request_json == record.request_json  # exactly what was sent
    assert call.response_text == "reply 1"
    assert call.streamed is True
    assert (call.prompt_tokens, call.completion_tokens) == (812, 240)
    assert call.latency_ms == 1234.5 and call.attempts == 1
    assert call.outcome == "repaired"
    assert call.guard_actions == (
        "removed link https://evil.example/x",
        "dropped sentence citing [7]",
    )
    assert call.error is None


def test_recent_is_newest_first_and_limited(log: LLMLog):
    ids = [log.record(make_record(n)) for n in range(5)]
    assert [call.id for call in log.recent()] == ids[::-1]
    assert [call.question for call in log.recent(2)] == ["question 4", "question 3"]
    assert log.recent(0) == []
    assert log.count() == 5


def test_error_outcome_with_missing_reply(log: LLMLog):
    log.record(
        make_record(
            outcome="error",
            response_text="",
            prompt_tokens=None,
            completion_tokens=None,
            latency_ms=None,
            attempts=0,
            error="connection refused",
        )
    )
    [call] = log.recent()
    assert call.outcome == "error" and call.error == "connection refused"
    text = render_logs_text([call])
    assert "connection refused" in text and "not reported" in text


def test_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="outcome 'fine'"):
        make_record(outcome="fine")


def test_credentials_in_the_body_are_hidden(log: LLMLog):
    log.record(make_record(request_json=request_body(api_key="sk-secret-123")))
    [call] = log.recent()
    assert "sk-secret-123" not in call.request_json
    assert json.loads(call.request_json)["api_key"] == "[hidden]"


def test_json_rendering_round_trips_the_request(log: LLMLog):
    sent = request_body(user="Wie bleibt das Tiefenvideo stabil? ünïcode")
    log.record(make_record(request_json=sent, guard_actions=["removed link https://a.b/c"]))
    log.record(make_record(2))
    data = json.loads(render_logs_json(log.recent()))
    assert [item["question"] for item in data] == ["question 2", "question 1"]
    older = data[1]
    assert older["request"] == json.loads(sent)
    assert "request_json" not in older
    assert older["guard_actions"] == ["removed link https://a.b/c"]
    assert older["streamed"] is False
    assert set(older) >= {
        "id",
        "at",
        "writer",
        "base_url",
        "model",
        "question",
        "response_text",
        "prompt_tokens",
        "completion_tokens",
        "latency_ms",
        "attempts",
        "outcome",
        "error",
    }
    assert render_logs_json([]) == "[]\n"


def test_text_rendering_trims_and_shows_guard_actions(log: LLMLog):
    log.record(
        make_record(
            request_json=request_body(user=LONG_PROMPT),
            response_text=LONG_REPLY,
            outcome="repaired",
            guard_actions=["removed link https://evil.example/x", "dropped sentence citing [7]"],
        )
    )
    text = render_logs_text(log.recent())
    assert "llama3.1 @ http://localhost:11434/v1" in text
    assert "REPAIRED" in text
    assert "812 prompt + 240 completion" in text
    assert "1234 ms" in text or "1235 ms" in text
    assert "removed link https://evil.example/x" in text
    assert "dropped sentence citing [7]" in text
    assert "system: You are the writer of scholarflow." in text
    user_line = next(line for line in text.splitlines() if "user: " in line)
    assert len(user_line) < 400 and "… [+" in user_line  # ~300 characters, then a note
    response_line = next(line for line in text.splitlines() if "response" in line)
    assert len(response_line) < 600 and "… [+" in response_line
    assert LONG_PROMPT.strip() not in text and LONG_REPLY not in text


def test_text_rendering_of_nothing():
    assert render_logs_text([]) == NO_CALLS_TEXT


def test_reopening_keeps_the_data(log_file: Path):
    with LLMLog(log_file) as first:
        first.record(make_record(1))
    with LLMLog(log_file) as second:
        assert second.count() == 1
        second.record(make_record(2))
    with LLMLog(log_file) as third:
        assert [call.question for call in third.recent()] == ["question 2", "question 1"]


def test_migrations_applied_once_and_wal(log_file: Path):
    LLMLog(log_file).close()
    LLMLog(log_file).close()
    db = sqlite3.connect(log_file)
    try:
        names = [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name")]
        assert names == [step.__name__ for step in MIGRATIONS]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = [row[1] for row in db.execute("PRAGMA table_info(llm_calls)")]
    finally:
        db.close()
    assert columns == [
        "id",
        "at",
        "writer",
        "base_url",
        "model",
        "question",
        "request_json",
        "response_text",
        "streamed",
        "prompt_tokens",
        "completion_tokens",
        "latency_ms",
        "attempts",
        "outcome",
        "guard_actions_json",
        "error",
    ]


def test_a_file_that_is_not_a_database(tmp_path: Path):
    path = tmp_path / "logs.db"
    path.write_text("this is not SQLite, just text that happens to be here\n" * 20)
    with pytest.raises(ConfigurationError) as caught:
        LLMLog(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    assert caught.value.exit_code == 4


def test_a_directory_in_the_way(tmp_path: Path):
    path = tmp_path / "logs.db"
    path.mkdir()
    with pytest.raises(ConfigurationError, match="cannot open the LLM log"):
        LLMLog(path)


def test_close_twice_is_safe(log_file: Path):
    log = LLMLog(log_file)
    log.close()
    log.close()


# --------------------------------------------------------------------------- conversations


def test_a_log_from_before_conversations_is_migrated_and_keeps_its_calls(log_file: Path):
    """A logs.db written by a scholarflow without m002 gains the tables, calls intact."""
    from scholarflow.sqlite_schema import apply_migrations

    log_file.parent.mkdir(parents=True)
    db = sqlite3.connect(log_file, isolation_level=None)
    apply_migrations(db, MIGRATIONS[:1])  # as the previous version left it
    db.execute(
        "INSERT INTO llm_calls (at, writer, question, request_json, outcome) "
        "VALUES ('2026-01-01T00:00:00.000+00:00', 'llm', 'old question', '{}', 'accepted')"
    )
    db.close()
    with LLMLog(log_file) as log:
        log.record(make_record(1))
        conversation = log.start_conversation()
        log.add_turn(conversation, "first?", task_id="video_depth_estimation", answer="A")
        assert log.count() == 2 and log.latest_conversation() == conversation
        assert [call.question for call in log.recent()] == ["question 1", "old question"]
    db = sqlite3.connect(log_file)
    try:
        names = [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY rowid")]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    finally:
        db.close()
    assert names == ["m001_llm_calls", "m002_conversations"]
    assert {"llm_calls", "conversations", "turns"} <= tables


def test_turns_are_kept_in_order_and_latest_is_the_last_one_spoken_in(log: LLMLog):
    assert log.latest_conversation() is None and log.conversations() == []
    first = log.start_conversation()
    second = log.start_conversation()
    assert first != second and len(first) == 8
    assert log.latest_conversation() == second  # newest started, when none has a turn
    log.add_turn(first, "One photo became a 360° video. How?", task_id="novel_view")
    log.add_turn(second, "How does depth stay stable?", task_id="video_depth_estimation")
    log.add_turn(first, "and from a video instead?", task_id="video_to_4d", answer="…")
    assert log.latest_conversation() == first
    turns = log.turns(first)
    assert [t.question for t in turns] == [
        "One photo became a 360° video. How?",
        "and from a video instead?",
    ]
    assert [t.task_id for t in turns] == ["novel_view", "video_to_4d"]
    assert turns[0].answer is None and turns[1].answer == "…"
    assert log.turns("0badc0de") == [] and not log.has_conversation("0badc0de")
    listed = log.conversations()
    assert [(c.id, c.turns) for c in listed] == [(first, 2), (second, 1)]
    assert listed[0].first_question == "One photo became a 360° video. How?"
    assert listed[0].last_question == "and from a video instead?"
    text = render_conversations_text(listed)
    assert text.splitlines()[0].startswith(f"{first}    2 turns")
    assert json.loads(render_conversations_json(listed))[1]["id"] == second
    assert render_conversations_text([]) == NO_CONVERSATIONS_TEXT
