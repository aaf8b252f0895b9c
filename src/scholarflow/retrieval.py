"""Retrieval: the catalog entries that can answer a free question, best first.

Hybrid, as DESIGN.md asks: full-text BM25 (SQLite FTS5) and dense embeddings
(all-MiniLM-L6-v2, searched exactly with NumPy) are fused by reciprocal rank (k = 60). The
search is task-aware: an entry whose tasks serve the task the question describes gets a bonus
worth one more first-place vote, a neighbour of that task (same family) half of one.

From the ranked hits, `build_request` makes the same `Request` a prompt would give: the best
model becomes the recommended model, the next relevant entries the related papers. A question
the catalog cannot serve is said to be so (`CatalogCannotServe`) instead of being stretched.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scholarflow import taxonomy
from scholarflow.models import CatalogEntry, CatalogHit, Request, Task, Understanding
from scholarflow.progress import ProgressCallback
from scholarflow.understanding import understand

if TYPE_CHECKING:
    from scholarflow.catalog.store import CatalogStore

RRF_K = 60
CANDIDATES = 50  # how deep each ranking is read before fusing
TASK_BONUS = 1.0 / (RRF_K + 1)  # one more first place
FAMILY_BONUS = TASK_BONUS / 2
MIN_SIMILARITY = 0.30  # below this, the best entry is not about the question
MIN_SIMILARITY_WITH_WORDS = 0.20  # ...unless full-text search also ranks it first
# ...or it is made for the task the question clearly describes. Set between dev free
# questions it serves (a video-to-4D model at 0.294, a text-to-image one at 0.299) and
# questions of two reviews it must not (about the next step after a finished text-to-image
# one, 0.273; a copyright question, 0.23).
MIN_SIMILARITY_FOR_ITS_TASK = 0.28
RELATED_MAX = 4
RELATED_SHARE = 0.5  # a related entry scores at least this share of the best one
TASK_CONFIDENCE = 0.3  # below this, the question's task is too uncertain to steer ranking
# A task read with this much confidence, though too little to steer the search, still picks
# the entry made for it over one ranked first for shared words (build_request); below it, the
# reading is a guess (a question in another language read by a word or two).
LEANING_CONFIDENCE = 0.15
# A question whose task is that uncertain is served only by an entry this close in meaning.
# Set on the dev free questions: refused ones whose task could not be read came closest at
# 0.31, served ones at 0.41 and more.
UNCLEAR_MIN_SIMILARITY = 0.4
# A question in another language is searched by its task's English words when its task is at
# least this clear (without the meaning signal, which reads English, confidence runs lower).
PROXY_CONFIDENCE = 0.1


class CatalogCannotServe(Exception):
    """The catalog holds nothing that answers this question: an outcome, not a failure.

    The CLI says so on stdout and exits 0; `--format json` gives `"served": false`.
    """

    def __init__(self, message: str, hits: Sequence[CatalogHit] = ()) -> None:
        super().__init__(message)
        self.hits = tuple(hits)


@dataclass
class DenseIndex:
    """All entry embeddings of one model as one matrix, for exact cosine search."""

    ids: list[str] = field(default_factory=list)
    matrix: Any = None  # numpy.ndarray (n, dim), rows unit length


def load_dense_index(store: CatalogStore) -> DenseIndex:
    """The embeddings stored in `store` as one matrix; embeds nothing (see `ensure_embeddings`).

    A function of its own so that a server can build a new index while it still answers from
    the old one (server/catalog_access.py).
    """
    import numpy as np

    from scholarflow.embeddings import DIMENSION, MODEL_ID, from_blob

    stored = store.get_embeddings(MODEL_ID)
    ids = sorted(stored)
    matrix = np.empty((len(ids), DIMENSION), dtype=np.float32)
    for row, entry_id in enumerate(ids):
        matrix[row] = from_blob(stored[entry_id][1], DIMENSION)
    return DenseIndex(ids=ids, matrix=matrix)


class Retriever:
    """Hybrid search over one catalog store. Hold one per process: it keeps the dense index."""

    def __init__(self, store: CatalogStore, embedder: Any = None) -> None:
        self.store = store
        self._embedder = embedder
        self._index: DenseIndex | None = None
        self._embeddings_checked = False  # ensure_embeddings ran: the index need not rescan

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from scholarflow.embeddings import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    def ensure_embeddings(
        self,
        *,
        on_progress: ProgressCallback | None = None,
        everything: bool = False,
        workers: int | None = None,
    ) -> int:
        """Embed every entry whose text changed since it was last embedded; return how many.

        Embeddings are cached in the store keyed by model and text hash, so this is
        incremental: an unchanged catalog costs one read of the hashes, and the model is not
        even loaded. `everything` recomputes every vector (`catalog reindex --all`).
        """
        from scholarflow.catalog.vectors import compute_vectors, stale_vectors

        pending = stale_vectors(self.store, everything=everything)
        self._embeddings_checked = True
        if not pending:
            return 0
        done = compute_vectors(
            self.store, self.embedder, pending, workers=workers, on_progress=on_progress
        )
        self._index = None
        return done

    def refresh_vectors(self) -> None:
        """Before a search the database answers (pgvector): embed what is stale, once."""
        if not self._embeddings_checked:
            self.ensure_embeddings()

    def dense_index(self) -> DenseIndex:
        if self._index is None:
            if not self._embeddings_checked:
                self.ensure_embeddings()
            self._index = load_dense_index(self.store)
        return self._index

    def dense_search(self, question: str, limit: int) -> list[tuple[str, float]]:
        import numpy as np

        if getattr(self.store, "vector_index", None) == "pgvector":
            # The database holds an HNSW index of the vectors: ask it, load nothing.
            from scholarflow.embeddings import MODEL_ID

            self.refresh_vectors()
            query = self.embedder.embed([question])[0]
            return self.store.nearest(MODEL_ID, query, limit)  # type: ignore[attr-defined]
        index = self.dense_index()
        if not index.ids:
            return []
        query = self.embedder.embed([question])[0]
        scores = index.matrix @ query
        take = min(limit, len(index.ids))
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(index.ids[i], float(scores[i])) for i in top]

    def search(
        self, question: str, *, limit: int = 10, task: Task | None = None, use_task: bool = True
    ) -> list[CatalogHit]:
        """The best entries for `question`, fused from both rankings and the task.

        The task is the one the question describes unless `task` is given; `use_task=False`
        ranks by the two searches alone.
        """
        understood = understand(Request(question=question, recommended=(), origin="free"))
        if not use_task:
            task = None
        elif task is None and understood.confidence >= TASK_CONFIDENCE:
            task = understood.task
        text_ranked = self.store.search_text(question, limit=CANDIDATES)
        meaning = question
        proxy = english_proxy(understood)
        if proxy:
            # The embedding model reads English only: a question in another language is
            # searched by the meaning of the task it was understood to describe, written in
            # the taxonomy's English, and by its own words (a model it names, say).
            meaning = proxy
            text_ranked = _interleave(text_ranked, self.store.search_text(proxy, CANDIDATES))
            if task is None and use_task:
                task = understood.task
        dense_ranked = self.dense_search(meaning, CANDIDATES)
        return fuse(self.store, text_ranked, dense_ranked, task, limit)


def english_proxy(understood: Understanding) -> str:
    """For a question not in English whose task was understood, the task's English name and
    description; otherwise "". (Sure of the family is enough: the task's neighbour in it
    would find the same entries.)"""
    if understood.language == "en" or understood.task.id == "none":
        return ""
    if max(understood.confidence, understood.family_confidence) < PROXY_CONFIDENCE:
        return ""
    return f"{understood.task.name}: {understood.task.description}"


def _interleave(
    first: Sequence[tuple[str, float]], second: Sequence[tuple[str, float]]
) -> list[tuple[str, float]]:
    """Two rankings as one, alternating, each entry at its better place."""
    merged: dict[str, float] = {}
    for pair in itertools.zip_longest(first, second):
        for item in pair:
            if item is not None and item[0] not in merged:
                merged[item[0]] = item[1]
    return list(merged.items())


def _task_bonus(entry: CatalogEntry, task: Task | None) -> tuple[float, bool]:
    if task is None:
        return 0.0, False
    if task.id in entry.tasks:
        return TASK_BONUS, True
    tasks = taxonomy.tasks()
    if any(t in tasks and tasks[t].family == task.family for t in entry.tasks):
        return FAMILY_BONUS, True
    return 0.0, False


def fuse(
    store: CatalogStore,
    text_ranked: Sequence[tuple[str, float]],
    dense_ranked: Sequence[tuple[str, float]],
    task: Task | None,
    limit: int,
) -> list[CatalogHit]:
    """Reciprocal-rank fusion of both rankings, plus the task bonus."""
    text_rank = {entry_id: rank for rank, (entry_id, _) in enumerate(text_ranked, 1)}
    dense_rank = {entry_id: rank for rank, (entry_id, _) in enumerate(dense_ranked, 1)}
    similarity = dict(dense_ranked)
    hits = []
    for entry_id in dict.fromkeys([*text_rank, *dense_rank]):
        entry = store.get(entry_id)
        if entry is None:
            continue
        score = sum(
            1.0 / (RRF_K + ranks[entry_id])
            for ranks in (text_rank, dense_rank)
            if entry_id in ranks
        )
        bonus, serves = _task_bonus(entry, task)
        hits.append(
            CatalogHit(
                entry=entry,
                score=round(score + bonus, 6),
                bm25_rank=text_rank.get(entry_id),
                dense_rank=dense_rank.get(entry_id),
                similarity=similarity.get(entry_id),
                serves_task=serves,
            )
        )
    hits.sort(key=lambda h: (-h.score, h.entry.id))
    return hits[:limit]


def relevant(hit: CatalogHit) -> bool:
    """Whether a hit is about the question at all, judged by meaning, not by rank."""
    similarity = hit.similarity if hit.similarity is not None else 0.0
    if similarity >= MIN_SIMILARITY:
        return True
    return hit.bm25_rank == 1 and similarity >= MIN_SIMILARITY_WITH_WORDS


def build_request(
    question: str, hits: Sequence[CatalogHit], *, earlier: Sequence[str] = ()
) -> Request:
    """The request a prompt would have given: the best model recommended, the next related.

    `earlier`: the conversation's earlier questions a follow-up leans on (followup.py).

    Raises `CatalogCannotServe` when no hit is relevant enough to answer from, or when the
    question's task is clear and no relevant hit serves it: an entry that only shares words
    with the question ("4K", "depth", "cartoon") does not answer it.
    """
    earlier = tuple(earlier)
    understood = understand(
        Request(question=question, recommended=(), origin="free", earlier=earlier)
    )
    clear = understood.confidence >= TASK_CONFIDENCE or bool(english_proxy(understood))
    # An entry made for the very task a question clearly describes (its first task) is about
    # it, though its words sit a little further from the question's than the floor asks of
    # any entry (the video-to-4D model for a question about new angles of a filmed toy).
    made_for_the_task = understood.task.id if understood.confidence >= TASK_CONFIDENCE else None
    usable = [
        hit
        for hit in hits
        if relevant(hit)
        or (
            hit.entry.tasks[:1] == (made_for_the_task,)
            and (hit.similarity or 0.0) >= MIN_SIMILARITY_FOR_ITS_TASK
        )
    ]
    if (
        usable
        and understood.task.id != "none"
        and clear
        and not any(hit.serves_task for hit in usable)
    ):
        raise CatalogCannotServe(
            f"the catalog has no model or paper for {understood.task.name}"
            f" (closest: {usable[0].entry.name}, which does something else); add sources with "
            "'scholarflow catalog add' or 'scholarflow catalog import'",
            hits,
        )
    closest_meaning = max((hit.similarity or 0.0 for hit in usable), default=0.0)
    if usable and not clear and closest_meaning < UNCLEAR_MIN_SIMILARITY:
        # what the question asks for is unclear, and nothing is close to it in meaning:
        # words shared with an entry ("photos", "clicks") are no answer
        raise CatalogCannotServe(
            "the catalog has no model or paper that answers this question"
            f" (closest: {usable[0].entry.name}, similarity {closest_meaning:.2f}); add sources"
            " with 'scholarflow catalog add' or 'scholarflow catalog import'",
            hits,
        )
    if not usable:
        closest = hits[0] if hits else None
        detail = (
            f" (closest: {closest.entry.name}, similarity {closest.similarity or 0:.2f})"
            if closest
            else " (the catalog is empty)"
        )
        raise CatalogCannotServe(
            "the catalog has no model or paper that answers this question"
            + detail
            + "; add sources with 'scholarflow catalog add' or 'scholarflow catalog import'",
            hits,
        )
    # The recommended source: the best-ranked hit that serves the question's task, a model
    # if one does (a paper otherwise: its method is the answer); when none serves the task,
    # the best hit. Never a model that does another job just because it is a model.
    serving = [hit for hit in usable if hit.serves_task]
    # One that does the very task first: a model of the same family does the same core job
    # in another form (video-to-4D for a one-photo question), and would need adapters.
    exact = [hit for hit in serving if understood.task.id in hit.entry.tasks]
    # Where none was found serving it (the task read with too little confidence to steer the
    # search), an entry made for the task the question reads as still beats one ranked first
    # for the words it shares ("camera" in a question about a stereo camera's footage).
    made_for = [
        hit
        for hit in usable
        if understood.confidence >= LEANING_CONFIDENCE and understood.task.id in hit.entry.tasks
    ]
    if exact or serving or made_for:
        pool = exact or serving or made_for
        chosen = next((hit for hit in pool if hit.entry.kind == "model"), pool[0])
    else:
        chosen = usable[0]
    related = [
        hit for hit in usable if hit is not chosen and hit.score >= usable[0].score * RELATED_SHARE
    ][:RELATED_MAX]
    recommended = chosen.entry.to_source("s1", "recommended")
    related_sources = tuple(
        hit.entry.to_source(f"s{number}", "related") for number, hit in enumerate(related, 2)
    )
    return Request(
        question=question,
        recommended=(recommended,),
        related=related_sources,
        origin="free",
        earlier=earlier,
    )
