"""Conversations: a follow-up is read with the questions before it, everywhere.

The follow-up stage (followup.py, understanding._follow) is checked on its own with a table
of turns; then through its interfaces: the official `openai` client against a real uvicorn
server on loopback (a two-turn conversation, `usage` counted), and the real CLI (`ask -c`,
`ask --cid`, `logs --conversations`) as a new process with its own SCHOLARFLOW_HOME.
What must not happen is checked as hard as what must: a follow-up on a new subject is
answered exactly as that question alone, and bad input is one line and exit 2.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
import uvicorn

from scholarflow.catalog.store import SQLiteCatalogStore
from scholarflow.engine import ask
from scholarflow.followup import follow_up
from scholarflow.llm_log import LLMLog
from scholarflow.models import Request
from scholarflow.retrieval import Retriever
from scholarflow.server import create_app
from scholarflow.server.limits import ServerLimits
from scholarflow.tokens import count_tokens
from scholarflow.understanding import lean, understand

from conftest import run_cli

ORBIT = "One photo became a smooth 360° video. How?"
DEPTH = "How do apps turn a phone video into a depth video that doesn't flicker?"
PICTURE = "How do I generate a picture from a text prompt?"
TALKING = "How did my selfie and a voice note turn into a talking clip?"
BACKGROUND = "How do I remove the background from a video?"
TOKEN = "conversation-token"
PATIENT = ServerLimits(request_timeout=600.0)


def _task(markdown: str) -> str:
    """The task an answer identified, as its first section names it."""
    found = re.search(r"You are doing \*\*(.+?)\*\*", markdown)
    assert found, markdown[:300]
    return found.group(1)


# --------------------------------------------------------------------------- the stage


@pytest.mark.parametrize(
    ("earlier", "follow", "task", "have", "focus"),
    [
        # What the follow-up changes overrides ...
        (ORBIT, "and for a dynamic scene?", "image_to_4d", ("image",), "consistency"),
        (ORBIT, "and from a video instead?", "video_to_4d", ("video",), "consistency"),
        (DEPTH, "and for a single photo?", "monocular_depth_estimation", ("image",), None),
        (PICTURE, "and a video?", "text_to_video", ("text",), None),
        (PICTURE, "and from a sketch?", "image_to_image", ("image",), None),
        # ... and what it leaves unsaid is inherited: the task, its things, a new focus.
        (ORBIT, "how does it stay consistent?", "novel_view_video_from_image", ("image",), None),
        (ORBIT, "and what about speed?", "novel_view_video_from_image", ("image",), "speed"),
        (DEPTH, "can it run in real time?", "video_depth_estimation", ("video",), "speed"),
    ],
)
def test_a_follow_up_is_understood_with_the_question_before_it(
    earlier: str, follow: str, task: str, have: tuple[str, ...] | None, focus: str | None
):
    understood = understand(
        Request(question=follow, recommended=(), origin="free", earlier=(earlier,))
    )
    assert understood.task.id == task
    if have is not None:
        assert understood.have == have
    if focus is not None:
        assert understood.focus[0] == focus
    # The same words alone say something else (or nothing): the context decided.
    alone = understand(Request(question=follow, recommended=(), origin="free"))
    assert (alone.task.id, alone.have, alone.focus) != (
        understood.task.id,
        understood.have,
        understood.focus,
    ) or alone.confidence < understood.confidence


@pytest.mark.parametrize("earlier", [ORBIT, DEPTH, PICTURE])
@pytest.mark.parametrize("question", [TALKING, BACKGROUND, DEPTH, ORBIT])
def test_a_question_that_names_its_own_task_is_not_dragged_to_the_old_one(
    earlier: str, question: str
):
    assert lean(question) == 0.0
    turn = follow_up(question, [earlier])
    assert not turn.leans and turn.search_text == question
    with_context = Request(question=question, recommended=(), origin="free", earlier=(earlier,))
    alone = Request(question=question, recommended=(), origin="free")
    assert understand(with_context) == understand(alone)


def test_the_search_reads_back_to_the_last_question_that_stood_alone():
    turn = follow_up("how does it stay consistent?", [DEPTH, ORBIT, "and for a dynamic scene?"])
    assert turn.leans and turn.earlier == (DEPTH, ORBIT, "and for a dynamic scene?")
    assert turn.search_text == f"{ORBIT} and for a dynamic scene? how does it stay consistent?"
    # Three turns deep, the last one still follows the subject the second one changed to.
    understood = understand(
        Request(
            question="how does it stay consistent?",
            recommended=(),
            origin="free",
            earlier=turn.earlier,
        )
    )
    assert understood.task.id == "image_to_4d" and understood.focus[0] == "consistency"
    assert follow_up("and for a dynamic scene?", []) == follow_up("and for a dynamic scene?")


# --------------------------------------------------------------------------- a real server


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("catalog") / "catalog.db"


@pytest.fixture(scope="module")
def retriever(catalog_path: Path) -> Iterator[Retriever]:
    with SQLiteCatalogStore(catalog_path) as store:
        found = Retriever(store)
        found.ensure_embeddings()
        yield found


@pytest.fixture(scope="module")
def live_url(catalog_path: Path, retriever: Retriever) -> Iterator[str]:
    """A real uvicorn server with a token, on a port the kernel picked, in a thread."""
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
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture(scope="module")
def client(live_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{live_url}/v1", api_key=TOKEN, max_retries=0, timeout=300)


def test_the_openai_client_holds_a_two_turn_conversation(
    client: openai.OpenAI, retriever: Retriever
):
    messages: list[dict[str, str]] = [{"role": "user", "content": ORBIT}]
    first = client.chat.completions.create(model="scholarflow", messages=messages)
    first_answer = first.choices[0].message.content or ""
    assert _task(first_answer) == "novel-view (orbit) video from a single image"

    messages += [
        {"role": "assistant", "content": first_answer},
        {"role": "user", "content": "and from a video instead?"},
    ]
    second = client.chat.completions.create(model="scholarflow", messages=messages)
    second_answer = second.choices[0].message.content or ""
    # The follow-up keeps the first question's subject (new views of what was filmed) and
    # changes what it starts from: a video.
    assert _task(second_answer) == "multi-view video generation from one video (video-to-4D)"
    assert "You start from a video clip" in second_answer
    # What the engine answers in-process to the same conversation, to the byte.
    expected, _ = ask("and from a video instead?", retriever, earlier=[ORBIT])
    assert second_answer == expected.markdown
    # On its own, the same follow-up is a different question.
    alone = client.chat.completions.create(
        model="scholarflow", messages=[{"role": "user", "content": "and from a video instead?"}]
    )
    # Alone it is too thin to place (refused, naming the closest source) or read as another
    # task; either way it is not the conversation's answer.
    alone_answer = alone.choices[0].message.content or ""
    assert alone_answer != second_answer
    assert f"You are doing **{_task(second_answer)}**" not in alone_answer

    # usage: the documented tokenizer's counts of every message sent and of the answer.
    assert second.usage is not None
    assert second.usage.completion_tokens == count_tokens(second_answer)
    sent = sum(count_tokens(m["content"]) or 0 for m in messages)
    assert second.usage.prompt_tokens == sent
    assert second.usage.total_tokens == sent + second.usage.completion_tokens


def test_a_dynamic_scene_follow_up_stays_with_the_photo(client: openai.OpenAI):
    answer = client.chat.completions.create(
        model="scholarflow",
        messages=[
            {"role": "user", "content": ORBIT},
            {"role": "assistant", "content": "(whatever the client kept)"},
            {"role": "user", "content": "and for a dynamic scene?"},
        ],
    )
    text = answer.choices[0].message.content or ""
    assert _task(text) == "image-to-4D generation"
    assert "You start from a single image" in text


def test_a_new_subject_in_a_conversation_is_answered_as_if_asked_alone(client: openai.OpenAI):
    def content(messages: list[dict[str, str]]) -> str:
        reply = client.chat.completions.create(model="scholarflow", messages=messages)
        return reply.choices[0].message.content or ""

    alone = content([{"role": "user", "content": DEPTH}])
    after = content(
        [
            {"role": "user", "content": ORBIT},
            {"role": "assistant", "content": "An answer about orbit videos."},
            {"role": "user", "content": DEPTH},
        ]
    )
    assert after == alone and _task(after) == "video depth estimation"


def test_a_stream_with_include_usage_ends_with_the_counts(client: openai.OpenAI):
    stream = client.chat.completions.create(
        model="scholarflow",
        messages=[{"role": "user", "content": DEPTH}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert chunks[-1].choices == [] and chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == count_tokens(text)
    assert chunks[-1].usage.prompt_tokens == count_tokens(DEPTH)


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog_path: Path) -> Path:
    """A SCHOLARFLOW_HOME of the test's own, with the embedded catalog copied in."""
    folder = tmp_path / "home"
    folder.mkdir()
    with sqlite3.connect(catalog_path) as source, sqlite3.connect(folder / "catalog.db") as copy:
        source.backup(copy)
    monkeypatch.setenv("SCHOLARFLOW_HOME", str(folder))
    monkeypatch.delenv("SCHOLARFLOW_CONFIG", raising=False)
    return folder


def _ask(*args: str) -> dict[str, object]:
    done = run_cli("ask", *args, "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_ask_c_continues_the_latest_conversation_and_cid_a_named_one(home: Path):
    first = _ask(ORBIT)
    assert first["task"]["id"] == "novel_view_video_from_image"  # type: ignore[index]
    follow = _ask("-c", "and from a video instead?")
    assert follow["task"]["id"] == "video_to_4d"  # type: ignore[index]
    assert follow["conversation_id"] == first["conversation_id"]

    other = _ask(DEPTH)  # a new conversation: the latest from now on
    assert other["conversation_id"] != first["conversation_id"]
    latest = _ask("-c", "and for a single photo?")
    assert latest["task"]["id"] == "monocular_depth_estimation"  # type: ignore[index]
    assert latest["conversation_id"] == other["conversation_id"]
    # --cid goes back to the first one, whose subject the follow-up then keeps.
    named = _ask("--cid", str(first["conversation_id"]), "how does it stay consistent?")
    assert named["task"]["id"] == "video_to_4d"  # type: ignore[index]

    listing = run_cli("logs", "--conversations")
    assert listing.returncode == 0
    lines = listing.stdout.decode().splitlines()
    assert lines[0].startswith(f"{first['conversation_id']}    3 turns")
    assert lines[1].startswith(f"{other['conversation_id']}    2 turns")
    with LLMLog(home / "logs.db") as log:
        turns = log.turns(str(first["conversation_id"]))
    assert [t.question for t in turns] == [ORBIT, "and from a video instead?", named["question"]]
    assert [t.task_id for t in turns] == [
        "novel_view_video_from_image",
        "video_to_4d",
        "video_to_4d",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-c",), "no conversation to continue in "),
        (("--cid", "0badc0de"), "no conversation '0badc0de' in "),
    ],
)
def test_following_up_nothing_is_one_line_and_exit_2(
    home: Path, args: tuple[str, ...], message: str
):
    done = run_cli("ask", *args, "and for a dynamic scene?")
    assert done.returncode == 2
    stderr = done.stderr.decode()
    assert stderr.count("\n") == 1 and message in stderr and "Traceback" not in stderr
    assert done.stdout == b""
    assert not (home / "logs.db").exists()  # an empty log is not created to be found empty
    _ask(ORBIT)  # now there is a log, but not that conversation
    again = run_cli("ask", "--cid", "0badc0de", "and?")
    assert again.returncode == 2 and again.stderr.decode().count("\n") == 1
    assert "Traceback" not in again.stderr.decode()


def test_c_and_cid_together_are_a_usage_error(home: Path):
    done = run_cli("ask", "-c", "--cid", "0badc0de", "and?")
    assert done.returncode == 2 and "not allowed with" in done.stderr.decode()


def test_logs_conversations_on_an_empty_home_says_so(home: Path):
    done = run_cli("logs", "--conversations")
    assert done.returncode == 0 and done.stdout == b"no conversations logged yet\n"
    assert run_cli("logs", "--conversations", "--json").stdout == b"[]\n"
    assert os.listdir(home) == ["catalog.db"]
