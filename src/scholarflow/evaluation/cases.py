"""The case format of `scholarflow eval`: one TOML file per case (see docs/evaluation.md).

A case is a request (a seed-format prompt, or a free question for the catalog) and labels:
the user's task, input and output modalities, the expected main workflow (nodes by kind and
source, edges), whether the recommended model should be flagged as not fitting, strings that
must never appear, and for free questions the catalog entry retrieval should find.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from scholarflow.errors import InputError

NodeLabel = str  # "input:video", "model:DepthCrafter", "operation:composite", "output:video"
EdgeLabel = tuple[NodeLabel, NodeLabel]


@dataclass(frozen=True)
class Expectation:
    task: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    mismatch: bool
    nodes: frozenset[NodeLabel] = frozenset()
    edges: frozenset[EdgeLabel] = frozenset()
    never: tuple[str, ...] = ()
    retrieve: str | None = None  # free questions: the catalog entry id a person would expect
    served: bool = True  # free questions: False when the catalog should say it cannot answer


@dataclass(frozen=True)
class Case:
    id: str
    path: Path
    description: str
    expect: Expectation
    prompt: str | None = None
    question: str | None = None
    tags: tuple[str, ...] = field(default=())

    @property
    def kind(self) -> str:
        return "prompt" if self.prompt is not None else "question"


def builtin_cases_dir() -> Path:
    return Path(str(resources.files(__package__).joinpath("cases")))


def load_cases(directory: Path | None = None) -> list[Case]:
    """Every `*.toml` case in `directory` (default: the built-in set), sorted by file name."""
    folder = directory or builtin_cases_dir()
    if not folder.is_dir():
        raise InputError(f"{folder}: no such directory of cases")
    cases = [load_case(path) for path in sorted(folder.glob("*.toml"))]
    if not cases:
        raise InputError(f"{folder}: no *.toml cases found")
    seen: dict[str, Path] = {}
    for case in cases:
        if case.id in seen:
            raise InputError(f"{case.path}: case id {case.id!r} already used by {seen[case.id]}")
        seen[case.id] = case.path
    return cases


def _node(raw: object, where: str) -> NodeLabel:
    if not isinstance(raw, str) or ":" not in raw:
        raise InputError(f"{where}: a node is 'kind:name' (input:video, model:DepthCrafter…)")
    kind, _, name = raw.partition(":")
    if kind not in {"input", "model", "operation", "output"} or not name:
        raise InputError(f"{where}: unknown node {raw!r}")
    return raw


def load_case(path: Path) -> Case:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path}: not valid TOML: {error}") from None
    where = str(path)
    prompt, question = data.get("prompt"), data.get("question")
    if (prompt is None) == (question is None):
        raise InputError(f"{where}: a case has exactly one of 'prompt' or 'question'")
    expect = data.get("expect")
    if not isinstance(expect, dict):
        raise InputError(f"{where}: missing [expect] table")
    served = bool(expect.get("served", True))
    if not served and question is None:
        raise InputError(f"{where}: 'served = false' is for free questions only")
    # A free question has no recommended model to flag, so its `mismatch` defaults to false.
    required = ("task", "inputs", "outputs") + (("mismatch",) if question is None else ())
    for key in required:
        if served and key not in expect:
            raise InputError(f"{where}: [expect] needs {key!r}")
    nodes = frozenset(_node(n, where) for n in expect.get("nodes", ()))
    edges = frozenset((_node(e[0], where), _node(e[1], where)) for e in expect.get("edges", ()))
    for source, target in edges:
        if source not in nodes or target not in nodes:
            raise InputError(f"{where}: edge {source} -> {target} joins a node not listed")
    return Case(
        id=data.get("id", path.stem),
        path=path,
        description=data.get("description", ""),
        prompt=prompt,
        question=question,
        tags=tuple(data.get("tags", ())),
        expect=Expectation(
            task=expect.get("task", ""),
            inputs=tuple(expect.get("inputs", ())),
            outputs=tuple(expect.get("outputs", ())),
            mismatch=bool(expect.get("mismatch", False)),
            nodes=nodes,
            edges=edges,
            never=tuple(expect.get("never", ())),
            retrieve=expect.get("retrieve"),
            served=served,
        ),
    )


def question_of(case: Case) -> str:
    """The case's question as the example requests hold it (taxonomy/dev_requests.toml): the
    prompt's question, or the free question, without links and with single spaces."""
    from scholarflow.prompt_format import parse_prompt
    from scholarflow.text import replace_links

    text = parse_prompt(case.prompt).question if case.prompt is not None else case.question or ""
    return " ".join(replace_links(text, " ").split())
