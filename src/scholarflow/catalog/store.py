"""The catalog's storage: one SQLite file, keyed by entry id, searched with FTS5 BM25.

Why SQLite: the catalog is a few thousand to a few hundred thousand rows that one user (or one
server) reads far more often than it writes; a single file needs no service, survives a killed
process (every import is one transaction, and WAL mode keeps readers off the writer's back),
and ships FTS5 for keyword search. Embeddings sit beside the entries as float32 blobs so that a
re-embed is needed only for rows whose text changed.

The rules every store follows (identity, merging, built-ins, which query words to score) are
in `catalog.base`; this module keeps what is SQLite's own, and the `CatalogStore` interface
and `open_catalog` that pick a store for a --catalog value.

The schema evolves through an ordered list of migration functions recorded in `_migrations`,
the way Simon Willison's `llm` does it: each runs once, in order, in the same transaction as
its record, so a half-applied migration cannot exist.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

import platformdirs

from scholarflow.catalog.base import (
    COMMON_TERM_MIN_ENTRIES,
    COMMON_TERM_SHARE,
    SCORED_ROWS_BUDGET,
    CatalogStoreBase,
    Outcome,
    RestoreOutcome,
    RestoreReport,
    UpsertReport,
    WriteTransaction,
    builtin_catalog_entries,
    derive_entry_id,
    entry_key,
    query_terms,
    title_key,
)
from scholarflow.errors import ConfigurationError
from scholarflow.models import CatalogEntry
from scholarflow.progress import ProgressCallback
from scholarflow.sqlite_schema import Migrations, use_write_ahead_log
from scholarflow.sqlite_schema import apply_migrations as _apply_migrations
from scholarflow.sqlite_schema import transaction as _transaction

# What other modules import from here: this module's own interface, and the shared names it
# has always offered (they live in `catalog.base` since both stores use them).
__all__ = [
    "COMMON_TERM_MIN_ENTRIES",
    "COMMON_TERM_SHARE",
    "MIGRATIONS",
    "SCORED_ROWS_BUDGET",
    "CatalogStore",
    "Outcome",
    "RestoreOutcome",
    "RestoreReport",
    "SQLiteCatalogStore",
    "UpsertReport",
    "apply_migrations",
    "builtin_catalog_entries",
    "default_catalog_path",
    "derive_entry_id",
    "entry_key",
    "is_catalog_url",
    "open_catalog",
    "query_terms",
    "title_key",
]

_BUSY_TIMEOUT_SECONDS = 10.0  # another process importing: wait for it rather than fail


def default_catalog_path() -> Path:
    """`$SCHOLARFLOW_HOME/catalog.db`; SCHOLARFLOW_HOME defaults to the user's data dir."""
    home = os.environ.get("SCHOLARFLOW_HOME", "").strip()
    base = Path(home).expanduser() if home else Path(platformdirs.user_data_dir("scholarflow"))
    return base / "catalog.db"


# --------------------------------------------------------------------------- migrations

# Schema steps run once each, in the order they are defined.
MIGRATIONS = Migrations()
migration = MIGRATIONS.register


@migration
def m001_entries(db: sqlite3.Connection) -> None:
    # `seq` is the INTEGER PRIMARY KEY (the rowid) so that FTS5, which points at rows by rowid,
    # stays right after a VACUUM; `id` is the public key and is unique.
    db.execute(
        """
        CREATE TABLE entries (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL UNIQUE,
            title_key TEXT NOT NULL,
            name TEXT NOT NULL,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            paper_url TEXT,
            github_url TEXT,
            project_url TEXT,
            summary TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            tasks TEXT NOT NULL DEFAULT '[]',
            signatures TEXT NOT NULL DEFAULT '[]',
            arxiv_id TEXT,
            origin TEXT NOT NULL,
            line INTEGER,
            imported_at TEXT,
            builtin INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX entries_title_key ON entries(title_key)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("CREATE TABLE removed_builtins (id TEXT PRIMARY KEY)")


@migration
def m002_entries_fts(db: sqlite3.Connection) -> None:
    # External-content FTS5: the text lives once, in `entries`; triggers keep the index in step.
    db.execute(
        """
        CREATE VIRTUAL TABLE entries_fts USING fts5(
            name, title, summary, tags,
            content='entries', content_rowid='seq',
            tokenize='porter unicode61 remove_diacritics 2'
        )
        """
    )
    db.execute(
        """
        CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
            INSERT INTO entries_fts(rowid, name, title, summary, tags)
            VALUES (new.seq, new.name, new.title, new.summary, new.tags);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, name, title, summary, tags)
            VALUES ('delete', old.seq, old.name, old.title, old.summary, old.tags);
        END
        """
    )
    db.execute(
        """
        CREATE TRIGGER entries_fts_update AFTER UPDATE OF name, title, summary, tags ON entries
        BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, name, title, summary, tags)
            VALUES ('delete', old.seq, old.name, old.title, old.summary, old.tags);
            INSERT INTO entries_fts(rowid, name, title, summary, tags)
            VALUES (new.seq, new.name, new.title, new.summary, new.tags);
        END
        """
    )
    db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")


@migration
def m003_embeddings(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE embeddings (
            entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (entry_id, model)
        )
        """
    )


def apply_migrations(db: sqlite3.Connection) -> list[str]:
    """Run this database's migrations not yet recorded; returns their names."""
    return _apply_migrations(db, MIGRATIONS)


# --------------------------------------------------------------------------- interface


class CatalogStore(Protocol):
    """What the rest of scholarflow needs from a catalog, whatever holds it (SQLite, Postgres)."""

    def count(self) -> int: ...

    def get(self, entry_id: str) -> CatalogEntry | None: ...

    def entries(self) -> Iterator[CatalogEntry]: ...

    def find_by_key(self, key: str) -> CatalogEntry | None: ...

    def upsert_many(
        self,
        entries: Iterable[CatalogEntry],
        *,
        on_progress: ProgressCallback | None = None,
        keep_builtins: bool = False,
    ) -> UpsertReport: ...

    def remove(self, entry_id: str) -> bool: ...

    def search_text(self, query: str, limit: int = 20) -> list[tuple[str, float]]: ...

    def get_embeddings(self, model: str) -> dict[str, tuple[str, bytes]]: ...

    def embedding_hashes(self, model: str) -> dict[str, str]: ...

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, bytes, int]]) -> None: ...

    # What `catalog` commands and `catalog copy` use besides.
    path: str | Path

    def restore(self, entry_id: str) -> RestoreReport: ...

    def removed_builtin_ids(self) -> frozenset[str]: ...

    def closest_ids(self, wanted: str, limit: int = 3) -> list[str]: ...

    def rebuild_text_index(self) -> None: ...

    def embedding_models(self) -> list[str]: ...

    def replace_contents(
        self,
        entries: Iterable[CatalogEntry],
        removed_builtins: Iterable[str],
        vectors: dict[str, Sequence[tuple[str, str, bytes, int]]],
    ) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


def is_catalog_url(location: object) -> bool:
    """Whether a --catalog value names a PostgreSQL server (postgresql://…) and not a file."""
    return isinstance(location, str) and location.strip().lower().startswith(
        ("postgresql://", "postgres://")
    )


def open_catalog(location: str | Path | None = None) -> CatalogStore:
    """The store for a --catalog value: a `postgresql://` URL opens `PostgresCatalogStore`,
    anything else is a SQLite file (None: the default one).

    psycopg is imported only here, so a user who never names a server never loads it.
    """
    if is_catalog_url(location):
        from scholarflow.catalog.postgres import PostgresCatalogStore

        return PostgresCatalogStore(str(location).strip())
    return SQLiteCatalogStore(location)


# --------------------------------------------------------------------------- SQLite


class SQLiteCatalogStore(CatalogStoreBase[sqlite3.Connection]):
    """The catalog in one SQLite file (default `default_catalog_path()`; ":memory:" works).

    Opening migrates the schema and, the first time (or when the package's built-in entries
    changed), seeds the built-in entries, except those the user removed or overrode.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        if is_catalog_url(path):  # never a file named "postgresql:/…" in the working directory
            raise ConfigurationError(f"{path}: a server URL, not a file; open it with open_catalog")
        self.path: str | Path = default_catalog_path() if path is None else path
        self._db = _connect(self.path)
        self._writes = 0  # own commits; other connections' show in PRAGMA data_version
        self._frequencies: tuple[tuple[int, int], dict[str, int], int] | None = None
        try:
            apply_migrations(self._db)
            self._seed_builtins()
            _create_query_tables(self._db)
        except sqlite3.DatabaseError as error:
            self._db.close()
            raise ConfigurationError(f"{self.path}: cannot prepare the catalog: {error}") from error
        except BaseException:
            self._db.close()
            raise

    # -- the engine's primitives

    def close(self) -> None:
        """Release the file. Safe to call twice."""
        self._db.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        yield self._db

    @contextmanager
    def _writing(self) -> Iterator[WriteTransaction[sqlite3.Connection]]:
        """BEGIN IMMEDIATE … COMMIT on the one connection; counts the write, which this
        connection's `PRAGMA data_version` does not show (see `_document_frequencies`)."""
        self._writes += 1
        with _transaction(self._db):
            yield WriteTransaction(self._db)

    def _execute_many(
        self, db: sqlite3.Connection, statement: str, rows: Iterable[Sequence[object]]
    ) -> None:
        db.executemany(statement, rows)

    def _copy_vectors(
        self, db: sqlite3.Connection, model: str, rows: Sequence[tuple[str, str, bytes, int]]
    ) -> None:
        db.executemany(
            "INSERT INTO embeddings (entry_id, model, text_hash, dim, vector) "
            "VALUES (?, ?, ?, ?, ?)",
            [(entry_id, model, digest, dim, blob) for entry_id, digest, blob, dim in rows],
        )

    def _ids_from(self, prefix: str, limit: int | None) -> list[str]:
        """Ids that start with `prefix`, shortest first; the prefix is data, never LIKE syntax."""
        rows = self._db.execute(
            "SELECT id FROM entries WHERE id >= ? AND id < ? ORDER BY length(id), id LIMIT ?",
            (prefix, prefix + "\U0010ffff", -1 if limit is None else limit),
        )
        return [row[0] for row in rows]

    # -- search

    def _rank_text(self, terms: list[str], limit: int) -> list[tuple[str, float]]:
        """Entry ids ranked by BM25 over name, title, summary and tags; higher is better.

        The words are OR-ed as quoted FTS5 terms, so none of them is read as FTS5 syntax.
        """
        expression = " OR ".join(f'"{term}"' for term in terms)
        rows = self._db.execute(
            """
            SELECT entries.id AS id, bm25(entries_fts, 4.0, 2.0, 1.0, 2.0) AS rank
            FROM entries_fts JOIN entries ON entries.seq = entries_fts.rowid
            WHERE entries_fts MATCH ?
            ORDER BY rank, entries.seq
            LIMIT ?
            """,
            (expression, limit),
        ).fetchall()
        return [(row["id"], -float(row["rank"])) for row in rows]

    def _stems(self, words: list[str]) -> dict[str, str]:
        """Each word as the FTS5 tokenizer indexes it (Porter stem), asked of FTS5 itself."""
        self._db.execute("DELETE FROM temp.query_words")
        self._db.executemany(
            "INSERT INTO temp.query_words(rowid, word) VALUES (?, ?)", list(enumerate(words))
        )
        rows = self._db.execute("SELECT doc, term FROM temp.query_words_vocab").fetchall()
        return {words[row[0]]: row[1] for row in rows}

    def _document_frequencies(self) -> tuple[dict[str, int], int]:
        """term -> number of entries holding it, and the number of entries.

        Read once (one pass over the FTS5 vocabulary, ~0.3 s at 100k entries) and kept until
        the catalog changes, in this connection or any other (`PRAGMA data_version`).
        """
        version = (self._db.execute("PRAGMA data_version").fetchone()[0], self._writes)
        if self._frequencies is None or self._frequencies[0] != version:
            rows = self._db.execute("SELECT term, doc FROM temp.entries_vocab").fetchall()
            total = self._db.execute("SELECT count(*) FROM entries").fetchone()[0]
            self._frequencies = (version, {row[0]: row[1] for row in rows}, total)
        return self._frequencies[1], self._frequencies[2]

    # -- embeddings

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, bytes, int]]) -> None:
        """Store (entry id, text hash, float32 bytes, dim) rows for `model`, replacing old ones.

        Checks that each blob holds `dim` float32 values and that the entry exists, so a bad
        caller fails here with a clear message rather than at search time.
        """
        with _transaction(self._db):
            for entry_id, text_hash, blob, dim in rows:
                if len(blob) != dim * 4:
                    raise ValueError(
                        f"embedding for {entry_id!r}: {len(blob)} bytes is not {dim} float32 values"
                    )
                if self._db.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone():
                    self._db.execute(
                        """
                        INSERT INTO embeddings (entry_id, model, text_hash, dim, vector)
                        VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (entry_id, model) DO UPDATE SET
                            text_hash = excluded.text_hash, dim = excluded.dim,
                            vector = excluded.vector
                        """,
                        (entry_id, model, text_hash, dim, blob),
                    )
                else:
                    raise ValueError(f"no catalog entry {entry_id!r} to attach an embedding to")

    def rebuild_text_index(self) -> None:
        """Rebuild the full-text index from the entries, then merge its segments.

        The triggers keep the index in step with every write, so this is for `catalog
        reindex`: a file copied in from elsewhere, or an index grown out of many small imports.
        """
        self._writes += 1
        with _transaction(self._db):
            self._db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
            self._db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')")


# --------------------------------------------------------------------------- connection


def _create_query_tables(db: sqlite3.Connection) -> None:
    """Per-connection helpers for `search_text`: the catalog's FTS5 vocabulary (how many
    entries hold each term) and a scratch FTS5 table that tells how a word is indexed."""
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.entries_vocab "
        "USING fts5vocab(main, 'entries_fts', 'row')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words "
        "USING fts5(word, tokenize='porter unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.query_words_vocab "
        "USING fts5vocab(temp, 'query_words', 'instance')"
    )


def _connect(path: str | Path) -> sqlite3.Connection:
    in_memory = str(path) == ":memory:"
    try:
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a transaction is exactly
        # what the code says and nothing is committed behind our back.
        db = sqlite3.connect(str(path), isolation_level=None, timeout=_BUSY_TIMEOUT_SECONDS)
    except (OSError, sqlite3.DatabaseError) as error:
        raise ConfigurationError(f"{path}: cannot open the catalog: {error}") from error
    try:
        db.row_factory = sqlite3.Row
        if not in_memory:
            use_write_ahead_log(db, within=_BUSY_TIMEOUT_SECONDS)
        db.execute("PRAGMA foreign_keys=ON")
    except sqlite3.DatabaseError as error:
        db.close()
        raise ConfigurationError(f"{path}: cannot open the catalog: {error}") from error
    return db
