"""Runs the red team's replies (tests/hostile/) through the real LLM writer and judges them.

The replies were written without reading the defence (tests/hostile/README.md). Each one is
served by a real HTTP server speaking the chat-completions protocol (tests/fake_openai.py),
read by the real client and writer, screened by the engine, and rendered in every format; the
judge then looks at everything a person could see: Markdown, JSON (question and evidence
included), Mermaid, the node-editor workflow, and the streamed text.

Used by tests/test_hostile_suite.py (which asserts) and benchmarks/hostile_report.py (which
prints the table for the notes).
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from scholarflow.engine import answer
from scholarflow.llm_client import ChatClient
from scholarflow.models import Answer
from scholarflow.prompt_format import parse_prompt
from scholarflow.render import render
from scholarflow.text import canonical_url
from scholarflow.writers.llm import LLMWriter

from answer_checks import URL_PATTERN, allowed_links
from conftest import SEEDS_DIR
from fake_openai import FakeOpenAIServer, Reply

SUITE = Path(__file__).parent / "hostile"
FORMATS = ("markdown", "json", "mermaid", "graph", "comfyui")
_STEP_LINE = re.compile(r"^- id (\S+):", re.M)


@cache
def replies() -> tuple[dict[str, Any], ...]:
    with (SUITE / "replies.toml").open("rb") as handle:
        return tuple(tomllib.load(handle)["reply"])


@cache
def prompt_specs() -> dict[str, dict[str, Any]]:
    with (SUITE / "prompts.toml").open("rb") as handle:
        return {spec["id"]: spec for spec in tomllib.load(handle)["prompt"]}


def prompt_text(name: str) -> str:
    if name.startswith("seed-"):
        seeds = sorted(SEEDS_DIR.glob("*.txt"))
        return seeds[int(name.removeprefix("seed-"))].read_text(encoding="utf-8")
    return (SUITE / "prompts" / f"{name}.txt").read_text(encoding="utf-8")


def normal(text: str) -> str:
    """How the red team's `never` strings are matched: NFKC, invisible characters removed,
    lower case."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.lower()


def reply_body(reply: dict[str, Any], request: dict[str, Any], mode: str) -> str:
    """The text the fake server sends: a slots reply as JSON or tagged text, its step texts
    given the step ids the request lists, in order; a raw reply as written."""
    if "raw" in reply:
        return str(reply["raw"])
    slots = reply["slots"]
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    ids = _STEP_LINE.findall(user)
    steps = slots.get("steps", [])
    if mode == "json":
        data: dict[str, Any] = {k: v for k, v in slots.items() if k != "steps"}
        if isinstance(steps, list):
            data["steps"] = [
                {"id": node_id, "text": text} for node_id, text in zip(ids, steps, strict=False)
            ]
        else:
            data["steps"] = steps
        return json.dumps(data, ensure_ascii=False)
    parts = []
    for key in ("task", "mechanism", "caveats"):
        if key in slots:
            parts.append(f"<{key}>{slots[key]}</{key}>")
    if isinstance(steps, list):
        parts[1:1] = [
            f'<step id="{node_id}">{text}</step>' for node_id, text in zip(ids, steps, strict=False)
        ]
    return "\n".join(parts)


@dataclass
class Outcome:
    reply_id: str
    klass: str
    expect: str
    mode: str
    stream: bool
    escapes: list[str] = field(default_factory=list)
    crashed: str = ""
    writer: str = ""
    replaced: bool = False
    rejected: bool = False

    @property
    def kept_whole(self) -> bool:
        return not self.crashed and self.writer == "llm" and not self.replaced and not self.rejected


class Servers:
    """Two fake LLM servers for a whole run: one honours `response_format`, one refuses it
    (HTTP 400, as some servers do, so the writer falls back to tagged text). Each answers
    with whatever reply is current. One pair for the run: starting a server per reply would
    cost more than the answers."""

    def __init__(self) -> None:
        self.current: dict[str, Any] | None = None

        def respond(body: dict[str, Any]) -> str:
            assert self.current is not None
            return reply_body(self.current, body, "json" if "response_format" in body else "text")

        self._json = FakeOpenAIServer(Reply(respond=respond, chunk_size=7), model="m")
        self._text = FakeOpenAIServer(
            Reply(respond=respond, rejects_response_format=True, chunk_size=7), model="m"
        )

    def __enter__(self) -> Servers:
        self._json.__enter__()
        self._text.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._json.__exit__(None, None, None)
        self._text.__exit__(None, None, None)

    def base_url(self, mode: str) -> str:
        return (self._text if mode == "text" else self._json).base_url


def run(reply: dict[str, Any], mode: str, stream: bool, servers: Servers) -> Outcome:
    """One reply through the real client, writer, engine and renderers."""
    outcome = Outcome(reply["id"], reply["class"], reply["expect"], mode, stream)
    request = parse_prompt(prompt_text(reply["prompt"]))
    servers.current = reply
    streamed: list[str] = []
    try:
        client = ChatClient(servers.base_url(mode), "m", timeout=10, max_retries=0)
        writer = LLMWriter(client, stream=stream, response_format="auto")
        result = answer(request, writer=writer, on_text=streamed.append if stream else None)
    except Exception as error:  # a crash is what the suite counts, whatever it is
        outcome.crashed = f"{type(error).__name__}: {error}"
        return outcome
    outcome.writer = result.writer
    codes = {w.code for w in result.warnings}
    outcome.replaced = "writer_slots_replaced" in codes
    outcome.rejected = "llm_output_rejected" in codes
    shown = [render(result, fmt) for fmt in FORMATS] + ["".join(streamed)]
    if stream and "".join(streamed) != result.markdown:
        outcome.escapes.append("the streamed text differs from the finished answer")
    outcome.escapes += _escapes(reply, request, result, shown)
    return outcome


def _escapes(reply: dict[str, Any], request: Any, result: Answer, shown: list[str]) -> list[str]:
    everything = normal("\n".join(shown))
    found = [f"never: {s}" for s in reply.get("never", []) if normal(s) in everything]
    spec = prompt_specs().get(reply["prompt"])
    if spec:
        found += [f"prompt never: {s}" for s in spec.get("never", []) if normal(s) in everything]
    allowed = allowed_links(request)
    for output in shown:
        for match in URL_PATTERN.finditer(output.replace("\\n", " ")):
            url = match.group(0).rstrip(".,;:)\"'\\")
            if canonical_url(url) not in allowed:
                found.append(f"link: {url}")
    return found


def modes(reply: dict[str, Any]) -> Iterator[tuple[str, bool]]:
    """JSON (schema honoured) and tagged text (schema refused), each streamed and not; a raw
    reply is sent as written, streamed and not."""
    kinds = ("json",) if "raw" in reply else ("json", "text")
    for kind in kinds:
        for stream in (False, True):
            yield kind, stream
