"""The catalog's stored embeddings: which are stale, and computing them on every core.

A vector is stale when its entry's embedding text (`embeddings.embedding_text`) no longer
hashes to what was embedded, or when there is none. `catalog import` computes the stale ones
before it returns, so the first `ask` after an import embeds nothing; `ask` and the server
still compute whatever is stale (an entry from `catalog add`, an import killed midway), and
`catalog reindex --all` recomputes every vector.

Why threads, one BLAS thread each: the forward pass is a few matrix products and elementwise
passes over big arrays, and NumPy releases the GIL in both, so two threads can keep two cores
busy while sharing one copy of the model (90 MB) and starting nothing. Measured with
`benchmarks/bench_import.py` on the shared 2-core VM (load average 2.8 from other work),
texts embedded per second from the two real awesome lists, median of 3 interleaved runs:

    strategy                    awesome-NeRF   Awesome-Video-Diffusion
    1 thread, 1 BLAS thread           71.2           94.3
    1 thread, 2 BLAS threads          31.2           92.7   BLAS splits only the products,
                                                             and its idle threads spin
    2 threads, 1 BLAS each            94.9          107.0   (chosen)
    2 processes                       77.3           97.0   each loads the model, and every
                                                             batch is pickled back

`catalog import` end to end, one core (taskset) against two: 4.86 s against 2.96 s for
awesome-NeRF (171 vectors), 9.20 s against 7.04 s for Awesome-Video-Diffusion (760). On a
run where other work held about one core throughout, two threads tied one thread (42.9 and
43.2 texts/s) while processes (32.0) and BLAS threads (17.6) lost: threads take what a free
core allows and cost nothing when there is none.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from scholarflow.progress import ProgressCallback

if TYPE_CHECKING:
    from scholarflow.catalog.store import CatalogStore

CHUNK_SIZE = 32  # texts per unit of work: one progress step, one transaction of vectors


class Embedder(Protocol):
    """What computing vectors needs from a model (`embeddings.MiniLMEmbedder` is one)."""

    def embed(self, texts: Sequence[str]) -> Any: ...


@dataclass(frozen=True, slots=True)
class PendingVector:
    """An entry whose vector must be (re)computed, with the exact text to embed."""

    entry_id: str
    text_hash: str
    text: str


def embedding_workers() -> int:
    """How many threads embed: one per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def stale_vectors(store: CatalogStore, *, everything: bool = False) -> list[PendingVector]:
    """The entries whose stored vector is missing or was computed from another text.

    Costs one pass over the entries and one read of the stored hashes (not the vectors).
    `everything` lists every entry, for a full recomputation.
    """
    from scholarflow.embeddings import MODEL_ID, embedding_text, text_hash

    stored = {} if everything else store.embedding_hashes(MODEL_ID)
    pending = []
    for entry in store.entries():
        text = embedding_text(entry.title, entry.summary, entry.tags, name=entry.name)
        digest = text_hash(text)
        if stored.get(entry.id) != digest:
            pending.append(PendingVector(entry.id, digest, text))
    return pending


def compute_vectors(
    store: CatalogStore,
    embedder: Embedder,
    pending: Sequence[PendingVector],
    *,
    workers: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Embed `pending` and store the vectors; returns how many were stored.

    Texts are embedded in chunks, longest-similar together (sorted by length, so a batch
    pads little), by `workers` threads (default: one per core). Each chunk's vectors are
    stored in their own transaction as soon as they are ready, from this thread (a SQLite
    connection belongs to the thread that opened it): work done survives an interruption,
    and the next run computes only what is left.
    """
    if not pending:
        return 0
    from scholarflow.embeddings import MODEL_ID, to_blob

    ordered = sorted(pending, key=lambda item: len(item.text))
    chunks = [ordered[at : at + CHUNK_SIZE] for at in range(0, len(ordered), CHUNK_SIZE)]
    workers = min(workers or embedding_workers(), len(chunks))
    done = 0
    for chunk, vectors in zip(chunks, _embed_chunks(embedder, chunks, workers), strict=True):
        rows = [
            (item.entry_id, item.text_hash, to_blob(vector), int(vector.shape[0]))
            for item, vector in zip(chunk, vectors, strict=True)
        ]
        store.put_embeddings(MODEL_ID, rows)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done, len(ordered))
    return done


def _embed_chunks(
    embedder: Embedder, chunks: list[list[PendingVector]], workers: int
) -> Iterator[Any]:
    """Each chunk's vectors, in chunk order, computed by `workers` threads.

    At most two chunks per thread are in flight, so an interrupted run (Ctrl-C, a failed
    write) stops after the chunks at hand instead of finishing the whole catalog.
    """
    texts = [[item.text for item in chunk] for chunk in chunks]
    if workers <= 1:
        yield from (embedder.embed(chunk) for chunk in texts)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="embed")
    in_flight: deque[Future[Any]] = deque()
    try:
        for chunk in texts:
            in_flight.append(pool.submit(embedder.embed, chunk))
            if len(in_flight) >= 2 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
