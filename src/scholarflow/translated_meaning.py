"""How near a question in another language is to each task, by the words of the task's own
name and description in that language (the answer's message catalog, `locale/<lang>.po`).

The embedding model shipped reads English only, so a question in Korean or German is read
from an English gloss of its words (glossing), which a glossary covers only in part. The
translated names and descriptions of the tasks are data the answer already keeps in five
languages; their overlap
with the question's words, weighed by how rare each piece is across tasks (TF-IDF over
character n-grams, so that "Tiefenkarten" meets "Tiefenbilder" and "深度マップ" meets "深度"),
is a weak signal. It is used only for a free question that no phrase ties to a task
(understanding._with_translated_meaning), where it adds to the meaning read from the
question's English gloss (glossing). Tried as a signal beside the cue phrases and the
recommended models' readings, it turned as many right tasks wrong as it set right.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from scholarflow.text import normalize

# Scripts written without spaces between words are compared by pairs of characters; the
# others by three-letter pieces of each word (its edges marked, so a word's start counts).
_UNSPACED = frozenset({"ja", "ko", "zh"})
_WORD = re.compile(r"\w+")


def _pieces(text: str, language: str) -> Counter[str]:
    lowered = normalize(text).lower()
    pieces: Counter[str] = Counter()
    if language in _UNSPACED:
        joined = "".join(lowered.split())
        pieces.update(joined[i : i + 2] for i in range(len(joined) - 1))
        return pieces
    for word in _WORD.findall(lowered):
        padded = f" {word} "
        pieces.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return pieces


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(value * value for value in weights.values())) or 1.0
    return {key: value / norm for key, value in weights.items()}


@lru_cache(maxsize=8)
def _index(language: str) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Each task's weighted pieces in `language`, and how rare each piece is across tasks."""
    from scholarflow import taxonomy
    from scholarflow.i18n import Messages

    text = Messages(language)
    documents = {
        task_id: _pieces(
            " ".join(
                (
                    text.task_name(task),
                    text.task_description(task),
                    text.task_goal(task),
                    text.task_result(task),
                )
            ),
            language,
        )
        for task_id, task in taxonomy.tasks().items()
    }
    spread: Counter[str] = Counter()
    for pieces in documents.values():
        spread.update(pieces.keys())
    count = len(documents)
    rarity = {piece: math.log((count + 1) / (seen + 1)) + 1.0 for piece, seen in spread.items()}
    vectors = {
        task_id: _unit({p: n * rarity[p] for p, n in pieces.items()})
        for task_id, pieces in documents.items()
    }
    return rarity, vectors


def task_similarities(question: str, language: str) -> dict[str, float]:
    """Cosine of the question's weighted pieces with each task's, in the question's language;
    {} for English (the embedding model reads it) or a language the answer is not kept in."""
    from scholarflow.i18n import LANGUAGES

    if language == "en" or language not in LANGUAGES:
        return {}
    rarity, vectors = _index(language)
    asked = _unit({p: n * rarity[p] for p, n in _pieces(question, language).items() if p in rarity})
    return {
        task_id: sum(weight * vector.get(piece, 0.0) for piece, weight in asked.items())
        for task_id, vector in vectors.items()
    }
