"""How long a hostile LLM server can hold `scholarflow answer --writer llm`, through the CLI.

Each case scripts the test suite's fake OpenAI server (tests/fake_openai.py, a real HTTP server
on loopback) to misbehave: trickle one byte every few seconds, flood 10 MB, end a stream
without `[DONE]` or mid-way, send invalid UTF-8, or chain `Retry-After` waits. The CLI runs
in a fresh process per case; the table shows its exit code, wall time, the number of lines on
stderr and the last of them. The first row, a well-behaved server, is the floor: interpreter
start-up and answering, paid by every case.

    .venv/bin/python benchmarks/bench_llm_hostile.py [--deadline 120] [--kill-after 200]
    .venv/bin/python benchmarks/bench_llm_hostile.py --src /tmp/before/src   # another tree

`--src` runs the CLI from another source tree (e.g. an older commit unpacked with
`git archive COMMIT src | tar -x -C /tmp/before`), to compare before and after a change. A
case still running after `--kill-after` seconds is killed and shown as such.

This is a benchmark, not a test: it fails (exit 1) only when a case cannot be run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

from fake_openai import FakeOpenAIServer, Reply  # noqa: E402

PROMPT = REPO_ROOT / "tests" / "prompts" / "phone_depth.txt"
TEN_MB = 10 * 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    reply: Reply
    stream: bool = False
    env: tuple[tuple[str, str], ...] = ()


@dataclass
class Outcome:
    case: str
    exit_code: int | None  # None: killed
    seconds: float
    stderr_lines: int
    stderr_bytes: int
    last_line: str


def cases(text: str, trickle: float) -> list[Case]:
    many_retries = (("SCHOLARFLOW_LLM_MAX_RETRIES", "10"),)
    return [
        # A well-behaved server: what start-up and answering cost, for reference.
        Case("good reply (reference)", Reply(text)),
        Case("trickle, json", Reply(text, trickle=trickle)),
        Case("trickle, stream", Reply(text, trickle=trickle), stream=True),
        Case("flood 10 MB, json", Reply(flood=TEN_MB)),
        Case("flood 10 MB, stream", Reply(flood=TEN_MB), stream=True),
        Case("finish_reason, no [DONE]", Reply(text, stream_end="no_done"), stream=True),
        Case("stream stops mid-way", Reply(text, stream_end="cut"), stream=True),
        Case("invalid UTF-8, json", Reply(text, invalid_utf8=True)),
        Case("invalid UTF-8, stream", Reply(text, invalid_utf8=True), stream=True),
        Case("Retry-After 30 chain", Reply(status=429, headers={"Retry-After": "30"})),
        Case(
            "Retry-After 1 chain, 10 retries",
            Reply(status=429, headers={"Retry-After": "1"}),
            env=many_retries,
        ),
        Case("Retry-After 3600", Reply(status=429, headers={"Retry-After": "3600"})),
    ]


def good_reply() -> str:
    """A well-formed answer: the template's, so only the server's behaviour varies."""
    from scholarflow.engine import answer
    from scholarflow.prompt_format import parse_prompt

    return answer(parse_prompt(PROMPT.read_text(encoding="utf-8"))).markdown


def run(case: Case, args: argparse.Namespace, home: Path) -> Outcome:
    env = dict(os.environ, SCHOLARFLOW_HOME=str(home), SCHOLARFLOW_LLM_DEADLINE=args.deadline)
    env.update(case.env)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        env.pop(name, None)
    if args.src:
        env["PYTHONPATH"] = str(Path(args.src).resolve())
    with FakeOpenAIServer(case.reply, model="bench-model") as server:
        command = [
            sys.executable,
            "-m",
            "scholarflow.cli",
            "answer",
            str(PROMPT),
            "--writer",
            "llm",
            "--llm-base-url",
            server.base_url,
            "--llm-model",
            "bench-model",
            *(["--stream"] if case.stream else []),
        ]
        started = time.perf_counter()
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            process = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=REPO_ROOT)
            try:
                code: int | None = process.wait(timeout=args.kill_after)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                code = None
            seconds = time.perf_counter() - started
            err.seek(0)
            stderr = err.read().decode("utf-8", "replace")
    lines = stderr.splitlines()
    return Outcome(
        case=case.name,
        exit_code=code,
        seconds=round(seconds, 2),
        stderr_lines=len(lines),
        stderr_bytes=len(stderr.encode()),
        last_line=(lines[-1] if lines else "")[:160],
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deadline", default="120", help="SCHOLARFLOW_LLM_DEADLINE (120)")
    parser.add_argument("--trickle", type=float, default=2.0, help="seconds per byte (2)")
    parser.add_argument("--kill-after", type=float, default=200.0, help="seconds (200)")
    parser.add_argument("--src", help="run the CLI from this source tree (PYTHONPATH)")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--json", metavar="PATH", help="also write the outcomes as JSON")
    args = parser.parse_args()
    outcomes: list[Outcome] = []
    text = good_reply()
    print(f"{'case':<34} {'exit':>6} {'seconds':>8} {'stderr':>13}  last stderr line")
    for case in cases(text, args.trickle):
        if args.only and args.only not in case.name:
            continue
        with tempfile.TemporaryDirectory() as home:
            outcome = run(case, args, Path(home))
        outcomes.append(outcome)
        code = "killed" if outcome.exit_code is None else str(outcome.exit_code)
        size = f"{outcome.stderr_lines} l/{outcome.stderr_bytes} B"
        print(
            f"{outcome.case:<34} {code:>6} {outcome.seconds:>8.2f} {size:>13}  "
            f"{outcome.last_line[:90]}",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(o) for o in outcomes], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
