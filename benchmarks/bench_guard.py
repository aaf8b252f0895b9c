"""The grounding guard's cost per answer, as the LLM writer pays it.

For each seed: the guard checking a clean answer (accepted), and checking then repairing an
answer with a foreign link, an unprovided model name and a citation of no source planted in
it (repaired). Median over many repetitions, in one warm process.

    .venv/bin/python benchmarks/bench_guard.py [--seeds DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from scholarflow.engine import _grounded, answer
from scholarflow.grounding import Guard
from scholarflow.models import Brief, Sections
from scholarflow.prompt_format import parse_prompt
from scholarflow.signatures import enrich
from scholarflow.writers.template import TemplateWriter

PLANTED = (
    " Weights are mirrored at https://evil.example.com/w.ckpt. MagicDepthXL does this too [9]."
)


class _Scripted:
    """Stands in for the LLM writer: returns fixed sections, so only the guard is timed."""

    name = "llm"

    def __init__(self, sections: Sections) -> None:
        self.sections = sections


def _case(text: str) -> tuple[Brief, Guard, Sections, Sections]:
    request = parse_prompt(text)
    produced = answer(request)
    sources = tuple(enrich(s) for s in request.sources)
    captured: dict[str, Brief] = {}

    class Capture(TemplateWriter):
        def write(self, brief: Brief) -> Sections:
            captured["brief"] = brief
            return super().write(brief)

    answer(request, writer=Capture())
    clean = produced.sections
    dirty = clean.model_copy(update={"task": clean.task + PLANTED})
    return captured["brief"], Guard(sources), clean, dirty


def _median_ms(sections: Sections, brief: Brief, guard: Guard, repeat: int) -> float:
    writer = _Scripted(sections)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        _grounded(sections, writer, brief, guard)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("--seeds", type=Path, default=root.parent / "shared/examples/seeds")
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args(argv)
    seeds = sorted(args.seeds.glob("*.txt")) or sorted((root / "examples").glob("*.txt"))
    clean_ms, repair_ms = [], []
    for seed in seeds:
        brief, guard, clean, dirty = _case(seed.read_text(encoding="utf-8"))
        clean_ms.append(_median_ms(clean, brief, guard, args.repeat))
        repair_ms.append(_median_ms(dirty, brief, guard, args.repeat))
    print(f"{len(seeds)} seeds, median of {args.repeat} runs each")
    print(f"guard, clean answer (accepted):      {statistics.median(clean_ms):.2f} ms per answer")
    print(f"guard, planted answer (repaired):    {statistics.median(repair_ms):.2f} ms per answer")
    return 0


if __name__ == "__main__":
    sys.exit(main())
