"""Batch throughput, local against Dask: records/s of `scholarflow batch` on one input.

Runs the real command as a new process each time, as a user would, on N prompt records
(tests/prompts, in turn): with `--workers 1`, with `--workers 2` (the local process pool),
and with `--dask` against a Dask `LocalCluster` of two worker processes of one thread each,
started beforehand and warmed by a small batch (a cluster outlives the runs sent to it, so
its workers have imported the engine already). Each output is checked against the local
one, byte for byte. What else the machine runs changes these figures: `uptime` is printed
first.

    .venv/bin/python benchmarks/bench_batch_dask.py [--records 2000] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "tests" / "prompts"


def write_input(path: Path, records: int) -> None:
    prompts = [p.read_text(encoding="utf-8") for p in sorted(PROMPTS.glob("*.txt"))]
    lines = (json.dumps({"id": n, "prompt": prompts[n % len(prompts)]}) for n in range(records))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed_batch(source: Path, out: Path, home: Path, *options: str) -> float:
    """Seconds for one `scholarflow batch` process, from its start to its exit."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "batch", str(source), str(out), *options],
        check=True,
        capture_output=True,
        env={**os.environ, "SCHOLARFLOW_HOME": str(home)},
    )
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    report: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source, warm = folder / "in.jsonl", folder / "warm.jsonl"
        write_input(source, args.records)
        write_input(warm, 40)
        for workers in (1, 2):
            seconds = timed_batch(
                source, folder / f"local{workers}.jsonl", folder, "-w", str(workers)
            )
            report[f"local_{workers}_workers"] = args.records / seconds
            print(f"local, {workers} worker(s): {args.records / seconds:.1f} records/s", flush=True)
        started = time.perf_counter()
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            report["dask_cluster_start_s"] = time.perf_counter() - started
            address = cluster.scheduler_address
            timed_batch(warm, folder / "warm-out.jsonl", folder, "--dask", address)
            seconds = timed_batch(source, folder / "dask.jsonl", folder, "--dask", address)
            report["dask_2_workers"] = args.records / seconds
            print(f"dask, 2 workers: {args.records / seconds:.1f} records/s", flush=True)
        same = (folder / "dask.jsonl").read_bytes() == (folder / "local1.jsonl").read_bytes()
        if not same:
            raise SystemExit("bench_batch_dask: the Dask output differs from the local one")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
