"""Who a model is built for, and whether the user's request is about someone else.

A title often says a model's subject outright ("Blind Face Restoration", "Reconstructing
World-grounded Humans", "Portrait Animation"), and that is knowledge the modalities do not
carry: a human motion model takes a video and makes motion, like the tracker that would serve a
galloping mare. When the question plainly shows a subject outside that scope (an animal, a
whole dancing body) and nothing inside it, the model does not fit, whatever its ports say.

The words live in lexicon/subjects.toml. Every scan is one pass of a compiled alternation.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from scholarflow import taxonomy
from scholarflow.models import Source, Task
from scholarflow.taxonomy import load_lexicon
from scholarflow.text import compared, normalize

# Scripts written without spaces between words: their words match anywhere.
_UNSPACED = frozenset({"ja", "ko"})


@dataclass(frozen=True)
class Scope:
    """A subject scope a title can state: its id and the subject kinds outside it."""

    id: str
    excludes: frozenset[str]


def _alternation(words: Iterable[str], *, spaced: bool) -> re.Pattern[str]:
    ordered = sorted({normalize(w) for w in words}, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in ordered)
    if not spaced:
        return re.compile(f"(?:{body})")
    return re.compile(rf"(?<![\w-])(?:{body})(?:e?s)?(?![\w-])")


@cache
def _data() -> dict:
    return load_lexicon("subjects.toml")


@cache
def _scopes() -> tuple[Scope, ...]:
    data = _data()
    return tuple(
        Scope(
            id=scope_id,
            excludes=frozenset(entry["excludes"]),
        )
        for scope_id, entry in data["scopes"].items()
    )


@cache
def _title_pattern() -> re.Pattern[str]:
    """One pattern for every scope word of every scope, each in a named group per scope,
    refused when a judging word follows ("human preferences")."""
    data = _data()
    after = "|".join(re.escape(w) for w in sorted(data["not_after"], key=len, reverse=True))
    groups = []
    for scope_id, entry in data["scopes"].items():
        words = sorted({normalize(w) for w in entry["title"]}, key=len, reverse=True)
        groups.append(f"(?P<{scope_id}>" + "|".join(re.escape(w) for w in words) + ")")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(groups)})(?![\w-])(?![ -](?:{after})(?![\w-]))")


@cache
def _subject_patterns(language: str) -> dict[str, re.Pattern[str]]:
    spaced = language not in _UNSPACED
    return {
        kind: _alternation(by_language[language], spaced=spaced)
        for kind, by_language in _data()["subjects"].items()
        if by_language.get(language)
    }


def named_scope(name: str) -> Scope | None:
    """The widest subject scope a title or a task's name states ("Human Image Animation",
    "lip sync and dubbing"), or None when it states none (a model for anything)."""
    named = {
        kind
        for found in _title_pattern().finditer(normalize(name))
        for kind, value in found.groupdict().items()
        if value
    }
    widest = [scope for scope in _scopes() if scope.id in named]
    return widest[-1] if widest else None


def title_scope(source: Source) -> Scope | None:
    """The subject scope the source's title states (its summary is not read: "preferred by
    people" or "a person in the example" says nothing of what the model works on)."""
    return named_scope(source.title)


def question_subjects(question: str, language: str) -> frozenset[str]:
    """The subject kinds the question names as what the user's material shows; a thing named
    in a comparison ("moves like a cat") or as an owner ("my grandfather's tractor") is not
    shown."""
    text = normalize(question)
    patterns = _subject_patterns(language)
    found = {
        kind: [m for m in pattern.finditer(text) if not compared(text, m.start(), m.end())]
        for kind, pattern in patterns.items()
    }
    # "a drawn otter", "our tiger mascot": an animal drawn or worn is a character, animated
    # like a person, not an animal filmed
    if found.get("animal"):
        beside = _depicted(text, language, found["animal"])
        # (and so is the same animal named again, "… keeping the otter's look", unless said
        # to be real: "my real dog barks at the cartoon dog")
        drawn = {m.group(0) for m in found["animal"] if m.start() in beside}
        found["animal"] = [
            m
            for m in found["animal"]
            if m.start() not in beside
            and (
                m.group(0) not in drawn
                or _REAL_BEFORE.search(text, max(0, m.start() - 12), m.start())
            )
        ]
    # "my grandfather's tractor": an owner named right before a thing of another kind is
    # not what is shown ("my son's trampoline routine" still shows the son)
    starts = {m.start() for matches in found.values() for m in matches}
    owned = {
        owner.start()
        for owner in _OWNER.finditer(text)
        if any(at in starts for at in range(owner.end(), owner.end() + _OWNED_WITHIN + 1))
    }
    kinds = {kind for kind, matches in found.items() if any(m.end() not in owned for m in matches)}
    # "I filmed him", "she lands the jump": someone filmed is a person, whatever the list of
    # person words lacks ("my cousin"), unless an animal is named (people say "she" of a mare).
    # Not "his" or "her" as the owner of a thing named ("his tractor"), not "he" (Spanish
    # "he grabado" is often read as English), not where `compared` reads a comparison.
    if (
        language == "en"
        and "animal" not in kinds
        and any(
            not compared(text, m.start(), m.end())
            and not (m.group(0) in _POSSESSIVE and _owns_a_thing(m.end(), starts))
            for m in _PERSONAL.finditer(text)
        )
    ):
        kinds.add("person")
    # "his 3D body movement", "el movimiento de su cuerpo": a body someone owns is a person's,
    # where no animal is shown, or an animal shown is owned by someone else than the user
    # ("climbing onto his elephant"); "my mare … her body" is the mare's
    if _persons_body().search(text) and (
        "animal" not in kinds
        or any(
            _THIRD_OWNER.search(text, max(0, m.start() - 12), m.start())
            for m in found.get("animal", ())
        )
    ):
        kinds.add("person")
    # "a 3D body that copies my movement": the user's own body or movement is a person's
    if _users_own().search(text):
        kinds.add("person")
    return frozenset(kinds)


@cache
def _users_own() -> re.Pattern[str]:
    """A first-person possessive, perhaps one describing word, then a body or movement word
    (lexicon/subjects.toml, `users_own`)."""
    entry = _data()["users_own"]

    def alternatives(words: Iterable[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))

    return re.compile(
        rf"(?<![\w'-])(?:{alternatives(entry['possessives'])})\s+"
        rf"(?:(?:{alternatives(entry['describing'])})\s+)?(?:{alternatives(entry['things'])})"
        rf"(?![\w'-])(?!\s+(?:{alternatives(entry['not_before'])})(?![\w'-]))"
    )


# Someone's animal, said with the possessive of a third person: "his elephant", "su caballo".
_THIRD_OWNER = re.compile(
    r"(?<![\w'-])(?:his|her|their|su|sus|son|sa|ses|leur|sein|seine|seinen|seinem|ihr|ihre|"
    r"ihren|ihrem)\s+$"
)


@cache
def _persons_body() -> re.Pattern[str]:
    """A possessive, perhaps a describing word or "3D", then a body word (lexicon/owners.toml,
    `human_motion`): someone's body."""
    entry = load_lexicon("owners.toml")["human_motion"]

    def alternatives(words: Iterable[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return re.compile(
        rf"(?<![\w'-])(?:{alternatives(entry['possessives'])})\s+"
        rf"(?:(?:{alternatives(entry['describing'])}|3d)\s+)*(?:{alternatives(entry['owners'])})"
        r"(?![\w'-])(?!\s+(?:of|de)\s)"
    )


@cache
def _depiction_patterns(language: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """The depiction words of a language (either side of the animal), and those counting
    only before it."""
    depicted = _data()["depicted"]
    spaced = language not in _UNSPACED
    either = depicted.get(language)
    before = depicted.get("before", {}).get(language)
    return (
        _alternation(either, spaced=spaced) if either else None,
        _alternation(before, spaced=spaced) if before else None,
    )


# Between a depiction word and its animal: function words only ("a drawing of our cat", "our
# otter mascot"), in Japanese and Korean a particle ("牛のキャラクター", "마스코트인 호랑이").
_FUNCTION_GAP = re.compile(
    r"[\s,(（]*(?:(?:a|an|the|of|our|my|its|de|du|des|del|la|le|el|un|une|una|von|vom|der|"
    r"die|das|ein|eine)[\s,]+)*"
)
_UNSPACED_GAP = 2  # characters


def _depicted(text: str, language: str, mentions: list[re.Match[str]]) -> set[int]:
    """The starts of the animal mentions drawn or worn: a depiction word right beside."""
    either, before_only = _depiction_patterns(language)
    spans = sorted(
        [(m.start(), m.end(), False) for m in (either.finditer(text) if either else ())]
        + [(m.start(), m.end(), True) for m in (before_only.finditer(text) if before_only else ())]
    )
    starts = [span[0] for span in spans]
    found = set()
    for mention in mentions:
        at = bisect.bisect_left(starts, mention.start())
        for start, end, only_before in spans[max(0, at - 2) : at + 2]:
            if end <= mention.start():
                gap = text[end : mention.start()]
            elif start >= mention.end() and not only_before:
                gap = text[mention.end() : start]
            else:
                continue
            if _is_function_gap(gap, language):
                found.add(mention.start())
                break
    return found


def _is_function_gap(gap: str, language: str) -> bool:
    if language in _UNSPACED:
        return len(gap) <= _UNSPACED_GAP
    return _FUNCTION_GAP.fullmatch(gap) is not None


# "my real dog barks at the cartoon dog": a mention said to be real is the filmed animal,
# whatever else of its name is drawn
_REAL_BEFORE = re.compile(r"(?<!\w)(?:real|actual|live|my|mi|mon|ma|mein|meine|meinen)\s+$")


_PERSONAL = re.compile(r"\b(?:him|himself|she|herself|his|her)\b")
_POSSESSIVE = frozenset({"his", "her"})


def _owns_a_thing(end: int, starts: set[int]) -> bool:
    """A subject word follows within a short word: "his tractor", "her garden"."""
    return any(at in starts for at in range(end, end + _OWNED_WITHIN + 1))


_OWNER = re.compile(r"['’]s?(?!\w)\s*")
_OWNED_WITHIN = 12  # characters from the owner's "'s" to the thing owned (one short word)


# The subject a scope's own job cannot be done without: lip-syncing a product ad has a face in
# it, whatever else the question names.
_SCOPE_SUBJECT = {"face": "face", "portrait": "face", "person": "person"}


def implied_subjects(task: Task) -> frozenset[str]:
    """The subject the user's task itself shows: a face for a lip sync or a talking head."""
    scope = named_scope(task.name)
    return (
        frozenset({_SCOPE_SUBJECT[scope.id]})
        if scope and scope.id in _SCOPE_SUBJECT
        else frozenset()
    )


def outside_scope(source: Source, subjects: frozenset[str]) -> Scope | None:
    """The scope the source's title limits it to, when the question shows only subjects
    outside it (a mare for "Humans"); None when it is in scope or cannot be told."""
    scope = title_scope(source)
    if scope is None or not outside_kinds(scope, subjects):
        return None
    return scope


def task_outside_scope(task: Task, subjects: frozenset[str]) -> bool:
    """Whether the task's own name limits it to subjects the question does not show (human
    motion capture, asked about a mare)."""
    scope = named_scope(task.name)
    return scope is not None and bool(outside_kinds(scope, subjects))


def drawings_shown(task: Task, subjects: frozenset[str]) -> Task:
    """The task, done only by the drawings (`done_by`) that can show what the question
    shows: a mesh drawn round does a look around an object, not around a room
    (taxonomy/operations.toml `cannot_show`)."""
    operations = taxonomy.operations()
    kept = tuple(
        op
        for op in task.done_by
        if op not in operations
        or not operations[op].cannot_show
        or not outside_kinds(Scope(op, operations[op].cannot_show), subjects)
    )
    return task if kept == task.done_by else task.model_copy(update={"done_by": kept})


def outside_kinds(scope: Scope, subjects: frozenset[str]) -> tuple[str, ...]:
    """The subject kinds of the question outside `scope` and not rescued by another kind
    named with them, in the lexicon's order."""
    rescued_by = _data()["rescued_by"]
    return tuple(
        kind
        for kind in _data()["subjects"]
        if kind in subjects & scope.excludes and not subjects & set(rescued_by.get(kind, ()))
    )
