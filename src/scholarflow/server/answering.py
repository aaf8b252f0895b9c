"""What the routes compute, with no HTTP in it: the same calls the CLI and `batch` make.

Kept apart from the routes so that the JSON API and the OpenAI endpoint cannot drift: both
answer a prompt and a free question through these functions (and scholarflow.chat, which the
`llm` plugin shares). Everything here is CPU-bound pure Python (a few ms per answer), called
from FastAPI's worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from scholarflow.batch import free_question, json_request, prompt_request
from scholarflow.chat import chat_markdown, earlier_questions
from scholarflow.engine import answer, ask
from scholarflow.render import render
from scholarflow.render.json_format import SCHEMA_VERSION, answer_to_dict, hits_to_list
from scholarflow.retrieval import CatalogCannotServe, Retriever
from scholarflow.server.schemas import AnswerBody

if TYPE_CHECKING:
    from scholarflow.writers import Writer

__all__ = ["answer_body", "ask_catalog", "chat_markdown", "earlier_questions", "search_catalog"]


def answer_body(
    body: AnswerBody,
    writer: Writer | str = "template",
    on_text: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """The answer contract (`answer --format json`), plus `text` in any other format.

    `on_text` receives the Markdown part by part as the screen passes it (engine.answer)."""
    record = body.record()
    request = prompt_request(record) if body.prompt is not None else json_request(record)
    result = answer(request, writer=writer, on_text=on_text)
    data = answer_to_dict(result)
    if body.format != "json":
        data["text"] = render(result, body.format)
    return data


def ask_catalog(
    question: str,
    retriever: Retriever,
    writer: Writer | str = "template",
    fmt: str = "json",
    on_text: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """What `scholarflow ask --format json` prints, as a dict: served or not; a served answer
    also has `text` in any other format `fmt`."""
    question = free_question({"question": question})
    try:
        result, hits = ask(question, retriever, writer=writer, on_text=on_text)
    except CatalogCannotServe as refusal:
        # Not a failure: the CLI says so and exits 0.
        return {
            "schema_version": SCHEMA_VERSION,
            "served": False,
            "message": str(refusal),
            "sources": hits_to_list(refusal.hits, set()),
        }
    used = {ref.catalog_id for ref in result.references if ref.catalog_id}
    data = answer_to_dict(result) | {"served": True, "sources": hits_to_list(hits, used)}
    if fmt != "json":
        data["text"] = render(result, fmt)
    return data


def search_catalog(query: str, limit: int, retriever: Retriever) -> list[dict[str, Any]]:
    """`catalog search --format json`: every hit is a catalog entry, so its links are shown."""
    hits = retriever.search(free_question({"question": query}), limit=limit)
    return hits_to_list(hits, {hit.entry.id for hit in hits})
