"""llm-scholarflow: scholarflow as a model of Simon Willison's `llm` CLI.

    llm -m scholarflow "How do apps turn a phone video into a depth video that doesn't flicker?"
    llm -c "and for a single photo?"          # a follow-up, read with the question before it
    llm -m scholarflow -o catalog team.db "…"  # another catalog file

Why a plugin rather than the OpenAI endpoint: `llm` users get scholarflow with no server to
run. The model calls scholarflow's Python API in the same process (`scholarflow.reply`), so
it is offline and answers exactly as `scholarflow ask` and the chat endpoint do: a seed-format
prompt from its own sources, anything else from the catalog, and a follow-up in the context
of the conversation's earlier prompts, which `llm` keeps in its own log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import llm
from pydantic import Field

MODEL_ID = "scholarflow"


@llm.hookimpl
def register_models(register: Any) -> None:
    register(Scholarflow())


class Scholarflow(llm.Model):
    """Answers how an AI media result was made: the task, the workflow, the papers."""

    model_id = MODEL_ID
    can_stream = False  # the answer is decided whole (a few ms), then printed
    needs_key = None

    class Options(llm.Options):
        catalog: str | None = Field(
            None,
            description="A scholarflow catalog file (default: $SCHOLARFLOW_HOME/catalog.db)",
        )

    def execute(
        self,
        prompt: llm.Prompt,
        stream: bool,
        response: llm.Response,
        conversation: llm.Conversation | None,
    ) -> Iterator[str]:
        import scholarflow
        from scholarflow.errors import ScholarflowError

        text = prompt.prompt
        if not text.strip():
            raise llm.ModelError("scholarflow: the question is empty")
        try:
            yield scholarflow.reply(
                text, earlier=earlier_prompts(prompt, conversation), catalog=prompt.options.catalog
            )
        except ScholarflowError as error:
            # llm prints a ModelError as one "Error: …" line, with no traceback.
            raise llm.ModelError(f"scholarflow: {error}") from None


def earlier_prompts(prompt: llm.Prompt, conversation: llm.Conversation | None) -> list[str]:
    """The user prompts of the conversation before this one, oldest first.

    `prompt.messages` (llm 0.27+) is the whole chain the model is sent, also for a
    conversation `llm -c` read back from its log; older versions hand over the conversation's
    responses instead.
    """
    messages = getattr(prompt, "messages", None)
    if messages:
        users = [
            "".join(getattr(part, "text", "") or "" for part in message.parts)
            for message in messages
            if getattr(message, "role", None) == "user"
        ]
        return users[:-1]
    if conversation is None:
        return []
    return [r.prompt.prompt for r in conversation.responses if r.prompt.prompt]
