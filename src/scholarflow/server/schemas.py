"""Request bodies, as Pydantic models: they validate the JSON and document it in /docs.

Why the answer body is one model with a validator rather than a union of two: a union makes
Pydantic report every branch's errors ("prompt: field required; question: field required;
…"), which names fields the caller never meant to send. One model names the field that is
actually missing. The records are then handed to `scholarflow.batch`'s helpers, so a source
given here is read exactly as `scholarflow batch` reads it (links get a scheme, names are
derived from titles, the same one-line errors).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scholarflow.render import ACCEPTED, FORMATS

_FORMAT_DESCRIPTION = (
    "'json': the answer contract only. Any other format of `scholarflow answer --format`: "
    "the contract plus `text`, the answer rendered in that format, byte for byte what the "
    "command prints ('markdown', 'mermaid'; 'comfyui': a workflow file ComfyUI opens; "
    "'graph', or its old name 'workflow': scholarflow's typed graph)."
)


def _known_format(value: str) -> str:
    # Read from the renderers, so a format added there is served here without a change.
    if value not in ACCEPTED:
        raise ValueError(f"unknown format {value!r}: choose one of {', '.join(FORMATS)}")
    return value


class SourceIn(BaseModel):
    """A model or paper the answer may rely on: the only things it may name or link."""

    # Unknown fields are ignored, as `catalog import` ignores them, so a catalog export
    # (which also has tags, tasks, kind…) can be pasted in as a source.
    model_config = ConfigDict(extra="ignore")

    title: str = Field(
        min_length=1,
        description="The full title of the paper or model; the only required field.",
        examples=["DepthCrafter: Generating Consistent Long Depth Sequences for Open-world Videos"],
    )
    name: str | None = Field(
        None,
        description="The short name the answer uses (e.g. 'DepthCrafter'); derived from the "
        "title when absent.",
    )
    paper_url: str | None = Field(
        None, description="Link to the paper (arXiv or PDF). The answer cites only given links."
    )
    github_url: str | None = Field(None, description="Link to the code repository.")
    project_url: str | None = Field(None, description="Link to the project page.")
    summary: str | None = Field(
        None,
        description="The abstract or a summary. The workflow's mechanism is explained from "
        "these sentences only; without one, the answer relies on the title.",
    )


class AnswerBody(BaseModel):
    """Either a seed-format `prompt`, or a `question` with its `recommended` sources."""

    # A misspelt field ("promt", "fromat") is an error naming it, not silently ignored.
    model_config = ConfigDict(extra="forbid")

    prompt: str | None = Field(
        None,
        description="A whole prompt in the seed format (see README: 'A user has asked the "
        "following question:', '### Recommended AI Models:', '### Related Papers:').",
    )
    question: str | None = Field(
        None, description="The user's question, when the sources are given as JSON."
    )
    recommended: list[SourceIn] | None = Field(
        None, description="The recommended model(s): at least one, required with `question`."
    )
    related: list[SourceIn] = Field(
        default_factory=list, description="Related papers and tools, optional."
    )
    format: str = Field(
        "json",
        description=_FORMAT_DESCRIPTION,
        json_schema_extra={"enum": list(ACCEPTED)},
    )

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        return _known_format(value)

    @model_validator(mode="after")
    def _one_kind_of_request(self) -> AnswerBody:
        given_sources = self.question is not None or self.recommended is not None
        if self.prompt is not None and (given_sources or self.related):
            raise ValueError('send either "prompt" or "question" with "recommended", not both')
        if self.prompt is None:
            if self.question is None:
                raise ValueError('"prompt" or "question" is required')
            if self.recommended is None:
                raise ValueError('"recommended" is required with "question" (a list of sources)')
        return self

    def record(self) -> dict[str, Any]:
        """The request as a `scholarflow batch` record, for its request builders."""
        if self.prompt is not None:
            return {"prompt": self.prompt}
        return {
            "question": self.question,
            "recommended": [s.model_dump(exclude_none=True) for s in self.recommended or []],
            "related": [s.model_dump(exclude_none=True) for s in self.related],
        }


class AskBody(BaseModel):
    """A free question, answered from the catalog as `scholarflow ask --format json` does."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(
        min_length=1,
        description="A plain question (at most 4000 characters), e.g. 'How do apps turn a "
        "phone video into a depth video that doesn't flicker?'",
    )
    format: str = Field(
        "json",
        description=_FORMAT_DESCRIPTION.replace("answer --format", "ask --format")
        + " Only a served answer has `text`.",
        json_schema_extra={"enum": list(ACCEPTED)},
    )

    @field_validator("format")
    @classmethod
    def _known_format(cls, value: str) -> str:
        return _known_format(value)


# --------------------------------------------------------------------------- OpenAI


class ContentPart(BaseModel):
    """One part of a multi-part message; only `text` parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="'text' parts are read; images and others are ignored.")
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: str = Field(description="'user', 'system', 'assistant'…; only user messages are read.")
    content: str | list[ContentPart] | None = Field(
        None, description="A string, or a list of content parts."
    )

    def text(self) -> str:
        if isinstance(self.content, list):
            return "\n".join(part.text or "" for part in self.content if part.type == "text")
        return self.content or ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")

    include_usage: bool = Field(False, description="Send a last chunk with `usage`.")


class ChatCompletionBody(BaseModel):
    """OpenAI's chat-completions request. Sampling options (temperature, max_tokens…) are
    accepted and ignored: the answer is deterministic."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(description="'scholarflow', the one model /v1/models lists.")
    messages: list[ChatMessage] = Field(
        min_length=1,
        description="The conversation. The last user message is the request: a seed-format "
        "prompt is answered from its sources, anything else as a free question from the "
        "catalog. A free question is read as a follow-up of the earlier user messages (their "
        "questions): what it names overrides, what it leaves unsaid is inherited. Assistant "
        "messages are not read: an earlier answer follows from its question.",
    )
    stream: bool = Field(False, description="Send the answer as server-sent events.")
    stream_options: StreamOptions | None = Field(
        None, description="With `include_usage`, a last chunk carries `usage`, as OpenAI's does."
    )
