"""Source signatures: what each provided source consumes and produces, and which tasks it serves.

A source known to the built-in catalog takes its signature from there. Any other source gets
one read from its own words, the way a question is read (understanding.py): the task cue
phrases in its name and title (which weigh most: "Txt2Img…" is text → image) and summary, what
its summary says it takes and makes ("from a portrait and an audio clip it produces…"), and the
meaning of its title and summary against the tasks' example requests. Its signature is then its
task's, with the task's variants (a stereo converter that is handed the depth).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from scholarflow import catalog, english_words, taxonomy, vocabulary
from scholarflow.models import Port, Signature, Source
from scholarflow.text import CueMatcher, find_urls, names_a_method, normalize, sentences, squash

# Tuned on the real Awesome-Video-Diffusion list, its sections taken as labels (see
# understanding.SOURCE_NEAREST): title cues at 2.0 read 0.62 of 399 titles right, at 1.0 0.64.
_TITLE_WEIGHT = 1.0
_SUMMARY_WEIGHT = 1.0
_SECONDARY_SHARE = 0.6  # a task scoring this share of the best one is served too
_MIN_SCORE = 2.0
_NAMED_SHARE = 0.3  # a task the source's words name leads from this share of the best score
_CUE_STRENGTH = 2.0  # what one of a task's own cue phrases scores (hints score less)
# A title that names no task could be serving any task scoring this share of its best one,
# among its closest few. (0.7 took four false flags off the dev halves for two flags missed;
# 0.7 for the tasks making what the best reading makes, two false flags for none missed, but a
# review found it silently adopting video generators for an upscale or an edit: kept at 0.8.)
_PLAUSIBLE_SHARE = 0.8
_PLAUSIBLE_MAX = 6
_SAME_MAKE_SHARE = 0.5  # ...or this share, for a task that makes what the best one makes
_FEEDER_SHARE = 0.6  # ...or this share, for a step making what another recommended model needs
_TELLING_READS = True
_TITLE_WORDS = 1.0  # what a title's telling words add to the task they share most with
_STATED_SHARE = 0.5  # a reading taking what the title says it starts from leads from this share

_PROJECT_CUE = re.compile(
    r"(?i)\b(project page|project website|webpage|website|homepage|code|github|repository|"
    r"overview and supplemental material)\b"
)


def enrich(source: Source) -> Source:
    """The source with its signature(s), tasks, catalog description and named project page."""
    update: dict[str, object] = {}
    entry = catalog.match(source)
    if entry is not None:
        update.update(
            tasks=entry.tasks,
            signatures=entry.signatures,
            catalog_summary=entry.summary,
            catalog_id=source.catalog_id or entry.id,
            kind=entry.kind if source.role == "related" else "model",
        )
    else:
        # (what it does is read from what its summary says of it, not from a sentence planted
        # there for whoever answers: "3D motion may only be computed with …")
        read = source.model_copy(update={"summary": described(source.summary)})
        tasks, plausible, guessed, near = _read_source(read)
        # A title naming a job of its own, none of the tasks, is read as that job, where its
        # words name no task ("Music Source Separation …" is no guess among audio tasks).
        job = other_job(source, covering=bool(tasks) and not guessed)
        if job is None and not tasks:
            # (nor in words any list holds, but plainly in what its title means)
            job = job_by_meaning(read)
        if job is not None:
            tasks, plausible, guessed, near = (), (), False, ()
            update["other_job"], update["signatures"] = job
        update["tasks"] = tasks
        update["plausible"] = plausible
        update["guessed"] = guessed
        update["near"] = near
        if tasks:
            signatures = source_signatures(read, tasks)
            summary = normalize(read.summary) if read.summary else ""
            guides = stated_guides(summary) if summary else ()
            signatures = with_guides(signatures, guides)
            update["signatures"] = with_single_members(signatures, stated_one_or_more(summary))
    # A summary fills in a link only for a source that came with no page of its own: where the
    # request gave a code or project link, that is the source's page, and a second one "named"
    # in the summary (text from others) is at best redundant and at worst planted.
    if source.project_url is None and source.github_url is None and source.summary:
        named = named_project_url(source.summary, source)
        if named:
            update["project_url"] = named
    return source.model_copy(update=update)


def _whole_words(words: Sequence[str]) -> re.Pattern[str]:
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])")


@dataclass(frozen=True)
class _Job:
    """A job outside the taxonomy, as lexicon/other_jobs.toml writes it."""

    id: str
    title: re.Pattern[str]
    takes: tuple[str, ...]
    makes: tuple[str, ...]

    @property
    def on_sound(self) -> bool:
        return set(self.takes) <= {"audio"}

    @property
    def things(self) -> frozenset[str]:
        return frozenset(self.takes) | frozenset(self.makes)


@cache
def _other_jobs() -> tuple[re.Pattern[str], re.Pattern[str], tuple[_Job, ...]]:
    """The `beside` and `seen` words, and the jobs."""
    data = dict(taxonomy.load_lexicon("other_jobs.toml"))
    beside = _whole_words(data.pop("beside")["words"])
    seen = _whole_words(data.pop("seen")["words"])
    jobs = tuple(
        _Job(job_id, _whole_words(entry["title"]), tuple(entry["takes"]), tuple(entry["makes"]))
        for job_id, entry in data.items()
    )
    return beside, seen, jobs


@cache
def _jobs_by_name() -> dict[str, tuple[_Job, bool]]:
    """The jobs of well-known models, by their names squashed to letters and digits ("pwcnet"
    for "PWC-Net"): other_jobs.toml's `names`, each checked against media models, and its
    `also_known`, gathered in one pass over other fields (False beside the job: a name that
    says the job only where the title names no task)."""
    data = taxonomy.load_lexicon("other_jobs.toml")
    by_id = {job.id: job for job in _other_jobs()[2]}
    table = {
        squash(name): (by_id[job_id], False)
        for job_id, entry in data.items()
        if job_id in by_id
        for name in entry.get("also_known", ())
    }
    table.update(
        (squash(name), (by_id[job_id], True))
        for job_id, entry in data.items()
        if job_id in by_id
        for name in entry.get("names", ())
    )
    return table


# A version, size or edition after a model's name ("Whisper large-v3", "ResNet-50", "YOLOv8
# Nano"): the same model. Only at the end, one at a time.
# (not a "3D" or "4D" after it: "RAFT-3D" is another model than RAFT; nor a "V" of vision:
# "GLM-4V" sees pictures, GLM does not)
_EDITION_TAIL = re.compile(
    r"(?:[\s_.-]*v?\d+(?:\.\d+)*[abce-uw-z]?|[\s_.-]+(?:large|base|small|tiny|medium|huge|giant|nano|"
    r"xl|xxl|lite|mini|plus|pro|turbo|hd))$"
)
_NAME_MAX = 60  # (longer is a title given as a name, which no model is known by)
# A tool's binding for one language is the tool: "OpenML-Python", "Prophet.jl", "gensim-rs".
_BINDING_TAIL = re.compile(r"[\s_.-]+(?:python|py|jl|js|rs|java|cpp)$")


def _could_be_anyones(name: str) -> bool:
    """Whether a model's name (squashed) is a common English word, one in a hundred thousand
    words or more (Zipf 4: "Adam", "Lamb", "Albert"), which others name their work by too:
    where the title names a task of the taxonomy, the title says what this work is ("AdaM:
    Adaptive Human Matting …" is no optimizer). A rarer or coined name ("AST", "Demucs",
    "Music Transformer") is the model's own, whatever its title's words suggest. (Measured on
    the names: at Zipf 3, one in a million, "ast", "raft" and "kan" would count as common,
    and right readings of AST and MERT on the dev and spent halves were lost.)"""
    return english_words.plain(name) and english_words.at_least(name, 4.0)


def _named_job(source: Source, *, title_names_a_task: bool = False) -> tuple[_Job, str] | None:
    """The job of a well-known model a source is, by its own name (its name, its title's part
    before a colon, and, where the title names no task, its code repository's name), with no
    more to it than an edition: "PWC-Net" and "Whisper large-v3" are, "CLIP-Forge" (a
    text-to-shape model) is not CLIP. A name says what the model does where its title's words
    do not ("Glow: Generative Flow with Invertible 1x1 Convolutions"). (A repository is often
    a toolkit hosting many models, media ones among them: a title naming a task says more.)"""
    table = _jobs_by_name()
    head, colon, _ = (source.title or "").partition(":")
    own = [source.name, head if colon else ""]
    if not title_names_a_task:
        if _repository_is_the_works(source):
            own.append(_repository_name(source))
        # (a title with no colon may still open with the name, "MLPerf Training Benchmark",
        # where the rest names nothing of pictures, clips or sound; a coined name, "MLPerf",
        # not a word any title may open with: "Bert Animation", "Prophet Inequalities …")
        first = (source.title or "").split(maxsplit=1)
        if (
            not colon
            and len(first) == 2
            and any(c.isupper() or c.isdigit() for c in first[0][1:])
            and not _could_be_anyones(first[0])
            and not any(taxonomy.modality_matcher().find(normalize(source.title or "")))
        ):
            own.append(first[0])
    # (a family of the taxonomy's tasks named anywhere in its name or title, "Video-LLaVA",
    # "GPT-4o …", is read as that family)
    if not table or _family_tasks(normalize(" | ".join([*own, source.title or ""]))):
        return None
    for written in own:
        # ("openai/whisper-large-v3": the model's own part; "(OpenAI)" after it says whose)
        written = normalize(written).rpartition("/")[2].partition("(")[0].strip()
        # (as written first, "JuMP.jl"; then without a binding's tail, "OpenML-Python")
        for name in dict.fromkeys((written, _BINDING_TAIL.sub("", written).strip() or written)):
            original = name
            while name and len(name) <= _NAME_MAX:
                key = squash(name)
                known = table.get(key)
                # (a name of the one pass over other fields yields to a title naming a task,
                # and is matched whole: "Spann3R" is no edition of "Spann")
                if known is not None and (
                    known[1] or (not title_names_a_task and name == original)
                ):
                    return known[0], key
                shorter = _EDITION_TAIL.sub("", name).strip()
                if shorter == name:
                    break
                name = shorter
    return None


def _job_signatures(takes: Sequence[str], makes: Sequence[str]) -> tuple[Signature, ...]:
    """A job's ways of working, one per thing it runs on. A job that makes only kinds it
    takes restores or changes what it is given: a photo comes back a photo, a clip a clip.
    Any other makes everything it makes from each ("… Speech Translation": text and speech
    from speech). Labels, features or data it runs on (`annotation`: a vocoder's spectrogram,
    a forecaster's series) are nothing the user brings or another model hands over here: no
    way is made of them, so two outside jobs never chain through them."""
    restores = set(makes) <= set(takes)
    return tuple(
        Signature.of([thing], [thing] if restores else list(makes))
        for thing in takes
        if thing != "annotation"
    )


def other_job(
    source: Source, *, covering: bool = False
) -> tuple[str, tuple[Signature, ...]] | None:
    """What a source whose title names a job outside the taxonomy ("Music Source Separation
    …", lexicon/other_jobs.toml): the job's id and its ways of working (what it takes and
    makes; none where all it takes is labels or data); None when its title names none and it
    is no well-known model of one by name (`_named_job`).

    Of several jobs named, the longest name wins ("Scene Text Recognition" over "Text
    Recognition"). A job on sound named with other work ("… Driven Facial Animation",
    `beside`) is not read; named with what is seen ("Visual Speech Recognition", `seen`) it
    is that job on a clip. A title naming a thing the job neither takes nor makes ("… Metric
    Depth and Surface Normal Estimation") is not read as the job, unless the thing is in the
    job's own name ("3D Object Detection") or in the use named after a "for" that follows it
    ("… for Video Calls"). A title naming a task of the taxonomy is read as that task, unless
    (`covering`) the job's words hold every task name of the title: "Audio Super-resolution"
    names a job on sound, not the "super-resolution" of pictures."""
    title = normalize(f"{source.name} | {source.title}")
    beside, seen, jobs = _other_jobs()
    other_work = beside.search(title) is not None
    shown = seen.search(title) is not None
    things = [(hit.start, hit.end, hit.label) for hit in taxonomy.modality_matcher().find(title)]
    best: tuple[int, _Job, bool] | None = None
    for job in jobs:
        if other_work and job.on_sound:
            continue
        # (a job named as a help of the work, "… with Speaker Diarization Feedback", is not
        # its job)
        found = [
            (m.start(), m.end())
            for m in job.title.finditer(title)
            if not _AS_A_HELP_BEFORE.search(title, max(0, m.start() - 24), m.start())
            and not _AS_A_HELP_AFTER.match(title, m.end())
        ]
        if not found:
            continue
        # (a job named beside making, "… Shape Completion, Reconstruction, and Generation",
        # "Music Generation and Source Separation", is a part of work that makes things; a
        # job on words alone named with pictures, "Visual Language Model Pretraining", is
        # not that job. Not a making named as what the job is for: a vocoder is "for
        # high-quality audio synthesis" and still a vocoder.)
        if any(
            _AND_MAKING_AFTER.match(title, b, b + _AND_MAKING_REACH)
            or _MAKING_AND_BEFORE.search(title, max(0, a - 40), a)
            for a, b in found
        ):
            continue
        if "text" in job.takes and job.things <= {"text", "annotation"} and _SEEN_TOO.search(title):
            continue
        use = _USE_AFTER.search(title, found[0][1])
        if use is not None and _names_a_making(title[use.end() :]):
            # (a use that is itself a making, "A Generative Flow for Text-to-Speech", is what
            # the work makes, not a setting it is used in)
            use = None
        on_clip = shown and job.on_sound
        own = job.things | ({"video"} if on_clip else set())
        starts = [a for a, _ in found]  # (one pattern's matches do not overlap: `_within`)
        if any(
            label not in own
            for start, end, label in things
            if (use is None or start < use.start()) and not _within(start, end, found, starts)
        ):
            continue
        if covering:
            named = [
                hit
                for hit in taxonomy.task_matcher().find(title)
                if not hit.label.endswith(":hint")
            ]
            # (what the job is "-based" on, right before it, is what it runs on: the
            # skeletons of "Skeleton-Based Speaker Diarization" are no motion it captures;
            # what it is done "by", right after it, is how: the rotation of "Knowledge Graph
            # Embedding by Relational Rotation in Complex Space" turns no view)
            spans = sorted((_based_on_start(title, a), _means_end(title, b)) for a, b in found)
            span_starts = [a for a, _ in spans]
            if not named or not all(
                _within(hit.start, hit.end, spans, span_starts) for hit in named
            ):
                continue
        longest = max(b - a for a, b in found)
        if best is None or longest > best[0]:
            best = (longest, job, on_clip)
    if best is None:
        # (a well-known model's name says its job where its title names none of the jobs: a
        # name is what the field knows the work by, surer than a guess from a title's words,
        # and a rare or coined one surer than a task its title names ("Music Transformer:
        # Generating Music …" writes notes, not sound); but a common word is anyone's name,
        # and "AdaM: Adaptive Human Matting …" is no optimizer)
        named = _named_job(source, title_names_a_task=covering)
        if named is None:
            # (a title about language models that names no medium and no task of the
            # taxonomy, "Emergent Abilities of Large Language Models": its work is on words)
            if (
                not covering
                and not things
                and _ABOUT_LANGUAGE_MODELS.search(title)
                and not _SEEN_OR_HEARD.search(title)
                and not any(v >= 1.0 for v in _title_task_cues(title).values())
            ):
                words = next(job for job in jobs if job.id == "language_modeling")
                return words.id, _job_signatures(words.takes, words.makes)
            return None
        job, name = named
        if covering and _could_be_anyones(name):
            return None
        return job.id, _job_signatures(job.takes, job.makes)
    _, job, on_clip = best
    takes = ("video",) if on_clip else job.takes
    return job.id, _job_signatures(takes, job.makes)


_ABOUT_LANGUAGE_MODELS = re.compile(r"(?<![\w-])(?:(?:large )?language models?|llms?)(?![\w-])")
# (words of work on what is seen or heard, beside a language model: "Equip Diffusion Models
# with LLM …", "… Visual Language Models", "A Simple Multimodal LLM …")
_SEEN_OR_HEARD = re.compile(
    r"(?<![\w-])(?:visual|vision|visually|multimodal|multi-modal|diffusion|pixels?|scenes?|3d|"
    r"speech|audio|sound|music|captions?|captioning|vlms?|mllms?|lvlms?|vision-language|"
    r"text-to-\w+|grounded|grounding|perception|embodied|robots?)(?![\w-])"
)


def _title_task_cues(title: str) -> dict[str, float]:
    from scholarflow.understanding import cue_scores

    return cue_scores(title)


# A conversion between two kinds of media named in full ("text-to-speech", "image to
# video"): the "2" of "wav2vec" or "Seq2Seq" and any word before a "-to-" are no such thing.
_MEDIA_KINDS = r"(?:text|speech|image|video|audio|sound|music|voice|lip|face|3d|mesh|motion)s?"
_MEDIA_CONVERSION = re.compile(
    rf"(?<![a-z0-9]){_MEDIA_KINDS}(?:-to-|\s+to\s+){_MEDIA_KINDS}(?![a-z0-9])"
)
# Where the use named after "for" ends: "… for Text-to-Speech via …", "… at 32kHz".
_USE_ENDS = re.compile(r"\s(?:with|via|using|at|on|in|by|from|under|through|and)\s|[,;:(]")


def _names_a_making(words: str) -> bool:
    """Whether the use named after "for" (`words`, normalized, from there on) is a
    conversion of one kind of media into another, and nothing more: "… for Text-to-Speech via
    …" says what the work makes; "… for Video Calls", "… for Video-to-Speech Evaluation" and
    "… with wav2vec 2.0" name a setting."""
    use = _USE_ENDS.split(words, maxsplit=1)[0].strip()
    found = _MEDIA_CONVERSION.search(use)
    return found is not None and found.end() == len(use)


def job_by_meaning(source: Source) -> tuple[str, tuple[Signature, ...]] | None:
    """What a source whose words name no task and no job does, where its title's meaning
    is plainly that of a job of another field, away from pictures, clips and sound
    (`other_fields.job_meant`): "River: machine learning for streaming data in Python" learns
    from data streams, whatever clip it was recommended for. Where no job of the list is
    near, the field itself may be (`other_fields.field_meant`): "SeisBench - A Toolbox for
    Machine Learning in Seismology" is work of geophysics, with no way of working any task
    takes ("field:<id>", no signatures), where the title is all that is said of it."""
    from scholarflow.other_fields import field_meant, job_meant

    title = _without_quality_words(source.title or "")
    job_id = job_meant(title, source.name or "")
    if job_id is None:
        # (only a title with nothing else said of the work: a summary of its own says more
        # than a field's line, and `speaks_of_no_media` reads it; "N/A" says nothing)
        if len((described(source.summary) or "").split()) >= _OWN_SUMMARY_WORDS:
            return None
        field_id = field_meant(title, source.name or "")
        return None if field_id is None else (f"{FIELD_PREFIX}{field_id}", ())
    job = next(job for job in _other_jobs()[2] if job.id == job_id)
    return job.id, _job_signatures(job.takes, job.makes)


# The prefix of `Source.other_job` for work read as of a field, not a job (`job_by_meaning`).
FIELD_PREFIX = "field:"


_USE_AFTER = re.compile(r"(?<!\w)for(?!\w)")
# (a list of at most four items of a few words each, then "and" and the making, with one word
# before it: "… Completion, 3D Reconstruction, and Generation", "… and Music Generation";
# read within a bounded reach, so a long title costs one bounded look per place found)
_AND_MAKING_AFTER = re.compile(
    r"(?:,\s*[\w-]{1,40}(?:\s[\w-]{1,40}){0,2}){0,4},?\s+and\s+(?:[\w-]{1,40}\s)?"
    r"(?:generation|synthesis|editing)(?!\w)"
)
_AND_MAKING_REACH = 400
_MAKING_AND_BEFORE = re.compile(
    r"(?<!\w)(?:generation|synthesis|generating|editing)\s+and\s+(?:[\w-]+\s+)?$"
)
_SEEN_TOO = re.compile(r"(?<![\w-])(?:visual|vision|vision-language|multimodal|multi-modal)(?!\w)")


# Words that make a job named after them, or before them, a help of the work rather than its
# job: "… Guided by Video Quality Assessment", "… with Speech Recognition Feedback".
_AS_A_HELP_BEFORE = re.compile(
    r"(?<!\w)(?:with|using|via|through|by(?:\s+[a-z]+ing)?|guided by|driven by|evaluated by|"
    r"supervised by|aided by|conditioned on|based on)\s+$"
)
_AS_A_HELP_AFTER = re.compile(
    r"[\s-]+(?:feedback|guidance|guided|driven|loss|losses|priors?|features|supervision|"
    r"rewards?|metrics?)(?!\w)"
)


# The means named right after a job, "… Embedding by Relational Rotation in Complex Space",
# up to the end of the title's part or a use named with "for".
_MEANS_AFTER = re.compile(r"\s+(?:by|via|using)\s+(?:(?!\sfor\s)[^:|]){1,80}")


def _means_end(title: str, end: int) -> int:
    """Where the means named right after a job found in `title` ending at `end` ends."""
    means = _MEANS_AFTER.match(title, end)
    return means.end() if means else end


def _within(start: int, end: int, spans: Sequence[tuple[int, int]], starts: Sequence[int]) -> bool:
    """Whether start:end lies inside one of `spans` (sorted; `starts` their starts): found by
    bisection, so checking every task name of a long title stays n log n. (Spans of one
    pattern's matches do not overlap, so the last span starting at or before it is the one
    that could hold it.)"""
    at = bisect.bisect_right(starts, start) - 1
    return at >= 0 and end <= spans[at][1]


_BASED_ON = re.compile(r"(?<![\w-])[^\W_]+(?:-[^\W_]+)*[-\s]based\s+$")


def _based_on_start(title: str, start: int) -> int:
    """Where the "X-based" words right before `start` begin (`start` when there are none)."""
    before = _BASED_ON.search(title, max(0, start - 60), start)
    return before.start() if before else start


def meaning_text(source: Source) -> str:
    """What a source's meaning is read from: its title, and its summary when it has one. (The
    title without the words praising its result: `_without_quality_words`. Its means stay:
    "… Photo Animator via Plug-and-Play Modules in Text-to-Image Models" means animating a
    picture only as a whole.)"""
    title = _without_quality_words(source.title)
    summary = described(source.summary)
    return f"{title}. {summary}" if summary else title


def described(summary: str | None) -> str | None:
    """A summary without its sentences addressed to the reader (`evidence.addresses_reader`):
    what it says of the work, the only part a reading of the work may rest on."""
    if not summary:
        return summary
    from scholarflow.evidence import addresses_reader
    from scholarflow.text import sentences

    kept = [
        summary[start:end]
        for start, end in sentences(summary)
        if not addresses_reader(summary[start:end])
    ]
    return " ".join(kept) or None


def enrich_all(sources: Sequence[Source]) -> tuple[Source, ...]:
    """`enrich` for every source, the meaning of the unknown ones worked out in one batch."""
    from scholarflow.understanding import SOURCE_INDEX, SOURCE_NEAREST, prime_similarities

    unknown = [s for s in sources if catalog.match(s) is None]
    if unknown:
        prime_similarities(
            [meaning_text(s) for s in unknown], nearest=SOURCE_NEAREST, index=SOURCE_INDEX
        )
    return tuple(enrich(s) for s in sources)


def _decamel(text: str) -> str:
    """A name cut at its inner word starts: "VideoCrafter" is "Video Crafter". A capital
    after a single small letter stays with it (an abbreviation written in mixed case, "SfM",
    "NeRF"): "ParticleSfM" is "Particle SfM", not "Particle Sf M"."""
    spaced = re.sub(
        r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[a-z]{2})(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])",
        " ",
        text,
    )
    return re.sub(r"[-_]+", " ", spaced)


def infer_tasks(source: Source) -> tuple[str, ...]:
    """Task ids the source serves, best first, from its own name, title and summary."""
    return _read_source(source)[0]


def _read_source(
    source: Source,
) -> tuple[tuple[str, ...], tuple[str, ...], bool, tuple[str, ...]]:
    """The tasks a source serves, best first, and the tasks it could be serving: the same
    when its own words say what it does; more when all there is to go on is a title that
    names no task ("DUSt3R: Geometric 3D Vision Made Easy"), whose meaning is near several
    tasks at once. Those are left for the user's request to choose among (`adopt_task`)."""
    from scholarflow.understanding import cue_scores, source_task_scores

    name_text = _without_means(
        _without_quality_words(
            _without_borrowed_names(
                normalize(
                    f"{source.name} | {source.title} | {_decamel(source.name)} | "
                    f"{_decamel(source.title)}"
                )
            )
        )
    )
    scores: dict[str, float] = defaultdict(float)
    for task_id, value in source_task_scores(name_text, _TITLE_WEIGHT).items():
        scores[task_id] += value
    # (a summary too names what kind of model the work builds on: "makes the editing of real
    # photos with text-to-image diffusion models exact" edits photos)
    summary = (
        _without_borrowed_names(normalize(source.summary), said_used=True) if source.summary else ""
    )
    if summary:
        for task_id, value in source_task_scores(summary, _SUMMARY_WEIGHT).items():
            scores[task_id] += value
    said = cue_scores(f"{name_text} | {summary}")
    words = set(said)  # tasks its words name or hint at
    named_tasks = {task for task, value in said.items() if value >= _CUE_STRENGTH}  # by name
    for task_id, value in source_task_scores("", 0.0, meaning=meaning_text(source)).items():
        scores[task_id] += value
    # The words that set one job apart from its neighbours ("Talking", "Segment"), which a
    # whole title's meaning can drown in its generic half ("… Video Generation").
    telling = vocabulary.task_scores(
        _without_means(_without_quality_words(source.title or source.name))
    )
    for task_id, share in telling.items():
        scores[task_id] += _TITLE_WORDS * share
    # A well-known family's name says what the work builds on ("Video-LLaVA …": a
    # vision-language assistant) as plainly as a task's name, where its words name none.
    family = _family_tasks(f"{name_text} | {_repository_name(source)}")
    for task_id in family:
        scores[task_id] += _CUE_STRENGTH
    if not named_tasks:
        named_tasks |= family
    # A summary saying in its own words what it turns into what names the job as plainly as
    # a task's name: the tasks doing that conversion earn what a named task does.
    start, made = stated_conversion(summary) if summary else (None, ())
    # (of several things it makes, the first named that a task run on what it starts from
    # makes: camera poses come with a structure-from-motion point cloud, named or not)
    converting: list[str] = []
    on_the_way = False  # (the thing said made is built on the way to what the task makes)
    for thing in made:
        converting = [
            task.id
            for task in taxonomy.tasks().values()
            if _needs_only(task, start) and _makes(task, frozenset({thing}))
        ]
        if not converting and taxonomy.modalities()[thing].moves:
            # (a moving scene said to be made, "turns a single image into a dynamic 3D
            # object", by a task that builds one on its way to the clip it films of it)
            converting = [
                task.id
                for task in taxonomy.tasks().values()
                if _needs_only(task, start) and _builds_moving(task)
            ]
            on_the_way = bool(converting)
        if converting:
            made = (thing, *(other for other in made if other != thing))
            break
    for task_id in converting:
        scores[task_id] = max(scores[task_id], 0.0) + _CUE_STRENGTH
    if converting:  # (the conversion said is a job it serves, as plainly as by its name)
        named_tasks.add(max(converting, key=lambda task: (scores[task], task)))
    if not scores:
        return (), (), False, ()
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    best = ranked[0][1]
    if best < _MIN_SCORE:  # too little to say what a source does
        return (), (), False, ()
    # A task the source names in its own words ("a text-to-video and image-to-video
    # transformer") leads over one its words do not mention at all, only near in meaning.
    nearest = ranked[0][0]
    named = [item for item in ranked if item[0] in named_tasks and item[1] >= best * _NAMED_SHARE]
    if named and ranked[0][0] not in words:
        ranked = [*named, *(item for item in ranked if item not in named)]
    # Of the tasks it names, the one working on the thing the title names leads: "… Large
    # Hole Image Inpainting" fills pictures, though "inpainting" names the clip job as well.
    # (a thing the title says it makes, "… Video Generation", is not what it works on)
    # (nor a kind naming the method it builds on: "Taming Video Diffusion Models for … Novel
    # View Synthesis" works on no clip)
    # (a word in capitals in a title written in small letters is a name: "… with Mask-adapted
    # CLIP" works on no clip; "COLORFUL IMAGE COLORIZATION" is a title shouted)
    written = f"{source.name} {source.title}"
    capitals = (
        {w.lower() for w in re.findall(r"\b[A-Z]{3,}\b", written)}
        - {w.lower() for w in re.findall(r"\b\w*[a-z]\w*\b", written)}
        if sum(c.islower() for c in written) > sum(c.isupper() for c in written)
        else set()
    )
    shown = {
        hit.label
        for hit in taxonomy.modality_matcher().find(name_text)
        if not names_a_method(name_text, hit.end)
        and name_text[hit.start : hit.end].strip() not in capitals
    }
    shown -= stated_products(name_text)
    known_tasks = taxonomy.tasks()
    # (and a task it names working on that thing leads one its words only hint at: "Image
    # Colorization" colours pictures, though the word is a hint of the clip job as well)
    # (a picture, a clip or a sound: not a "Mask-adapted" method's mask)
    lead_named = ranked[0][0] in named_tasks
    on = shown if lead_named else shown & _PLAIN_MEDIA
    if not _takes(known_tasks[ranked[0][0]]) & shown and (
        lead_named or said.get(ranked[0][0], 0.0) < _CUE_STRENGTH
    ):
        on_it = [
            item
            for item in named
            if (_takes if lead_named else _needs)(known_tasks[item[0]]) & on
            and item[1] >= ranked[0][1] * _NAMED_SHARE
        ]
        if on_it:
            ranked = [on_it[0], *(item for item in ranked if item != on_it[0])]
    # A title saying the scene it builds changes over time ("Radiance Fields in Space, Time",
    # "… for Dynamic Scenes") rules out the readings that build only a still one: where the
    # best reading does, the best reading building a moving one leads instead, however far
    # its meaning (a title's meaning sits on the still kind, named far more often), one
    # taking what the still reading took first. A summary saying outright that the scene is
    # still ("It reconstructs a still scene …") outweighs a "Deformable" in the title; one
    # only mentioning time or motion in passing ("ignoring dynamic objects", "does not change
    # over time") says nothing either way.
    # (on the name and title as written: cut at its inner word starts, "Dynamic-Range" would
    # lose the hyphen that keeps it one phrase)
    top = ranked[0][1]
    if (
        not converting
        and not _says_it_is_still(summary)
        and _says_it_changes(normalize(f"{source.name} | {source.title or ''}"))
    ):
        moving = [item for item in ranked if _builds_moving(known_tasks[item[0]])]
        lead_still = _builds_still(ranked[0][0])
        if not lead_still or moving:
            takes_as_before = _takes(known_tasks[ranked[0][0]])
            first = (
                [
                    max(
                        moving,
                        key=lambda item: (
                            bool(_takes(known_tasks[item[0]]) & takes_as_before),
                            not known_tasks[item[0]].animates,
                        ),
                    )
                ]
                if lead_still
                else []
            )
            ranked = [*first, *(i for i in ranked if i not in first and not _builds_still(i[0]))]
            named_tasks = {t for t in named_tasks if not _builds_still(t)}
            named_tasks |= {task for task, _ in first}
            words = {t for t in words if not _builds_still(t)}
    # (the promoted reading is measured against the best score there was: a lower bar would
    # serve more readings than the title's words speak for)
    best = max(top, ranked[0][1])
    # Meaning ranks the tasks, but it gives every task some closeness: a task beyond the
    # first is served only when the source's words also point at it ("Segment Anything"
    # serves segmentation, not every video task a title-only source is vaguely near), and
    # every task it names outright is served.
    served = tuple(
        task
        for index, (task, score) in enumerate(ranked)
        if index == 0
        or (task in named_tasks and score >= best * _NAMED_SHARE)
        or (task in words and score >= best * _SECONDARY_SHARE)
    )
    own_name = normalize(_own_name(source))
    own_family = _family_tasks(own_name)
    if (
        own_family
        and not converting
        and not own_family & set(served[:1])
        and not any(v >= _CUE_STRENGTH for v in cue_scores(own_name).values())
    ):
        # A model that is itself a member of a well-known family says what it does more
        # plainly than a word of its title that many jobs share ("EdgeSAM: Prompt-In-the-Loop
        # Distillation …" segments; its prompts are clicks): the family's jobs are what it
        # serves. (Not where its own name names a job outright, "SAM 2 Video Inpainting: …",
        # nor a title naming the family as a part: "Inpaint Anything: Segment Anything Meets
        # Image Inpainting" inpaints.)
        family = own_family
        served = tuple(task for task, _ in ranked if task in family)
        ranked = [
            *(i for i in ranked if i[0] in family),
            *(i for i in ranked if i[0] not in family),
        ]
    # A title saying the job it names is conditioned on a further thing ("Zero-Shot Image
    # Conditioning for Text-to-Video Diffusion Models") names the job that takes that thing
    # beside what the named one needs, and makes what it makes: a clip from a picture and
    # words. The best such reading leads, however its meaning ranks it.
    conditioned = _conditioned_on(name_text)
    if conditioned and ranked[0][0] in named_tasks:
        lead = known_tasks[ranked[0][0]]
        if conditioned not in _takes(lead):
            needs = _needs(lead)
            made = frozenset(lead.outputs) | frozenset(
                m
                for port in (lead.signature.ports_out() if lead.signature else ())
                for m in port.modalities
            )
            widened = [
                item
                for item in sorted(scores.items(), key=lambda item: (-item[1], item[0]))
                if conditioned in _takes(known_tasks[item[0]])
                and needs <= _takes(known_tasks[item[0]])
                and _needs(known_tasks[item[0]]) <= needs | {conditioned}
                and _makes(known_tasks[item[0]], made)
            ]
            if widened:
                ranked = [widened[0], *(item for item in ranked if item != widened[0])]
                served = (widened[0][0],)
                named_tasks = named_tasks | {widened[0][0]}
    # A title that says what the work starts from ("… from Monocular Video", "… from
    # Multi-view Video") rules out readings that start from something else: the best reading
    # that takes it leads, where it scores a fair share of the best.
    stated = stated_start(name_text)
    # the tasks its title names outright ("Large Mask Inpainting")
    titled = {t for t, value in cue_scores(name_text).items() if value >= _CUE_STRENGTH}
    # (the start every reading must take, once a title or summary settles it; a job the
    # title names outright stays, whatever picture guides it: "Video Matting from a Single
    # Background Photo" mattes clips)
    starts_from: str | None = None
    doubted: list[str] = []

    def starts_right(task: str) -> bool:
        return starts_from is None or task in titled or starts_from in _takes(known_tasks[task])

    if stated and not any(stated in _takes(known_tasks[t]) for t in served):
        fitting = [
            (task, score)
            for task, score in ranked
            if stated in _takes(known_tasks[task]) and score >= best * _STATED_SHARE
        ]
        # (the same kind of job as the one it serves leads: "Free-viewpoint Rendering of
        # Moving People from Monocular Video" renders new views of the clip, whatever its
        # meaning says of people moving)
        kinds = {known_tasks[t].family for t in served}
        fitting.sort(key=lambda item: known_tasks[item[0]].family not in kinds)
        if fitting:
            ranked = [fitting[0], *(item for item in ranked if item != fitting[0])]
            served = (
                fitting[0][0],
                *(t for t in served if t != fitting[0][0] and stated in _takes(known_tasks[t])),
            )
            named_tasks = named_tasks | {fitting[0][0]}
            starts_from = stated
        else:
            # The title says what the work starts from and no reading of it near the best
            # takes that: its words for a method ("… Gaussian Splatting") outweigh its job
            # ("Single-View 3D Reconstruction"). The best reading of the same kind of job
            # taking it stays one the request may choose.
            families = {known_tasks[t].family for t in served}
            doubted = [
                task
                for task, _ in ranked
                if stated in _takes(known_tasks[task]) and known_tasks[task].family in families
            ][:1]
    elif stated:
        # (a reading it serves starts from it: what else the title says it makes is made from
        # that, "… 3D and 4D Scenes from a Single Image" from the picture, not from a clip
        # that also makes a 4D scene)
        starts_from = stated
        if served and not starts_right(served[0]):
            # (and one further down leads: the others are ruled out as much)
            served = tuple(t for t in served if starts_right(t))
            ranked = [
                *(i for i in ranked if i[0] in served),
                *(i for i in ranked if i[0] not in served),
            ]

    # A title that says what the work makes ("… Image Guided Audio Generation", "… Human
    # Motion Video Generation") rules out readings that make something else, the same way.
    products = stated_products(name_text)
    # ...and so does a summary saying what it turns into what ("turn a text prompt into
    # images, and also into video …"): the first thing named that a task makes is what it
    # makes first.
    summary_said = not products and bool(converting)
    if summary_said:
        products = frozenset(made[:1])
        if start is not None and not stated:
            stated = starts_from = start

    made_set = frozenset(made)

    def makes_it(task: str) -> bool:
        return _makes(known_tasks[task], products) or (
            on_the_way and task in converting and bool(products & made_set)
        )

    if products:
        fitting = [
            (task, score)
            for task, score in ranked
            if makes_it(task)
            and starts_right(task)
            and (summary_said or score >= best * _STATED_SHARE)
        ]
        # (a task building the moving scene said, on its way from what the summary says it
        # starts from, before one that only makes a part of it: a still 3D scene)
        if on_the_way:
            fitting.sort(key=lambda item: item[0] not in converting)
        if fitting and fitting[0] != ranked[0]:
            # (what it makes is stated, not which task makes it: the task stays unnamed, and
            # the readings it could be are measured against the best that makes it)
            ranked = [fitting[0], *(item for item in ranked if item != fitting[0])]
            best = fitting[0][1]
        making = tuple(t for t in served if makes_it(t) and starts_right(t))
        if fitting and fitting[0][0] not in making:
            making = (fitting[0][0], *making)
        if on_the_way:
            making = tuple(sorted(making, key=lambda t: t not in converting))
        served = making or served
    makes_right = makes_it if products else None

    # What else it could be serving: each task its title names outright ("Large Mask
    # Inpainting" is inpainting of a picture or of a clip), each task it serves that its
    # summary names outright too ("generates the in-between frames"; a summary mentions too
    # much in passing for a task it names but does not otherwise serve to count), and,
    # for a bare title that names none, the tasks nearest its meaning.
    known = taxonomy.tasks()
    makes = known[ranked[0][0]].outputs

    def also_named(task: str) -> bool:
        # ...and makes what its first task makes: a matting summary that says the matte "can
        # be composited over any new background" does not make the model a compositor.
        return task in served and task in named_tasks and _same_things(known[task].outputs, makes)

    # A title that names what its best reading works on rules out readings that take none of
    # it ("Language-Image Pre-training … Understanding" reads pictures, not clips; "Image
    # Inpainting" fills pictures).
    named_things = {hit.label for hit in taxonomy.modality_matcher().find(name_text)}
    worked_on = named_things & _takes(known[ranked[0][0]])

    def takes_what_is_named(task: str) -> bool:
        return not worked_on or bool(_takes(known[task]) & named_things)

    could = [
        task
        for task, _ in ranked
        if (task in titled or also_named(task)) and takes_what_is_named(task)
    ]
    lead = known[ranked[0][0]]
    if nearest != lead.id and _twin_in_family(known[nearest], lead):
        # "… World-grounded Humans with Accurate 3D Motion": the title names a general job
        # and its meaning sits on the narrower one of the same family (the motion of people).
        could.append(nearest)
    if not summary and not named_tasks:
        # A title says what a model makes more often than what it takes ("… for 3D
        # Generation"): a task making the same thing as the best reading stays plausible
        # further from it than one making something else.
        # A title that names nothing its best reading takes ("… Video Generative Models")
        # leaves open what it starts from: any reading of the same job near it will do.
        takes_unsaid = not worked_on and stated is None
        could = [
            t
            for t, score in ranked[:_PLAUSIBLE_MAX]
            if score >= best * _PLAUSIBLE_SHARE
            or (
                (takes_unsaid or score >= best * _SAME_MAKE_SHARE)
                and _same_job(known[t], known[ranked[0][0]])
                and takes_what_is_named(t)
            )
        ]
        # A title naming no medium at all ("… Text-Based Editing Using Pre-Trained Flow
        # Models") leaves open whether the job is done on pictures or on clips: the same job
        # on the other medium, near enough in meaning, is a reading the request may choose.
        if not named_things:
            could += [
                t
                for t, score in ranked[:_PLAUSIBLE_MAX]
                if t not in could
                and score >= best * _SAME_MAKE_SHARE
                and _on_the_other_medium(known[t], known[ranked[0][0]])
            ]
        # a job its words hint at that makes what its best reading makes ("Portrait
        # Animation" beside a talking head) stays plausible, however far its meaning is
        lead_makes = known[ranked[0][0]].outputs
        could += [
            t for t in served if t not in could and _same_things(known[t].outputs, lead_makes)
        ]
        # The job a title's telling words point at most ("… Human Image Animation") stays a
        # reading, however far the title's meaning as a whole sits from it.
        # (words shared as much with two jobs tell neither: "Visual" is a lip sync's and a
        # soundtrack's alike, and says nothing of an odometry)
        most = max(telling.values(), default=0.0)
        told_most = [t for t, share in telling.items() if share == most]
        if _TELLING_READS and len(told_most) == 1:
            (told,) = told_most
            if told not in could and takes_what_is_named(told):
                could.append(told)
        # A title naming a picture and a clip both as what it works on ("… Foundation Model
        # for Images and Videos") does its job on each: the same job on the other medium is
        # a reading, however far its meaning.
        if named_things & _STILL_MEDIA and "video" in named_things:
            could += [
                t
                for t, _ in ranked
                if t not in could and _on_the_other_medium(known[t], known[ranked[0][0]])
            ]
        # A title saying the work controls its generation ("… Control for Image and Video
        # Generation") leaves open what steers it: the same job steered by a guide is a reading.
        if _CONTROLLED.search(name_text):
            could += [t for t in _steered_versions(known[ranked[0][0]]) if t not in could]
        # A title saying its work is one model for many jobs ("A Generalist Modeling Interface
        # for Vision Tasks") rules none of them out: any job near its meaning is a reading.
        if _says_it_is_generalist(name_text):
            could += [
                t
                for t, score in ranked
                if t not in could and score >= best * _SAME_MAKE_SHARE and takes_what_is_named(t)
            ]
        near = tuple(t for t, score in ranked if score >= best * _FEEDER_SHARE)
        # A title saying the work animates someone ("… Semi-Body Human Animation") leaves
        # open what drives the motion, a dance clip or a voice: any animating job making the
        # same moving picture from the same picture (near it) or from it and a driver is a
        # reading.
        animation = _ANIMATION.search(name_text)
        if (
            animation
            and not _SHAPE_ANIMATED.search(name_text, 0, animation.start())
            and known[ranked[0][0]].animates
        ):
            lead = known[ranked[0][0]]
            driven = _required(lead)
            # (one taking the same picture and a driver besides is a reading however far its
            # meaning: "… Animate Images" does not say what drives them)
            # (in the order of the source's readings, then the taxonomy's)
            by_reading = [t for t, _ in ranked] + [t for t in known if t not in scores]
            could += [
                t
                for t in by_reading
                if t not in could
                and known[t].animates
                and _same_things(known[t].outputs, lead.outputs)
                and (
                    (
                        t in near
                        and len(_required(known[t])) == len(driven)
                        and driven & _required(known[t])
                    )
                    or driven < _required(known[t])
                )
            ]
        could += [t for t in doubted if t not in could]
        could = [t for t in could if makes_right is None or makes_right(t)]
        return served, tuple(t for t in could if starts_right(t)), True, near
    if (
        products
        and stated is None
        and not summary
        and not (named_things - products)
        and not _CONVERSION_NAMED.search(name_text)
    ):
        # A title saying what the work makes but not from what ("… for Efficient 3D Content
        # Creation", naming nothing else) leaves that open: a reading making the same thing
        # from something else, near enough in meaning, is one the request may choose.
        could += [
            task
            for task, score in ranked[:_PLAUSIBLE_MAX]
            if task not in could
            and _makes(known[task], products)
            and score >= best * _SAME_MAKE_SHARE
        ]
    if (
        stated is None
        and not summary
        and not _CONVERSION_NAMED.search(name_text)  # "Text-to-Audio" names its start
        and _names_no_start(
            named_things, [known[t] for t in served], generative=bool(_GENERATIVE.search(name_text))
        )
    ):
        # A title naming the job but no thing it starts from ("… Talking Face Generation
        # Guided by a Lip Reading Expert": from a portrait, or from the speaker's own footage?)
        # leaves that open, as a bare title does: the same job from something else is a
        # reading the request may choose, and so is a job of its family near in meaning
        # ("… for Efficient 3D Reconstruction and Generation"). ("Video Depth Estimation"
        # names the clips.)
        could += [
            task
            for task, score in ranked[:_PLAUSIBLE_MAX]
            if task not in could
            and (
                _same_job(known[task], known[ranked[0][0]])
                or (
                    score >= best * _SAME_MAKE_SHARE
                    and known[task].family in {known[t].family for t in served}
                )
            )
        ]
    could += [t for t in doubted if t not in could]
    could = [t for t in could if makes_right is None or makes_right(t)]
    return served, tuple(t for t in could if starts_right(t)), False, ()


# pictures, as a title names them beside clips ("for Images and Videos")
_STILL_MEDIA = frozenset({"image", "image_set"})


def _names_no_start(
    named: set[str], readings: Sequence[taxonomy.Task], *, generative: bool = False
) -> bool:
    """Whether the things a title names leave open what the work starts from: none at all,
    or only what its readings make and do not take, and nothing that unfolds over time ("…
    3D Reconstruction" names the product; "Video Depth …" says it works on clips; "Image
    Super-Resolution" names the pictures it takes). A title calling its work generative
    ("Generative 4D Gaussian Splatting") names the scene it builds, moving or not, as its
    product: a reconstruction of one ("… Radiance Fields for Dynamic Scenes") is run on
    footage of it, which the title leaves unsaid."""
    modalities = taxonomy.modalities()
    taken = {thing for task in readings for thing in _takes(task)}
    # what a reading makes: its result in any form its port allows, and, for a generative
    # work, the geometry it is rendered from on the way (`_builds`: a 4D scene, for a video
    # from any viewpoint)
    makes = {
        thing
        for task in readings
        for thing in _builds(task)
        if thing in _made_at_the_end(task)
        or (generative and modalities[thing].family == "geometry")
    }
    made = {
        thing
        for thing in named
        if thing not in taken
        and any(thing == out or thing in modalities[out].includes for out in makes)
    }
    return named == made and not any(
        modalities[thing].moves and not (generative and modalities[thing].family == "geometry")
        for thing in named
    )


def _made_at_the_end(task: taxonomy.Task) -> set[str]:
    """What a task hands back, in any form its output port allows."""
    ports = task.signature.ports_out() if task.signature else ()
    return {m for port in ports for m in port.modalities} | set(task.outputs)


# "Generative 4D Gaussian Splatting", "… 4D Generation", "Generating Dynamic Scenes …": the
# work makes its scene, rather than reconstructing one it was filmed in. Not "Next-Generation"
# nor "Generative Priors" (a method a reconstruction borrows).
_GENERATIVE = re.compile(
    r"(?<!\w)(?<!next-)(?<!next )generat(?:ive|ion|ing|es|e)(?!\w)"
    r"(?!\s+(?:priors?|models?|features?)(?!\w))"
)


# "… Control for Image and Video Generation", "Controllable … Animation", "Motion Controller
# for Video Generation": control of what is generated. Not "Quality Control", "Rate Control",
# "a Feedback Controller" or "Controlling Inference Cost": those control something else.
_CONTROLLED = re.compile(
    r"(?<!\w)(?<!quality )(?<!rate )(?<!cost )(?<!safety )(?<!exposure )(?<!feedback )"
    r"(?<!error )(?<!access )(?<!version )(?<!bitrate )(?<!inference )"
    r"(?:control|controls|controllable|controller|controlled|controlling)(?!\w)"
    r"(?!\s+(?:the\s+)?(?:quality|rate|cost|costs|safety|exposure|inference|latency|memory|"
    r"bitrate|access|error)\b)"
)


def _steered_versions(task: taxonomy.Task) -> list[str]:
    """The tasks doing what `task` does with one more thing steering it: a guide (a camera
    path, a depth map, a mask) or a clip whose motion drives it. Image-to-video steered by a
    camera path is camera-controlled image-to-video; steered by a dancer's clip, character
    animation. Nothing else of theirs differs: they make what it makes from what it takes."""
    guiding = _guide_reader()[0]
    base_in = set(task.signature.required_inputs if task.signature else task.inputs)
    base_out = set(task.outputs)
    found = []
    for other in taxonomy.tasks().values():
        if other.id == task.id or other.signature is None or set(other.outputs) != base_out:
            continue
        ports = [p for p in other.signature.ports_in() if not p.optional]
        extra = [p for p in ports if p.modality not in base_in]
        if {p.modality for p in ports} - {p.modality for p in extra} != base_in:
            continue
        if len(extra) == 1 and (extra[0].modality in guiding or extra[0].role == "driving"):
            found.append(other.id)
    return found


# Words that make the models named after them something a work uses, not what it is: "…
# Modules in Text-to-Image Models", "Animate Your … Models", "… on Pretrained … Models".
_USED_BEFORE = re.compile(
    r"(?<!\w)(?:in|into|on|upon|from|of|your|existing|pretrained|pre-trained|frozen|using|via|"
    r"with|leveraging|"
    r"off-the-shelf)\s+(?:[\w'-]+\s+){0,2}$"
)


# (pictures, clips and sound: what a title says it works on, not a mask or a 3D thing)
_PLAIN_MEDIA = frozenset({"image", "image_set", "video", "audio"})


# (not one said to be how the named job is done: "Factorizing Text-to-Video Generation by
# Explicit Image Conditioning" makes a clip from words, through a picture of its own)
_CONDITIONED = re.compile(
    r"(?<![\w-])(?P<thing>[\w-]+)[ -](?:conditioning|conditioned|guidance|guided)(?!\w)"
)
_CONDITIONED_MEANS = re.compile(r"(?<!\w)(?:by|via|with|using|through)\s+(?:[\w-]+\s+)?$")


def _conditioned_on(name_text: str) -> str | None:
    """The thing a title says its job is conditioned on or guided by ("Image Conditioning",
    "Audio Conditioned"), where that word names one."""
    for found in _CONDITIONED.finditer(name_text):
        if _CONDITIONED_MEANS.search(name_text, max(0, found.start() - 40), found.start()):
            continue
        named = [hit.label for hit in taxonomy.modality_matcher().find(found.group("thing"))]
        if len(named) == 1:
            return named[0]
    return None


def _needs(task: taxonomy.Task) -> set[str]:
    """What the task cannot start without (not a mask it may be guided by)."""
    return set(task.signature.required_inputs) if task.signature else set(task.inputs)


def _takes(task: taxonomy.Task) -> set[str]:
    """What the task can start from: its own ports, and those of a variant of it making
    something else (structure from motion run on one clip, for the camera's path)."""
    ports = list(task.signature.ports_in()) if task.signature else []
    outputs = set(task.signature.outputs) if task.signature else set(task.outputs)
    for variant in taxonomy.variants().get(task.id, ()):
        if set(variant.outputs) != outputs:
            ports += variant.ports_in()
    return {m for port in ports for m in port.modalities} | set(task.inputs)


def _builds(task: taxonomy.Task) -> set[str]:
    """What a task makes, on its way or at its end: its outputs and what the steps it is done
    by draw from (dynamic view synthesis builds a 4D scene, which it renders)."""
    ports = task.signature.ports_out() if task.signature else ()
    made = {m for port in ports for m in port.modalities} | set(task.outputs)
    operations = taxonomy.operations()
    for operation in task.done_by:
        if operation in operations:
            made |= set(operations[operation].inputs)
    return made


def _builds_still(task_id: str) -> bool:
    """Whether a task builds only geometry that does not change over time and has a moving
    kind (a 3D scene, a point cloud): a mesh, which no moving kind here includes, keeps a
    text-to-3D reading out of it. Of the things its result is drawn from, one with a moving
    kind will do: new views of a photo, drawn from its points or from a mesh, have their
    moving twin (the photo's scene set moving)."""
    modalities = taxonomy.modalities()
    task = taxonomy.tasks()[task_id]
    if task.animates:  # (a photo set moving builds a moving scene, whatever it builds on)
        return False
    # (a clip along a camera path the user gives leaves open whether the scene moves: the
    # path moves the camera, and the model may move the scene as well)
    if "camera_trajectory" in _takes(task):
        return False
    geometry = {m for m in _builds(task) if modalities[m].family == "geometry"}
    if not geometry or any(modalities[m].moves for m in geometry):
        return False
    made = {m for m in _builds(task.model_copy(update={"done_by": ()})) if m in geometry}
    drawn = geometry - made
    return all(_has_moving_kind(m) for m in made) and (
        not drawn or any(_has_moving_kind(m) for m in drawn)
    )


def _builds_moving(task: taxonomy.Task) -> bool:
    """Whether a task builds geometry that changes over time (a 4D scene, moving points), or
    sets a still scene moving (a photo made into a scene that moves as it is orbited)."""
    modalities = taxonomy.modalities()
    geometry = {m for m in _builds(task) if modalities[m].family == "geometry"}
    return any(modalities[m].moves for m in geometry) or (task.animates and bool(geometry))


def _has_moving_kind(thing: str) -> bool:
    """Whether a kind of geometry that unfolds over time includes `thing`: a 4D scene holds a
    3D scene, moving points a point cloud."""
    return any(
        info.moves and info.family == "geometry" and thing in info.includes
        for info in taxonomy.modalities().values()
    )


@cache
def _changing_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = taxonomy.load_lexicon("title_qualities.toml")

    def alternation(words: Sequence[str]) -> str:
        # (a space in a phrase stands for a hyphen as well: "Dynamic-Range", "dynamic range")
        escaped = (re.escape(w).replace(r"\ ", r"[\s-]+") for w in words)
        return "|".join(sorted(escaped, key=len, reverse=True))

    # ("… from Casual Dynamic Videos", "… Dynamic Monocular Videos", "monocular videos of
    # dynamic scenes": a word qualifying the footage says what the work is run on, not what
    # it builds)
    changing = alternation(data["changing"])
    footage = r"(?:videos?|clips?|footage|recordings?)"
    return (
        re.compile(rf"(?<![\w-])(?:{changing})(?!\w)(?!\s+(?:[\w-]+\s+)?{footage}(?!\w))"),
        re.compile(
            rf"(?<![\w-])(?:{alternation(data['not_changing'])})(?![\w])"
            rf"|(?<!\w){footage}\s+of\s+(?:[\w-]+\s+)?(?:{changing})(?!\w)"
        ),
        re.compile(rf"(?<![\w-])(?:{alternation(data['still'])})(?!\w)"),
    )


def _says_it_changes(title: str) -> bool:
    """Whether a source's name and title (normalized) say the scene its work builds changes
    over time (lexicon/title_qualities.toml, `changing` less `not_changing`)."""
    changing, not_changing, _ = _changing_words()
    return changing.search(not_changing.sub(" ", title)) is not None


@cache
def _generalist_words() -> re.Pattern[str]:
    return _whole_words(taxonomy.load_lexicon("title_qualities.toml")["generalist"])


def _says_it_is_generalist(title: str) -> bool:
    """Whether a source's name and title (normalized) say its work is one model for many jobs
    (lexicon/title_qualities.toml, `generalist`)."""
    return _generalist_words().search(title) is not None


def reads_as_generalist(source: Source) -> bool:
    """Whether a source known by its bare title says it is one model for many jobs ("A
    Generalist Modeling Interface for Vision Tasks"): its readings are all open, and none of
    them is likelier than another for being its."""
    return source.guessed and _says_it_is_generalist(normalize(f"{source.name} | {source.title}"))


def _says_it_is_still(summary: str) -> bool:
    """Whether a summary (normalized) says outright that the scene its work builds is still
    (lexicon/title_qualities.toml, `still`)."""
    return bool(summary) and _changing_words()[2].search(summary) is not None


# What a title says its work starts from: "from", then the thing, before the next preposition.
_FROM = re.compile(r"(?<!\w)from\s+")
_PHRASE_END = re.compile(r"(?<!\w)(?:with|for|via|using|by|and|through|in|to|into)(?!\w)|[:|,.;]")
# "… Extension from Images to Videos", "Transfer from Language to Vision": a method carried
# from one kind of data to another, which says where it came from, not what it is run on.
_CARRIED = re.compile(
    r"(?<!\w)(?:extension|extending|extends?|transfer|transferring|adapting|adaptation|"
    r"generali[sz](?:ation|ing|es?))\s+$"
)
_TO_A_THING = re.compile(
    r"\s*to\s+(?:\w+\s+){0,1}(?:images?|videos?|vision|language|text|audio|3d|4d|clips?|"
    r"frames?|views?)(?!\w)"
)
# Things a work is run on; a guide (a mask, a camera path) is read from summaries (guides.toml).
_STARTING_FAMILIES = frozenset({"rgb", "stereo", "audio"})


def stated_start(title: str) -> str | None:
    """The thing a title (normalized) says its work starts from, or None: the head of the
    phrase after "from" ("Monocular Video" is a video), unless a word before it names a kind
    of that thing ("Multi-view Video" is a multi-view video; "Multi-View Images" a set of
    images). Where no "from" says it, the thing named right before a word for work done on
    an existing thing says it: "… Talking-Face Video Editing" and "… Text-to-Video Editing"
    change a clip someone already has; "Image Matting" is run on a picture."""
    modalities = taxonomy.modalities()
    started = _started_from_phrase(title, modalities)
    if started is not None:
        return started
    one_view = _ONE_VIEW.search(title)
    if (
        one_view is not None
        and not _TO_MORE_VIEWS.match(title, one_view.end())
        and not _OVER_TIME.search(title)
    ):
        # "Single-View 3D Reconstruction" starts from one picture, where the title names no
        # thing that moves ("Single-View Depth for Driving Sequences", "… of Dynamic Scenes"
        # start from a clip; one said to start "from" something returned above). The images
        # it may name are what it makes ("Sampling Multiview Consistent Images for
        # Single-View Scene Reconstruction").
        return "image"
    # (two works on different things, "Image Restoration and Video Editing", say no one start)
    worked_on = {
        _worked_on(title, worked.start(), modalities) for worked in _WORKED_ON.finditer(title)
    }
    worked_on.discard(None)
    return worked_on.pop() if len(worked_on) == 1 else None


def _worked_on(title: str, at: int, modalities: Mapping[str, taxonomy.ModalityInfo]) -> str | None:
    """The thing named right before the work word at `at`: the head of "Multi-view Video"
    (a multi-view video), and of "Image-to-Video Translation" the thing turned (a picture),
    unless that is a prompt ("Text-to-Video Editing" changes a clip)."""
    before = title[max(0, at - 60) : at]
    hits = list(taxonomy.modality_matcher().find(before))
    if not hits or hits[-1].end != len(before):
        return None
    head = hits[-1]
    if len(hits) > 1 and _TO_BETWEEN.fullmatch(before, hits[-2].end, head.start):
        turned = hits[-2].label
        if modalities[turned].family in _STARTING_FAMILIES:
            return turned
    elif len(hits) > 1 and head.label in modalities[hits[-2].label].includes:
        head = hits[-2]
    return head.label if modalities[head.label].family in _STARTING_FAMILIES else None


# A title's count of views that says its work starts from one picture, where no thing to
# start from is named after it: "Single-View 3D Reconstruction".
_ONE_VIEW = re.compile(r"(?<!\w)(?:single|one)[- ]view(?!\w)")
# "Single-View to Multi-View …": the one view is where an X-to-Y compound starts
_TO_MORE_VIEWS = re.compile(r"\s*(?:-to-|\s+to\s+|2)")
# words of a work on something that unfolds over time, a clip named inside another thing's
# name among them ("Video Depth")
_OVER_TIME = re.compile(
    r"(?<!\w)(?:dynamic|moving|motion|temporal|time|sequences?|frames|4d|deformable|"
    r"non-rigid|monocular|videos?|clips?|footage|slam|odometry|tracking|tracker|flow|"
    r"capture|trajectories|trajectory)(?!\w)"
)
# the joint of an "X-to-Y" or "X2Y" compound
_TO_BETWEEN = re.compile(r"\s*(?:-to-|\s+to\s+|2)\s*")


# "Text-to-Audio", "Video-to-Video", "img2img": a title naming a conversion names its start,
# whether or not the start is a thing of its own ("text" is a prompt)
_CONVERSION_NAMED = re.compile(r"[a-z0-9](?:-to-|2)[a-z]")
# Words for work done on a thing that already exists, which name the thing worked on right
# before them ("Video Editing", "Video Translation", "Image Matting"). Unlike "generation"
# or "synthesis" (`_MADE`), the thing named before them is what the work is handed.
_WORKED_ON = re.compile(
    r"\s*(?<!\w)(?:editing|edits|translation|colou?ri[sz]ation|inpainting|matting|"
    r"segmentation|restoration|retouching|relighting|styli[sz]ation|re-?rendering|dubbing)"
    r"(?!\w)"
)


def _started_from_phrase(title: str, modalities: Mapping[str, taxonomy.ModalityInfo]) -> str | None:
    """The head of the phrase after "from" in a title (see `stated_start`), or None."""
    for found in _FROM.finditer(title):
        rest = title[found.end() : found.end() + 60]
        end = _PHRASE_END.search(rest)
        phrase = rest[: end.start()] if end else rest
        if _CARRIED.search(title, max(0, found.start() - 30), found.start()) and _TO_A_THING.match(
            rest, len(phrase)
        ):
            continue  # "… Extension from Images to Videos": carried from one kind to another
        hits = list(taxonomy.modality_matcher().find(phrase))
        if not hits:
            continue
        head = hits[-1].label
        if len(hits) > 1 and head in modalities[hits[-2].label].includes:
            head = hits[-2].label
        if modalities[head].family in _STARTING_FAMILIES:
            return head
    return None


# What a title says its work makes: the thing named just before "generation", "synthesis",
# "creation" or "generators" ("… for Text-to-Video Generation" makes a video, "… 3D Content
# Creation" a 3D object, "… Models are Zero-Shot Video Generators" a video). Only a thing
# named right before the word counts: in "Audio-Driven Synthesis" or "Speech to Lip
# Generation" the thing is what drives the work, not what it makes.
# ("… Image Generators for Monocular Depth Estimation" are repurposed: a means)
_MADE = re.compile(r"\s*(?<!\w)(?:generation|synthesis|creation|generators?(?!\s+for(?!\w)))(?!\w)")
# The work's name ends on "Animation" ("… Semi-Body Human Animation", "Talking-Head
# Animation"): what it makes is the moving picture, whatever body or face words stand before
# it (a body named there is what moves, not a motion captured).
# ...unless what is animated is a shape or a motion ("Speech-Driven 3D Facial Animation",
# "Universal Mesh Animation", "Skeletal Animation"): that makes a moving mesh or a motion.
_SHAPE_ANIMATED = re.compile(
    r"(?<!\w)(?:3d|4d|mesh|meshes|skeletal|skeleton|motion|rig|rigged|avatar)\s+(?:[\w-]+\s+)?$"
)
_ANIMATION = re.compile(
    r"(?<!\w)animation(?:\s*$|\s*[:(]|\s+(?:with|via|using|from|by|for)\s)"
    # ...or says it as a verb or a doer: "Learning to Animate Images", "… Image Animator"
    r"|(?<!\w)animat(?:e|es|ing)\s+(?:(?:a|an|any|your|the|one|single|still|static)\s+){0,2}"
    r"(?:images?|pictures?|photos?|portraits?|characters?|humans?|people|faces?)(?!\w)"
    r"|(?<!\w)(?:image|portrait|photo|picture|character|human|face)\s+animators?(?!\w)"
)


def stated_products(title: str) -> frozenset[str]:
    """The things a title (normalized) says its work makes: "Image Guided Audio Generation"
    makes audio, "Human Motion Video Generation" a video; "Novel Multi-view Synthesis and 3D
    Generation" names two; "… Human Animation" a video."""
    found: set[str] = set()
    animation = _ANIMATION.search(title)
    if animation and not _SHAPE_ANIMATED.search(title, 0, animation.start()):
        found.add("video")
    for made in _MADE.finditer(title):
        before = title[max(0, made.start() - 40) : made.start()]
        hits = [hit for hit in taxonomy.modality_matcher().find(before) if hit.end == len(before)]
        if hits:
            found.add(hits[-1].label)
    return frozenset(found)


# "turns a text prompt into images", "converts monocular videos into stereoscopic 3D": what
# a summary says its work turns into what, in one sentence.
_CONVERTS = re.compile(
    r"(?<!\w)(?:turns?|turning|converts?|converting|transforms?|transforming|lifts?|lifting)"
    r"\s+([^.;:!?]{1,80}?)\s+into\s+([^.;:!?]{1,120})"
)


# "takes a clip and predicts its depth", "predicts camera poses and point maps from a set of
# photos": the same said with a verb of taking and one of making, or of making from.
_TAKES_THEN_MAKES = re.compile(
    r"(?<!\w)(?:takes?|taking|accepts?|accepting|ingests?|consumes?)\s+([^.;:!?]{1,80}?)\s+"
    r"(?:and|then)\s+(?:\w+ly\s+)?(?:predicts?|outputs?|produces?|returns?|estimates?|"
    r"recovers?|generates?|infers?|regresses?|reconstructs?|renders?)\s+([^.;:!?]{1,120})"
)
_MAKES_FROM = re.compile(
    r"(?<!\w)(?:predicts?|predicting|outputs?|produces?|estimates?|estimating|recovers?|"
    r"recovering|infers?|regresses?|reconstructs?|reconstructing)\s+([^.;:!?]{1,120}?)\s+"
    r"(?:directly\s+)?from\s+([^.;:!?]{1,80})"
)


# A comma before one of these starts another clause, not another thing of a list ("from a
# video, and outputs …"; not "a text prompt, a reference image and …", nor "1,000 frames").
_NEXT_CLAUSE = re.compile(r",\s+(?:and|then|which|while|before|after|so)\s")
# A comma, then a few words and a verb of being or having: a clause of its own ("…, image
# features are fused in"), not more of a list of things ("a detailed, fully textured mesh").
_CLAUSE_AFTER_COMMA = re.compile(
    r",\s+(?:[^\s,]+\s+){0,3}?(?:is|are|was|were|being|gets|get|got|has|have|had|becomes?)\s"
)
# What follows these in a list of things made is an aside, not more of the list.
_SAID_BY_THE_WAY = re.compile(r"\s(?:from|for example|for instance|e\.g\.|such as|using|with)\s")
# How many words may stand before the first thing a phrase of taking or making names.
_WORDS_BEFORE_THE_THING = 4


def _names_first(matcher: CueMatcher, words: str) -> bool:
    """Whether `words` name a thing within their first few words ("casual monocular videos
    of dynamic scenes" does; "the motion context of 2D keypoints with image features" not)."""
    hits = list(matcher.find(words))
    return bool(hits) and len(words[: hits[0].start].split()) <= _WORDS_BEFORE_THE_THING


def stated_conversion(summary: str) -> tuple[str | None, tuple[str, ...]]:
    """What a summary (normalized) says its work turns into what: the thing it starts from
    (the last thing named before "into", or None) and the things it makes, in the order
    named; (None, ()) when it names nothing made. It is said with "turns X into Y", "takes X
    and predicts Y" or "predicts Y from X"; the first such phrase is read. Of several things
    it starts from ("a reference image plus a text prompt"), the one turned is one a user
    could not just type or draw: the prompt or the camera path steers how."""
    matcher = taxonomy.modality_matcher()
    said = []
    found = _CONVERTS.search(summary)
    if found is not None:
        # (what it makes ends where a clause of its own begins: "lifts 2D keypoints into 3D,
        # image features are fused in" makes no picture)
        made_words = _SAID_BY_THE_WAY.split(found.group(2), maxsplit=1)[0]
        made_words = _CLAUSE_AFTER_COMMA.split(made_words, maxsplit=1)[0]
        if _names_first(matcher, made_words):
            said.append((found.start(), found.group(1), made_words))
    # (a verb of taking or of making from says a conversion only where a thing follows it
    # closely: "refines it from local appearance correlations" names no thing it starts from)
    for found, start_at, made_at in (
        (_TAKES_THEN_MAKES.search(summary), 1, 2),
        (_MAKES_FROM.search(summary), 2, 1),
    ):
        if found is None:
            continue
        # (each ends at an aside or a comma: "from a single image with a video diffusion
        # prior" starts from the image; "camera poses from a video, and outputs …")
        start_words = _SAID_BY_THE_WAY.split(found.group(start_at), maxsplit=1)[0]
        start_words = _NEXT_CLAUSE.split(start_words, maxsplit=1)[0]
        made_words = _SAID_BY_THE_WAY.split(found.group(made_at), maxsplit=1)[0]
        made_words = _CLAUSE_AFTER_COMMA.split(made_words, maxsplit=1)[0]
        if _names_first(matcher, start_words) and _names_first(matcher, made_words):
            said.append((found.start(), start_words, made_words))
    if not said:
        return None, ()
    _, start_words, made_words = min(said)
    starts = [hit.label for hit in matcher.find(start_words)]
    made = tuple(dict.fromkeys(hit.label for hit in matcher.find(made_words)))
    supplied = taxonomy.freely_supplied()
    turned = [thing for thing in starts if thing not in supplied] or starts
    if not made:
        return None, ()
    return (turned[-1] if turned else None), made


def _needs_only(task: taxonomy.Task, start: str | None) -> bool:
    """Whether `start` is what the task is run on: one of the things it cannot do without,
    the others being things a user can always supply (a relighting takes a prompt too, but
    is run on a picture)."""
    if start is None:
        return True
    ports = task.signature.ports_in() if task.signature else ()
    needed = {p.modality for p in ports if not p.optional} or set(task.inputs)
    return start in needed and needed - {start} <= set(taxonomy.freely_supplied())


def _makes(task: taxonomy.Task, things: frozenset[str]) -> bool:
    """Whether `task` makes one of `things`, a kind of one or one of whose kinds it is: a
    multi-view video is a video, and "Multi-view Synthesis" is done by a video of new views."""
    modalities = taxonomy.modalities()
    ports = task.signature.ports_out() if task.signature else ()
    made = {m for port in ports for m in port.modalities} | set(task.outputs)
    return any(
        out == thing or thing in modalities[out].includes or out in modalities[thing].includes
        for out in made
        for thing in things
    )


@cache
def _model_families() -> tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]:
    families = []
    for family in taxonomy.load_lexicon("model_families.toml").values():
        names = sorted(family["names"], key=len, reverse=True)
        alternation = "|".join(re.escape(n) for n in names)
        families.append((re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), tuple(family["tasks"])))
    return tuple(families)


def _repository_name(source: Source) -> str:
    """The name of the source's code repository, normalized ("llava" for
    github.com/haotian-liu/LLaVA): where a catalog lists a paper by its title alone ("Visual
    Instruction Tuning"), the repository carries the name the work is known by. Only a
    family's name is looked for in it; its other words (an organisation's, "lavis") say
    nothing of the job."""
    if not source.github_url:
        return ""
    url = source.github_url if "://" in source.github_url else f"https://{source.github_url}"
    parts = urlsplit(url)
    if (parts.hostname or "").removeprefix("www.") != "github.com":
        return ""
    path = parts.path.strip("/").split("/")
    return normalize(path[1]) if len(path) >= 2 else ""


@cache
def _host_repositories() -> frozenset[str]:
    """lexicon/host_repositories.toml: repositories hosting many works under one name."""
    return frozenset(
        name.lower() for name in taxonomy.load_lexicon("host_repositories.toml")["repositories"]
    )


def _repository_is_the_works(source: Source) -> bool:
    """Whether the source's code repository may be taken as the work's own: not one that
    hosts many works under its name ("TextDiffuser" in github.com/microsoft/unilm, whose
    name is a language model's), nor a sibling's whose name the work's own shares a stem
    with (`_sibling_names`)."""
    repository = _repository_name(source)
    if not repository or repository.lower() in _host_repositories():
        return False
    head, colon, _ = (source.title or "").partition(":")
    return not any(_sibling_names(own, repository) for own in (source.name, head if colon else ""))


# The shortest stem two names must share to be of one family ("Smol" of SmolVLM and SmolLM).
_FAMILY_STEM = 3


def _sibling_names(own: str, repository: str) -> bool:
    """Whether a work's own name and its repository's are two members of one family: they
    open alike, but neither is the other, nor the other with an edition or more after it.
    SmolVLM (a model that sees pictures) in github.com/huggingface/smollm is not SmolLM (a
    language model); "Whisper large-v3" in whisper and CogVideoX in CogVideo are the
    repository's work, and "Alias-Free GAN" in stylegan3, sharing no stem, may be. The
    stem ends where a word of the work's own name does ("Smol|VLM"): "tesserocr", a wrapper
    in the tesseract repository, only opens with the same letters."""
    mine, theirs = (
        squash(_EDITION_TAIL.sub("", normalize(name)).strip() or name) for name in (own, repository)
    )
    if not mine or not theirs or mine.startswith(theirs) or theirs.startswith(mine):
        return False
    # (neither opens the other, so they part somewhere within the shorter)
    shared = next(i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b)
    return shared >= _FAMILY_STEM and shared in _word_starts(own)


def _word_starts(name: str) -> set[int]:
    """Where the words of a name begin, counted in its letters and digits only: after a
    space or a hyphen, at a capital after a small letter ("SmolVLM": 0 and 4), and where
    letters turn to digits or back."""
    starts: set[int] = set()
    kept = 0
    previous = ""
    for char in name:
        if not char.isalnum():
            previous = " "
            continue
        if (
            kept == 0
            or previous == " "
            or (char.isupper() and previous.islower())
            or char.isdigit() != previous.isdigit()
        ):
            starts.add(kept)
        kept += 1
        previous = char
    return starts


def _own_name(source: Source) -> str:
    """What a source calls itself: its name, or its title's part before a colon."""
    head, colon, _ = (source.title or "").partition(":")
    return f"{source.name} | {head}" if colon else f"{source.name} | {source.title or ''}"


def _family_tasks(name_text: str) -> set[str]:
    """The tasks of the well-known model families a (normalized) name and title name
    (lexicon/model_families.toml)."""
    known = taxonomy.tasks()
    return {
        task
        for pattern, tasks in _model_families()
        if pattern.search(name_text)
        for task in tasks
        if task in known
    }


@cache
def _quality_words() -> re.Pattern[str]:
    words = taxonomy.load_lexicon("title_qualities.toml")["modifiers"]
    alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?=\s+\w)", re.IGNORECASE)


def _without_quality_words(title: str) -> str:
    """A title (normalized) without the words praising what it makes ("High-Resolution
    Multiview Diffusion"), which would read as the job of raising a resolution
    (lexicon/title_qualities.toml)."""
    return _quality_words().sub(" ", title)


# "Exploiting Dense Point Trajectories for Localizing Moving Cameras": what a title says it
# uses, before the job it names with "for" and a verb, is its means, not its job.
# So is what follows "via", up to a job it is for: "Tuning-Free Longer Video Diffusion via
# Noise Rescheduling" makes videos; the noise is how. And what a work is "aware" of is what
# it pays heed to while doing its job: "Depth-Aware Video Frame Interpolation" makes no depth.
_MEANS_FOR_A_JOB = re.compile(
    r"(?<!\w)(?:exploiting|leveraging|harnessing|using)\s+[^:|]{1,80}?\s+(?=for\s+[a-z]+ing(?!\w))"
    r"|(?<!\w)via\s+(?:(?!\s(?:for|to)\s)[^:|]){1,80}"
    r"|(?<![\w-])[^\W_]+(?:-[^\W_]+)*[-\s]aware(?!\w)",
    re.IGNORECASE,
)


def _without_means(title: str) -> str:
    """A title without the means it names for its job."""
    return _MEANS_FOR_A_JOB.sub(" ", title)


def _without_borrowed_names(title: str, *, said_used: bool = False) -> str:
    """A title (normalized) without the task names that only say what kind of model it builds
    on, where it names something else it does: "Animate Your Personalized Text-to-Image
    Diffusion Models" animates; the text-to-image models are what it starts from. Where it is
    the title's only task name, it goes only when the words before it make those models
    something the work uses ("… Image Animator via Modules in Text-to-Image Models"): then
    what the title means says what the model does. "A Generative Image-to-text Transformer"
    is what the model is, and keeps its name. A summary (`said_used`) loses only names the
    words before make used: "the editing of real photos with text-to-image diffusion models"
    edits photos; "A text-to-video latent diffusion transformer" makes clips from text."""
    # task names only: a hint ("language") names no other job the title does
    hits = [h for h in taxonomy.task_matcher().find(title) if not h.label.endswith(":hint")]
    borrowed = [hit for hit in hits if names_a_method(title, hit.end)]
    if not borrowed:
        return title
    # (a shorter cue inside a borrowed name, "inpaint" in "Image Inpainting Model", names no
    # other job)
    others = [
        hit
        for hit in hits
        if hit not in borrowed
        and not any(b.start <= hit.start and hit.end <= b.end for b in borrowed)
    ]
    if not others or said_used:
        # (in a summary, only where the words before it say it is used: "A text-to-video
        # latent diffusion transformer" is what the model is, in a summary as in a title)
        borrowed = [hit for hit in borrowed if _USED_BEFORE.search(title, 0, hit.start)]
        if not borrowed:
            return title
    pieces, last = [], 0
    for hit in sorted(borrowed, key=lambda h: h.start):
        if hit.start < last:
            continue
        pieces.extend((title[last : hit.start], " " * (hit.end - hit.start)))
        last = hit.end
    pieces.append(title[last:])
    return "".join(pieces)


def adopt_task(
    sources: Sequence[Source], task_id: str, *, doing: taxonomy.Task | None = None
) -> tuple[Source, ...]:
    """The sources, each one that could be serving `task_id` but was read as something else
    now read as serving it: a title that names no task is read in the light of the request.
    A source whose own words (a summary, a catalog entry, a task named in its title) say what
    it does keeps its reading, so a model that does not fit is still said not to. (`doing`:
    the task as the request reads it, done only by the drawings that can show its subject:
    `scope.drawings_shown`.)"""
    adopted: list[Source] = []
    for source in sources:
        if (
            task_id not in source.tasks[:1]
            and (task_id in source.plausible or _draws_its_own(source, task_id, doing))
            and not _composed_into(source, task_id)
        ):
            tasks = (task_id, *(t for t in source.tasks if t != task_id))
            source = source.model_copy(
                update={
                    "tasks": tasks,
                    "signatures": source_signatures(source, tasks),
                    # (a title saying it does many jobs does not say it does this one: the
                    # answer says its part comes from the request)
                    "read_from_request": source.read_from_request or reads_as_generalist(source),
                }
            )
        adopted.append(source)
    return tuple(adopted)


def _composed_into(source: Source, task_id: str) -> bool:
    """Whether `source`'s own reading makes, from what the task starts from, a thing the
    task's composing operation takes (a matte of the clip, which the new background is
    composited behind): the model is the step before that operation, as an engineer wires
    it, not a second reading of the whole job."""
    known = taxonomy.tasks()
    task = known.get(task_id)
    reading = known.get(source.tasks[0]) if source.tasks else None
    if task is None or reading is None:
        return False
    modalities = taxonomy.modalities()
    operations = taxonomy.operations()
    taken = {
        m
        for op in task.done_by
        if op in operations and operations[op].kind == "compose"
        for m in operations[op].inputs
    }
    return set(reading.inputs) <= set(task.inputs) and any(
        made not in task.inputs and any(made == m or m in modalities[made].includes for m in taken)
        for made in reading.outputs
    )


def _draws_its_own(source: Source, task_id: str, doing: taxonomy.Task | None = None) -> bool:
    """Whether `source` is read as building, from what the task starts from, the thing the
    task draws its result from (a scene reconstructed from the photos, for new views of
    them): such a model renders its own views, as its papers show them, and does the task.
    (`doing`: the task as the request reads it, where given.)"""
    known = taxonomy.tasks()
    task = doing if doing is not None and doing.id == task_id else known.get(task_id)
    if task is None or not source.tasks:
        return False
    operations = taxonomy.operations()
    # (not a drawing that needs the user's own footage as well: a stereo pair shifted from
    # the frames by their depth is made with the depth model's help, not by it)
    # (an image-to-3D model made of multi-view or video diffusion draws the views of its
    # object as it builds it: the drawing of its mesh is its own, as its papers show it)
    drawn = {
        m
        for op in task.done_by
        if op in operations and operations[op].kind == "render" and len(operations[op].inputs) == 1
        for m in operations[op].inputs
    }
    reading = known.get(source.tasks[0])
    if reading is None or not drawn:
        return False
    needed = reading.signature.required_inputs if reading.signature else tuple(reading.inputs)
    return set(reading.outputs) <= drawn and set(needed) <= set(task.inputs)


# What a source is marked as doing when its own summary and title speak of nothing the
# taxonomy knows (`speaks_of_no_media`): a job of another field, unnamed.
NO_MEDIA_JOB = "beyond_media"
# (a summary this long says what the work is about; a shorter one may just be a tag line)
_OWN_SUMMARY_WORDS = 12


def speaks_of_no_media(source: Source) -> bool:
    """Whether the source's own summary (its sentences to the reader left out), at least a few
    lines of it, and its name and title together name no picture, clip, sound, 3D thing or
    task: "a Python library for causal inference … estimates the effect with statistical
    estimators". A title alone is too little to say so ("Segment Anything" names no thing)."""
    summary = described(source.summary) or ""
    if len(summary.split()) < _OWN_SUMMARY_WORDS:
        return False
    text = normalize(f"{source.name} | {source.title} | {summary}")
    if next(iter(taxonomy.modality_matcher().find(text)), None) is not None:
        return False
    if _media_words().search(text):
        return False
    return not any(not hit.label.endswith(":hint") for hit in taxonomy.task_matcher().find(text))


@cache
def _media_words() -> re.Pattern[str]:
    """lexicon/media_words.toml's words, whole, a plural ending allowed."""
    words = taxonomy.load_lexicon("media_words.toml")["words"]
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?:s|es)?(?![\w])", re.IGNORECASE)


def adopt_unread(sources: Sequence[Source], task_id: str) -> tuple[Source, ...]:
    """The sources, each recommended one with no reading at all (its name, title and summary
    near no task and no known family: "Zorblax-V: A Nine-Level Helper on Your Phone") read as
    doing the user's task, the job it was recommended for. Nothing it says contradicts that,
    and saying it does not fit would be a claim with nothing behind it; the answer says
    instead that its part is taken from the request (`Source.read_from_request`). A source
    with any reading keeps it, and is judged by it.

    Not one whose own summary says what its work is and names nothing of pictures, clips,
    sound or 3D (`speaks_of_no_media`: a library for causal inference, a platform for
    quantitative investment): that is a claim behind the mismatch, and it is marked as a
    job of another field (`NO_MEDIA_JOB`)."""
    if task_id not in taxonomy.tasks():
        return tuple(sources)
    adopted: list[Source] = []
    for source in sources:
        if (
            source.role == "recommended"
            and not source.tasks
            and not source.plausible
            and not source.catalog_id
            and not source.signatures
            and not source.other_job  # (a job of its own: lexicon/other_jobs.toml)
        ):
            if speaks_of_no_media(source):
                adopted.append(source.model_copy(update={"other_job": NO_MEDIA_JOB}))
                continue
            tasks = (task_id,)
            source = source.model_copy(
                update={
                    "tasks": tasks,
                    "signatures": source_signatures(source, tasks),
                    "read_from_request": True,
                }
            )
        adopted.append(source)
    return tuple(adopted)


def _ways_in(source: Source, supplied: set[str]) -> tuple[Signature, ...]:
    """The signatures of `source` that run on what the user brought, or all of them when none
    does."""
    runs = tuple(sig for sig in source.signatures if set(sig.required_inputs) <= supplied)
    return runs or source.signatures


def _required(task: taxonomy.Task) -> set[str]:
    """What a task cannot do without."""
    return set(task.signature.required_inputs if task.signature else task.inputs)


def _ways_to_the_job(source: Source, task: str | None) -> tuple[Signature, ...]:
    """The signatures of `source`; of a model doing the user's `task`, those making what the
    job makes (the clip a reconstruction's camera-path way reads is none of the photos'
    steps), or all of them when none does."""
    known = taxonomy.tasks()
    if task not in known or source.tasks[:1] != (task,):
        return source.signatures
    job_makes = set(known[task].outputs)
    making = tuple(sig for sig in source.signatures if set(sig.outputs) & job_makes)
    return making or source.signatures


def _hands_on(source: Source, recommended: Sequence[Source]) -> bool:
    """Whether what `source` makes by its own reading is what a model recommended after it
    needs (an upscaled picture for an inpainter): told as steps, the two are that chain."""
    later = recommended[[s.id for s in recommended].index(source.id) + 1 :]
    made = {m for sig in source.signatures for m in sig.outputs}
    return any(made & set(sig.required_inputs) for other in later for sig in other.signatures)


def adopt_feeder(
    sources: Sequence[Source],
    have: Sequence[str],
    task: str | None = None,
    *,
    steps_told: bool = False,
    made: Sequence[str] = (),
    alternatives_told: bool = False,
) -> tuple[Source, ...]:
    """The sources, a recommended bare title read as the step before another recommended
    model where its meaning allows it: when the other needs something the user did not bring
    (camera poses and points for a splatting model) and a task near the title makes it from
    what they did bring (photos), the two were recommended as one chain. So too when both
    are read as doing the user's `task` itself, twice over, and a task near the title makes,
    from what the user brought, a thing the other takes (a portrait stylised before a talking
    head speaks it), where the user tells of steps one after another (`steps_told`: "it
    first …, then …"); otherwise two models of one job are two ways of doing it. A source
    whose reading already feeds another, or whose own words say what it does, keeps its
    reading. Where the user says each did the whole job (`alternatives_told`), none is read
    as a step before another."""
    if alternatives_told:
        return tuple(sources)
    known = taxonomy.tasks()
    # (what anyone could supply is supplied, unless the user says a model made it: `made`)
    supplied = set(have) | (set(taxonomy.freely_supplied()) - set(made))
    current = {s.id: s for s in sources if s.role == "recommended"}
    # (a photo of the set the user brought is brought)
    within = supplied | {inner for m in supplied for inner in taxonomy.modalities()[m].includes}
    within_have = set(have) | {inner for m in have for inner in taxonomy.modalities()[m].includes}
    for source_id, source in list(current.items()):
        if not (source.guessed and source.near):
            continue
        others = [o for o in current.values() if o.id != source_id]
        # what the others take, needed or optional (a splatting model's points), that the
        # user did not bring
        # (of a model that can already run on what the user brought, only what that way of
        # running takes: not the clip its other way reads, when the user brought photos;
        # unless the user tells of steps, or of a thing a model made on the way)
        every_way = steps_told or bool(made)
        lacking = {
            m
            for o in others
            for sig in (_ways_to_the_job(o, task) if every_way else _ways_in(o, supplied))
            for m in sig.inputs
        }
        lacking -= supplied
        # (a reading that makes it, but from something the user did not bring — a caption of
        # one picture, for someone with a clip — feeds nothing)
        # (nor one running only on what anyone could supply, a prompt nobody typed, when the
        # user brought something: the first step takes what they brought)
        feeds = any(
            set(sig.outputs) & lacking
            and set(sig.required_inputs) <= supplied
            and (not have or set(sig.inputs) & within_have)
            for sig in source.signatures
        )
        needed = {m for o in others for sig in o.signatures for m in sig.required_inputs}
        if steps_told and not (needed - supplied) and _hands_on(source, list(current.values())):
            # "it enlarged it first, then …": its own reading is the first step, where the
            # others need nothing the user lacks (a mask they may leave out is no need)
            continue
        wanted = lacking if not feeds else set()
        if not wanted and steps_told and task is not None and source.tasks[:1] == (task,):
            # what the others doing the same job need from something the user brought, and
            # turn into something else: two models passing a clip on as a clip are two ways
            # of doing the job, not two steps of it
            wanted = {
                m
                for o in others
                if o.tasks[:1] == (task,)
                for sig in o.signatures
                for m in sig.required_inputs
                if m not in sig.outputs
            } & set(have)
        if not wanted and steps_told and task is not None and source.tasks[:1] != (task,):
            # ...and a bare title told of as the step before a model doing the job, whose own
            # reading hands it nothing ("it first cleared the haze from the photo, then cut my
            # cousin out": a title read as a 3D model maker): the step passing on what the
            # user brought, bettered, in the form the later one takes
            later = list(current.values())[list(current).index(source_id) + 1 :]
            wanted = {
                m
                for o in later
                if o.tasks[:1] == (task,)
                for sig in o.signatures
                for m in sig.required_inputs
            } & within_have
            # (a set of photos is bettered one photo at a time)
            modalities = taxonomy.modalities()
            wanted |= {inner for m in wanted for inner in modalities[m].includes}
        for task_id in source.near if wanted else ():
            near = known[task_id]
            if (
                task_id != task
                and set(near.outputs) & wanted
                and all(m in within for m in near.inputs)
                and (not have or set(near.inputs) & within_have)
            ):
                tasks = (task_id, *(t for t in source.tasks if t != task_id))
                signatures = source_signatures(source, tasks)
                current[source_id] = source.model_copy(
                    update={"tasks": tasks, "signatures": signatures}
                )
                break
    if steps_told and task in known:  # (not when no task could be told: "none")
        current = _as_later_steps(current, supplied, task)
        current = _last_step_does_the_job(current, task)
    return tuple(current.get(s.id, s) if s.role == "recommended" else s for s in sources)


def adopt_told_steps(
    sources: Sequence[Source], steps: Sequence[str], task: str
) -> tuple[Source, ...]:
    """The sources, each recommended model doing the user's `task` also taking what the user
    tells was made in a step before the result, where another recommended model makes it:
    "it first worked out the depth of the photo, then made a video in which the camera
    circles the group" went on from the depth, whatever the video model's title says it
    takes. It is an input the model may go without (`with_guides`): the user told what was
    done, not what the model cannot do without."""
    if not steps:
        return tuple(sources)
    modalities = taxonomy.modalities()

    def same(told: str, made: str) -> bool:
        # (the depth told of is the depth map made: one holds the other)
        return (
            told == made or made in modalities[told].includes or told in modalities[made].includes
        )

    recommended = [s for s in sources if s.role == "recommended"]
    made_before = {
        made
        for source in recommended
        if source.tasks[:1] != (task,)
        for sig in source.signatures
        for made in sig.outputs
        if any(same(told, made) for told in steps)
    }
    if not made_before:
        return tuple(sources)
    adopted = []
    for source in sources:
        if source.role == "recommended" and source.tasks[:1] == (task,):
            source = source.model_copy(
                update={"signatures": with_guides(source.signatures, sorted(made_before))}
            )
        adopted.append(source)
    return tuple(adopted)


def adopt_guide(sources: Sequence[Source], *, wanted: Iterable[str] = ()) -> tuple[Source, ...]:
    """The sources, a recommended model of a job that a guide can steer (`guided_by` in
    taxonomy/tasks.toml: which subject to follow through the clip, what a hole should hold)
    taking that guide as an optional input, where another recommended model makes it from
    one picture: a segmenter recommended beside a matting or tracking model was recommended
    to pick the subject in one frame. A title alone never says a model takes a guide; the
    company it is recommended in does. Not a thing the user wants as their result
    (`wanted`: the caption they asked for is no fill prompt), nor one made by a job of
    another field (the words an OCR system reads off a watermark describe no picture)."""
    wanted = frozenset(wanted)
    known = taxonomy.tasks()
    recommended = [s for s in sources if s.role == "recommended"]
    adopted: dict[str, Source] = {}
    for source in recommended:
        steered = {
            guide for task in source.tasks[:1] if task in known for guide in known[task].guided_by
        }
        # (not by a model that makes what this one makes itself: SAM 2, segmenting clips as
        # well as pictures, beside XMem is another way of following the subject, not a step
        # picking it)
        makes = {m for sig in source.signatures for m in sig.outputs}
        made_for_it = {
            m
            for other in recommended
            if other.id != source.id
            and not other.other_job
            and not makes & {m for sig in other.signatures for m in sig.outputs}
            for sig in other.signatures
            if set(sig.required_inputs) == {"image"}
            for m in sig.outputs
        }
        guides = sorted((steered & made_for_it) - wanted)
        if guides:
            signatures = with_guides(source.signatures, guides)
            adopted[source.id] = source.model_copy(update={"signatures": signatures})
    return tuple(adopted.get(s.id, s) for s in sources)


def _last_step_does_the_job(current: dict[str, Source], task: str) -> dict[str, Source]:
    """The last of the recommended models the user tells of one after another ("it first
    cleaned the scan up, then turned it into a depth map"), known only by its title and read
    as something near the user's job, read as doing the job: the steps told end in the result
    the user asked about, and the model making it is the last one. Not where it is already
    read so, nor where no earlier model is a step towards it (the others doing the job too
    are alternatives, `adopt_alternative`)."""
    steps = list(current.values())
    if len(steps) < 2:
        return current
    last = steps[-1]
    if (
        last.guessed
        and task in last.near
        and last.tasks[:1] != (task,)
        and any(step.tasks[:1] != (task,) for step in steps[:-1])
    ):
        tasks = (task, *(t for t in last.tasks if t != task))
        current[last.id] = last.model_copy(
            update={"tasks": tasks, "signatures": source_signatures(last, tasks)}
        )
    return current


def _as_later_steps(current: dict[str, Source], supplied: set[str], task: str) -> dict[str, Source]:
    """A bare title listed after another model doing the user's job, where the user tells of
    steps one after another ("then a second model made it sharper"), read as the step after
    it: a task near its title that takes what the earlier one made and makes what the job
    makes (an enhancer of the generated clip), not a second way of making it."""
    known = taxonomy.tasks()
    makes = set(known[task].outputs)
    made: set[str] = set()
    for source_id, source in list(current.items()):
        doing_it = source.tasks[:1] == (task,)
        # (so too one whose own reading takes nothing the earlier one made: "then made that
        # video sharper and smoother", of a title read as making clips from a prompt)
        hands_nothing_on = not any(set(sig.inputs) & made for sig in source.signatures)
        if (doing_it or hands_nothing_on) and made and source.guessed:
            for task_id in source.near:
                near = known[task_id]
                takes = set(near.inputs)
                if (
                    task_id != task
                    and takes & made
                    and takes <= made | supplied
                    and (set(near.outputs) & makes)
                ):
                    tasks = (task_id, *(t for t in source.tasks if t != task_id))
                    current[source_id] = source.model_copy(
                        update={"tasks": tasks, "signatures": source_signatures(source, tasks)}
                    )
                    break
        if doing_it:
            made |= {m for sig in source.signatures for m in sig.outputs}
    return current


def adopt_alternative(
    sources: Sequence[Source], have: Sequence[str], task: str, *, steps_told: bool = False
) -> tuple[Source, ...]:
    """The sources, a recommended model known only by its title read as another way of doing
    the user's `task`, where another recommended model does that task and its title's own
    reading makes the same kind of thing (a clip, as the other makes a clip): two models
    recommended for one result, with no steps told between them, are two ways to it, and a
    title alone ("… for Text-to-Video Generation", said of a method that edits a clip from
    a prompt) is too little to say the platform recommended one that cannot do the job. A
    reading that makes something else (a mask, a picture) keeps its reading: that one is a
    step towards the job (`adopt_feeder`) or does not fit; so does a source whose own words
    (a summary, a catalog entry) say what it does."""
    known = taxonomy.tasks()
    if steps_told or task not in known:  # (no task could be told: nothing to be a way to)
        return tuple(sources)
    doing = known[task]
    recommended = [s for s in sources if s.role == "recommended"]
    if not any(s.tasks[:1] == (task,) for s in recommended):
        return tuple(sources)
    supplied = set(have) | set(taxonomy.freely_supplied())
    adopted: list[Source] = []
    for source in sources:
        reading = known.get(source.tasks[0]) if source.tasks else None
        others = [o for o in recommended if o.id != source.id]
        made = {m for o in others for sig in o.signatures for m in sig.outputs}
        taken = {m for o in others for sig in o.signatures for m in sig.inputs} - supplied
        if (
            source.role == "recommended"
            and not source.summary
            and not source.catalog_summary
            and reading is not None
            and reading.id != task
            and _same_things(reading.outputs, doing.outputs)
            # a reading that could work on what another made (an enhancer of the generated
            # clip, a second edit of the edited picture), or make what another needs and the
            # user did not bring (the masks a matting model is guided by), is a step of one
            # chain with it, not a second way to the result
            and not set(reading.inputs) & made
            and not _with_what_it_holds(reading.outputs) & taken
        ):
            tasks = (task, *(t for t in source.tasks if t != task))
            source = source.model_copy(
                update={"tasks": tasks, "signatures": source_signatures(source, tasks)}
            )
        adopted.append(source)
    return tuple(adopted)


# A verb saying what a model needs, in the user's words about it ("it needs a few minutes of
# video of the person"): what it names is what the model takes.
_NEEDS = re.compile(
    r"(?<!\w)(?:needs?|requires?|expects?|wants?|asks? (?:me )?for|asking (?:me )?for|"
    r"only (?:takes|works (?:with|on|from))|"
    r"has to (?:have|be given)|must (?:have|be given)|"
    r"(?:me )?(?:necesita|requiere|pide|exige)|(?:me )?(?:demande|exige)|a besoin d|"
    r"braucht|benötigt|verlangt)(?!\w)"
)


def adopt_stated_needs(sources: Sequence[Source], question: str) -> tuple[Source, ...]:
    """The sources, the one recommended model taking what the user says it needs ("the
    recommended model says it needs a few minutes of video of the person"): a model that
    needs what the user did not bring cannot do their job from what they brought, whatever
    its title alone would say. A source whose catalog entry says what it takes keeps it; so
    does any source when several were recommended (whose words these are is not told)."""
    from scholarflow.text import model_descriptions

    recommended = [s for s in sources if s.role == "recommended"]
    if len(recommended) != 1 or recommended[0].catalog_summary:
        return tuple(sources)
    text = normalize(question)
    needs: list[str] = []
    matcher = taxonomy.modality_matcher()
    for start, stop in model_descriptions(text):
        verb = _NEEDS.search(text, start, stop)
        if verb is not None:
            needs += [hit.label for hit in matcher.find(text[verb.end() : stop])]
    source = recommended[0]
    if not needs or not source.signatures:
        return tuple(sources)
    signatures = tuple(
        Signature.of(
            [
                *(port.spec() for port in sig.ports_in()),
                *(m for m in dict.fromkeys(needs) if m not in sig.required_inputs),
            ],
            [port.spec() for port in sig.ports_out()],
            sig.note,
        )
        for sig in source.signatures
    )
    told = source.model_copy(update={"signatures": signatures})
    return tuple(told if s.id == source.id else s for s in sources)


def adopt_stated_work(sources: Sequence[Source], question: str) -> tuple[Source, ...]:
    """The sources, the one recommended model read by what the user says it makes ("the
    recommended model only makes new pictures from text"), where its own words (a summary, a
    catalog entry) say nothing: the user has seen it work, which a title read alone has not.
    It is read as the tasks that make that thing from what the user says it takes, and judged
    by them like any other reading. Nothing changes when the user says nothing it makes, or
    when several were recommended (whose words these are is not told)."""
    from scholarflow.text import model_descriptions
    from scholarflow.understanding import described_work

    recommended = [s for s in sources if s.role == "recommended"]
    if len(recommended) != 1 or recommended[0].catalog_summary or recommended[0].summary:
        return tuple(sources)
    text = normalize(question)
    takes: list[str] = []
    makes: list[str] = []
    for start, stop in model_descriptions(text):
        taken, made = described_work(text[start:stop])
        takes += taken
        makes += made
    if not makes:
        return tuple(sources)
    made = _with_what_it_holds(makes)
    taken = _with_what_it_holds(takes)
    modalities = taxonomy.modalities()
    # (a model told only by what it makes is one that makes it anew, not one that changes a
    # thing of that kind: "it only makes new pictures" is no photo editor)
    kinds = {modalities[m].family for m in made}
    tasks = [
        task_id
        for task_id, task in taxonomy.tasks().items()
        if set(task.outputs) & made
        and (
            set(task.inputs) <= taken
            if taken
            else not {modalities[m].family for m in task.inputs} & kinds
        )
    ]
    if not tasks:
        return tuple(sources)
    source = recommended[0]
    told = source.model_copy(
        update={
            "tasks": tuple(tasks),
            "plausible": tuple(tasks),
            "guessed": False,
            "signatures": source_signatures(source, tasks),
        }
    )
    return tuple(told if s.id == source.id else s for s in sources)


def _with_what_it_holds(things: Sequence[str]) -> set[str]:
    """The things and what each holds within it (a mask video holds a mask per frame)."""
    modalities = taxonomy.modalities()
    return set(things) | {inner for m in things for inner in modalities[m].includes}


def source_signatures(source: Source, tasks: Sequence[str]) -> tuple[Signature, ...]:
    """The signatures of `tasks` for this source: as `served_signatures`, with what its
    title says the work starts from taking the place of the plainer thing the task takes
    ("… from Multi-view Video" takes the cameras' footage, not one clip)."""
    found = served_signatures(tasks, own_words(source))
    start = stated_start(_without_borrowed_names(normalize(f"{source.name} | {source.title}")))
    return tuple(_started_from(signature, start) for signature in found) if start else found


def _started_from(signature: Signature, start: str) -> Signature:
    """`signature` with each input that `start` holds a kind of (a video, in a multi-view
    video) replaced by `start` itself."""
    richer = set(taxonomy.modalities()[start].includes)
    if not any(port.modality in richer for port in signature.ports_in()):
        return signature
    ports = tuple(
        port.model_copy(update={"modality": start, "alternatives": ()})
        if port.modality in richer
        else port
        for port in signature.ports_in()
    )
    return signature.model_copy(
        update={"inputs": tuple(p.modality for p in ports), "input_ports": ports}
    )


def served_signatures(tasks: Sequence[str], said: str = "") -> tuple[Signature, ...]:
    """The signatures of a source's first task and of the other tasks it serves that make
    the same thing in the same family: a text-to-video and image-to-video model takes a
    prompt or a picture; a depth model serving clips and pictures makes either. (A matting
    model that mentions background replacement still makes a matte, not the new video.)
    `said` is the source's own words, normalized: a variant the task has only when they say
    so is added then."""
    if not tasks:
        return ()
    known = taxonomy.tasks()
    first = known[tasks[0]]
    found: list[Signature] = []
    for task_id in tasks:
        task = known[task_id]
        same_job = bool(first.family) and task.family == first.family
        if task_id == first.id or (same_job and _same_things(task.outputs, first.outputs)):
            found.extend(sig for sig in task_signatures(task_id, said) if sig not in found)
    return tuple(found)


def _twin_in_family(task: taxonomy.Task, other: taxonomy.Task) -> bool:
    """Whether two tasks of one family take the same things: what they differ in is what
    they make of it (the 3D motion of anything or of a person's body)."""
    return task.family == other.family and set(task.inputs) == set(other.inputs)


def _same_job(task: taxonomy.Task, other: taxonomy.Task) -> bool:
    """Whether two tasks make the same thing in the same family: what they differ in is
    what they take (a mesh from a prompt or from a photo)."""
    return task.family == other.family and _same_things(task.outputs, other.outputs)


def _on_the_other_medium(task: taxonomy.Task, other: taxonomy.Task) -> bool:
    """Whether `task` is `other`'s job done on the other medium: the same job (one family,
    or one job named last in both names: "… editing", "… generation"), and what it cannot do
    without and what it makes are each what `other` takes and makes, or the picture for the
    clip (or the clip for the picture), or what holds it or is held in it (a depth map and a
    depth video): editing a photo by a prompt and editing a clip by one. Not a photo
    relighter for a clip's colour grade, nor a still 3D model for moving points."""
    modalities = taxonomy.modalities()

    def kin(a: str, b: str) -> bool:
        plain = modalities[a].family == modalities[b].family == "rgb"
        return (
            a == b
            or (plain and modalities[a].moves != modalities[b].moves)
            or a in modalities[b].includes
            or b in modalities[a].includes
        )

    def job(name: str) -> str:
        return name.partition("(")[0].split()[-1] if name.split() else ""

    taken = _takes(other)
    return (
        task.id != other.id
        and (task.family == other.family or job(task.name) == job(other.name))
        and len(task.outputs) == len(other.outputs)
        and all(any(kin(a, b) for b in other.outputs) for a in task.outputs)
        and all(any(kin(a, b) for b in taken) for a in _required(task))
        and set(task.outputs) != set(other.outputs)
    )


def _same_things(these: Sequence[str], those: Sequence[str]) -> bool:
    """Whether a task makes what another makes, or one frame of it: a model for clips that
    serves pictures too makes a depth map as well as a depth video. Not the other way round:
    a model for pictures run on a clip frame by frame is no model for clips."""
    modalities = taxonomy.modalities()
    return len(these) == len(those) and all(
        any(a == b or a in modalities[b].includes for b in those) for a in these
    )


def task_signatures(task_id: str, said: str = "") -> tuple[Signature, ...]:
    """A task's signature and its variants (taxonomy/tasks.toml), with those its source must
    state for itself when `said` (a source's words, normalized) states them."""
    task = taxonomy.tasks()[task_id]
    main = (task.signature,) if task.signature else ()
    stated = tuple(
        sig
        for sig, when in taxonomy.stated_variants().get(task_id, ())
        if said and any(phrase in said for phrase in when)
    )
    if stated:
        # A source whose own words say it is the kind steered by more ("Adding Conditional
        # Control to Text-to-Image Diffusion Models") is that kind: without the control
        # image it adds nothing to the model it is built on. (One that still does the job
        # without it, an image-prompt adapter given the words alone, keeps the task's own.)
        alone = taxonomy.variants_beside_the_main()
        kept = main if any(sig in alone for sig in stated) else ()
        return stated + kept + taxonomy.variants().get(task_id, ())
    return main + taxonomy.variants().get(task_id, ()) + stated


@cache
def _guide_reader() -> tuple[
    frozenset[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]
]:
    """The modalities that can guide a model; a pattern for the words that say it is given
    one and one for the words that add a thing to what the clause is about, both anchored at
    the end of the text before a thing; the giving words anywhere before an additive; and
    the passive giving verbs right after a thing (lexicon/guides.toml)."""
    data = taxonomy.load_lexicon("guides.toml")
    families = set(data["families"])
    guiding = frozenset(
        key
        for key, info in taxonomy.modalities().items()
        if info.family in families and key not in data["exclude"]
    )
    gap = int(data["gap"])

    def alternation(phrases: list[str]) -> str:
        ordered = sorted({normalize(p) for p in phrases}, key=len, reverse=True)
        return "|".join(re.escape(p) for p in ordered)

    openers, additive = alternation(data["openers"]), alternation(data["additive"])
    # anchored at the end: the opener, then at most `gap` words, then the thing
    tail = rf"(?:\s+[\w'-]+){{0,{gap}}}\s+$"
    return (
        guiding,
        re.compile(rf"(?<!\w)(?:{openers}){tail}"),
        re.compile(rf"(?<!\w)(?:{additive}){tail}"),
        re.compile(rf"(?<!\w)(?:{alternation(data['giving'])})(?!\w)"),
        re.compile(rf"\s*(?:[\w'-]+\s+){{0,2}}?(?:{alternation(data['given_after'])})(?!\w)"),
    )


_GUIDE_LOOKBACK = 60  # characters before a thing searched for its opener: keeps the scan linear


def stated_guides(summary: str) -> tuple[str, ...]:
    """Guiding things (masks, depth, a camera path, poses) a normalized summary says its model
    is given: "starting from a segmentation mask of the target in the first frame" gives a
    video matting model a mask input a segmenter can feed. A thing added with "together
    with" is given only where the clause is about what the model is given."""
    guiding, opener, additive, giving, given_after = _guide_reader()
    found: list[str] = []
    for hit in taxonomy.modality_matcher().find(summary):
        if hit.label not in guiding or hit.label in found:
            continue
        window = summary[max(0, hit.start - _GUIDE_LOOKBACK) : hit.start]
        window = re.split(r"[.;:!?,()]", window)[-1]  # within its own clause
        window = " " + window if window[:1] != " " else window
        if opener.search(window) and not additive.search(window):
            found.append(hit.label)
            continue
        added = additive.search(window)
        if added and (
            giving.search(window, 0, added.start()) or given_after.match(summary, hit.end)
        ):
            found.append(hit.label)
    return tuple(found)


# "from one or more reference images", "a single or several photos": a set the model takes
# may hold just one.
_ONE_OR_MORE = re.compile(
    r"(?<!\w)(?:one or more|one or several|one or many|one or multiple|single or multiple|"
    r"a single or several|a single image or (?:several|multiple|a set of))\s+"
)


def stated_one_or_more(summary: str) -> frozenset[str]:
    """The set kinds a normalized summary says may hold just one thing: "generate target
    views from one or more reference images" takes a set of images or a single one."""
    modalities = taxonomy.modalities()
    found: set[str] = set()
    for said in _ONE_OR_MORE.finditer(summary):
        window = summary[said.end() : said.end() + _COUNTED_WITHIN]
        for hit in taxonomy.modality_matcher().find(window):
            # the thing they count, at most one word on ("one or more reference images"), not
            # one further away ("one or more objects in the input images")
            if (
                len(window[: hit.start].split()) <= 1
                and modalities[hit.label].includes
                and not modalities[hit.label].moves
            ):
                found.add(hit.label)
            break
    return frozenset(found)


_COUNTED_WITHIN = 40  # characters after "one or more" searched for the thing counted


def with_single_members(
    signatures: Sequence[Signature], sets: frozenset[str]
) -> tuple[Signature, ...]:
    """Each signature with every input of a kind in `sets` also taking one of its members: a
    model of one or more pictures is fed the user's one photo as it is."""
    if not sets:
        return tuple(signatures)
    modalities = taxonomy.modalities()
    widened = []
    for sig in signatures:
        ports = sig.input_ports or tuple(Port(modality=m) for m in sig.inputs)
        if not any(p.modality in sets for p in ports):
            widened.append(sig)
            continue
        new_ports = tuple(
            p.model_copy(
                update={
                    "alternatives": (
                        *p.alternatives,
                        *(m for m in modalities[p.modality].includes[:1] if m not in p.modalities),
                    )
                }
            )
            if p.modality in sets
            else p
            for p in ports
        )
        outs = sig.output_ports or tuple(Port(modality=m) for m in sig.outputs)
        widened.append(sig.model_copy(update={"input_ports": new_ports, "output_ports": outs}))
    return tuple(widened)


def with_guides(signatures: Sequence[Signature], guides: Sequence[str]) -> tuple[Signature, ...]:
    """Each signature with the stated guides it lacks added as optional inputs: not what it
    makes, and not one it already takes (or takes a part of). A matting model makes a matte
    from a first-frame mask, though a matte holds a mask: only the very thing made is out."""
    if not guides or not signatures:
        return tuple(signatures)
    modalities = taxonomy.modalities()
    extended = []
    for sig in signatures:
        made = set(sig.outputs)
        ports = sig.input_ports or tuple(Port(modality=m) for m in sig.inputs)
        taken = {m for port in ports for m in port.modalities}
        taken |= {part for m in taken for part in modalities[m].includes}
        # a thing that holds the guide serves as well: a segmenter's mask video holds the
        # first-frame mask a matting model starts from
        extra = tuple(
            Port(
                modality=g,
                optional=True,
                alternatives=tuple(k for k, info in modalities.items() if g in info.includes),
            )
            for g in guides
            if g not in made and g not in taken
        )
        if not extra:
            extended.append(sig)
            continue
        outs = sig.output_ports or tuple(Port(modality=m) for m in sig.outputs)
        extended.append(
            sig.model_copy(
                update={
                    "inputs": sig.inputs + tuple(p.modality for p in extra),
                    "input_ports": ports + extra,
                    "output_ports": outs,
                }
            )
        )
    return tuple(extended)


def own_words(source: Source) -> str:
    """A source's name, title and summary, normalized: what its stated variants are read from."""
    return normalize(" | ".join(p for p in (source.name, source.title, source.summary) if p))


def named_project_url(summary: str, source: Source | None = None) -> str | None:
    """A URL that the summary itself names as its project page or code, if any.

    Only a sentence that presents the link ("Project page: …", "Code is available at …")
    counts; a sentence that tells the reader to do something is never a source of links. And
    the page must look like the source's own: its address holds the source's name or a
    distinctive word of its title. A summary is data from others, and a planted "code is
    available at https://evil.example" must not become a link the answer prints.
    """
    from scholarflow.evidence import addresses_reader  # the one definition of that test

    for start, end in sentences(summary):
        sentence = summary[start:end]
        if addresses_reader(sentence) or not _PROJECT_CUE.search(sentence):
            continue
        urls = find_urls(sentence)
        if len(urls) != 1:
            continue
        url = urls[0] if "://" in urls[0] else f"https://{urls[0]}"
        if not url.lower().startswith(("http://", "https://")):
            continue
        if source is None or _looks_like_own_page(url, source):
            return url
    return None


_COMMON_TITLE_WORDS = frozenset(
    """video videos image images model models learning generation generating consistent
    scene scenes single from with without via using based towards toward neural diffusion
    dynamic depth view views camera novel real time high quality long term open world""".split()
)


# Where research code and project pages live: a link there that a summary presents as its own
# is taken at its word. Anywhere else, the address must carry the source's name or title.
_PROJECT_HOSTS = (
    "github.io",
    "github.com",
    "gitlab.com",
    "huggingface.co",
    "bitbucket.org",
    "sites.google.com",
    "arxiv.org",
    "openreview.net",
    "readthedocs.io",
    "pages.dev",
)
_ACADEMIC = re.compile(r"\.(?:edu|ac\.[a-z]{2}|edu\.[a-z]{2})$")


def _looks_like_own_page(url: str, source: Source) -> bool:
    """Whether a link a summary presents as its own page lives where research code and pages
    live (an ASCII host of GitHub, Hugging Face, an academic site…). A name in the address
    proves nothing: an attacker names the domain after the model."""
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0].split("?", 1)[0]
    if "@" in host or not host.isascii():
        return False  # userinfo tricks and look-alike letters
    host = host.split(":", 1)[0].lower()
    return host.endswith(_PROJECT_HOSTS) or bool(_ACADEMIC.search(host))
