"""scholarflow: explains how an AI media result was made, from the sources it was given.

The Python API mirrors the CLI::

    import scholarflow
    answer = scholarflow.answer_prompt(open("prompt.txt").read())
    print(answer.markdown)

    # a chat turn, as the OpenAI-compatible endpoint and the `llm` plugin answer one
    print(scholarflow.reply("and from a video instead?",
                            earlier=["One photo became a smooth 360° video. How?"]))
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from scholarflow.models import Answer, Request

__all__ = ["__version__", "answer_prompt", "answer_request", "parse_prompt", "reply"]


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


def reply(
    text: str,
    *,
    earlier: Sequence[str] = (),
    catalog: str | Path | None = None,
    writer: Any = "template",
) -> str:
    """The Markdown answer to one chat message, in-process and offline.

    `text`: a seed-format prompt (answered from its own sources) or a free question (answered
    from the catalog, read as a follow-up of `earlier`, the conversation's earlier user
    messages, oldest first). `catalog`: a catalog file that exists (default: the user's,
    created with the built-in entries on first use). A question the catalog cannot serve gets
    a one-sentence reply saying so. Raises `InputError` (a broken prompt, a missing catalog)
    and `ConfigurationError` (no embedding model), each with a one-line message.
    """
    from scholarflow.catalog.store import SQLiteCatalogStore, default_catalog_path
    from scholarflow.chat import chat_markdown, earlier_questions
    from scholarflow.errors import InputError
    from scholarflow.retrieval import Retriever

    path = Path(catalog) if catalog is not None else default_catalog_path()
    if catalog is not None and not path.is_file():
        raise InputError(f"{path}: no such catalog")
    stores: list[SQLiteCatalogStore] = []

    def retriever() -> Retriever:
        store = SQLiteCatalogStore(path)
        stores.append(store)
        found = Retriever(store)
        found.ensure_embeddings()
        return found

    try:
        return chat_markdown(text, retriever, writer, earlier=earlier_questions(earlier))
    finally:
        for store in stores:
            store.close()
