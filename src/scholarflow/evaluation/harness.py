"""The `scholarflow eval` harness: run every case, score it, and report the metrics.

Each case runs through the same engine as the CLI. Free questions use a catalog (the user's,
or a fresh one holding the built-in entries), so retrieval is measured as a user meets it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from scholarflow.engine import answer as run_answer
from scholarflow.errors import ScholarflowError
from scholarflow.evaluation import metrics
from scholarflow.evaluation.cases import Case, EdgeLabel, NodeLabel
from scholarflow.models import Answer, Request, Workflow
from scholarflow.prompt_format import parse_prompt
from scholarflow.signatures import enrich

if TYPE_CHECKING:
    from scholarflow.retrieval import Retriever


@dataclass
class CaseResult:
    """What one case produced, and how it scored."""

    case_id: str
    kind: str
    ok: bool = True
    error: str = ""
    served: bool = True
    task: str = ""
    confidence: float = 0.0  # how sure the understanding was of `task`
    inputs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    mismatch: bool = False
    nodes: frozenset[NodeLabel] = frozenset()
    edges: frozenset[EdgeLabel] = frozenset()
    links: int = 0
    foreign_links: list[str] = field(default_factory=list)
    ungrounded_names: list[str] = field(default_factory=list)
    never_found: list[str] = field(default_factory=list)
    recommended_covered: bool = True
    recommended_on_main: bool = True  # each recommended model on the main path, or flagged
    cited: list[metrics.CitedSentence] = field(default_factory=list)
    ranked: list[str] = field(default_factory=list)
    seconds: float = 0.0


def workflow_labels(
    workflow: Workflow, names: dict[str, str] | None = None
) -> tuple[frozenset[NodeLabel], frozenset[EdgeLabel]]:
    """The main path (optional branches left out) as node labels and edges between them.

    `names` maps a source id to the name the case's labels use for it: labellers write a
    source as its title before the colon, the answer may call it by a shorter name ("…
    via NeRF-based Differentiable Filming" left off); the same source is the same node."""
    names = names or {}
    labels: dict[str, NodeLabel] = {}
    for node in workflow.nodes:
        if node.optional:
            continue
        if node.kind in {"input", "output"}:
            labels[node.id] = f"{node.kind}:{node.modality}"
        elif node.kind == "model":
            labels[node.id] = f"model:{names.get(node.source_id or '', node.label)}"
        else:
            labels[node.id] = f"operation:{node.operation}"
    edges = frozenset(
        (labels[e.source], labels[e.target])
        for e in workflow.edges
        if e.source in labels and e.target in labels
    )
    return frozenset(labels.values()), edges


def _score(
    case: Case, result: CaseResult, request: Request, produced: Answer, text: str, own: str
) -> None:
    understanding = produced.understanding
    result.task = understanding.task.id
    result.confidence = understanding.confidence
    result.inputs, result.outputs = understanding.have, understanding.want
    result.mismatch = any(w.code == "model_task_mismatch" for w in produced.warnings)
    sources = request.sources
    expected_names = {n.partition(":")[2] for n in case.expect.nodes if n.startswith("model:")}
    names = {}
    for source in sources:
        for alias in (source.name, source.title.split(":")[0].strip(), source.title.strip()):
            if alias in expected_names:
                names[source.id] = alias
                break
    result.nodes, result.edges = workflow_labels(produced.workflow, names)
    result.links = len(metrics.links_in(text))
    result.foreign_links = metrics.foreign_links(text, sources)
    # The question is the user's own words, echoed: not a name the answer says.
    result.ungrounded_names = metrics.ungrounded_names(own, sources)
    result.never_found = [s for s in case.expect.never if s.lower() in own.lower()]
    result.recommended_covered = all(
        metrics.covers_recommended(produced.markdown, produced.sections.references, source)
        for source in request.recommended
    )
    flagged = {w.source_id for w in produced.warnings if w.code == "model_task_mismatch"}
    on_main = {n.source_id for n in produced.workflow.nodes if n.source_id and not n.optional}
    result.recommended_on_main = all(
        s.id in on_main or s.id in flagged for s in request.recommended
    )
    # A citation is checked against the source's own words, including the catalog facts the
    # answer may draw on when a prompt gave no summary.
    enriched = {s.id: enrich(s) for s in sources}
    own_words = {}
    for ref in produced.references:
        source = enriched[ref.source_id]
        parts = (source.name, source.title, source.summary, source.catalog_summary)
        own_words[ref.number] = " ".join(part for part in parts if part)
    result.cited = metrics.cited_sentences(produced.markdown, own_words)


def run_cases(
    cases: Sequence[Case],
    retriever: Retriever | None,
    writer: str = "template",
    *,
    in_sample: bool = False,
) -> Iterator[CaseResult]:
    """Each case's result, in order. Unless `in_sample`, the cases' own questions are left out
    of the example requests a question's meaning is read against: the dev halves' questions
    are among them (taxonomy/dev_requests.toml), and a case read against its own question
    would measure the examples, not the reading."""
    from scholarflow.evaluation.cases import question_of
    from scholarflow.understanding import requests_left_out

    own = () if in_sample else [question_of(case) for case in cases]
    with requests_left_out(own):
        for case in cases:
            yield run_case(case, retriever, writer)


def run_case(case: Case, retriever: Retriever | None, writer: str = "template") -> CaseResult:
    from scholarflow.render.json_format import answer_to_dict
    from scholarflow.retrieval import CatalogCannotServe, build_request

    result = CaseResult(case_id=case.id, kind=case.kind)
    started = time.perf_counter()
    try:
        if case.prompt is not None:
            request = parse_prompt(case.prompt, where=str(case.path))
        else:
            assert retriever is not None and case.question is not None
            hits = retriever.search(case.question)
            result.ranked = [hit.entry.id for hit in hits]
            request = build_request(case.question, hits)
        produced = run_answer(request, writer=writer)
    except CatalogCannotServe:
        result.served = False
        result.seconds = time.perf_counter() - started
        return result
    except ScholarflowError as error:
        result.ok, result.error = False, str(error)
        result.seconds = time.perf_counter() - started
        return result
    result.seconds = time.perf_counter() - started
    # Everything a user could see: every string of the JSON contract (Markdown included).
    contract = answer_to_dict(produced)
    text = "\n".join(_strings(contract))
    # The question is echoed as the user wrote it (links removed); it is not the answer's
    # own words, so it does not count for the never-strings.
    answer_text = "\n".join(_strings({k: v for k, v in contract.items() if k != "question"}))
    _score(case, result, request, produced, text, answer_text)
    return result


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


@dataclass(frozen=True)
class Metric:
    name: str
    value: float | None
    target: str
    count: int
    failing: tuple[str, ...] = ()

    def shown(self) -> str:
        return "n/a" if self.value is None else f"{self.value:.3f}"


def _rate(
    name: str, target: str, results: Sequence[CaseResult], failed: Callable[[CaseResult], bool]
) -> Metric:
    if not results:
        return Metric(name, None, target, 0)
    failing = tuple(r.case_id for r in results if failed(r))
    return Metric(name, len(failing) / len(results), target, len(results), failing)


def _accuracy(
    name: str,
    results: Sequence[CaseResult],
    correct: Callable[[CaseResult], bool],
    target: str = "-",
) -> Metric:
    if not results:
        return Metric(name, None, target, 0)
    failing = tuple(r.case_id for r in results if not correct(r))
    return Metric(name, 1 - len(failing) / len(results), target, len(results), failing)


def summarize(cases: Sequence[Case], results: Sequence[CaseResult]) -> list[Metric]:
    """Every metric of docs/evaluation.md over the cases that produced an answer."""
    by_id = {case.id: case for case in cases}
    expect = {r.case_id: by_id[r.case_id].expect for r in results}
    # Scored for the answer's content: answered, and meant to be (a free question the catalog
    # should refuse is scored only on whether it was refused).
    answered = [r for r in results if r.ok and r.served and expect[r.case_id].served]
    free = [r for r in results if r.ok and by_id[r.case_id].kind == "question"]
    all_links = sum(r.links for r in answered)
    foreign = sum(len(r.foreign_links) for r in answered)
    link_rate = Metric(
        "out-of-source link rate",
        foreign / all_links if all_links else 0.0,
        "0",
        all_links,
        tuple(r.case_id for r in answered if r.foreign_links),
    )
    node_f1 = [
        (r, metrics.set_f1(r.nodes, expect[r.case_id].nodes))
        for r in answered
        if expect[r.case_id].nodes
    ]
    edge_f1 = [
        (r, metrics.set_f1(r.edges, expect[r.case_id].edges))
        for r in answered
        if expect[r.case_id].nodes
    ]
    pairs = [(r.mismatch, expect[r.case_id].mismatch) for r in answered]
    precision, recall = metrics.binary_precision_recall(pairs)
    retrieval = [r for r in results if expect[r.case_id].retrieve]
    cited = [c for r in answered for c in r.cited]
    seconds = [r.seconds * 1000 for r in results if r.ok]
    return [
        _accuracy("cases answered without error", results, lambda r: r.ok, "1"),
        _accuracy(
            "free questions served or refused rightly",
            free,
            lambda r: r.served == expect[r.case_id].served,
        ),
        _accuracy(
            "recommended on the main path unless flagged",
            answered,
            lambda r: r.recommended_on_main,
            "1",
        ),
        link_rate,
        _rate("ungrounded-name rate", "0", answered, lambda r: bool(r.ungrounded_names)),
        _rate("never-strings found rate", "0", answered, lambda r: bool(r.never_found)),
        _accuracy("recommended-model coverage", answered, lambda r: r.recommended_covered, "1"),
        _accuracy("task accuracy", answered, lambda r: r.task == expect[r.case_id].task),
        _accuracy(
            "input modality accuracy",
            answered,
            lambda r: set(r.inputs) == set(expect[r.case_id].inputs),
        ),
        _accuracy(
            "output modality accuracy",
            answered,
            lambda r: set(r.outputs) == set(expect[r.case_id].outputs),
        ),
        Metric(
            "workflow node F1",
            _mean(f.f1 for _, f in node_f1),
            "-",
            len(node_f1),
            tuple(r.case_id for r, f in node_f1 if f.f1 < 1),
        ),
        Metric(
            "workflow edge F1",
            _mean(f.f1 for _, f in edge_f1),
            "-",
            len(edge_f1),
            tuple(r.case_id for r, f in edge_f1 if f.f1 < 1),
        ),
        Metric(
            "mismatch precision",
            precision,
            "-",
            sum(1 for p, _ in pairs if p),
            tuple(r.case_id for r in answered if r.mismatch and not expect[r.case_id].mismatch),
        ),
        Metric(
            "mismatch recall",
            recall,
            "-",
            sum(1 for _, e in pairs if e),
            tuple(r.case_id for r in answered if expect[r.case_id].mismatch and not r.mismatch),
        ),
        Metric(
            "retrieval recall@3",
            _mean(
                metrics.recall_at(r.ranked, expect[r.case_id].retrieve or "", 3) for r in retrieval
            ),
            ">= 0.9",
            len(retrieval),
            tuple(
                r.case_id
                for r in retrieval
                if not metrics.recall_at(r.ranked, expect[r.case_id].retrieve or "", 3)
            ),
        ),
        Metric(
            "retrieval MRR",
            _mean(
                metrics.reciprocal_rank(r.ranked, expect[r.case_id].retrieve or "")
                for r in retrieval
            ),
            "-",
            len(retrieval),
        ),
        Metric(
            "citation support",
            _mean(1.0 if c.supported else 0.0 for c in cited),
            "-",
            len(cited),
            tuple(sorted({r.case_id for r in answered if any(not c.supported for c in r.cited)})),
        ),
        Metric(
            "latency p50 (ms)",
            metrics.percentile(seconds, 0.5) if seconds else None,
            "-",
            len(seconds),
        ),
        Metric(
            "latency p95 (ms)",
            metrics.percentile(seconds, 0.95) if seconds else None,
            "-",
            len(seconds),
        ),
    ]


def _mean(values: Iterable[float]) -> float | None:
    items = list(values)
    return sum(items) / len(items) if items else None


def table(report: list[Metric]) -> str:
    rows = [("metric", "value", "target", "n", "cases that miss")]
    for metric in report:
        missing = ", ".join(metric.failing[:6]) + (" …" if len(metric.failing) > 6 else "")
        rows.append((metric.name, metric.shown(), metric.target, str(metric.count), missing))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for index, row in enumerate(rows):
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def markdown_table(report: list[Metric]) -> str:
    lines = ["| metric | value | target | n | cases that miss |", "|---|---|---|---|---|"]
    for metric in report:
        lines.append(
            f"| {metric.name} | {metric.shown()} | {metric.target} | {metric.count} | "
            f"{', '.join(metric.failing) or ''} |"
        )
    return "\n".join(lines) + "\n"


def report_json(report: list[Metric], results: Sequence[CaseResult]) -> str:
    def result_dict(result: CaseResult) -> dict[str, Any]:
        data = asdict(result)
        data["nodes"] = sorted(result.nodes)
        data["edges"] = sorted(list(e) for e in result.edges)
        data["cited"] = [asdict(c) | {"supported": c.supported} for c in result.cited]
        return data

    return (
        json.dumps(
            {"metrics": [asdict(m) for m in report], "cases": [result_dict(r) for r in results]},
            indent=2,
            ensure_ascii=False,
            default=list,
        )
        + "\n"
    )
