"""Benchmark for the HTTP server (`scholarflow serve`): latency and throughput under load.

Starts the server as its own process on 127.0.0.1 (a free port, a scratch catalog of the
built-in entries), waits for /health, then sends POST /api/answer with the prompts of
tests/prompts from several concurrent clients (threads, one httpx connection each), checks
every reply (200, schema_version 1) and prints p50/p95 latency and answers per second. With
`--ask N` it also sends N free questions to /api/ask (catalog retrieval, embedding included).

Run it from the repository root:

    .venv/bin/python benchmarks/bench_server.py [--requests 200] [--clients 8] [--ask 50]
                                                 [--workers N] [--json PATH]

`--workers N` runs the server as `serve --workers N` does (N processes on one port). Each
client keeps one connection open, as a load balancer's pool would, so a worker serves the
connections it accepted; `uptime` is printed first, since the figures depend on what else
the machine runs.

This is a benchmark, not a test: it fails (exit 1) only when a request fails.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parent.parent
PROMPTS = REPO_ROOT / "tests" / "prompts"
QUESTIONS = (
    "How do apps turn a phone video into a depth video that doesn't flicker?",
    "How can one photo become a short video that orbits around the object?",
    "How do you recolour a jacket in a video without it flickering?",
    "How is a photoreal image made from a text prompt?",
)
SERVER = (
    "import sys; from pathlib import Path; from scholarflow.server import serve; "
    "serve(port=int(sys.argv[1]), catalog_path=Path(sys.argv[2]), token='', "
    "workers=int(sys.argv[3]))"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(catalog: Path, workers: int = 1) -> tuple[subprocess.Popen[str], str]:
    """The server, once it says it serves: with several workers, that is when every one of
    them has warmed up (the first /health answer comes as soon as one has)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), str(catalog), str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:  # read to the end, so the pipe never fills
            if line.startswith("scholarflow: serving on"):
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(120) or process.poll() is not None:
        process.kill()
        raise SystemExit(f"the server did not start within 120 s (exit {process.poll()})")
    return process, f"http://127.0.0.1:{port}"


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the server and its worker processes so far. Per answer,
    it says what an answer costs whatever else the machine runs: answers/s on a shared
    machine measure the share the server got, not what it needs."""
    import psutil

    server = psutil.Process(pid)
    total = 0.0
    for process in (server, *server.children(recursive=True)):
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def load(
    url: str, clients: int, bodies: list[dict[str, Any]], path: str, check: Callable[[Any], bool]
) -> dict[str, float]:
    """Send every body from `clients` threads; latency percentiles in ms, throughput per s."""
    local = threading.local()

    def send(body: dict[str, Any]) -> float:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=url, timeout=60)
        start = time.perf_counter()
        response = local.client.post(path, json=body)
        elapsed = time.perf_counter() - start
        if response.status_code != 200 or not check(response.json()):
            raise SystemExit(f"{path}: bad reply {response.status_code}: {response.text[:200]}")
        return elapsed

    start, start_cpu = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = sorted(pool.map(send, bodies))
    wall = time.perf_counter() - start
    client_cpu = time.process_time() - start_cpu  # the load generator's own share of the cores
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(bodies),
        "clients": clients,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "per_s": round(len(bodies) / wall, 1),
        "client_cpu_ms_per_request": round(client_cpu / len(bodies) * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="/api/answer requests")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--ask", type=int, default=0, help="/api/ask requests (default none)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes (1)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())

    prompts = [path.read_text(encoding="utf-8") for path in sorted(PROMPTS.glob("*.txt"))]
    answers = [{"prompt": prompts[n % len(prompts)]} for n in range(args.requests)]
    report: dict[str, Any] = {"workers": args.workers}
    with tempfile.TemporaryDirectory() as scratch:
        process, url = start_server(Path(scratch) / "catalog.db", args.workers)
        try:
            # One of each first: the figures are for a warm server, as in use.
            load(url, 1, answers[: len(prompts)], "/api/answer", lambda d: True)
            used = cpu_seconds(process.pid)
            report["answer"] = load(
                url, args.clients, answers, "/api/answer", lambda d: d["schema_version"] == 1
            )
            used = cpu_seconds(process.pid) - used
            report["answer"]["server_cpu_ms_per_answer"] = round(used / args.requests * 1000, 2)
            report["answer"]["answers_per_core_s"] = round(args.requests / used, 1)
            if args.ask:
                questions = [{"question": QUESTIONS[n % len(QUESTIONS)]} for n in range(args.ask)]
                load(url, 1, questions[:1], "/api/ask", lambda d: True)  # embeds the catalog
                # A refusal ("served": false) is an answer too; how many were served is
                # reported, since a refusal costs less than an answer.
                served: list[bool] = []
                used = cpu_seconds(process.pid)
                report["ask"] = load(
                    url,
                    args.clients,
                    questions,
                    "/api/ask",
                    lambda d: served.append(d["served"]) is None and "sources" in d,
                )
                used = cpu_seconds(process.pid) - used
                report["ask"]["served"] = sum(served)
                report["ask"]["server_cpu_ms_per_answer"] = round(used / args.ask * 1000, 2)
                report["ask"]["answers_per_core_s"] = round(args.ask / used, 1)
        finally:
            process.terminate()
            process.wait(timeout=10)

    for name in ("answer", "ask"):
        if name not in report:
            continue
        figures = report[name]
        print(
            f"/api/{name:<7} {args.workers} worker(s), {figures['requests']} requests, "
            f"{figures['clients']} clients: "
            f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
            f"max {figures['max_ms']} ms, {figures['per_s']} per s"
            + (f" ({figures['served']} served)" if "served" in figures else "")
            + (
                f"; server CPU {figures['server_cpu_ms_per_answer']} ms per answer "
                f"({figures['answers_per_core_s']} answers per core-second); client CPU "
                f"{figures['client_cpu_ms_per_request']} ms per request"
                if "answers_per_core_s" in figures
                else ""
            )
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
