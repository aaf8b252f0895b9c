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

The catalog may change while the server runs (`scholarflow catalog add` in another
terminal). Each use compares the database file and its write-ahead log (size and mtime,
two `stat` calls) with what the index was built from and rebuilds the index when they
differ; the rebuild embeds only the entries whose text changed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from scholarflow.errors import ConfigurationError
from scholarflow.retrieval import DenseIndex, Retriever

FileSignature = tuple[tuple[int, int] | None, ...]


class CatalogAccess:
    """Hands each thread its own `Retriever` over one catalog file, all sharing one index."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._index: DenseIndex | None = None
        self._signature: FileSignature | None = None

    def retriever(self) -> Retriever:
        """This thread's retriever, opened on its first use."""
        retriever: Retriever | None = getattr(self._local, "retriever", None)
        if retriever is None:
            from scholarflow.catalog.store import SQLiteCatalogStore

            if self.path.is_dir():
                raise ConfigurationError(f"{self.path}: is a directory; the catalog is a file")
            retriever = _SharedIndexRetriever(SQLiteCatalogStore(self.path), self)
            self._local.retriever = retriever
        return retriever

    def dense_index(self, retriever: Retriever) -> DenseIndex:
        """The shared index, rebuilt through `retriever`'s store when the catalog changed."""
        index = self._index
        if index is not None and self._signature == self._file_signature():
            return index
        with self._lock:
            if self._index is None or self._signature != self._file_signature():
                # A plain Retriever builds the index: it embeds what is stale, then reads all.
                fresh = Retriever(retriever.store, retriever.embedder)
                self._index = fresh.dense_index()
                # Taken after the build, so the embeddings it just wrote do not count as a
                # change. A write by another process in that window waits for the next one.
                self._signature = self._file_signature()
            return self._index

    def _file_signature(self) -> FileSignature:
        return tuple(_stat(Path(f"{self.path}{suffix}")) for suffix in ("", "-wal"))


class _SharedIndexRetriever(Retriever):
    """A `Retriever` whose dense index is the one `CatalogAccess` keeps for all threads."""

    def __init__(self, store: Any, access: CatalogAccess) -> None:
        super().__init__(store)
        self._access = access

    def dense_index(self) -> DenseIndex:
        return self._access.dense_index(self)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_mtime_ns, status.st_size
