"""Split the unseen cases into dev/ and heldout/ at random, balanced by tag.

Usage: python3 split.py [POOL_DIR ...]

Reads every *.toml in dev/, heldout/ and any POOL_DIR given, orders them by file
name, shuffles them with a fixed seed, then assigns each case in turn to the half
where its tags are rarer so far (the four main classes weigh more), keeping the two
halves' sizes within one of each other. Files are moved into place. The result only
depends on the set of file names and their tags, so re-running it is a no-op.
"""

import random
import shutil
import sys
import tomllib
from collections import Counter
from pathlib import Path

SEED = 20261202
MAIN = {"fits": 3, "mismatch": 3, "two-models": 3, "free-question": 3}
HERE = Path(__file__).resolve().parent
HALVES = ("dev", "heldout")


def main(pools):
    files = {}
    for d in [HERE / h for h in HALVES] + [Path(p) for p in pools]:
        for f in sorted(d.glob("*.toml")) if d.is_dir() else []:
            files[f.name] = f
    names = sorted(files)
    rng = random.Random(SEED)
    rng.shuffle(names)
    cap = (len(names) + 1) // 2
    tags = {n: tomllib.loads(files[n].read_text("utf-8")).get("tags", []) for n in names}
    count = {h: Counter() for h in HALVES}
    size = Counter()
    plan = {}
    for n in names:

        def cost(h, n=n):
            other = HALVES[1 - HALVES.index(h)]
            return sum(MAIN.get(t, 1) * (count[h][t] - count[other][t]) for t in tags[n])

        open_halves = [h for h in HALVES if size[h] < cap]
        best = min(open_halves, key=lambda h: (cost(h), size[h], rng.random()))
        plan[n] = best
        size[best] += 1
        count[best].update(tags[n])
    for h in HALVES:
        (HERE / h).mkdir(exist_ok=True)
    for n, h in plan.items():
        dest = HERE / h / n
        if files[n].resolve() != dest.resolve():
            shutil.move(str(files[n]), dest)
    for h in HALVES:
        print(h, size[h], dict(sorted(count[h].items())))


if __name__ == "__main__":
    main(sys.argv[1:])
