"""A chat turn: the Markdown answer to one message of a conversation.

Why a module of its own: the OpenAI-compatible endpoint (server/openai_api.py), the `llm`
plugin (plugins/llm-scholarflow) and `scholarflow.reply` answer chat messages the same way:
a seed-format prompt from its own sources, anything else as a free question from the catalog,
read as a follow-up of the earlier messages' questions (followup.py). Nothing here imports the
web server, so the plugin stays quick to start.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from scholarflow.batch import MAX_QUESTION_CHARS, free_question
from scholarflow.engine import answer, ask
from scholarflow.errors import PromptFormatError
from scholarflow.prompt_format import parse_prompt
from scholarflow.retrieval import CatalogCannotServe

if TYPE_CHECKING:
    from scholarflow.retrieval import Retriever
    from scholarflow.writers import Writer

# Text that was meant as a seed-format prompt: its parse errors are worth reporting, where a
# plain question that merely fails to parse as a prompt is answered from the catalog.
_PROMPT_MARKERS = re.compile(
    r"(?im)asked the following question|^\s*#{0,6}\s*\**\s*recommended\b.*:|^\s*\**model\**\s*:"
)


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
