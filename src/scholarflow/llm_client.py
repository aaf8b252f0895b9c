"""A small client for any OpenAI-compatible chat-completions endpoint.

Ollama, vLLM, the llama.cpp server, LM Studio and OpenAI all speak the same protocol, so one
client over httpx serves them all without pulling in the `openai` package (startup time, and
one dependency fewer). What it adds over a bare POST is what a command-line user needs:

- every failure is an `LLMError` (exit 4) with one line that names the server and says what to
  do, never a traceback;
- bounds a bad server cannot move: one `deadline` for the whole call (connecting, every byte
  of the reply, every retry and every pause between them), and a cap on the bytes of a reply
  (`max_reply_bytes`), past which reading stops, so memory stays bounded whatever is sent;
- bounded retries, with exponential backoff or the server's `Retry-After`, for what is worth
  retrying: HTTP 429, 5xx, and a connection reset before any text arrived; a retry whose pause
  would pass the deadline is not started, and the message says so;
- streaming, with each piece of text handed to `on_delta` as it arrives; a stream that sent a
  `finish_reason` is complete even without the closing `data: [DONE]`;
- text that is what the server sent: bytes that are not UTF-8 end the call with a message
  saying so, never silently replaced by U+FFFD.

What is *not* retried, and why:

- a hang (no byte within `timeout` seconds): the wait the user already sat through would
  double and a stuck or overloaded server rarely recovers within it; the message says to raise
  the timeout instead;
- connection refused: nothing is listening, so waiting cannot help; the user should start the
  server or fix `--llm-base-url`;
- other 4xx: the request itself is wrong (key, model name, URL) and would fail again;
- a reset after streamed text was passed to `on_delta`: a retry would repeat that text;
- a reply over the size cap, or not UTF-8: the same request would most likely get it again.

Why asyncio under a synchronous `complete`: httpx's timeouts are per operation (connecting,
each read), so a server sending one byte just inside the read timeout can hold a synchronous
call for as long as it likes. A deadline over everything needs cancellation, which
`asyncio.timeout` gives exactly, with httpx's AsyncClient, instead of a hand-written watchdog
thread closing sockets. `complete` runs its own event loop, so call it from synchronous code
(a thread with no running loop), as every caller does today.

The API key is sent only as the Authorization header; it never appears in a message or repr.
"""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import functools
import json
import math
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

from scholarflow.errors import ConfigurationError

__all__ = ["ChatClient", "ChatResult", "LLMError"]

API_KEY_SETTING = "SCHOLARFLOW_LLM_API_KEY"
DEADLINE_HINT = "raise --llm-deadline (SCHOLARFLOW_LLM_DEADLINE)"
REPLY_CAP_HINT = "set llm_max_tokens so the model stops sooner, or raise llm_max_reply_bytes"
DEFAULT_DEADLINE_S = 120.0
# A streamed reply carries ~220 bytes per token (one `data:` event of chunk JSON: OpenAI's
# documented chunk and the test server's both measure 221-230 bytes for a one-word token), so
# this is about 9,000 streamed tokens, and far more not streamed.
DEFAULT_MAX_REPLY_BYTES = 2 * 1024 * 1024
MAX_WAIT_S = 30.0  # the longest pause between attempts, whatever Retry-After asks for
_MAX_DETAIL = 200  # characters of a server's error message quoted in ours
_ERROR_BODY_BYTES = 16 * 1024  # read of an error reply: enough for its message, no more
_sleep = asyncio.sleep  # module-level so tests can observe the waits without slowing down


class LLMError(ConfigurationError):
    """The LLM server could not give an answer; the message names it and what to do (exit 4).

    `attempts` and `latency_s` say how far the call got (for the log), when a call was made.
    """

    def __init__(self, message: str, *, status: int | None = None, empty: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.empty = empty  # the server answered, with no text: a degenerate reply
        self.attempts: int = 0
        self.latency_s: float | None = None


@dataclass(frozen=True)
class ChatResult:
    """One completed chat: the text and what it cost.

    `model` is the name the server reports (it may resolve an alias); token counts are None
    when the server did not report usage; `latency_s` is the whole call as the user waited
    for it, retries and pauses included; `attempts` counts HTTP requests sent.
    """

    text: str
    model: str
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_s: float
    attempts: int


class _Transient(Exception):
    """A failure worth another attempt; `describe` becomes the message if attempts run out."""

    def __init__(self, describe: str, *, status: int | None = None, retry_after: float | None):
        super().__init__(describe)
        self.describe = describe
        self.status = status
        self.retry_after = retry_after


@dataclass
class _Collected:
    """What one attempt gathered: kept outside the parser so a failure can see what was sent.

    `answered` is set once a success status arrived; `received` counts the reply's bytes
    after it, checked against the cap as they arrive.
    """

    pieces: list[str] = field(default_factory=list)
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    done: bool = False
    answered: bool = False
    received: int = 0


@dataclass
class _Progress:
    """How far a call got; read when the deadline cancels it mid-flight."""

    attempts: int = 0
    current: _Collected = field(default_factory=_Collected)


class ChatClient:
    """A chat-completions client for one server and one model.

    Each call opens and closes its own connections, so there is nothing to release between
    calls; it is still a context manager, so that callers need not know that.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        deadline: float = DEFAULT_DEADLINE_S,
        max_reply_bytes: int = DEFAULT_MAX_REPLY_BYTES,
        max_retries: int = 3,
        backoff: float = 0.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = _check_base_url(base_url)
        if not model or not model.strip():
            raise LLMError("no LLM model name given: set the model the server should run")
        if not (timeout > 0 and deadline > 0 and max_reply_bytes > 0):
            raise LLMError(
                f"bad LLM client settings: timeout, deadline and reply size must be > 0 "
                f"(got {timeout}, {deadline}, {max_reply_bytes})"
            )
        if max_retries < 0 or backoff < 0:
            raise LLMError(
                f"bad LLM client settings: retries and backoff must be >= 0 "
                f"(got {max_retries}, {backoff})"
            )
        self.model = model
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.max_reply_bytes = int(max_reply_bytes)
        self.max_retries = max_retries
        self.backoff = backoff
        self.endpoint = f"{self.base_url}/chat/completions"
        # identity: a compressed reply could grow past the size cap inside one decoded chunk.
        self._headers = {
            "Accept": "application/json, text/event-stream",
            "Accept-Encoding": "identity",
        }
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._has_key = bool(api_key)
        self._transport = transport

    def __repr__(self) -> str:
        return f"ChatClient(base_url={self.base_url!r}, model={self.model!r})"

    def __enter__(self) -> ChatClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to close: connections live only as long as one call."""

    def request_body(
        self, messages: list[dict[str, str]], *, stream: bool = False, **options: Any
    ) -> dict[str, Any]:
        """The JSON body of one chat request, exactly as it is sent.

        `options` are chat-completions parameters (temperature, max_tokens, response_format…);
        one that is None is left out, as the official client leaves out what is not given.
        """
        body: dict[str, Any] = {"model": self.model, "messages": messages, "stream": stream}
        body.update({name: value for name, value in options.items() if value is not None})
        if stream:
            # Without this, servers send no token counts when streaming.
            body["stream_options"] = {"include_usage": True}
        return body

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        temperature: float = 0.2,
        max_tokens: int | None = None,
        stream: bool = False,
        on_delta: Callable[[str], None] | None = None,
    ) -> ChatResult:
        """Send one chat and return the reply; raise LLMError with a clear line if none came.

        With `stream`, `on_delta` receives each non-empty piece of text as it arrives, and the
        result holds them joined. The call ends within `deadline` seconds, whatever the server.
        It runs its own event loop, so it cannot be called from a coroutine.
        """
        body = self.request_body(
            messages, stream=stream, temperature=temperature, max_tokens=max_tokens
        )
        return self.send(body, on_delta=on_delta)

    def send(
        self, body: dict[str, Any], *, on_delta: Callable[[str], None] | None = None
    ) -> ChatResult:
        """Send a body made by `request_body` (so a caller can log exactly what was sent);
        otherwise as `complete`."""
        if not body.get("messages"):
            raise ValueError("messages must not be empty")
        return asyncio.run(self._call(body, on_delta))

    # -- the call: attempts within one deadline ----------------------------------------------

    async def _call(
        self, body: dict[str, Any], on_delta: Callable[[str], None] | None
    ) -> ChatResult:
        loop = asyncio.get_running_loop()
        started = loop.time()
        ends = started + self.deadline
        progress = _Progress()
        scope = asyncio.timeout_at(ends)
        try:
            try:
                async with scope, self._http() as http:
                    while True:
                        progress.attempts += 1
                        progress.current = _Collected()
                        try:
                            await self._attempt(http, body, on_delta, progress.current)
                        except _Transient as failure:
                            left = ends - loop.time()
                            await _sleep(self._pause(failure, progress.attempts, left))
                            continue
                        break
            except TimeoutError:
                if not scope.expired():
                    raise
                if not (progress.current.done or progress.current.finish_reason):
                    raise self._past_deadline(progress) from None
                # The reply was complete; only the closing [DONE] or usage was still awaited.
            return self._result(progress.current, loop.time() - started, progress.attempts)
        except LLMError as error:
            error.attempts = progress.attempts
            error.latency_s = loop.time() - started
            raise

    def _http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            headers=self._headers,
            timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)),
            transport=self._transport,
            verify=_tls_context(),
        )

    def _pause(self, failure: _Transient, attempts: int, left: float) -> float:
        """Seconds before the next attempt, or LLMError when there should be none."""
        tries = f"{attempts} attempts" if attempts > 1 else "1 attempt"
        if attempts > self.max_retries:
            raise LLMError(
                f"{failure.describe}; gave up after {tries}, try again later",
                status=failure.status,
            )
        asked = failure.retry_after
        if asked is not None and asked >= left:
            raise LLMError(
                f"{failure.describe} and asked to wait {_seconds(asked)} before trying again, "
                f"more than the {_seconds(left)} left of the {_seconds(self.deadline)} deadline; "
                f"try again later or {DEADLINE_HINT}",
                status=failure.status,
            )
        wait = min(asked if asked is not None else self.backoff * 2 ** (attempts - 1), MAX_WAIT_S)
        if wait >= left:
            raise LLMError(
                f"{failure.describe}; gave up after {tries}, as waiting {_seconds(wait)} more "
                f"would pass the {_seconds(self.deadline)} deadline; try again later or "
                f"{DEADLINE_HINT}",
                status=failure.status,
            )
        return wait

    def _past_deadline(self, progress: _Progress) -> LLMError:
        """The deadline passed mid-attempt: say whether anything had arrived."""
        limit = f"the {_seconds(self.deadline)} deadline"
        tries = f", attempt {progress.attempts}" if progress.attempts > 1 else ""
        if progress.current.answered:
            what = (
                f"the LLM server at {self.base_url} was still sending its reply at {limit} "
                f"({_count_of(progress.current.received, 'byte')} received{tries})"
            )
        else:
            what = f"no reply from the LLM server at {self.base_url} within {limit}{tries}"
        return LLMError(f"{what}; the server is stuck or too slow: {DEADLINE_HINT}")

    # -- one attempt -------------------------------------------------------------------------

    async def _attempt(
        self,
        http: httpx.AsyncClient,
        body: dict[str, Any],
        on_delta: Callable[[str], None] | None,
        collected: _Collected,
    ) -> None:
        """One HTTP request; transport failures become LLMError or _Transient."""
        try:
            async with http.stream("POST", self.endpoint, json=body) as response:
                await self._check_status(response)
                collected.answered = True
                if body.get("stream"):
                    await self._read_stream(response, collected, on_delta)
                else:
                    await self._read_completion(response, collected)
        except httpx.ConnectTimeout:
            reason = f"no connection within {min(10.0, self.timeout):g} s"
            raise self._unreachable(reason, maybe_down=True) from None
        except httpx.TimeoutException:
            if collected.finish_reason is None:
                raise self._hung(collected) from None  # not retried: see the module docstring
        except httpx.ConnectError as exc:
            reason = _connect_reason(exc)
            raise self._unreachable(reason, maybe_down=reason == "connection refused") from exc
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
            if collected.finish_reason is None:
                raise self._broken(exc, collected) from exc
        except httpx.TransportError as exc:
            raise LLMError(
                f"the request to the LLM server at {self.base_url} failed: {_one_line(str(exc))}"
            ) from exc

    def _hung(self, collected: _Collected) -> LLMError:
        """No byte for `timeout` seconds, before the reply or in the middle of a stream."""
        if collected.pieces:
            what = f"the LLM server at {self.base_url} stopped sending mid-reply for"
        else:
            what = f"no reply from {self.base_url} within"
        return LLMError(
            f"{what} {self.timeout:g} s (the server may be loading the model or overloaded; "
            "raise the timeout or try again later)"
        )

    def _unreachable(self, reason: str, *, maybe_down: bool) -> LLMError:
        """No connection at all: usually the server is not started or the URL is wrong."""
        hint = "is it running? " if maybe_down else ""
        return LLMError(
            f"cannot reach the LLM server at {self.base_url}: {reason} ({hint}check --llm-base-url)"
        )

    def _broken(self, exc: httpx.TransportError, collected: _Collected) -> Exception:
        """A dropped connection: retry unless text already went out through on_delta."""
        reason = _one_line(str(exc)) or type(exc).__name__
        if collected.pieces:
            return LLMError(
                f"the connection to the LLM server at {self.base_url} broke mid-reply "
                f"({reason}); try again"
            )
        return _Transient(
            f"the connection to the LLM server at {self.base_url} was dropped ({reason})",
            retry_after=None,
        )

    # -- status ------------------------------------------------------------------------------

    async def _check_status(self, response: httpx.Response) -> None:
        """Raise for any status but 200-299: _Transient for 429/5xx, LLMError for the rest."""
        if response.is_success:
            return
        status = response.status_code
        detail = _server_message(await _head(response, _ERROR_BODY_BYTES))
        shown = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
        if status == 429 or status >= 500:
            raise _Transient(
                f"the LLM server at {self.base_url} answered {shown}",
                status=status,
                retry_after=_retry_after(response.headers),
            )
        raise LLMError(self._client_error(status, shown, response), status=status)

    def _client_error(self, status: int, shown: str, response: httpx.Response) -> str:
        url = self.base_url
        if status in (401, 403):
            what = "refused the API key" if self._has_key else "needs an API key"
            return f"the LLM server at {url} {what} ({shown}); set {API_KEY_SETTING}"
        if status == 404:
            return (
                f"the LLM server at {url} has no {self.endpoint} or no model {self.model!r} "
                f"({shown}): the base URL usually ends in /v1 (e.g. http://localhost:11434/v1), "
                "and the model name must be one the server lists"
            )
        if 300 <= status < 400:
            location = response.headers.get("location", "elsewhere")
            return f"the LLM server at {url} redirects to {location} ({shown}); use that URL"
        return f"the LLM server at {url} rejected the request ({shown})"

    # -- reading replies ---------------------------------------------------------------------

    def _count(self, chunk: bytes, collected: _Collected) -> None:
        """Add a chunk to the bytes received; past the cap, stop reading (not retried)."""
        collected.received += len(chunk)
        if collected.received > self.max_reply_bytes:
            raise LLMError(
                f"the reply from the LLM server at {self.base_url} passed the "
                f"{_size(self.max_reply_bytes)} size limit and was cut off there "
                f"({collected.received} bytes received); {REPLY_CAP_HINT}"
            )

    async def _read_completion(self, response: httpx.Response, collected: _Collected) -> None:
        """A non-streamed `chat.completion`: choices[0].message.content and usage."""
        raw = bytearray()
        async for chunk in response.aiter_bytes():
            self._count(chunk, collected)
            raw += chunk
        payload = self._json(self._utf8(bytes(raw)))
        choice = _first_choice(payload)
        message = choice.get("message") if choice is not None else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(message, dict) or not isinstance(content, str | None):
            raise self._not_chat("no choices[0].message.content")
        collected.pieces.append(self._text(content or ""))
        collected.finish_reason = choice.get("finish_reason") if choice else None
        _take_meta(payload, collected)
        collected.done = True

    async def _read_stream(
        self,
        response: httpx.Response,
        collected: _Collected,
        on_delta: Callable[[str], None] | None,
    ) -> None:
        """SSE chunks until [DONE] or the end; a server that ignored `stream` and sent JSON
        also works."""
        if "json" in response.headers.get("content-type", ""):
            await self._read_completion(response, collected)
            if on_delta is not None and collected.pieces[0]:
                on_delta(collected.pieces[0])
            return
        decoder = codecs.getincrementaldecoder("utf-8")()  # strict: see _utf8
        events = _SSEEvents()
        async for chunk in response.aiter_bytes():
            self._count(chunk, collected)
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise self._not_utf8(error, collected) from None
            if self._take_events(events.feed(text), collected, on_delta):
                return
        try:
            text = decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            raise self._not_utf8(error, collected) from None
        self._take_events([*events.feed(text), *events.close()], collected, on_delta)

    def _take_events(
        self,
        events: list[str],
        collected: _Collected,
        on_delta: Callable[[str], None] | None,
    ) -> bool:
        """Take the data of complete SSE events; True once `[DONE]` arrived."""
        for data in events:
            if data.strip() == "[DONE]":
                collected.done = True
                return True
            self._take_chunk(self._json(data), collected, on_delta)
        return False

    def _take_chunk(
        self, chunk: Any, collected: _Collected, on_delta: Callable[[str], None] | None
    ) -> None:
        if isinstance(chunk, dict) and chunk.get("error"):
            detail = _error_detail(chunk) or "no details"
            raise LLMError(f"the LLM server at {self.base_url} failed mid-reply: {detail}")
        if not isinstance(chunk, dict) or not isinstance(chunk.get("choices"), list):
            raise self._not_chat("a stream chunk without choices")
        _take_meta(chunk, collected)
        choice = _first_choice(chunk)
        if choice is None:
            return  # the usage chunk has no choices
        delta = choice.get("delta")
        piece = delta.get("content") if isinstance(delta, dict) else None
        if choice.get("finish_reason"):
            collected.finish_reason = choice["finish_reason"]
        if isinstance(piece, str) and piece:
            collected.pieces.append(self._text(piece))
            if on_delta is not None:
                on_delta(piece)

    def _utf8(self, raw: bytes) -> str:
        """The reply as text. Strict, because a replacement character would pass a corrupted
        reply off as text: the protocol is UTF-8, so anything else is the server's fault."""
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise self._not_utf8(error, None) from None

    def _not_utf8(self, error: UnicodeDecodeError, collected: _Collected | None) -> LLMError:
        """Name the first bad byte and where it is, counted from the start of the reply."""
        bad = error.object[error.start : error.start + 1].hex()
        # An incremental decoder's error holds only what it still had buffered: the bytes
        # received so far end where that buffer ends.
        end = collected.received if collected is not None else len(error.object)
        where = end - len(error.object) + error.start
        return LLMError(
            f"the reply from the LLM server at {self.base_url} is not valid UTF-8 text "
            f"(byte 0x{bad} at byte {where} of the reply), so none of it was used; "
            "check the server and the model's output"
        )

    def _text(self, text: str) -> str:
        """Text decoded from JSON, refused if it holds an escaped lone surrogate (`\\ud800`):
        that is not text, and would break the answer when it is printed."""
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            code = f"\\u{ord(text[error.start]):04x}"
            raise LLMError(
                f"the reply from the LLM server at {self.base_url} holds {code}, a lone "
                "surrogate that is not text, so none of it was used; check the server and "
                "the model's output"
            ) from None
        return text

    def _json(self, text: str) -> Any:
        try:
            return json.loads(text)
        except ValueError:
            raise self._not_chat(f"it starts {_one_line(text[:60])!r}") from None

    def _not_chat(self, detail: str) -> LLMError:
        return LLMError(
            f"the LLM server at {self.base_url} sent a reply that is not chat-completions JSON "
            f"({detail}); is --llm-base-url the API root, usually ending in /v1?"
        )

    def _result(self, collected: _Collected, latency_s: float, attempts: int) -> ChatResult:
        """Check the reply is complete and has text, then package it."""
        text = "".join(collected.pieces)
        if not collected.done and collected.finish_reason is None:
            raise LLMError(
                f"the stream from the LLM server at {self.base_url} stopped before the reply "
                f"was complete (no finish_reason and no [DONE], after {len(text)} characters); "
                "try again"
            )
        if not text.strip():
            hint = (
                "raise max_tokens"
                if collected.finish_reason == "length"
                else "check the model answers on that server"
            )
            raise LLMError(
                f"the LLM server at {self.base_url} sent an empty reply for model "
                f"{self.model!r}; {hint}",
                empty=True,
            )
        return ChatResult(
            text=text,
            model=collected.model or self.model,
            prompt_tokens=collected.prompt_tokens,
            completion_tokens=collected.completion_tokens,
            latency_s=latency_s,
            attempts=attempts,
        )


class _SSEEvents:
    """Server-sent events from text that arrives in arbitrary pieces: the data of each event.

    Hand-written because httpx's line iterator decodes with U+FFFD replacement (and the
    httpx-sse package reads through it), while a reply must be decoded strictly; what is left
    is splitting on CR, LF or CRLF (an event stream's only line ends: `str.splitlines` would
    also split on U+2028 inside a JSON string) and the SSE field rules: comments and fields
    other than `data` are skipped, and the `data` lines of one event are joined with newlines.
    The buffer holds at most one unfinished line, which the reply size cap bounds.
    """

    _LINE_END = re.compile(r"\r\n|\r|\n")

    def __init__(self) -> None:
        self._buffer = ""
        self._data: list[str] = []

    def feed(self, text: str) -> list[str]:
        """The events that `text` completes."""
        self._buffer += text
        events: list[str] = []
        start = 0
        for match in self._LINE_END.finditer(self._buffer):
            if match.group() == "\r" and match.end() == len(self._buffer):
                break  # maybe the first half of a CRLF split between pieces
            self._line(self._buffer[start : match.start()], events)
            start = match.end()
        self._buffer = self._buffer[start:]
        return events

    def close(self) -> list[str]:
        """At the end of the stream: an unfinished last event still counts."""
        events: list[str] = []
        if self._buffer:
            self._line(self._buffer, events)
            self._buffer = ""
        self._line("", events)
        return events

    def _line(self, line: str, events: list[str]) -> None:
        if not line:
            if self._data:
                events.append("\n".join(self._data))
                self._data = []
            return
        name, _, value = line.partition(":")
        if name == "data":
            self._data.append(value.removeprefix(" "))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context per process: reading the system's certificates takes ~80 ms, and a
    client is made per call (a batch or a server makes many)."""
    return ssl.create_default_context()


async def _head(response: httpx.Response, limit: int) -> bytes:
    """At most `limit` bytes of a body: an error reply is read for its message only."""
    raw = bytearray()
    async for chunk in response.aiter_bytes():
        raw += chunk[: limit - len(raw)]
        if len(raw) >= limit:
            break
    return bytes(raw)


def _count_of(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _seconds(value: float) -> str:
    """120 s, 2.5 s, 0.49 s: no more digits than a reader needs."""
    return f"{value:.0f} s" if value >= 10 else f"{value:.2g} s"


def _size(count: int) -> str:
    """Bytes as a person would write them: 2 MiB, 256 KiB, 1000 bytes."""
    for unit, size in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"


# -- helpers that need no client -------------------------------------------------------------


def _check_base_url(base_url: str) -> str:
    """Take the URL as given (like the openai client), minus a trailing slash."""
    url = (base_url or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise LLMError(
            f"the LLM base URL {base_url!r} is not an http(s) URL "
            "(e.g. http://localhost:11434/v1); check --llm-base-url"
        )
    return url


def _first_choice(payload: Any) -> dict[str, Any] | None:
    choices = payload.get("choices") if isinstance(payload, dict) else None
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        return choices[0]
    return None


def _take_meta(payload: dict[str, Any], collected: _Collected) -> None:
    """Record the model name and token usage when the payload carries them."""
    if isinstance(payload.get("model"), str) and payload["model"]:
        collected.model = payload["model"]
    usage = payload.get("usage")
    if isinstance(usage, dict):
        collected.prompt_tokens = _int_or_none(usage.get("prompt_tokens"))
        collected.completion_tokens = _int_or_none(usage.get("completion_tokens"))


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _server_message(raw: bytes) -> str:
    """The server's own words about an error, from whichever envelope it uses. Only quoted in
    our message, so bytes that are not UTF-8 are replaced rather than refused."""
    text = raw.decode("utf-8", "replace")
    try:
        payload = json.loads(text)
    except ValueError:
        return _one_line(text)
    return _error_detail(payload) or _one_line(text)


def _error_detail(payload: Any) -> str:
    """OpenAI `{"error": {"message"}}`, Ollama `{"error": "..."}`, vLLM `{"message"}`,
    FastAPI `{"detail"}`."""
    if not isinstance(payload, dict):
        return ""
    error = payload.get("error")
    if isinstance(error, dict):
        error = error.get("message")
    for candidate in (error, payload.get("message"), payload.get("detail")):
        if isinstance(candidate, str) and candidate.strip():
            return _one_line(candidate)
    return ""


def _one_line(text: str) -> str:
    """Collapse whitespace and cut, so a server's HTML page cannot flood the error line."""
    line = " ".join(text.split())
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 1] + "…"


def _connect_reason(exc: httpx.ConnectError) -> str:
    """'connection refused' when that is what happened, else the OS's words."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        cause = cause.__cause__ or cause.__context__
    text = _one_line(str(exc))
    return "connection refused" if "refused" in text.lower() else text or "connection failed"


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asks us to wait: `retry-after-ms` (OpenAI), or `Retry-After` as
    seconds or an HTTP date. None when absent or unreadable."""
    millis = headers.get("retry-after-ms")
    if millis:
        seconds = _float_or_none(millis)
        if seconds is not None:
            return max(0.0, seconds / 1000)
    value = headers.get("retry-after")
    if not value:
        return None
    seconds = _float_or_none(value)
    if seconds is None:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds)


def _float_or_none(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
