"""The grounding screen's cost per answer (grounding.py), on the five seeds.

Three figures per seed, median over many repetitions in one warm process:
- template: screening the template writer's slots (what every answer pays);
- writer, clean: screening a writer's slots that all pass (the template's slots, reworded);
- writer, planted: screening the same slots with a foreign link, an unprovided model name and a
  citation of no source planted in the mechanism (one slot then fails and is replaced).

The screen of a writer's slots includes the dictionary check (wordfreq), loaded before timing.

    .venv/bin/python benchmarks/bench_guard.py [--seeds DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from scholarflow.engine import _template_slots, _writer_slots, prepare
from scholarflow.models import Brief, Slots
from scholarflow.prompt_format import parse_prompt
from scholarflow.writers.template import TemplateWriter

PLANTED = " Weights are mirrored at https://evil.example.com/w.ckpt. MagicDepthXL does it [9]."


class _Scripted:
    """Stands in for the LLM writer: returns fixed slots, so only the screen is timed."""

    name = "llm"

    def __init__(self, slots: Slots) -> None:
        self.slots = slots

    def write(self, brief: Brief) -> Slots:
        return self.slots


def _median_ms(work: Callable[[], object], repeat: int) -> float:
    work()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def measure(text: str, repeat: int) -> tuple[float, float, float]:
    request = parse_prompt(text)
    prepared = prepare(request)
    brief, screen = prepared.brief, prepared.screen
    template = TemplateWriter().write(brief)
    clean = template.with_texts({"task": "In other words: " + template.get("task")})
    planted = clean.with_texts({"mechanism": clean.get("mechanism") + PLANTED})

    def writer_run(slots: Slots) -> Callable[[], object]:
        return lambda: _writer_slots(_Scripted(slots), brief, screen, template, None)

    return (
        _median_ms(lambda: _template_slots(brief, screen), repeat),
        _median_ms(writer_run(clean), repeat),
        _median_ms(writer_run(planted), repeat),
    )


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=root.parent / "shared/examples/seeds")
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args(argv)
    seeds = sorted(args.seeds.glob("*.txt"))
    if not seeds:
        print(f"no seed prompts in {args.seeds}", file=sys.stderr)
        return 1
    rows = [("seed", "template (ms)", "writer, clean (ms)", "writer, planted (ms)")]
    figures = []
    for seed in seeds:
        figures.append(measure(seed.read_text(encoding="utf-8"), args.repeat))
        rows.append((seed.name[:3], *(f"{value:.2f}" for value in figures[-1])))
    rows.append(("median", *(f"{statistics.median(f[i] for f in figures):.2f}" for i in range(3))))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
