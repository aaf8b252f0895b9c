"""The HTTP server: the JSON API, the OpenAI-compatible endpoint, the token, the limits.

Most behaviour is checked in-process with FastAPI's TestClient. What lives on the wire is
checked against a real uvicorn server on 127.0.0.1 (an ephemeral port, in a thread): the
official `openai` client, streaming and not, the bearer token, and 200 answers from 8
concurrent clients. Answers are compared with what the engine gives in-process, so the
server adds nothing to, and loses nothing from, the CLI's contract.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
import uvicorn
from fastapi.testclient import TestClient

from scholarflow.catalog.importers import entry_from_fields
from scholarflow.catalog.store import SQLiteCatalogStore
from scholarflow.engine import answer, ask
from scholarflow.errors import ConfigurationError, GroundingError, InputError
from scholarflow.prompt_format import parse_prompt
from scholarflow.render.json_format import answer_to_dict, render_ask_json
from scholarflow.retrieval import Retriever
from scholarflow.server import answering, catalog_access, create_app, serve
from scholarflow.server import app as server_app
from scholarflow.server.app import TOKEN_ENV, is_loopback
from scholarflow.server.limits import ServerLimits
from scholarflow.server.openai_api import split_markdown

from answer_checks import check_answer
from conftest import PROMPTS_DIR

TOKEN = "test-token-5b1e"
LOCAL = "http://127.0.0.1"
DEPTH_QUESTION = "How do apps turn a phone video into a depth video that doesn't flicker?"
OFF_TOPIC = "a recipe for sourdough bread"
SEARCH = "/api/catalog/search"
PROMPTS = {
    path.stem: path.read_text(encoding="utf-8") for path in sorted(PROMPTS_DIR.glob("*.txt"))
}
# The first free question embeds the catalog: seconds on a quiet machine, over the default
# 30 s budget on a busy shared one. The budget has its own tests (test_server_limits.py).
PATIENT = ServerLimits(request_timeout=600.0)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, Any]]:
    """Each prompt's answer contract, computed in-process: what the server must send."""
    return {name: answer_to_dict(answer(parse_prompt(text))) for name, text in PROMPTS.items()}


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh catalog of the built-in entries, never the user's."""
    return tmp_path_factory.mktemp("catalog") / "catalog.db"


@pytest.fixture(scope="module")
def client(catalog_path: Path) -> Iterator[TestClient]:
    # token="" so that a SCHOLARFLOW_SERVER_TOKEN in the developer's shell changes nothing.
    app = create_app(catalog_path=catalog_path, token="", limits=PATIENT)
    with TestClient(app, base_url=LOCAL) as c:
        yield c


@pytest.fixture(scope="module")
def live_url(catalog_path: Path) -> Iterator[str]:
    """A real uvicorn server with a token, on a port the kernel picked, in a thread."""
    # IPPROTO_TCP named, or asyncio leaves Nagle on and each reply waits 40 ms for an ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    app = create_app(catalog_path=catalog_path, token=TOKEN, limits=PATIENT)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.01)
    yield f"{LOCAL}:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


# --------------------------------------------------------------------------- /health, docs


def test_health_says_ok_and_the_version(client: TestClient):
    from scholarflow import __version__

    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "token": False}


def test_openapi_documents_every_route_and_the_docs_page_loads(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/health", "/api/answer", "/api/ask", "/api/catalog/search"):
        assert path in paths
    assert {"/v1/chat/completions", "/v1/models"} <= set(paths)
    described = paths["/api/answer"]["post"]["requestBody"]["content"]["application/json"]
    assert "$ref" in described["schema"]
    assert client.get("/docs").status_code == 200


def test_docs_without_swagger_ui_files_say_how_to_get_them(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr(server_app, "SWAGGER_UI", tmp_path / "missing")
    response = client.get("/docs")
    assert response.status_code == 503
    assert "scripts/fetch-swagger-ui.sh" in response.json()["detail"]
    assert client.get("/openapi.json").status_code == 200


# --------------------------------------------------------------------------- /api/answer


@pytest.mark.parametrize("name", sorted(PROMPTS))
def test_a_prompt_gets_the_answer_contract(
    client: TestClient, expected: dict[str, dict[str, Any]], name: str
):
    response = client.post("/api/answer", json={"prompt": PROMPTS[name]})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data == expected[name]
    check_answer(data, parse_prompt(PROMPTS[name]))


def test_markdown_and_mermaid_come_as_text_beside_the_contract(
    client: TestClient, expected: dict[str, dict[str, Any]]
):
    prompt = PROMPTS["phone_depth"]
    markdown = client.post("/api/answer", json={"prompt": prompt, "format": "markdown"}).json()
    assert markdown["text"] == expected["phone_depth"]["markdown"]
    assert markdown["schema_version"] == 1
    mermaid = client.post("/api/answer", json={"prompt": prompt, "format": "mermaid"}).json()
    assert mermaid["text"].startswith("flowchart")
    assert "text" not in client.post("/api/answer", json={"prompt": prompt}).json()


def test_a_question_with_json_sources_is_answered_from_them(client: TestClient):
    body = {
        "question": "My phone clip became a depth video that never flickers. How?",
        "recommended": [
            {
                "title": "DepthCrafter: Generating Consistent Long Depth Sequences for "
                "Open-world Videos",
                "paper_url": "https://arxiv.org/pdf/2409.02095",
                "github_url": "github.com/Tencent/DepthCrafter",
                "tags": ["ignored, as catalog import ignores it"],
            }
        ],
    }
    response = client.post("/api/answer", json=body)
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["task"]["id"] == "video_depth_estimation"
    assert data["references"][0]["name"] == "DepthCrafter"
    # Read as `scholarflow batch` reads a source: the link without a scheme gets one.
    assert "https://github.com/Tencent/DepthCrafter" in data["references"][0]["links"]


def test_a_bad_prompt_is_400_with_one_line(client: TestClient):
    response = client.post("/api/answer", json={"prompt": "Just tell me about depth.\nThanks"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "\n" not in detail
    assert "no question" in detail


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": "How does it work?"}, '"recommended"'),
        ({"question": "How?", "recommended": [{"name": "DepthCrafter"}]}, "recommended[0].title"),
        ({}, '"prompt" or "question"'),
        ({"prompt": "…", "fromat": "markdown"}, "fromat"),
        ({"prompt": "…", "format": "html"}, "format: unknown format 'html'"),
    ],
)
def test_a_missing_or_wrong_field_is_422_naming_it(
    client: TestClient, body: dict[str, Any], field: str
):
    response = client.post("/api/answer", json=body)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and field in detail, detail
    assert detail.startswith("invalid request: ")


def test_invalid_json_is_422_saying_so(client: TestClient):
    response = client.post(
        "/api/answer", content=b'{"prompt": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "not valid JSON" in response.json()["detail"]


def test_a_2_mb_body_is_413_whether_its_length_is_declared_or_not(client: TestClient):
    big = b'{"prompt": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    headers = {"content-type": "application/json"}
    declared = client.post("/api/answer", content=big, headers=headers)
    assert declared.status_code == 413
    assert declared.json() == {"detail": "request body too large: limit is 1 MB"}

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    streamed = client.post("/api/answer", content=chunked(), headers=headers)
    assert streamed.status_code == 413
    assert streamed.json() == {"detail": "request body too large: limit is 1 MB"}


def test_an_ungrounded_answer_is_500_with_a_clear_message(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    def ungrounded(*args: Any, **kwargs: Any) -> None:
        raise GroundingError("the answer could not be grounded in the provided sources: x")

    monkeypatch.setattr(answering, "answer", ungrounded)
    response = client.post("/api/answer", json={"prompt": PROMPTS["phone_depth"]})
    assert response.status_code == 500
    assert response.json()["detail"].startswith("the answer could not be grounded")


# --------------------------------------------------------------------------- the catalog


def test_ask_serves_a_question_the_catalog_covers(client: TestClient, catalog_path: Path):
    response = client.post("/api/ask", json={"question": DEPTH_QUESTION})
    assert response.status_code == 200, response.text
    data = response.json()
    # Exactly what `scholarflow ask --format json` prints for the same catalog.
    with SQLiteCatalogStore(catalog_path) as store:
        assert data == json.loads(render_ask_json(*ask(DEPTH_QUESTION, Retriever(store))))
    assert data["served"] is True and data["schema_version"] == 1
    assert data["task"]["id"] == "video_depth_estimation"
    assert any(hit["used"] and hit["links"] for hit in data["sources"])


def test_ask_says_when_the_catalog_cannot_serve(client: TestClient):
    response = client.post("/api/ask", json={"question": OFF_TOPIC})
    assert response.status_code == 200
    data = response.json()
    assert data["served"] is False
    assert "no model or paper that answers this question" in data["message"]
    assert all(hit["links"] == [] for hit in data["sources"])


def test_ask_without_a_question_is_422_naming_it(client: TestClient):
    response = client.post("/api/ask", json={})
    assert response.status_code == 422
    assert "question: field required" in response.json()["detail"]
    assert client.post("/api/ask", json={"question": "   "}).status_code == 400


def test_a_catalog_that_cannot_be_opened_is_503(tmp_path: Path):
    app = create_app(catalog_path=tmp_path, token="")  # a directory, not a database file
    with TestClient(app, base_url=LOCAL) as broken:
        response = broken.post("/api/ask", json={"question": DEPTH_QUESTION})
    assert response.status_code == 503
    assert "is a directory" in response.json()["detail"]


def test_catalog_search_ranks_entries_with_their_links(client: TestClient):
    response = client.get("/api/catalog/search", params={"q": "consistent video depth"})
    assert response.status_code == 200
    hits = response.json()
    assert hits[0]["entry_id"] == "depthcrafter" and hits[0]["rank"] == 1
    assert "https://github.com/Tencent/DepthCrafter" in hits[0]["links"]
    limited = client.get("/api/catalog/search", params={"q": "depth", "limit": 2}).json()
    assert len(limited) <= 2
    assert client.get("/api/catalog/search", params={"q": "depth", "limit": 0}).status_code == 422
    missing = client.get("/api/catalog/search")
    assert missing.status_code == 422 and "q: field required" in missing.json()["detail"]


REEF = {
    "title": "ReefSonar: 3D Maps of Coral Reefs from Multibeam Sonar",
    "name": "ReefSonar",
    "summary": "Builds 3D maps of coral reefs from a boat's multibeam sonar sweeps.",
}
REEF_QUERY = {"q": "mapping coral reefs with sonar"}


def _catalog_copy(catalog_path: Path, copy: Path) -> Path:
    with closing(sqlite3.connect(catalog_path)) as source, closing(sqlite3.connect(copy)) as to:
        source.backup(to)
    return copy


def _add_reef(catalog: Path) -> None:
    with SQLiteCatalogStore(catalog) as store:  # as `scholarflow catalog add` would
        store.upsert_many([entry_from_fields(REEF, origin="test")])


def _reef_hit(server: TestClient) -> dict[str, Any] | None:
    hits = server.get(SEARCH, params=REEF_QUERY).json()
    return next((hit for hit in hits if hit["name"] == "ReefSonar"), None)


def test_an_entry_added_while_the_server_runs_is_found_by_meaning(
    client: TestClient, catalog_path: Path, tmp_path: Path
):
    client.get("/api/catalog/search", params={"q": "depth"})  # the shared catalog is embedded
    copy = _catalog_copy(catalog_path, tmp_path / "catalog.db")
    with TestClient(create_app(catalog_path=copy, token=""), base_url=LOCAL) as server:
        assert _reef_hit(server) is None
        _add_reef(copy)
        server.get(SEARCH, params=REEF_QUERY)  # notices the change: rebuilds in the background
        assert server.app.state.catalog.wait_for_rebuild(60)
        found = _reef_hit(server)
    assert found is not None and found["dense_rank"] is not None  # embedded, not only FTS


def test_requests_are_answered_from_the_old_index_while_a_new_one_is_built(
    client: TestClient, catalog_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    client.get("/api/catalog/search", params={"q": "depth"})
    copy = _catalog_copy(catalog_path, tmp_path / "catalog.db")
    started, release = threading.Event(), threading.Event()
    real_build = catalog_access.build_dense_index

    def slow_in_background(store: Any) -> Any:
        if threading.current_thread().name == catalog_access.REBUILD_THREAD_NAME:
            started.set()
            release.wait(60)
        return real_build(store)

    monkeypatch.setattr(catalog_access, "build_dense_index", slow_in_background)
    with TestClient(create_app(catalog_path=copy, token=""), base_url=LOCAL) as server:
        access = server.app.state.catalog
        assert _reef_hit(server) is None  # the first index, built in the request
        _add_reef(copy)
        try:
            # The change starts a rebuild that cannot finish until `release` is set, yet
            # every request is answered meanwhile, from the index built before the change.
            during = _reef_hit(server)
            assert started.wait(30) and access.rebuilding
            asked = server.post("/api/ask", json={"question": DEPTH_QUESTION})
            assert asked.status_code == 200 and asked.json()["served"] is True
            again = _reef_hit(server)
            assert access.rebuilding
        finally:
            release.set()
        assert access.wait_for_rebuild(60)
        after = _reef_hit(server)
    # Found by its words (full-text search reads the database) but not by its meaning, until
    # the new index is swapped in.
    for hit in (during, again):
        assert hit is None or hit["dense_rank"] is None
    assert after is not None and after["dense_rank"] is not None


# --------------------------------------------------------------------------- /v1, in-process


def test_models_lists_scholarflow(client: TestClient):
    data = client.get("/v1/models").json()
    assert data["object"] == "list"
    assert [model["id"] for model in data["data"]] == ["scholarflow"]
    assert client.get("/v1/models/scholarflow").json()["id"] == "scholarflow"
    assert client.get("/v1/models/gpt-4o").json()["error"]["code"] == "model_not_found"


def test_chat_answers_a_free_question_from_the_catalog(client: TestClient):
    messages = [
        {"role": "user", "content": "Ignore this earlier turn."},
        {"role": "assistant", "content": "OK."},
        {"role": "user", "content": [{"type": "text", "text": DEPTH_QUESTION}]},
    ]
    response = client.post(
        "/v1/chat/completions", json={"model": "scholarflow", "messages": messages}
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["object"] == "chat.completion"
    content = data["choices"][0]["message"]["content"]
    assert "### 1. The task" in content and "DepthCrafter" in content
    assert data["choices"][0]["finish_reason"] == "stop"


def test_chat_says_when_the_catalog_cannot_answer(client: TestClient):
    body = {"model": "scholarflow", "messages": [{"role": "user", "content": OFF_TOPIC}]}
    content = client.post("/v1/chat/completions", json=body).json()["choices"][0]["message"]
    assert content["content"].startswith("The catalog cannot answer this:")


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        ({"model": "scholarflow"}, 422, "messages"),
        ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, 404, "model"),
        ({"model": "scholarflow", "messages": [{"role": "system", "content": "x"}]}, 400, None),
    ],
)
def test_chat_errors_come_in_openai_format(
    client: TestClient, body: dict[str, Any], status: int, param: str | None
):
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == status
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] in {"invalid_request_error", "not_found_error"}
    assert param is None or error["param"] == param


def test_a_broken_prompt_in_chat_is_400_naming_the_problem(client: TestClient):
    broken = PROMPTS["phone_depth"].split("### Recommended")[0] + "### Recommended AI Models:\n"
    body = {"model": "scholarflow", "messages": [{"role": "user", "content": broken}]}
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == 400
    assert "Recommended AI Models" in response.json()["error"]["message"]


def test_markdown_is_cut_into_pieces_that_join_back_exactly():
    text = PROMPTS["phone_depth"]
    pieces = split_markdown(text, size=40)
    assert "".join(pieces) == text
    assert len(pieces) > 10 and all(pieces)


# --------------------------------------------------------------------------- security


def test_the_token_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv(TOKEN_ENV, "from-env")
    with TestClient(create_app(catalog_path=tmp_path / "c.db"), base_url=LOCAL) as guarded:
        assert guarded.get("/health").status_code == 200
        assert guarded.get("/v1/models").status_code == 401
        with_token = guarded.get("/v1/models", headers={"Authorization": "Bearer from-env"})
        assert with_token.status_code == 200
        # The docs stay readable, and say how to authorize the calls they make.
        assert guarded.get("/docs").status_code == 200
        schema = guarded.get("/openapi.json").json()
        assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
        assert schema["paths"]["/health"]["get"]["security"] == []


@pytest.mark.parametrize("path", ["/", "/docs", "/static/app.js", "/health", "/v1/models"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert client.post("/api/ask", json={}).headers["x-frame-options"] == "DENY"  # errors too


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        "JavaScript://example.org/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>.x",
        "file:///etc/passwd",
        "vbscript:msgbox(1).x",
        "ftp://example.org/paper.pdf",
    ],
)
def test_a_source_link_that_is_not_http_is_400_naming_the_field(client: TestClient, link: str):
    body = {
        "question": "How does a depth video stay consistent?",
        "recommended": [{"title": "DepthCrafter", "paper_url": "https://arxiv.org/abs/1"}],
        "related": [{"title": "Another paper", "github_url": link}],
    }
    response = client.post("/api/answer", json=body)
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    scheme = link.split(":", 1)[0].lower()
    assert detail == (
        f"related[0].github_url: a link must start with http:// or https://, not '{scheme}:'"
    )


def test_a_prompt_with_a_javascript_link_is_400_naming_the_line(client: TestClient):
    prompt = PROMPTS["phone_depth"].replace(
        "Paper: https://arxiv.org/pdf/2409.02095", "Paper: javascript:alert(document.cookie)", 1
    )
    assert prompt != PROMPTS["phone_depth"]
    line = prompt.splitlines().index("Paper: javascript:alert(document.cookie)") + 1
    response = client.post("/api/answer", json={"prompt": prompt})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        f"prompt:{line}: the Paper link must start with http:// or https://, not 'javascript:'"
    )


def test_only_loopback_host_names_are_answered(client: TestClient):
    # A page on another site that rebinds its DNS name to 127.0.0.1 sends its own Host.
    assert client.get("/health", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/health", headers={"host": "localhost:8321"}).status_code == 200
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")


def test_serve_refuses_other_addresses_and_a_taken_port():
    with pytest.raises(InputError, match="loopback only"):
        serve("0.0.0.0", 8321)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ConfigurationError, match="cannot listen"):
            serve("127.0.0.1", taken.getsockname()[1])


# --------------------------------------------------------------------------- a real server


def test_serve_runs_the_app_on_loopback(tmp_path: Path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        "import sys; from pathlib import Path; from scholarflow.server import serve; "
        "serve(port=int(sys.argv[1]), catalog_path=Path(sys.argv[2]), token='t')"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(port), str(tmp_path / "c.db")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "serve() did not answer /health"
            try:
                health = httpx.get(f"{LOCAL}:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert health.json()["status"] == "ok"
        models = httpx.get(f"{LOCAL}:{port}/v1/models", headers={"Authorization": "Bearer t"})
        assert models.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_token_is_required_on_the_wire_except_for_health(live_url: str):
    assert httpx.get(f"{live_url}/health").status_code == 200
    answered = httpx.post(f"{live_url}/api/answer", json={"prompt": PROMPTS["phone_depth"]})
    assert answered.status_code == 401
    assert answered.headers["www-authenticate"] == "Bearer"
    assert "missing bearer token" in answered.json()["detail"]
    wrong = httpx.get(f"{live_url}/v1/models", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["type"] == "authentication_error"


def test_the_openai_client_gets_a_completion(live_url: str, expected: dict[str, dict[str, Any]]):
    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key=TOKEN, max_retries=0)
    assert [model.id for model in client.models.list()] == ["scholarflow"]
    completion = client.chat.completions.create(
        model="scholarflow",
        messages=[
            {"role": "system", "content": "You are a helpful assistant."},
            {"role": "user", "content": PROMPTS["phone_depth"]},
        ],
    )
    assert completion.object == "chat.completion"
    assert completion.choices[0].message.role == "assistant"
    assert completion.choices[0].message.content == expected["phone_depth"]["markdown"]
    assert completion.choices[0].finish_reason == "stop"


def test_the_openai_client_streams_the_same_answer(
    live_url: str, expected: dict[str, dict[str, Any]]
):
    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key=TOKEN, max_retries=0)
    stream = client.chat.completions.create(
        model="scholarflow",
        messages=[{"role": "user", "content": PROMPTS["jacket_colour"]}],
        stream=True,
    )
    chunks = list(stream)
    assert len(chunks) > 3 and {chunk.object for chunk in chunks} == {"chat.completion.chunk"}
    assert len({chunk.id for chunk in chunks}) == 1
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks)
    assert text == expected["jacket_colour"]["markdown"]
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_the_stream_is_server_sent_events_ending_with_done(live_url: str, auth: dict[str, str]):
    body = {
        "model": "scholarflow",
        "stream": True,
        "messages": [{"role": "user", "content": PROMPTS["neon_poster"]}],
    }
    with httpx.stream("POST", f"{live_url}/v1/chat/completions", json=body, headers=auth) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line]
    assert all(line.startswith("data: ") for line in events)
    assert events[-1] == "data: [DONE]"
    assert (
        json.loads(events[0].removeprefix("data: "))["choices"][0]["delta"]["role"] == "assistant"
    )


def test_the_openai_client_sees_a_wrong_key_as_an_authentication_error(live_url: str):
    client = openai.OpenAI(base_url=f"{live_url}/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.models.list()


def test_200_answers_from_8_concurrent_clients(
    live_url: str,
    auth: dict[str, str],
    expected: dict[str, dict[str, Any]],
    capsys: pytest.CaptureFixture[str],
):
    names = sorted(PROMPTS)
    jobs = [names[i % len(names)] for i in range(200)]
    local = threading.local()

    def post(name: str) -> tuple[str, int, dict[str, Any], float]:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=live_url, headers=auth, timeout=30)
        start = time.perf_counter()
        response = local.client.post("/api/answer", json={"prompt": PROMPTS[name]})
        elapsed = time.perf_counter() - start
        return name, response.status_code, response.json(), elapsed

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, jobs))
    wall = time.perf_counter() - start

    for name, status, data, _ in results:
        assert status == 200, data
        assert data["schema_version"] == 1
        assert data["task"]["id"] == expected[name]["task"]["id"]
        assert data == expected[name]
    latencies = sorted(elapsed for *_, elapsed in results)
    p50 = statistics.median(latencies) * 1000
    p95 = statistics.quantiles(latencies, n=100)[94] * 1000
    with capsys.disabled():
        print(
            f"\n/api/answer, 200 requests, 8 clients: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
            f"{len(results) / wall:.0f} answers/s"
        )


def test_a_request_over_the_source_limit_is_400_naming_the_limit(client: TestClient):
    """Bounded work: the server refuses what the CLI refuses, before any of it is planned."""
    from scholarflow.models import MAX_SOURCES

    many = [{"title": f"Model {i}: A Method"} for i in range(MAX_SOURCES)]
    body = {"question": "How is this done?", "recommended": [{"title": "X: Y"}], "related": many}
    response = client.post("/api/answer", json=body)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert f"at most {MAX_SOURCES}" in detail and "\n" not in detail
    body["related"] = many[:-1]  # exactly the limit is answered
    assert client.post("/api/answer", json=body).status_code == 200
