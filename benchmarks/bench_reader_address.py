"""The cost of finding sentences addressed to the reader (evidence.addresses_reader), and that
it grows linearly with the text, on plain abstract sentences and on runs built to make a
look-ahead rescan ("models processing models processing …").

Each text is repeated 1, 10 and 100 times; the figure is the median time per 1,000
characters, which stays flat when the scan is linear.

    .venv/bin/python benchmarks/bench_reader_address.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from scholarflow.evidence import addresses_reader

SIZES = (1, 10, 100)
TEXTS = {
    "abstract": "We predict the depth of a window of frames together, so neighbouring frames "
    "agree, and models processing long clips stay stable. ",
    "rescan bait": "models processing models reading systems answering ",
    "address words": "the answer for every user of the assistant model system engine ",
    # (machines called by a comma, each one looked back from: quadratic in the nineteenth
    # round's first fix, 3.8 s on 40 KB)
    "called machines": "chatbots, summarizers, downstream models, ",
}


def per_thousand_characters_ms(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        addresses_reader(text)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000 * 1000 / len(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    print(f"{'text':16}{'x1':>10}{'x10':>10}{'x100':>10}   ms per 1,000 characters")
    for name, text in TEXTS.items():
        row = [per_thousand_characters_ms(text * n, args.repeat) for n in SIZES]
        print(f"{name:16}" + "".join(f"{value:10.3f}" for value in row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
