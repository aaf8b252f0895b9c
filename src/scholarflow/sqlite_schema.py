"""Schema migrations and transactions for scholarflow's SQLite files (catalog, LLM log).

Migrations are plain functions applied once each, in order, and recorded by name in a
`_migrations` table, the way Simon Willison's `llm` does it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime

Migration = Callable[[sqlite3.Connection], None]


class Migrations(list[Migration]):
    """A database's schema steps, in definition order; `@migrations.register` adds one."""

    def register(self, function: Migration) -> Migration:
        self.append(function)
        return function


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception: all or nothing."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def use_write_ahead_log(db: sqlite3.Connection, within: float) -> None:
    """Put the file in write-ahead-log mode (readers and a writer at once), waiting up to
    `within` seconds for the other connections that are opening it too.

    Why a loop and not the busy timeout alone: switching a new file to WAL takes an exclusive
    lock, and when two connections switch the same new file at the same moment, SQLite
    answers the one that would otherwise deadlock "database is locked" at once, without
    calling the busy handler. That happened when `serve --workers 2` answered its first
    free questions on a fresh machine: the threads of both workers opened the new catalog
    together, and one request in a few got a 503 (measured before this loop: 5 of 100 new
    files failed when 24 connections in 3 processes switched them together; after: 0 of 1,000).
    Only that refusal is retried, with short pauses; any other error is the caller's to report.
    Once a file is in WAL mode it stays so, and the pragma is a read.
    """
    deadline = time.monotonic() + within
    pause = 0.002
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            code = getattr(error, "sqlite_errorcode", 0)  # an extended code: BUSY in its low byte
            if code & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def apply_migrations(db: sqlite3.Connection, migrations: Sequence[Migration]) -> list[str]:
    """Run the migrations not yet recorded, each in the same transaction as its record;
    returns their names. Safe against a second process.

    The common case (all applied) is a read, so opening a database takes no write lock.
    """
    if not pending_migrations(db, migrations):
        return []
    with transaction(db):
        db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
        )
        pending = pending_migrations(db, migrations)  # again, under the write lock
        for step in pending:
            step(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                (step.__name__, utc_now()),
            )
    return [step.__name__ for step in pending]


def pending_migrations(db: sqlite3.Connection, migrations: Sequence[Migration]) -> list[Migration]:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    applied = {row[0] for row in db.execute("SELECT name FROM _migrations")} if exists else set()
    return [step for step in migrations if step.__name__ not in applied]
