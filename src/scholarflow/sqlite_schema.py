"""Schema migrations and transactions for scholarflow's SQLite files (catalog, LLM log).

Migrations are plain functions applied once each, in order, and recorded by name in a
`_migrations` table, the way Simon Willison's `llm` does it.
"""

from __future__ import annotations

import sqlite3
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
