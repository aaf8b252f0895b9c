"""Every LLM interaction, and every `ask` conversation, recorded in one SQLite file
(`<home>/logs.db`).

Why a log: an LLM writer is the one part of scholarflow that is not deterministic. When an
answer comes out repaired or replaced, the user (or a maintainer reading a bug report) needs to
see exactly what was sent, what came back, and what the grounding guard removed. `scholarflow
logs` reads it back.

Why SQLite, like the catalog: one file, no service, safe against a killed process (each record
is one transaction) and against several processes writing at once (WAL, busy timeout). The
schema evolves through ordered migrations recorded in `_migrations`, exactly as the catalog's.

Why conversations live here too: `scholarflow ask -c` continues the latest conversation and
`--cid ID` a named one, as `llm -c` does, so the questions asked before must outlive the
process. They are one more table of the same log (migration m002), not a second file.

What is never stored: the API key. It travels in a header, not in the body, and any body field
whose name marks it as a credential is replaced by "[hidden]" before it is written.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self, get_args

from scholarflow.errors import ConfigurationError
from scholarflow.sqlite_schema import Migrations, use_write_ahead_log
from scholarflow.sqlite_schema import apply_migrations as _apply_migrations
from scholarflow.sqlite_schema import transaction as _transaction

Outcome = Literal["accepted", "repaired", "rejected", "error"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)

_BUSY_TIMEOUT_SECONDS = 10.0  # another process writing: wait for it rather than lose a record
_REQUEST_MESSAGE_CHARS = 300  # per request message in `render_logs_text`
_RESPONSE_CHARS = 500
_SECRET_KEY = re.compile(r"(?i)^(api[_-]?key|authorization|x-api-key|bearer|secret|password)$")
_HIDDEN = "[hidden]"
NO_CALLS_TEXT = "no LLM calls logged yet\n"
NO_CONVERSATIONS_TEXT = "no conversations logged yet\n"


def _now() -> str:
    """ISO 8601 in UTC, to the millisecond: calls a few ms apart stay distinguishable."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True, kw_only=True)
class LogRecord:
    """One LLM call as the writer saw it, once the grounding guard has ruled on it.

    `request_json` is the JSON body sent to the server, as sent. `outcome` is one of
    `OUTCOMES`: accepted (the guard passed it), repaired (sentences or links dropped), rejected
    (replaced by the template answer), error (no usable reply). `guard_actions` says what the
    guard did, e.g. "removed link https://…", "dropped sentence citing [7]".
    """

    writer: str
    question: str
    request_json: str
    base_url: str | None = None
    model: str | None = None
    response_text: str | None = None
    streamed: bool = False
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    latency_ms: float | None = None
    attempts: int = 1
    outcome: str = "accepted"
    guard_actions: Sequence[str] = ()
    error: str | None = None
    at: str = field(default_factory=_now)

    def __post_init__(self) -> None:
        # Checked here, not at write time, so a caller's mistake points at the caller.
        if self.outcome not in OUTCOMES:
            raise ValueError(f"outcome {self.outcome!r} is not one of {', '.join(OUTCOMES)}")
        object.__setattr__(self, "guard_actions", tuple(self.guard_actions))

    def request(self) -> Any:
        """The request body as an object (the raw text if it is not JSON)."""
        try:
            return json.loads(self.request_json)
        except (TypeError, ValueError):
            return self.request_json


@dataclass(frozen=True, slots=True, kw_only=True)
class LoggedCall(LogRecord):
    """A record read back from the log, with its row id (larger is newer)."""

    id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Turn:
    """One question of a conversation, with the task its answer identified and the answer
    as printed (None when the catalog could not serve it)."""

    id: int
    conversation_id: str
    at: str
    question: str
    task_id: str | None = None
    answer: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ConversationSummary:
    id: str
    started_at: str
    turns: int
    first_question: str | None = None
    last_question: str | None = None


# --------------------------------------------------------------------------- migrations

# Schema steps run once each, in the order they are defined.
MIGRATIONS = Migrations()
migration = MIGRATIONS.register


@migration
def m001_llm_calls(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE llm_calls (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            writer TEXT NOT NULL,
            base_url TEXT,
            model TEXT,
            question TEXT NOT NULL,
            request_json TEXT NOT NULL,
            response_text TEXT,
            streamed INTEGER NOT NULL DEFAULT 0,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            latency_ms REAL,
            attempts INTEGER NOT NULL DEFAULT 1,
            outcome TEXT NOT NULL
                CHECK (outcome IN ('accepted', 'repaired', 'rejected', 'error')),
            guard_actions_json TEXT NOT NULL DEFAULT '[]',
            error TEXT
        )
        """
    )


@migration
def m002_conversations(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY,
            started_at TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            question TEXT NOT NULL,
            task_id TEXT,
            answer TEXT
        )
        """
    )
    db.execute("CREATE INDEX turns_by_conversation ON turns (conversation_id, id)")


def apply_migrations(db: sqlite3.Connection) -> list[str]:
    """Run this database's migrations not yet recorded; returns their names."""
    return _apply_migrations(db, MIGRATIONS)


# --------------------------------------------------------------------------- the log

_COLUMNS = (
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
)


class LLMLog:
    """The log file: opened (and created, with its folders) on construction, migrated, in WAL.

    Safe to share between threads (one lock around the connection) and between processes
    (SQLite's own locking). A file that is not a database is a `ConfigurationError`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db = _connect(self.path)
        try:
            apply_migrations(self._db)
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise ConfigurationError(_cannot_open(self.path, error)) from error
        except BaseException:
            self._db.close()
            raise

    def record(self, entry: LogRecord) -> int:
        """Store one call in one transaction; returns its id."""
        values = _row_values(entry)
        placeholders = ", ".join("?" for _ in _COLUMNS)
        with self._lock, _transaction(self._db):
            cursor = self._db.execute(
                f"INSERT INTO llm_calls ({', '.join(_COLUMNS)}) VALUES ({placeholders})",
                [values[column] for column in _COLUMNS],
            )
        if cursor.lastrowid is None:  # cannot happen for a rowid table; keeps the type honest
            raise RuntimeError("SQLite returned no id for the new log row")
        return cursor.lastrowid

    def recent(self, limit: int = 20) -> list[LoggedCall]:
        """The last `limit` calls, newest first (by id: the order they were recorded)."""
        if limit <= 0:
            return []  # SQLite reads LIMIT -1 as "no limit"; a caller asking for 0 means none
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM llm_calls ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [_row_to_call(row) for row in rows]

    def count(self) -> int:
        """How many calls the log holds."""
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM llm_calls").fetchone()[0])

    # ----------------------------------------------------------------- conversations

    def start_conversation(self) -> str:
        """A new, empty conversation; returns its id (8 hex digits, short enough to type)."""
        with self._lock, _transaction(self._db):
            while True:
                conversation_id = secrets.token_hex(4)
                taken = self._db.execute(
                    "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                if not taken:
                    break
            self._db.execute(
                "INSERT INTO conversations (id, started_at) VALUES (?, ?)",
                (conversation_id, _now()),
            )
        return conversation_id

    def add_turn(
        self,
        conversation_id: str,
        question: str,
        *,
        task_id: str | None = None,
        answer: str | None = None,
    ) -> int:
        """Record one question of a conversation (and what was answered) in one transaction."""
        with self._lock, _transaction(self._db):
            cursor = self._db.execute(
                "INSERT INTO turns (conversation_id, at, question, task_id, answer) "
                "VALUES (?, ?, ?, ?, ?)",
                (conversation_id, _now(), question, task_id, answer),
            )
        if cursor.lastrowid is None:
            raise RuntimeError("SQLite returned no id for the new turn")
        return cursor.lastrowid

    def latest_conversation(self) -> str | None:
        """The conversation with the newest turn (or, with none yet, the newest started)."""
        with self._lock:
            row = self._db.execute(
                "SELECT c.id FROM conversations c LEFT JOIN turns t ON t.conversation_id = c.id "
                "GROUP BY c.id ORDER BY MAX(t.id) IS NULL, MAX(t.id) DESC, c.rowid DESC LIMIT 1"
            ).fetchone()
        return None if row is None else str(row[0])

    def has_conversation(self, conversation_id: str) -> bool:
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        return row is not None

    def turns(self, conversation_id: str) -> list[Turn]:
        """A conversation's turns, oldest first ([] for an unknown id)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, conversation_id, at, question, task_id, answer FROM turns "
                "WHERE conversation_id = ? ORDER BY id",
                (conversation_id,),
            ).fetchall()
        return [Turn(**dict(row)) for row in rows]

    def conversations(self, limit: int = 20) -> list[ConversationSummary]:
        """The latest `limit` conversations, newest first, each with its turn count and
        first and last questions."""
        if limit <= 0:
            return []
        with self._lock:
            rows = self._db.execute(
                """
                SELECT c.id, c.started_at, COUNT(t.id) AS turns,
                       (SELECT question FROM turns WHERE conversation_id = c.id
                        ORDER BY id LIMIT 1) AS first_question,
                       (SELECT question FROM turns WHERE conversation_id = c.id
                        ORDER BY id DESC LIMIT 1) AS last_question
                FROM conversations c LEFT JOIN turns t ON t.conversation_id = c.id
                GROUP BY c.id
                ORDER BY MAX(t.id) IS NULL, MAX(t.id) DESC, c.rowid DESC
                LIMIT ?
                """,
                (limit,),
            ).fetchall()
        return [ConversationSummary(**dict(row)) for row in rows]

    def close(self) -> None:
        """Release the file. Safe to call twice."""
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _connect(path: Path) -> sqlite3.Connection:
    """Open the file; the first statements also prove it is a database."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves. check_same_thread=False: a
        # streaming writer may finish on another thread; LLMLog's lock serialises use.
        db = sqlite3.connect(
            str(path),
            isolation_level=None,
            timeout=_BUSY_TIMEOUT_SECONDS,
            check_same_thread=False,
        )
    except (OSError, sqlite3.Error) as error:
        raise ConfigurationError(_cannot_open(path, error)) from error
    try:
        db.row_factory = sqlite3.Row
        use_write_ahead_log(db, within=_BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as error:
        db.close()
        raise ConfigurationError(_cannot_open(path, error)) from error
    return db


def _cannot_open(path: Path, error: BaseException) -> str:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"{path}: cannot open the LLM log: {reason}".replace("\n", " ")


def _row_values(entry: LogRecord) -> dict[str, object]:
    return {
        "at": entry.at,
        "writer": entry.writer,
        "base_url": entry.base_url,
        "model": entry.model,
        "question": entry.question,
        "request_json": redact_request(entry.request_json),
        "response_text": entry.response_text,
        "streamed": int(entry.streamed),
        "prompt_tokens": entry.prompt_tokens,
        "completion_tokens": entry.completion_tokens,
        "latency_ms": entry.latency_ms,
        "attempts": entry.attempts,
        "outcome": entry.outcome,
        "guard_actions_json": json.dumps(list(entry.guard_actions), ensure_ascii=False),
        "error": entry.error,
    }


def _row_to_call(row: sqlite3.Row) -> LoggedCall:
    return LoggedCall(
        id=row["id"],
        at=row["at"],
        writer=row["writer"],
        base_url=row["base_url"],
        model=row["model"],
        question=row["question"],
        request_json=row["request_json"],
        response_text=row["response_text"],
        streamed=bool(row["streamed"]),
        prompt_tokens=row["prompt_tokens"],
        completion_tokens=row["completion_tokens"],
        latency_ms=row["latency_ms"],
        attempts=row["attempts"],
        outcome=row["outcome"],
        guard_actions=tuple(json.loads(row["guard_actions_json"])),
        error=row["error"],
    )


def redact_request(request_json: str) -> str:
    """The body as given, unless a field named like a credential is in it: then that value
    becomes "[hidden]". The common case (no such field) keeps the exact bytes sent."""
    try:
        body = json.loads(request_json)
    except (TypeError, ValueError):
        return request_json
    cleaned, changed = _redact(body)
    return json.dumps(cleaned, ensure_ascii=False) if changed else request_json


def _redact(value: Any) -> tuple[Any, bool]:
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(key, str) and _SECRET_KEY.match(key):
                out[key], changed = _HIDDEN, True
                continue
            out[key], item_changed = _redact(item)
            changed = changed or item_changed
        return out, changed
    if isinstance(value, list):
        pairs = [_redact(item) for item in value]
        return [item for item, _ in pairs], any(flag for _, flag in pairs)
    return value, False


# --------------------------------------------------------------------------- rendering


def render_logs_json(calls: Sequence[LoggedCall]) -> str:
    """A JSON list with every field; `request` holds the body parsed back into an object and
    `guard_actions` a list, so a script reads them without parsing twice."""
    return json.dumps([_call_json(call) for call in calls], indent=2, ensure_ascii=False) + "\n"


def _call_json(call: LoggedCall) -> dict[str, Any]:
    """Every field in the table's column order; `request` (the parsed body) where the table
    has `request_json`, and `guard_actions` as a list."""
    data = asdict(call)
    data["request"] = call.request()
    data["guard_actions"] = list(call.guard_actions)
    return {name: data[name] for name in _JSON_FIELDS}


_JSON_FIELDS = (
    "id",
    "at",
    "writer",
    "base_url",
    "model",
    "question",
    "request",
    "response_text",
    "streamed",
    "prompt_tokens",
    "completion_tokens",
    "latency_ms",
    "attempts",
    "outcome",
    "guard_actions",
    "error",
)


def render_logs_text(calls: Sequence[LoggedCall]) -> str:
    """One block per call, for a terminal: when, which model, the verdict, the cost, what the
    guard did, then the request messages (about 300 characters each) and the reply (about 500).
    """
    if not calls:
        return NO_CALLS_TEXT
    return "\n".join(_call_text(call) for call in calls)


def _call_text(call: LoggedCall) -> str:
    where = f"{call.model or '?'} @ {call.base_url or '?'}"
    lines = [
        f"#{call.id}  {call.at}  {call.outcome.upper()}",
        _field("model", f"{where}  (writer {call.writer}{', streamed' if call.streamed else ''})"),
        _field("tokens", _tokens(call)),
        _field("latency", _latency(call)),
        *_listed("guard", list(call.guard_actions) or ["no changes"]),
        _field("question", _trim(call.question, _REQUEST_MESSAGE_CHARS)),
        *_listed("request", _request_lines(call)),
        _field("response", _trim(call.response_text or "(none)", _RESPONSE_CHARS)),
    ]
    if call.error:
        lines.append(_field("error", _trim(call.error, _RESPONSE_CHARS)))
    return "\n".join(lines) + "\n"


_LABEL_WIDTH = 10


def _field(label: str, text: str) -> str:
    return f"  {label:<{_LABEL_WIDTH}}{text}"


def _listed(label: str, items: Sequence[str]) -> list[str]:
    """The first item beside the label, the rest aligned under it."""
    return [_field(label if index == 0 else "", item) for index, item in enumerate(items)]


def _tokens(call: LoggedCall) -> str:
    if call.prompt_tokens is None and call.completion_tokens is None:
        return "not reported"
    prompt = "?" if call.prompt_tokens is None else call.prompt_tokens
    completion = "?" if call.completion_tokens is None else call.completion_tokens
    return f"{prompt} prompt + {completion} completion"


def _latency(call: LoggedCall) -> str:
    tries = f"{call.attempts} attempt{'' if call.attempts == 1 else 's'}"
    if call.latency_ms is None:
        return f"not measured, {tries}"
    return f"{call.latency_ms:.0f} ms, {tries}"


def _request_lines(call: LoggedCall) -> list[str]:
    """`role: content` per chat message; the whole body, trimmed, if it has no messages."""
    body = call.request()
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list) or not messages:
        return [_trim(call.request_json, _REQUEST_MESSAGE_CHARS)]
    return [_message_line(message) for message in messages]


def _message_line(message: object) -> str:
    if not isinstance(message, dict):
        return _trim(json.dumps(message, ensure_ascii=False), _REQUEST_MESSAGE_CHARS)
    role = message.get("role", "?")
    return f"{role}: {_trim(_content_text(message.get('content')), _REQUEST_MESSAGE_CHARS)}"


def _content_text(content: object) -> str:
    """A message's text: a string, or the text parts of a list of content parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [part.get("text", "") for part in content if isinstance(part, dict)]
        return " ".join(text for text in texts if isinstance(text, str))
    return "" if content is None else json.dumps(content, ensure_ascii=False)


def _trim(text: str, limit: int) -> str:
    """Whitespace folded to single spaces (one line per item), cut at `limit` characters with
    a note of how much was left out."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return f"{flat[:limit].rstrip()}… [+{len(flat) - limit} chars]"


def render_conversations_text(items: Sequence[ConversationSummary]) -> str:
    """One line per conversation: its id (for `ask --cid`), turns, when, first question."""
    if not items:
        return NO_CONVERSATIONS_TEXT
    lines = []
    for item in items:
        noun = "turn" if item.turns == 1 else "turns"
        question = _trim(item.first_question or "(no question yet)", 70)
        lines.append(f"{item.id}  {item.turns:>3} {noun:<5}  {item.started_at}  {question}")
    return "\n".join(lines) + "\n"


def render_conversations_json(items: Sequence[ConversationSummary]) -> str:
    return json.dumps([asdict(item) for item in items], indent=2, ensure_ascii=False) + "\n"
