"""An OpenAI-compatible surface: /v1/models and /v1/chat/completions.

Why: every chat client (Open WebUI, LibreChat, the official SDKs, LangChain, editors) can
talk to an OpenAI-compatible server, so this makes scholarflow usable from all of them
without a plugin. The last user message is the request; the answer is the Markdown the CLI
prints. With `"stream": true` the same Markdown arrives as `chat.completion.chunk` events
ending with `data: [DONE]`.

A chat is a conversation: a free question is read as a follow-up of the earlier user
messages (followup.py, the same function `ask -c` calls). The server keeps no state: the
client sends the conversation, as OpenAI's API has it.

With the template writer the answer is computed before the first byte is sent, even when
streaming: it takes a few milliseconds, and an error then still gets a proper status code and
OpenAI error body instead of a stream that breaks off. With the LLM writer (`serve --writer
llm`) a streamed answer is sent part by part as the grounding screen passes each part; the first
part is awaited before the response starts, for the same reason.

`usage` counts tokens with the embedding model's WordPiece tokenizer (tokens.py): a documented
tokenizer, approximate for any other model's.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel

from scholarflow.chat import chat_markdown, earlier_questions
from scholarflow.server.api import Catalog
from scholarflow.server.errors import ApiError
from scholarflow.server.handover import handed_over
from scholarflow.server.schemas import ChatCompletionBody, ChatMessage
from scholarflow.tokens import usage

MODEL_ID = "scholarflow"
MODEL_CREATED = 1735689600  # 2025-01-01: fixed, so that the model listing never changes
CHUNK_CHARS = 64  # about a line of text per event: smooth in a chat window, few events


class OpenAIError(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIErrorBody(BaseModel):
    """Every error of the /v1 routes, in OpenAI's shape, so that SDKs raise their own errors."""

    error: OpenAIError


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": OpenAIErrorBody, "description": description}
    for status, description in {
        400: "Bad input: an unreadable prompt, no user message.",
        401: "Missing or wrong bearer token (when one is set).",
        404: "A model other than 'scholarflow'.",
        413: "The body is over 1 MB.",
        422: "A field is missing or has the wrong type.",
        500: "The answer could not be grounded in its sources.",
        503: "The catalog cannot be opened.",
    }.items()
}

router = APIRouter(prefix="/v1", tags=["OpenAI-compatible"], responses=_ERRORS)


def model_card() -> dict[str, Any]:
    return {"id": MODEL_ID, "object": "model", "created": MODEL_CREATED, "owned_by": "scholarflow"}


@router.get("/models", summary="The one model this server serves")
async def list_models() -> dict[str, Any]:
    return {"object": "list", "data": [model_card()]}


@router.get("/models/{model_id}", summary="One model")
async def get_model(model_id: str) -> dict[str, Any]:
    _check_model(model_id)
    return model_card()


@router.post(
    "/chat/completions",
    summary="Answer the last user message",
    response_description="A `chat.completion`, or with `stream` an SSE stream of "
    "`chat.completion.chunk` events ending with `data: [DONE]`.",
)
def chat_completions(body: ChatCompletionBody, catalog: Catalog, request: Request) -> Response:
    """A seed-format prompt is answered from its own sources; any other text is a free
    question answered from the catalog. The content is the Markdown answer."""
    _check_model(body.model)
    text = last_user_text(body.messages)
    earlier = earlier_questions(earlier_user_texts(body.messages))
    sent = [message.text() for message in body.messages]
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    writers = request.app.state.writers
    with_usage = bool(body.stream_options and body.stream_options.include_usage)
    if body.stream and writers.kind == "llm":
        return _live_stream(
            text,
            catalog,
            writers.make(stream=True),
            completion_id,
            created,
            earlier=earlier,
            usage_of=(lambda answer: usage(sent, answer)) if with_usage else None,
        )
    markdown = chat_markdown(text, catalog.retriever, writers.make(), earlier=earlier)
    counted = usage(sent, markdown)
    if body.stream:
        return StreamingResponse(
            _sse(chunk_events(completion_id, created, markdown, counted if with_usage else None)),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return JSONResponse(
        {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": MODEL_ID,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": markdown, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": counted,
            "system_fingerprint": None,
        }
    )


def earlier_user_texts(messages: list[ChatMessage]) -> list[str]:
    """The texts of the user messages before the last one, oldest first."""
    users = [message.text() for message in messages if message.role == "user"]
    return users[:-1]


def last_user_text(messages: list[ChatMessage]) -> str:
    """The text of the last message with role "user": the request."""
    for message in reversed(messages):
        if message.role == "user":
            text = message.text()
            if not text.strip():
                raise ApiError(400, "the last user message is empty", param="messages")
            return text
    raise ApiError(
        400,
        "no user message: the last message with role 'user' is the prompt or question",
        param="messages",
    )


def split_markdown(text: str, size: int = CHUNK_CHARS) -> list[str]:
    """Pieces of about `size` characters, cut after whitespace; joined, they are `text`."""
    pieces: list[str] = []
    current = ""
    for word in re.findall(r"\S*\s*", text):
        if current and len(current) + len(word) > size:
            pieces.append(current)
            current = ""
        current += word
    if current:
        pieces.append(current)
    return pieces


def chunk_events(
    completion_id: str, created: int, markdown: str, counted: dict[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """The role first, then the content in pieces, then an empty delta with finish_reason,
    as OpenAI sends them; with `counted` (stream_options.include_usage) a last chunk with no
    choices and the usage."""

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": MODEL_ID,
            "system_fingerprint": None,
            "choices": [
                {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            ],
        }

    yield chunk({"role": "assistant", "content": ""})
    for piece in split_markdown(markdown):
        yield chunk({"content": piece})
    yield chunk({}, "stop")
    if counted is not None:
        yield {**chunk({}), "choices": [], "usage": counted}


def _live_stream(
    text: str,
    catalog: Catalog,
    writer: object,
    completion_id: str,
    created: int,
    *,
    earlier: list[str],
    usage_of: Callable[[str], dict[str, Any] | None] | None = None,
) -> StreamingResponse:
    """Stream an answer the LLM writes as it is decided: every piece has passed the grounding
    screen (engine.DocumentStream); the model's raw text is never sent.

    The answer runs in a thread of its own and hands its pieces over a queue. The first piece
    is awaited before the response starts, so a server that fails before anything is shown
    still gets a proper status code and OpenAI error body.
    """

    def work(hand_over: Callable[[object], None]) -> None:
        chat_markdown(
            text,
            catalog.retriever,
            writer,  # type: ignore[arg-type]
            on_text=hand_over,
            earlier=earlier,
        )

    pieces = handed_over(work, name="scholarflow-answer")
    base = {"id": completion_id, "object": "chat.completion.chunk", "created": created}

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> str:
        event = {
            **base,
            "model": MODEL_ID,
            "system_fingerprint": None,
            "choices": [
                {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            ],
        }
        return f"data: {json.dumps(event, ensure_ascii=False, separators=(',', ':'))}\n\n"

    def events() -> Iterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        sent: list[str] = []
        for item in pieces:
            if isinstance(item, BaseException):
                break  # a failure after text was sent: the stream ends where it was
            sent.append(str(item))
            for piece in split_markdown(str(item)):
                yield chunk({"content": piece})
        yield chunk({}, "stop")
        counted = usage_of("".join(sent)) if usage_of is not None else None
        if counted is not None:
            event = {**base, "model": MODEL_ID, "system_fingerprint": None, "choices": []}
            event["usage"] = counted
            yield f"data: {json.dumps(event, ensure_ascii=False, separators=(',', ':'))}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _sse(events: Iterator[dict[str, Any]]) -> AsyncIterator[str]:
    # An async generator: the pieces are already computed, so there is no reason to hop to
    # a worker thread for each one, as Starlette does for a sync iterator.
    for event in events:
        yield f"data: {json.dumps(event, ensure_ascii=False, separators=(',', ':'))}\n\n"
    yield "data: [DONE]\n\n"


def _check_model(model: str) -> None:
    if model != MODEL_ID:
        raise ApiError(
            404,
            f"the model {model!r} does not exist: this server serves {MODEL_ID!r}",
            code="model_not_found",
            param="model",
        )
