"""Batch throughput, local against Dask: records/s of `scholarflow batch` on one input.

Runs the real command as a new process each time, as a user would, on N prompt records
(tests/prompts, in turn): with `--workers 1`, with `--workers 2` (the local process pool),
and with `--dask` against a Dask `LocalCluster` of two worker processes of one thread each,
started beforehand and warmed by a small batch (a cluster outlives the runs sent to it, so
its workers have imported the engine already). Each output is checked against the local
one, byte for byte. What else the machine runs changes these figures: `uptime` is printed
first, and the CPU time spent per record is given beside records/s (for a local run, that of
the command and every process under it, read every 0.1 s while it runs; for Dask, that of
the two worker processes, read from them), since a shared machine changes it far less.

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

import psutil
from distributed import Client, LocalCluster

ROOT = Path(__file__).resolve().parent.parent
PROMPTS = ROOT / "tests" / "prompts"


def write_input(path: Path, records: int) -> None:
    prompts = [p.read_text(encoding="utf-8") for p in sorted(PROMPTS.glob("*.txt"))]
    lines = (json.dumps({"id": n, "prompt": prompts[n % len(prompts)]}) for n in range(records))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def worker_cpu(client: Client) -> float:
    def own() -> float:
        times = psutil.Process().cpu_times()
        return times.user + times.system

    return sum(client.run(own).values())


def timed_batch(source: Path, out: Path, home: Path, *options: str) -> tuple[float, float]:
    """Seconds for one `scholarflow batch` process, from its start to its exit, and the CPU
    seconds of it and its descendants (pool workers are not its children but the
    forkserver's, so the kernel's per-child accounting would miss them)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "scholarflow.cli", "batch", str(source), str(out), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "SCHOLARFLOW_HOME": str(home)},
    )
    seen: dict[int, float] = {}
    root = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for member in tree:
            try:
                times = member.cpu_times()
            except psutil.NoSuchProcess:
                continue
            seen[member.pid] = times.user + times.system
        time.sleep(0.1)
    if process.wait() != 0:
        raise SystemExit(f"bench_batch_dask: batch {' '.join(options)} exited {process.returncode}")
    return time.perf_counter() - started, sum(seen.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print("uptime:", uptime)
    report: dict[str, float | str] = {"uptime": uptime}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        source, warm = folder / "in.jsonl", folder / "warm.jsonl"
        write_input(source, args.records)
        write_input(warm, 40)
        for workers in (1, 2):
            seconds, cpu = timed_batch(
                source, folder / f"local{workers}.jsonl", folder, "-w", str(workers)
            )
            cpu_ms = cpu / args.records * 1000
            report[f"local_{workers}_workers"] = args.records / seconds
            report[f"local_{workers}_workers_cpu_ms_per_record"] = cpu_ms
            print(
                f"local, {workers} worker(s): {args.records / seconds:.1f} records/s, "
                f"{cpu_ms:.1f} ms CPU per record",
                flush=True,
            )
        started = time.perf_counter()
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            report["dask_cluster_start_s"] = time.perf_counter() - started
            address = cluster.scheduler_address
            timed_batch(warm, folder / "warm-out.jsonl", folder, "--dask", address)
            with Client(address, set_as_default=False) as client:
                cpu = worker_cpu(client)
                seconds, _ = timed_batch(source, folder / "dask.jsonl", folder, "--dask", address)
                cpu_ms = (worker_cpu(client) - cpu) / args.records * 1000
            report["dask_2_workers"] = args.records / seconds
            report["dask_2_workers_cpu_ms_per_record"] = cpu_ms
            print(
                f"dask, 2 workers: {args.records / seconds:.1f} records/s, "
                f"{cpu_ms:.1f} ms CPU per record in the workers",
                flush=True,
            )
        same = (folder / "dask.jsonl").read_bytes() == (folder / "local1.jsonl").read_bytes()
        if not same:
            raise SystemExit("bench_batch_dask: the Dask output differs from the local one")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
