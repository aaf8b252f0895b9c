"""The MCP server as an assistant meets it: a child process on stdio, driven by the official client.

One scripted session (the server starts and loads the embedding model once) records every
reply; the tests below check them. The client validates each structured result against the
tool's published output schema on its own, so a reply that breaks its schema fails here too.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import jsonschema
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.types import CallToolResult, TextContent, Tool

from scholarflow.mcp_server import build_server

from answer_checks import check_answer, schema
from conftest import PROMPTS_DIR, ROOT

QUESTION = "How do apps turn a phone video into a depth video that doesn't flicker?"
DEPTH_QUESTION = "Which model turns a phone video into a depth video that doesn't flicker?"
TOOLS = {"answer_prompt", "ask", "recommend_models", "compose_workflow", "search_catalog"}
BAD_PROMPT = "Tell me about depth.\n\n### Recommended AI Models:\nModel: DepthCrafter\n"


@dataclass
class Session:
    """What one session with the server saw: its tools and the reply to each call."""

    tools: dict[str, Tool] = field(default_factory=dict)
    replies: dict[str, CallToolResult] = field(default_factory=dict)
    home: Path = Path()
    log: Path = Path()

    def structured(self, key: str) -> dict[str, Any]:
        reply = self.replies[key]
        assert not reply.is_error, f"{key}: {_text(reply)}\n{self.log.read_text()}"
        assert isinstance(reply.structured_content, dict), key
        return reply.structured_content


CALLS: dict[str, tuple[str, dict[str, Any]]] = {
    "answer": ("answer_prompt", {"prompt": (PROMPTS_DIR / "phone_depth.txt").read_text()}),
    "ask": ("ask", {"question": QUESTION}),
    "ask_unserved": ("ask", {"question": "a recipe for sourdough bread with a crisp crust"}),
    "recommend": ("recommend_models", {"question": DEPTH_QUESTION, "limit": 3}),
    "compose_prompt": (
        "compose_workflow",
        {"prompt": (PROMPTS_DIR / "phone_depth.txt").read_text()},
    ),
    "compose_question": ("compose_workflow", {"question": QUESTION}),
    "compose_both": ("compose_workflow", {"prompt": "x", "question": "y"}),
    "search": ("search_catalog", {"query": "consistent video depth", "limit": 5}),
    "bad_prompt": ("answer_prompt", {"prompt": BAD_PROMPT}),
    "empty_question": ("ask", {"question": "   "}),
    "after_errors": ("search_catalog", {"query": "depth", "limit": 1}),
}


async def _converse(home: Path, log: Path) -> Session:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-c", "from scholarflow.mcp_server import run_stdio; run_stdio()"],
        env={"SCHOLARFLOW_HOME": str(home), "PATH": os.environ.get("PATH", "")},
        cwd=ROOT,
    )
    session = Session(home=home, log=log)
    with log.open("w") as errlog, anyio.fail_after(60):
        async with (
            stdio_client(params, errlog=errlog) as (read, write),
            ClientSession(read, write) as client,
        ):
            await client.initialize()
            listed = await client.list_tools()
            session.tools = {tool.name: tool for tool in listed.tools}
            for key, (name, arguments) in CALLS.items():
                session.replies[key] = await client.call_tool(name, arguments)
    return session


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    home = tmp_path_factory.mktemp("mcp-home")
    return anyio.run(_converse, home, home / "server.log")


def _text(reply: CallToolResult) -> str:
    assert reply.content and isinstance(reply.content[0], TextContent)
    return reply.content[0].text


def test_lists_all_tools_with_descriptions_and_schemas(session: Session):
    assert set(session.tools) == TOOLS
    for tool in session.tools.values():
        assert tool.description and len(tool.description) > 40, tool.name
        assert tool.input_schema["type"] == "object"
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), f"{tool.name}.{name} has no description"
        assert tool.output_schema and tool.output_schema["type"] == "object", tool.name
        assert tool.annotations and tool.annotations.read_only_hint, tool.name
    assert session.tools["answer_prompt"].input_schema["required"] == ["prompt"]
    limit = session.tools["recommend_models"].input_schema["properties"]["limit"]
    assert limit["type"] == "integer" and limit["default"] == 5 and limit["minimum"] == 1
    assert "required" not in session.tools["compose_workflow"].input_schema


def test_answer_prompt_returns_the_answer_contract(session: Session):
    from scholarflow.prompt_format import parse_prompt

    data = session.structured("answer")
    check_answer(data, parse_prompt((PROMPTS_DIR / "phone_depth.txt").read_text()))
    assert data["task"]["id"] == "video_depth_estimation"
    recommended = data["references"][0]
    assert recommended["name"] == "DepthCrafter" and recommended["role"] == "recommended"
    assert "https://github.com/Tencent/DepthCrafter" in recommended["links"]
    # The published output schema accepts the contract, and the contract's own schema too.
    jsonschema.validate(data, session.tools["answer_prompt"].output_schema)
    text = _text(session.replies["answer"])
    assert "video_depth_estimation" in text and "[1] DepthCrafter" in text
    assert len(text) < len(data["markdown"])  # the text is a summary; the answer is structured


def test_ask_is_what_the_cli_prints_as_json(session: Session):
    data = session.structured("ask")
    assert data["served"] is True
    jsonschema.validate({k: v for k, v in data.items() if k not in {"served", "sources"}}, schema())
    assert data["task"]["id"] == "video_depth_estimation"
    assert data["references"][0]["name"] == "DepthCrafter"
    assert data["sources"][0]["entry_id"] == "depthcrafter" and data["sources"][0]["used"]
    assert all(s["links"] == [] for s in data["sources"] if not s["used"])


def test_ask_that_the_catalog_cannot_serve_is_an_answer_not_an_error(session: Session):
    data = session.structured("ask_unserved")
    assert data["served"] is False
    assert "catalog has no model or paper" in data["message"]
    assert "markdown" not in data and data["sources"]
    assert _text(session.replies["ask_unserved"]).startswith("The catalog cannot answer")


def test_recommend_models_puts_depthcrafter_first_for_a_depth_question(session: Session):
    data = session.structured("recommend")
    assert data["served"] is True
    assert data["task"]["id"] == "video_depth_estimation"
    best = data["recommended"]
    assert best["entry_id"] == "depthcrafter" and best["name"] == "DepthCrafter"
    assert best["role"] == "recommended" and best["kind"] == "model"
    assert "https://arxiv.org/pdf/2409.02095" in best["links"]
    assert best["score"] > 0 and best["serves_task"] is True
    assert 1 <= len(data["related"]) <= 2  # limit 3: the model and at most two papers
    assert all(r["role"] == "related" and r["title"] for r in data["related"])
    assert all(r["score"] <= best["score"] for r in data["related"])
    assert "markdown" not in data  # no answer was written
    assert _text(session.replies["recommend"]).startswith("Recommended: DepthCrafter")


@pytest.mark.parametrize("key", ["compose_prompt", "compose_question"])
def test_compose_workflow_gives_only_the_plan(session: Session, key: str):
    data = session.structured(key)
    assert data["task"]["id"] == "video_depth_estimation" and 0 < data["task"]["confidence"] <= 1
    assert data["inputs"] == ["video"] and data["outputs"] == ["depth_video"]
    recommended = next(s for s in data["sources"] if s["role"] == "recommended")
    assert recommended["name"] == "DepthCrafter"
    nodes = {n["id"]: n for n in data["workflow"]["nodes"]}
    model = [n for n in nodes.values() if n["kind"] == "model"]
    assert any(n["source_id"] == recommended["source_id"] for n in model)
    edges = data["workflow"]["edges"]
    assert edges and all(e["source"] in nodes and e["target"] in nodes for e in edges)
    assert {"input", "output"} <= {n["kind"] for n in nodes.values()}
    assert data["mermaid"].startswith("flowchart LR") and "DepthCrafter [1]" in data["mermaid"]
    assert "markdown" not in data and "references" not in data
    assert isinstance(data["warnings"], list)


def test_search_catalog_ranks_hits(session: Session):
    data = session.structured("search")
    hits = data["hits"]
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1)) and len(hits) == 5
    assert hits[0]["entry_id"] == "depthcrafter"
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert hits[0]["links"]  # a catalog listing shows the entries' links
    assert _text(session.replies["search"]).startswith("1. DepthCrafter")


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("bad_prompt", "no question"),
        ("empty_question", "the question is empty"),
        ("compose_both", "exactly one"),
    ],
)
def test_bad_input_is_a_one_line_tool_error(session: Session, key: str, expected: str):
    reply = session.replies[key]
    assert reply.is_error is True
    text = _text(reply)
    assert expected in text and "\n" not in text
    assert "Traceback" not in text


def test_the_server_keeps_serving_after_errors_and_uses_scholarflow_home(session: Session):
    assert session.structured("after_errors")["hits"][0]["rank"] == 1
    assert (session.home / "catalog.db").is_file()
    log = session.log.read_text()
    assert "Traceback" not in log, log


def test_build_server_opens_its_catalog_lazily_at_the_given_path(tmp_path: Path):
    catalog = tmp_path / "elsewhere" / "catalog.db"
    server = build_server(catalog_path=catalog)

    async def calls() -> tuple[CallToolResult, CallToolResult]:
        prompt = (PROMPTS_DIR / "phone_depth.txt").read_text()
        answered = await server.call_tool("answer_prompt", {"prompt": prompt})
        opened_early = catalog.exists()
        searched = await server.call_tool("search_catalog", {"query": "depth video", "limit": 2})
        assert not opened_early, "answering a prompt needs no catalog"
        return answered, searched

    answered, searched = anyio.run(calls)
    assert isinstance(answered, CallToolResult) and isinstance(searched, CallToolResult)
    assert answered.structured_content["references"][0]["name"] == "DepthCrafter"
    assert len(searched.structured_content["hits"]) == 2
    assert catalog.is_file()


def test_the_cli_starts_the_mcp_server(tmp_path: Path) -> None:
    """`scholarflow mcp` speaks the protocol on stdio: an initialize request gets a reply."""
    import subprocess

    request = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "0"},
        },
    }
    env = dict(os.environ, SCHOLARFLOW_HOME=str(tmp_path))
    process = subprocess.Popen(
        [sys.executable, "-m", "scholarflow.cli", "mcp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    try:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write((json.dumps(request) + "\n").encode())
        process.stdin.flush()
        reply = json.loads(process.stdout.readline())
        assert reply["id"] == 1 and "serverInfo" in reply["result"]
    finally:
        process.kill()
        process.wait(timeout=10)
