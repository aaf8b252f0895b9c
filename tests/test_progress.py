"""The progress bar: drawn by rich with a total, a rate and a time left; silent when unwanted."""

from __future__ import annotations

import io
import re

import pytest

from scholarflow.progress import Progress, eta_text, progress_wanted, rate_text

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class _FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def visible(stream: io.StringIO) -> str:
    return ANSI.sub("", stream.getvalue())


def test_progress_draws_nothing_for_quick_work(monkeypatch):
    monkeypatch.delenv("SCHOLARFLOW_PROGRESS", raising=False)
    stream, clock = _Terminal(), _FakeClock()
    with Progress(10, "importing", stream=stream, clock=clock) as bar:
        clock.now += 0.5
        bar.advance(10)
        assert not bar.drew
    assert stream.getvalue() == ""


def test_progress_draws_nothing_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.delenv("SCHOLARFLOW_PROGRESS", raising=False)
    stream, clock = io.StringIO(), _FakeClock()
    with Progress(10, "importing", stream=stream, clock=clock) as bar:
        clock.now += 5
        bar.advance(10)
        assert not bar.drew
    assert stream.getvalue() == ""


def test_progress_forced_off_draws_nothing_even_on_a_terminal(monkeypatch):
    monkeypatch.setenv("SCHOLARFLOW_PROGRESS", "0")
    stream, clock = _Terminal(), _FakeClock()
    with Progress(10, "importing", stream=stream, clock=clock) as bar:
        clock.now += 5
        bar.advance(5)
    assert stream.getvalue() == ""
    assert progress_wanted(_Terminal()) is False


def test_progress_draws_slow_work_when_forced_with_total_rate_and_eta(monkeypatch):
    monkeypatch.setenv("SCHOLARFLOW_PROGRESS", "1")
    stream, clock = io.StringIO(), _FakeClock()
    with Progress(100, "embedding", stream=stream, clock=clock) as bar:
        clock.now += 2
        bar.report(50, 100)
        assert bar.drew
        text = visible(stream)
    assert "embedding" in text
    assert "50/100" in text and "25/s" in text and "ETA 0:02" in text
    assert visible(stream).endswith("\n")  # the finished bar stays, on its own line


def test_progress_on_a_terminal_draws_slow_work_without_being_forced(monkeypatch):
    monkeypatch.delenv("SCHOLARFLOW_PROGRESS", raising=False)
    stream, clock = _Terminal(), _FakeClock()
    with Progress(None, "reading", stream=stream, clock=clock) as bar:
        clock.now += 3
        bar.report(30, 60)
    text = visible(stream)
    assert "reading" in text and "30/60" in text and "10/s" in text and "ETA 0:03" in text


@pytest.mark.parametrize(
    ("done", "total", "elapsed", "expected"),
    [
        (0, 100, 1.0, "ETA -:--"),
        (50, 100, 2.0, "ETA 0:02"),
        (1, 7201, 1.0, "ETA 2:00:00"),
        (100, 100, 9.0, "ETA 0:00"),
        (5, None, 1.0, ""),
    ],
)
def test_eta_text(done, total, elapsed, expected):
    assert eta_text(done, total, elapsed) == expected


def test_rate_text():
    assert rate_text(30, 2.0) == "15/s"
    assert rate_text(3, 2.0) == "1.5/s"
    assert rate_text(2500, 1.0) == "2,500/s"
