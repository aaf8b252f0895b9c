"""What a hostile or slow client can cost `scholarflow serve`, checked on the wire.

A real `scholarflow serve` process (port 0, settings from the environment, a scratch
catalog) takes raw sockets that trickle their headers, stop sending their body, or open more
connections than the cap, while a normal client keeps being answered. The request budget is
checked against a real uvicorn server in a thread, with the answer slowed by a test hook.
Deadlines here are one second and the bounds the tests wait for are several times that, so
a busy machine makes them slower, not red.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from scholarflow import chat
from scholarflow.server import answering, create_app
from scholarflow.server.limits import ServerLimits, guarded_protocol
from scholarflow.settings import Settings

from conftest import PROMPTS_DIR
from serve_process import SERVING, ServeProcess

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
MAX_CONNECTIONS = 25
# Generous: a deadline of one second, checked from a test on a shared two-core machine.
CLOSED_WITHIN = 10.0


def test_server_limits_default_to_the_settings_defaults():
    assert ServerLimits() == ServerLimits.from_settings(Settings())


# --------------------------------------------------------------------------- a real serve


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    process = ServeProcess(
        tmp_path_factory.mktemp("home"),
        env={
            "SCHOLARFLOW_SERVER_TOKEN": "",
            "SCHOLARFLOW_SERVER_HEADER_TIMEOUT": str(HEADER_TIMEOUT),
            "SCHOLARFLOW_SERVER_BODY_TIMEOUT": str(BODY_TIMEOUT),
            "SCHOLARFLOW_SERVER_MAX_CONNECTIONS": str(MAX_CONNECTIONS),
        },
    )
    try:
        process.wait_for_url(60)
        yield process
    finally:
        process.stop()


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def test_serve_prints_its_url_on_stderr(served: ServeProcess):
    assert served.url is not None
    line = next(line for line in served.lines if SERVING.match(line))
    assert line == f"scholarflow: serving on {served.url} (Ctrl+C to stop)"
    assert httpx.get(f"{served.url}/health").json()["status"] == "ok"


def _trickle(sock: socket.socket, payload: bytes, closed_at: list[float], start: float) -> None:
    """Send `payload` a byte every 0.1 s until the server closes the connection; record when
    (seconds since `start`). Records nothing if the payload runs out first."""
    for byte in payload:
        try:
            sock.sendall(bytes([byte]))
            readable, _, _ = select.select([sock], [], [], 0.1)
            if readable and not sock.recv(4096):
                break
        except OSError:  # reset: closed as well
            break
    else:
        return
    closed_at.append(time.monotonic() - start)


def _wait_closed(sock: socket.socket, timeout: float) -> bytes:
    """What the server sent before closing; fails if it is still open after `timeout`."""
    sock.settimeout(timeout)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
    except TimeoutError:
        pytest.fail(f"the server kept the connection open over {timeout} s")
    except ConnectionResetError:
        pass
    return received


def test_slow_header_senders_are_dropped_while_others_are_served(
    served: ServeProcess, capsys: pytest.CaptureFixture[str]
):
    url = served.wait_for_url(1)
    address = _address(url)
    # Endless headers, one byte at a time: each is a legal header line.
    payload = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: a\r\n" * 1000
    start = time.monotonic()
    sockets = [socket.create_connection(address, timeout=CLOSED_WITHIN) for _ in range(20)]
    closed_at: list[float] = []
    trickles = [
        threading.Thread(target=_trickle, args=(s, payload, closed_at, start), daemon=True)
        for s in sockets
    ]
    for thread in trickles:
        thread.start()
    answered = []
    with httpx.Client(base_url=url, timeout=CLOSED_WITHIN) as client:
        while any(thread.is_alive() for thread in trickles):
            assert time.monotonic() - start < CLOSED_WITHIN + 5, "slow clients still open"
            answered.append(client.get("/health").status_code)
            time.sleep(0.1)
    for sock in sockets:
        sock.close()
    assert len(closed_at) == 20
    assert max(closed_at) < CLOSED_WITHIN
    assert answered and set(answered) == {200}
    with capsys.disabled():
        print(
            f"\n20 slow header senders: closed after {min(closed_at):.2f}-{max(closed_at):.2f} s "
            f"(header timeout {HEADER_TIMEOUT} s); {len(answered)} /health answered 200 meanwhile"
        )


def test_a_body_that_stops_coming_is_dropped(served: ServeProcess):
    url = served.wait_for_url(1)
    with socket.create_connection(_address(url), timeout=CLOSED_WITHIN) as sock:
        sock.sendall(
            b"POST /api/answer HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n" + b'{"prompt":'
        )
        start = time.monotonic()
        received = _wait_closed(sock, CLOSED_WITHIN)
    assert time.monotonic() - start < CLOSED_WITHIN
    assert b"200 OK" not in received
    assert served.wait_for_line("request body took over", 5)
    assert httpx.get(f"{url}/health").status_code == 200


def test_connections_over_the_cap_are_answered_503_at_once(served: ServeProcess):
    url = served.wait_for_url(1)
    address = _address(url)
    sockets = [socket.create_connection(address, timeout=CLOSED_WITHIN) for _ in range(30)]
    replies = [_wait_closed(sock, CLOSED_WITHIN) for sock in sockets]
    for sock in sockets:
        sock.close()
    refused = [reply for reply in replies if reply.startswith(b"HTTP/1.1 503")]
    # At most the cap were held (then dropped at the header deadline); the rest were told.
    assert len(refused) >= 30 - MAX_CONNECTIONS
    assert all(b"too many open connections" in reply for reply in refused)
    assert all(reply == b"" for reply in replies if reply not in refused)
    assert httpx.get(f"{url}/health", timeout=CLOSED_WITHIN).status_code == 200


# --------------------------------------------------------------------------- the budget


@pytest.fixture
def budget_server(tmp_path: Path) -> Iterator[str]:
    """uvicorn in a thread, as `serve` runs it, with a request budget of half a second."""
    limits = ServerLimits(request_timeout=0.5)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    app = create_app(catalog_path=tmp_path / "catalog.db", token="", limits=limits)
    config = uvicorn.Config(app, log_level="warning", http=guarded_protocol(limits))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def slow_answers(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Every answer waits until the test sets the event it yields (at most 30 s)."""
    release = threading.Event()
    real_answer = answering.answer

    def slow(*args: Any, **kwargs: Any) -> Any:
        release.wait(30)
        return real_answer(*args, **kwargs)

    # Both places the server answers from: the REST routes and the chat endpoint's turn.
    monkeypatch.setattr(answering, "answer", slow)
    monkeypatch.setattr(chat, "answer", slow)
    yield release
    release.set()


def test_an_answer_over_the_budget_is_503_not_a_hung_connection(
    budget_server: str, slow_answers: threading.Event
):
    prompt = (PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8")
    response = httpx.post(f"{budget_server}/api/answer", json={"prompt": prompt}, timeout=20)
    assert not slow_answers.is_set()  # answered while the work was still blocked
    assert response.status_code == 503
    detail = response.json()["detail"]
    assert "0.5 s budget" in detail and "server_request_timeout" in detail
    # OpenAI clients get it in their own shape.
    body = {"model": "scholarflow", "messages": [{"role": "user", "content": prompt}]}
    chat = httpx.post(f"{budget_server}/v1/chat/completions", json=body, timeout=20)
    assert chat.status_code == 503
    assert chat.json()["error"]["code"] == "timeout"
    # The server is still there for the next request, and answers once the work is fast.
    slow_answers.set()
    assert httpx.get(f"{budget_server}/health").status_code == 200
    answered = httpx.post(f"{budget_server}/api/answer", json={"prompt": prompt}, timeout=20)
    assert answered.status_code == 200
