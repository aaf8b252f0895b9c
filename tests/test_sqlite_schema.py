"""Opening scholarflow's SQLite files from many connections at once.

`serve --workers 2` on a fresh machine: the threads of both workers open the new catalog (and
the LLM log) at the same moment, and each switches the new file to write-ahead-log mode.
SQLite refuses one of two connections switching together at once ("database is locked")
instead of waiting, so the switch waits and tries again. Real processes and threads on real
files, released together by a barrier so that they collide as often as they can.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from scholarflow.sqlite_schema import use_write_ahead_log

PROCESSES = 3
THREADS = 8


def _open_together(paths: list[str], barrier: Any, how: str) -> list[str]:
    """In a spawned process: THREADS threads open each of `paths` together with the other
    processes' threads (`how`: "pragma" switches a raw connection with the helper, "catalog"
    opens a `SQLiteCatalogStore`); returns what failed."""
    failures: list[str] = []

    def one_thread() -> None:
        for path in paths:
            barrier.wait(timeout=120)
            try:
                if how == "catalog":
                    from scholarflow.catalog.store import SQLiteCatalogStore

                    with SQLiteCatalogStore(path) as store:
                        store.count()
                else:
                    db = sqlite3.connect(path, isolation_level=None, timeout=10)
                    try:
                        use_write_ahead_log(db, within=10)
                        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
                        if mode != "wal":
                            failures.append(f"{path}: journal mode {mode}")
                    finally:
                        db.close()
            except Exception as error:  # what a request would have turned into a 503
                failures.append(f"{path}: {error!r}")

    threads = [threading.Thread(target=one_thread) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


def _collide(paths: list[Path], how: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(PROCESSES * THREADS)
        with context.Pool(PROCESSES) as pool:
            results = pool.starmap(
                _open_together,
                [([str(path) for path in paths], barrier, how)] * PROCESSES,
                chunksize=1,
            )
    return [failure for failures in results for failure in failures]


def test_connections_switching_new_files_to_wal_together_all_get_it(tmp_path: Path):
    # Without the retry, 5-9 of every 100 new files had a connection refused at once.
    paths = [tmp_path / f"new-{n}.db" for n in range(300)]
    assert _collide(paths, "pragma") == []


def test_workers_opening_a_new_catalog_together_all_open_it(tmp_path: Path):
    paths = [tmp_path / f"catalog-{n}.db" for n in range(40)]
    assert _collide(paths, "catalog") == []


def test_a_file_that_is_not_a_database_fails_at_once(tmp_path: Path):
    """Only "busy" is waited out: any other error is reported at once, as it is."""
    path = tmp_path / "not-a-database.db"
    path.write_bytes(b"this is not an SQLite file, " * 100)
    db = sqlite3.connect(path, isolation_level=None, timeout=10)
    begun = time.monotonic()
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            use_write_ahead_log(db, within=5)
    finally:
        db.close()
    assert time.monotonic() - begun < 1.0


def test_a_lock_held_past_the_wait_is_still_reported(tmp_path: Path):
    path = tmp_path / "held.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # a rollback-journal file, locked for the whole test
    db = sqlite3.connect(path, isolation_level=None, timeout=0.05)
    begun = time.monotonic()
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            use_write_ahead_log(db, within=0.5)
    finally:
        db.close()
        holder.execute("ROLLBACK")
        holder.close()
    assert 0.4 < time.monotonic() - begun < 5.0
