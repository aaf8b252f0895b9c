"""Benchmark: importing the real awesome lists, embedding them, and the first asks after.

For each list in ../shared/data/awesome (copied to a scratch folder first), measures:

* `scholarflow catalog import` into a fresh catalog, wall time seen from outside (read,
  store, load the model, embed everything), pinned to one core (`taskset -c 0`) and on both
  cores, and the entries embedded per second of that wall time;
* the embedding alone, in-process, by four strategies on the same texts, to choose how to
  use two cores: one thread (one BLAS thread), one thread with two BLAS threads, two
  threads with one BLAS thread each (what `catalog/vectors.py` does), and two processes
  each loading the model;
* the first and the second `scholarflow ask` after the import (new processes), and for
  comparison the first `ask` on the same catalog with its vectors deleted (what every first
  `ask` after an import cost before imports embedded).

Every figure is "median (best)" of --repeats runs, the alternatives interleaved: the machine
is a shared 2-core VM where one run can take twice as long as the next. The load average
before and after is printed with the table, since other work on the machine slows every
figure. Run from the repository root:

    .venv/bin/python benchmarks/bench_import.py [--repeats 3] [--json PATH]

Figures measured on this machine are in the report of the branch that added this script
(and in README.md's catalog section); this is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AWESOME = Path(os.environ.get("SCHOLARFLOW_SHARED", ROOT.parent / "shared")) / "data" / "awesome"
LISTS = ("awesome-NeRF.README.md", "Awesome-Video-Diffusion.README.md")
SCHOLARFLOW = ROOT / ".venv" / "bin" / "scholarflow"
QUESTION = "How do apps turn a phone video into a depth video?"
STRATEGIES = ("1 thread, 1 BLAS", "1 thread, 2 BLAS", "2 threads, 1 BLAS each", "2 processes")


def cli(home: Path, *args: str, cores: str | None = None) -> tuple[float, str]:
    """Run the command in a new process; (wall seconds, stdout)."""
    command = [str(SCHOLARFLOW), *args]
    if cores is not None:
        command = ["taskset", "-c", cores, *command]
    environment = dict(os.environ, SCHOLARFLOW_HOME=str(home), SCHOLARFLOW_PROGRESS="0")
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    return time.perf_counter() - started, result.stdout


def import_once(source: Path, cores: str | None) -> tuple[float, int, Path]:
    """Import `source` into a fresh home; (seconds, entries embedded, home)."""
    home = Path(tempfile.mkdtemp(prefix="bench-import-"))
    seconds, stdout = cli(home, "catalog", "import", str(source), cores=cores)
    embedded = re.search(r"(\d+) embedded", stdout)
    assert embedded, stdout
    return seconds, int(embedded.group(1)), home


def embedding_texts(home: Path) -> list[str]:
    from scholarflow.catalog.store import SQLiteCatalogStore
    from scholarflow.catalog.vectors import stale_vectors

    with SQLiteCatalogStore(home / "catalog.db") as store:
        return [pending.text for pending in stale_vectors(store, everything=True)]


def strategy_rate(strategy: str, texts_file: Path) -> float:
    """Texts embedded per second by `strategy`, in a fresh process (BLAS threads are fixed
    when NumPy loads)."""
    blas = "2" if strategy == "1 thread, 2 BLAS" else "1"
    environment = dict(os.environ, OPENBLAS_NUM_THREADS=blas, OMP_NUM_THREADS=blas)
    result = subprocess.run(
        [sys.executable, __file__, "--strategy", strategy, "--texts", str(texts_file)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return float(result.stdout.strip())


def run_strategy(strategy: str, texts: list[str]) -> float:
    """Embed `texts` the way `strategy` says; texts per second (model loading excluded,
    except for the processes, which must each load it: that is their cost)."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    from scholarflow.catalog.vectors import CHUNK_SIZE
    from scholarflow.embeddings import get_embedder

    ordered = sorted(texts, key=len)
    chunks = [ordered[at : at + CHUNK_SIZE] for at in range(0, len(ordered), CHUNK_SIZE)]
    if strategy == "2 processes":
        import multiprocessing

        context = multiprocessing.get_context("forkserver")
        started = time.perf_counter()
        with ProcessPoolExecutor(2, mp_context=context) as pool:
            list(pool.map(_embed_in_worker, chunks))
        return len(texts) / (time.perf_counter() - started)
    embedder = get_embedder()
    embedder.embed(["warm up"])
    workers = 2 if strategy.startswith("2 threads") else 1
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(embedder.embed, chunks))
    return len(texts) / (time.perf_counter() - started)


def _embed_in_worker(chunk: list[str]) -> Any:
    from scholarflow.embeddings import get_embedder

    return get_embedder().embed(chunk)


def delete_vectors(home: Path) -> None:
    with closing(sqlite3.connect(home / "catalog.db")) as db:
        db.execute("DELETE FROM embeddings")
        db.commit()


def spread(values: list[float], digits: int = 2, *, higher_is_better: bool = False) -> str:
    """ "median (best)": other work on the machine only ever slows a run down, so the best
    run is the least disturbed one, and the median says what to expect."""
    best = max(values) if higher_is_better else min(values)
    return f"{statistics.median(values):.{digits}f} ({best:.{digits}f})"


def measure(source: Path, repeats: int) -> dict[str, Any]:
    """All figures for one list. Runs of the alternatives are interleaved (A B A B …, not
    A A B B), so that a burst of load elsewhere hits both alike."""
    figures: dict[str, Any] = {"list": source.name}
    seconds: dict[str, list[float]] = {"1 core": [], "2 cores": []}
    homes: list[Path] = []
    for _ in range(repeats):
        for label, cores in (("1 core", "0"), ("2 cores", None)):
            took, embedded, home = import_once(source, cores)
            seconds[label].append(took)
            homes.append(home)
    figures["entries embedded"] = embedded
    for label, runs in seconds.items():
        figures[f"import, {label}: s"] = spread(runs)
        per_second = [embedded / took for took in runs]
        figures[f"import, {label}: entries/s"] = spread(per_second, 1, higher_is_better=True)
    rates: dict[str, list[float]] = {strategy: [] for strategy in STRATEGIES}
    with tempfile.TemporaryDirectory() as scratch:
        texts_file = Path(scratch) / "texts.json"
        texts_file.write_text(json.dumps(embedding_texts(homes[-1])), encoding="utf-8")
        for _ in range(repeats):
            for strategy in STRATEGIES:
                rates[strategy].append(strategy_rate(strategy, texts_file))
    for strategy, runs in rates.items():
        figures[f"embed only, {strategy}: texts/s"] = spread(runs, 1, higher_is_better=True)
    first, second, stale = [], [], []
    for run_home in homes[-repeats:]:
        first.append(cli(run_home, "ask", QUESTION)[0])
        second.append(cli(run_home, "ask", QUESTION)[0])
        delete_vectors(run_home)
        stale.append(cli(run_home, "ask", QUESTION)[0])
    figures["first ask after the import: s"] = spread(first)
    figures["second ask: s"] = spread(second)
    figures["first ask, nothing embedded at import: s"] = spread(stale)
    for leftover in homes:
        shutil.rmtree(leftover, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--strategy", choices=STRATEGIES, help=argparse.SUPPRESS)
    parser.add_argument("--texts", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.strategy:  # a child process measuring one strategy
        texts = json.loads(Path(args.texts).read_text(encoding="utf-8"))
        print(run_strategy(args.strategy, texts))
        return 0
    missing = [name for name in LISTS if not (AWESOME / name).is_file()]
    if missing:
        print(f"bench_import: lists not found in {AWESOME}: {', '.join(missing)}", file=sys.stderr)
        return 1
    load_before = os.getloadavg()
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for name in LISTS:
            copy = Path(scratch) / name
            shutil.copyfile(AWESOME / name, copy)
            results.append(measure(copy, args.repeats))
    load_after = os.getloadavg()
    keys = list(results[0])
    width = max(len(key) for key in keys)
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores)")
    for key in keys:
        print(f"{key:<{width}}  " + "  ".join(f"{r[key]!s:>36}" for r in results))
    if args.json:
        report = {"load_before": load_before, "load_after": load_after, "lists": results}
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
