"""`scholarflow serve --workers 2`: two processes behind one port, checked on the wire.

A real `scholarflow serve --workers 2` (uvicorn's supervisor, spawned workers, a scratch
catalog) answers 200 prompts and some free questions from 8 concurrent clients, each answer
compared with the one computed in-process; both workers must have done part of the work.
Then the ways it ends: Ctrl+C to the process group stops every process with exit 0, and a
supervisor killed outright leaves no worker serving the port. Bounds are generous: the
machine is a shared two-core one.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from scholarflow.engine import answer
from scholarflow.prompt_format import parse_prompt
from scholarflow.render.json_format import answer_to_dict

from conftest import PROMPTS_DIR, run_cli
from serve_process import ServeProcess

psutil = pytest.importorskip("psutil")

TOKEN = "workers-test-token"
PROMPTS = {
    path.stem: path.read_text(encoding="utf-8") for path in sorted(PROMPTS_DIR.glob("*.txt"))
}
QUESTIONS = (
    "How does a phone video become a depth video that does not flicker?",
    "How can one photo become a video orbiting around the object?",
)


class WorkersProcess(ServeProcess):
    """`scholarflow serve --workers 2 --port 0` in its own session (a process group of its
    own, as a terminal gives it), with its worker processes at hand."""

    def __init__(self, home: Path) -> None:
        super().__init__(
            home, ["--workers", "2"], {"SCHOLARFLOW_SERVER_TOKEN": TOKEN}, new_session=True
        )
        self.worker_pids: list[int] = []

    def workers(self) -> list[Any]:
        """The worker processes (uvicorn's spawned children; not multiprocessing's helper)."""
        children = psutil.Process(self.process.pid).children()
        workers = [child for child in children if "spawn_main" in " ".join(child.cmdline())]
        self.worker_pids = [worker.pid for worker in workers]
        return workers

    def stop(self) -> None:
        """Kill whatever is left: the group while the supervisor lives, else each worker it
        had (a test that killed the supervisor may leave them, if it failed)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        for pid in self.worker_pids:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[WorkersProcess]:
    process = WorkersProcess(tmp_path)
    try:
        process.wait_for_url(120)
        process.workers()
        yield process
    finally:
        process.stop()


def _gone(pids: list[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(psutil.pid_exists(pid) and _alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_two_workers_answer_200_requests_from_8_clients_correctly(served: WorkersProcess):
    url = served.wait_for_url(120)
    workers = served.workers()
    assert len(workers) == 2, served.lines
    expected = {name: answer_to_dict(answer(parse_prompt(text))) for name, text in PROMPTS.items()}
    names = [list(PROMPTS)[n % len(PROMPTS)] for n in range(200)]
    auth = {"Authorization": f"Bearer {TOKEN}"}
    cpu_before = {worker.pid: sum(worker.cpu_times()[:2]) for worker in workers}

    def post(name: str) -> tuple[str, int, dict[str, Any]]:
        # One connection per request: the kernel hands each new connection to whichever
        # worker accepts first, so both get a share (kept-alive ones would stay put).
        with httpx.Client(base_url=url, timeout=60, headers=auth) as client:
            response = client.post("/api/answer", json={"prompt": PROMPTS[name]})
        return name, response.status_code, response.json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(post, names))
    assert len(replies) == 200
    for name, status, body in replies:
        assert status == 200, body
        assert body == expected[name], name

    # Free questions open the catalog in each worker (one embeds it, the other waits for
    # that and reads the vectors): answered, and the same in both.
    with ThreadPoolExecutor(max_workers=8) as pool:
        asked = list(
            pool.map(
                lambda n: httpx.post(
                    f"{url}/api/ask",
                    json={"question": QUESTIONS[n % 2]},
                    headers=auth,
                    timeout=120,
                ),
                range(16),
            )
        )
    refused = [(reply.status_code, reply.text) for reply in asked if reply.status_code != 200]
    assert not refused, (refused[:2], served.lines[-20:])
    for n, reply in enumerate(asked):
        assert reply.json() == asked[n % 2].json()
        assert reply.json()["served"] is True

    # Both processes did real work: answering 100 prompts costs well over 0.2 s of CPU.
    used = {worker.pid: sum(worker.cpu_times()[:2]) - cpu_before[worker.pid] for worker in workers}
    assert all(seconds > 0.2 for seconds in used.values()), used
    # The token reached every worker: none answers without it.
    with ThreadPoolExecutor(max_workers=4) as pool:
        unauthorised = list(
            pool.map(
                lambda _: httpx.post(f"{url}/api/answer", json={"prompt": PROMPTS[names[0]]}),
                range(8),
            )
        )
    assert {reply.status_code for reply in unauthorised} == {401}


def test_ctrl_c_stops_every_process_with_exit_0(served: WorkersProcess):
    pids = [worker.pid for worker in served.workers()]
    assert len(pids) == 2
    os.killpg(served.process.pid, signal.SIGINT)  # what a terminal's Ctrl+C does
    assert served.process.wait(timeout=30) == 0
    assert _gone(pids, within=10), "a worker outlived Ctrl+C"
    assert served.wait_for_line("Stopping parent process", 5)


def test_a_killed_supervisor_leaves_no_worker_behind(served: WorkersProcess):
    url = served.wait_for_url(120)
    pids = [worker.pid for worker in served.workers()]
    assert len(pids) == 2
    os.kill(served.process.pid, signal.SIGKILL)  # no chance to stop its workers itself
    served.process.wait(timeout=10)
    assert _gone(pids, within=20), "workers kept running without their supervisor"
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/health", timeout=2)


@pytest.mark.parametrize("count", ["0", "-1", str((os.cpu_count() or 1) * 8 + 1)])
def test_a_worker_count_that_makes_no_sense_is_bad_input(count: str):
    result = run_cli("serve", "--port", "0", "--workers", count)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"scholarflow: error: --workers {count}: must be between 1 and ")
    assert "Traceback" not in result.stderr.decode()


def _build_in_a_process(path: str, start: Any) -> tuple[int, int]:
    """In a spawned process: wait for the other, then build the index as a worker does."""
    from scholarflow.catalog.store import SQLiteCatalogStore
    from scholarflow.server.catalog_access import build_dense_index

    with SQLiteCatalogStore(path) as store:
        start.wait(timeout=60)
        index, embedded = build_dense_index(store)
        return embedded, len(index.ids)


def test_of_two_processes_opening_a_new_catalog_only_one_embeds_it(tmp_path: Path):
    import multiprocessing

    from scholarflow.catalog.store import SQLiteCatalogStore

    path = tmp_path / "catalog.db"
    SQLiteCatalogStore(path).close()  # the built-ins, not embedded yet
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        start = manager.Barrier(2)
        with context.Pool(2) as pool:
            results = pool.starmap(_build_in_a_process, [(str(path), start)] * 2, chunksize=1)
    embedded = sorted(count for count, _ in results)
    assert embedded[0] == 0 and embedded[1] > 0, results  # the second found nothing stale
    assert {size for _, size in results} == {embedded[1]}  # and reads the same index
