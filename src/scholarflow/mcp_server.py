"""scholarflow as an MCP server over stdio: the way AI assistants call tools.

An assistant (Claude Desktop, an IDE agent, a CNAPS.ai-style pipeline host) starts
`scholarflow mcp` as a child process and speaks JSON-RPC on its stdin and stdout. Five tools
expose what the CLI does, each with a typed input schema and a structured result whose output
schema the client can validate against:

- `answer_prompt`: the answer JSON contract (`answer_to_dict`) of a seed-format prompt;
- `ask`: what `scholarflow ask --format json` prints (the contract plus `served` and `sources`);
- `recommend_models`: the recommended model and related papers the catalog would give;
- `compose_workflow`: only the plan (task, workflow graph, warnings, Mermaid), no written answer;
- `search_catalog`: ranked catalog hits.

Design notes, the why:

- **stdout is the transport.** Nothing here prints; logging goes to stderr. (The SDK also points
  fd 1 at stderr while it serves, so a stray print in a dependency cannot corrupt a frame.)
- **One worker thread does all the work.** SQLite connections belong to the thread that opened
  them, and the retriever keeps its dense index and embedder in memory; the SDK runs
  synchronous tools on arbitrary worker threads. So every call is handed to one dedicated
  thread that opens the catalog on first use and keeps it for the life of the process: the
  embedding model loads once (about a second), later calls cost milliseconds.
- **Errors are results, not crashes.** A bad prompt or an empty question becomes a tool result
  with `isError: true` and one line of text the model can act on; the server keeps serving.
- **A short text beside the structure.** The structured result carries everything; the text
  content is a few lines that say what came back, for clients that show only text.

Entries added to the catalog by another process while the server runs are found by full-text
search at once; by meaning (embeddings), and so as recommendations, after a restart.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from scholarflow import __version__
from scholarflow.errors import InputError, ScholarflowError

if TYPE_CHECKING:
    from scholarflow.catalog.store import SQLiteCatalogStore
    from scholarflow.models import CatalogHit, Request, Source
    from scholarflow.retrieval import Retriever

__all__ = ["build_server", "run_stdio"]

logger = logging.getLogger(__name__)

SERVER_NAME = "scholarflow"
MAX_PROMPT_BYTES = 1024 * 1024  # the same limit as `scholarflow answer`
MAX_QUESTION_CHARS = 4000  # the same limit as `scholarflow ask`
ASK_SEARCH_DEPTH = 10  # hits `ask` ranks before choosing sources; recommend_models reads as many

_T = TypeVar("_T")

INSTRUCTIONS = """\
scholarflow explains how an AI media result was made: the task the user performed, how the
provided models chain into a workflow (input -> model -> output), and the papers and tools
behind it. It uses only the sources it is given (a seed-format prompt) or finds in its local
catalog (a plain question), and never names a model or a link it was not given.

- answer_prompt: you have a seed-format prompt (question, Recommended AI Models, Related Papers).
- ask: you have only a question; the catalog picks the sources, then it answers.
- recommend_models: which model and papers the catalog would use for a question, no answer.
- compose_workflow: only the workflow plan (task, typed graph, warnings, Mermaid) of a prompt
  or a question.
- search_catalog: ranked catalog entries for free text.
"""


# --------------------------------------------------------------------------- output schemas
#
# Pydantic models here are the published output schemas (the client validates each structured
# result against them) and the check the SDK runs before a result leaves. The answer models
# mirror schema/answer-v1.schema.json; that contract may gain fields, which the models pass
# through untouched, because the structured result is the contract's own dict.


class TaskInfo(BaseModel):
    id: str = Field(description="Task id from scholarflow's taxonomy, e.g. video_depth_estimation")
    name: str = Field(description="The task in plain words")
    summary: str = Field(description="One sentence on what the task is")
    confidence: float = Field(ge=0, le=1, description="How sure the reading of the question is")
    inputs: list[str] = Field(default_factory=list, description="Modalities the user started from")
    outputs: list[str] = Field(default_factory=list, description="Modalities the user got")
    focus: list[str] = Field(default_factory=list, description="What the question asks about")


class TaskBrief(BaseModel):
    id: str = Field(description="Task id from scholarflow's taxonomy")
    name: str = Field(description="The task in plain words")
    confidence: float = Field(ge=0, le=1, description="How sure the reading of the question is")


class NodeInfo(BaseModel):
    id: str = Field(description="Node id, n1, n2, ...")
    kind: Literal["input", "model", "operation", "output"]
    label: str
    modality: str | None = Field(description="What the node holds or makes")
    source_id: str | None = Field(description="The source (s1, s2, ...) a model node runs")
    optional: bool = Field(default=False, description="On a side branch, not the main path")


class EdgeInfo(BaseModel):
    source: str = Field(description="Id of the node the data leaves")
    target: str = Field(description="Id of the node the data enters")
    modality: str = Field(description="What flows along the edge")


class WorkflowInfo(BaseModel):
    nodes: list[NodeInfo]
    edges: list[EdgeInfo]


class ReferenceInfo(BaseModel):
    number: int = Field(ge=1, description="The [n] the answer cites")
    source_id: str
    name: str
    title: str
    role: Literal["recommended", "related"]
    links: list[str] = Field(description="Every link the source was given, and no other")


class WarningInfo(BaseModel):
    code: str = Field(description="e.g. model_task_mismatch, preceding_step_needed")
    message: str
    source_id: str | None = None


class EvidenceInfo(BaseModel):
    source_id: str
    text: str = Field(description="A source sentence the answer rests on")
    span: list[int] = Field(description="[start, end) of the sentence in its field")
    field: str = Field(description="summary, catalog or title")


class SectionsInfo(BaseModel):
    task: str
    workflow: str
    references: str


class AnswerResult(BaseModel):
    """The answer JSON contract, schema_version 1 (`scholarflow answer --format json`)."""

    schema_version: int
    question: str = Field(description="The question; links in it are shown as <link removed>")
    task: TaskInfo
    workflow: WorkflowInfo
    references: list[ReferenceInfo]
    warnings: list[WarningInfo]
    evidence: list[EvidenceInfo]
    sections: SectionsInfo = Field(description="The three parts of the answer as Markdown")
    markdown: str = Field(description="The whole answer as Markdown")
    writer: str


class CatalogHitInfo(BaseModel):
    rank: int = Field(ge=1)
    entry_id: str = Field(description="Catalog id (see `scholarflow catalog show ID`)")
    name: str
    title: str
    kind: Literal["model", "paper"]
    score: float = Field(description="Reciprocal-rank fusion of BM25 and embeddings, plus task")
    bm25_rank: int | None = Field(description="Place in full-text search, if found there")
    dense_rank: int | None = Field(description="Place in embedding search, if found there")
    similarity: float | None = Field(description="Cosine of question and entry embeddings")
    serves_task: bool = Field(description="Whether the entry serves the question's task")
    used: bool = Field(description="Whether the entry is a source of the result")
    links: list[str] = Field(description="Links, only for entries the result may cite")


class AskResult(BaseModel):
    """`scholarflow ask --format json`: the answer contract plus `served` and `sources`.

    Every answer field is optional because a question the catalog cannot serve gives only
    `served: false`, a `message` and the closest `sources`.
    """

    schema_version: int
    served: bool = Field(description="False when nothing in the catalog answers the question")
    message: str | None = Field(default=None, description="Why the question was not served")
    sources: list[CatalogHitInfo] = Field(description="The ranked catalog hits")
    question: str | None = None
    task: TaskInfo | None = None
    workflow: WorkflowInfo | None = None
    references: list[ReferenceInfo] | None = None
    warnings: list[WarningInfo] | None = None
    evidence: list[EvidenceInfo] | None = None
    sections: SectionsInfo | None = None
    markdown: str | None = None
    writer: str | None = None


class RecommendedEntry(BaseModel):
    entry_id: str = Field(description="Catalog id")
    name: str
    title: str
    kind: Literal["model", "paper"] = Field(description="What the catalog entry is")
    role: Literal["recommended", "related"] = Field(description="Its part in an answer")
    links: list[str] = Field(description="Paper, code and project links of the entry")
    rank: int = Field(ge=1, description="Place among the ranked catalog hits")
    score: float = Field(description="Fused retrieval score")
    similarity: float | None = Field(description="Cosine of question and entry embeddings")
    serves_task: bool = Field(description="Whether the entry serves the question's task")


class RecommendResult(BaseModel):
    question: str
    served: bool = Field(description="False when nothing in the catalog answers the question")
    message: str | None = Field(default=None, description="Why the question was not served")
    task: TaskBrief | None = Field(description="The task the question describes, as read")
    recommended: RecommendedEntry | None = Field(description="The model an answer would explain")
    related: list[RecommendedEntry] = Field(description="Papers an answer would cite beside it")


class PlanSource(BaseModel):
    source_id: str = Field(description="s1, s2, ...; what workflow nodes refer to")
    number: int = Field(ge=1, description="The [n] an answer would cite")
    name: str
    title: str
    role: Literal["recommended", "related"]
    catalog_id: str | None = Field(description="The catalog entry the source matched, if any")


class ComposeResult(BaseModel):
    question: str = Field(description="The question; links in it are shown as <link removed>")
    task: TaskBrief
    inputs: list[str] = Field(description="Modalities the user started from")
    outputs: list[str] = Field(description="Modalities the user wants")
    recommended_fits: bool = Field(description="Whether the recommended model does the task")
    sources: list[PlanSource]
    workflow: WorkflowInfo
    warnings: list[WarningInfo] = Field(description="What the plan found (e.g. a misfit model)")
    mermaid: str = Field(description="The workflow as a Mermaid flowchart")


class SearchResult(BaseModel):
    query: str
    hits: list[CatalogHitInfo] = Field(description="Best first")


# --------------------------------------------------------------------------- the worker


class _Worker:
    """One thread that owns the catalog and runs every tool call, in arrival order.

    Why one thread: the SQLite connection may only be used by the thread that opened it, and
    the retriever's in-memory index and the engine's caches are not meant for concurrent use.
    A stdio server has one client, so serialising its calls costs nothing that matters.
    """

    def __init__(self, catalog_path: Path | str | None) -> None:
        from scholarflow.catalog.store import is_catalog_url

        self._catalog_url = str(catalog_path).strip() if is_catalog_url(catalog_path) else None
        self._catalog_path = (
            None if catalog_path is None or self._catalog_url else Path(catalog_path)
        )
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scholarflow-mcp")
        self._store: SQLiteCatalogStore | None = None
        self._retriever: Retriever | None = None

    def run(self, function: Callable[..., _T], *args: Any) -> _T:
        """Run `function(*args)` on the worker thread and wait for it (the SDK's thread waits)."""
        return self._executor.submit(function, *args).result()

    def retriever(self) -> Retriever:
        """The retriever over the catalog, opened on first use. Worker thread only."""
        if self._retriever is None and self._catalog_url is not None:
            from scholarflow.catalog.store import open_catalog
            from scholarflow.retrieval import Retriever

            self._store = open_catalog(self._catalog_url)  # type: ignore[assignment]
            self._retriever = Retriever(self._store)  # type: ignore[arg-type]
        if self._retriever is None:
            from scholarflow.catalog.store import SQLiteCatalogStore, default_catalog_path
            from scholarflow.retrieval import Retriever

            path = default_catalog_path() if self._catalog_path is None else self._catalog_path
            if path.is_dir():
                raise InputError(f"{path}: is a directory; the catalog is a database file")
            logger.info("opening the catalog at %s", path)
            self._store = SQLiteCatalogStore(path)
            self._retriever = Retriever(self._store)
        return self._retriever

    def close(self) -> None:
        """Close the catalog (on its own thread, as SQLite requires) and stop the thread."""

        def close_store() -> None:
            if self._store is not None:
                self._store.close()
            self._store = self._retriever = None

        try:
            self.run(close_store)
        finally:
            self._executor.shutdown(wait=True)


# --------------------------------------------------------------------------- the tools


class _Tools:
    """The tool bodies: plain synchronous code that runs on the worker thread.

    Kept apart from the MCP wiring so each body reads as what the CLI command does.
    """

    def __init__(self, worker: _Worker) -> None:
        self._worker = worker

    def answer_prompt(self, prompt: str) -> tuple[str, dict[str, Any]]:
        from scholarflow.engine import answer
        from scholarflow.render.json_format import answer_to_dict

        result = answer(_parse(prompt))
        data = answer_to_dict(result)
        return _answer_text(data), data

    def ask(self, question: str) -> tuple[str, dict[str, Any]]:
        from scholarflow.engine import ask
        from scholarflow.render.json_format import render_ask_json
        from scholarflow.retrieval import CatalogCannotServe

        question = _question(question)
        try:
            result, hits = ask(question, self._worker.retriever(), limit=ASK_SEARCH_DEPTH)
        except CatalogCannotServe as refusal:
            text = f"The catalog cannot answer this: {refusal}."
            return text, json.loads(render_ask_json(None, refusal.hits, str(refusal)))
        # Through the CLI's own renderer, so the result is the very data `ask` prints.
        data = json.loads(render_ask_json(result, hits))
        return _answer_text(data), data

    def recommend_models(self, question: str, limit: int) -> tuple[str, RecommendResult]:
        from scholarflow.models import Request
        from scholarflow.retrieval import CatalogCannotServe, build_request
        from scholarflow.understanding import understand

        question = _question(question)
        understood = understand(Request(question=question, recommended=(), origin="free"))
        task = TaskBrief(
            id=understood.task.id, name=understood.task.name, confidence=understood.confidence
        )
        hits = self._worker.retriever().search(question, limit=ASK_SEARCH_DEPTH)
        try:
            request = build_request(question, hits)
        except CatalogCannotServe as refusal:
            result = RecommendResult(
                question=question,
                served=False,
                message=str(refusal),
                task=task,
                recommended=None,
                related=[],
            )
            return f"The catalog cannot answer this: {refusal}.", result
        entries = [_recommended_entry(source, hits) for source in request.sources][:limit]
        result = RecommendResult(
            question=question,
            served=True,
            task=task,
            recommended=entries[0],
            related=entries[1:],
        )
        lines = [f"Recommended: {entries[0].name} ({entries[0].entry_id})"]
        lines += [f"Related: {e.name} ({e.entry_id})" for e in entries[1:]]
        lines.append(f"Task: {task.name} ({task.id}, confidence {task.confidence:.2f})")
        return "\n".join(lines), result

    def compose_workflow(
        self, prompt: str | None, question: str | None
    ) -> tuple[str, ComposeResult]:
        if (prompt is None) == (question is None):
            raise InputError("give either a prompt or a question (exactly one of them)")
        if prompt is not None:
            request = _parse(prompt)
        else:
            from scholarflow.retrieval import CatalogCannotServe, build_request

            asked = _question(question or "")
            hits = self._worker.retriever().search(asked, limit=ASK_SEARCH_DEPTH)
            try:
                request = build_request(asked, hits)
            except CatalogCannotServe as refusal:
                raise InputError(str(refusal)) from None
        result = _compose(request)
        models = [n.label for n in result.workflow.nodes if n.kind == "model" and not n.optional]
        lines = [
            f"Task: {result.task.name} ({result.task.id}, confidence {result.task.confidence:.2f})",
            f"Workflow: {len(result.workflow.nodes)} nodes, {len(result.workflow.edges)} edges; "
            f"models on the main path: {', '.join(models) or 'none'}",
        ]
        if result.warnings:
            lines.append("Warnings: " + ", ".join(w.code for w in result.warnings))
        return "\n".join(lines), result

    def search_catalog(self, query: str, limit: int) -> tuple[str, SearchResult]:
        from scholarflow.render.json_format import hits_to_list

        query = _question(query, what="query")
        hits = self._worker.retriever().search(query, limit=limit)
        # As `scholarflow catalog search --format json`: a catalog listing shows every link.
        listed = hits_to_list(hits, {hit.entry.id for hit in hits})
        result = SearchResult(query=query, hits=[CatalogHitInfo(**hit) for hit in listed])
        lines = [
            f"{h.rank}. {h.name} ({h.entry_id}, {h.kind}, score {h.score:.4f})" for h in result.hits
        ]
        return "\n".join(lines) or "No matches.", result


def _parse(prompt: str) -> Request:
    from scholarflow.prompt_format import parse_prompt

    if not prompt.strip():
        raise InputError("the prompt is empty")
    size = len(prompt.encode("utf-8"))
    if size > MAX_PROMPT_BYTES:
        raise InputError(f"the prompt is {size} bytes; the limit is {MAX_PROMPT_BYTES // 1024} KB")
    return parse_prompt(prompt, where="<prompt>")


def _question(text: str, *, what: str = "question") -> str:
    """The question on one line, as the CLI reads it; empty or oversized is bad input."""
    question = " ".join(text.split())
    if not question:
        raise InputError(f"the {what} is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            f"the {what} is {len(question)} characters; the limit is {MAX_QUESTION_CHARS}"
        )
    return question


def _compose(request: Request) -> ComposeResult:
    """The plan of `engine.answer` up to (not including) writing: the engine's own stages
    (`engine.plan_for`), so the workflow is the one an answer would draw."""
    from scholarflow.engine import plan_for
    from scholarflow.render.mermaid import workflow_to_mermaid

    brief = plan_for(request)
    enriched = brief.sources
    plan = brief.plan
    understanding = plan.understanding
    references = brief.references
    numbers = {r.source_id: r.number for r in references}
    by_id = {s.id: s for s in enriched}
    workflow = plan.workflow
    return ComposeResult(
        question=brief.question,
        task=TaskBrief(
            id=understanding.task.id,
            name=understanding.task.name,
            confidence=understanding.confidence,
        ),
        inputs=list(understanding.have),
        outputs=list(understanding.want),
        recommended_fits=plan.recommended_fits,
        sources=[
            PlanSource(
                source_id=r.source_id,
                number=r.number,
                name=r.name,
                title=r.title,
                role=r.role,
                catalog_id=by_id[r.source_id].catalog_id,
            )
            for r in references
        ],
        workflow=WorkflowInfo(
            nodes=[
                NodeInfo(
                    id=n.id,
                    kind=n.kind,
                    label=n.label,
                    modality=n.modality,
                    source_id=n.source_id,
                    optional=n.optional,
                )
                for n in workflow.nodes
            ],
            edges=[
                EdgeInfo(source=e.source, target=e.target, modality=e.modality)
                for e in workflow.edges
            ],
        ),
        warnings=[
            WarningInfo(code=w.code, message=w.message, source_id=w.source_id)
            for w in plan.warnings
        ],
        mermaid=workflow_to_mermaid(workflow, numbers),
    )


def _recommended_entry(source: Source, hits: Sequence[CatalogHit]) -> RecommendedEntry:
    rank, hit = next((i, h) for i, h in enumerate(hits, 1) if h.entry.id == source.catalog_id)
    return RecommendedEntry(
        entry_id=hit.entry.id,
        name=hit.entry.name,
        title=hit.entry.title,
        kind=hit.entry.kind,
        role=source.role,
        links=hit.entry.links(),
        rank=rank,
        score=hit.score,
        similarity=None if hit.similarity is None else round(hit.similarity, 4),
        serves_task=hit.serves_task,
    )


def _answer_text(data: dict[str, Any]) -> str:
    """A few lines on an answer: what a client that shows only text content can show."""
    task = data["task"]
    lines = [f"Task: {task['name']} ({task['id']}, confidence {task['confidence']:.2f})"]
    lines += [f"[{r['number']}] {r['name']} ({r['role']})" for r in data["references"]]
    if data["warnings"]:
        lines.append("Warnings: " + ", ".join(w["code"] for w in data["warnings"]))
    lines.append("The full answer is in the structured result: markdown, sections, workflow.")
    return "\n".join(lines)


# --------------------------------------------------------------------------- MCP wiring

_READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)

PromptArg = Annotated[
    str,
    Field(
        description="A seed-format prompt: 'A user has asked the following question:' and the "
        "question in quotes, then '### Recommended AI Models:' and '### Related Papers:' "
        "sections of 'Model:', 'Paper:', 'GitHub:', 'Summary:' lines."
    ),
]
QuestionArg = Annotated[
    str,
    Field(
        description="A plain question about an AI media result, e.g. 'How do apps turn a phone "
        "video into a depth video that doesn't flicker?' (at most 4000 characters)."
    ),
]


def _result(text: str, data: BaseModel | dict[str, Any]) -> CallToolResult:
    structured = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured
    )


def _guarded(worker: _Worker, body: Callable[..., tuple[str, Any]], *args: Any) -> CallToolResult:
    """Run a tool body on the worker; scholarflow's own errors become a one-line tool error.

    Anything else is a bug: it propagates, and the SDK returns a generic error result and
    logs the traceback on stderr (the exception text never reaches the client).
    """
    try:
        text, data = worker.run(body, *args)
    except ScholarflowError as error:
        raise ToolError(" ".join(str(error).split())) from error
    return _result(text, data)


def _build(worker: _Worker) -> MCPServer:
    tools = _Tools(worker)
    server: MCPServer = MCPServer(
        SERVER_NAME,
        title="scholarflow",
        description="An AI scientist for AI media workflows, grounded in the sources it is given.",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )

    @server.tool(
        title="Answer a seed-format prompt",
        description="Answer a seed-format prompt like an AI scientist: the task the user "
        "performed, how the provided models work together (a typed workflow graph) and the "
        "numbered papers and tools, using only the provided sources. Returns the answer JSON "
        "contract (schema_version 1): task, workflow, references, warnings, evidence, sections "
        "and the whole answer as Markdown.",
        annotations=_READ_ONLY,
    )
    def answer_prompt(prompt: PromptArg) -> Annotated[CallToolResult, AnswerResult]:
        return _guarded(worker, tools.answer_prompt, prompt)

    @server.tool(
        title="Ask a question",
        description="Answer a plain question from scholarflow's catalog: it picks the "
        "recommended model and related papers, then answers as for a prompt. Same result as "
        "`scholarflow ask --format json`: the answer contract plus served (false when nothing "
        "in the catalog answers the question, with a message) and the ranked sources.",
        annotations=_READ_ONLY,
    )
    def ask(question: QuestionArg) -> Annotated[CallToolResult, AskResult]:
        return _guarded(worker, tools.ask, question)

    @server.tool(
        title="Recommend models for a question",
        description="The recommended model and related papers the catalog would give for a "
        "question (ids, names, titles, roles, links, scores), without writing an answer.",
        annotations=_READ_ONLY,
    )
    def recommend_models(
        question: QuestionArg,
        limit: Annotated[
            int,
            Field(ge=1, le=20, description="At most this many entries: the model, then papers"),
        ] = 5,
    ) -> Annotated[CallToolResult, RecommendResult]:
        return _guarded(worker, tools.recommend_models, question, limit)

    @server.tool(
        title="Compose the workflow",
        description="Only the plan, no written answer: the user's task (id, name, confidence), "
        "inputs and outputs, the workflow graph (nodes, typed edges) through the recommended "
        "model, warnings such as a model that does not fit the task, and a Mermaid flowchart. "
        "Give exactly one of prompt (seed format) or question (sources from the catalog).",
        annotations=_READ_ONLY,
    )
    def compose_workflow(
        prompt: Annotated[
            str | None, Field(description="A seed-format prompt (or give question)")
        ] = None,
        question: Annotated[
            str | None, Field(description="A plain question (or give prompt)")
        ] = None,
    ) -> Annotated[CallToolResult, ComposeResult]:
        return _guarded(worker, tools.compose_workflow, prompt, question)

    @server.tool(
        title="Search the catalog",
        description="Rank scholarflow's catalog of models and papers for free text: hybrid "
        "full-text (BM25) and embedding search, fused, with a bonus for entries that serve the "
        "task the text describes. Best first, with scores and links.",
        annotations=_READ_ONLY,
    )
    def search_catalog(
        query: Annotated[str, Field(description="Free text: a question, a task, a model name")],
        limit: Annotated[int, Field(ge=1, le=100, description="How many hits")] = 10,
    ) -> Annotated[CallToolResult, SearchResult]:
        return _guarded(worker, tools.search_catalog, query, limit)

    return server


def build_server(*, catalog_path: Path | None = None) -> MCPServer:
    """The MCP server with its five tools; the catalog opens on the first call that needs it.

    `catalog_path` defaults to `$SCHOLARFLOW_HOME/catalog.db` (see `default_catalog_path`),
    read when the catalog opens.
    """
    return _build(_Worker(catalog_path))


def run_stdio(*, catalog_path: Path | str | None = None) -> None:
    """Serve over stdin/stdout until the client closes stdin; what `scholarflow mcp` runs."""
    # stderr only: stdout carries the protocol. Configured before the SDK's own basicConfig,
    # which then leaves it alone.
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="scholarflow mcp: %(levelname)s %(name)s: %(message)s",
    )
    worker = _Worker(catalog_path)
    try:
        _build(worker).run("stdio")
    finally:
        worker.close()
