"""A real HTTP server that speaks the OpenAI chat-completions protocol, for tests.

Why a real server and not a mocked transport: the bugs worth catching live in the bytes on
the wire (SSE framing, chunked encoding, status codes, headers, timeouts, dropped sockets).
The official `openai` client runs against this same server in the tests, which proves the
server speaks the real protocol, so what passes against it is likely to pass against Ollama,
vLLM, llama.cpp or OpenAI.

    with FakeOpenAIServer(Reply("Hello"), Reply(status=500), model="m") as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        ...
        server.requests[-1].body  # the JSON the server received

Replies are consumed one per chat request; the last one repeats once the queue is empty.
Requests rejected by validation or authentication consume no reply.

Hostile servers are scripted the same way, each a field of `Reply`: `trickle` (one byte of the
body every N seconds), `flood` (that many bytes of text, generated as they are sent),
`stream_end` (a stream that ends without `[DONE]`, or stops mid-way), `drop` (the socket
closed instead of the body finished), `invalid_utf8` (a 0xFF byte inside the text on the wire),
and `status=429` with `headers={"Retry-After": ...}` for Retry-After chains.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

__all__ = ["FakeOpenAIServer", "ReceivedRequest", "Reply"]

CHAT_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"
ROLES = frozenset({"system", "user", "assistant"})
_NOT_JSON = object()  # a request body that is missing or not JSON
_FLOOD_PIECE = 1024  # characters of text per streamed chunk when flooding
_FLOOD_BLOCK = 64 * 1024  # bytes per write of a flooded JSON body
_BAD_BYTE_MARK = "\u2063BAD\u2063"  # replaced on the wire by a lone 0xFF byte

StreamEnd = Literal["done", "no_done", "cut"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer to a chat request.

    `status` other than 200 sends an OpenAI-style error whose message is `content` (or a
    default); `delay` sleeps before answering (a hang, cut short when the server stops);
    `raw_body` is sent as-is with status 200 (garbage JSON); `usage` None leaves usage out;
    `headers` are extra response headers (e.g. Retry-After on a 429).

    Hostile behaviours: `trickle` sends the body one byte every `trickle` seconds (framing
    included); `flood` replaces the content with that many bytes of text, produced as they
    are written so the server itself holds little; `stream_end` is how a stream ends: "done"
    (finish_reason, usage, `[DONE]`), "no_done" (finish_reason and usage, no `[DONE]`) or
    "cut" (half the text, then nothing: no finish_reason, no `[DONE]`); `drop` closes the
    socket instead of ending the HTTP body; `invalid_utf8` puts one 0xFF byte in the middle
    of the text on the wire.
    """

    content: str = ""
    status: int = 200
    delay: float = 0.0
    raw_body: bytes | None = None
    usage: tuple[int, int] | None = (123, 456)
    chunk_size: int = 12
    headers: dict[str, str] | None = None
    # The reply's text computed from the request body (a reply that depends on the steps the
    # request lists); and a server that refuses `response_format` with a 400, as some do.
    respond: Callable[[dict[str, Any]], str] | None = None
    rejects_response_format: bool = False
    trickle: float = 0.0
    flood: int = 0
    stream_end: StreamEnd = "done"
    drop: bool = False
    invalid_utf8: bool = False

    def wire_content(self) -> str:
        """The text as scripted, with the 0xFF marker in its middle when asked for."""
        if not self.invalid_utf8:
            return self.content
        middle = len(self.content) // 2
        return self.content[:middle] + _BAD_BYTE_MARK + self.content[middle:]


@dataclass(frozen=True)
class ReceivedRequest:
    """What the server received: kept so tests can assert on the exact wire request."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any = None  # the parsed JSON body; None when absent or not JSON
    raw: bytes = b""


class RequestInvalid(Exception):
    """A request a real server would reject with HTTP 400."""


def validate_chat_body(body: Any) -> None:
    """Reject what OpenAI rejects, so a client that passes here sends a well-formed request."""
    if not isinstance(body, dict):
        raise RequestInvalid("the request body must be a JSON object")
    if not isinstance(body.get("model"), str) or not body["model"]:
        raise RequestInvalid("'model' is required and must be a non-empty string")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestInvalid("'messages' must be a non-empty array")
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            raise RequestInvalid(f"messages[{index}] must be an object")
        if message.get("role") not in ROLES:
            raise RequestInvalid(f"messages[{index}].role must be one of {sorted(ROLES)}")
        if not isinstance(message.get("content"), str):
            raise RequestInvalid(f"messages[{index}].content must be a string")
    _check_type(body, "stream", (bool,))
    _check_type(body, "temperature", (int, float), exclude_bool=True)
    _check_type(body, "max_tokens", (int,), exclude_bool=True)
    _check_type(body, "stream_options", (dict,))
    if "stream_options" in body and not body.get("stream"):
        raise RequestInvalid("'stream_options' is only allowed when 'stream' is true")


def _check_type(
    body: dict[str, Any], key: str, types: tuple[type, ...], *, exclude_bool: bool = False
) -> None:
    if key not in body or body[key] is None:
        return
    value = body[key]
    if not isinstance(value, types) or (exclude_bool and isinstance(value, bool)):
        names = " or ".join(t.__name__ for t in types)
        raise RequestInvalid(f"'{key}' must be of type {names}")


def error_body(message: str, kind: str) -> bytes:
    """The error envelope OpenAI uses, which clients parse for the message."""
    payload = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return json.dumps(payload).encode()


def _error_kind(status: int) -> str:
    if status in (401, 403):
        return "authentication_error"
    if status == 429:
        return "rate_limit_error"
    if status >= 500:
        return "server_error"
    return "invalid_request_error"


def completion_object(model: str, reply: Reply) -> dict[str, Any]:
    """A non-streaming `chat.completion`, shaped like OpenAI's."""
    result: dict[str, Any] = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": "stop",
            }
        ],
    }
    if reply.usage is not None:
        result["usage"] = _usage(reply.usage)
    return result


def stream_chunks(model: str, reply: Reply, *, include_usage: bool) -> list[dict[str, Any]]:
    """The `chat.completion.chunk` objects of a streamed reply, in OpenAI's order.

    Like OpenAI: a first chunk with the role and empty content, one chunk per piece, a chunk
    with `finish_reason: stop`, then (when asked for) a usage chunk with empty `choices`.
    """
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
    }

    def chunk(delta: dict[str, str], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "finish_reason": finish}
        return {**base, "choices": [choice]}

    size = max(1, reply.chunk_size)
    content = reply.wire_content()
    pieces = [content[i : i + size] for i in range(0, len(content), size)]
    if reply.stream_end == "cut":
        pieces = pieces[: max(1, len(pieces) // 2)]
    chunks = [chunk({"role": "assistant", "content": ""})]
    chunks += [chunk({"content": piece}) for piece in pieces]
    if reply.stream_end == "cut":
        return chunks
    chunks.append(chunk({}, "stop"))
    if include_usage and reply.usage is not None:
        chunks.append({**base, "choices": [], "usage": _usage(reply.usage)})
    return chunks


def _wire(payload: str) -> bytes:
    """UTF-8, except that the invalid-UTF-8 marker becomes a lone 0xFF byte."""
    return payload.encode().replace(_BAD_BYTE_MARK.encode(), b"\xff")


def _usage(usage: tuple[int, int]) -> dict[str, int]:
    prompt, completion = usage
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


class _Handler(BaseHTTPRequestHandler):
    """One connection; HTTP/1.1 keep-alive, like a real server, so clients reuse sockets."""

    protocol_version = "HTTP/1.1"
    timeout = 10  # a client that opens a socket and sends nothing cannot hold a thread forever
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Tests print nothing."""

    def do_GET(self) -> None:
        self._record(b"")
        if not self._authorized():
            return
        if self.path.rstrip("/") != MODELS_PATH:
            self._send_error(404, f"unknown path {self.path}")
            return
        model = {"id": self.server.model, "object": "model", "created": 0, "owned_by": "test"}
        self._send_json(200, json.dumps({"object": "list", "data": [model]}).encode())

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = self._record(raw)
        if not self._authorized():
            return
        if self.path.rstrip("/") != CHAT_PATH:
            self._send_error(404, f"unknown path {self.path}")
            return
        try:
            if body is _NOT_JSON:
                raise RequestInvalid("could not parse the request body as JSON")
            validate_chat_body(body)
        except RequestInvalid as exc:
            self._send_error(400, str(exc))
            return
        self._answer(body, self.server.next_reply())

    def _record(self, raw: bytes) -> Any:
        """Keep the request for the test to inspect; return its JSON body, or _NOT_JSON."""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = _NOT_JSON
        headers = {name.lower(): value for name, value in self.headers.items()}
        shown = None if body is _NOT_JSON else body
        self.server.record(ReceivedRequest(self.command, self.path, headers, shown, raw))
        return _NOT_JSON if body is None and self.command == "POST" else body

    def _authorized(self) -> bool:
        key = self.server.api_key
        if key is None or self.headers.get("Authorization") == f"Bearer {key}":
            return True
        self._send_error(401, "Incorrect API key provided.")
        return False

    def _answer(self, body: dict[str, Any], reply: Reply) -> None:
        if reply.rejects_response_format and "response_format" in body:
            self._send_error(400, "response_format is not supported by this server")
            return
        if reply.respond is not None:
            reply = dataclasses.replace(reply, content=reply.respond(body))
        if reply.delay and self.server.stopping.wait(reply.delay):
            self.close_connection = True  # shutting down: drop the hung request
            return
        if reply.status != 200:
            message = reply.content or f"scripted HTTP {reply.status}"
            self._send_error(reply.status, message, reply.headers)
        elif reply.raw_body is not None:
            self._send_json(200, reply.raw_body, reply.headers)
        elif reply.flood:
            self._send_flood(body, reply)
        elif body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            chunks = stream_chunks(body["model"], reply, include_usage=include_usage)
            events = [f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n" for chunk in chunks]
            if reply.stream_end == "done":
                events.append("data: [DONE]\n\n")
            self._send_stream((_wire(event) for event in events), reply)
        else:
            completion = completion_object(body["model"], reply)
            completion["choices"][0]["message"]["content"] = reply.wire_content()
            payload = _wire(json.dumps(completion, ensure_ascii=False))
            self._send_json(200, payload, reply.headers, reply)

    def _send_error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send_json(status, error_body(message, _error_kind(status)), headers)

    def _send_json(
        self,
        status: int,
        payload: bytes,
        headers: dict[str, str] | None = None,
        reply: Reply | None = None,
    ) -> None:
        self._send_json_parts(status, len(payload), [payload], headers, reply or Reply())

    def _send_json_parts(
        self,
        status: int,
        length: int,
        parts: Iterable[bytes],
        headers: dict[str, str] | None,
        reply: Reply,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        sent = 0
        for part in parts:
            if reply.drop and sent + len(part) >= length // 2:
                self._write(part[: length // 2 - sent], reply)
                self._drop()
                return
            self._write(part, reply)
            sent += len(part)

    def _send_stream(self, events: Iterable[bytes], reply: Reply) -> None:
        """SSE over chunked transfer encoding, one HTTP chunk per event, as OpenAI sends it."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            if not self._write(b"%X\r\n%s\r\n" % (len(event), event), reply):
                return
        if reply.drop:
            self._drop()
            return
        self._write(b"0\r\n\r\n", reply)

    def _send_flood(self, body: dict[str, Any], reply: Reply) -> None:
        """`reply.flood` bytes of text: one JSON completion, or a stream of 1 KiB chunks.

        The text is produced while it is written, from one block reused for every write, so
        the server's own memory stays small whatever the flood size; a test can then measure
        what the client kept.
        """
        if body.get("stream"):
            piece = "x" * _FLOOD_PIECE
            flooded = Reply(piece, chunk_size=_FLOOD_PIECE, usage=None, stream_end="cut")
            one = stream_chunks(body["model"], flooded, include_usage=False)[1]
            event = f"data: {json.dumps(one)}\n\n".encode()
            events = itertools.repeat(event, max(1, reply.flood // _FLOOD_PIECE))
            self._send_stream(events, reply)
            return
        completion = completion_object(body["model"], Reply("\x00", usage=None))
        head, tail = json.dumps(completion).encode().split(b"\\u0000")
        block = b"x" * _FLOOD_BLOCK
        full, rest = divmod(reply.flood, _FLOOD_BLOCK)
        parts = itertools.chain([head], itertools.repeat(block, full), [block[:rest], tail])
        length = len(head) + reply.flood + len(tail)
        self._send_json_parts(200, length, parts, None, reply)

    def _write(self, data: bytes, reply: Reply) -> bool:
        """Send bytes, one at a time with pauses when trickling; False once the server stops."""
        if not reply.trickle:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        for index in range(len(data)):
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()
            if self.server.stopping.wait(reply.trickle):
                self.close_connection = True
                return False
        return True

    def _drop(self) -> None:
        """Close the socket with the HTTP body unfinished, as a crashed server would."""
        self.wfile.flush()
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class _Server(ThreadingHTTPServer):
    """The HTTP server plus the state the handlers share (behind one lock)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, model: str, api_key: str | None, replies: list[Reply]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.model = model
        self.api_key = api_key
        self.stopping = threading.Event()
        self.requests: list[ReceivedRequest] = []
        # The default answers only when nothing was ever scripted; replies enqueued while the
        # server runs come first.
        self._replies: deque[Reply] = deque(replies)
        self._last = self._replies[-1] if replies else Reply("Hello from the fake server.")
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()

    def next_reply(self) -> Reply:
        with self._lock:
            if self._replies:
                self._last = self._replies.popleft()
            return self._last

    def enqueue(self, replies: tuple[Reply, ...]) -> None:
        with self._lock:
            self._replies.extend(replies)

    def record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def track(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    def drop_connections(self) -> None:
        """Wake handlers blocked on idle keep-alive sockets so no thread outlives the server."""
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-reply is normal in these tests: stay quiet."""


class FakeOpenAIServer:
    """Context manager: an OpenAI-compatible server on 127.0.0.1 at an ephemeral port."""

    def __init__(
        self, *replies: Reply, model: str = "fake-model", api_key: str | None = None
    ) -> None:
        self.replies = replies
        self.model = model
        self.api_key = api_key
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> FakeOpenAIServer:
        self._server = _Server(self.model, self.api_key, list(self.replies))
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="fake-openai",
            daemon=True,
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop within about a second, even with a handler sleeping on a scripted hang."""
        server, thread = self._require(), self._thread
        server.stopping.set()
        server.shutdown()
        server.drop_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=1.0)

    @property
    def port(self) -> int:
        return int(self._require().server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[ReceivedRequest]:
        """Every request received, in order (a copy: handlers may still be appending)."""
        server = self._require()
        with server._lock:
            return list(server.requests)

    @property
    def chat_requests(self) -> list[ReceivedRequest]:
        """Only the POSTs to /v1/chat/completions: one per client attempt."""
        return [r for r in self.requests if r.method == "POST" and r.path == CHAT_PATH]

    def enqueue(self, *replies: Reply) -> None:
        """Script more replies while the server runs."""
        self._require().enqueue(replies)

    def _require(self) -> _Server:
        if self._server is None:
            raise RuntimeError("FakeOpenAIServer is not running: use it as a context manager")
        return self._server
