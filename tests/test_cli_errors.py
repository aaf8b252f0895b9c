"""Bad input gets one clear line on stderr, exit code 2, no traceback, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROMPTS_DIR, run_cli

GOOD = PROMPTS_DIR / "phone_depth.txt"


def _assert_clean_failure(result, code: int, fragment: str) -> None:
    stderr = result.stderr.decode()
    assert result.returncode == code, stderr
    assert result.stdout == b""
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr  # exactly one line
    assert fragment in stderr, stderr


def test_empty_file(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n")
    _assert_clean_failure(run_cli("answer", str(empty)), 2, "is empty")


def test_binary_file(tmp_path: Path):
    binary = tmp_path / "photo.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    _assert_clean_failure(run_cli("answer", str(binary)), 2, "not a text file")


def test_latin1_file_is_named_as_not_utf8(tmp_path: Path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes(
        GOOD.read_text(encoding="utf-8").replace("→", "->").encode("utf-8") + b"\xe9t\xe9"
    )
    _assert_clean_failure(run_cli("answer", str(latin)), 2, "not UTF-8")


def test_twenty_megabyte_file(tmp_path: Path):
    huge = tmp_path / "huge.txt"
    block = GOOD.read_bytes()
    with huge.open("wb") as handle:
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(block)
    _assert_clean_failure(run_cli("answer", str(huge)), 2, "at most 1024 KB")


def test_twenty_megabytes_on_stdin():
    _assert_clean_failure(run_cli("answer", "-", stdin=b"x" * (20 * 1024 * 1024)), 2, "exceeds")


def test_prompt_without_question(tmp_path: Path):
    text = GOOD.read_text(encoding="utf-8")
    broken = tmp_path / "no-question.txt"
    broken.write_text(text.replace("A user has asked the following question:", "Hello."))
    _assert_clean_failure(run_cli("answer", str(broken)), 2, "no question")


def test_prompt_without_models(tmp_path: Path):
    text = GOOD.read_text(encoding="utf-8")
    broken = tmp_path / "no-models.txt"
    broken.write_text(text.split("### Recommended AI Models:")[0])
    _assert_clean_failure(run_cli("answer", str(broken)), 2, "no recommended model")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd"])
def test_a_link_that_is_not_http_names_its_line(tmp_path: Path, link: str):
    text = GOOD.read_text(encoding="utf-8")
    line = text.splitlines().index("GitHub: https://github.com/Tencent/DepthCrafter") + 1
    bad = tmp_path / "bad-link.txt"
    bad.write_text(text.replace("https://github.com/Tencent/DepthCrafter", link, 1))
    scheme = link.split(":", 1)[0]
    _assert_clean_failure(
        run_cli("answer", str(bad)),
        2,
        f"bad-link.txt:{line}: the GitHub link must start with http:// or https://, "
        f"not '{scheme}:'",
    )


def test_an_arxiv_identifier_in_a_link_field_is_no_link_and_no_error(tmp_path: Path):
    text = GOOD.read_text(encoding="utf-8")
    named = tmp_path / "arxiv-id.txt"
    named.write_text(text.replace("https://arxiv.org/pdf/2409.02095", "arXiv:2409.02095", 1))
    result = run_cli("answer", str(named), "--format", "json")
    assert result.returncode == 0, result.stderr.decode()
    assert b"arXiv:2409.02095" not in result.stdout


def test_missing_file(tmp_path: Path):
    _assert_clean_failure(run_cli("answer", str(tmp_path / "nope.txt")), 2, "no such file")


def test_a_directory(tmp_path: Path):
    _assert_clean_failure(run_cli("answer", str(tmp_path)), 2, "is a directory")


def test_unknown_format_is_a_usage_error():
    _assert_clean_failure(run_cli("answer", str(GOOD), "--format", "pdf"), 2, "invalid choice")


def test_no_command_prints_the_help():
    result = run_cli()
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout.startswith(b"usage: scholarflow") and b"COMMAND" in result.stdout


def test_an_unknown_command_is_a_usage_error():
    _assert_clean_failure(run_cli("anwser"), 2, "invalid choice")


@pytest.mark.parametrize("fmt", ["markdown", "json", "mermaid"])
def test_output_file_is_written_whole(tmp_path: Path, fmt: str):
    target = tmp_path / f"answer.{fmt}"
    result = run_cli("answer", str(GOOD), "--format", fmt, "-o", str(target))
    assert result.returncode == 0 and result.stdout == b""
    assert (
        target.read_text(encoding="utf-8")
        == run_cli("answer", str(GOOD), "--format", fmt).stdout.decode()
    )
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temporary left behind


def test_bad_input_leaves_an_existing_output_untouched(tmp_path: Path):
    target = tmp_path / "answer.md"
    target.write_text("previous answer")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run_cli("answer", str(empty), "-o", str(target))
    assert result.returncode == 2
    assert target.read_text() == "previous answer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answer.md", "empty.txt"]


def test_help_documents_formats_and_exit_codes():
    result = run_cli("answer", "--help")
    text = result.stdout.decode()
    assert result.returncode == 0
    for word in ("markdown", "json", "mermaid", "exit codes", "--output"):
        assert word in text


def test_writing_to_a_device_leaves_the_device_in_place():
    import os
    import stat

    before = os.stat(os.devnull)
    result = run_cli("answer", str(GOOD), "-o", os.devnull)
    assert result.returncode == 0
    after = os.stat(os.devnull)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_writing_to_a_fifo_streams_into_it(tmp_path: Path):
    import os
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("answer", str(GOOD), "-o", str(fifo))
    reader.join(timeout=30)
    assert result.returncode == 0
    assert received and received[0].startswith(b"### 1. The task")
    assert fifo.exists() and not fifo.is_file()


def test_a_prompt_over_the_source_limit_is_refused_naming_the_limit(tmp_path):
    from scholarflow.models import MAX_SOURCES

    entries = "\n".join(
        f"Model: Model{i}: A Depth Paper\nPaper: None\n" for i in range(MAX_SOURCES + 1)
    )
    prompt = tmp_path / "many.txt"
    prompt.write_text(
        'A user has asked the following question:\n"How does my depth video stay steady?"\n\n'
        f"### Recommended AI Models:\n{entries}\n",
        encoding="utf-8",
    )
    result = run_cli("answer", str(prompt))
    assert result.returncode == 2
    line = result.stderr.decode()
    assert line.count("\n") == 1 and f"at most {MAX_SOURCES}" in line and "Traceback" not in line
    assert result.stdout == b""
