"""Benchmark: /api/ask latency while the catalog grows under a running server.

Starts `scholarflow serve` as its own process on 127.0.0.1 (scratch catalog of the built-in
entries), warms it with one /api/ask, then keeps several clients asking free questions while
`scholarflow catalog import` adds N generated entries (JSONL) to the same catalog from
another process. The new entries must be embedded and the dense index rebuilt; the figures
say what the clients paid meanwhile.

It prints /api/ask p50/p99/max for two windows, before the import and from the start of the
import until the server's index holds the new entries (found by meaning: a search for the
last of them has a dense rank), and the seconds that took.

Run it from the repository root:

    .venv/bin/python benchmarks/bench_server_import.py [--entries 500] [--clients 4]
                                                         [--json PATH]

This is a benchmark, not a test: it fails (exit 1) only when a request fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from bench_retrieval import VOCABULARY
from bench_server import QUESTIONS, start_server

REPO_ROOT = Path(__file__).resolve().parent.parent
# How long the clients keep asking once the index holds the new entries, and the longest the
# benchmark waits for that: it stops by itself even if the server never catches up.
SETTLE_S = 1.0
BASELINE_S = 3.0
MAX_WAIT_S = 1200.0


def synthetic_records(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """`count` catalog records that read like papers: domain words (bench_retrieval's) mixed
    with pronounceable lowercase filler, so they compete with the built-in entries for the
    benchmark's questions. Filler like "w15" is not used: the grounding guard rightly takes
    a letter-and-digits word for a model name and refuses answers that quote it."""
    rng = random.Random(seed)
    syllables = ["ka", "lu", "vo", "ri", "sen", "ta", "mo", "pel", "di", "ra", "no", "quim"]
    filler = sorted({"".join(rng.choices(syllables, k=3)) for _ in range(2000)})
    records = []
    for number in range(count):
        words = [
            rng.choice(VOCABULARY) if rng.random() < 0.35 else rng.choice(filler) for _ in range(70)
        ]
        name = "".join(rng.choices(syllables, k=3)).capitalize() + f"Net{number}"
        records.append(
            {
                "title": f"{name}: " + " ".join(words[:7]).capitalize(),
                "name": name,
                "summary": " ".join(words[7:]).capitalize() + ".",
                "tags": words[:2],
                "kind": "paper",
            }
        )
    return records


def write_entries(path: Path, count: int) -> str:
    """N synthetic entries as `catalog import` JSONL; returns the title of the last one."""
    records = synthetic_records(count)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(records[-1]["title"])


def percentiles(latencies: list[float]) -> dict[str, float]:
    if not latencies:
        return {"requests": 0}
    ordered = sorted(latencies)
    cuts = (
        statistics.quantiles(ordered, n=100, method="inclusive")
        if len(ordered) > 1
        else ordered * 99
    )
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def indexed(url: str, title: str) -> bool:
    """Whether the server's dense index holds the entry titled `title`."""
    response = httpx.get(
        f"{url}/api/catalog/search", params={"q": title, "limit": 5}, timeout=MAX_WAIT_S
    )
    hits = response.json() if response.status_code == 200 else []
    return any(hit["title"] == title and hit["dense_rank"] is not None for hit in hits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500, help="entries imported (500)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent askers (4)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as scratch:
        catalog = Path(scratch) / "catalog.db"
        source = Path(scratch) / "new.jsonl"
        last_title = write_entries(source, args.entries)
        process, url = start_server(catalog)
        samples: list[tuple[float, float]] = []  # (start, latency), monotonic seconds
        failures: list[str] = []
        stop = threading.Event()

        def ask(client_number: int) -> None:
            with httpx.Client(base_url=url, timeout=120) as client:
                number = client_number
                while not stop.is_set():
                    body = {"question": QUESTIONS[number % len(QUESTIONS)]}
                    number += 1
                    start = time.monotonic()
                    response = client.post("/api/ask", json=body)
                    elapsed = time.monotonic() - start
                    if response.status_code != 200:
                        failures.append(f"{response.status_code}: {response.text[:200]}")
                        stop.set()
                        return
                    samples.append((start, elapsed))

        try:
            httpx.post(f"{url}/api/ask", json={"question": QUESTIONS[0]}, timeout=120)  # embeds
            threads = [
                threading.Thread(target=ask, args=(n,), daemon=True) for n in range(args.clients)
            ]
            for thread in threads:
                thread.start()
            time.sleep(BASELINE_S)
            import_start = time.monotonic()
            imported = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "scholarflow.cli",
                    "catalog",
                    "import",
                    str(source),
                    "--catalog",
                    str(catalog),
                ],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "SCHOLARFLOW_PROGRESS": "0"},
            )
            import_seconds = time.monotonic() - import_start
            if imported.returncode != 0:
                raise SystemExit(f"catalog import failed: {imported.stderr.strip()}")
            deadline = import_start + MAX_WAIT_S
            while not indexed(url, last_title):
                if failures:
                    raise SystemExit(f"/api/ask failed: {failures[0]}")
                if time.monotonic() > deadline:
                    raise SystemExit("the server's index did not take in the new entries")
                time.sleep(0.2)
            index_ready = time.monotonic()
            time.sleep(SETTLE_S)
        finally:
            stop.set()
            process.terminate()
            process.wait(timeout=10)
        if failures:
            raise SystemExit(f"/api/ask failed: {failures[0]}")

    before = [latency for start, latency in samples if start < import_start]
    during = [latency for start, latency in samples if import_start <= start <= index_ready]
    report: dict[str, Any] = {
        "entries": args.entries,
        "clients": args.clients,
        "import_s": round(import_seconds, 2),
        "index_ready_s": round(index_ready - import_start, 2),
        "before": percentiles(before),
        "during": percentiles(during),
    }
    print(
        f"import of {args.entries} entries: {report['import_s']} s; the server's index held "
        f"them {report['index_ready_s']} s after the import started"
    )
    for window in ("before", "during"):
        figures = report[window]
        print(
            f"/api/ask {window:<6} ({args.clients} clients, {figures['requests']} requests): "
            f"p50 {figures.get('p50_ms')} ms, p99 {figures.get('p99_ms')} ms, "
            f"max {figures.get('max_ms')} ms"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
