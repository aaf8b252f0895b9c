"""Split the unseen170 cases into dev/ (24) and heldout/ (24), reproducibly.

    python3 split.py          # moves every case file into dev/ or heldout/
    python3 split.py --check  # prints the split and the tag counts, moves nothing

The split depends only on the case ids and tags and on SEED. One run shuffles the ids, then
places them one by one, rarest tags first, into the half that keeps every tag's count
closest to an even split (ties broken by the shuffle order), until each half holds 24; then
pairs are swapped across the halves while a swap lowers the summed squared difference of
the tag counts. RESTARTS runs are made, each from the next shuffle of one
random.Random(SEED), and the most balanced is kept (the first, on a tie). Re-running it on
an already-split folder gives the same halves.
"""

import random
import sys
import tomllib
from collections import Counter
from pathlib import Path

SEED = 20281072
HERE = Path(__file__).resolve().parent
HALVES = ("dev", "heldout")


def load():
    cases = {}
    for path in sorted(HERE.glob("*.toml")) + sorted(HERE.glob("*/*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        cases[data["id"]] = (path, data.get("tags", []))
    return cases


RESTARTS = 200


def split(cases):
    """The most balanced of RESTARTS runs, each from its own shuffle of one seeded generator."""
    rng = random.Random(SEED)
    best = None
    for _ in range(RESTARTS):
        ids = sorted(cases)
        rng.shuffle(ids)
        members, counts, score = split_once(cases, ids)
        if best is None or score < best[2]:
            best = (members, counts, score)
    return best[0], best[1]


def split_once(cases, ids):
    ids = list(ids)
    order = {cid: i for i, cid in enumerate(ids)}
    total = Counter(t for _, tags in cases.values() for t in tags)
    # place the cases with the rarest tags first, so they are spread before the halves fill
    ids.sort(key=lambda cid: (min((total[t] for t in cases[cid][1]), default=99), order[cid]))
    cap = len(ids) // 2
    counts = {h: Counter() for h in HALVES}
    members = {h: [] for h in HALVES}
    for cid in ids:
        tags = cases[cid][1]

        def cost(h, tags=tags):
            other = HALVES[1 - HALVES.index(h)]
            return sum(abs((counts[h][t] + 1) - counts[other][t]) for t in tags)

        open_halves = [
            h for h in HALVES if len(members[h]) < cap + (len(ids) % 2 if h == "heldout" else 0)
        ]
        best = min(open_halves, key=lambda h: (cost(h), len(members[h]), HALVES.index(h)))
        members[best].append(cid)
        counts[best].update(tags)

    # then swap pairs across the halves while a swap lowers the imbalance
    # (sum over tags of the squared difference between the halves' counts)
    def imbalance():
        return sum((counts["dev"][t] - counts["heldout"][t]) ** 2 for t in total)

    improved = True
    while improved:
        improved = False
        for a in list(members["dev"]):
            for b in list(members["heldout"]):
                before = imbalance()
                counts["dev"].subtract(cases[a][1])
                counts["dev"].update(cases[b][1])
                counts["heldout"].subtract(cases[b][1])
                counts["heldout"].update(cases[a][1])
                if imbalance() < before:
                    members["dev"][members["dev"].index(a)] = b
                    members["heldout"][members["heldout"].index(b)] = a
                    improved = True
                    break
                counts["dev"].subtract(cases[b][1])
                counts["dev"].update(cases[a][1])
                counts["heldout"].subtract(cases[a][1])
                counts["heldout"].update(cases[b][1])
            if improved:
                break
    for h in HALVES:
        members[h].sort()
    return members, counts, imbalance()


def main():
    cases = load()
    members, counts = split(cases)
    tags = sorted(set(counts["dev"]) | set(counts["heldout"]))
    print(f"{'tag':24} dev heldout")
    for t in tags:
        print(f"{t:24} {counts['dev'][t]:3} {counts['heldout'][t]:7}")
    print(f"{'cases':24} {len(members['dev']):3} {len(members['heldout']):7}")
    if "--check" in sys.argv:
        return
    for h in HALVES:
        (HERE / h).mkdir(exist_ok=True)
        for cid in members[h]:
            path = cases[cid][0]
            target = HERE / h / path.name
            if path != target:
                path.rename(target)


if __name__ == "__main__":
    main()
