"""What the routes compute, with no HTTP in it: the same calls the CLI and `batch` make.

Kept apart from the routes so that the JSON API and the OpenAI endpoint cannot drift: both
answer a prompt and a free question through these functions. Everything here is CPU-bound
pure Python (a few ms per answer), called from FastAPI's worker threads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from scholarflow.batch import MAX_QUESTION_CHARS, free_question, json_request, prompt_request
from scholarflow.engine import answer, ask
from scholarflow.errors import PromptFormatError
from scholarflow.prompt_format import parse_prompt
from scholarflow.render import render
from scholarflow.render.json_format import SCHEMA_VERSION, answer_to_dict, hits_to_list
from scholarflow.retrieval import CatalogCannotServe, Retriever
from scholarflow.server.schemas import AnswerBody

if TYPE_CHECKING:
    from scholarflow.writers import Writer

# Text that was meant as a seed-format prompt: its parse errors are worth reporting, where a
# plain question that merely fails to parse as a prompt is answered from the catalog.
_PROMPT_MARKERS = re.compile(
    r"(?im)asked the following question|^\s*#{0,6}\s*\**\s*recommended\b.*:|^\s*\**model\**\s*:"
)


def answer_body(body: AnswerBody, writer: Writer | str = "template") -> dict[str, Any]:
    """The answer contract (`answer --format json`), plus `text` in any other format."""
    record = body.record()
    request = prompt_request(record) if body.prompt is not None else json_request(record)
    result = answer(request, writer=writer)
    data = answer_to_dict(result)
    if body.format != "json":
        data["text"] = render(result, body.format)
    return data


def ask_catalog(
    question: str, retriever: Retriever, writer: Writer | str = "template"
) -> dict[str, Any]:
    """What `scholarflow ask --format json` prints, as a dict: served or not."""
    question = free_question({"question": question})
    try:
        result, hits = ask(question, retriever, writer=writer)
    except CatalogCannotServe as refusal:
        # Not a failure: the CLI says so and exits 0.
        return {
            "schema_version": SCHEMA_VERSION,
            "served": False,
            "message": str(refusal),
            "sources": hits_to_list(refusal.hits, set()),
        }
    used = {ref.catalog_id for ref in result.references if ref.catalog_id}
    return answer_to_dict(result) | {"served": True, "sources": hits_to_list(hits, used)}


def search_catalog(query: str, limit: int, retriever: Retriever) -> list[dict[str, Any]]:
    """`catalog search --format json`: every hit is a catalog entry, so its links are shown."""
    hits = retriever.search(free_question({"question": query}), limit=limit)
    return hits_to_list(hits, {hit.entry.id for hit in hits})


def chat_markdown(
    text: str,
    retriever_for_questions: Callable[[], Retriever],
    writer: Writer | str = "template",
    on_text: Callable[[str], None] | None = None,
    earlier: Sequence[str] = (),
) -> str:
    """The Markdown answer to one chat message: a prompt from its sources, else a question.

    `retriever_for_questions` is called only for a free question, so chat clients that send
    prompts never open the catalog or load the embedding model. `on_text` receives the
    answer part by part as the screen passes it (engine.answer). `earlier`: the questions of
    the conversation's earlier turns (`earlier_questions`); a free question is read as their
    follow-up (followup.py), a prompt stands on its own sources.
    """
    try:
        request = parse_prompt(text, where="message")
    except PromptFormatError:
        if _PROMPT_MARKERS.search(text):
            raise  # meant as a prompt: say what is wrong with it
        question = free_question({"question": text})
        try:
            result, _ = ask(
                question,
                retriever_for_questions(),
                writer=writer,
                on_text=on_text,
                earlier=earlier,
            )
        except CatalogCannotServe as refusal:
            refused = f"The catalog cannot answer this: {refusal}.\n"
            if on_text is not None:
                on_text(refused)
            return refused
        return result.markdown
    return answer(request, writer=writer, on_text=on_text).markdown


def earlier_questions(texts: Sequence[str]) -> list[str]:
    """The question of each earlier user message: a prompt's quoted question, else the text
    with its whitespace folded. Messages that are neither (empty, a broken prompt) are left
    out: a conversation is not refused for what it said before."""
    questions = []
    for text in texts:
        try:
            questions.append(parse_prompt(text, where="message").question)
            continue
        except PromptFormatError:
            pass
        folded = " ".join(text.split())[:MAX_QUESTION_CHARS]
        if folded and not _PROMPT_MARKERS.search(text):
            questions.append(folded)
    return questions
