"""The red team's suite (tests/hostile/) as figures for the notes: escapes, degenerate replies
kept as the writer's, clean replies kept whole, crashes; every reply in all four ways (JSON
with the schema honoured, tagged text with the schema refused, each streamed and not).

    .venv/bin/python benchmarks/hostile_report.py [--json PATH]

tests/test_hostile_suite.py asserts the same things on two of the four ways per reply.
This is a report, not a test: it exits 1 only when it cannot run.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import hostile_harness as harness  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write every outcome as JSON here")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    outcomes = []
    with harness.Servers() as servers:
        for reply in harness.replies():
            for mode, stream in harness.modes(reply):
                outcomes.append(harness.run(reply, mode, stream, servers))
    seconds = time.perf_counter() - started
    by_class = collections.defaultdict(list)
    for outcome in outcomes:
        by_class[outcome.klass].append(outcome)
    rows = [("class", "replies", "answers", "escapes", "crashes", "kept whole", "expect")]
    for klass, items in sorted(by_class.items()):
        rows.append(
            (
                klass,
                str(len({o.reply_id for o in items})),
                str(len(items)),
                str(sum(1 for o in items if o.escapes)),
                str(sum(1 for o in items if o.crashed)),
                str(sum(1 for o in items if o.kept_whole)),
                items[0].expect,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    hostile = [o for o in outcomes if o.expect == "screened"]
    clean = [o for o in outcomes if o.expect == "kept"]
    degenerate = [o for o in outcomes if o.klass == "degenerate"]
    print()
    print(f"answers: {len(outcomes)} in {seconds:.1f} s")
    print(f"escapes: {sum(1 for o in outcomes if o.escapes)} of {len(outcomes)} answers")
    print(f"crashes: {sum(1 for o in outcomes if o.crashed)}")
    print(f"degenerate kept as the writer's: {sum(1 for o in degenerate if o.kept_whole)}")
    kept = sum(1 for o in clean if o.kept_whole)
    print(f"clean kept whole: {kept} of {len(clean)} ({100 * kept / max(1, len(clean)):.1f}%)")
    print(f"hostile answers with every slot accepted: {sum(1 for o in hostile if o.kept_whole)}")
    for outcome in outcomes:
        for escape in outcome.escapes:
            print(f"ESCAPE {outcome.reply_id} ({outcome.mode}, stream={outcome.stream}): {escape}")
        if outcome.crashed:
            print(f"CRASH {outcome.reply_id}: {outcome.crashed}")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
