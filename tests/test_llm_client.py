"""scholarflow's chat client against a real HTTP server that speaks the OpenAI protocol.

The same server is checked with the official `openai` client, so passing here means speaking
the protocol as OpenAI's own client does, not as our own reading of it.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import openai
import pytest

from scholarflow import llm_client
from scholarflow.llm_client import ChatClient, ChatResult, LLMError

from fake_openai import FakeOpenAIServer, Reply

MESSAGES = [
    {"role": "system", "content": "You explain AI media workflows."},
    {"role": "user", "content": "How does a video become a depth video?"},
]
TEXT = "Each frame goes through a video diffusion model that keeps depth consistent."


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set in the environment must not sit between the clients and 127.0.0.1."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The pauses between attempts, recorded instead of slept."""
    recorded: list[float] = []

    async def record(seconds: float) -> None:
        recorded.append(seconds)

    monkeypatch.setattr(llm_client, "_sleep", record)
    return recorded


def chat(
    server: FakeOpenAIServer,
    *,
    api_key: str | None = None,
    max_retries: int = 3,
    **call: Any,
) -> ChatResult:
    """One call with a fresh client whose retries are fast."""
    with ChatClient(
        server.base_url, "fake-model", api_key=api_key, max_retries=max_retries, backoff=0.01
    ) as client:
        return client.complete(MESSAGES, **call)


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- success ---------------------------------------------------------------------------------


def test_non_streaming_reply_and_the_request_on_the_wire() -> None:
    with FakeOpenAIServer(Reply(TEXT, usage=(11, 22))) as server:
        result = chat(server, temperature=0.3, max_tokens=64)
        received = server.chat_requests
    assert result.text == TEXT
    assert (result.prompt_tokens, result.completion_tokens) == (11, 22)
    assert result.model == "fake-model" and result.attempts == 1 and result.latency_s > 0
    assert len(received) == 1
    body = received[0].body
    assert body["model"] == "fake-model" and body["messages"] == MESSAGES
    assert body["temperature"] == 0.3 and body["max_tokens"] == 64
    assert body["stream"] is False and "stream_options" not in body
    assert "authorization" not in received[0].headers  # no key given, none sent


def test_streaming_hands_each_piece_over_in_order() -> None:
    pieces: list[str] = []
    with FakeOpenAIServer(Reply(TEXT, chunk_size=7, usage=(5, 9))) as server:
        result = chat(server, stream=True, on_delta=pieces.append)
        body = server.chat_requests[0].body
    assert pieces == [TEXT[i : i + 7] for i in range(0, len(TEXT), 7)]
    assert result.text == "".join(pieces) == TEXT
    assert (result.prompt_tokens, result.completion_tokens) == (5, 9)
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_streaming_without_usage_reports_none() -> None:
    with FakeOpenAIServer(Reply(TEXT, usage=None)) as server:
        result = chat(server, stream=True)
    assert result.text == TEXT
    assert result.prompt_tokens is None and result.completion_tokens is None


def test_stream_request_answered_with_plain_json_still_works() -> None:
    # Some servers ignore "stream": the whole completion arrives as one JSON object.
    completion = {
        "model": "m",
        "choices": [{"message": {"content": TEXT}, "finish_reason": "stop"}],
    }
    pieces: list[str] = []
    with FakeOpenAIServer(Reply(raw_body=json.dumps(completion).encode())) as server:
        result = chat(server, stream=True, on_delta=pieces.append)
    assert result.text == TEXT and pieces == [TEXT] and result.model == "m"


def test_base_url_trailing_slash_and_api_key_header() -> None:
    with FakeOpenAIServer(Reply(TEXT), api_key="sk-right") as server:
        with ChatClient(server.base_url + "/", "fake-model", api_key="sk-right") as client:
            assert client.complete(MESSAGES).text == TEXT
            assert "sk-right" not in repr(client)
        request = server.chat_requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer sk-right"


# -- retries ---------------------------------------------------------------------------------


def test_500_then_success_takes_two_attempts(waits: list[float]) -> None:
    with FakeOpenAIServer(Reply(status=500), Reply(TEXT)) as server:
        result = chat(server)
        assert len(server.chat_requests) == 2
    assert result.text == TEXT and result.attempts == 2
    assert waits == [0.01]


@pytest.mark.parametrize(("header", "value", "expected"), [
    ("Retry-After", "7", 7.0),
    ("Retry-After", "100", llm_client.MAX_WAIT_S),  # within the 120 s deadline
    ("retry-after-ms", "250", 0.25),
])  # fmt: skip
def test_429_honours_retry_after(
    waits: list[float], header: str, value: str, expected: float
) -> None:
    with FakeOpenAIServer(Reply(status=429, headers={header: value}), Reply(TEXT)) as server:
        result = chat(server)
    assert result.attempts == 2 and waits == [expected]


def test_retry_after_as_an_http_date() -> None:
    headers = httpx.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})  # in the past
    assert llm_client._retry_after(headers) == 0.0
    assert llm_client._retry_after(httpx.Headers({"Retry-After": "soon"})) is None


def test_500_forever_gives_up_after_max_retries_plus_one(waits: list[float]) -> None:
    with FakeOpenAIServer(Reply("the GPU fell over", status=500)) as server:
        with pytest.raises(LLMError) as caught:
            chat(server, max_retries=2)
        assert len(server.chat_requests) == 3
    message = str(caught.value)
    assert "HTTP 500" in message and "the GPU fell over" in message and "3 attempts" in message
    assert server.base_url in message and "\n" not in message
    assert caught.value.exit_code == 4 and caught.value.status == 500
    assert waits == [0.01, 0.02]  # backoff * 2**attempt


def test_other_4xx_is_not_retried() -> None:
    with FakeOpenAIServer(Reply("'temperature' is too high", status=400)) as server:
        with pytest.raises(LLMError, match=r"rejected the request.*temperature"):
            chat(server)
        assert len(server.chat_requests) == 1


def test_connection_reset_before_any_text_is_retried(waits: list[float]) -> None:
    completion = {
        "model": "m",
        "choices": [{"message": {"content": TEXT}, "finish_reason": "stop"}],
    }
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ReadError("[Errno 104] Connection reset by peer", request=request)
        return httpx.Response(200, json=completion)

    transport = httpx.MockTransport(handler)
    with ChatClient("http://llm.test/v1", "m", transport=transport, backoff=0.01) as client:
        result = client.complete(MESSAGES)
    assert result.text == TEXT and result.attempts == 2 and len(waits) == 1


# -- failures a user must understand ---------------------------------------------------------


@pytest.mark.parametrize("stream", [False, True])
def test_a_hang_fails_fast_with_within(stream: bool) -> None:
    started = time.perf_counter()
    with FakeOpenAIServer(Reply(TEXT, delay=5.0)) as server:
        client = ChatClient(server.base_url, "fake-model", timeout=0.5)
        with client, pytest.raises(LLMError, match=r"within 0\.5 s") as caught:
            client.complete(MESSAGES, stream=stream)
        assert len(server.chat_requests) == 1  # a hang is not retried
        exiting = time.perf_counter()
    assert time.perf_counter() - exiting < 1.5  # the server stops despite the sleeping handler
    assert time.perf_counter() - started < 3.0
    assert server.base_url in str(caught.value)


@pytest.mark.parametrize("raw", [b"<html>Open WebUI</html>", b'{"foo": 1}', b"[1, 2]"])
def test_a_reply_that_is_not_chat_completions_json(raw: bytes) -> None:
    with (
        FakeOpenAIServer(Reply(raw_body=raw)) as server,
        pytest.raises(LLMError, match="not chat-completions JSON"),
    ):
        chat(server)


@pytest.mark.parametrize("stream", [False, True])
def test_empty_content_is_an_error(stream: bool) -> None:
    with (
        FakeOpenAIServer(Reply("  ")) as server,
        pytest.raises(LLMError, match="sent an empty reply"),
    ):
        chat(server, stream=stream)


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{closed_port()}/v1"
    started = time.perf_counter()
    with pytest.raises(LLMError) as caught, ChatClient(url, "m", backoff=1.0) as client:
        client.complete(MESSAGES)
    message = str(caught.value)
    assert "connection refused" in message and url in message and "--llm-base-url" in message
    assert time.perf_counter() - started < 1.0  # not retried: nothing listens


@pytest.mark.parametrize("key", [None, "sk-wrong"])
def test_401_names_the_api_key_setting(key: str | None) -> None:
    with FakeOpenAIServer(Reply(TEXT), api_key="sk-right") as server:
        with pytest.raises(LLMError) as caught:
            chat(server, api_key=key)
        assert len(server.chat_requests) == 1
    message = str(caught.value)
    assert "SCHOLARFLOW_LLM_API_KEY" in message and "HTTP 401" in message
    assert "sk-wrong" not in message and "sk-right" not in message


def test_404_points_at_v1_and_the_model() -> None:
    with FakeOpenAIServer() as server:
        root = server.base_url.removesuffix("/v1")
        with pytest.raises(LLMError) as caught, ChatClient(root, "llama9") as client:
            client.complete(MESSAGES)
    assert "/v1" in str(caught.value) and "'llama9'" in str(caught.value)


def test_sse_parsing_skips_comments_and_events_and_stops_at_done() -> None:
    chunk = {"model": "m", "choices": [{"delta": {"content": "Hi"}, "finish_reason": None}]}
    stream = (
        ": keep-alive\r\n\r\nevent: message\r\n"
        f"data: {json.dumps(chunk)}\r\n\r\n"
        "data: [DONE]\r\n\r\n"
        f"data: {json.dumps(chunk)}\r\n\r\n"  # after [DONE]: ignored
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=stream, headers={"content-type": "text/event-stream"})

    with ChatClient("http://llm.test/v1", "m", transport=httpx.MockTransport(handler)) as client:
        assert client.complete(MESSAGES, stream=True).text == "Hi"


def test_a_stream_cut_short_is_an_error() -> None:
    chunk = {"model": "m", "choices": [{"delta": {"content": "Hi"}, "finish_reason": None}]}

    def handler(request: httpx.Request) -> httpx.Response:
        text = f"data: {json.dumps(chunk)}\n\n"
        return httpx.Response(200, text=text, headers={"content-type": "text/event-stream"})

    client = ChatClient("http://llm.test/v1", "m", transport=httpx.MockTransport(handler))
    with client, pytest.raises(LLMError, match="stopped before the reply was complete"):
        client.complete(MESSAGES, stream=True)


def test_a_base_url_that_is_not_http() -> None:
    with pytest.raises(LLMError, match="not an http"):
        ChatClient("localhost:11434/v1", "m")


# -- bounds a bad server cannot move --------------------------------------------------------
# The deadlines here are about a second; each bound asserted on elapsed time is several times
# that, so a slow machine cannot fail them, while the behaviour before the deadline existed
# (minutes, or for ever) always would.


@pytest.mark.parametrize("stream", [False, True])
def test_a_trickling_server_is_cut_off_at_the_deadline(stream: bool) -> None:
    # One byte every 0.2 s never trips the 60 s read timeout: only the deadline ends it.
    with FakeOpenAIServer(Reply(TEXT, trickle=0.2)) as server:
        client = ChatClient(server.base_url, "fake-model", deadline=1.0)
        started = time.perf_counter()
        with client, pytest.raises(LLMError) as caught:
            client.complete(MESSAGES, stream=stream)
        elapsed = time.perf_counter() - started
    message = str(caught.value)
    assert "still sending its reply at the 1 s deadline" in message
    assert "--llm-deadline" in message and "\n" not in message
    assert caught.value.attempts == 1 and caught.value.latency_s is not None
    assert elapsed < 5.0


def test_the_deadline_covers_a_hang_before_the_reply() -> None:
    with FakeOpenAIServer(Reply(TEXT, delay=30.0)) as server:
        client = ChatClient(server.base_url, "fake-model", deadline=0.5, timeout=60.0)
        with client, pytest.raises(LLMError, match=r"no reply .* within the 0\.5 s deadline"):
            client.complete(MESSAGES)


def test_a_retry_after_longer_than_the_time_left_ends_the_call_at_once(
    waits: list[float],
) -> None:
    with FakeOpenAIServer(Reply(status=429, headers={"Retry-After": "3600"})) as server:
        with pytest.raises(LLMError) as caught:
            chat(server)
        assert len(server.chat_requests) == 1
    message = str(caught.value)
    assert "HTTP 429" in message and "asked to wait 3600 s" in message
    assert "left of the 120 s deadline" in message
    assert waits == []  # not a second was slept
    assert caught.value.status == 429


def test_a_retry_after_chain_stops_when_the_next_wait_would_pass_the_deadline() -> None:
    # 0.3 s waits within a 1 s deadline: a few attempts, then a wait that would not fit.
    chain = Reply(status=429, headers={"retry-after-ms": "300"})
    with FakeOpenAIServer(chain) as server:
        client = ChatClient(server.base_url, "fake-model", deadline=1.0, max_retries=10)
        started = time.perf_counter()
        with client, pytest.raises(LLMError) as caught:
            client.complete(MESSAGES)
        elapsed = time.perf_counter() - started
        attempts = len(server.chat_requests)
    assert "asked to wait 0.3 s" in str(caught.value)
    assert 2 <= attempts <= 4 and caught.value.attempts == attempts
    assert elapsed < 5.0


def test_a_backoff_that_would_pass_the_deadline_is_not_started() -> None:
    with FakeOpenAIServer(Reply(status=503)) as server:
        client = ChatClient(
            server.base_url, "fake-model", deadline=1.0, backoff=0.4, max_retries=10
        )
        with client, pytest.raises(LLMError) as caught:
            client.complete(MESSAGES)
        attempts = len(server.chat_requests)
    # Waits of 0.4 and 0.8 s: the second would end past the 1 s deadline.
    assert attempts == 2
    message = str(caught.value)
    assert "HTTP 503" in message and "gave up after 2 attempts" in message
    assert "waiting 0.8 s more would pass the 1 s deadline" in message


@pytest.mark.parametrize("stream", [False, True])
def test_a_flood_stops_at_the_size_cap_and_memory_stays_bounded(stream: bool) -> None:
    cap = 256 * 1024
    flood = 10 * 1024 * 1024
    with FakeOpenAIServer(Reply(TEXT), Reply(flood=flood)) as server:
        client = ChatClient(server.base_url, "fake-model", max_reply_bytes=cap)
        # A first, ordinary call imports what the first call imports: not the client's keep.
        assert client.complete(MESSAGES, stream=stream).text == TEXT
        tracemalloc.start()
        try:
            with client, pytest.raises(LLMError) as caught:
                client.complete(MESSAGES, stream=stream)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    message = str(caught.value)
    assert "passed the 256 KiB size limit" in message and "llm_max_reply_bytes" in message
    received = int(message.split("(")[1].split(" bytes received")[0])
    assert cap < received <= cap + 128 * 1024  # it stopped reading at the cap
    # Everything Python allocated meanwhile, the in-process server's threads included: the
    # cap plus a fixed part (httpx's buffers, the event loop, the server: ~0.5 MiB measured),
    # far below the 10 MB sent (the client before the cap existed peaked at 11 and 31 MB).
    assert peak < cap + 1024 * 1024


@pytest.mark.parametrize("drop", [False, True])
def test_a_stream_with_finish_reason_but_no_done_is_complete(drop: bool) -> None:
    pieces: list[str] = []
    reply = Reply(TEXT, chunk_size=9, stream_end="no_done", drop=drop, usage=(3, 4))
    with FakeOpenAIServer(reply) as server:
        result = chat(server, stream=True, on_delta=pieces.append)
    assert result.text == TEXT == "".join(pieces)
    if not drop:  # the usage chunk came after finish_reason, before the clean end
        assert (result.prompt_tokens, result.completion_tokens) == (3, 4)


def test_a_finish_reason_then_silence_is_complete_at_the_deadline() -> None:
    # The text and finish_reason arrive at once; the trickle is only the tail of the stream.
    chunks = [
        {"model": "m", "choices": [{"delta": {"content": TEXT}, "finish_reason": "stop"}]},
    ]
    head = "".join(f"data: {json.dumps(c)}\n\n" for c in chunks).encode()

    async def body() -> AsyncIterator[bytes]:
        yield head
        await asyncio.sleep(30)  # no [DONE], no end: a server that forgot to close
        yield b"data: [DONE]\n\n"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body(), headers={"content-type": "text/event-stream"})

    transport = httpx.MockTransport(handler)
    with ChatClient("http://llm.test/v1", "m", transport=transport, deadline=0.5) as client:
        assert client.complete(MESSAGES, stream=True).text == TEXT


@pytest.mark.parametrize(
    ("drop", "expected"),
    [(False, "stopped before the reply was complete"), (True, "broke mid-reply")],
)
def test_a_stream_that_stops_mid_way_is_an_error_that_says_so(drop: bool, expected: str) -> None:
    pieces: list[str] = []
    reply = Reply(TEXT, chunk_size=9, stream_end="cut", drop=drop)
    with FakeOpenAIServer(reply) as server:
        with pytest.raises(LLMError) as caught:
            chat(server, stream=True, on_delta=pieces.append)
        assert len(server.chat_requests) == 1  # text went out: a retry would repeat it
    assert expected in str(caught.value)
    assert pieces and "".join(pieces) != TEXT and TEXT.startswith("".join(pieces))


@pytest.mark.parametrize("stream", [False, True])
def test_invalid_utf8_is_named_not_replaced(stream: bool) -> None:
    pieces: list[str] = []
    with FakeOpenAIServer(Reply(TEXT, chunk_size=200, invalid_utf8=True)) as server:
        with pytest.raises(LLMError) as caught:
            chat(server, stream=stream, on_delta=pieces.append)
        assert len(server.chat_requests) == 1
    message = str(caught.value)
    assert "is not valid UTF-8 text (byte 0xff at byte " in message
    assert "Traceback" not in message and "codec" not in message
    assert not any("\ufffd" in piece for piece in pieces)


def test_invalid_utf8_offset_counts_bytes_across_chunks() -> None:
    # "é" split between two network chunks is fine; the 0xFF after it is reported where it is.
    chunk = {"model": "m", "choices": [{"delta": {"content": "café"}, "finish_reason": None}]}
    event = f"data: {json.dumps(chunk, ensure_ascii=False)}\r\n\r\n".encode()
    split = event.index("é".encode()) + 1
    parts = [event[:split], event[split:], b"data: \xff\n\n"]

    async def body() -> AsyncIterator[bytes]:
        for part in parts:
            yield part

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body(), headers={"content-type": "text/event-stream"})

    pieces: list[str] = []
    client = ChatClient("http://llm.test/v1", "m", transport=httpx.MockTransport(handler))
    with client, pytest.raises(LLMError, match=rf"byte 0xff at byte {len(event) + 6} "):
        client.complete(MESSAGES, stream=True, on_delta=pieces.append)
    assert pieces == ["café"]


def test_an_escaped_lone_surrogate_is_refused() -> None:
    completion = {"choices": [{"message": {"content": "depth \ud800 map"}}]}
    raw = json.dumps(completion).encode()  # JSON escapes it as \\ud800: valid JSON, not text
    with FakeOpenAIServer(Reply(raw_body=raw)) as server, pytest.raises(LLMError) as caught:
        chat(server)
    assert "holds \\ud800, a lone surrogate" in str(caught.value)


def test_sse_events_split_on_cr_lf_and_crlf_only() -> None:
    events = llm_client._SSEEvents()
    seen = events.feed("data: a\r")  # the CR may be half of a CRLF: held back
    seen += events.feed("\n\r\ndata: b\u2028c\rdata: d\n\n: comment\n")
    seen += events.feed("event: x\ndata: e")
    seen += events.close()
    assert seen == ["a", "b\u2028c\nd", "e"]


# -- the server validates like a real one ----------------------------------------------------


@pytest.mark.parametrize("body", [
    b"not json",
    b"[]",
    b'{"messages": [{"role": "user", "content": "hi"}]}',
    b'{"model": "m", "messages": []}',
    b'{"model": "m", "messages": [{"role": "robot", "content": "hi"}]}',
    b'{"model": "m", "messages": [{"role": "user", "content": 3}]}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "max_tokens": 1.5}',
    b'{"model": "m", "messages": [{"role": "user", "content": "hi"}], "stream": "yes"}',
])  # fmt: skip
def test_the_server_rejects_malformed_requests(body: bytes) -> None:
    with FakeOpenAIServer(Reply(TEXT)) as server:
        response = httpx.post(
            f"{server.base_url}/chat/completions",
            content=body,
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"


# -- the official openai client against the same server --------------------------------------


@pytest.fixture
def official() -> Iterator[tuple[FakeOpenAIServer, openai.OpenAI]]:
    with FakeOpenAIServer(Reply(TEXT, chunk_size=10, usage=(7, 8))) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0)
        try:
            yield server, client
        finally:
            client.close()


def test_openai_client_non_streaming(official: tuple[FakeOpenAIServer, openai.OpenAI]) -> None:
    _, client = official
    completion = client.chat.completions.create(model="fake-model", messages=MESSAGES)
    assert completion.choices[0].message.content == TEXT
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (7, 8)


def test_openai_client_streaming(official: tuple[FakeOpenAIServer, openai.OpenAI]) -> None:
    _, client = official
    stream = client.chat.completions.create(
        model="fake-model",
        messages=MESSAGES,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    pieces = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert pieces == [TEXT[i : i + 10] for i in range(0, len(TEXT), 10)]
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == 15


def test_openai_client_lists_models(official: tuple[FakeOpenAIServer, openai.OpenAI]) -> None:
    _, client = official
    assert [model.id for model in client.models.list()] == ["fake-model"]


@pytest.mark.parametrize("stream", [False, True])
def test_our_request_has_the_shape_of_the_official_one(
    official: tuple[FakeOpenAIServer, openai.OpenAI], stream: bool
) -> None:
    server, client = official
    extra = {"stream_options": {"include_usage": True}} if stream else {}
    response = client.chat.completions.create(
        model="fake-model",
        messages=MESSAGES,
        temperature=0.2,
        max_tokens=32,
        stream=stream,
        **extra,
    )
    if stream:
        list(response)
    with ChatClient(server.base_url, "fake-model") as ours:
        ours.complete(MESSAGES, temperature=0.2, max_tokens=32, stream=stream)
    theirs_body, our_body = (request.body for request in server.chat_requests)

    def shape(body: dict[str, object]) -> dict[str, str]:
        return {key: type(value).__name__ for key, value in body.items()}

    assert shape(our_body) == shape(theirs_body)
    assert our_body == theirs_body
