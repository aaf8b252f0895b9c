"""The catalog in PostgreSQL: one database that many scholarflow servers share.

Why a second store: one SQLite file serves one person (or one server) well, but a platform
runs many servers behind a load balancer, and they cannot share a file over the network.
PostgreSQL keeps the same interface (`CatalogStore`) with the same identity rules, the same
all-or-nothing imports and the same migrations-by-name; only what an engine does differently
differs here:

- **Connections**: a `psycopg_pool.ConnectionPool`, so one store object serves every thread of
  a server (a pooled connection is borrowed per call), where SQLite needs one per thread.
- **Writers**: every write transaction first takes one transaction-level advisory lock, so
  two processes importing overlapping files run one after the other, as SQLite's
  `BEGIN IMMEDIATE` makes them. The second sees the first's rows (READ COMMITTED reads what
  was committed before each statement), so neither duplicates nor loses a paper. Readers
  never wait: MVCC.
- **Full-text search**: a stored, generated `tsvector` (name A, title and tags B, summary D)
  with a GIN index, ranked by `ts_rank`. As in SQLite, the query's words are OR-ed and only
  the rarest are scored in a large catalog; how many entries hold a word is read from the
  planner's statistics (`pg_stats.most_common_elems`), which ANALYZE keeps and which cost
  nothing to read, instead of a pass over the whole vocabulary.
- **Nearest neighbours**: with the `vector` extension (pgvector), each embedding is also a
  `vector(384)` under an HNSW index and the database answers the query. Without it (the
  extension is not installed on the server, or `CREATE EXTENSION` is refused) each server
  keeps the exact in-memory index the SQLite store uses, rebuilt when `version()` changes.
  `SCHOLARFLOW_VECTOR_INDEX=memory` forces the in-memory index; `=pgvector` makes a missing
  extension an error (exit 4) instead of a fallback.
- **Change detection**: a `catalog_version` counter, bumped in the same transaction as every
  write that changed something, tells a server that its index is stale (SQLite servers stat
  the file instead).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from scholarflow.catalog.base import CatalogStoreBase, UpsertReport, WriteTransaction
from scholarflow.errors import ConfigurationError, InputError
from scholarflow.models import CatalogEntry
from scholarflow.progress import ProgressCallback
from scholarflow.sqlite_schema import utc_now

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

VECTOR_DIMENSION = 384  # all-MiniLM-L6-v2; the HNSW index needs a fixed dimension
VECTOR_INDEX_ENV = "SCHOLARFLOW_VECTOR_INDEX"
VectorIndex = Literal["pgvector", "memory"]

_WRITE_LOCK = 0x5C40_1A7A  # the advisory lock every catalog write transaction holds
_CONNECT_TIMEOUT_SECONDS = 5
_POOL_SIZE = 8  # connections per process at most: a server's worker threads share them
_ANALYZE_AFTER = 1000  # rows written by one call before the planner's statistics are renewed
# ts_rank's weights for D, C, B, A: summary 1, tags and title 2, name 4 (as SQLite's bm25).
_RANK_WEIGHTS = "{0.25, 0.5, 0.5, 1.0}"

log = logging.getLogger("scholarflow.catalog")


def display_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:
        return re.sub(r"(://[^:/@]*):[^@]*@", r"\1@", url)  # at least no password
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{host}{port}/{parts.get('dbname', '')}"


# --------------------------------------------------------------------------- migrations


def _m001_entries(db: psycopg.Connection[Any]) -> None:
    db.execute(
        """
        CREATE TABLE entries (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
    db.execute("CREATE INDEX entries_title_key ON entries (title_key)")
    db.execute('CREATE INDEX entries_id_c ON entries (id COLLATE "C")')
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("CREATE TABLE removed_builtins (id TEXT PRIMARY KEY)")
    db.execute(
        "CREATE TABLE catalog_version (one INTEGER PRIMARY KEY CHECK (one = 1), "
        "version BIGINT NOT NULL)"
    )
    db.execute("INSERT INTO catalog_version (one, version) VALUES (1, 0)")


def _m002_entries_fts(db: psycopg.Connection[Any]) -> None:
    # Stored and generated: the index can never disagree with the row it was made from.
    db.execute(
        """
        ALTER TABLE entries ADD COLUMN fts tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', name), 'A')
            || setweight(to_tsvector('english', title), 'B')
            || setweight(to_tsvector('english', tags), 'B')
            || setweight(to_tsvector('english', coalesce(summary, '')), 'D')
        ) STORED
        """
    )
    db.execute("CREATE INDEX entries_fts ON entries USING gin (fts)")


def _m003_embeddings(db: psycopg.Connection[Any]) -> None:
    # The float32 bytes are the record (copied, exported, loaded into memory); the pgvector
    # column, where the extension exists, is an index of them.
    db.execute(
        """
        CREATE TABLE embeddings (
            entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dim INTEGER NOT NULL,
            vector BYTEA NOT NULL,
            PRIMARY KEY (entry_id, model)
        )
        """
    )


MIGRATIONS = (_m001_entries, _m002_entries_fts, _m003_embeddings)


# --------------------------------------------------------------------------- the store


class PostgresCatalogStore(CatalogStoreBase["psycopg.Connection[Any]"]):
    """The catalog in a PostgreSQL database named by a `postgresql://` URL.

    Opening connects (exit 4 with the server's reason when it cannot), applies the
    migrations not yet recorded, seeds the built-in entries like the SQLite store, and
    decides how nearest neighbours are searched (see the module docstring). Safe to share
    between threads.
    """

    _PARAMETER = "%s"  # psycopg's marker, for the shared statements of `CatalogStoreBase`

    def __init__(
        self, url: str, *, pool_size: int = _POOL_SIZE, vector_index: str | None = None
    ) -> None:
        self.url = url
        self.path = display_url(url)  # what messages name, as SQLite's file path
        wanted = (vector_index or os.environ.get(VECTOR_INDEX_ENV, "") or "auto").strip()
        if wanted not in ("auto", "pgvector", "memory"):
            raise InputError(f"{VECTOR_INDEX_ENV}={wanted!r}: use 'auto', 'pgvector' or 'memory'")
        self._pool = _open_pool(url, self.path, pool_size)
        self._frequencies: tuple[int, dict[str, int], int] | None = None
        try:
            self._migrate()
            self.vector_index: VectorIndex = self._prepare_vectors(wanted)
            self._seed_builtins()
        except BaseException:
            self._pool.close()
            raise

    # -- the engine's primitives

    def close(self) -> None:
        """Close every pooled connection. Safe to call twice."""
        self._pool.close()

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection[Any]]:
        with _translated(self.path), self._pool.connection() as db:
            yield db

    @contextmanager
    def _writing(self) -> Iterator[WriteTransaction[psycopg.Connection[Any]]]:
        """One transaction under the catalog's write lock; if it `changed` the catalog, the
        version other processes watch is bumped in the same transaction."""
        with _translated(self.path), self._pool.connection() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))
            write = WriteTransaction(db)
            yield write
            if write.changed:
                db.execute("UPDATE catalog_version SET version = version + 1")

    def _execute_many(
        self, db: psycopg.Connection[Any], statement: str, rows: Iterable[Sequence[object]]
    ) -> None:
        with db.cursor() as cursor:
            cursor.executemany(statement, rows)

    def _copy_vectors(
        self, db: psycopg.Connection[Any], model: str, rows: Sequence[tuple[str, str, bytes, int]]
    ) -> None:
        _store_vectors(db, model, rows, pgvector=self.vector_index == "pgvector")

    def _ids_from(self, prefix: str, limit: int | None) -> list[str]:
        # COLLATE "C": byte order, whatever the database's locale, so the range is a prefix.
        with self._reading() as db:
            rows = db.execute(
                'SELECT id FROM entries WHERE id COLLATE "C" >= %s AND id COLLATE "C" < %s '
                'ORDER BY length(id), id COLLATE "C" LIMIT %s',
                (prefix, prefix + "\U0010ffff", limit),
            )
            return [row["id"] for row in rows]

    # -- reading

    def version(self) -> int:
        """A number that grows with every write that changed the catalog, from any process."""
        with self._reading() as db:
            return int(db.execute("SELECT version FROM catalog_version").fetchone()["version"])

    # -- writing

    def upsert_many(
        self,
        entries: Iterable[CatalogEntry],
        *,
        on_progress: ProgressCallback | None = None,
        keep_builtins: bool = False,
    ) -> UpsertReport:
        """Add or update entries by key in one transaction (see `CatalogStoreBase`); a large
        import renews the planner's statistics, which `search_text` reads."""
        report = super().upsert_many(entries, on_progress=on_progress, keep_builtins=keep_builtins)
        if report.added + report.updated >= _ANALYZE_AFTER:
            self._analyze()
        return report

    def replace_contents(
        self,
        entries: Iterable[CatalogEntry],
        removed_builtins: Iterable[str],
        vectors: dict[str, Sequence[tuple[str, str, bytes, int]]],
    ) -> None:
        """What `catalog copy` writes (see `CatalogStoreBase`), then fresh statistics."""
        super().replace_contents(entries, removed_builtins, vectors)
        self._analyze()

    # -- search

    def _rank_text(self, terms: list[str], limit: int) -> list[tuple[str, float]]:
        """Entry ids ranked like BM25 over name, title, tags and summary; best first.

        `ts_rank` alone knows no inverse document frequency, so "phone video frame" would
        rank the entry that says "video" most above the one entry about phones. Each word is
        therefore ranked on its own and weighted by BM25's idf, counted exactly from the GIN
        index (cheap: in a large catalog only words within `SCORED_ROWS_BUDGET` rows are
        kept). Each word is a plain lexeme (`plainto_tsquery`), never tsquery syntax.
        """
        _, total = self._document_frequencies()
        with self._reading() as db:
            rows = db.execute(_SEARCH_SQL, (terms, max(total, 1), limit)).fetchall()
        return [(row["id"], float(row["rank"])) for row in rows]

    def _stems(self, words: list[str]) -> dict[str, str]:
        """Each word as the English text search configuration indexes it (its lexemes)."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT word, coalesce((SELECT string_agg(lexeme, ' ') "
                "FROM unnest(to_tsvector('english', word))), '') AS stem "
                "FROM unnest(%s::text[]) AS word",
                (words,),
            ).fetchall()
        return {row["word"]: row["stem"] for row in rows}

    def _document_frequencies(self) -> tuple[dict[str, int], int]:
        """lexeme -> estimated entries holding it, for the common lexemes, and the count.

        From ANALYZE's sample (`most_common_elems`): words absent from it are rare enough to
        score. Kept until the catalog's version changes.
        """
        version = self.version()
        if self._frequencies is None or self._frequencies[0] != version:
            with self._reading() as db:
                total = int(db.execute("SELECT count(*) AS n FROM entries").fetchone()["n"])
                row = db.execute(
                    "SELECT most_common_elems::text::text[] AS elems, "
                    "most_common_elem_freqs AS freqs FROM pg_stats "
                    "WHERE tablename = 'entries' AND attname = 'fts' "
                    "AND schemaname = current_schema()"
                ).fetchone()
            frequencies: dict[str, int] = {}
            if row and row["elems"]:
                for lexeme, share in zip(row["elems"], row["freqs"], strict=False):
                    frequencies[lexeme] = round(share * total)
            self._frequencies = (version, frequencies, total)
        return self._frequencies[1], self._frequencies[2]

    def _analyze(self) -> None:
        with self._reading() as db:
            db.execute("ANALYZE entries")
        self._frequencies = None

    def rebuild_text_index(self) -> None:
        """Rebuild the full-text index and renew the statistics `search_text` reads."""
        with self._reading() as db:
            db.execute("REINDEX INDEX entries_fts")
        self._analyze()

    # -- embeddings

    def put_embeddings(self, model: str, rows: Sequence[tuple[str, str, bytes, int]]) -> None:
        """Store (entry id, text hash, float32 bytes, dim) rows, all or none."""
        for entry_id, _, blob, dim in rows:
            if len(blob) != dim * 4:
                raise ValueError(
                    f"embedding for {entry_id!r}: {len(blob)} bytes is not {dim} float32 values"
                )
        if not rows:
            return
        with self._writing() as write:
            wanted = [row[0] for row in rows]
            found = {
                row["id"]
                for row in write.db.execute(
                    "SELECT id FROM entries WHERE id = ANY(%s)", (wanted,)
                ).fetchall()
            }
            missing = [entry_id for entry_id in wanted if entry_id not in found]
            if missing:
                raise ValueError(f"no catalog entry {missing[0]!r} to attach an embedding to")
            _store_vectors(write.db, model, rows, pgvector=self.vector_index == "pgvector")
            write.changed = True

    def nearest(self, model: str, query: Sequence[float], limit: int) -> list[tuple[str, float]]:
        """The `limit` entries whose vectors are closest to `query` by cosine, best first.

        Only with pgvector (HNSW, approximate: `ef_search` is set to at least twice the
        limit so that the list is full and its order close to exact).
        """
        if self.vector_index != "pgvector":
            raise RuntimeError("nearest() needs the vector extension; use the in-memory index")
        literal = _vector_literal(query)
        with self._reading() as db, db.transaction():
            db.execute(f"SET LOCAL hnsw.ef_search = {max(100, 2 * int(limit))}")
            rows = db.execute(
                "SELECT entry_id, 1 - (embedding <=> %s::vector) AS score FROM embeddings "
                "WHERE model = %s AND embedding IS NOT NULL "
                "ORDER BY embedding <=> %s::vector LIMIT %s",
                (literal, model, literal, limit),
            ).fetchall()
        return [(row["entry_id"], float(row["score"])) for row in rows]

    # -- internals

    def _migrate(self) -> None:
        """Apply the migrations not yet recorded. The common case (all applied) is a read:
        opening a catalog must not wait for another process's import to finish."""
        with self._reading() as db:
            if db.execute("SELECT to_regclass('_migrations') AS t").fetchone()["t"] is not None:
                applied = {row["name"] for row in db.execute("SELECT name FROM _migrations")}
                if all(step.__name__.lstrip("_") in applied for step in MIGRATIONS):
                    return
        with self._writing() as write:
            db = write.db
            db.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
            )
            applied = {row["name"] for row in db.execute("SELECT name FROM _migrations")}
            for step in MIGRATIONS:
                name = step.__name__.lstrip("_")
                if name not in applied:
                    step(db)
                    db.execute(
                        "INSERT INTO _migrations (name, applied_at) VALUES (%s, %s)",
                        (name, utc_now()),
                    )

    def _prepare_vectors(self, wanted: str) -> VectorIndex:
        """pgvector if wanted and installable here, else the in-memory index (see module)."""
        if wanted == "memory":
            return "memory"
        with self._reading() as db:  # the common cases decided without the write lock
            available = db.execute(
                "SELECT installed_version IS NOT NULL AS installed FROM pg_available_extensions "
                "WHERE name = 'vector'"
            ).fetchone()
            ready = (
                available is not None
                and available["installed"]
                and db.execute(_HAS_VECTOR_COLUMN).fetchone()
            )
        if ready:
            return "pgvector"
        if available is None:
            reason = "the extension is not installed on the server"
            if wanted == "pgvector":
                raise ConfigurationError(
                    f"{self.path}: {VECTOR_INDEX_ENV}=pgvector but the vector extension "
                    f"cannot be created: {reason}"
                )
            log.info("%s: no vector extension (%s); exact in-memory index", self.path, reason)
            return "memory"
        with self._writing() as write:
            db = write.db
            present = db.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone()
            if present is None:
                try:
                    with db.transaction():  # a savepoint: a refusal leaves the rest intact
                        db.execute("CREATE EXTENSION IF NOT EXISTS vector")
                except Exception as error:
                    reason = str(error).strip().splitlines()[0]
                    if wanted == "pgvector":
                        raise ConfigurationError(
                            f"{self.path}: {VECTOR_INDEX_ENV}=pgvector but the vector "
                            f"extension cannot be created: {reason}"
                        ) from None
                    log.info(
                        "%s: no vector extension (%s); exact in-memory index", self.path, reason
                    )
                    return "memory"
            has_column = db.execute(_HAS_VECTOR_COLUMN).fetchone()
            if has_column is None:
                db.execute(
                    f"ALTER TABLE embeddings ADD COLUMN embedding vector({VECTOR_DIMENSION})"
                )
                db.execute(
                    "CREATE INDEX embeddings_hnsw ON embeddings "
                    "USING hnsw (embedding vector_cosine_ops)"
                )
                # Vectors stored before the extension existed join the index now.
                rows = db.execute(
                    "SELECT entry_id, model, text_hash, dim, vector FROM embeddings WHERE dim = %s",
                    (VECTOR_DIMENSION,),
                ).fetchall()
                with db.cursor() as cursor:
                    cursor.executemany(
                        "UPDATE embeddings SET embedding = %s::vector "
                        "WHERE entry_id = %s AND model = %s",
                        [
                            (_blob_literal(row["vector"]), row["entry_id"], row["model"])
                            for row in rows
                        ],
                    )
        return "pgvector"


# --------------------------------------------------------------------------- helpers


def _open_pool(url: str, shown: str, size: int) -> ConnectionPool:
    """A pool whose first connection has been made, or one clear error."""
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool
    except ImportError as error:
        raise ConfigurationError(
            f"a postgresql:// catalog needs psycopg and psycopg_pool ({error.name} is missing): "
            "pip install 'psycopg[binary]' psycopg_pool"
        ) from None
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError as error:
        raise InputError(f"{shown}: not a PostgreSQL URL: {_first_line(error)}") from None
    port = str(parts.get("port") or "")
    if port and not all(part.isdigit() for part in port.split(",")):
        raise InputError(f"{shown}: not a PostgreSQL URL: the port {port!r} is not a number")
    try:  # one direct attempt first: the pool would only say that it timed out
        psycopg.connect(url, connect_timeout=_CONNECT_TIMEOUT_SECONDS).close()
    except psycopg.Error as error:
        raise ConfigurationError(f"{shown}: cannot connect: {_first_line(error)}") from None
    pool: ConnectionPool = ConnectionPool(
        url,
        min_size=1,
        max_size=max(1, size),
        kwargs={"row_factory": dict_row, "connect_timeout": _CONNECT_TIMEOUT_SECONDS},
        open=False,
        name="scholarflow-catalog",
    )
    pool.open(wait=True, timeout=2 * _CONNECT_TIMEOUT_SECONDS)
    return pool


def _first_line(error: BaseException) -> str:
    text = " ".join(str(error).split("\n")[:2]).strip()
    return " ".join(text.split()) or type(error).__name__


@contextmanager
def _translated(shown: str) -> Iterator[None]:
    """Lost connections and server errors become one line (exit 4), not a traceback."""
    import psycopg
    from psycopg_pool import PoolTimeout

    try:
        yield
    except (psycopg.OperationalError, PoolTimeout) as error:
        raise ConfigurationError(f"{shown}: {_first_line(error)}") from None
    except psycopg.errors.UndefinedTable as error:
        raise ConfigurationError(
            f"{shown}: the catalog schema is missing: {_first_line(error)}"
        ) from None


_HAS_VECTOR_COLUMN = (
    "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
    "AND table_name = 'embeddings' AND column_name = 'embedding'"
)

# Parameters: the query words, the number of entries, the limit.
_SEARCH_SQL = f"""
WITH terms AS MATERIALIZED (  -- each count once, not once per matching row
    SELECT query, (SELECT count(*) FROM entries WHERE fts @@ query) AS df
    FROM unnest(%s::text[]) AS word, plainto_tsquery('english', word) AS query
    WHERE numnode(query) > 0
),
scored AS (
    SELECT entries.seq, entries.id,
           sum(ln(1 + (%s - terms.df + 0.5) / (terms.df + 0.5))
               * ts_rank('{_RANK_WEIGHTS}', entries.fts, terms.query)) AS rank
    FROM terms JOIN entries ON entries.fts @@ terms.query
    GROUP BY entries.seq, entries.id
)
SELECT id, rank FROM scored ORDER BY rank DESC, seq LIMIT %s
"""


def _vector_literal(values: Sequence[float] | Any) -> str:
    return "[" + ",".join(repr(float(value)) for value in values) + "]"


def _blob_literal(blob: bytes) -> str:
    import numpy as np

    return _vector_literal(np.frombuffer(blob, dtype="<f4").tolist())


def _store_vectors(
    db: psycopg.Connection[Any],
    model: str,
    rows: Sequence[tuple[str, str, bytes, int]],
    *,
    pgvector: bool,
) -> None:
    with db.cursor() as cursor:
        if pgvector:
            cursor.executemany(
                """
                INSERT INTO embeddings (entry_id, model, text_hash, dim, vector, embedding)
                VALUES (%s, %s, %s, %s, %s, %s::vector)
                ON CONFLICT (entry_id, model) DO UPDATE SET text_hash = excluded.text_hash,
                    dim = excluded.dim, vector = excluded.vector, embedding = excluded.embedding
                """,
                [
                    (
                        entry_id,
                        model,
                        digest,
                        dim,
                        blob,
                        _blob_literal(blob) if dim == VECTOR_DIMENSION else None,
                    )
                    for entry_id, digest, blob, dim in rows
                ],
            )
        else:
            cursor.executemany(
                """
                INSERT INTO embeddings (entry_id, model, text_hash, dim, vector)
                VALUES (%s, %s, %s, %s, %s)
                ON CONFLICT (entry_id, model) DO UPDATE SET text_hash = excluded.text_hash,
                    dim = excluded.dim, vector = excluded.vector
                """,
                [(entry_id, model, digest, dim, blob) for entry_id, digest, blob, dim in rows],
            )
