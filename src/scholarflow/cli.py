"""The command line. Thin on purpose: read input, call the engine, render, write.

Exit codes: 0 done; 2 bad input; 3 an answer that could not be grounded; 4 configuration or
backend error. Errors are one line on stderr, never a traceback, and nothing half-written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from scholarflow import __version__
from scholarflow.errors import InputError, ScholarflowError

MAX_PROMPT_BYTES = 1024 * 1024
FORMATS = ("markdown", "json", "mermaid")
WRITERS = ("template",)

_DESCRIPTION = """\
scholarflow explains how an AI media result was made: the task you performed, how the
provided models work together as a workflow (input → model → output) and why the result
stays consistent, and the papers and tools behind it. It uses only the sources it is given.
"""

_ANSWER_EPILOG = """\
The prompt format is the one in examples/: a quoted question after "A user has asked the
following question:", a "### Recommended AI Models:" section and a "### Related Papers:"
section of Model/Paper/GitHub/Summary entries ("None" means absent).

exit codes: 0 done, 2 bad input, 3 answer could not be grounded, 4 configuration error

examples:
  scholarflow answer examples/video-depth.txt
  scholarflow answer prompt.txt --format json > answer.json
  cat prompt.txt | scholarflow answer - --format mermaid
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scholarflow",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"scholarflow {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    answer = commands.add_parser(
        "answer",
        help="answer a seed-format prompt from a file or stdin",
        description="Answer a seed-format prompt, using only the models and papers it lists.",
        epilog=_ANSWER_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    answer.add_argument("file", metavar="FILE", help="the prompt file, or - to read stdin")
    answer.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        default="markdown",
        help="markdown (default): the three-part answer; json: the JSON contract "
        "(schema_version 1); mermaid: the workflow as a Mermaid flowchart",
    )
    answer.add_argument(
        "--writer",
        choices=WRITERS,
        default="template",
        help="who words the answer: template (default, offline and deterministic)",
    )
    answer.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH instead of stdout (written whole or not at all)",
    )
    return parser


def read_prompt(name: str) -> tuple[str, str]:
    """The prompt text and a name for it in messages. Raises InputError on unreadable input."""
    if name == "-":
        data = sys.stdin.buffer.read(MAX_PROMPT_BYTES + 1)
        where = "<stdin>"
    else:
        path = Path(name)
        where = name
        if not path.exists():
            raise InputError(f"{where}: no such file")
        if path.is_dir():
            raise InputError(f"{where}: is a directory, not a prompt file")
        size = path.stat().st_size
        if size > MAX_PROMPT_BYTES:
            raise InputError(
                f"{where}: file is {size / 1_000_000:.1f} MB; a prompt may be at most "
                f"{MAX_PROMPT_BYTES // 1024} KB"
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{where}: cannot read: {error.strerror}") from None
    if len(data) > MAX_PROMPT_BYTES:
        raise InputError(f"{where}: input exceeds {MAX_PROMPT_BYTES // 1024} KB")
    if not data.strip():
        raise InputError(f"{where}: is empty; expected a prompt in the seed format")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{where}: is not a text file (binary data at byte {nul})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{where}: is not UTF-8 text (undecodable byte at position {error.start})"
        ) from None
    return text, where


def write_output(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(output)
    if target.exists() and not target.is_file():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming a
        # file over it would replace the device itself.
        if target.is_dir():
            raise InputError(f"{output}: is a directory")
        with target.open("w", encoding="utf-8") as stream:
            stream.write(text)
        return
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(f"{output}: directory {directory} does not exist")
    # Write beside the target, then rename: a reader never sees half an answer.
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _run_answer(args: argparse.Namespace) -> int:
    from scholarflow.engine import answer
    from scholarflow.prompt_format import parse_prompt
    from scholarflow.render import render

    text, where = read_prompt(args.file)
    request = parse_prompt(text, where=where)
    result = answer(request, writer=args.writer)
    write_output(render(result, args.format), args.output)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "answer":
            return _run_answer(args)
        raise AssertionError(f"unhandled command {args.command}")  # argparse forbids this
    except ScholarflowError as error:
        sys.stderr.write(f"scholarflow: error: {error}\n")
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("scholarflow: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`); that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
