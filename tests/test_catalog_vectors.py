"""Stored embeddings: what is stale, computing it on every core, and imports that are ready.

The real model runs here (it is small); a counting wrapper around it tells how many texts
were embedded, so "nothing was embedded" is asserted, not timed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scholarflow.catalog import vectors
from scholarflow.catalog.importers import read_catalog_file
from scholarflow.catalog.store import CatalogStore, open_catalog
from scholarflow.catalog.vectors import compute_vectors, embedding_workers, stale_vectors
from scholarflow.embeddings import MODEL_ID, get_embedder
from scholarflow.retrieval import Retriever

from conftest import raw_sql

FIXTURES = Path(__file__).parent / "fixtures" / "catalog"
AWESOME = FIXTURES / "awesome-video-depth.md"
BUILTIN_COUNT = 12


class CountingEmbedder:
    """The real embedder, counting the texts it is given and the threads that called it."""

    def __init__(self, fail_on_call: int | None = None) -> None:
        self.inner = get_embedder()
        self.texts = 0
        self.calls = 0
        self.threads: set[str] = set()
        self.fail_on_call = fail_on_call
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Any:
        with self._lock:
            self.calls += 1
            self.texts += len(texts)
            self.threads.add(threading.current_thread().name)
            if self.fail_on_call is not None and self.calls >= self.fail_on_call:
                raise RuntimeError("interrupted")
        return self.inner.embed(texts)


def change_signature(store: CatalogStore) -> object:
    """What a server watches to decide whether to rebuild its index: the file's size and
    mtime for SQLite, the catalog's version for PostgreSQL."""
    if not isinstance(store.path, Path):
        return store.version()
    signature = []
    for suffix in ("", "-wal"):
        path = Path(f"{store.path}{suffix}")
        stat = path.stat() if path.exists() else None
        signature.append((stat.st_mtime_ns, stat.st_size) if stat else None)
    return tuple(signature)


def stored_vectors(store: CatalogStore) -> dict[str, tuple[str, bytes]]:
    return store.get_embeddings(MODEL_ID)


def import_like_the_cli(store: CatalogStore, path: Path, embedder: Any) -> tuple[Any, int]:
    found = read_catalog_file(path)
    report = store.upsert_many(found.entries, keep_builtins=True)
    return report, compute_vectors(store, embedder, stale_vectors(store))


def test_every_entry_is_stale_until_embedded_then_only_changed_text_is(catalog_location):
    with open_catalog(catalog_location) as store:
        assert len(stale_vectors(store)) == BUILTIN_COUNT
        embedder = CountingEmbedder()
        assert compute_vectors(store, embedder, stale_vectors(store)) == BUILTIN_COUNT
        assert embedder.texts == BUILTIN_COUNT
        assert stale_vectors(store) == []
        assert len(stale_vectors(store, everything=True)) == BUILTIN_COUNT
        raw_sql(store, "UPDATE entries SET summary = 'A new summary.' WHERE id = 'camco'")
        assert [pending.entry_id for pending in stale_vectors(store)] == ["camco"]


def test_two_threads_store_exactly_the_vectors_one_thread_does(catalog_location):
    results = []
    with open_catalog(catalog_location) as store:
        for workers in (1, 2):
            raw_sql(store, "DELETE FROM embeddings")
            embedder = CountingEmbedder()
            pending = stale_vectors(store, everything=True)
            progress: list[tuple[int, int]] = []
            done = compute_vectors(
                store,
                embedder,
                pending * 3,  # 36 texts: two chunks, so two threads have work
                workers=workers,
                on_progress=lambda done, total, seen=progress: seen.append((done, total)),
            )
            assert done == 36
            assert progress[-1] == (36, 36) and all(total == 36 for _, total in progress)
            assert [d for d, _ in progress] == sorted(d for d, _ in progress)
            assert len(embedder.threads) == workers
            results.append(stored_vectors(store))
    assert results[0] == results[1]
    for _, blob in results[0].values():
        assert np.isclose(np.linalg.norm(np.frombuffer(blob, dtype="<f4")), 1.0, atol=1e-5)


def test_embedding_uses_every_core_this_process_may_run_on():
    assert embedding_workers() == len(os.sched_getaffinity(0))


def test_an_interrupted_embedding_keeps_what_it_finished(catalog_location, monkeypatch):
    monkeypatch.setattr(vectors, "CHUNK_SIZE", 8)
    with open_catalog(catalog_location) as store:
        store.upsert_many(read_catalog_file(AWESOME).entries, keep_builtins=True)
        pending = stale_vectors(store)
        assert len(pending) > 2 * vectors.CHUNK_SIZE
        with pytest.raises(RuntimeError, match="interrupted"):
            compute_vectors(store, CountingEmbedder(fail_on_call=2), pending, workers=1)
        left = stale_vectors(store)
        assert 0 < len(left) < len(pending)  # the first chunk was stored
        resumed = CountingEmbedder()
        assert compute_vectors(store, resumed, left) == len(left)
        assert resumed.texts == len(left) and stale_vectors(store) == []


def test_reimporting_a_file_is_a_true_no_op(catalog_location):
    with open_catalog(catalog_location) as store:
        first, embedded = import_like_the_cli(store, AWESOME, CountingEmbedder())
        assert first.added > 0 and embedded == BUILTIN_COUNT + first.added
        rows = stored_vectors(store)
        signature = change_signature(store)
        embedder = CountingEmbedder()
        again, embedded_again = import_like_the_cli(store, AWESOME, embedder)
        assert (again.added, again.updated) == (0, 0)
        assert embedded_again == 0 and embedder.calls == 0
        assert stored_vectors(store) == rows
        assert change_signature(store) == signature  # nothing written: no index rebuild


def test_after_an_import_asking_embeds_only_the_question(catalog_location):
    with open_catalog(catalog_location) as store:
        import_like_the_cli(store, AWESOME, CountingEmbedder())
        embedder = CountingEmbedder()
        retriever = Retriever(store, embedder)
        assert retriever.ensure_embeddings() == 0
        hits = retriever.search("consistent depth for every frame of a video")
        assert hits and hits[0].dense_rank is not None
        assert embedder.texts == 1  # the question, nothing of the catalog
