"""`run_batch`: a JSONL of requests in, one result line per record out, resumable after a kill.

The kill test runs the real thing in a new process and SIGKILLs it mid-run, because that is the
promise: a killed batch, run again, ends with the same bytes as a batch never interrupted.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from scholarflow.batch import BatchReport, run_batch
from scholarflow.catalog.store import SQLiteCatalogStore
from scholarflow.engine import answer, ask
from scholarflow.errors import InputError
from scholarflow.models import Brief, Sections
from scholarflow.prompt_format import parse_prompt
from scholarflow.render.json_format import answer_to_dict, render_ask_json
from scholarflow.retrieval import Retriever

from conftest import PROMPTS_DIR, ROOT

PROMPTS = sorted(PROMPTS_DIR.glob("*.txt"))
DEPTH_PROMPT = (PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8")
FREE_QUESTION = "How do apps turn a phone video into a depth video that doesn't flicker?"
UNSERVED_QUESTION = "a recipe for sourdough bread"
DEPTHCRAFTER = {
    "title": "DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos",
    "paper_url": "https://arxiv.org/pdf/2409.02095",
    "github_url": "github.com/Tencent/DepthCrafter",
}
MAKE_IT_4D = {
    "title": "Make-It-4D: Synthesizing a Consistent Long-Term Dynamic Scene Video from a Single "
    "Image",
    "paper_url": "http://arxiv.org/pdf/2308.10257v1.pdf",
    "summary": "Make-It-4D turns a single picture into a long video of a moving scene.",
}
JSON_REQUEST = {
    "id": "json-1",
    "question": "My phone video became a depth video that never flickers. How?",
    "recommended": [DEPTHCRAFTER],
    "related": [MAKE_IT_4D],
}


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the user's real catalog."""
    monkeypatch.setenv("SCHOLARFLOW_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog holding the built-in entries, embedded once for the whole module."""
    path = tmp_path_factory.mktemp("catalog") / "catalog.db"
    with SQLiteCatalogStore(path) as store:
        Retriever(store).ensure_embeddings()
    return path


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def read_results(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_bytes().split(b"\n") if line]


def mixed_lines() -> list[str]:
    """Every kind of record and every kind of bad one, numbered by physical line."""
    return [
        json.dumps({"id": "p-1", "prompt": DEPTH_PROMPT}),  # 1
        "",  # 2: blank, skipped but counted
        "{not json",  # 3
        json.dumps({"id": "no-question", "note": "forgot it"}),  # 4
        json.dumps({"id": "bad-prompt", "prompt": "tell me about depth"}),  # 5
        json.dumps(JSON_REQUEST),  # 6
        json.dumps({"id": "free-1", "question": FREE_QUESTION}),  # 7
        json.dumps({"question": UNSERVED_QUESTION}),  # 8
        "[1, 2]",  # 9
        json.dumps({"id": 10, "question": "How?", "recommended": [{"paper_url": "x.org"}]}),
        "   ",  # 11: blank
        json.dumps({"question": "q", "recommended": [DEPTHCRAFTER], "prompt": DEPTH_PROMPT}),
    ]


def test_a_mixed_batch_gives_one_result_per_record_in_input_order(
    tmp_path: Path, catalog: Path
) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", mixed_lines())
    report = run_batch(source, tmp_path / "out.jsonl", workers=1, catalog_path=catalog)

    results = read_results(tmp_path / "out.jsonl")
    assert [r["line"] for r in results] == [1, 3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert [r["ok"] for r in results] == [True, False, False, False, True, True, True] + [False] * 3
    assert report == BatchReport(total=10, skipped=0, answered=4, failed=6, seconds=report.seconds)
    by_line = {r["line"]: r for r in results}

    # A prompt answers exactly as `scholarflow answer --format json` would.
    assert by_line[1]["id"] == "p-1"
    assert by_line[1]["answer"] == answer_to_dict(answer(parse_prompt(DEPTH_PROMPT)))

    # Failures: one line each, the id when there was one, the CLI's exit code.
    failures = {n: (r["id"], r["exit_code"], r["error"]) for n, r in by_line.items() if not r["ok"]}
    assert {n: f[:2] for n, f in failures.items()} == {
        3: (None, 2),
        4: ("no-question", 2),
        5: ("bad-prompt", 2),
        9: (None, 2),
        10: (10, 2),
        12: (None, 2),
    }
    assert failures[3][2].startswith("not valid JSON")
    assert 'no "prompt" and no "question"' in failures[4][2]
    assert failures[5][2].startswith("prompt: no question")
    assert failures[9][2] == "expected a JSON object, found a list"
    assert failures[10][2].startswith("recommended[0]: no title")
    assert "not both" in failures[12][2]
    assert all("\n" not in f[2] for f in failures.values())

    # A JSON request: sources s1… with the recommended first, links completed, names derived.
    json_answer = by_line[6]["answer"]
    assert by_line[6]["id"] == "json-1"
    assert [(r["source_id"], r["name"], r["role"]) for r in json_answer["references"]] == [
        ("s1", "DepthCrafter", "recommended"),
        ("s2", "Make-It-4D", "related"),
    ]
    assert "https://github.com/Tencent/DepthCrafter" in json_answer["references"][0]["links"]

    # Free questions: the dict that `ask --format json` prints, served or not.
    with SQLiteCatalogStore(catalog) as store:
        expected = json.loads(render_ask_json(*ask(FREE_QUESTION, Retriever(store))))
    assert by_line[7]["answer"] == expected
    assert by_line[7]["answer"]["served"] is True
    assert by_line[8]["answer"]["served"] is False
    assert by_line[8]["id"] is None


def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path, catalog: Path) -> None:
    prompts = [json.dumps({"id": p.stem, "prompt": p.read_text(encoding="utf-8")}) for p in PROMPTS]
    source = write_jsonl(tmp_path / "in.jsonl", mixed_lines() + prompts * 3)
    one = run_batch(source, tmp_path / "one.jsonl", workers=1, catalog_path=catalog)
    two = run_batch(source, tmp_path / "two.jsonl", workers=2, catalog_path=catalog)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    expected = (4 + 3 * len(PROMPTS), 6)  # the mixed lines' four answers, each prompt thrice
    assert (one.answered, one.failed) == (two.answered, two.failed) == expected


def test_an_answer_that_cannot_be_grounded_fails_its_record_with_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scholarflow import engine
    from scholarflow.errors import GroundingError

    original = engine._final_check

    def final_check(sections: Sections, brief: Brief, screen: object) -> None:
        if "UNGROUNDED" in brief.question:
            raise GroundingError("the answer could not be grounded in the provided sources", [])
        original(sections, brief, screen)

    monkeypatch.setattr(engine, "_final_check", final_check)
    bad = dict(JSON_REQUEST, id="bad", question="UNGROUNDED: how does the depth stay steady?")
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps(bad), json.dumps(JSON_REQUEST)])
    report = run_batch(source, tmp_path / "out.jsonl", workers=1)

    first, second = read_results(tmp_path / "out.jsonl")
    assert (first["id"], first["ok"], first["exit_code"]) == ("bad", False, 3)
    assert first["error"].startswith("the answer could not be grounded")
    assert second["ok"] is True
    assert (report.answered, report.failed) == (1, 1)


def test_a_catalog_that_is_not_a_database_fails_free_questions_only_with_exit_4(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "catalog.db"
    broken.write_text("this is not SQLite\n" * 100, encoding="utf-8")
    source = write_jsonl(
        tmp_path / "in.jsonl",
        [json.dumps({"question": FREE_QUESTION}), json.dumps({"prompt": DEPTH_PROMPT})],
    )
    run_batch(source, tmp_path / "out.jsonl", workers=1, catalog_path=broken)
    free, prompt = read_results(tmp_path / "out.jsonl")
    assert (free["ok"], free["exit_code"]) == (False, 4)
    assert str(broken) in free["error"]
    assert prompt["ok"] is True


def test_progress_counts_skipped_records_and_ends_at_the_total(tmp_path: Path) -> None:
    lines = [json.dumps({"prompt": p.read_text(encoding="utf-8")}) for p in PROMPTS[:4]]
    source = write_jsonl(tmp_path / "in.jsonl", lines)
    out = tmp_path / "out.jsonl"
    run_batch(source, out, workers=1)
    full = out.read_bytes()
    out.write_bytes(full[: nth_line_end(full, 2)])  # as if killed after two

    calls: list[tuple[int, int]] = []
    report = run_batch(source, out, workers=1, on_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(2, 4), (3, 4), (4, 4)]
    assert (report.total, report.skipped, report.answered) == (4, 2, 2)
    assert out.read_bytes() == full


# --------------------------------------------------------------------------- resuming


@pytest.fixture(scope="module")
def prompt_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """200 prompt records and the output of an uninterrupted run over them."""
    folder = tmp_path_factory.mktemp("prompts")
    texts = [p.read_text(encoding="utf-8") for p in PROMPTS]
    lines = [json.dumps({"id": f"r{i}", "prompt": texts[i % len(texts)]}) for i in range(200)]
    source = write_jsonl(folder / "in.jsonl", lines)
    run_batch(source, folder / "expected.jsonl", workers=1)
    return source, (folder / "expected.jsonl").read_bytes()


_RUN_BATCH = (
    "import sys\n"
    "from pathlib import Path\n"
    "from scholarflow.batch import run_batch\n"
    "run_batch(Path(sys.argv[1]), Path(sys.argv[2]), workers=int(sys.argv[3]))\n"
)


def start_batch(source: Path, out: Path, workers: int, home: Path) -> subprocess.Popen[bytes]:
    """The batch as the CLI will run it, in its own session so that a kill reaches its
    workers too, as it does when a terminal or a job scheduler kills the job."""
    return subprocess.Popen(
        [sys.executable, "-c", _RUN_BATCH, str(source), str(out), str(workers)],
        cwd=ROOT,
        env=dict(os.environ, SCHOLARFLOW_HOME=str(home)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_size(path: Path, size: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and path.stat().st_size >= size:
            return
        time.sleep(0.002)
    pytest.fail(f"the batch ended or stalled before writing {size} bytes")


def test_a_batch_killed_mid_run_resumes_to_the_same_bytes(
    tmp_path: Path, prompt_batch: tuple[Path, bytes]
) -> None:
    source, expected = prompt_batch
    out = tmp_path / "out.jsonl"
    process = start_batch(source, out, workers=2, home=tmp_path / "home")
    try:
        wait_for_size(out, len(expected) // 10, process)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    interrupted = out.read_bytes()
    assert 0 < len(interrupted) < len(expected)
    assert expected.startswith(interrupted[: interrupted.rfind(b"\n") + 1])

    resumed = start_batch(source, out, workers=2, home=tmp_path / "home")
    assert resumed.wait(timeout=120) == 0
    assert out.read_bytes() == expected


def test_a_partial_last_line_is_dropped_and_answered_again(
    tmp_path: Path, prompt_batch: tuple[Path, bytes]
) -> None:
    source, expected = prompt_batch
    out = tmp_path / "out.jsonl"
    cut = nth_line_end(expected, 5) + 1000  # five whole lines and a piece of the sixth
    out.write_bytes(expected[:cut])

    report = run_batch(source, out, workers=1)
    assert (report.skipped, report.answered) == (5, 195)
    assert out.read_bytes() == expected


def test_a_last_line_that_is_not_json_is_dropped_and_answered_again(
    tmp_path: Path, prompt_batch: tuple[Path, bytes]
) -> None:
    source, expected = prompt_batch
    out = tmp_path / "out.jsonl"
    out.write_bytes(expected[: nth_line_end(expected, 3)] + b'{"line":4,"id":"r3","ok":tr\n')
    report = run_batch(source, out, workers=1)
    assert report.skipped == 3
    assert out.read_bytes() == expected


def test_a_finished_output_is_left_alone(tmp_path: Path, prompt_batch: tuple[Path, bytes]) -> None:
    source, expected = prompt_batch
    out = tmp_path / "out.jsonl"
    out.write_bytes(expected)
    report = run_batch(source, out, workers=2)
    assert (report.total, report.skipped, report.answered, report.failed) == (200, 200, 0, 0)
    assert out.read_bytes() == expected


def nth_line_end(data: bytes, n: int) -> int:
    """The offset just past the n-th newline."""
    offset = 0
    for _ in range(n):
        offset = data.index(b"\n", offset) + 1
    return offset


# --------------------------------------------------------------------------- file errors


@pytest.fixture()
def small_input(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "in.jsonl", [json.dumps({"prompt": DEPTH_PROMPT})] * 2)


def test_a_missing_input_is_an_input_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(InputError, match=f"{re.escape(str(missing))}: no such file"):
        run_batch(missing, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_an_output_in_a_missing_directory_is_an_input_error(
    tmp_path: Path, small_input: Path
) -> None:
    out = tmp_path / "missing" / "out.jsonl"
    with pytest.raises(InputError, match=rf"{re.escape(str(out))}: directory .* does not exist"):
        run_batch(small_input, out)


@pytest.mark.parametrize(
    "content",
    [b"# my notes\n", b"not a result", b'{"line":1,"id":null,"ok":true}\nhello\n'],
    ids=["text-file", "no-newline", "foreign-line"],
)
def test_an_output_batch_did_not_write_is_refused_and_left_as_it_was(
    tmp_path: Path, small_input: Path, content: bytes
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(content)
    with pytest.raises(InputError, match=rf"{re.escape(str(out))}: line \d is not a batch result"):
        run_batch(small_input, out)
    assert out.read_bytes() == content


def test_an_output_written_for_another_input_is_refused(tmp_path: Path, small_input: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b'{"line":7,"id":null,"ok":true,"answer":{}}\n')
    with pytest.raises(InputError, match=r"answers line 7, but the next record .* is line 1"):
        run_batch(small_input, out)


def test_blank_lines_crlf_and_a_bom_keep_physical_line_numbers(tmp_path: Path) -> None:
    record = json.dumps({"id": "x", "prompt": DEPTH_PROMPT}).encode()
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\xef\xbb\xbf" + record + b"\r\n\r\n\n" + record + b"\r\n")
    run_batch(source, tmp_path / "out.jsonl", workers=1)
    assert [(r["line"], r["ok"]) for r in read_results(tmp_path / "out.jsonl")] == [
        (1, True),
        (4, True),
    ]


def test_a_second_run_on_the_same_output_is_refused_while_one_writes(
    tmp_path: Path, small_input: Path
) -> None:
    fcntl = pytest.importorskip("fcntl")
    out = tmp_path / "out.jsonl"
    with out.open("ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a running batch does
        with pytest.raises(InputError, match="another batch run is writing to it"):
            run_batch(small_input, out, workers=1)
    assert run_batch(small_input, out, workers=1).answered == 2


def test_the_batch_command_runs_from_the_cli(tmp_path: Path) -> None:
    import subprocess
    import sys

    prompt = (Path(__file__).parent / "prompts" / "phone_depth.txt").read_text(encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "prompt": prompt}) + "\n{broken\n", encoding="utf-8")
    target = tmp_path / "out.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "batch", str(source), str(target), "-w", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr  # every result written, one record failed
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["ok"]) for r in lines] == [(1, True), (2, False)]
    assert "1 answered, 1 failed" in done.stderr
    again = subprocess.run(
        [sys.executable, "-m", "scholarflow.cli", "batch", str(source), str(target), "-w", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "2 already done" in again.stderr
    assert again.returncode == 0  # nothing of this run failed
