"""Jobs of other fields read from what a title means, where its words name none of them.

lexicon/other_jobs.toml names each job by the words titles use for it ("speech
recognition", "protein folding") and its well-known models by name. A title can say the
same in words no list holds: "River: machine learning for streaming data in Python",
"Gymnasium: A Standard Interface for Reinforcement Learning Environments". Its meaning is
then near several of one job's title phrases and far from every media task's paper phrases
(taxonomy/paper_phrases.toml), and that is read here, only for a source whose own words
name no task and no job, and only as a job away from pictures, clips and sound (a job on
them, denoising or image generation, is too near the media tasks by meaning to be told
from them: "Denoising Diffusion Probabilistic Models" is no denoiser of photos).

A title can also be of a field no job of the list belongs to: "SeisBench - A Toolbox for
Machine Learning in Seismology", "HotStuff: BFT Consensus in the Lens of Blockchain". Listing
every job of every field is a list that never ends; the fields themselves are few
(lexicon/fields.toml, after arXiv's subject classes). A title plainly nearer a field away
from pictures, clips and sound than any field of media work or of general method, and far
from every media task's paper phrases, is read as work of that field (`field_meant`).

The phrases' and the fields' vectors are stored in lexicon/other_job_vectors.npz by
scripts/embed_taxonomy.py, with a hash of the phrases and the model, so a stale file is
never used (tests/test_taxonomy_vectors.py says when to regenerate it).
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from functools import cache
from importlib import resources
from typing import Any

from scholarflow import taxonomy
from scholarflow.text import squash

VECTORS_FILE = "other_job_vectors.npz"
_PACKAGE = "scholarflow.lexicon"
_MEDIA = frozenset({"image", "video", "audio"})

# A title is read as a job where the mean of its three closest phrases of that job comes this
# close, and that much closer than the mean of its three closest media phrases. One phrase
# alone is too often near by chance ("Consistency Models" and "factual consistency"). Set on
# the development halves' recommended sources no task or job was read for: the three of other
# fields (SWE-bench, Gymnasium, River) reach 0.57, 0.55 and 0.70, leading by 0.25-0.40;
# a code review's media titles that a single phrase had read as jobs ("Improved Techniques
# for Training Consistency Models", "Cosmos World Foundation Model Platform for Physical AI",
# "Matrix-Game") reach at most 0.52. The margin is thin, and the reading is kept to titles
# nothing else reads (tests/hostile/field_titles.tsv, media_model_names.tsv).
_JOB_AT_LEAST = 0.54
_JOB_LEAD = 0.2
_CLOSEST = 3
# A title is read as work of a field (`field_meant`) where its words besides the model's name
# come this close to a field's line, this much closer than to the nearest field of media work
# or general method, and where the mean of their three closest media phrases stays below the
# last bar, or the field is nearer than it by a margin (the bar alone missed "egg: Fast and
# Extensible Equality Saturation", 0.37 from a field and 0.30 from the phrases: a short
# abstract title sits near everything, and how much nearer the field is tells).
# Set on the development halves' titles (1,151 distinct): of the six recommended ones of other
# fields nothing else reads, five (HotStuff, DisCoPy, SeisBench, Pynguin, and "egg: …
# Equality Saturation" with the margin below) are read ("… Toolbox for all things
# Wasserstein" leads no field); of the 938
# titles read as media work, one meets all of it (Faster Segment Anything, which its words
# read anyway), and of the media titles nothing else reads, none (Kandinsky's, PuLID's, Emu3's
# and PaliGemma's titles lead no field). A code review's 300-odd media titles (FLUX editions,
# Cosmos world models, ComfyUI node packs, model merging) led to leaving the name out of what
# is read, to three words at least, and to no title naming anything of media.
_FIELD_AT_LEAST = 0.25
_FIELD_LEAD = 0.05
_MEDIA_AT_MOST = 0.29
# (on the development halves' titles and tests/hostile/field_titles.tsv, no media title that
# reaches this test is nearer a field than its phrases by more than 0.021, Faster Segment
# Anything's; of the field list's other titles, 18 pass all of it, 13 did with the bar alone)
_CLEAR_OF_MEDIA = 0.03
# ...and only just past the bar: titles of geometry processing and physical simulation for
# graphics ("QuadriFlow: … Quadrangulation" 0.42, "Projective Dynamics" 0.39, a review's)
# sit this near the phrases and nearer still to a field of computing; they are media work
_MEDIA_NEAR_AT_MOST = 0.31
_FIELD_WORDS = 3  # words of two letters or more besides the name: "Turbo Alpha" says no field


@cache
def job_phrases() -> tuple[tuple[str, str], ...]:
    """(job id, phrase) for every title phrase of lexicon/other_jobs.toml, in file order."""
    data = taxonomy.load_lexicon("other_jobs.toml")
    return tuple(
        (job_id, phrase)
        for job_id, entry in data.items()
        if isinstance(entry, dict) and "title" in entry
        for phrase in entry["title"]
    )


@cache
def field_lines() -> tuple[tuple[str, str, str], ...]:
    """(field id, side, its `about` line) for every field of lexicon/fields.toml, in file
    order. (The line of what its papers are about, not its name: a name of two words is near
    too much by chance, "Category theory" to "Equality Saturation" as much as to "Monoidal
    Categories".)"""
    data = taxonomy.load_lexicon("fields.toml")
    return tuple(
        (field_id, entry["side"], entry["about"])
        for field_id, entry in data.items()
        if isinstance(entry, dict)
    )


def _embedded_texts() -> list[str]:
    """What the stored vectors are of, in their order: the job phrases, then the fields."""
    return [phrase for _, phrase in job_phrases()] + [line for *_, line in field_lines()]


@cache
def _rows_of_jobs_away_from_media() -> dict[str, tuple[int, ...]]:
    """The rows of each job's phrases, for the jobs that neither take nor make a picture, a
    clip or a sound."""
    data = taxonomy.load_lexicon("other_jobs.toml")
    rows: dict[str, list[int]] = defaultdict(list)
    for row, (job_id, _) in enumerate(job_phrases()):
        entry = data[job_id]
        if not (set(entry["takes"]) | set(entry["makes"])) & _MEDIA:
            rows[job_id].append(row)
    return {job_id: tuple(found) for job_id, found in rows.items()}


def phrases_hash() -> str:
    from scholarflow.embeddings import MODEL_ID

    digest = hashlib.sha256(MODEL_ID.encode())
    for job_id, phrase in job_phrases():
        digest.update(f"{job_id}\t{phrase}\n".encode())
    for field_id, _, line in field_lines():
        digest.update(f"field\t{field_id}\t{line}\n".encode())
    return digest.hexdigest()


def stored_vectors_current() -> bool:
    """Whether the stored vectors were made from the phrases as they are now."""
    return _stored_vectors() is not None


@cache
def _stored_vectors() -> Any:
    """The stored unit vectors of the phrases as rows; None when missing or stale."""
    import numpy as np

    try:
        with resources.files(_PACKAGE).joinpath(VECTORS_FILE).open("rb") as handle:
            stored = np.load(handle)
            if str(stored["hash"]) == phrases_hash():
                return stored["vectors"].astype(np.float32)
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return None
    return None


_embedded: dict[str, Any] = {}  # the phrases embedded here when the file was stale, by hash


def _job_vectors(embedder: Any) -> Any:
    """The phrases' vectors: stored, or embedded once per process when the phrases changed
    since the file was written (slow, seconds: the test on the file says to rewrite it)."""
    stored = _stored_vectors()
    if stored is not None:
        return stored
    digest = phrases_hash()
    if digest not in _embedded:
        _embedded[digest] = embed_phrases(embedder)
    return _embedded[digest]


def embed_phrases(embedder: Any) -> Any:
    """The phrases' and the fields' vectors, freshly embedded (scripts/embed_taxonomy.py)."""
    return embedder.embed(_embedded_texts())


@cache
def _title_vector(title: str) -> Any:
    from scholarflow.understanding import _default_embedder

    embedder = _default_embedder()
    return None if embedder is None else embedder.embed([title])[0]


def job_meant(title: str, name: str) -> str | None:
    """The job of another field a source's title reads as, where it comes close to several
    of one job's phrases and clearly closer than to the media tasks' phrases; None otherwise,
    for a title that is no more than the model's name, and where no embedding model is
    installed. (The title alone: what the thresholds were set on; a source with a summary is
    read from its summary's words first.)"""
    if not _says_more_than_its_name(title, name):
        return None
    import numpy as np

    from scholarflow.understanding import _default_embedder

    embedder = _default_embedder()
    vector = _title_vector(title) if embedder is not None else None
    media = taxonomy.index_vectors(embedder, taxonomy.PAPERS) if vector is not None else None
    if vector is None or media is None:
        return None
    to_phrases = _job_vectors(embedder)[: len(job_phrases())] @ vector
    best_job, best = None, -1.0
    for job_id, rows in _rows_of_jobs_away_from_media().items():
        closest = float(np.sort(to_phrases[list(rows)])[-_CLOSEST:].mean())
        if closest > best:
            best_job, best = job_id, closest
    to_media = np.sort(np.asarray(media[1], dtype=np.float32) @ vector)[-_CLOSEST:].mean()
    if best >= _JOB_AT_LEAST and best - float(to_media) >= _JOB_LEAD:
        return best_job
    return None


def field_meant(title: str, name: str) -> str | None:
    """The field away from media work a source's title plainly reads as (lexicon/fields.toml,
    side "other"), where the title's words besides the model's name come near enough to it,
    clearly nearer than to any field of media work or of general method, and stay far from
    every media task's paper phrases; None otherwise: for a title saying fewer than three
    words besides the name ("Flux - Turbo - Alpha"), one naming anything of pictures, clips,
    sound or 3D, and where no embedding model is installed. ("Kandinsky 3.0 Technical Report"
    says nothing of any field; "Consistency Models" is as near general machine learning as
    anything.) The name itself is left out of what is read: "Cosmos" or "Flux" is no
    astronomy or plasma physics."""
    described = _words_besides_the_name(title, name)
    if len([w for w in described if sum(c.isalpha() for c in w) >= 2]) < _FIELD_WORDS:
        return None
    if _names_media(title):  # (the name too: "Dense Optical Tracking: Connecting the Dots")
        return None
    said = " ".join(described)
    import numpy as np

    from scholarflow.understanding import _default_embedder

    embedder = _default_embedder()
    vector = _title_vector(said) if embedder is not None else None
    media = taxonomy.index_vectors(embedder, taxonomy.PAPERS) if vector is not None else None
    if vector is None or media is None:
        return None
    fields = field_lines()
    to_fields = _job_vectors(embedder)[len(job_phrases()) :] @ vector
    best_other, other, nearest_rest = None, -1.0, -1.0
    for (field_id, side, _), similarity in zip(fields, to_fields, strict=True):
        if side == "other" and similarity > other:
            best_other, other = field_id, float(similarity)
        elif side != "other":
            nearest_rest = max(nearest_rest, float(similarity))
    to_media = np.sort(np.asarray(media[1], dtype=np.float32) @ vector)[-_CLOSEST:].mean()
    if (
        other >= _FIELD_AT_LEAST
        and other - nearest_rest >= _FIELD_LEAD
        and (
            float(to_media) < _MEDIA_AT_MOST
            or (
                float(to_media) < _MEDIA_NEAR_AT_MOST and other - float(to_media) >= _CLEAR_OF_MEDIA
            )
        )
    ):
        return best_other
    return None


def _names_media(text: str) -> bool:
    """Whether words of `text` name a picture, clip, sound or 3D thing, or a task: such a
    title is media work whatever field its other words sit near ("… node suite for ComfyUI
    …" is no graph theory)."""
    from scholarflow.signatures import _media_words
    from scholarflow.text import normalize

    normalized = normalize(text)
    if _media_words().search(normalized):
        return True
    if next(iter(taxonomy.modality_matcher().find(normalized)), None) is not None:
        return True
    return any(not hit.label.endswith(":hint") for hit in taxonomy.task_matcher().find(normalized))


_DASHED = re.compile(r"\s+[-–—]\s+")


def _words_besides_the_name(title: str, name: str) -> list[str]:
    """The words of a title that are not the model's name, however the name is spelled; a
    name that is the whole title, given without a colon ("SeisBench - A Toolbox for …"), is
    the part before its first dash."""
    if squash(name) == squash(title):
        name = _DASHED.split(title, maxsplit=1)[0]
    own = squash(name)
    words = [word for word in _DASHED.sub(" ", title).replace(":", " ").split() if squash(word)]
    return [word for word in words if squash(word) not in own or not own]


def _says_more_than_its_name(title: str, name: str) -> bool:
    """Whether a title holds two words or more besides the model's name, however the name is
    spelled ("consistency_models", "ConsistencyModels"): a name alone ("DeOldify") means
    nothing a meaning can be read from."""
    own = squash(name)
    words = [word for word in title.replace(":", " ").split() if squash(word)]
    rest = [word for word in words if squash(word) not in own or not own]
    return len(rest) >= 2 and squash(" ".join(rest)) != own
