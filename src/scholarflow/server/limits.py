"""What one client may cost the server: read deadlines, a cap on connections, a time budget.

`ServerLimits` holds the numbers (from the settings: `server_header_timeout`,
`server_body_timeout`, `server_max_connections`, `server_request_timeout`). The request
budget is enforced in the app (`middleware.RequestBudget`); the rest here, in the HTTP
protocol, because nothing above it can see a request that has not arrived yet.

Why a hand-written protocol class: uvicorn (0.54 here) times out only idle keep-alive
connections (`timeout_keep_alive`), and every byte received cancels that timer, so a client
sending one header byte a second holds its connection for ever (slowloris). A header-read
timeout (`--timeout-request-start`) and a body-read one have been on uvicorn's wish list
since 2018 (issue #157); the pull request for the first (#1685) was closed unmerged. Its
`limit_concurrency` answers 503 only to a request whose headers have arrived, so it cannot
shed connections that never finish them; and ASGI middleware runs only once the headers are
parsed. So `GuardedH11Protocol` extends uvicorn's own h11 protocol by three things, keeping
its parsing and flow control: a deadline for the headers (from the connection's start, or
from the end of the previous response on a kept-alive connection), one for the body (from
the end of the headers), and a cap on open connections checked the moment one is accepted.
The h11 protocol is named explicitly so that installing httptools (which uvicorn would
prefer) does not silently drop these guards.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

if TYPE_CHECKING:
    from scholarflow.settings import Settings

log = logging.getLogger("scholarflow.server")


@dataclass(frozen=True)
class ServerLimits:
    """Seconds and counts; the defaults are the settings' defaults (tests check they agree)."""

    header_timeout: float = 5.0  # to send the request line and headers
    body_timeout: float = 15.0  # to send the body, once the headers are in (bodies are <= 1 MB)
    max_connections: int = 128  # open at once; more are answered 503 and closed at once
    request_timeout: float = 30.0  # from the headers to the first byte of the response

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerLimits:
        return cls(
            header_timeout=settings.server_header_timeout,
            body_timeout=settings.server_body_timeout,
            max_connections=settings.server_max_connections,
            request_timeout=settings.server_request_timeout,
        )


def guarded_protocol(limits: ServerLimits) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with `limits` applied, for `uvicorn.Config(http=...)`."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"limits": limits})


def _busy_response(limit: int) -> bytes:
    body = json.dumps(
        {"detail": f"too many open connections (limit {limit}); try again in a moment"}
    ).encode()
    head = (
        "HTTP/1.1 503 Service Unavailable\r\n"
        "content-type: application/json\r\n"
        f"content-length: {len(body)}\r\n"
        "retry-after: 1\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol plus header and body read deadlines and a connection cap."""

    limits: ClassVar[ServerLimits] = ServerLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._refused = False
        self._deadline: asyncio.TimerHandle | None = None
        self._awaiting: str | None = None  # "headers" or "body" while a deadline runs

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.limits.max_connections:
            # Answered before the request is read: the client gets a reason, not a hang, and
            # the server holds nothing for it. Not added to `connections`, so uvicorn never
            # waits for it at shutdown.
            self._refused = True
            log.warning("refused a connection: %d open, the limit", self.limits.max_connections)
            transport.write(_busy_response(self.limits.max_connections))
            transport.close()
            return
        super().connection_made(transport)
        self._expect("headers")

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        super().data_received(data)
        self._follow_request()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow_request()  # a kept-alive connection now waits for its next headers

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self._refused:
            return  # never set up, so nothing of uvicorn's to tear down
        super().connection_lost(exc)

    def _follow_request(self) -> None:
        """Arm the deadline that fits where the client is in its request."""
        if self.transport.is_closing():
            self._disarm()
        elif self.conn.their_state is h11.IDLE:
            self._expect("headers")
        elif self.conn.their_state is h11.SEND_BODY:
            self._expect("body")
        else:  # the request is in (DONE), or the connection is ending: the app's turn
            self._disarm()

    def _expect(self, part: str) -> None:
        if self._awaiting == part:
            return  # already running: more bytes of the same part do not extend it
        self._disarm()
        seconds = self.limits.header_timeout if part == "headers" else self.limits.body_timeout
        self._awaiting = part
        self._deadline = self.loop.call_later(seconds, self._expired, part, seconds)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = None
        self._awaiting = None

    def _expired(self, part: str, seconds: float) -> None:
        self._deadline = None
        self._awaiting = None
        if self.transport.is_closing():
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        message = "closed the connection of %s: its request %s took over %g s"
        log.warning(message, client, part, seconds)
        self.transport.close()
