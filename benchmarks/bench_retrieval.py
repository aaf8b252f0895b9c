"""Benchmark for catalog retrieval and `scholarflow ask`.

Measures, on this machine:

- embedding throughput when indexing (entries/s, the real all-MiniLM-L6-v2 NumPy route);
- hybrid query latency p50/p95 at 1k, 10k and 100k entries (BM25 + dense + fusion, including
  embedding the question; the model is loaded before timing). The big catalogs are synthetic:
  generated titles and summaries, and random unit vectors stored as their embeddings, since
  embedding 100k texts on two cores would take the better part of an hour;
- peak memory (max RSS) of a process holding the 100k-entry catalog and the model;
- cold `scholarflow ask` as a new process, median of 5, on the built-in catalog.

Run from the repository root:

    make bench
    .venv/bin/python benchmarks/bench_retrieval.py [--sizes 1000,10000,100000] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import numpy as np

from scholarflow.catalog.store import SQLiteCatalogStore
from scholarflow.embeddings import DIMENSION, MODEL_ID, embedding_text, text_hash, to_blob
from scholarflow.models import CatalogEntry, Provenance
from scholarflow.retrieval import Retriever

REPO_ROOT = Path(__file__).resolve().parent.parent
CLI = REPO_ROOT / ".venv" / "bin" / "scholarflow"
QUESTIONS = REPO_ROOT / "tests" / "retrieval" / "questions.toml"
TARGET_P95_MS = 50.0
TARGET_COLD_ASK_S = 2.0

VOCABULARY = [
    "video",
    "depth",
    "diffusion",
    "camera",
    "consistent",
    "temporal",
    "multi-view",
    "point",
    "cloud",
    "mesh",
    "scene",
    "motion",
    "stereo",
    "segmentation",
    "background",
    "colour",
    "editing",
    "rendering",
    "radiance",
    "field",
    "gaussian",
    "splatting",
    "novel",
    "view",
    "synthesis",
    "image",
    "generation",
    "text",
    "prompt",
    "transformer",
    "attention",
    "optical",
    "flow",
    "tracking",
    "reconstruction",
    "structure",
    "lighting",
    "relighting",
    "inpainting",
    "outpainting",
    "super-resolution",
    "interpolation",
    "avatar",
    "human",
    "pose",
    "body",
    "face",
    "animation",
    "style",
    "transfer",
    "latent",
    "autoregressive",
    "real-time",
    "efficient",
    "high-resolution",
    "dataset",
    "benchmark",
    "robust",
]


def synthetic_entries(count: int, seed: int = 7) -> list[CatalogEntry]:
    """Entries whose words follow a Zipf law over 5,000 pseudo-words plus the domain words
    above, placed among the frequent ranks, so a query word is in a realistic few percent
    of the entries rather than in all of them."""
    rng = np.random.default_rng(seed)
    pseudo = [f"w{number}" for number in range(5000)]
    vocabulary = pseudo[:20] + list(VOCABULARY) + pseudo[20:]
    weights = 1.0 / np.arange(1, len(vocabulary) + 1) ** 1.1
    weights /= weights.sum()
    entries = []
    for number in range(count):
        words = [vocabulary[i] for i in rng.choice(len(vocabulary), size=86, p=weights)]
        title = f"Synth{number}: " + " ".join(words[:6]).capitalize()
        entries.append(
            CatalogEntry(
                id=f"synth-{number}",
                name=f"Synth{number}",
                title=title,
                summary=" ".join(words[6:]).capitalize() + ".",
                tags=tuple(words[:2]),
                provenance=Provenance(origin="benchmark", line=number + 1),
            )
        )
    return entries


def build_store(path: Path, size: int) -> SQLiteCatalogStore:
    """A catalog of `size` entries (the built-ins plus synthetic ones) with embeddings."""
    store = SQLiteCatalogStore(path)
    missing = size - store.count()
    if missing > 0:
        store.upsert_many(synthetic_entries(missing))
    rng = np.random.default_rng(11)
    rows = []
    for entry in store.entries():
        text = embedding_text(entry.title, entry.summary, entry.tags)
        vector = rng.standard_normal(DIMENSION).astype(np.float32)
        vector /= np.linalg.norm(vector)
        rows.append((entry.id, text_hash(text), to_blob(vector), DIMENSION))
        if len(rows) == 5000:
            store.put_embeddings(MODEL_ID, rows)
            rows = []
    if rows:
        store.put_embeddings(MODEL_ID, rows)
    return store


def query_latency(store: SQLiteCatalogStore, questions: list[str]) -> dict[str, float]:
    retriever = Retriever(store)
    retriever.search(questions[0])  # loads the model and the dense index: not timed
    timings = []
    for _ in range(3):
        for question in questions:
            start = time.perf_counter()
            retriever.search(question)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "queries": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
    }


def embedding_throughput(texts: list[str]) -> float:
    from scholarflow.embeddings import get_embedder

    embedder = get_embedder()
    embedder.embed(texts[:8])
    start = time.perf_counter()
    embedder.embed(texts, batch_size=32)
    return len(texts) / (time.perf_counter() - start)


_SERVER_SCRIPT = """
import json, resource, sys
from scholarflow.catalog.store import SQLiteCatalogStore
from scholarflow.retrieval import Retriever
store = SQLiteCatalogStore(sys.argv[1])
retriever = Retriever(store)
for question in json.loads(sys.argv[2]):
    retriever.search(question)
print(json.dumps({"entries": store.count(),
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def server_memory(path: Path, questions: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _SERVER_SCRIPT, str(path), json.dumps(questions[:5])],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


# A fork of this (large) process would count its pages in the child's ru_maxrss; a small
# wrapper process starts the command instead and reports the command's own peak.
_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss / 1024, status)
"""


def cold_ask(home: Path, runs: int) -> dict[str, float]:
    env = dict(os.environ, SCHOLARFLOW_HOME=str(home))
    question = "How do apps turn a phone video into a depth video that doesn't flicker?"
    subprocess.run([str(CLI), "ask", question], env=env, capture_output=True, check=True)
    times, peaks = [], []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _MEASURE, str(CLI), "ask", question, "--format", "json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, peak, status = done.stdout.split()
        if status != "0":
            raise SystemExit(f"bench_retrieval: ask exited with status {status}")
        times.append(float(seconds))
        peaks.append(float(peak))
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "peak_rss_mb": max(peaks),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--cold-runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    questions = [q["text"] for q in tomllib.loads(QUESTIONS.read_text())["question"]]
    results: dict[str, object] = {}

    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        texts = [embedding_text(e.title, e.summary, e.tags) for e in synthetic_entries(256)]
        results["embedding_entries_per_s"] = embedding_throughput(texts)
        print(
            f"embedding throughput: {results['embedding_entries_per_s']:.1f} entries/s", flush=True
        )

        latency = {}
        for size in sizes:
            started = time.perf_counter()
            store = build_store(base / f"catalog-{size}.db", size)
            built = time.perf_counter() - started
            latency[size] = query_latency(store, questions) | {"build_s": built}
            store.close()
            print(
                f"{size:>7} entries: p50 {latency[size]['p50_ms']:.1f} ms, "
                f"p95 {latency[size]['p95_ms']:.1f} ms (built in {built:.0f} s)",
                flush=True,
            )
        results["latency"] = latency
        largest = max(sizes)
        results["server"] = server_memory(base / f"catalog-{largest}.db", questions)
        results["cold_ask"] = cold_ask(base / "home", args.cold_runs)

    rows = [("metric", "measured", "target")]
    rows.append(
        ("embedding throughput", f"{results['embedding_entries_per_s']:.1f} entries/s", "-")
    )
    for size, numbers in latency.items():
        rows.append(
            (
                f"query p50 / p95 at {size}",
                f"{numbers['p50_ms']:.1f} / {numbers['p95_ms']:.1f} ms",
                f"p95 <= {TARGET_P95_MS:.0f} ms" if size == 100000 else "-",
            )
        )
    server = results["server"]
    rows.append((f"server RSS, {server['entries']} entries", f"{server['max_rss_mb']:.0f} MB", "-"))
    cold = results["cold_ask"]
    rows.append(
        (
            f"cold ask, median of {args.cold_runs}",
            f"{cold['median_s']:.2f} s (min {cold['min_s']:.2f}, max {cold['max_s']:.2f})",
            f"<= {TARGET_COLD_ASK_S:.1f} s",
        )
    )
    rows.append(("cold ask peak RSS", f"{cold['peak_rss_mb']:.0f} MB", "-"))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print()
    for index, row in enumerate(rows):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
