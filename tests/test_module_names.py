"""Each module-level name is bound once: a second binding of a name far down a long module
silently replaces the first for every function that reads it, wherever that function sits
(twice, a pattern written for one reader was replaced by another reader's of the same name)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "scholarflow"


def _bound_twice(tree: ast.Module) -> list[str]:
    counts: Counter[str] = Counter()
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            # (a name bound again from itself, `_MARKERS = _variants(_MARKERS)`, extends itself
            # on purpose: it is one binding)
            reads = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            targets = [t for t in node.targets if not (isinstance(t, ast.Name) and t.id in reads)]
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            counts[node.name] += 1
        counts.update(t.id for t in targets if isinstance(t, ast.Name))
    return sorted(name for name, count in counts.items() if count > 1)


@pytest.mark.parametrize(
    "path", sorted(SOURCE.rglob("*.py")), ids=lambda p: str(p.relative_to(SOURCE))
)
def test_no_module_binds_a_name_twice(path: Path) -> None:
    assert _bound_twice(ast.parse(path.read_text(encoding="utf-8"))) == []


def test_a_name_bound_twice_is_found() -> None:
    tree = ast.parse("A = 1\ndef f():\n    return A\nA = 2\nB = [1]\nB = sorted(B)\n")
    assert _bound_twice(tree) == ["A"]
