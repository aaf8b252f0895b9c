"""ASGI middleware around every route: security headers, the time budget, the bearer token
and the body limit.

Why plain ASGI and not FastAPI dependencies: a dependency runs after FastAPI has read and
parsed the whole body, so a client without the token, or with a 500 MB body, would already
have cost the server that memory and time. Here the token is checked before a byte of body is
read, and the body is counted as it arrives.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Collection

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from scholarflow.server.errors import ApiError, error_response

log = logging.getLogger("scholarflow.server")

# The page and /docs are plain files from this server: scripts, styles, fonts and the API
# calls all come from 'self', nothing is inline (the page's icon is a data: URL), and no page
# may frame them. One policy for every response, JSON included: a JSON body opened as a
# document then runs nothing either.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Adds `SECURITY_HEADERS` to every response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self._headers:
                    if name.decode() not in headers:
                        headers.raw.append((name, value))
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RequestBudget:
    """A request whose response has not started within `seconds` is answered 503 at once.

    Why a task of its own and not a cancel scope: answers are computed in worker threads
    (FastAPI runs sync endpoints with Starlette's `run_in_threadpool`), and a thread cannot be
    interrupted; cancelling the coroutine that awaits it waits for the thread to finish, so
    the client would wait all the same. Here the app runs as its own task: when the budget is
    spent, the client gets its error, the task is cancelled (it ends when its thread returns)
    and whatever it would still send is dropped. The thread's work is lost, not stopped; the
    budget bounds what a client waits, the thread pool bounds what runs.

    Once the response has started (a stream), the budget no longer applies: the status line
    is gone, and the rest is bounded by the size of what was computed.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = expired = False

        async def send_unless_expired(message: Message) -> None:
            nonlocal started
            if expired:
                return  # the client already has its 503
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        work = asyncio.ensure_future(self.app(scope, receive, send_unless_expired))
        try:
            await asyncio.wait_for(asyncio.shield(work), self.seconds)
            return
        except TimeoutError:
            if started:
                await work
                return
        except asyncio.CancelledError:
            work.cancel()
            raise
        expired = True
        work.cancel()
        work.add_done_callback(_log_failure)
        log.warning(
            "%s %s: no answer within the %g s budget; answered 503",
            scope["method"],
            scope["path"],
            self.seconds,
        )
        response = error_response(
            scope["path"],
            503,
            f"the request took longer than this server's {self.seconds:g} s budget; try again "
            "later, or raise the budget (setting server_request_timeout)",
            code="timeout",
            headers={"Retry-After": "1"},
        )
        await response(scope, receive, send)


def _log_failure(task: asyncio.Future[None]) -> None:
    """An abandoned request's exception, logged rather than left for asyncio to complain of."""
    if not task.cancelled() and task.exception() is not None:
        log.error("a request abandoned after its budget failed", exc_info=task.exception())


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
    """Every path except `open_paths` and those under `open_prefixes` needs
    `Authorization: Bearer <token>`; else 401.

    The comparison is constant-time (`hmac.compare_digest`), so the response time says
    nothing about how much of a guessed token was right.
    """

    def __init__(
        self,
        app: ASGIApp,
        token: str,
        open_paths: Collection[str] = (),
        open_prefixes: Collection[str] = (),
    ) -> None:
        self.app = app
        self._token = token.encode("utf-8")
        self.open_paths = frozenset(open_paths)
        self.open_prefixes = tuple(open_prefixes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or path in self.open_paths
            or path.startswith(self.open_prefixes)
        ):
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
