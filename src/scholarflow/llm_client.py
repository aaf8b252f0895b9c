"""A small client for any OpenAI-compatible chat-completions endpoint.

Ollama, vLLM, the llama.cpp server, LM Studio and OpenAI all speak the same protocol, so one
client over httpx serves them all without pulling in the `openai` package (startup time, and
one dependency fewer). What it adds over a bare POST is what a command-line user needs:

- every failure is an `LLMError` (exit 4) with one line that names the server and says what to
  do, never a traceback;
- bounded retries, with exponential backoff or the server's `Retry-After`, for what is worth
  retrying: HTTP 429, 5xx, and a connection reset before any text arrived;
- streaming, with each piece of text handed to `on_delta` as it arrives.

What is *not* retried, and why:

- a hang (no byte within `timeout` seconds): the wait the user already sat through would
  double and a stuck or overloaded server rarely recovers within it; the message says to raise
  the timeout instead, so the time a call can take stays about `timeout`;
- connection refused: nothing is listening, so waiting cannot help; the user should start the
  server or fix `--llm-base-url`;
- other 4xx: the request itself is wrong (key, model name, URL) and would fail again;
- a reset after streamed text was passed to `on_delta`: a retry would repeat that text.

The API key is sent only as the Authorization header; it never appears in a message or repr.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import httpx

from scholarflow.errors import ConfigurationError

__all__ = ["ChatClient", "ChatResult", "LLMError"]

API_KEY_SETTING = "SCHOLARFLOW_LLM_API_KEY"
MAX_WAIT_S = 30.0  # the longest pause between attempts, whatever Retry-After asks for
_MAX_DETAIL = 200  # characters of a server's error message quoted in ours
_sleep = time.sleep  # module-level so tests can observe the waits without slowing down


class LLMError(ConfigurationError):
    """The LLM server could not give an answer; the message names it and what to do (exit 4)."""

    def __init__(self, message: str, *, status: int | None = None, empty: bool = False) -> None:
        super().__init__(message)
        self.status = status
        self.empty = empty  # the server answered, with no text: a degenerate reply


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
    """What one attempt gathered: kept outside the parser so a failure can see what was sent."""

    pieces: list[str] = field(default_factory=list)
    model: str | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None
    done: bool = False


class ChatClient:
    """A chat-completions client for one server and one model. Use it as a context manager."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = _check_base_url(base_url)
        if not model or not model.strip():
            raise LLMError("no LLM model name given: set the model the server should run")
        if not timeout > 0 or max_retries < 0 or backoff < 0:
            raise LLMError(
                f"bad LLM client settings: timeout must be > 0 (got {timeout}), retries and "
                f"backoff >= 0 (got {max_retries}, {backoff})"
            )
        self.model = model
        self.timeout = float(timeout)
        self.max_retries = max_retries
        self.backoff = backoff
        self.endpoint = f"{self.base_url}/chat/completions"
        headers = {"Accept": "application/json, text/event-stream"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._has_key = bool(api_key)
        self._http = httpx.Client(
            headers=headers,
            timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)),
            transport=transport,
        )

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
        """Close pooled connections (keep-alive sockets to the server)."""
        self._http.close()

    def complete(
        self,
        messages: list[dict[str, str]],
        *,
        temperature: float = 0.2,
        max_tokens: int | None = None,
        stream: bool = False,
        on_delta: Callable[[str], None] | None = None,
        response_format: dict[str, Any] | None = None,
    ) -> ChatResult:
        """Send one chat and return the reply; raise LLMError with a clear line if none came.

        With `stream`, `on_delta` receives each non-empty piece of text as it arrives, and the
        result holds them joined. `response_format` is sent as given (a JSON schema, say).
        """
        if not messages:
            raise ValueError("messages must not be empty")
        body = self._body(messages, temperature, max_tokens, stream)
        if response_format is not None:
            body["response_format"] = response_format
        started = time.perf_counter()
        attempt = 0
        while True:
            attempt += 1
            try:
                collected = self._attempt(body, stream, on_delta)
            except _Transient as failure:
                if attempt > self.max_retries:
                    tries = f"{attempt} attempts" if attempt > 1 else "1 attempt"
                    raise LLMError(
                        f"{failure.describe}; gave up after {tries}, try again later",
                        status=failure.status,
                    ) from None
                _sleep(self._wait(attempt, failure.retry_after))
                continue
            return self._result(collected, started, attempt)

    # -- one attempt -------------------------------------------------------------------------

    def _body(
        self,
        messages: list[dict[str, str]],
        temperature: float,
        max_tokens: int | None,
        stream: bool,
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": temperature,
            "stream": stream,
        }
        if max_tokens is not None:
            body["max_tokens"] = max_tokens
        if stream:
            # Without this, servers send no token counts when streaming.
            body["stream_options"] = {"include_usage": True}
        return body

    def _attempt(
        self, body: dict[str, Any], stream: bool, on_delta: Callable[[str], None] | None
    ) -> _Collected:
        """One HTTP request; transport failures become LLMError or _Transient."""
        collected = _Collected()
        try:
            if stream:
                with self._http.stream("POST", self.endpoint, json=body) as response:
                    self._check_status(response)
                    self._read_stream(response, collected, on_delta)
            else:
                response = self._http.post(self.endpoint, json=body)
                self._check_status(response)
                self._read_completion(response, collected)
        except httpx.ConnectTimeout:
            reason = f"no connection within {min(10.0, self.timeout):g} s"
            raise self._unreachable(reason, maybe_down=True) from None
        except httpx.TimeoutException:
            raise self._hung(collected) from None  # not retried: see the module docstring
        except httpx.ConnectError as exc:
            reason = _connect_reason(exc)
            raise self._unreachable(reason, maybe_down=reason == "connection refused") from exc
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
            raise self._broken(exc, collected) from exc
        except httpx.TransportError as exc:
            raise LLMError(
                f"the request to the LLM server at {self.base_url} failed: {_one_line(str(exc))}"
            ) from exc
        return collected

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

    def _wait(self, attempt: int, retry_after: float | None) -> float:
        """Seconds before the next attempt: the server's wish if it said, else exponential."""
        wait = retry_after if retry_after is not None else self.backoff * 2 ** (attempt - 1)
        return min(wait, MAX_WAIT_S)

    # -- status ------------------------------------------------------------------------------

    def _check_status(self, response: httpx.Response) -> None:
        """Raise for any status but 200-299: _Transient for 429/5xx, LLMError for the rest."""
        if response.is_success:
            return
        response.read()  # a streamed error body is small; its message is what the user needs
        status = response.status_code
        detail = _server_message(response)
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

    def _read_completion(self, response: httpx.Response, collected: _Collected) -> None:
        """A non-streamed `chat.completion`: choices[0].message.content and usage."""
        payload = self._json(response.content)
        choice = _first_choice(payload)
        message = choice.get("message") if choice is not None else None
        content = message.get("content") if isinstance(message, dict) else None
        if not isinstance(message, dict) or not isinstance(content, str | None):
            raise self._not_chat("no choices[0].message.content")
        collected.pieces.append(content or "")
        collected.finish_reason = choice.get("finish_reason") if choice else None
        _take_meta(payload, collected)
        collected.done = True

    def _read_stream(
        self,
        response: httpx.Response,
        collected: _Collected,
        on_delta: Callable[[str], None] | None,
    ) -> None:
        """SSE chunks until [DONE]; a server that ignored `stream` and sent JSON also works."""
        if "json" in response.headers.get("content-type", ""):
            response.read()
            self._read_completion(response, collected)
            if on_delta is not None and collected.pieces[0]:
                on_delta(collected.pieces[0])
            return
        for data in _sse_data(response.iter_lines()):
            if data.strip() == "[DONE]":
                collected.done = True
                return
            self._take_chunk(self._json(data.encode()), collected, on_delta)

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
            collected.pieces.append(piece)
            if on_delta is not None:
                on_delta(piece)

    def _json(self, raw: bytes) -> Any:
        try:
            return json.loads(raw)
        except ValueError:
            start = _one_line(raw[:60].decode("utf-8", "replace"))
            raise self._not_chat(f"it starts {start!r}") from None

    def _not_chat(self, detail: str) -> LLMError:
        return LLMError(
            f"the LLM server at {self.base_url} sent a reply that is not chat-completions JSON "
            f"({detail}); is --llm-base-url the API root, usually ending in /v1?"
        )

    def _result(self, collected: _Collected, started: float, attempts: int) -> ChatResult:
        """Check the reply is complete and has text, then package it."""
        if not collected.done and collected.finish_reason is None:
            raise LLMError(
                f"the reply from the LLM server at {self.base_url} ended before it was complete; "
                "try again"
            )
        text = "".join(collected.pieces)
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
            latency_s=time.perf_counter() - started,
            attempts=attempts,
        )


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


def _sse_data(lines: Iterator[str]) -> Iterator[str]:
    """The data of each server-sent event: comments, `event:` and other fields are skipped,
    and the `data:` lines of one event are joined with newlines, as the SSE spec says."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        name, _, value = line.partition(":")
        if name == "data":
            data.append(value.removeprefix(" "))
    if data:
        yield "\n".join(data)


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


def _server_message(response: httpx.Response) -> str:
    """The server's own words about an error, from whichever envelope it uses."""
    try:
        payload = response.json()
    except ValueError:
        return _one_line(response.text)
    return _error_detail(payload) or _one_line(response.text)


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
