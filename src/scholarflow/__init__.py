"""scholarflow: explains how an AI media result was made, from the sources it was given.

The Python API mirrors the CLI::

    import scholarflow
    answer = scholarflow.answer_prompt(open("prompt.txt").read())
    print(answer.markdown)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from scholarflow.models import Answer, Request

__all__ = ["__version__", "answer_prompt", "answer_request", "parse_prompt"]


def parse_prompt(text: str, *, where: str = "<prompt>") -> Request:
    from scholarflow.prompt_format import parse_prompt as _parse

    return _parse(text, where=where)


def answer_prompt(text: str, **options: Any) -> Answer:
    """Parse a seed-format prompt and answer it (see `scholarflow.engine.answer`)."""
    from scholarflow.engine import answer

    return answer(parse_prompt(text), **options)


def answer_request(request: Request, **options: Any) -> Answer:
    from scholarflow.engine import answer

    return answer(request, **options)
