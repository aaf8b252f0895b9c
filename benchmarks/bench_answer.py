"""Benchmark for `scholarflow answer <seed> --format json`.

Measures cold start (a new process per run: wall time and peak memory), whether torch gets
imported, and warm in-process throughput, then prints a table against the targets.

Run it from the repository root with either of:

    make bench
    .venv/bin/python benchmarks/bench_answer.py [--runs N] [--seeds DIR] [--json PATH]

This is a benchmark, not a test: it fails (exit 1) only when a run fails or no seeds exist.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import scholarflow.engine
import scholarflow.prompt_format
import scholarflow.render

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = REPO_ROOT / ".venv" / "bin"
CLI = VENV_BIN / "scholarflow"
PYTHON = VENV_BIN / "python"

WARMUP_PASSES = 3
WARM_SECONDS = 3.0
MIN_WARM_ANSWERS = 20

TARGET_COLD_MEDIAN_S = 1.0
TARGET_WARM_PER_S = 200.0
TARGET_PEAK_RSS_MB = 200.0

# Run in a fresh interpreter: answer one seed, then report which heavy modules got imported.
# The output goes to a temporary file so the check needs nothing from the machine.
TORCH_CHECK = """\
import json, os, sys, tempfile
from scholarflow.cli import main
with tempfile.TemporaryDirectory() as tmp:
    rc = main(['answer', sys.argv[1], '--format', 'json', '-o', os.path.join(tmp, 'a.json')])
print(json.dumps({'rc': rc, 'torch': 'torch' in sys.modules, 'numpy': 'numpy' in sys.modules}))
"""


@dataclass
class ColdResult:
    runs: int
    median_s: float
    min_s: float
    max_s: float
    peak_rss_mb: float


@dataclass
class ImportResult:
    torch_imported: bool
    numpy_imported: bool


@dataclass
class WarmResult:
    answers: int
    seconds: float
    answers_per_s: float
    mean_ms: float


class BenchError(Exception):
    """A benchmark step failed; the message is one line for the user."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=10, help="cold-start runs (default 10)")
    parser.add_argument("--seeds", type=Path, default=None, help="directory of *.txt prompts")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH",
                        help="also write the numbers to this JSON file")  # fmt: skip
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def default_seed_dir() -> Path:
    shared = (REPO_ROOT / ".." / "shared" / "examples" / "seeds").resolve()
    return shared if shared.is_dir() else REPO_ROOT / "examples"


def find_seeds(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.glob("*.txt") if path.is_file())


# The child of a fork inherits its parent's memory high-water mark in ru_maxrss, so the
# command is started by a small wrapper process, whose own size is a few MB, not by this one.
_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(child.stderr.read().decode(errors="replace"))
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def run_cold_once(seed: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `scholarflow answer` in a new process."""
    command = [str(CLI), "answer", str(seed), "--format", "json"]
    done = subprocess.run(
        [str(PYTHON), "-c", _MEASURE, *command], capture_output=True, text=True, check=False
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise BenchError(f"cold run failed: {done.stderr.strip() or '(no stderr)'}")
    seconds, peak_kib, code = done.stdout.split()
    if code != "0":
        raise BenchError(f"cold run exited {code}: {done.stderr.strip() or '(no stderr)'}")
    return float(seconds), int(peak_kib)  # ru_maxrss is in KiB on Linux


def measure_cold(seed: Path, runs: int) -> ColdResult:
    times: list[float] = []
    peak_kib = 0
    for _ in range(runs):
        elapsed, rss_kib = run_cold_once(seed)
        times.append(elapsed)
        peak_kib = max(peak_kib, rss_kib)
    return ColdResult(
        runs=runs,
        median_s=statistics.median(times),
        min_s=min(times),
        max_s=max(times),
        peak_rss_mb=peak_kib * 1024 / 1_000_000,
    )


def check_imports(seed: Path) -> ImportResult:
    with tempfile.TemporaryDirectory() as cwd:
        done = subprocess.run(
            [str(PYTHON), "-c", TORCH_CHECK, str(seed)],
            capture_output=True, text=True, cwd=cwd, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise BenchError(f"torch check exited {done.returncode}: {done.stderr.strip()}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    if report["rc"] != 0:
        raise BenchError(f"torch check: main() returned {report['rc']}: {done.stderr.strip()}")
    return ImportResult(torch_imported=report["torch"], numpy_imported=report["numpy"])


def answer_all(texts: list[str], *, clear_caches: bool = False) -> int:
    for text in texts:
        if clear_caches:
            scholarflow.engine.clear_caches()
        request = scholarflow.prompt_format.parse_prompt(text)
        result = scholarflow.engine.answer(request)
        scholarflow.render.render(result, "json")
    return len(texts)


def measure_warm(seeds: list[Path], *, clear_caches: bool = False) -> WarmResult:
    """Answers per second in this process. With `clear_caches`, the per-source-text caches
    (sentence analysis, token sets) are emptied before every answer, as if every request
    brought sources never seen before."""
    texts = [seed.read_text(encoding="utf-8-sig") for seed in seeds]
    for _ in range(WARMUP_PASSES):
        answer_all(texts)
    answers = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < WARM_SECONDS or answers < MIN_WARM_ANSWERS:
        answers += answer_all(texts, clear_caches=clear_caches)
        elapsed = time.perf_counter() - start
    return WarmResult(
        answers=answers,
        seconds=elapsed,
        answers_per_s=answers / elapsed,
        mean_ms=elapsed / answers * 1000,
    )


def print_table(
    cold: ColdResult, imports: ImportResult, warm: WarmResult, fresh: WarmResult
) -> None:
    rows = [
        ("metric", "measured", "target"),
        (
            f"cold median ({cold.runs} runs)",
            f"{cold.median_s:.3f} s (min {cold.min_s:.3f}, max {cold.max_s:.3f})",
            f"<= {TARGET_COLD_MEDIAN_S:.1f} s",
        ),
        (
            "warm throughput",
            f"{warm.answers_per_s:.1f} answers/s ({warm.mean_ms:.2f} ms/answer)",
            f">= {TARGET_WARM_PER_S:.0f} answers/s",
        ),
        (
            "warm, unseen sources",
            f"{fresh.answers_per_s:.1f} answers/s ({fresh.mean_ms:.2f} ms/answer)",
            "-",
        ),
        ("peak RSS (cold)", f"{cold.peak_rss_mb:.1f} MB", f"<= {TARGET_PEAK_RSS_MB:.0f} MB"),
        ("torch imported", yes_no(imports.torch_imported), "no"),
        ("numpy imported", yes_no(imports.numpy_imported), "-"),
    ]
    widths = [max(len(row[col]) for row in rows) for col in range(3)]
    for index, row in enumerate(rows):
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print(" | ".join(cells).rstrip())
        if index == 0:
            print("-+-".join("-" * width for width in widths))


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def write_json(
    path: Path,
    seed_dir: Path,
    cold: ColdResult,
    imports: ImportResult,
    warm: WarmResult,
    fresh: WarmResult,
) -> None:
    numbers = {
        "seed_dir": str(seed_dir),
        "cold": asdict(cold),
        "imports": asdict(imports),
        "warm": asdict(warm),
        "warm_unseen_sources": asdict(fresh),
        "targets": {
            "cold_median_s": TARGET_COLD_MEDIAN_S,
            "warm_answers_per_s": TARGET_WARM_PER_S,
            "peak_rss_mb": TARGET_PEAK_RSS_MB,
            "torch_imported": False,
        },
    }
    path.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    seed_dir: Path = args.seeds if args.seeds is not None else default_seed_dir()
    seeds = find_seeds(seed_dir)
    print(f"seeds: {seed_dir} ({len(seeds)} prompt files)")
    if not seeds:
        print(f"bench_answer: error: no *.txt prompt files in {seed_dir}", file=sys.stderr)
        return 1
    try:
        cold = measure_cold(seeds[0], args.runs)
        imports = check_imports(seeds[0])
    except BenchError as error:
        print(f"bench_answer: error: {error}", file=sys.stderr)
        return 1
    warm = measure_warm(seeds)
    fresh = measure_warm(seeds, clear_caches=True)
    print(f"cold seed: {seeds[0].name}")
    print()
    print_table(cold, imports, warm, fresh)
    if args.json is not None:
        write_json(args.json, seed_dir, cold, imports, warm, fresh)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
