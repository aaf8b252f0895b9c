"""`scholarflow batch --dask`: a real Dask `LocalCluster` (two worker processes, one thread
each, each with a nanny that restarts it), against a local run of the same input.

The input mixes prompts, JSON requests, free questions (the catalog, embedding model
included, is opened in each worker) and bad records. The Dask output must equal the local
one byte for byte: straight, with a worker killed mid-run, and resumed after an interrupted
run. Each run is bounded in time from a thread, so a hang fails instead of stalling.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from scholarflow.batch import BatchReport, run_batch
from scholarflow.errors import ConfigurationError, InputError

from conftest import PROMPTS_DIR, run_cli

distributed = pytest.importorskip("distributed")

RUN_SECONDS = 240  # a run of ~400 records takes a few seconds; a busy machine, many more
PROMPTS = [path.read_text(encoding="utf-8") for path in sorted(PROMPTS_DIR.glob("*.txt"))]
QUESTIONS = (
    "How does a phone video become a depth video that does not flicker?",
    "How can one photo become a video orbiting around the object?",
    "a recipe for sourdough bread",
)


def _records() -> Iterator[str]:
    for n in range(400):
        if n % 50 == 7:
            yield json.dumps({"id": n, "question": QUESTIONS[n % len(QUESTIONS)]})
        elif n % 50 == 13:
            yield '{"id": "broken", "prompt": '  # bad JSON: reported on its own line
        elif n % 50 == 21:
            yield json.dumps(
                {
                    "id": n,
                    "question": "How does my clip become a depth video?",
                    "recommended": [
                        {"title": "DepthCrafter", "paper_url": "arxiv.org/abs/2409.02095"}
                    ],
                }
            )
        elif n % 97 == 0:
            yield ""  # a blank line keeps its number
        else:
            yield json.dumps({"id": n, "prompt": PROMPTS[n % len(PROMPTS)]})


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("dask-batch")
    source = folder / "in.jsonl"
    source.write_text("\n".join(_records()) + "\n", encoding="utf-8")
    catalog = folder / "catalog.db"
    local = folder / "local.jsonl"
    # The local run first: it also embeds the catalog, which the workers then only read.
    _within(lambda: run_batch(source, local, workers=1, catalog_path=catalog))
    return {"in": source, "catalog": catalog, "local": local, "folder": folder}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=40,  # the logs of a killed worker are expected here
    ) as local_cluster:
        yield local_cluster


def _within(run: Callable[[], BatchReport], seconds: float = RUN_SECONDS) -> BatchReport:
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=seconds)


def test_the_local_run_is_a_real_mix(work: dict[str, Path]):
    results = [json.loads(line) for line in work["local"].read_bytes().splitlines()]
    assert len(results) == 395  # 400 lines, 5 of them blank
    assert sum(not r["ok"] for r in results) == 8
    free = [r for r in results if r["ok"] and "served" in r["answer"]]
    assert len(free) == 8 and any(r["answer"]["served"] for r in free)


def test_dask_output_equals_the_local_run_byte_for_byte(
    work: dict[str, Path], cluster: Any, tmp_path: Path
):
    out = tmp_path / "dask.jsonl"
    report = _within(
        lambda: run_batch(
            work["in"], out, catalog_path=work["catalog"], dask_address=cluster.scheduler_address
        )
    )
    assert (report.total, report.answered, report.failed) == (395, 387, 8)
    assert out.read_bytes() == work["local"].read_bytes()


def test_a_worker_killed_mid_run_costs_nothing(work: dict[str, Path], cluster: Any, tmp_path: Path):
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = dict(client.run(os.getpid))
    assert len(pids) == 2
    victim = next(iter(pids.values()))
    killed_at: list[int] = []

    def kill_once(done: int, total: int) -> None:
        if not killed_at and done >= 60:
            os.kill(victim, signal.SIGKILL)
            killed_at.append(done)

    out = tmp_path / "dask.jsonl"
    report = _within(
        lambda: run_batch(
            work["in"],
            out,
            catalog_path=work["catalog"],
            dask_address=cluster.scheduler_address,
            on_progress=kill_once,
        )
    )
    assert killed_at and killed_at[0] < report.total, "the worker was not killed mid-run"
    assert report.answered + report.failed == report.total == 395
    assert out.read_bytes() == work["local"].read_bytes()
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=60)  # the nanny restarted it, for the next tests
        assert victim not in dict(client.run(os.getpid)).values()


def test_an_interrupted_dask_run_resumes_to_the_same_output(
    work: dict[str, Path], cluster: Any, tmp_path: Path
):
    out = tmp_path / "dask.jsonl"

    def interrupt(done: int, total: int) -> None:
        if done >= 150:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _within(
            lambda: run_batch(
                work["in"],
                out,
                catalog_path=work["catalog"],
                dask_address=cluster.scheduler_address,
                on_progress=interrupt,
            )
        )
    assert 150 <= len(out.read_bytes().splitlines()) < 395
    # Resumed on the cluster, then checked against the local run.
    report = _within(
        lambda: run_batch(
            work["in"], out, catalog_path=work["catalog"], dask_address=cluster.scheduler_address
        )
    )
    assert report.skipped == 150
    assert out.read_bytes() == work["local"].read_bytes()


def test_a_worker_without_the_catalog_fails_only_free_questions(
    work: dict[str, Path], cluster: Any, tmp_path: Path
):
    missing = tmp_path / "not-here" / "catalog.db"
    out = tmp_path / "dask.jsonl"
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"prompt": PROMPTS[0]}) + "\n" + json.dumps({"question": QUESTIONS[0]}) + "\n",
        encoding="utf-8",
    )
    report = _within(
        lambda: run_batch(source, out, catalog_path=missing, dask_address=cluster.scheduler_address)
    )
    assert (report.answered, report.failed) == (1, 1)
    failed = json.loads(out.read_bytes().splitlines()[1])
    assert failed["exit_code"] == 4
    assert "no catalog at this path on Dask worker" in failed["error"]
    assert not missing.parent.exists()  # nothing created on the worker's side


def test_an_unreachable_scheduler_is_a_configuration_error_and_writes_nothing(
    work: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from scholarflow import dask_batch

    monkeypatch.setattr(dask_batch, "CONNECT_SECONDS", 1.0)
    monkeypatch.setattr(dask_batch.connect, "__defaults__", (1.0,))
    out = tmp_path / "dask.jsonl"
    with pytest.raises(ConfigurationError, match="cannot reach the Dask scheduler"):
        run_batch(work["in"], out, dask_address="tcp://127.0.0.1:1")
    assert not out.exists()
    with pytest.raises(InputError, match="not a Dask scheduler address"):
        run_batch(work["in"], out, dask_address="tcp://no-port")


def test_the_cli_refuses_a_bad_address_and_workers_with_dask(work: dict[str, Path], tmp_path: Path):
    out = tmp_path / "out.jsonl"
    bad = run_cli("batch", str(work["in"]), str(out), "--dask", "tcp://no-port")
    assert bad.returncode == 2
    assert bad.stderr.decode().splitlines() == [
        "scholarflow: error: 'tcp://no-port': not a Dask scheduler address (e.g. "
        "tcp://host:8786): missing port number in address 'no-port'"
    ]
    both = run_cli("batch", str(work["in"]), str(out), "--dask", "tcp://h:1", "--workers", "2")
    assert both.returncode == 2
    assert "--workers and --dask" in both.stderr.decode()
    assert not out.exists()


def test_a_scheduler_without_workers_is_a_configuration_error(
    work: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from scholarflow import dask_batch

    monkeypatch.setattr(dask_batch, "WORKERS_SECONDS", 1.0)
    out = tmp_path / "dask.jsonl"
    with (
        distributed.LocalCluster(n_workers=0, dashboard_address=None) as empty,
        pytest.raises(ConfigurationError, match="has no workers"),
    ):
        run_batch(work["in"], out, dask_address=empty.scheduler_address)
    assert not out.exists()
