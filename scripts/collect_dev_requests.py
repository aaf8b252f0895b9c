"""Collect the questions of the evaluation's development cases into taxonomy/dev_requests.toml.

Each question, with the task its case is labelled with, becomes one more example request for
the meaning signal of the understanding stage (taxonomy.REQUESTS). Only cases meant for
tuning are read: the `dev/` half of a split set, and the whole of a set that was never split
(the built-in cases, unseen4). No `heldout/` case is ever read (tests/test_taxonomy_vectors.py
checks the file against every held-out question), and no case of a set kept for a later round
(its README still says "**Neither half has been run.**" or "**The dev half has not been
run.**"). Hostile cases are left out: their planted
words are no way a user asks. Run it after a new set's dev half lands, then
scripts/embed_taxonomy.py:

    .venv/bin/python scripts/collect_dev_requests.py
    .venv/bin/python scripts/embed_taxonomy.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from scholarflow import taxonomy
from scholarflow.evaluation.cases import load_case, question_of
from scholarflow.grounding import detect_language

EVALUATION = Path(__file__).resolve().parent.parent / "src" / "scholarflow" / "evaluation"
TARGET = Path(taxonomy.__file__).with_name("dev_requests.toml")

HEADER = """\
# Questions of the evaluation's development cases, each under the task its case is labelled
# with: more example requests for the meaning signal (taxonomy.REQUESTS, read after
# examples.toml). Written blind by helpers who never saw the code, in their own words; the
# English ones only, as the meaning signal reads English. Made by
# scripts/collect_dev_requests.py: do not edit by hand.
#
# Only cases meant for tuning are here: the dev/ half of each split set and the whole of the
# sets never split. No held-out question (tests/test_taxonomy_vectors.py checks), no hostile
# case, no question in another language. Like examples.toml, this file is not vocabulary of
# the grounding screen.
"""


# A set written for a later round says so at the top of its README until its dev half is
# taken up: none of it is read, so that it stays blind until then. (A set whose held-out half
# was run early, untouched, keeps its dev half blind the same way.)
NOT_YET_RUN = ("**Neither half has been run.**", "**The dev half has not been run.**")


def _kept_blind(folder: Path) -> bool:
    readme = folder / "README.md"
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    return any(marker in text for marker in NOT_YET_RUN)


def tuning_case_files(root: Path = EVALUATION) -> list[Path]:
    """Every case file meant for tuning, in a stable order."""
    files: list[Path] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        if _kept_blind(folder):
            continue
        if (folder / "heldout").is_dir() or (folder / "dev").is_dir():
            files.extend(sorted((folder / "dev").glob("*.toml")))
        else:
            files.extend(sorted(folder.glob("*.toml")))
    return files


def collect(files: list[Path]) -> dict[str, list[str]]:
    """Per task id, the questions of the cases labelled with it (no duplicates)."""
    known = taxonomy.tasks()
    by_task: dict[str, list[str]] = defaultdict(list)
    for path in files:
        case = load_case(path)
        task = case.expect.task
        if "hostile" in case.tags or not case.expect.served or task not in known:
            continue
        question = question_of(case)
        # The meaning signal reads English questions only: a question in another language
        # would only draw a short or mixed one that is taken for English.
        if not question or detect_language(question) != "en":
            continue
        if question not in by_task[task]:
            by_task[task].append(question)
    return dict(by_task)


def render(by_task: dict[str, list[str]]) -> str:
    lines = [HEADER]
    for task_id in taxonomy.tasks():  # the taxonomy's order
        if by_task.get(task_id):
            lines.append(f"[{task_id}]\nexamples = [")
            lines.extend(f"  {json.dumps(q, ensure_ascii=False)}," for q in by_task[task_id])
            lines.append("]\n")
    return "\n".join(lines)


def main() -> int:
    by_task = collect(tuning_case_files())
    TARGET.write_text(render(by_task), encoding="utf-8")
    count = sum(len(v) for v in by_task.values())
    print(f"wrote {count} questions of {len(by_task)} tasks to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
