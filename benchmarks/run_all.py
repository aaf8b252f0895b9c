"""`make bench`: every speed figure of the project in one table.

Runs the answer benchmark (cold CLI `answer`, warm answers/s), the retrieval benchmark (cold
CLI `ask`, query latency at 1k/10k/100k entries) and a batch benchmark (records/s with 1 and 2
workers), each as its own process so that none warms the others, then prints one table.
Each benchmark can also be run on its own; see their docstrings.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROMPTS = ROOT / "tests" / "prompts"


def run_json(script: str, *args: str) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [sys.executable, str(HERE / script), *args, "--json", str(report)],
            check=True,
            stdout=sys.stderr,
        )
        return json.loads(report.read_text())


def batch_throughput(workers: int, records: int) -> float:
    """Records per second for `records` prompt records answered by `scholarflow batch`."""
    prompts = [p.read_text(encoding="utf-8") for p in sorted(PROMPTS.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / "in.jsonl"
        lines = (json.dumps({"id": n, "prompt": prompts[n % len(prompts)]}) for n in range(records))
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "scholarflow"),
                "batch",
                str(source),
                str(Path(scratch) / "out.jsonl"),
                "--workers",
                str(workers),
            ],
            check=True,
            capture_output=True,
        )
        return records / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="catalog sizes to query")
    parser.add_argument("--records", type=int, default=400, help="batch records per run")
    parser.add_argument("--json", type=Path, help="also write every figure as JSON")
    args = parser.parse_args(argv)

    answer = run_json("bench_answer.py")
    retrieval = run_json("bench_retrieval.py", "--sizes", args.sizes)
    batch = {workers: batch_throughput(workers, args.records) for workers in (1, 2)}

    cold = answer["cold"]
    warm = answer["warm"]
    ask = retrieval["cold_ask"]
    rows = [
        ("cold `answer` (new process, median of 10)", f"{cold['median_s']:.3f} s", "<= 1.0 s"),
        ("cold `ask` (new process, median of 5)", f"{ask['median_s']:.3f} s", "<= 2.0 s"),
        ("warm answers/s (one process, 5 seeds)", f"{warm['answers_per_s']:.1f}", ">= 200"),
    ]
    for size, figures in retrieval["latency"].items():
        rows.append(
            (
                f"retrieval p50 / p95 at {int(size):,} entries",
                f"{figures['p50_ms']:.1f} / {figures['p95_ms']:.1f} ms",
                "p95 <= 50 ms" if int(size) == 100000 else "-",
            )
        )
    for workers, rate in batch.items():
        rows.append(
            (f"batch, {workers} worker{'s' if workers > 1 else ''}", f"{rate:.1f} records/s", "-")
        )
    widths = [
        max(len(row[i]) for row in [("figure", "measured", "target"), *rows]) for i in range(3)
    ]
    print()
    for index, row in enumerate([("figure", "measured", "target"), *rows]):
        print(" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("-+-".join("-" * width for width in widths))
    if args.json:
        figures = {"answer": answer, "retrieval": retrieval, "batch_records_per_s": batch}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
