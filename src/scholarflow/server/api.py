"""The JSON API: /health, /api/answer, /api/ask (each also as a stream) and
/api/catalog/search.

Endpoints that compute are plain `def`: answering is CPU-bound pure Python, and FastAPI runs
sync endpoints in its thread pool, so a long answer never blocks the event loop (and with it
/health or another client's connection). Responses are `JSONResponse`s built from the same
dicts the CLI prints, skipping FastAPI's re-encoding of the return value.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel

from scholarflow import __version__
from scholarflow.server.answering import answer_body, ask_catalog, search_catalog
from scholarflow.server.catalog_access import CatalogAccess
from scholarflow.server.handover import handed_over
from scholarflow.server.schemas import AnswerBody, AskBody

router = APIRouter()


class Detail(BaseModel):
    """Every error of the /api routes: one line naming what is wrong."""

    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Detail, "description": "Bad input: an unreadable prompt, an empty question."},
    401: {"model": Detail, "description": "Missing or wrong bearer token (when one is set)."},
    413: {"model": Detail, "description": "The body is over 1 MB."},
    422: {"model": Detail, "description": "A field is missing or has the wrong type."},
    500: {"model": Detail, "description": "The answer could not be grounded in its sources."},
    503: {"model": Detail, "description": "The catalog cannot be opened."},
}


def catalog_access(request: Request) -> CatalogAccess:
    access: CatalogAccess = request.app.state.catalog
    return access


Catalog = Annotated[CatalogAccess, Depends(catalog_access)]


@router.get("/health", tags=["service"], summary="Liveness; never needs the token")
async def health(request: Request) -> dict[str, Any]:
    """`token` says whether the other routes need `Authorization: Bearer <token>` (the web
    page asks for one only then); the token itself is never told."""
    return {
        "status": "ok",
        "version": __version__,
        "token": bool(getattr(request.app.state, "token_required", False)),
    }


@router.post(
    "/api/answer",
    tags=["answers"],
    summary="Answer a prompt, or a question with its sources",
    response_description="The answer contract, schema_version 1 (schema/answer-v1.schema.json)"
    "; with any format but json, also `text` (with comfyui: a workflow file ComfyUI opens).",
    responses=_ERRORS,
)
def post_answer(body: AnswerBody, request: Request) -> JSONResponse:
    """What `scholarflow answer --format json` prints, for a seed-format `prompt` or a
    `question` with `recommended` (and optionally `related`) sources. Only the given sources
    are named or linked: code writes names and links, and the grounding screen checks every
    sentence of prose before it is sent."""
    return JSONResponse(answer_body(body, request.app.state.writers.make()))


@router.post(
    "/api/ask",
    tags=["answers"],
    summary="Answer a free question from the catalog",
    response_description='`ask --format json`: the answer contract plus "served" and "sources"'
    ', or `"served": false` with a message when nothing in the catalog is about the question.',
    responses=_ERRORS,
)
def post_ask(body: AskBody, catalog: Catalog, request: Request) -> JSONResponse:
    """The catalog's best model becomes the recommended source, the next relevant entries the
    related ones; then the answer is made exactly as for a prompt. A question the catalog
    cannot serve is a 200 with `"served": false`, not an error."""
    writer = request.app.state.writers.make()
    return JSONResponse(ask_catalog(body.question, catalog.retriever(), writer, body.format))


@router.get(
    "/api/catalog/search",
    tags=["catalog"],
    summary="Ranked catalog entries for a text",
    response_description="`catalog search --format json`: hits best first, with their links.",
    responses=_ERRORS,
)
def get_search(
    catalog: Catalog,
    q: Annotated[str, Query(min_length=1, description="What to look for, in plain words.")],
    limit: Annotated[int, Query(ge=1, le=100, description="How many hits at most.")] = 10,
) -> JSONResponse:
    """Hybrid search (full-text BM25 and embeddings, fused by rank, task-aware)."""
    return JSONResponse(search_catalog(q, limit, catalog.retriever()))


# --------------------------------------------------------------------------- streams

_STREAM_DESCRIPTION = (
    "Newline-delimited JSON (`application/x-ndjson`), one event a line: "
    '`{"type": "text", "text": ...}` for each part of the Markdown answer once it has passed '
    "the grounding screen (joined, they are exactly the answer's `markdown`; with the LLM "
    "writer they arrive as the model writes), then "
    '`{"type": "answer", "answer": {...}}` with what the plain route returns. An error '
    "before the first event is an ordinary error status; one after it is a last line "
    '`{"type": "error", "detail": ...}`.'
)


def _ndjson_stream(compute: Callable[[Callable[[str], None]], dict[str, Any]]) -> Response:
    """Run `compute(on_text)` in a thread of its own and stream what it hands over.

    Only screened text exists to be sent: `on_text` is the engine's, which receives a part
    once its slots are decided. The first event is awaited before the response starts, so
    a bad prompt is still a 400 with its one-line detail.
    """

    def work(hand_over: Callable[[object], None]) -> None:
        data = compute(lambda text: hand_over({"type": "text", "text": text}))
        hand_over({"type": "answer", "answer": data})

    events = handed_over(work, name="scholarflow-answer-stream")

    def lines() -> Iterator[str]:
        for event in events:
            if isinstance(event, BaseException):
                detail = str(event).splitlines()[0] if str(event) else type(event).__name__
                event = {"type": "error", "detail": detail}
            yield json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"

    return StreamingResponse(
        lines(),
        media_type="application/x-ndjson",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post(
    "/api/answer/stream",
    tags=["answers"],
    summary="/api/answer, streamed part by part as the screen passes each part",
    response_description=_STREAM_DESCRIPTION,
    responses=_ERRORS,
)
def post_answer_stream(body: AnswerBody, request: Request) -> Response:
    """The same answer as `/api/answer`, sent as it is decided: the web page shows each
    part of the answer as soon as it has passed the grounding screen."""
    writer = request.app.state.writers.make(stream=True)
    return _ndjson_stream(lambda on_text: answer_body(body, writer, on_text))


@router.post(
    "/api/ask/stream",
    tags=["answers"],
    summary="/api/ask, streamed part by part as the screen passes each part",
    response_description=_STREAM_DESCRIPTION,
    responses=_ERRORS,
)
def post_ask_stream(body: AskBody, catalog: Catalog, request: Request) -> Response:
    """The same answer as `/api/ask` (catalog hits included), sent as it is decided."""
    writer = request.app.state.writers.make(stream=True)
    # The answer runs in a thread of its own, which opens its own store (catalog_access).
    return _ndjson_stream(
        lambda on_text: ask_catalog(body.question, catalog.retriever(), writer, on_text=on_text)
    )
