"""Benchmark for the HTTP server (`scholarflow serve`): latency and throughput under load.

Starts the server as its own process on 127.0.0.1 (a free port, a scratch catalog of the
built-in entries), waits for /health, then sends POST /api/answer with the prompts of
tests/prompts from several concurrent clients (threads, one httpx connection each), checks
every reply (200, schema_version 1) and prints p50/p95 latency and answers per second. With
`--ask N` it also sends N free questions to /api/ask (catalog retrieval, embedding included).

Run it from the repository root:

    .venv/bin/python benchmarks/bench_server.py [--requests 200] [--clients 8] [--ask 50]
                                                 [--json PATH]

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
    "serve(port=int(sys.argv[1]), catalog_path=Path(sys.argv[2]), token='')"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(catalog: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), str(catalog)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with code {process.returncode}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not answer /health within 60 s")


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

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        latencies = sorted(pool.map(send, bodies))
    wall = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(bodies),
        "clients": clients,
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "per_s": round(len(bodies) / wall, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="/api/answer requests")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--ask", type=int, default=0, help="/api/ask requests (default none)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    prompts = [path.read_text(encoding="utf-8") for path in sorted(PROMPTS.glob("*.txt"))]
    answers = [{"prompt": prompts[n % len(prompts)]} for n in range(args.requests)]
    report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        process, url = start_server(Path(scratch) / "catalog.db")
        try:
            # One of each first: the figures are for a warm server, as in use.
            load(url, 1, answers[: len(prompts)], "/api/answer", lambda d: True)
            report["answer"] = load(
                url, args.clients, answers, "/api/answer", lambda d: d["schema_version"] == 1
            )
            if args.ask:
                questions = [{"question": QUESTIONS[n % len(QUESTIONS)]} for n in range(args.ask)]
                load(url, 1, questions[:1], "/api/ask", lambda d: True)  # embeds the catalog
                report["ask"] = load(
                    url, args.clients, questions, "/api/ask", lambda d: d["served"]
                )
        finally:
            process.terminate()
            process.wait(timeout=10)

    for name, figures in report.items():
        print(
            f"/api/{name:<7} {figures['requests']} requests, {figures['clients']} clients: "
            f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
            f"max {figures['max_ms']} ms, {figures['per_s']} per s"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
