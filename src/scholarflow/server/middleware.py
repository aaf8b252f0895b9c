"""ASGI middleware that answers before any route runs: the bearer token and the body limit.

Why plain ASGI and not FastAPI dependencies: a dependency runs after FastAPI has read and
parsed the whole body, so a client without the token, or with a 500 MB body, would already
have cost the server that memory and time. Here the token is checked before a byte of body is
read, and the body is counted as it arrives.
"""

from __future__ import annotations

import hmac
from collections.abc import Collection

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scholarflow.server.errors import ApiError, error_response

MAX_BODY_BYTES = 1024 * 1024
BODY_TOO_LARGE = "request body too large: limit is 1 MB"


class BodyTooLarge(ApiError):
    """Raised from `receive` once the body passes the limit. An `HTTPException`, so FastAPI's
    body reader re-raises it as it is instead of turning it into "error parsing the body"."""

    def __init__(self) -> None:
        super().__init__(413, BODY_TOO_LARGE, code="request_too_large")


class BodySizeLimit:
    """Refuses request bodies over `limit` bytes with 413.

    A declared Content-Length over the limit is refused before the app runs. A chunked body
    (no Content-Length), or one that lies about its length, is counted as it is received and
    refused the moment it passes the limit, so at most one chunk past the limit is ever held.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                response = error_response(path, 400, "invalid Content-Length header")
                await response(scope, receive, send)
                return
            if int(declared) > self.limit:
                await _refuse(scope, receive, send)
                return

        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge()
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            # Normally the app's HTTPException handler has already answered; this covers a
            # reader that let the exception through before a response started.
            if started:
                raise
            await _refuse(scope, receive, send)


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    response = error_response(scope["path"], 413, BODY_TOO_LARGE, code="request_too_large")
    # The client may still be sending; closing after the reply keeps the connection from
    # being reused with the rest of that body in it.
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


class BearerToken:
    """Every path except `open_paths` needs `Authorization: Bearer <token>`; else 401.

    The comparison is constant-time (`hmac.compare_digest`), so the response time says
    nothing about how much of a guessed token was right.
    """

    def __init__(self, app: ASGIApp, token: str, open_paths: Collection[str] = ()) -> None:
        self.app = app
        self._token = token.encode("utf-8")
        self.open_paths = frozenset(open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.open_paths:
            await self.app(scope, receive, send)
            return
        scheme, _, credentials = Headers(scope=scope).get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(
            credentials.strip().encode("utf-8"), self._token
        ):
            await self.app(scope, receive, send)
            return
        message = (
            "wrong bearer token" if credentials.strip() else "missing bearer token"
        ) + ": send the header 'Authorization: Bearer <token>' set when the server started"
        response = error_response(
            scope["path"],
            401,
            message,
            code="invalid_api_key",
            headers={"WWW-Authenticate": "Bearer"},
        )
        await response(scope, receive, send)
