"""What every catalog store shares, whatever database holds it (SQLite, PostgreSQL).

Identity: an entry is the same paper as another when they share an arXiv id, or, when either
lacks one, the same normalised title (`squash`). The `key` column holds that identity
("arxiv:2409.02095" or "title:depthcrafter…") and is unique; an upsert with a known key updates
the row in place and keeps its id, so ids that users and embeddings refer to never move.

Why one base class: the rules of a catalog (how an import merges into the stored rows, how
the built-in entries are seeded, removed and restored, which query words are worth scoring,
how a mistyped id finds its "did you mean") are the same in every engine, and a rule written
twice drifts. `CatalogStoreBase` writes them once over a few primitives that each store
supplies: a connection to read on, a write transaction, how its driver marks a parameter,
and its own full-text ranking. The stores keep only what their engine does differently.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Generic, Literal, Protocol, Self, TypeVar

from scholarflow import data_files
from scholarflow.catalog import arxiv_id, builtin_entries
from scholarflow.models import CatalogEntry, Provenance, Signature
from scholarflow.progress import ProgressCallback
from scholarflow.sqlite_schema import utc_now
from scholarflow.text import near_misses, normalize, squash

# How often (in entries) upsert_many reports progress: often enough for a smooth bar and for a
# caller to notice it is inside the transaction, rarely enough to cost nothing.
_PROGRESS_EVERY = 250
_ENTRIES_PAGE = 500  # rows fetched per query while iterating, so iteration stays lazy
_MAX_QUERY_TERMS = 32  # a pasted paragraph should not become a thousand-term OR
COMMON_TERM_SHARE = 0.2  # a word in more entries than this share is left out of the ranking ...
COMMON_TERM_MIN_ENTRIES = 1000  # ... in catalogs at least this large (small ones are fast)
SCORED_ROWS_BUDGET = 8_000  # about 15 ms of BM25 scoring on this machine
_FUZZY_SCAN_IDS = 10_000  # up to here a "did you mean" compares every id (~0.2 s)

Outcome = Literal["added", "updated", "unchanged"]
# What `restore` found: the entry is back, was never gone, is no built-in, or the same paper is
# held by another entry (the user's own, which overrides the built-in).
RestoreOutcome = Literal["restored", "present", "not_builtin", "held"]

# The columns of `entries` that make an entry, in the order `_row_values` gives them; `seq`
# (the order of arrival) and the engines' own full-text columns are not read back.
_ENTRY_COLUMNS = tuple(
    "id key title_key name title kind paper_url github_url project_url summary "
    "tags tasks signatures arxiv_id origin line imported_at builtin".split()
)
_COLUMNS = ", ".join(_ENTRY_COLUMNS)


# --------------------------------------------------------------------------- identity


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
    raw = data_files.load_toml("scholarflow.catalog", "builtin.toml")
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


@cache
def _builtin_ids() -> frozenset[str]:
    return frozenset(source.id for source in builtin_entries())


# --------------------------------------------------------------------------- reports


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


# --------------------------------------------------------------------------- the engines' part


class Row(Protocol):
    """A fetched row read by column name: `sqlite3.Row` and psycopg's `dict_row` both are."""

    def __getitem__(self, column: str, /) -> Any: ...


class Cursor(Protocol):
    """The result of `Connection.execute`, as sqlite3 and psycopg both return it."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The one call the shared code makes on a DB-API connection (sqlite3's or psycopg's)."""

    def execute(self, query: Any, params: Any = ..., /) -> Cursor: ...


# The engine's own connection type (sqlite3's, psycopg's), so that its store's primitives may
# use what only that driver has (executemany, cursors, savepoints).
ConnectionT = TypeVar("ConnectionT", bound=Connection)


class WriteTransaction(Generic[ConnectionT]):
    """The connection of one write transaction, and whether it changed the catalog.

    `changed` is what a store that tells other processes about changes (PostgreSQL's
    `catalog_version`) reads when the transaction ends; SQLite's file needs no such word.
    """

    def __init__(self, db: ConnectionT) -> None:
        self.db = db
        self.changed = False


class CatalogStoreBase(ABC, Generic[ConnectionT]):
    """The `CatalogStore` rules written once; a subclass supplies the engine's primitives.

    Shared statements are written with SQLite's "?" parameter marker and run through
    `_execute`, which puts the engine's `_PARAMETER` in its place; none of them holds a
    literal "?" or "%", so the replacement cannot touch anything but a marker.
    """

    path: str | Path
    _PARAMETER: ClassVar[str] = "?"

    # -- what each engine supplies

    @abstractmethod
    def close(self) -> None:
        """Release the database. Safe to call twice."""

    @abstractmethod
    def _reading(self) -> AbstractContextManager[ConnectionT]:
        """A connection to read on for the length of the block."""

    @abstractmethod
    def _writing(self) -> AbstractContextManager[WriteTransaction[ConnectionT]]:
        """One transaction, all or nothing, that other writers wait for."""

    @abstractmethod
    def _execute_many(
        self, db: ConnectionT, statement: str, rows: Iterable[Sequence[object]]
    ) -> None:
        """Run `statement` (already in the engine's parameter style) once per row."""

    @abstractmethod
    def _copy_vectors(
        self, db: ConnectionT, model: str, rows: Sequence[tuple[str, str, bytes, int]]
    ) -> None:
        """Insert (entry id, text hash, float32 bytes, dim) rows into an emptied catalog."""

    @abstractmethod
    def _ids_from(self, prefix: str, limit: int | None) -> list[str]:
        """Ids that start with `prefix`, shortest first; the prefix is data, never a pattern."""

    @abstractmethod
    def _rank_text(self, terms: list[str], limit: int) -> list[tuple[str, float]]:
        """Entry ids that hold any of these (already chosen) words, best first, with scores."""

    @abstractmethod
    def _stems(self, words: list[str]) -> dict[str, str]:
        """Each word as the engine's full-text index stores it."""

    @abstractmethod
    def _document_frequencies(self) -> tuple[dict[str, int], int]:
        """Indexed term -> how many entries hold it, and the number of entries."""

    def _sql(self, statement: str) -> str:
        """A shared statement (written with "?") in this engine's parameter style."""
        if self._PARAMETER == "?":
            return statement
        return statement.replace("?", self._PARAMETER)

    def _execute(self, db: Connection, statement: str, params: Sequence[object] = ()) -> Cursor:
        return db.execute(self._sql(statement), params)

    # -- lifecycle

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
        with self._reading() as db:
            return int(self._execute(db, "SELECT count(*) AS n FROM entries").fetchone()["n"])

    def get(self, entry_id: str) -> CatalogEntry | None:
        """The entry with this id, or None."""
        with self._reading() as db:
            row = self._execute(
                db, f"SELECT {_COLUMNS} FROM entries WHERE id = ?", (entry_id,)
            ).fetchone()
        return _row_to_entry(row) if row else None

    def entries(self) -> Iterator[CatalogEntry]:
        """Every entry in the order it first entered the catalog (built-ins first).

        Pages by `seq`, so iterating a large catalog holds no long read and no big list.
        """
        last_seq = -1
        while True:
            with self._reading() as db:
                rows = self._execute(
                    db,
                    f"SELECT seq, {_COLUMNS} FROM entries WHERE seq > ? ORDER BY seq LIMIT ?",
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
        with self._reading() as db:
            row = self._execute(
                db, f"SELECT {_COLUMNS} FROM entries WHERE key = ?", (key,)
            ).fetchone()
            if row is None and key.startswith("title:"):
                row = self._execute(
                    db,
                    f"SELECT {_COLUMNS} FROM entries WHERE title_key = ? ORDER BY seq LIMIT 1",
                    (key.removeprefix("title:"),),
                ).fetchone()
        return _row_to_entry(row) if row else None

    def removed_builtin_ids(self) -> frozenset[str]:
        """The built-in entries the user removed (and `restore` can bring back)."""
        with self._reading() as db:
            rows = self._execute(db, "SELECT id FROM removed_builtins")
            return frozenset(row["id"] for row in rows)

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
            with self._reading() as db:
                pool = [row["id"] for row in self._execute(db, "SELECT id FROM entries")]
        else:
            pool = self._ids_from(typed[:2], None)
        return near_misses(typed, pool, limit)

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
        now = utc_now()
        with self._writing() as write:
            for done, entry in enumerate(batch, 1):
                outcome, entry_id = self._upsert_one(write, entry, now, keep_builtins=keep_builtins)
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
        with self._writing() as write:
            db = write.db
            found = self._execute(
                db, "SELECT builtin FROM entries WHERE id = ?", (entry_id,)
            ).fetchone()
            if found is None:
                return False
            self._execute(db, "DELETE FROM entries WHERE id = ?", (entry_id,))
            write.changed = True
            if found["builtin"] or entry_id in _builtin_ids():
                self._execute(
                    db,
                    "INSERT INTO removed_builtins (id) VALUES (?) ON CONFLICT DO NOTHING",
                    (entry_id,),
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
        with self._writing() as write:
            db = write.db
            if self._execute(db, "SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone():
                return RestoreReport("present")
            holder = self._row_for(db, shipped)
            if holder is not None:
                return RestoreReport("held", holder["id"])
            self._execute(db, "DELETE FROM removed_builtins WHERE id = ?", (entry_id,))
            self._insert(db, shipped)
            write.changed = True
        return RestoreReport("restored")

    # -- search

    def search_text(self, query: str, limit: int = 20) -> list[tuple[str, float]]:
        """Entry ids ranked by how well their name, title, tags and summary match the query's
        words; higher score is better.

        The query is never handed to the engine as full-text syntax: it is cut into words
        (`query_terms`), so quotes, hyphens, colons or "NEAR(" in user text cannot raise. In a
        large catalog only the rarest words are scored (`_informative`); the question's
        meaning still reaches the ranking through the dense search.
        """
        terms = query_terms(query)
        if not terms or limit <= 0:
            return []
        terms = self._informative(terms)
        if not terms:
            return []
        return self._rank_text(terms, limit)

    def _informative(self, terms: list[str]) -> list[str]:
        """The query words worth scoring, rarest first, within a budget of rows to score.

        The engine scores every row that holds any query word, so a query's cost is the sum
        of its words' document counts (130 ms for a word in 70k of 100k entries), while
        common words add almost nothing to BM25. In a large catalog the rarest words, which
        also carry the most weight, are kept until that sum would pass `SCORED_ROWS_BUDGET`;
        words in more than `COMMON_TERM_SHARE` of the entries are never kept.
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
        scored_rows = 0
        for count, term in counted:
            too_common = count > COMMON_TERM_SHARE * total
            if too_common or (kept and scored_rows + count > SCORED_ROWS_BUDGET):
                break
            kept.append(term)
            scored_rows += count
        return kept

    # -- embeddings

    def get_embeddings(self, model: str) -> dict[str, tuple[str, bytes]]:
        """entry id -> (hash of the embedded text, float32 vector bytes) for one model."""
        with self._reading() as db:
            rows = self._execute(
                db, "SELECT entry_id, text_hash, vector FROM embeddings WHERE model = ?", (model,)
            )
            return {row["entry_id"]: (row["text_hash"], bytes(row["vector"])) for row in rows}

    def embedding_hashes(self, model: str) -> dict[str, str]:
        """entry id -> hash of the embedded text for one model: what tells a stale vector,
        without reading the vectors themselves."""
        with self._reading() as db:
            rows = self._execute(
                db, "SELECT entry_id, text_hash FROM embeddings WHERE model = ?", (model,)
            )
            return {row["entry_id"]: row["text_hash"] for row in rows}

    def embedding_models(self) -> list[str]:
        """The models that have vectors stored, for `catalog copy`."""
        with self._reading() as db:
            rows = self._execute(db, "SELECT DISTINCT model FROM embeddings ORDER BY model")
            return [row["model"] for row in rows]

    # -- copying

    def replace_contents(
        self,
        entries: Iterable[CatalogEntry],
        removed_builtins: Iterable[str],
        vectors: dict[str, Sequence[tuple[str, str, bytes, int]]],
    ) -> None:
        """Make this catalog hold exactly these entries (ids, order, dates kept), removed
        built-ins and vectors, in one transaction: what `catalog copy` writes."""
        with self._writing() as write:
            db = write.db
            for table in ("embeddings", "entries", "removed_builtins"):
                self._execute(db, f"DELETE FROM {table}")
            markers = ", ".join("?" for _ in _ENTRY_COLUMNS)
            self._execute_many(
                db,
                self._sql(f"INSERT INTO entries ({_COLUMNS}) VALUES ({markers})"),
                ([_row_values(entry)[column] for column in _ENTRY_COLUMNS] for entry in entries),
            )
            self._execute_many(
                db,
                self._sql("INSERT INTO removed_builtins (id) VALUES (?)"),
                [(entry_id,) for entry_id in removed_builtins],
            )
            for model, rows in vectors.items():
                self._copy_vectors(db, model, rows)
            self._set_meta(db, "builtin_version", _builtin_version(builtin_catalog_entries()))
            write.changed = True

    # -- internals

    def _upsert_one(
        self,
        write: WriteTransaction[ConnectionT],
        entry: CatalogEntry,
        now: str,
        *,
        keep_builtins: bool,
    ) -> tuple[Outcome, str]:
        """One entry of `upsert_many`, inside its transaction."""
        if not entry.title.strip():
            raise ValueError(f"catalog entry {entry.id or entry.name!r} has no title")
        db = write.db
        incoming = _with_arxiv_id(entry)
        row = self._row_for(db, incoming)
        if row is None:
            entry_id = self._free_id(db, incoming, entry_key(incoming))
            imported_at = incoming.imported_at or (None if incoming.builtin else now)
            self._insert(
                db, incoming.model_copy(update={"id": entry_id, "imported_at": imported_at})
            )
            write.changed = True
            return "added", entry_id
        current = _row_to_entry(row)
        if keep_builtins and current.builtin:
            merged = _with_missing_links(current, incoming)
        else:
            merged = _merge(current, incoming)
        if _content(merged) == _content(current):
            return "unchanged", current.id
        self._update(db, merged.model_copy(update={"imported_at": now}))
        write.changed = True
        return "updated", current.id

    def _row_for(self, db: Connection, entry: CatalogEntry) -> Row | None:
        """The stored row for the same paper: same arXiv id, else same title where either
        side has no arXiv id (two versions with different ids stay apart)."""
        if entry.arxiv_id:
            row = self._execute(
                db, f"SELECT {_COLUMNS} FROM entries WHERE key = ?", (f"arxiv:{entry.arxiv_id}",)
            ).fetchone()
            if row is not None:
                return row
        condition = "" if entry.arxiv_id is None else "AND arxiv_id IS NULL"
        return self._execute(
            db,
            f"SELECT {_COLUMNS} FROM entries WHERE title_key = ? {condition} ORDER BY seq LIMIT 1",
            (title_key(entry.title),),
        ).fetchone()

    def _free_id(self, db: Connection, entry: CatalogEntry, key: str) -> str:
        """The entry's own id if free, else a derived one, lengthening the hash on collision."""
        own = [entry.id] if entry.id else []
        derived = (derive_entry_id(entry.name, key, hex_digits=n) for n in range(6, 65, 2))
        for candidate in itertools.chain(own, derived):
            if not self._execute(db, "SELECT 1 FROM entries WHERE id = ?", (candidate,)).fetchone():
                return candidate
        raise RuntimeError(f"no free id for catalog entry {key!r}")  # 2**256 collisions

    def _insert(self, db: Connection, entry: CatalogEntry) -> None:
        values = _row_values(entry)
        markers = ", ".join("?" for _ in values)
        self._execute(
            db,
            f"INSERT INTO entries ({', '.join(values)}) VALUES ({markers})",
            list(values.values()),
        )

    def _update(self, db: Connection, entry: CatalogEntry) -> None:
        values = _row_values(entry)
        entry_id = values.pop("id")
        assignments = ", ".join(f"{column} = ?" for column in values)
        self._execute(
            db, f"UPDATE entries SET {assignments} WHERE id = ?", [*values.values(), entry_id]
        )

    def _seed_builtins(self) -> None:
        """Load the built-in entries once per version of them, sparing removed and overridden
        ones; only rows still marked built-in are refreshed."""
        builtins = builtin_catalog_entries()
        version = _builtin_version(builtins)
        with self._reading() as db:  # the common case decided without the write lock
            if self._get_meta(db, "builtin_version") == version:
                return
        with self._writing() as write:
            db = write.db
            if self._get_meta(db, "builtin_version") == version:  # another process seeded
                return
            removed = {row["id"] for row in self._execute(db, "SELECT id FROM removed_builtins")}
            for entry in builtins:
                if entry.id not in removed:
                    self._seed_one(db, entry)
            self._set_meta(db, "builtin_version", version)
            write.changed = True

    def _seed_one(self, db: Connection, entry: CatalogEntry) -> None:
        row = self._execute(
            db, f"SELECT {_COLUMNS} FROM entries WHERE id = ?", (entry.id,)
        ).fetchone()
        if row is not None:
            # A newer package refreshes its built-in, keeping the links an import added.
            refreshed = _with_missing_links(entry, _row_to_entry(row))
            if row["builtin"] and _content(_row_to_entry(row)) != _content(refreshed):
                self._update(db, refreshed)
            return
        if self._row_for(db, entry) is None:  # a user entry for the same paper wins
            self._insert(db, entry)

    def _get_meta(self, db: Connection, key: str) -> str | None:
        row = self._execute(db, "SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def _set_meta(self, db: Connection, key: str, value: str) -> None:
        self._execute(
            db,
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


# --------------------------------------------------------------------------- rows


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
    """The entry as the `entries` row stores it (the keys are `_ENTRY_COLUMNS`, in order)."""
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


def _row_to_entry(row: Row) -> CatalogEntry:
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


# --------------------------------------------------------------------------- query words

# Words that say nothing about a topic. Left in, "how do I …" matches nearly every entry and
# the engine has to score the whole catalog: at 100k entries that is most of a query's time.
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
