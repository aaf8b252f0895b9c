"""POST /api/answer/stream and /api/ask/stream: the answers of /api/answer and /api/ask as
newline-delimited JSON, each part sent once it has passed the grounding screen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from scholarflow.server.app import create_app

ROOT = Path(__file__).resolve().parents[1]
PROMPT = (ROOT / "examples" / "orbit-from-one-photo.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(catalog_path=tmp_path_factory.mktemp("stream") / "catalog.db", token="")
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def _events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_the_stream_is_the_answer_part_by_part(client: TestClient) -> None:
    plain = client.post("/api/answer", json={"prompt": PROMPT}).json()
    streamed = client.post("/api/answer/stream", json={"prompt": PROMPT})
    assert streamed.status_code == 200
    assert streamed.headers["content-type"].startswith("application/x-ndjson")
    events = _events(streamed.text)
    kinds = [e["type"] for e in events]
    assert kinds[-1] == "answer" and set(kinds[:-1]) == {"text"} and len(kinds) > 3
    assert "".join(e["text"] for e in events[:-1]) == plain["markdown"]
    final = events[-1]["answer"]
    assert {k: v for k, v in final.items() if k != "timings"} == {
        k: v for k, v in plain.items() if k != "timings"
    }


def test_a_bad_prompt_is_an_ordinary_400(client: TestClient) -> None:
    reply = client.post(
        "/api/answer/stream", json={"prompt": 'A user has asked the following question:\n"x"\n'}
    )
    assert reply.status_code == 400
    assert "recommended" in reply.json()["detail"].lower()
    assert client.post("/api/answer/stream", json={"promt": "x"}).status_code == 422


def test_a_free_question_streams_with_its_catalog_hits(client: TestClient) -> None:
    question = "How do apps turn a phone video into a depth video that doesn't flicker?"
    events = _events(client.post("/api/ask/stream", json={"question": question}).text)
    final = events[-1]
    assert final["type"] == "answer" and final["answer"]["served"] is True
    assert any(hit["used"] for hit in final["answer"]["sources"])
    assert "".join(e["text"] for e in events[:-1]) == final["answer"]["markdown"]


def test_health_says_whether_a_token_is_needed(tmp_path: Path, client: TestClient) -> None:
    assert client.get("/health").json()["token"] is False
    app = create_app(catalog_path=tmp_path / "c.db", token="secret")
    with TestClient(app, base_url="http://127.0.0.1") as guarded:
        health = guarded.get("/health").json()
        assert health["token"] is True
        assert "secret" not in json.dumps(health)
        assert guarded.post("/api/answer/stream", json={"prompt": PROMPT}).status_code == 401


def test_with_the_llm_writer_only_screened_text_streams_part_by_part(tmp_path: Path) -> None:
    from scholarflow.settings import Settings
    from test_llm_writer import _good_reply, _good_slots

    from conftest import PROMPTS_DIR
    from fake_openai import FakeOpenAIServer, Reply

    prompt = (PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8")
    planted = "Weights: https://evil.example.com/w.zip are faster."
    with FakeOpenAIServer(model="test-model") as llm:
        reply = _good_reply(mechanism=f"{_good_slots()['mechanism']} {planted}")
        llm.enqueue(Reply(content=reply, chunk_size=5))
        settings = Settings(
            home=tmp_path, llm_base_url=llm.base_url, llm_model="test-model", log_llm=False
        )
        app = create_app(
            catalog_path=tmp_path / "catalog.db", token="", writer="llm", settings=settings
        )
        with TestClient(app, base_url="http://127.0.0.1") as test_client:
            streamed = test_client.post("/api/answer/stream", json={"prompt": prompt})
        assert llm.chat_requests[-1].body["stream"] is True
    assert streamed.status_code == 200
    events = _events(streamed.text)
    texts = [e["text"] for e in events if e["type"] == "text"]
    final = events[-1]["answer"]
    assert final["writer"] == "llm"
    assert len(texts) > 3, "the answer came part by part"
    assert "".join(texts) == final["markdown"]
    assert "In the words of a friendly expert" in final["markdown"]
    assert "evil.example.com" not in streamed.text
