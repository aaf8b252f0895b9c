"""Understanding: what the *user* is doing, from their own words.

The user's task can differ from what the recommended model does (someone who replaced a video's
background may be handed a text-to-image model), so the question leads: task cue phrases and
the modalities the user says they started from and ended with. The recommended model's own
tasks only break ties and carry questions whose words the taxonomy does not know.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from scholarflow import taxonomy
from scholarflow.models import Request, Source, Task, Understanding
from scholarflow.text import CueHit, normalize, replace_links

_CUE_WEIGHT = 3.0
_HINT_WEIGHT = 1.0
_MODALITY_FIT = 1.5
_MODALITY_CLASH = 1.0
_PRIOR_PRIMARY = 1.0
_PRIOR_OTHER = 0.5

# Words just before a mention that say whether the user had it or got it.
_HAVE_MARKERS = (
    "from",
    "dropped in",
    "drop in",
    "dropped",
    "uploaded",
    "upload",
    "used",
    "using",
    "use",
    "gave it",
    "gave",
    "fed",
    "feed",
    "input",
    "started with",
    "start with",
    "took",
    "with my",
    "of my",
    "my",
    "i have",
    "i had",
    "based on",
    "desde",
    "de una",
    "de un",
    "à partir d",
    "aus einem",
    "aus",
    "von",
    "subí",
    "j'ai mis",
    "ich habe",
)
_WANT_MARKERS = (
    "into",
    "created",
    "create",
    "made",
    "make",
    "makes",
    "generated",
    "generating",
    "generate",
    "produced",
    "produce",
    "producing",
    "became",
    "become",
    "get",
    "got",
    "output",
    "turned into",
    "result",
    "giving",
    "gave me",
    "en un",
    "en una",
    "in ein",
    "generó",
    "creó",
    "a créé",
    "a généré",
    "erzeugte",
    "erstellte",
)
_MARKER_PATTERN = re.compile(
    "|".join(
        rf"(?<!\w){re.escape(m)}(?!\w)"
        for m in sorted(_HAVE_MARKERS + _WANT_MARKERS, key=len, reverse=True)
    )
)
_MARKER_ROLE = {m: "have" for m in _HAVE_MARKERS} | {m: "want" for m in _WANT_MARKERS}
_LOOKBACK = 60
_ASK = re.compile(r"(?:^|[.!?¿]\s*|\s)(how|what|why|which|cómo|comment|wie|어떻게|如何)\b")


def understand(request: Request) -> Understanding:
    question = normalize(replace_links(request.question, " "))
    task_scores, matched = _task_scores(question)
    mentions = _modality_mentions(question)
    _add_modality_fit(task_scores, mentions)
    _add_recommended_prior(task_scores, request.recommended)

    known = taxonomy.tasks()
    ranked = sorted(task_scores.items(), key=lambda item: (-item[1], _task_order(item[0])))
    if ranked and ranked[0][1] > 0:
        task = known[ranked[0][0]]
        best = ranked[0][1]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        confidence = best / (best + max(runner_up, 0.0) + 1.0)
    else:  # nothing to go on: say so with a low confidence rather than guess boldly
        task = known["image_to_video"]
        confidence = 0.05
    have, want = _resolve_modalities(task, mentions)
    return Understanding(
        task=task,
        confidence=round(min(max(confidence, 0.05), 0.99), 2),
        have=have,
        want=want,
        focus=_focus(question),
        matched_cues=tuple(matched),
    )


def _task_order(task_id: str) -> int:
    return list(taxonomy.tasks()).index(task_id)


def _task_scores(question: str) -> tuple[dict[str, float], list[str]]:
    scores: dict[str, float] = defaultdict(float)
    matched: list[str] = []
    seen: set[tuple[str, str]] = set()
    for hit in taxonomy.task_matcher().find(question):
        if (hit.label, hit.cue) in seen:
            continue
        seen.add((hit.label, hit.cue))
        task_id, _, kind = hit.label.partition(":")
        scores[task_id] += _HINT_WEIGHT if kind == "hint" else _CUE_WEIGHT
        if hit.cue not in matched:
            matched.append(hit.cue)
    return scores, matched


class _Mention:
    __slots__ = ("hit", "role")

    def __init__(self, hit: CueHit, role: str | None) -> None:
        self.hit = hit
        self.role = role


def _modality_mentions(question: str) -> list[_Mention]:
    mentions = []
    for hit in taxonomy.modality_matcher().find(question):
        window = question[max(0, hit.start - _LOOKBACK) : hit.start]
        window = re.split(r"[.!?]", window)[-1]  # stay inside the sentence
        markers = list(_MARKER_PATTERN.finditer(window))
        role = _MARKER_ROLE[markers[-1].group(0)] if markers else None
        mentions.append(_Mention(hit, role))
    return mentions


def _add_modality_fit(scores: dict[str, float], mentions: list[_Mention]) -> None:
    have = {m.hit.label for m in mentions if m.role == "have"}
    want = {m.hit.label for m in mentions if m.role == "want"}
    supplied = set(taxonomy.freely_supplied())
    for task in taxonomy.tasks().values():
        if task.id not in scores and not (have or want):
            continue
        inputs = set(task.inputs) - supplied
        if have & set(task.inputs):
            scores[task.id] += _MODALITY_FIT
        elif have - supplied and inputs and task.id in scores:
            scores[task.id] -= _MODALITY_CLASH
        if want & set(task.outputs):
            scores[task.id] += _MODALITY_FIT
        elif want and task.id in scores:
            scores[task.id] -= _MODALITY_CLASH


def _add_recommended_prior(scores: dict[str, float], recommended: Sequence[Source]) -> None:
    for source in recommended:
        for rank, task_id in enumerate(source.tasks):
            scores[task_id] += _PRIOR_PRIMARY if rank == 0 else _PRIOR_OTHER


def _resolve_modalities(
    task: Task, mentions: list[_Mention]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the user has and wants: their own words where they fit the task, else the task's."""
    have: list[str] = []
    want: list[str] = []
    for mention in mentions:
        modality = mention.hit.label
        role = mention.role
        if role is None:  # an unmarked mention is placed by the task it belongs to
            if modality in task.outputs:
                role = "want"
            elif modality in task.inputs or modality in taxonomy.freely_supplied():
                role = "have"  # a prompt or a path the user wrote is something they gave
        target = have if role == "have" else want if role == "want" else None
        if target is not None and modality not in target:
            target.append(modality)

    supplied = set(taxonomy.freely_supplied())
    fitting_have = [m for m in have if m in task.inputs or m in supplied]
    primary = [m for m in task.inputs if m not in supplied] or list(task.inputs)
    if not any(m in primary for m in fitting_have):
        # Naming only what anyone can supply (a camera path, a prompt) does not tell what
        # the user started from; the task does.
        fitting_have = list(dict.fromkeys(primary + fitting_have))
    fitting_want = [m for m in want if m in task.outputs]
    if not fitting_want:
        fitting_want = list(task.outputs[:1])
    return tuple(fitting_have), tuple(fitting_want)


def _focus(question: str) -> tuple[str, ...]:
    """The question's focuses, strongest first; words in the asking clause count double."""
    ask = None
    for ask in _ASK.finditer(question):  # noqa: B007 - the last asking word is the one we want
        pass
    ask_start = ask.start(1) if ask else len(question)
    scores: dict[str, float] = defaultdict(float)
    first_seen: dict[str, int] = {}
    for hit in taxonomy.focus_matcher().find(question):
        scores[hit.label] += 2.0 if hit.start >= ask_start else 1.0
        first_seen.setdefault(hit.label, hit.start)
    ranked = sorted(scores, key=lambda f: (-scores[f], first_seen[f]))
    return tuple(ranked) or ("mechanism",)
