"""The catalog's storage: one SQLite file, keyed by entry id, searched with FTS5 BM25.

Why SQLite: the catalog is a few thousand to a few hundred thousand rows that one user (or one
server) reads far more often than it writes; a single file needs no service, survives a killed
process (every import is one transaction, and WAL mode keeps readers off the writer's back),
and ships FTS5 for keyword search. Embeddings sit beside the entries as float32 blobs so that a
re-embed is needed only for rows whose text changed.

Identity: an entry is the same paper as another when they share an arXiv id, or, when either
lacks one, the same normalised title (`squash`). The `key` column holds that identity
("arxiv:2409.02095" or "title:depthcrafter…") and is unique; an upsert with a known key updates
the row in place and keeps its id, so ids that users and embeddings refer to never move.

The schema evolves through an ordered list of migration functions recorded in `_migrations`,
the way Simon Willison's `llm` does it: each runs once, in order, in the same transaction as
its record, so a half-applied migration cannot exist.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import sqlite3
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Literal, Protocol, Self

import platformdirs

from scholarflow.catalog import arxiv_id, builtin_entries
from scholarflow.errors import ConfigurationError
from scholarflow.models import CatalogEntry, Provenance, Signature
from scholarflow.progress import ProgressCallback
from scholarflow.sqlite_schema import Migrations, utc_now
from scholarflow.sqlite_schema import apply_migrations as _apply_migrations
from scholarflow.sqlite_schema import transaction as _transaction
from scholarflow.text import near_misses, normalize, squash

# How often (in entries) upsert_many reports progress: often enough for a smooth bar and for a
# caller to notice it is inside the transaction, rarely enough to cost nothing.
_PROGRESS_EVERY = 250
_ENTRIES_PAGE = 500  # rows fetched per query while iterating, so iteration stays lazy
_MAX_QUERY_TERMS = 32  # a pasted paragraph should not become a thousand-term OR
COMMON_TERM_SHARE = 0.2  # a word in more entries than this share is left out of BM25 ...
COMMON_TERM_MIN_ENTRIES = 1000  # ... in catalogs at least this large (small ones are fast)
SCORED_ROWS_BUDGET = 8_000  # about 15 ms of BM25 scoring on this machine
_FUZZY_SCAN_IDS = 10_000  # up to here a "did you mean" compares every id (~0.2 s)
_BUSY_TIMEOUT_SECONDS = 10.0  # another process importing: wait for it rather than fail

Outcome = Literal["added", "updated", "unchanged"]
# What `restore` found: the entry is back, was never gone, is no built-in, or the same paper is
# held by another entry (the user's own, which overrides the built-in).
RestoreOutcome = Literal["restored", "present", "not_builtin", "held"]


# --------------------------------------------------------------------------- identity


def default_catalog_path() -> Path:
    """`$SCHOLARFLOW_HOME/catalog.db`; SCHOLARFLOW_HOME defaults to the user's data dir."""
    home = os.environ.get("SCHOLARFLOW_HOME", "").strip()
    base = Path(home).expanduser() if home else Path(platformdirs.user_data_dir("scholarflow"))
    return base / "catalog.db"


def entry_key(entry: CatalogEntry) -> str:
    """The identity of a paper: its arXiv id when known, else its squashed title."""
    arxiv = entry.arxiv_id or arxiv_id(entry.paper_url)
    if arxiv:
        return f"arxiv:{arxiv}"
    return f"title:{title_key(entry.title)}"


def title_key(title: str) -> str:
    """Letters and digits of the title; falls back to normalised text for symbol-only titles."""
    return squash(title) or normalize(title)


def derive_entry_id(name: str, key: str, *, hex_digits: int = 6) -> str:
    """A stable, readable id for an imported entry: "depthcrafter-3f2a9c".

    The slug lets a person recognise the entry in `catalog list`; the hash of the key keeps two
    papers with the same short name apart, and the same paper on the same id on every import.
    """
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:hex_digits]
    return f"{_slug(name)}-{digest}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:40].rstrip("-") or "entry"


# --------------------------------------------------------------------------- built-ins


@cache
def _builtin_tags() -> dict[str, tuple[str, ...]]:
    # `catalog.builtin_entries()` returns Sources, which have no tags; the TOML has them.
    with resources.files("scholarflow.catalog").joinpath("builtin.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    return {key: tuple(value.get("tags", ())) for key, value in raw.items()}


def builtin_catalog_entries() -> tuple[CatalogEntry, ...]:
    """The built-in entries as catalog rows: builtin=True, arXiv id read from the paper link."""
    tags = _builtin_tags()
    return tuple(
        CatalogEntry(
            id=source.id,
            name=source.name,
            title=source.title,
            kind=source.kind,
            paper_url=source.paper_url,
            github_url=source.github_url,
            project_url=source.project_url,
            summary=source.summary,
            tags=tags.get(source.id, ()),
            tasks=source.tasks,
            signatures=source.signatures,
            arxiv_id=arxiv_id(source.paper_url),
            provenance=source.provenance,
            builtin=True,
        )
        for source in builtin_entries()
    )


def _builtin_version(entries: Sequence[CatalogEntry]) -> str:
    """A hash of the built-in content: a new package version with new facts reseeds itself."""
    payload = json.dumps([_content(entry) for entry in entries], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


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


_now = utc_now


# --------------------------------------------------------------------------- interface


@dataclass(frozen=True, slots=True)
class UpsertReport:
    """What an import did. `ids[i]` is the row the i-th given entry landed in."""

    added: int
    updated: int
    unchanged: int
    ids: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What `restore` did; `holder` is the id of the entry holding the paper when "held"."""

    outcome: RestoreOutcome
    holder: str | None = None


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


class SQLiteCatalogStore:
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

    # -- lifecycle

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

    # -- reading

    def count(self) -> int:
        """How many entries the catalog holds, built-ins included."""
        return int(self._db.execute("SELECT COUNT(*) FROM entries").fetchone()[0])

    def get(self, entry_id: str) -> CatalogEntry | None:
        """The entry with this id, or None."""
        row = self._db.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return _row_to_entry(row) if row else None

    def entries(self) -> Iterator[CatalogEntry]:
        """Every entry in the order it first entered the catalog (built-ins first).

        Pages by rowid, so iterating a large catalog holds no long read and no big list.
        """
        last_seq = -1
        while True:
            rows = self._db.execute(
                "SELECT * FROM entries WHERE seq > ? ORDER BY seq LIMIT ?",
                (last_seq, _ENTRIES_PAGE),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row_to_entry(row)
            last_seq = rows[-1]["seq"]

    def find_by_key(self, key: str) -> CatalogEntry | None:
        """The entry with this identity key ("arxiv:2409.02095" or "title:<squashed title>").

        A "title:" key also finds an entry stored under its arXiv key, since both name the
        same paper.
        """
        row = self._db.execute("SELECT * FROM entries WHERE key = ?", (key,)).fetchone()
        if row is None and key.startswith("title:"):
            row = self._db.execute(
                "SELECT * FROM entries WHERE title_key = ? ORDER BY seq LIMIT 1",
                (key.removeprefix("title:"),),
            ).fetchone()
        return _row_to_entry(row) if row else None

    # -- writing

    def upsert_many(
        self,
        entries: Iterable[CatalogEntry],
        *,
        on_progress: ProgressCallback | None = None,
        keep_builtins: bool = False,
    ) -> UpsertReport:
        """Add or update entries by key, in ONE transaction: an import lands whole or not at all.

        A given field replaces the stored one; a field the entry leaves empty keeps the stored
        value, so importing the same paper from a BibTeX file and an awesome list combines
        them. An entry that changes nothing counts as unchanged and keeps its `imported_at`,
        and a call that changes nothing writes nothing.

        A user's entry with a built-in's key overrides it (the row is no longer built-in), as
        `catalog add` wants. With `keep_builtins` (what imports use) a built-in keeps its kind,
        tags, tasks, signatures, texts and status: a list that mentions DepthCrafter says less
        about it than the built-in entry does. The import may only add links it lacks.
        """
        batch = list(entries)
        outcomes: dict[Outcome, int] = {"added": 0, "updated": 0, "unchanged": 0}
        ids: list[str] = []
        now = _now()
        self._writes += 1
        with _transaction(self._db):
            for done, entry in enumerate(batch, 1):
                outcome, entry_id = self._upsert_one(entry, now, keep_builtins=keep_builtins)
                outcomes[outcome] += 1
                ids.append(entry_id)
                if on_progress is not None and (done % _PROGRESS_EVERY == 0 or done == len(batch)):
                    on_progress(done, len(batch))
        return UpsertReport(
            added=outcomes["added"],
            updated=outcomes["updated"],
            unchanged=outcomes["unchanged"],
            ids=tuple(ids),
        )

    def remove(self, entry_id: str) -> bool:
        """Delete an entry (and its embeddings). A removed built-in never comes back."""
        self._writes += 1
        with _transaction(self._db):
            row = self._db.execute("SELECT builtin FROM entries WHERE id = ?", (entry_id,))
            found = row.fetchone()
            if found is None:
                return False
            self._db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            if found["builtin"] or entry_id in _builtin_ids():
                self._db.execute(
                    "INSERT OR IGNORE INTO removed_builtins (id) VALUES (?)", (entry_id,)
                )
        return True

    def restore(self, entry_id: str) -> RestoreReport:
        """Bring back a built-in entry as the package ships it, undoing `remove`.

        Nothing changes unless the outcome is "restored": an entry already present stays as
        it is (edited or not), and a user's entry for the same paper keeps overriding the
        built-in ("held"), since two rows for one paper cannot exist.
        """
        shipped = {entry.id: entry for entry in builtin_catalog_entries()}.get(entry_id)
        if shipped is None:
            return RestoreReport("not_builtin")
        self._writes += 1
        with _transaction(self._db):
            if self._db.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone():
                return RestoreReport("present")
            holder = self._row_for(shipped)
            if holder is not None:
                return RestoreReport("held", holder["id"])
            self._db.execute("DELETE FROM removed_builtins WHERE id = ?", (entry_id,))
            self._insert(shipped)
        return RestoreReport("restored")

    def removed_builtin_ids(self) -> frozenset[str]:
        """The built-in entries the user removed (and `restore` can bring back)."""
        return frozenset(row[0] for row in self._db.execute("SELECT id FROM removed_builtins"))

    def closest_ids(self, wanted: str, limit: int = 3) -> list[str]:
        """Ids a shortened or mistyped `wanted` may have meant, for a "did you mean" line.

        Ids that start with it, if any (a range over the index of `id`); else the close
        spellings of `text.near_misses`. That comparison costs ~20 µs an id, so a catalog of
        more than `_FUZZY_SCAN_IDS` is searched only among ids that share the first two
        characters: a typo there goes without a suggestion rather than a wait of seconds.
        """
        typed = wanted.strip().lower()
        if not typed or limit <= 0:
            return []
        prefixed = self._ids_from(typed, limit)
        if prefixed:
            return prefixed
        if self.count() <= _FUZZY_SCAN_IDS:
            pool = [row[0] for row in self._db.execute("SELECT id FROM entries")]
        else:
            pool = self._ids_from(typed[:2], None)
        return near_misses(typed, pool, limit)

    def _ids_from(self, prefix: str, limit: int | None) -> list[str]:
        """Ids that start with `prefix`, shortest first; the prefix is data, never LIKE syntax."""
        rows = self._db.execute(
            "SELECT id FROM entries WHERE id >= ? AND id < ? ORDER BY length(id), id LIMIT ?",
            (prefix, prefix + "\U0010ffff", -1 if limit is None else limit),
        )
        return [row[0] for row in rows]

    # -- search

    def search_text(self, query: str, limit: int = 20) -> list[tuple[str, float]]:
        """Entry ids ranked by BM25 over name, title, summary and tags; higher score is better.

        The query is never handed to FTS5 as syntax: it is cut into words, and the words are
        OR-ed as quoted terms, so quotes, hyphens, colons or "NEAR(" in user text cannot raise.

        In a large catalog only the rarest words are scored (see `_informative`): FTS5 must
        score every row that holds a query word (130 ms for a word in 70k of 100k entries),
        while common words add almost nothing to BM25. The question's meaning still reaches
        the ranking through the dense search.
        """
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        terms = self._informative(terms)
        if not terms:
            return []
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

    def _informative(self, terms: list[str]) -> list[str]:
        """The query words worth scoring, rarest first, within a budget of rows to score.

        FTS5 scores every row that holds any query word, so a query's cost is the sum of
        its words' document counts. In a large catalog the rarest words, which also carry
        the most BM25 weight, are kept until that sum would pass `SCORED_ROWS_BUDGET`; words
        in more than `COMMON_TERM_SHARE` of the entries are never kept.
        """
        frequencies, total = self._document_frequencies()
        if total < COMMON_TERM_MIN_ENTRIES:
            return terms
        stems = self._stems(terms)
        counted = sorted(
            ((frequencies.get(stems.get(term, term), 0), term) for term in terms),
            key=lambda pair: pair[0],
        )
        kept: list[str] = []
        rows = 0
        for count, term in counted:
            if count > COMMON_TERM_SHARE * total or (kept and rows + count > SCORED_ROWS_BUDGET):
                break
            kept.append(term)
            rows += count
        return kept

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

    def get_embeddings(self, model: str) -> dict[str, tuple[str, bytes]]:
        """entry id -> (hash of the embedded text, float32 vector bytes) for one model."""
        rows = self._db.execute(
            "SELECT entry_id, text_hash, vector FROM embeddings WHERE model = ?", (model,)
        )
        return {row["entry_id"]: (row["text_hash"], bytes(row["vector"])) for row in rows}

    def embedding_hashes(self, model: str) -> dict[str, str]:
        """entry id -> hash of the embedded text for one model: what tells a stale vector,
        without reading the vectors themselves."""
        rows = self._db.execute(
            "SELECT entry_id, text_hash FROM embeddings WHERE model = ?", (model,)
        )
        return {row["entry_id"]: row["text_hash"] for row in rows}

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

    def embedding_models(self) -> list[str]:
        """The models that have vectors stored, for `catalog copy`."""
        rows = self._db.execute("SELECT DISTINCT model FROM embeddings ORDER BY model")
        return [row[0] for row in rows]

    def replace_contents(
        self,
        entries: Iterable[CatalogEntry],
        removed_builtins: Iterable[str],
        vectors: dict[str, Sequence[tuple[str, str, bytes, int]]],
    ) -> None:
        """Make this catalog hold exactly these entries (ids, order, dates kept), removed
        built-ins and vectors, in one transaction: what `catalog copy` writes."""
        self._writes += 1
        with _transaction(self._db):
            self._db.execute("DELETE FROM embeddings")
            self._db.execute("DELETE FROM entries")
            self._db.execute("DELETE FROM removed_builtins")
            for entry in entries:
                self._insert(entry)
            self._db.executemany(
                "INSERT INTO removed_builtins (id) VALUES (?)",
                [(entry_id,) for entry_id in removed_builtins],
            )
            for model, rows in vectors.items():
                self._db.executemany(
                    "INSERT INTO embeddings (entry_id, model, text_hash, dim, vector) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [(entry_id, model, digest, dim, blob) for entry_id, digest, blob, dim in rows],
                )
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('builtin_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (_builtin_version(builtin_catalog_entries()),),
            )

    def rebuild_text_index(self) -> None:
        """Rebuild the full-text index from the entries, then merge its segments.

        The triggers keep the index in step with every write, so this is for `catalog
        reindex`: a file copied in from elsewhere, or an index grown out of many small imports.
        """
        self._writes += 1
        with _transaction(self._db):
            self._db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")
            self._db.execute("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')")

    # -- internals

    def _upsert_one(
        self, entry: CatalogEntry, now: str, *, keep_builtins: bool = False
    ) -> tuple[Outcome, str]:
        if not entry.title.strip():
            raise ValueError(f"catalog entry {entry.id or entry.name!r} has no title")
        incoming = _with_arxiv_id(entry)
        row = self._row_for(incoming)
        if row is None:
            entry_id = self._free_id(incoming, entry_key(incoming))
            imported_at = incoming.imported_at or (None if incoming.builtin else now)
            self._insert(incoming.model_copy(update={"id": entry_id, "imported_at": imported_at}))
            return "added", entry_id
        current = _row_to_entry(row)
        if keep_builtins and current.builtin:
            merged = _with_missing_links(current, incoming)
        else:
            merged = _merge(current, incoming)
        if _content(merged) == _content(current):
            return "unchanged", current.id
        self._update(merged.model_copy(update={"imported_at": now}))
        return "updated", current.id

    def _row_for(self, entry: CatalogEntry) -> sqlite3.Row | None:
        """The stored row for the same paper: same arXiv id, else same title where either
        side has no arXiv id (two versions with different ids stay apart)."""
        if entry.arxiv_id:
            row = self._db.execute(
                "SELECT * FROM entries WHERE key = ?", (f"arxiv:{entry.arxiv_id}",)
            ).fetchone()
            if row is not None:
                return row
        condition = "" if entry.arxiv_id is None else "AND arxiv_id IS NULL"
        row = self._db.execute(
            f"SELECT * FROM entries WHERE title_key = ? {condition} ORDER BY seq LIMIT 1",
            (title_key(entry.title),),
        ).fetchone()
        return row

    def _free_id(self, entry: CatalogEntry, key: str) -> str:
        """The entry's own id if free, else a derived one, lengthening the hash on collision."""
        own = [entry.id] if entry.id else []
        derived = (derive_entry_id(entry.name, key, hex_digits=n) for n in range(6, 65, 2))
        for candidate in itertools.chain(own, derived):
            if not self._db.execute("SELECT 1 FROM entries WHERE id = ?", (candidate,)).fetchone():
                return candidate
        raise RuntimeError(f"no free id for catalog entry {key!r}")  # 2**256 collisions

    def _insert(self, entry: CatalogEntry) -> None:
        values = _row_values(entry)
        columns = ", ".join(values)
        placeholders = ", ".join(f":{column}" for column in values)
        self._db.execute(f"INSERT INTO entries ({columns}) VALUES ({placeholders})", values)

    def _update(self, entry: CatalogEntry) -> None:
        values = _row_values(entry)
        assignments = ", ".join(f"{column} = :{column}" for column in values if column != "id")
        self._db.execute(f"UPDATE entries SET {assignments} WHERE id = :id", values)

    def _seed_builtins(self) -> None:
        """Load the built-in entries once per version of them, sparing removed and overridden
        ones; only rows still marked built-in are refreshed."""
        builtins = builtin_catalog_entries()
        version = _builtin_version(builtins)
        if self._meta("builtin_version") == version:
            return
        with _transaction(self._db):
            if self._meta("builtin_version") == version:  # another process seeded meanwhile
                return
            removed = {row[0] for row in self._db.execute("SELECT id FROM removed_builtins")}
            for entry in builtins:
                if entry.id not in removed:
                    self._seed_one(entry)
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('builtin_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (version,),
            )

    def _seed_one(self, entry: CatalogEntry) -> None:
        row = self._db.execute("SELECT * FROM entries WHERE id = ?", (entry.id,)).fetchone()
        if row is not None:
            # A newer package refreshes its built-in, keeping the links an import added.
            refreshed = _with_missing_links(entry, _row_to_entry(row))
            if row["builtin"] and _content(_row_to_entry(row)) != _content(refreshed):
                self._update(refreshed)
            return
        if self._row_for(entry) is None:  # a user entry for the same paper wins
            self._insert(entry)

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None


# --------------------------------------------------------------------------- rows


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
        db.row_factory = sqlite3.Row
        if not in_memory:
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA foreign_keys=ON")
    except (OSError, sqlite3.DatabaseError) as error:
        raise ConfigurationError(f"{path}: cannot open the catalog: {error}") from error
    return db


@cache
def _builtin_ids() -> frozenset[str]:
    return frozenset(source.id for source in builtin_entries())


def _with_arxiv_id(entry: CatalogEntry) -> CatalogEntry:
    if entry.arxiv_id or not entry.paper_url:
        return entry
    found = arxiv_id(entry.paper_url)
    return entry.model_copy(update={"arxiv_id": found}) if found else entry


_MERGED_FIELDS = (
    "name",
    "title",
    "kind",
    "paper_url",
    "github_url",
    "project_url",
    "summary",
    "tags",
    "tasks",
    "signatures",
    "arxiv_id",
)


def _merge(current: CatalogEntry, incoming: CatalogEntry) -> CatalogEntry:
    """The incoming entry's given fields over the stored ones; the id and seq stay."""
    update: dict[str, object] = {
        field: getattr(incoming, field) for field in _MERGED_FIELDS if getattr(incoming, field)
    }
    update["provenance"] = incoming.provenance
    update["builtin"] = incoming.builtin
    return current.model_copy(update=update)


_LINK_FIELDS = ("paper_url", "github_url", "project_url")


def _with_missing_links(current: CatalogEntry, incoming: CatalogEntry) -> CatalogEntry:
    """`current` with the links it lacks taken from `incoming`; nothing else changes."""
    update = {
        field: getattr(incoming, field)
        for field in _LINK_FIELDS
        if getattr(incoming, field) and not getattr(current, field)
    }
    return current.model_copy(update=update) if update else current


def _content(entry: CatalogEntry) -> dict[str, object]:
    """What makes two versions of an entry different (not where or when it came from)."""
    values = _row_values(entry)
    for bookkeeping in ("id", "origin", "line", "imported_at"):
        values.pop(bookkeeping)
    return values


def _row_values(entry: CatalogEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "key": entry_key(entry),
        "title_key": title_key(entry.title),
        "name": entry.name,
        "title": entry.title,
        "kind": entry.kind,
        "paper_url": entry.paper_url,
        "github_url": entry.github_url,
        "project_url": entry.project_url,
        "summary": entry.summary,
        "tags": _json(list(entry.tags)),
        "tasks": _json(list(entry.tasks)),
        "signatures": _json([signature.model_dump() for signature in entry.signatures]),
        "arxiv_id": entry.arxiv_id,
        "origin": entry.provenance.origin,
        "line": entry.provenance.line,
        "imported_at": entry.imported_at,
        "builtin": int(entry.builtin),
    }


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _row_to_entry(row: sqlite3.Row) -> CatalogEntry:
    return CatalogEntry(
        id=row["id"],
        name=row["name"],
        title=row["title"],
        kind=row["kind"],
        paper_url=row["paper_url"],
        github_url=row["github_url"],
        project_url=row["project_url"],
        summary=row["summary"],
        tags=tuple(json.loads(row["tags"])),
        tasks=tuple(json.loads(row["tasks"])),
        signatures=tuple(Signature(**signature) for signature in json.loads(row["signatures"])),
        arxiv_id=row["arxiv_id"],
        provenance=Provenance(origin=row["origin"], line=row["line"]),
        imported_at=row["imported_at"],
        builtin=bool(row["builtin"]),
    )


# Words that say nothing about a topic. Left in, "how do I …" matches nearly every entry and
# BM25 has to score the whole catalog: at 100k entries that is most of a query's time.
_STOPWORDS = frozenset(
    "a an and any are as at be been but by can could did do does for from get got had has have "
    "how i if in into is it its it's just like made make makes me my of on one or so such that "
    "the their them then there these they this those to too turn turned was we were what when "
    "where which while who why will with without would you your".split()
)


def query_terms(query: str) -> list[str]:
    """The topical words of a query, lower-cased and de-duplicated, safe to quote for FTS5."""
    words = [w for w in re.findall(r"\w+", normalize(query)) if w not in _STOPWORDS]
    return list(dict.fromkeys(words))[:_MAX_QUERY_TERMS]
