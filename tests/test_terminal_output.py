"""The answer on a terminal (rich, one workflow step per line, nothing wider than the terminal)
and in a pipe (plain Markdown, unchanged)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest

import scholarflow
from scholarflow.render.terminal import diagram_steps, render_terminal

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "orbit-from-one-photo.txt"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# A colour: 30-37, 90-97 (foreground), 40-47 (background), 38;…/48;… (extended).
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7])(?:;[0-9;]*)?m")


def _visible(text: str) -> list[str]:
    return ANSI.sub("", text).splitlines()


@pytest.fixture(scope="module")
def markdown() -> str:
    return scholarflow.answer_prompt(EXAMPLE.read_text(encoding="utf-8")).markdown


def _diagram(markdown: str) -> str:
    match = re.search(r"```text\n(.*?)\n```", markdown, re.S)
    assert match, "the answer has its text diagram"
    return match.group(1)


def test_the_piped_answer_has_a_long_diagram_line(markdown: str) -> None:
    # What the terminal rendering is for: the plain diagram's main line is very long.
    assert max(len(line) for line in _diagram(markdown).splitlines()) > 200


@pytest.mark.parametrize("width", [40, 72, 100])
def test_no_line_is_wider_than_the_terminal(markdown: str, width: int) -> None:
    lines = _visible(render_terminal(markdown, width=width, color=True))
    assert max(len(line) for line in lines) <= width


def test_one_workflow_step_per_line(markdown: str) -> None:
    main = _diagram(markdown).splitlines()[0]
    steps = re.split(r" ──.+?──► ", main)
    assert len(steps) >= 4
    lines = [line.strip() for line in _visible(render_terminal(markdown, width=100))]
    assert steps[0] in lines  # the chain's first node on a line of its own
    arrows = [line for line in lines if line.startswith("──") and "──►" in line]
    for step in steps[1:]:
        assert any(line.endswith(step) for line in arrows), step
    assert all(line.count("──►") == 1 for line in arrows)


def test_a_step_wider_than_the_terminal_wraps_under_itself() -> None:
    chain = "Your clip ──video clip──► " + "a very long step name " * 4 + "[1]"
    lines = diagram_steps(chain, 30).splitlines()
    assert lines[0] == "Your clip"
    assert lines[1].startswith("  ──video clip──►")
    assert all(line.startswith("      ") for line in lines[2:]) and len(lines) > 2
    assert max(len(line) for line in lines) <= 30


def test_no_color_keeps_emphasis_without_colour(markdown: str) -> None:
    coloured = render_terminal(markdown, width=80, color=True)
    plain = render_terminal(markdown, width=80, color=False)
    assert COLOUR.search(coloured)
    assert not COLOUR.search(plain)
    assert "\x1b[1m" in plain  # bold stays
    assert _visible(coloured) == _visible(plain)


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "scholarflow.cli", *args]


def _environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"NO_COLOR", "COLUMNS", "LINES"}}
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


def test_piped_output_is_the_plain_markdown(markdown: str) -> None:
    done = subprocess.run(
        _cli("answer", str(EXAMPLE)),
        capture_output=True,
        text=True,
        env=_environment(),
        timeout=120,
        check=True,
    )
    assert done.stdout == markdown
    assert "\x1b[" not in done.stdout


def _on_a_terminal(args: list[str], columns: int, **extra: str) -> str:
    """The command's stdout when stdout is a terminal `columns` wide (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    env = _environment(COLUMNS=str(columns), LINES="40", TERM="xterm-256color", **extra)
    process = subprocess.Popen(
        args, stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 120)
        if not ready:
            process.kill()
            pytest.fail("the command did not finish")
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other end closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_on_a_terminal_the_answer_is_drawn_to_its_width() -> None:
    out = _on_a_terminal(_cli("answer", str(EXAMPLE)), 72)
    lines = _visible(out)
    assert max(len(line) for line in lines) <= 72
    assert COLOUR.search(out)
    assert "### " not in out  # headings drawn, not written
    assert any(line.strip().startswith("──video clip──►") for line in lines)


@pytest.mark.parametrize(("flag", "env"), [("--no-color", {}), (None, {"NO_COLOR": "1"})])
def test_no_color_on_a_terminal(flag: str | None, env: dict[str, str]) -> None:
    args = ["answer", str(EXAMPLE)] + ([flag] if flag else [])
    out = _on_a_terminal(_cli(*args), 80, **env)
    assert "\x1b[1m" in out
    assert not COLOUR.search(out)
