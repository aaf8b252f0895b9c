"""Jobs of other fields read from what a title means, where its words name none of them.

lexicon/other_jobs.toml names each job by the words titles use for it ("speech
recognition", "protein folding") and its well-known models by name. A title can say the
same in words no list holds: "River: machine learning for streaming data in Python",
"Gymnasium: A Standard Interface for Reinforcement Learning Environments". Its meaning is
then near the job's title phrases and far from every media task's paper phrases
(taxonomy/paper_phrases.toml), and that is read here: only for a source whose own words
name no task and no job (the meaning of a media title is near some task's phrases, and the
two lists overlap at their edges: a dance generator is near "dance motion generation").

The phrases' vectors are stored in lexicon/other_job_vectors.npz by
scripts/embed_taxonomy.py, with a hash of the phrases and the model, so a stale file is
never used (tests/test_taxonomy_vectors.py says when to regenerate it).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from typing import Any

from scholarflow import taxonomy

VECTORS_FILE = "other_job_vectors.npz"
_PACKAGE = "scholarflow.lexicon"

# A job is read when the title's meaning comes this close to one of its phrases, and this much
# closer than to any media task's phrase. Set on the development halves' recommended sources
# that no task and no job was read for (eight): the three of other fields (SWE-bench,
# Gymnasium, River) came 0.58-0.75 near a job's phrase and 0.23-0.44 nearer than to any
# media task's; the media ones at most 0.47 and 0.12. Checked against 250 media models'
# names and titles a helper wrote blind (tests/hostile/media_model_names.tsv): seven read
# nothing, and only a bare name came this close (DeOldify, 0.58 and 0.25), which is why a
# title must say more than the name (`_says_more_than_its_name`).
_JOB_AT_LEAST = 0.5
_JOB_LEAD = 0.2


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


def phrases_hash() -> str:
    from scholarflow.embeddings import MODEL_ID

    digest = hashlib.sha256(MODEL_ID.encode())
    for job_id, phrase in job_phrases():
        digest.update(f"{job_id}\t{phrase}\n".encode())
    return digest.hexdigest()


def stored_vectors_current() -> bool:
    """Whether the stored vectors were made from the phrases as they are now."""
    import numpy as np

    try:
        with resources.files(_PACKAGE).joinpath(VECTORS_FILE).open("rb") as handle:
            return str(np.load(handle)["hash"]) == phrases_hash()
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return False


@cache
def _job_vectors(embedder: Any) -> Any:
    """The phrases' unit vectors as rows: stored, or embedded here once per process when the
    phrases changed since the file was written."""
    stored = _stored_vectors()
    return stored if stored is not None else embed_phrases(embedder)


def _stored_vectors() -> Any:
    import numpy as np

    try:
        with resources.files(_PACKAGE).joinpath(VECTORS_FILE).open("rb") as handle:
            stored = np.load(handle)
            if str(stored["hash"]) == phrases_hash():
                return stored["vectors"].astype(np.float32)
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return None
    return None


def embed_phrases(embedder: Any) -> Any:
    """The phrases' vectors, freshly embedded (scripts/embed_taxonomy.py)."""
    return embedder.embed([phrase for _, phrase in job_phrases()])


def job_meant(title: str, name: str, meaning: str, *, embedder: Any = None) -> str | None:
    """The job of another field a source's `meaning` (its title, and summary if any) reads
    as, where it comes close to one job's phrases and clearly closer than to any media
    task's; None otherwise, and for a title that is no more than the model's name."""
    if not meaning.strip() or not _says_more_than_its_name(title, name):
        return None
    import numpy as np

    from scholarflow.embeddings import get_embedder

    embedder = embedder or get_embedder()
    media = taxonomy.index_vectors(embedder, taxonomy.PAPERS)
    if media is None:
        return None
    vector = np.asarray(embedder.embed([meaning])[0], dtype=np.float32)
    to_jobs = _job_vectors(embedder) @ vector
    nearest = int(to_jobs.argmax())
    to_media = float((np.asarray(media[1], dtype=np.float32) @ vector).max())
    if to_jobs[nearest] >= _JOB_AT_LEAST and to_jobs[nearest] - to_media >= _JOB_LEAD:
        return job_phrases()[nearest][0]
    return None


def _says_more_than_its_name(title: str, name: str) -> bool:
    """Whether a title holds two words or more besides the model's name: a name alone
    ("DeOldify") means nothing a meaning can be read from."""
    words = title.replace(":", " ").split()
    own = {word.lower() for word in name.replace(":", " ").split()}
    return len([word for word in words if word.lower() not in own]) >= 2
