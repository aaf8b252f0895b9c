"""The data model: every stage of the pipeline speaks in these types, and only these.

Kept in one module so that a reader can see the whole vocabulary of scholarflow at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

# The closed vocabulary of modalities lives in taxonomy/modalities.toml; here it is a plain
# string so that adding a modality is a data change, validated when the taxonomy loads.
Modality = str

SourceKind = Literal["model", "paper"]
SourceRole = Literal["recommended", "related"]
RequestOrigin = Literal["prompt", "free", "json"]
NodeKind = Literal["input", "model", "operation", "output"]


class _Frozen(BaseModel):
    # cached_property keeps derived look-up tables (pydantic ignores such attributes).
    model_config = ConfigDict(frozen=True, extra="forbid", ignored_types=(cached_property,))


class Port(_Frozen):
    """One input or output of a step: a modality, and the part it plays.

    The role keeps a step wired the way an engineer would wire it: a composite takes its
    *subject* from the user's footage and its *background* from a generator, never the other
    way round (taxonomy/roles.toml says which producers each role accepts). An optional input
    is fed when something fits it (the user's prompt, say) and left out otherwise.
    """

    modality: Modality
    role: str = ""
    optional: bool = False
    alternatives: tuple[Modality, ...] = ()  # other modalities the port also takes

    @property
    def modalities(self) -> tuple[Modality, ...]:
        return (self.modality, *self.alternatives)

    def spec(self) -> str:
        """The port as written in the data files: "mask_video|matte_video:matte?"."""
        text = "|".join(self.modalities)
        return f"{text}{':' + self.role if self.role else ''}{'?' if self.optional else ''}"


def parse_port(spec: str) -> Port:
    """ "video", "video:subject", "text?", "mask_video|matte_video:matte" → a `Port`."""
    text = spec.strip()
    optional = text.endswith("?")
    text = text.removesuffix("?")
    names, _, role = text.partition(":")
    modalities = tuple(name.strip() for name in names.split("|") if name.strip())
    if not modalities:
        raise ValueError(f"a port needs a modality: {spec!r}")
    return Port(
        modality=modalities[0], role=role.strip(), optional=optional, alternatives=modalities[1:]
    )


class Signature(_Frozen):
    """What a source consumes and what it produces: modalities, and ports with roles."""

    inputs: tuple[Modality, ...]
    outputs: tuple[Modality, ...]
    note: str = ""  # when the signature is a variant ("with a depth map supplied"), says which
    input_ports: tuple[Port, ...] = ()  # the inputs with their roles; empty: plain ports
    output_ports: tuple[Port, ...] = ()

    @classmethod
    def of(cls, inputs: Sequence[str], outputs: Sequence[str], note: str = "") -> Signature:
        """A signature from port specs as the data files write them ("video:subject")."""
        ins = tuple(parse_port(spec) for spec in inputs)
        outs = tuple(parse_port(spec) for spec in outputs)
        return cls(
            inputs=tuple(p.modality for p in ins),
            outputs=tuple(p.modality for p in outs),
            note=note,
            input_ports=ins,
            output_ports=outs,
        )

    @model_validator(mode="before")
    @classmethod
    def _from_specs(cls, data: object) -> object:
        """Accept the compact form the data files and catalogs store: port specs as strings
        ("depth_video:depth", "text?")."""
        if not isinstance(data, dict) or "input_ports" in data or "output_ports" in data:
            return data
        ins, outs = tuple(data.get("inputs", ())), tuple(data.get("outputs", ()))
        if not all(isinstance(x, str) for x in (*ins, *outs)):
            return data
        ports_in = tuple(parse_port(x) for x in ins)
        ports_out = tuple(parse_port(x) for x in outs)
        return {
            **data,
            "inputs": tuple(p.modality for p in ports_in),
            "outputs": tuple(p.modality for p in ports_out),
            "input_ports": ports_in,
            "output_ports": ports_out,
        }

    @model_serializer
    def _to_specs(self) -> dict[str, object]:
        """Stored and shown in the compact form: one spec string per port."""
        return {
            "inputs": [p.spec() for p in self.ports_in()],
            "outputs": [p.spec() for p in self.ports_out()],
            "note": self.note,
        }

    def ports_in(self) -> tuple[Port, ...]:
        return self.input_ports or tuple(Port(modality=m) for m in self.inputs)

    def ports_out(self) -> tuple[Port, ...]:
        return self.output_ports or tuple(Port(modality=m) for m in self.outputs)

    @property
    def required_inputs(self) -> tuple[Modality, ...]:
        return tuple(p.modality for p in self.ports_in() if not p.optional)

    def arrow(self) -> str:
        return f"{' + '.join(self.inputs)} → {' + '.join(self.outputs)}"


class Provenance(_Frozen):
    origin: str  # "prompt", "catalog:builtin", a file path…
    line: int | None = None


class _Described(_Frozen):
    """What a source and a catalog entry both are: a named model or paper with its links."""

    id: str
    name: str
    title: str
    kind: SourceKind = "paper"
    paper_url: str | None = None
    github_url: str | None = None
    project_url: str | None = None
    summary: str | None = None
    tasks: tuple[str, ...] = ()
    signatures: tuple[Signature, ...] = ()

    @property
    def signature(self) -> Signature | None:
        return self.signatures[0] if self.signatures else None

    def links(self) -> list[str]:
        return [u for u in (self.paper_url, self.github_url, self.project_url) if u]


class Source(_Described):
    """A model or paper the answer may rely on: the only things it may name or link."""

    role: SourceRole = "related"
    provenance: Provenance = Provenance(origin="prompt")
    # Facts from the built-in catalog entry that matched this source (never its links).
    catalog_summary: str | None = None
    catalog_id: str | None = None
    # The tasks a source read from a bare title could be serving (signatures.adopt_task);
    # working state of one request, never stored or shown.
    plausible: tuple[str, ...] = Field(default=(), exclude=True)
    guessed: bool = Field(default=False, exclude=True)  # `plausible` read from meaning alone
    # Further readings of a bare title, kept for one use: a step that makes what another
    # recommended model needs (signatures.adopt_feeder).
    near: tuple[str, ...] = Field(default=(), exclude=True)
    # A recommended model whose name, title and summary say nothing readable of what it does,
    # placed for the job it was recommended for (signatures.adopt_unread): the answer says so.
    read_from_request: bool = Field(default=False, exclude=True)
    # A title naming a job outside the taxonomy (lexicon/other_jobs.toml, "… Optical Flow"):
    # that job's id. Its signatures say what it takes and makes; it does none of the tasks,
    # even where what it makes has the kind the user wants (an OCR system's text is no
    # caption). "beyond_media" (signatures.NO_MEDIA_JOB) where no title names the job but the
    # source's own summary names nothing of pictures, clips, sound or 3D at all.
    other_job: str = Field(default="", exclude=True)


class CatalogEntry(_Described):
    """A model or paper in the catalog. Becomes a `Source` when a request cites it."""

    tags: tuple[str, ...] = ()
    arxiv_id: str | None = None
    provenance: Provenance = Provenance(origin="catalog:builtin")
    imported_at: str | None = None  # ISO 8601, UTC
    builtin: bool = False

    def to_source(self, source_id: str, role: SourceRole) -> Source:
        return Source(
            id=source_id,
            name=self.name,
            title=self.title,
            kind="model" if role == "recommended" else self.kind,
            paper_url=self.paper_url,
            github_url=self.github_url,
            project_url=self.project_url,
            summary=self.summary,
            tasks=self.tasks,
            signatures=self.signatures,
            role=role,
            provenance=self.provenance,
            catalog_id=self.id,
        )


class CatalogHit(_Frozen):
    """One catalog entry found for a question, with how each ranking placed it."""

    entry: CatalogEntry
    score: float  # fused: reciprocal-rank fusion plus the task bonus
    bm25_rank: int | None = None  # 1-based; None when full-text search did not find it
    dense_rank: int | None = None
    similarity: float | None = None  # cosine of question and entry embeddings
    serves_task: bool = False


# At most this many sources (recommended and related together) are read from one request: an
# answer with more references than a reader can follow helps no one, and every stage's work
# grows with it. A request over the limit is refused, saying so (exit 2, HTTP 400).
MAX_SOURCES = 64


class Request(_Frozen):
    question: str
    recommended: tuple[Source, ...]
    related: tuple[Source, ...] = ()
    origin: RequestOrigin = "prompt"
    # The questions asked before this one in the same conversation, oldest first: a follow-up
    # ("and for a dynamic scene?") is understood in their context (understanding._follow).
    earlier: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        return self.recommended + self.related


class Task(_Frozen):
    id: str
    name: str
    description: str
    inputs: tuple[Modality, ...]
    outputs: tuple[Modality, ...]
    cues: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    family: str = ""  # tasks of one family do the same core job
    goal: str = ""  # completes "it does not <goal> by itself"
    result: str = ""  # what the finished output is called ("video of new views")
    hf_pipeline_tag: str | None = None
    signature: Signature | None = None  # its ports with roles; inputs holds the required ones
    done_by: tuple[str, ...] = ()  # generic operations that do its job themselves
    animates: bool = False  # its result moves where the still it starts from does not
    finishing: bool = False  # it only betters what another job made (an upscale, more frames)
    # its still is of someone (a person, an animal, a drawn character) whom it moves: a photo
    # of a place is no still for it (a street photo given beside a clip is a background)
    animates_someone: bool = False
    # what can tell its model which subject to work on (a mask of it in one frame), where
    # another recommended model makes that (signatures.adopt_guide)
    guided_by: tuple[Modality, ...] = ()


class Understanding(_Frozen):
    """What the *user* is doing, which may differ from what the recommended model does."""

    task: Task
    confidence: float = Field(ge=0.0, le=1.0)
    have: tuple[Modality, ...]
    want: tuple[Modality, ...]
    focus: tuple[str, ...]
    matched_cues: tuple[str, ...] = ()
    language: str = "en"  # the question's: the answer's own words are written in it
    # What the user's material shows, as far as a model's stated scope cares (scope.py):
    # "animal", "whole_body", "face", "person".
    subjects: tuple[str, ...] = ()
    # What anyone could supply (a prompt) that the user says a model made on the way ("one
    # model watched it and wrote a description"): not theirs, so a step must make it.
    made_on_the_way: tuple[Modality, ...] = Field(default=(), exclude=True)
    # What the user tells was made in a step before the result ("it first worked out the
    # depth of the photo, then made a video …"): what the later step went on from.
    told_steps: tuple[Modality, ...] = Field(default=(), exclude=True)
    # How sure the reading is of the task's family (image-to-4D or camera-controlled
    # image-to-video: new views of a photo either way), where the task itself is a near tie:
    # enough to search a catalog by, not to name the task.
    family_confidence: float = Field(default=0.0, ge=0.0, le=1.0, exclude=True)
    # The task the question alone read as, where the reading was taken instead among what the
    # recommended models do (none of them fitting the question's own reading): said so.
    question_reads_as: Task | None = Field(default=None, exclude=True)


class Node(_Frozen):
    id: str
    kind: NodeKind
    label: str
    modality: Modality | None = None
    source_id: str | None = None
    operation: str | None = None  # the generic operation id, for kind == "operation"
    optional: bool = False  # on a side branch ("going further"), not the main path


class Edge(_Frozen):
    source: str
    target: str
    modality: Modality
    role: str = ""  # the part the data plays for the target ("matte", "background"…)


class Workflow(_Frozen):
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    def node(self, node_id: str) -> Node:
        return self._by_id[node_id]

    @cached_property
    def _by_id(self) -> dict[str, Node]:
        # Looked up once per edge by the renderers: a dict keeps that linear in the graph.
        return {node.id: node for node in self.nodes}


class Warning(_Frozen):
    code: str
    message: str
    source_id: str | None = None


class Evidence(_Frozen):
    """A sentence of a source that explains the mechanism, with where it came from exactly."""

    source_id: str
    text: str
    span: tuple[int, int]
    field: Literal["summary", "catalog", "title"] = "summary"
    score: float = 0.0
    on_focus: bool = False


class Step(_Frozen):
    """One node of the workflow as the writer sees it, with what it needs to explain it."""

    node_id: str
    kind: NodeKind
    label: str
    source_id: str | None = None
    operation: str | None = None
    inputs: tuple[Modality, ...] = ()
    outputs: tuple[Modality, ...] = ()
    description: str = ""
    optional: bool = False
    covered: bool = True  # False: a generic model step that no provided source performs


class Plan(_Frozen):
    """Everything the writer may say: the understanding, the workflow, its findings."""

    understanding: Understanding
    workflow: Workflow
    steps: tuple[Step, ...]
    warnings: tuple[Warning, ...]
    background: tuple[str, ...]  # source ids that stay references, described as background
    recommended_fits: bool
    branched: tuple[str, ...] = ()  # related source ids that joined as optional branches


class Reference(_Frozen):
    number: int
    source_id: str
    name: str
    title: str
    role: SourceRole
    links: tuple[str, ...]
    catalog_id: str | None = None


class Sections(_Frozen):
    task: str
    workflow: str
    references: str


SLOT_KINDS = ("task", "step", "mechanism", "caveats", "background")


class Slots(_Frozen):
    """The prose of an answer, by place: everything else in it is written by code.

    Keys: "task", "mechanism", "caveats", "step:<node id>" (one per workflow step) and
    "background:<source id>" (one per source that stays a reference). A writer fills the
    slots it can; an empty or missing slot prints nothing, or the template's text.
    """

    texts: dict[str, str] = Field(default_factory=dict)

    def get(self, key: str) -> str:
        return self.texts.get(key, "")

    def with_texts(self, texts: dict[str, str]) -> Slots:
        return Slots(texts={**self.texts, **texts})


def slot_kind(key: str) -> str:
    """ "step:n3" → "step"."""
    return key.split(":", 1)[0]


class Brief(_Frozen):
    """What a writer receives: the plan and the evidence, and nothing it may go beyond."""

    question: str
    plan: Plan
    sources: tuple[Source, ...]
    evidence: tuple[Evidence, ...]
    references: tuple[Reference, ...]

    @property
    def language(self) -> str:
        return self.plan.understanding.language

    def number(self, source_id: str) -> int:
        return self._numbers[source_id]

    def source(self, source_id: str) -> Source:
        return self._sources[source_id]

    @cached_property
    def _numbers(self) -> dict[str, int]:
        return {reference.source_id: reference.number for reference in self.references}

    @cached_property
    def _sources(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    def slot_keys(self) -> list[str]:
        """Every prose slot of this answer, in the order the answer shows them."""
        keys = ["task"]
        keys += [f"step:{step.node_id}" for step in self.plan.steps if not step.optional]
        keys.append("mechanism")
        keys += [
            f"step:{step.node_id}"
            for step in self.plan.steps
            if step.optional and step.kind == "model"
        ]
        keys += [f"background:{source_id}" for source_id in self.plan.background]
        keys.append("caveats")
        return keys


class Answer(_Frozen):
    question: str
    understanding: Understanding
    workflow: Workflow
    references: tuple[Reference, ...]
    warnings: tuple[Warning, ...]
    evidence: tuple[Evidence, ...]
    sections: Sections
    markdown: str
    writer: str
    timings: dict[str, float] = Field(default_factory=dict)
