"""The checks every answer must pass, shared by the seed tests and our own prompt tests."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from scholarflow.i18n import messages_for
from scholarflow.models import Request
from scholarflow.text import canonical_url

MIN_SECTION_CHARS = {"task": 200, "workflow": 400, "references": 60}

# The checker's own link finder, deliberately not the product's (text.link_spans): a bug in
# one should not hide in the other. Anything with a scheme, "www." or a host with a path.
URL_PATTERN = re.compile(
    r"(?i)(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'`\])}]+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>\"'`\])}]*"
)


@cache
def schema() -> dict[str, Any]:
    text = resources.files("scholarflow.schema").joinpath("answer-v1.schema.json").read_text()
    return json.loads(text)


def allowed_links(request: Request) -> set[str]:
    """Links the policy allows: the provided fields and project pages named in summaries."""
    allowed = set()
    for source in request.sources:
        for url in (source.paper_url, source.github_url, source.project_url):
            if url:
                allowed.add(canonical_url(url))
        if source.summary:
            for match in URL_PATTERN.finditer(source.summary):
                sentence_start = source.summary.rfind(".", 0, match.start())
                sentence = source.summary[sentence_start + 1 : match.end()].lower()
                if "project" in sentence or "code" in sentence or "github" in sentence:
                    allowed.add(canonical_url(match.group(0)))
    return allowed


def paths_from_inputs(data: dict[str, Any]) -> set[str]:
    """Node ids on some path from an input node to an output node."""
    nodes = {n["id"]: n for n in data["workflow"]["nodes"]}
    forward: dict[str, set[str]] = {}
    backward: dict[str, set[str]] = {}
    for edge in data["workflow"]["edges"]:
        forward.setdefault(edge["source"], set()).add(edge["target"])
        backward.setdefault(edge["target"], set()).add(edge["source"])

    def reach(starts: set[str], graph: dict[str, set[str]]) -> set[str]:
        seen, stack = set(starts), list(starts)
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    from_inputs = reach({i for i, n in nodes.items() if n["kind"] == "input"}, forward)
    to_outputs = reach({i for i, n in nodes.items() if n["kind"] == "output"}, backward)
    return from_inputs & to_outputs


def _size(text: str) -> int:
    """Characters, a Chinese, Japanese or Korean one counting as two: such a script says in
    one character what English says in two or three."""
    return len(text) + sum(
        1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"
    )


def check_answer(data: dict[str, Any], request: Request) -> None:
    """Everything the issue asks of every answer, on the JSON contract."""
    jsonschema.validate(data, schema())
    for name, minimum in MIN_SECTION_CHARS.items():
        assert _size(data["sections"][name]) >= minimum, f"section {name} is too thin"
    titles = messages_for(data.get("language", "en"))
    assert titles("heading_task") in data["markdown"]
    assert titles("heading_references") in data["markdown"]

    allowed = allowed_links(request)
    serialized = json.dumps(data, ensure_ascii=False)
    for match in URL_PATTERN.finditer(serialized.replace("\\n", " ")):
        url = match.group(0).rstrip(".,;:)\"'\\")
        assert canonical_url(url) in allowed, f"link not provided: {url}"

    on_paths = paths_from_inputs(data)
    nodes = {n["id"]: n for n in data["workflow"]["nodes"]}
    references = {r["source_id"]: r for r in data["references"]}
    # A recommended model is on the main path unless the answer says plainly it does not fit.
    flagged = {w["source_id"] for w in data["warnings"] if w["code"] == "model_task_mismatch"}
    for source in request.recommended:
        assert source.name in data["markdown"], f"{source.name} not named"
        model_nodes = [i for i, n in nodes.items() if n["source_id"] == source.id]
        if source.id not in flagged:
            assert any(i in on_paths for i in model_nodes), f"{source.name} not on a path"
        links = {canonical_url(u) for u in references[source.id]["links"]}
        for url in (source.paper_url, source.github_url, source.project_url):
            if url:
                assert canonical_url(url) in links
                assert url in data["sections"]["references"]

    # Every edge's modality is what its target node consumes and its source node makes.
    incoming: dict[str, set[str]] = {}
    for edge in data["workflow"]["edges"]:
        incoming.setdefault(edge["target"], set()).add(edge["modality"])
        if nodes[edge["target"]]["kind"] == "output":
            assert nodes[edge["target"]]["modality"] == edge["modality"]
        if nodes[edge["source"]]["kind"] == "input":
            assert nodes[edge["source"]]["modality"] == edge["modality"]

    # Every citation points at a reference.
    for number in _citations(data["markdown"]):
        assert 1 <= number <= len(data["references"]), f"citation [{number}] has no reference"


def _citations(text: str) -> list[int]:
    import re

    return [int(n) for n in re.findall(r"\[(\d+)\]", text)]
