"""Benchmark: slow clients (slowloris) against `scholarflow serve` with its default limits.

Starts `scholarflow serve --port 0` (scratch home, default settings), opens N connections
that each send one header byte a second, and meanwhile asks /health once every 0.2 s from
a normal client. Prints when the server closed each slow connection (seconds after it
opened) and what the normal client waited. Every loop is bounded: a connection still open
after --wait seconds counts as not closed.

Run it from the repository root:

    .venv/bin/python benchmarks/bench_slow_clients.py [--clients 50] [--wait 30] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

SERVING = re.compile(r"serving on (http://127\.0\.0\.1:(\d+))")


def start_serve(home: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "scholarflow.cli", "serve", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SCHOLARFLOW_HOME": str(home), "SCHOLARFLOW_SERVER_TOKEN": ""},
    )
    assert process.stderr is not None
    for line in process.stderr:
        match = SERVING.search(line)
        if match:
            # Keep reading stderr so the server never blocks on a full pipe.
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, match.group(1)
    raise SystemExit(f"serve exited with code {process.wait()} before printing its URL")


def trickle(port: int, wait: float, closed: list[float | None]) -> None:
    """One byte a second of endless headers; records when the server closed, or None."""
    payload = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: a\r\n" * 100
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        for byte in payload:
            if time.monotonic() - start > wait:
                break
            try:
                sock.sendall(bytes([byte]))
                readable, _, _ = select.select([sock], [], [], 1.0)
                if readable and not sock.recv(4096):
                    closed.append(time.monotonic() - start)
                    return
            except OSError:
                closed.append(time.monotonic() - start)
                return
    closed.append(None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="slow connections (50)")
    parser.add_argument("--wait", type=float, default=30.0, help="longest wait per one (30 s)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as home:
        process, url = start_serve(Path(home))
        port = int(url.rsplit(":", 1)[1])
        closed: list[float | None] = []
        try:
            slow = [
                threading.Thread(target=trickle, args=(port, args.wait, closed), daemon=True)
                for _ in range(args.clients)
            ]
            for thread in slow:
                thread.start()
            waits = []
            with httpx.Client(base_url=url, timeout=args.wait) as client:
                while any(thread.is_alive() for thread in slow):
                    start = time.monotonic()
                    if client.get("/health").status_code != 200:
                        raise SystemExit("/health failed while slow clients were connected")
                    waits.append(time.monotonic() - start)
                    time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=10)

    times = sorted(t for t in closed if t is not None)
    report: dict[str, Any] = {
        "slow_clients": args.clients,
        "closed": len(times),
        "closed_after_s": {
            "min": round(times[0], 2) if times else None,
            "median": round(statistics.median(times), 2) if times else None,
            "max": round(times[-1], 2) if times else None,
        },
        "health_requests": len(waits),
        "health_p50_ms": round(statistics.median(waits) * 1000, 1),
        "health_max_ms": round(max(waits) * 1000, 1),
    }
    spread = report["closed_after_s"]
    print(
        f"{args.clients} clients sending a header byte a second: {len(times)} closed by the "
        f"server, after {spread['min']}-{spread['max']} s (median {spread['median']} s); "
        f"meanwhile {len(waits)} /health: p50 {report['health_p50_ms']} ms, "
        f"max {report['health_max_ms']} ms"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0 if len(times) == args.clients else 1


if __name__ == "__main__":
    sys.exit(main())
