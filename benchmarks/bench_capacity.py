"""Capacity figures of the SQLite catalog for docs/scaling.md: what 100k and 1M entries cost.

For each size (ascending; one catalog file grown in place), measured on this machine:

- the catalog file on disk (database plus write-ahead log), in bytes per entry;
- the peak memory (max RSS) of a fresh process that opens the catalog and answers five
  questions (so it holds the embedding model, the dense index and SQLite's cache), and the
  same for the built-in catalog alone; the difference per 100k entries is what a server
  process needs per 100k entries of catalog;
- hybrid query latency p50/p95 (BM25 + dense + fusion, the question embedded each time; the
  model and index loaded before timing), the retrieval questions of tests/retrieval asked
  three times each: wall-clock time, and the CPU time of the process (which a machine shared
  with other work inflates less, and which says how many queries a core can serve).

The entries are synthetic, as in bench_retrieval.py (generated titles and summaries whose
words follow a Zipf law; random unit vectors stored as their embeddings, since embedding 1M
texts on two cores would take days). Growing to 1M entries takes the better part of half an
hour on a busy two-core machine.

    .venv/bin/python benchmarks/bench_capacity.py [--sizes 100000,1000000] [--json PATH]
                                                   [--catalog PATH]

`--catalog PATH` keeps the grown catalog there (and grows an existing one from where it is),
so an interrupted run need not generate its first entries again.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from bench_retrieval import QUESTIONS, VOCABULARY, server_memory
from scholarflow.catalog.store import SQLiteCatalogStore
from scholarflow.embeddings import DIMENSION, MODEL_ID, embedding_text, text_hash, to_blob
from scholarflow.models import CatalogEntry, Provenance
from scholarflow.retrieval import Retriever

CHUNK = 50_000  # entries generated, imported and embedded at a time: memory stays bounded


def _vocabulary() -> tuple[list[str], np.ndarray]:
    pseudo = [f"w{number}" for number in range(5000)]
    words = pseudo[:20] + list(VOCABULARY) + pseudo[20:]
    weights = 1.0 / np.arange(1, len(words) + 1) ** 1.1
    return words, weights / weights.sum()


def _entries(start: int, count: int, rng: np.random.Generator) -> list[CatalogEntry]:
    """bench_retrieval's synthetic entries, numbered from `start`, drawn in one call."""
    words, weights = _vocabulary()
    drawn = rng.choice(len(words), size=(count, 86), p=weights)
    entries = []
    for offset, row in enumerate(drawn):
        number = start + offset
        text = [words[i] for i in row]
        entries.append(
            CatalogEntry(
                id=f"synth-{number}",
                name=f"Synth{number}",
                title=f"Synth{number}: " + " ".join(text[:6]).capitalize(),
                summary=" ".join(text[6:]).capitalize() + ".",
                tags=tuple(text[:2]),
                provenance=Provenance(origin="benchmark", line=number + 1),
            )
        )
    return entries


def _embed(store: SQLiteCatalogStore, entries: list[CatalogEntry], rng: np.random.Generator):
    """Random unit vectors under each entry's real text hash, so nothing counts as stale."""
    vectors = rng.standard_normal((len(entries), DIMENSION)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = [
        (
            entry.id,
            text_hash(embedding_text(entry.title, entry.summary, entry.tags)),
            to_blob(v),
            DIMENSION,
        )
        for entry, v in zip(entries, vectors, strict=True)
    ]
    store.put_embeddings(MODEL_ID, rows)


def grow(store: SQLiteCatalogStore, size: int, rng: np.random.Generator) -> None:
    have = store.count()
    while have < size:
        count = min(CHUNK, size - have)
        started = time.perf_counter()
        entries = _entries(have, count, rng)
        store.upsert_many(entries)
        _embed(store, entries, rng)
        have = store.count()
        print(
            f"  {have:>9,} entries ({time.perf_counter() - started:.0f} s for the last {count:,})",
            flush=True,
        )


def query_latency(store: SQLiteCatalogStore, questions: list[str]) -> dict[str, float]:
    """Wall-clock and CPU milliseconds per hybrid query, p50 and p95."""
    retriever = Retriever(store)
    retriever.search(questions[0])  # loads the model and the dense index: not timed
    wall, cpu = [], []
    for _ in range(3):
        for question in questions:
            start, start_cpu = time.perf_counter(), time.process_time()
            retriever.search(question)
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    cpu.sort()

    def at(values: list[float], share: float) -> float:
        return values[int(share * (len(values) - 1))]

    return {
        "queries": len(wall),
        "p50_ms": at(wall, 0.5),
        "p95_ms": at(wall, 0.95),
        "cpu_p50_ms": at(cpu, 0.5),
        "cpu_p95_ms": at(cpu, 0.95),
    }


def file_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--catalog", type=Path, help="keep the catalog here (default: scratch)")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    questions = [q["text"] for q in tomllib.loads(QUESTIONS.read_text())["question"]]
    rng = np.random.default_rng(7)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print("uptime:", uptime, flush=True)
    report: dict[str, Any] = {"sizes": {}, "uptime_at_start": uptime}
    with tempfile.TemporaryDirectory() as scratch:
        path = args.catalog or Path(scratch) / "catalog.db"
        with SQLiteCatalogStore(path) as store:
            builtin_entries = [e for e in store.entries() if not e.id.startswith("synth-")]
            _embed(store, builtin_entries, rng)  # the built-ins, as the rest
            builtins = len(builtin_entries)
        # The baseline: a catalog of the built-ins alone, its vectors random as the rest.
        base_path = Path(scratch) / "builtin.db"
        with SQLiteCatalogStore(base_path) as store:
            _embed(store, list(store.entries()), rng)
        base = server_memory(base_path, questions)
        report["builtin"] = {"entries": builtins, "max_rss_mb": base["max_rss_mb"]}
        print(f"built-in catalog ({builtins} entries): max RSS {base['max_rss_mb']:.0f} MB")
        for size in sizes:
            started = time.perf_counter()
            with SQLiteCatalogStore(path) as store:
                grow(store, size, rng)
                store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                built = time.perf_counter() - started
                latency = query_latency(store, questions)
                entries = store.count()
            memory = server_memory(path, questions)
            figures_uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout
            extra_mb = memory["max_rss_mb"] - base["max_rss_mb"]
            figures = {
                "entries": entries,
                "build_s": round(built, 1),
                "file_mb": round(file_bytes(path) / 1e6, 1),
                "file_bytes_per_entry": round(file_bytes(path) / entries),
                "max_rss_mb": round(memory["max_rss_mb"], 1),
                "rss_mb_per_100k": round(extra_mb / ((entries - builtins) / 100_000), 1),
                "p50_ms": round(latency["p50_ms"], 1),
                "p95_ms": round(latency["p95_ms"], 1),
                "cpu_p50_ms": round(latency["cpu_p50_ms"], 1),
                "cpu_p95_ms": round(latency["cpu_p95_ms"], 1),
                "queries": latency["queries"],
                "uptime": figures_uptime.strip(),
            }
            report["sizes"][size] = figures
            print(
                f"{entries:>9,} entries: file {figures['file_mb']} MB "
                f"({figures['file_bytes_per_entry']} B/entry), max RSS "
                f"{figures['max_rss_mb']:.0f} MB ({figures['rss_mb_per_100k']} MB per 100k), "
                f"query p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms "
                f"(CPU p50 {figures['cpu_p50_ms']} ms, p95 {figures['cpu_p95_ms']} ms)",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
