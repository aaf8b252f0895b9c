"""The catalog as the server reads it: from many threads, for as long as the process lives.

FastAPI runs each sync endpoint in a worker thread, and an `SQLiteCatalogStore` connection
may only be used by the thread that opened it. Two shapes were possible: one store behind a
lock (which here means one dedicated thread, since a connection cannot even be handed to
another thread), or one store per thread. Per thread won, measured with 200 free questions
from 8 threads on 2 cores: 60-65 answers/s against 55 for one dedicated thread, at the same
p95. Opening a store costs about 2 ms, once per thread, and nothing serialises the parts of
a search that release the GIL (the SQLite full-text query, the NumPy products).

What is worth sharing is shared: the embedding model is process-wide already
(`embeddings.get_embedder` caches it), and the dense index (one float32 row of 384 per
entry, about 150 MB at 100k entries) is built once and read by every thread, instead of once
per thread.

The catalog may change while the server runs (`scholarflow catalog add` or `import` in
another terminal). Each use compares the database file and its write-ahead log (size and
mtime, two `stat` calls) with what the index was built from. When they differ, one
background thread embeds the entries whose text changed and builds a new index, while every
request goes on being answered from the index it already has; the new index replaces the old
one in a single assignment when it is complete. Until then a new entry is found by its words
(full-text search reads the database itself) but not yet by its meaning.

Why not inside the request, as before: embedding takes ~0.1-0.2 s per entry on this machine,
so after an import of 500 entries the first request embedded for about two minutes while
every other request waited on the lock (benchmarks/bench_server_import.py, 4 clients: /api/ask
p99 112.6 s during the import, 0.39 s before it). Only the very first index is built inside a
request: before it there is nothing to answer from.

Measured since (same benchmark, run right after main's code, shared 2-core machine): p99
0.52-0.57 s during the import (max 0.71-0.80 s), against 59.5-74.4 s for main's code. The
price is freshness under load: the rebuild shares the CPU, and the GIL, with requests, so
while 4 clients kept both cores busy the new entries were found by meaning 222-268 s after
the import started, against 63-80 s when every request waited. An idle server rebuilds as
fast as before. Embedding in a child process would take the GIL out of it (measured: 64
entries took 7x their time alone beside 4 busy Python threads, 4x beside 4 busy processes).

A PostgreSQL catalog (`--catalog postgresql://…`, shared by many servers) changes the two
engine-bound parts only: every thread borrows from one store's connection pool instead of
opening its own connection, and "the catalog changed" is the store's `version()` (a counter
every write bumps, whichever server or command made it) instead of the file's stat. With
pgvector the database searches the vectors itself and the index held here stays empty; the
background pass then only embeds what is stale.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scholarflow.errors import ConfigurationError
from scholarflow.retrieval import DenseIndex, Retriever, load_dense_index

if TYPE_CHECKING:
    from scholarflow.catalog.store import CatalogStore

FileSignature = tuple[tuple[int, int] | None, ...]
REBUILD_THREAD_NAME = "scholarflow-index-rebuild"

log = logging.getLogger("scholarflow.server")


@dataclass(frozen=True)
class _Built:
    """An index and the catalog file state it was built from, swapped in as one object."""

    index: DenseIndex
    signature: FileSignature


def build_dense_index(store: CatalogStore) -> tuple[DenseIndex, int]:
    """Embed what is stale in `store`, then read every embedding into an index.

    Returns the index and how many entries were embedded. Module-level so that a test can
    make a rebuild slow and watch requests being answered meanwhile. A store that searches
    its vectors itself (pgvector) gets an empty index: there is nothing to hold here.
    """
    with _one_process_embeds(store):
        embedded = Retriever(store).ensure_embeddings()
    if getattr(store, "vector_index", None) == "pgvector":
        return DenseIndex(), embedded
    return load_dense_index(store), embedded


@contextmanager
def _one_process_embeds(store: CatalogStore) -> Iterator[None]:
    """Across processes, one embeds at a time (`serve --workers N`: every worker sees the same
    change to the catalog file). The others wait, then find nothing stale and only read the
    vectors: N workers embedding the same 500 new entries would take N times the CPU the
    requests need. An advisory lock on a file beside the catalog, not on the catalog itself:
    SQLite's own locks are POSIX record locks, which flock() must not be mixed with on NFS."""
    path = getattr(store, "path", None)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; workers may embed the same entries
        fcntl = None  # type: ignore[assignment]
    from scholarflow.catalog.store import is_catalog_url

    # A PostgreSQL catalog's servers run on many hosts: no file is shared to lock (each may
    # embed a new entry once; the vectors are upserted, so the result is the same).
    if fcntl is None or path is None or str(path) == ":memory:" or is_catalog_url(path):
        yield
        return
    try:
        fd = os.open(f"{path}.embedding-lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # a read-only folder: nothing to coordinate through, embed anyway
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


class CatalogAccess:
    """Hands each thread its own `Retriever` over one catalog file, all sharing one index."""

    def __init__(self, path: Path | str) -> None:
        from scholarflow.catalog.store import is_catalog_url

        self.url = str(path).strip() if is_catalog_url(path) else None
        self.path = Path(path) if self.url is None else Path()
        self._shared: CatalogStore | None = None  # the PostgreSQL store every thread uses
        self._opening = threading.Lock()
        self._local = threading.local()
        self._lock = threading.Lock()  # the first build, and starting the rebuild thread
        self._built: _Built | None = None
        self._rebuilder: threading.Thread | None = None

    def retriever(self) -> Retriever:
        """This thread's retriever, opened on its first use."""
        retriever: Retriever | None = getattr(self._local, "retriever", None)
        if retriever is None and self.url is not None:
            retriever = _SharedIndexRetriever(self._shared_store(), self)
            self._local.retriever = retriever
        if retriever is None:
            from scholarflow.catalog.store import SQLiteCatalogStore

            if self.path.is_dir():
                raise ConfigurationError(f"{self.path}: is a directory; the catalog is a file")
            retriever = _SharedIndexRetriever(SQLiteCatalogStore(self.path), self)
            self._local.retriever = retriever
        return retriever

    def _shared_store(self) -> CatalogStore:
        """The one PostgreSQL store (its pool is thread-safe), opened on first use."""
        with self._opening:  # not self._lock: the first build holds that while it asks
            if self._shared is None:
                from scholarflow.catalog.store import open_catalog

                self._shared = open_catalog(self.url)
            return self._shared

    def dense_index(self, retriever: Retriever) -> DenseIndex:
        """The shared index; a catalog that changed since it was built starts a rebuild in the
        background, and this call still returns the index there is."""
        built = self._built or self._first_build(retriever)
        if built.signature != self._file_signature():
            # Also right after a first build that embedded entries: those writes changed
            # the file, and the background pass rereads it so that a write by another
            # process in the meantime is not taken for ours.
            self._start_rebuild()
        return built.index

    def _first_build(self, retriever: Retriever) -> _Built:
        with self._lock:
            if self._built is None:
                signature = self._file_signature()
                index, _ = build_dense_index(retriever.store)
                self._built = _Built(index, signature)
            return self._built

    @property
    def rebuilding(self) -> bool:
        """Whether a background rebuild is running."""
        return self._rebuilder is not None

    def wait_for_rebuild(self, timeout: float) -> bool:
        """Wait for a running rebuild to finish; False if it is still running after `timeout`."""
        rebuilder = self._rebuilder
        if rebuilder is not None:
            rebuilder.join(timeout)
        return self._rebuilder is None

    def _start_rebuild(self) -> None:
        with self._lock:
            if self._rebuilder is None:
                self._rebuilder = threading.Thread(
                    target=self._rebuild, name=REBUILD_THREAD_NAME, daemon=True
                )
                self._rebuilder.start()

    def _rebuild(self) -> None:
        """Build until an index matches the file; runs in its own thread, on its own
        connection (an SQLite connection belongs to the thread that opened it)."""
        from contextlib import nullcontext

        from scholarflow.catalog.store import SQLiteCatalogStore

        try:
            # A SQLite connection belongs to its thread: this one opens its own. The
            # PostgreSQL store is shared, and stays open for the requests.
            opened = (
                nullcontext(self._shared_store())
                if self.url is not None
                else SQLiteCatalogStore(self.path)
            )
            with opened as store:
                while True:
                    # Taken before the build: a write during it (ours included) shows as a
                    # change, so the loop goes round once more rather than missing one.
                    signature = self._file_signature()
                    index, embedded = build_dense_index(store)
                    self._built = _Built(index, signature)
                    with self._lock:
                        if not embedded and self._file_signature() == signature:
                            self._rebuilder = None
                            return
        except Exception:
            log.exception("rebuilding the catalog index failed; still answering from the old one")
            with self._lock:
                # Not retried until the catalog changes again: a failure that repeats on
                # every request would only burn the CPU the requests need.
                if self._built is not None:
                    self._built = _Built(self._built.index, self._file_signature())
                self._rebuilder = None

    def _file_signature(self) -> FileSignature:
        if self.url is not None:
            return ((self._shared_store().version(), 0),)  # type: ignore[attr-defined]
        return tuple(_stat(Path(f"{self.path}{suffix}")) for suffix in ("", "-wal"))


class _SharedIndexRetriever(Retriever):
    """A `Retriever` whose dense index is the one `CatalogAccess` keeps for all threads."""

    def __init__(self, store: Any, access: CatalogAccess) -> None:
        super().__init__(store)
        self._access = access

    def dense_index(self) -> DenseIndex:
        return self._access.dense_index(self)

    def refresh_vectors(self) -> None:
        # The shared check: a changed catalog starts the background pass that embeds it.
        self._access.dense_index(self)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_mtime_ns, status.st_size
