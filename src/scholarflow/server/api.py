"""The JSON API: /health, /api/answer, /api/ask and /api/catalog/search.

Endpoints that compute are plain `def`: answering is CPU-bound pure Python, and FastAPI runs
sync endpoints in its thread pool, so a long answer never blocks the event loop (and with it
/health or another client's connection). Responses are `JSONResponse`s built from the same
dicts the CLI prints, skipping FastAPI's re-encoding of the return value.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from scholarflow import __version__
from scholarflow.server.answering import answer_body, ask_catalog, search_catalog
from scholarflow.server.catalog_access import CatalogAccess
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
async def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}


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
