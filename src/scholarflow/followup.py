"""The follow-up stage: a question asked after others, as a request the pipeline can answer.

    [follow up] → retrieve → understand → plan → evidence → write → verify → render

Why a stage of its own: a follow-up is short and leans on the turn before it ("and for a
dynamic scene?" after "one photo became a smooth 360° video"). Every interface that holds a
conversation (the chat endpoint, `ask -c`, the `llm` plugin) calls this one pure function, so
none of them can read a follow-up differently.

How it is read (`understanding._follow`): what the follow-up says overrides (a thing it names
takes the place of the earlier thing of its kind, a focus it names replaces the earlier one,
a task it names counts in full); what it leaves unsaid is inherited (the earlier things, focus
and subject). Whether it leans at all is measured, not guessed from words like "and" or
"instead": a question that names its own task clearly stands alone, so a new subject is not
dragged back to the old one. The earlier answers are not re-read: an answer's task, things
and sources follow from its question (the engine is deterministic), so the questions carry
the whole context, and text a client edits into an assistant message cannot steer one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scholarflow.understanding import MAX_EARLIER, lean


@dataclass(frozen=True)
class FollowUp:
    """A question and the context it is read in.

    `earlier`: the earlier questions it is understood with, oldest first; () when it stands
    alone (then it is answered exactly as a first question). `search_text`: what retrieval
    reads: the question, after the earlier questions back to the last one that stood alone,
    so that the catalog is searched for the subject the follow-up leans on.
    """

    question: str
    earlier: tuple[str, ...] = ()
    search_text: str = ""
    lean: float = 0.0

    @property
    def leans(self) -> bool:
        return bool(self.earlier)


def follow_up(question: str, earlier: Sequence[str] = ()) -> FollowUp:
    """`question` read in the context of the questions asked before it (oldest first)."""
    context = tuple(q for q in earlier if q.strip())[-MAX_EARLIER:]
    if not context:
        return FollowUp(question=question, search_text=question)
    weight = lean(question)
    if weight == 0.0:
        return FollowUp(question=question, search_text=question)
    # The subject: back to the last earlier question that stood on its own.
    start = 0
    for index in range(len(context) - 1, -1, -1):
        if lean(context[index]) == 0.0:
            start = index
            break
    search = " ".join((*context[start:], question))
    return FollowUp(question=question, earlier=context, search_text=search, lean=weight)
