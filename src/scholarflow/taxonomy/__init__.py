"""The task taxonomy, modalities, generic operations and question focuses, read from data files.

Everything here is data (TOML beside this module); the loaders validate it once and cache it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from scholarflow import data_files
from scholarflow.models import Port, Signature, Task, parse_port
from scholarflow.text import CueHit, CueMatcher, normalize


@dataclass(frozen=True)
class ModalityInfo:
    id: str
    label: str
    family: str
    cues: tuple[str, ...]
    includes: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()  # nouns that, counted two or more, name this modality
    shown_as: str | None = None  # what a person sees it as when it is played or opened
    filmed_with: bool = False  # its counted nouns are the devices that film it
    moves: bool = False  # it unfolds over time, frame by frame
    # what it is called when a model made it, where that differs (what a captioner writes
    # is no "text prompt")
    made_label: str | None = None
    described: tuple[str, ...] = ()  # nouns that name it after a determiner, words between
    # ...only where it is said to go in or come out ("it gave me a clean mask"; "in a
    # carnival mask" is worn)
    described_made: bool = False
    # recordings that, counted two or more, are this modality ("eight clips" of one show):
    # counted as `counted` is, but no devices
    counted_takes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    id: str
    label: str
    kind: str  # format | compose | geometry | render | model
    cost: float
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    description: str
    from_user: bool = False  # takes only what the user brought
    to_output: bool = False  # makes only the final result
    ports_in: tuple[Port, ...] = ()
    ports_out: tuple[Port, ...] = ()
    undoes: str = ""  # the format step this one reverses
    # hands a model only a stand-in for what it is made for, and the result that loses by it:
    # "still" (one photo as a clip of one frame: a clip model's work across frames has nothing
    # to do for a still result), "moving" (a clip split into frames for a picture model: what
    # it makes of each frame keeps nothing from the next, for a result that moves), "footage"
    # (one frame of a clip for a picture model: one moment, for a task about the whole clip),
    # "views" (one camera of a rig for a model of one clip, for a task made of all of them)
    stands_in: str = ""
    # the subject kinds (lexicon/subjects.toml) what it draws cannot be, unless shown with a
    # kind it can be: a mesh made from one photo is one object's, not a room's
    cannot_show: frozenset[str] = frozenset()
    # what it draws shows holes where the surfaces were hidden from the camera (a view shifted
    # by depth, points seen from where they were not): a result only once a model fills them
    leaves_holes: bool = False


_STAND_INS = ("", "still", "moving", "footage", "views")


def _stand_in(key: str, value: object) -> str:
    if value not in _STAND_INS:
        raise ValueError(
            f"operations.toml: operation {key}: stands_in must be one of "
            f"{', '.join(repr(v) for v in _STAND_INS[1:])}, not {value!r}"
        )
    return str(value)


@dataclass(frozen=True)
class Supplied:
    """Something the user can always provide themselves (a text prompt, a camera path)."""

    modality: str
    label: str
    cost: float
    description: str
    only_for: tuple[str, ...] = ()  # roles of the ports that may take it; empty: any port
    role: str = ""  # the role it plays when supplied ("camera_path")
    implied: bool = False  # given to any task that cannot run without it, said or not


@dataclass(frozen=True)
class Focus:
    id: str
    heading: str
    lead: str
    phrase: str
    cues: tuple[str, ...]
    evidence: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    return data_files.load_toml(__package__, name)


@cache
def modalities() -> dict[str, ModalityInfo]:
    return {
        key: ModalityInfo(
            key,
            value["label"],
            value["family"],
            tuple(value.get("cues", ())),
            tuple(value.get("includes", ())),
            tuple(value.get("counted", ())),
            value.get("shown_as"),
            bool(value.get("filmed_with", False)),
            bool(value.get("moves", False)),
            value.get("made_label"),
            described=tuple(value.get("described", ())),
            described_made=bool(value.get("described_made", False)),
            counted_takes=tuple(value.get("counted_takes", ())),
        )
        for key, value in _load("modalities.toml").items()
    }


def _check_modalities(where: str, names: tuple[str, ...]) -> tuple[str, ...]:
    known = modalities()
    for name in names:
        if name not in known:
            raise ValueError(f"{where}: unknown modality {name!r}")
    return names


def _ports(where: str, specs: list[str]) -> tuple[Port, ...]:
    ports = tuple(parse_port(spec) for spec in specs)
    for port in ports:
        _check_modalities(where, port.modalities)
        if port.role and port.role not in roles():
            raise ValueError(f"{where}: unknown role {port.role!r}")
    return ports


@cache
def roles() -> dict[str, frozenset[str]]:
    """Role → the producer roles it accepts (taxonomy/roles.toml)."""
    return {key: frozenset(value["accepts"]) for key, value in _load("roles.toml").items()}


@cache
def role_descriptions() -> dict[str, str]:
    """Role → what data in that role is, for the answer ("the footage whose subject is kept")."""
    return {key: value.get("description", "") for key, value in _load("roles.toml").items()}


def accepts(port_role: str, producer_role: str) -> bool:
    """Whether a producer with `producer_role` may feed a port with `port_role`."""
    if not port_role:
        return True
    return producer_role in roles().get(port_role, frozenset({port_role}))


@cache
def tasks() -> dict[str, Task]:
    loaded = {}
    for key, value in _load("tasks.toml").items():
        where = f"task {key}"
        signature = Signature.of(value["inputs"], value["outputs"])
        _ports(where, value["inputs"]), _ports(where, value["outputs"])
        loaded[key] = Task(
            id=key,
            name=value["name"],
            description=value["description"],
            inputs=signature.required_inputs,
            outputs=signature.outputs,
            signature=signature,
            done_by=tuple(value.get("done_by", ())),
            animates=bool(value.get("animates", False)),
            finishing=bool(value.get("finishing", False)),
            animates_someone=bool(value.get("animates_someone", False)),
            guided_by=tuple(value.get("guided_by", ())),
            cues=tuple(value.get("cues", ())),
            hints=tuple(value.get("hints", ())),
            family=value["family"],
            goal=value["goal"],
            result=value.get("result", ""),
            hf_pipeline_tag=value.get("hf"),
        )
    return loaded


@cache
def variants() -> dict[str, tuple[Signature, ...]]:
    """Other signatures of a task: the same job with more handed in ("with the depth of the
    video supplied"), from `variants = [{inputs = […], outputs = […], note = "…"}]`."""
    found: dict[str, tuple[Signature, ...]] = {}
    for key, value in _load("tasks.toml").items():
        listed = [item for item in value.get("variants", ()) if "when" not in item]
        found[key] = tuple(
            Signature.of(item["inputs"], item["outputs"], item.get("note", "")) for item in listed
        )
    return found


@cache
def stated_variants() -> dict[str, tuple[tuple[Signature, tuple[str, ...]], ...]]:
    """Signatures a source of a task has only when its own words say so (a variant with a
    `when` list): a text-to-image model steered by a control image such as a depth map."""
    found: dict[str, tuple[tuple[Signature, tuple[str, ...]], ...]] = {}
    for key, value in _load("tasks.toml").items():
        listed = [item for item in value.get("variants", ()) if "when" in item]
        found[key] = tuple(
            (
                Signature.of(item["inputs"], item["outputs"], item.get("note", "")),
                tuple(normalize(w) for w in item["when"]),
            )
            for item in listed
        )
    return found


@cache
def variants_beside_the_main() -> frozenset[Signature]:
    """The stated variants a source still has the task's own signature beside (`alone = true`
    in tasks.toml): an image-prompt adapter makes a picture from the words alone as well."""
    return frozenset(
        Signature.of(item["inputs"], item["outputs"], item.get("note", ""))
        for value in _load("tasks.toml").values()
        for item in value.get("variants", ())
        if "when" in item and item.get("alone", False)
    )


@cache
def _operations_file() -> dict[str, Any]:
    return _load("operations.toml")


@cache
def operations() -> dict[str, Operation]:
    return {
        key: Operation(
            id=key,
            label=value["label"],
            kind=value["kind"],
            cost=float(value["cost"]),
            inputs=tuple(p.modality for p in _ports(f"operation {key}", value["inputs"])),
            outputs=tuple(p.modality for p in _ports(f"operation {key}", value["outputs"])),
            description=value["description"],
            from_user=value.get("from_user", False),
            to_output=value.get("to_output", False),
            ports_in=_ports(f"operation {key}", value["inputs"]),
            ports_out=_ports(f"operation {key}", value["outputs"]),
            undoes=value.get("undoes", ""),
            stands_in=_stand_in(key, value.get("stands_in", "")),
            cannot_show=frozenset(value.get("cannot_show", ())),
            leaves_holes=bool(value.get("leaves_holes", False)),
        )
        for key, value in _operations_file().items()
        if key != "supplied"
    }


@cache
def supplied() -> dict[str, Supplied]:
    return {
        key: Supplied(
            key,
            value["label"],
            float(value["cost"]),
            value["description"],
            tuple(value.get("only_for", ())),
            value.get("role", ""),
            bool(value.get("implied", False)),
        )
        for key, value in _operations_file()["supplied"].items()
        if _check_modalities("supplied", (key,))
    }


@cache
def freely_supplied() -> frozenset[str]:
    """Modalities any user can supply to any step (a text prompt, a camera path)."""
    return frozenset(key for key, value in supplied().items() if not value.only_for)


@cache
def implied_inputs() -> frozenset[str]:
    """What a user gives any task that cannot run without it, whether they say so or not (the
    words of a prompt)."""
    return frozenset(key for key, value in supplied().items() if value.implied)


def stand_ins(modalities: set[str]) -> set[str]:
    """Modalities that stand in for each other: a clip's frames are the clip, and frames
    encoded back are a clip."""
    stand_in = {"video": {"image_set"}, "image_set": {"video"}}
    return {alt for m in modalities for alt in stand_in.get(m, set())}


@cache
def focuses() -> dict[str, Focus]:
    return {
        key: Focus(
            key,
            value["heading"],
            value["lead"],
            value["phrase"],
            tuple(value["cues"]),
            tuple(value["evidence"]),
        )
        for key, value in _load("focus.toml").items()
    }


@cache
def task_matcher() -> CueMatcher:
    """Cue phrases of every task; the label is "task_id" or "task_id:hint"."""
    cues: dict[str, list[str]] = {}
    for task in tasks().values():
        cues[task.id] = list(task.cues)
        cues[f"{task.id}:hint"] = list(task.hints)
    # One phrase may speak for several tasks; within a task its longest cue counts.
    return CueMatcher(cues, group=lambda label: label.partition(":")[0])


@dataclass(frozen=True)
class ContrastSide:
    contrast: str  # "scene_motion"
    side: str  # "static"
    tasks: tuple[str, ...]
    cues: tuple[str, ...]


@cache
def contrast_sides() -> dict[str, ContrastSide]:
    """The sides of every contrast (contrasts.toml), keyed "contrast.side"."""
    known = tasks()
    sides: dict[str, ContrastSide] = {}
    for contrast, values in _load("contrasts.toml").items():
        for side, value in values.items():
            unknown = [t for t in value["tasks"] if t not in known]
            if unknown:
                raise ValueError(f"contrasts.toml: {contrast}.{side}: unknown tasks {unknown}")
            sides[f"{contrast}.{side}"] = ContrastSide(
                contrast, side, tuple(value["tasks"]), tuple(value["cues"])
            )
    return sides


@dataclass(frozen=True)
class Measure:
    name: str  # "resolution"
    tasks: tuple[str, ...]  # what a change of it names
    pattern: re.Pattern[str]  # one value, in group "value"
    same: dict[str, str]  # other names of one value ("2160p" → "4k")

    def values(self, text: str) -> list[str]:
        """The distinct values named in `text`, in the order they first appear."""
        found: dict[str, None] = {}
        for match in self.pattern.finditer(text):
            value = re.sub(r"\s", "", match.group("value").lower())
            found.setdefault(self.same.get(value, value), None)
        return list(found)


@cache
def measures() -> tuple[Measure, ...]:
    """The measures whose change names a task (lexicon/measures.toml)."""
    known = tasks()
    found = []
    for name, value in load_lexicon("measures.toml").items():
        unknown = [t for t in value["tasks"] if t not in known]
        if unknown:
            raise ValueError(f"measures.toml: {name}: unknown tasks {unknown}")
        pattern = re.compile(value["pattern"], re.IGNORECASE)
        found.append(Measure(name, tuple(value["tasks"]), pattern, dict(value.get("same", {}))))
    return tuple(found)


@cache
def contrast_matcher() -> CueMatcher:
    return CueMatcher({key: side.cues for key, side in contrast_sides().items()})


@cache
def modality_matcher() -> CueMatcher:
    return CueMatcher({key: info.cues for key, info in modalities().items()}, whole_words=True)


@cache
def _together_pattern() -> re.Pattern[str]:
    phrases = load_lexicon("counts.toml")["filmed_together"]
    body = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


@cache
def _filmers_pattern() -> re.Pattern[str]:
    """A count of people filming: "<count> <people> <up to seven words> <filming verb>" (or
    the count right before it, "on était six à filmer"), the
    count leading the people ("eight of us filmed", "six parents stood in a circle with their
    phones filming"): not a thing counted ("six videos recorded", "three days of filming"),
    no "I" or "je"/"ich"/"yo" between, no sentence end, and not filmed by someone else
    ("two kids were filmed")."""
    data = load_lexicon("counts.toml")
    words = "|".join(re.escape(w) for w in sorted(data["words"], key=len, reverse=True))
    filming = sorted(data["filming"], key=len, reverse=True)
    # (a participle after "were", "was" or "been" is filmed by someone else; "were filming"
    # is the people's own act)
    passive = r"(?<!\bwere)(?<!\bwas)(?<!\bbeen)(?<!\bbe)(?<!\bare)(?<!\bis)"
    # (a form in -ing after an article or a possessive is a noun: "a recording of her")
    noun = r"(?<!\ba)(?<!\ban)(?<!\bthe)(?<!\bmy)(?<!\bour)(?<!\bhis)(?<!\bher)(?<!\btheir)"
    verbs = "|".join(
        rf"{passive}\s+{re.escape(w)}"
        if w.endswith("ed")
        else rf"{noun}\s+{re.escape(w)}"
        if w.endswith("ing")
        else rf"\s+{re.escape(w)}"
        for w in filming
    )
    things = {w for info in modalities().values() for w in (*info.counted, *info.counted_takes)}
    things |= set(data["spans_of_time"])
    not_people = "|".join(re.escape(w) for w in sorted(things, key=len, reverse=True))
    count = rf"(?:(?<![\d.,])(?:[2-9]|[1-9]\d+)(?![\d.,])|(?<!\w)(?:{words})(?!\w))"
    # (a hyphenated word is one: "beim Vesak-Laternenfest")
    word = r"(?!(?:i|je|j|ich|yo)\b)[^\W\d]+(?:-[^\W\d]+)*'?"
    # ...or the count said to be of us ("fünf von uns", "cinco de nosotros"): then the verb may
    # stand anywhere later in the clause, where German puts its participle ("Fünf von uns
    # haben den ersten Tanz auf der Hochzeit aus verschiedenen Ecken des Saals gefilmt")
    of_us = "|".join(re.escape(w) for w in sorted(data["of_us"], key=len, reverse=True))
    together_verbs = "|".join(re.escape(w) for w in data["filming_right_after"])
    return re.compile(
        rf"{count}(?!\s+(?:[^\W\d]+\s+)?(?:{not_people})(?!\w))(?:\s+{word}){{1,8}}?"
        rf"(?:{verbs})(?!\w)"
        rf"|{count}\s+(?:{of_us})(?!\w)[^,.;:!?]*?(?:{verbs})(?!\w)"
        # ("on était six à filmer": the count right before the verb)
        rf"|(?<!\d\s){count}\s+(?:{together_verbs})(?!\w)"
    )


def filmers_mentions(normalized_text: str) -> list[CueHit]:
    """The footage of several people filming one moment, named by their filming alone
    ("cinco de nosotros grabamos el gol", "on était six à filmer"): a multi-view video the
    user had, whether or not a clip is named. Counted in words only: a number in digits
    before a verb of filming is as often a year, a frame rate or a size ("2001 … gefilmt",
    "176×144 gefilmt")."""
    return [
        CueHit("multi_view_video", match.group(0), match.start(), match.end())
        for match in _filmers_pattern().finditer(normalized_text)
        if not match.group(0)[:1].isdigit()
    ]


def filmed_together(normalized_text: str) -> bool:
    """Whether the text says several recordings were made at one moment (lexicon/counts.toml,
    `filmed_together`): "eight of us filmed the show at the same time", or by several
    people at once ("ten parents filmed our group", `filming`)."""
    return (
        _together_pattern().search(normalized_text) is not None
        or _filmers_pattern().search(normalized_text) is not None
    )


def load_lexicon(name: str) -> dict[str, Any]:
    """One data file of scholarflow/lexicon, parsed."""
    return data_files.load_toml("scholarflow.lexicon", name)


@cache
def _counted_patterns(takes: bool = False) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Per modality with `counted` nouns, one pattern for "<two or more> <noun>": a count in
    digits or words (lexicon/counts.toml), at most two words between ("12 synchronised
    cameras", "8 random phone photos"), and the counter forms of Korean and Japanese
    ("카메라 12대", "写真8枚", "12台のカメラ"). With `takes`, the recordings counted too
    (`counted_takes`)."""
    data = load_lexicon("counts.toml")
    words = "|".join(re.escape(w) for w in sorted(data["words"], key=len, reverse=True))
    # (a compound number is counted by its tens: "twenty-four", "vierundzwanzig")
    count = (
        rf"(?:(?<![\d.,])(?:[2-9]|[1-9]\d+)(?![\d.,])"
        rf"|(?<!\w)(?:[a-zäöüß]+und)?(?:{words})(?:-[a-z]+)?(?!\w))"
    )
    counters = "|".join(re.escape(c) for c in data["counters"])
    numbers = "|".join(re.escape(n) for n in data["counter_numbers"])
    kanji, several = re.escape(data["kanji_numerals"]), re.escape(data["kanji_several"])
    # Every count starts where a number starts (no rescanning inside a long run of digits):
    # digits, a Korean number word, or a run of kanji numerals other than 一 alone, "several"
    # among them or not ("十数枚", a dozen or so; "数十枚", dozens).
    number = (
        rf"(?:(?<![\d.,])(?:[2-9]|[1-9]\d+)|(?<!\w)(?:{numbers})"
        rf"|(?<![{kanji}{several}])(?:[{kanji}]*{several}[{kanji}]*|[{kanji}]{{2,}}|[{kanji[1:]}]))"
    )
    counted = rf"{number}\s*(?:{counters})"
    sheets = "|".join(re.escape(c) for c in data["sheet_counters"])
    particles = data["korean_particles"]
    about = "|".join(re.escape(w) for w in data["approximately"])
    patterns = []
    for key, info in modalities().items():
        counted_nouns = (*info.counted, *(info.counted_takes if takes else ()))
        if not counted_nouns:
            continue
        nouns = "|".join(re.escape(n) for n in sorted(counted_nouns, key=len, reverse=True))
        latin = rf"{count}\s+(?:[^\W\d]+\s+){{0,2}}?(?:{nouns})(?!\w)"
        # "写真8枚", "原画を2枚", "사진 두 장": the noun, perhaps its object particle, the count
        # (perhaps said to be about so many: "사진 약 180장")
        particle = r"(?:を|が|は|も|을|를|이|가|은|는|도)?"
        after = rf"(?:{nouns})\s*{particle}\s*(?:(?:{about})\s*)?{counted}"
        before = rf"{counted}\s*の?\s*(?:{nouns})"
        forms = [latin, after, before]
        if key == data["sheets_are"]:
            # A count of flat sheets is pictures, whatever they are called ("原画を2枚").
            # A Korean counter is a syllable of other words too (장소, 장면): it ends a word
            # or takes a particle; Japanese text runs on after its counter without spaces.
            forms.append(rf"{number}\s*(?:{sheets})(?![\uac00-\ud7a3](?<![{particles}]))")
        patterns.append((key, re.compile("|".join(forms))))
    return tuple(patterns)


def counted_mentions(normalized_text: str, *, together: bool = False) -> list[CueHit]:
    """Things named by a count of two or more: "zwölf Kameras" is a multi-view video even in
    words no cue lists, "400 Fotos" a set of photos. Recordings counted ("the eight clips")
    only where the question says they were filmed `together` (`filmed_together`): "30
    holiday clips" are thirty clips, not one scene seen from thirty places."""
    hits = []
    for key, pattern in _counted_patterns(together):
        for match in pattern.finditer(normalized_text):
            hits.append(CueHit(key, match.group(0), match.start(), match.end()))
    return hits


@cache
def _described_patterns(compounds: bool = False) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Per modality with `described` nouns, one pattern for "<determiner> <up to two words>
    <noun>": "a silent 1950s film", "our old wedding film". Not a noun that modifies the next
    word ("my old film camera": a camera) nor one made of a material ("a thin film of dust"),
    nor words between that are no describing words ("a roll of film")."""
    data = load_lexicon("determiners.toml")
    leads = "|".join(re.escape(w) for w in sorted(data["determiners"], key=len, reverse=True))
    stopwords = load_lexicon("stopwords.toml")
    function_words = {w for words in stopwords.values() for w in words} | set(data["also_ends"])
    ends = "|".join(re.escape(w) for w in sorted(function_words, key=len, reverse=True))
    layers = "|".join(re.escape(w) for w in sorted(data["materials"], key=len, reverse=True))
    # a describing word is no determiner and no function word: "… suits the film" is named
    # from "the", and "a roll of film" names a roll
    # (an owner's word is one too: "the stewards' head-on replay")
    between = rf"(?:(?!(?:{leads}|{ends})\s)[^\W_]+(?:-[^\W_]+)*(?:['’]s?)?\s+)"
    after = (
        rf"(?=\s*$|\s*[^\w\s]|\s+(?:{ends})(?!\w))"
        rf"(?!\s+(?:of|de|du|des|von|aus)\s+(?:{layers})(?!\w))"
    )
    patterns = []
    for key, info in modalities().items():
        if info.described:
            nouns = "|".join(re.escape(n) for n in sorted(info.described, key=len, reverse=True))
            # (in German the noun may end a compound: "einen ruckeligen Stummfilm")
            glued = r"[^\W_]*" if compounds else ""
            pattern = rf"(?<!\w)(?:{leads})\s+{between}{{0,2}}?{glued}(?:{nouns}){after}"
            patterns.append((key, re.compile(pattern)))
    return tuple(patterns)


def described_mentions(normalized_text: str, *, compounds: bool = False) -> list[CueHit]:
    """Things named by a noun that may be a verb or mean something else on its own ("to
    film", "a film" of dust), where a determiner leads it: "a silent 1950s film".
    (`compounds`: the text is German, where the noun may be a compound's last part.)"""
    return [
        CueHit(key, match.group(0), match.start(), match.end())
        for key, pattern in _described_patterns(compounds)
        for match in pattern.finditer(normalized_text)
    ]


@cache
def focus_matcher() -> CueMatcher:
    return CueMatcher({key: focus.cues for key, focus in focuses().items()})


def family(modality: str) -> str:
    return modalities()[modality].family


def label(modality: str, *, made: bool = False) -> str:
    """What a thing is called; `made`: as something a model made (`made_label`)."""
    info = modalities()[modality]
    return (info.made_label or info.label) if made else info.label


# --- texts of each task and their vectors -----------------------------------------------------


@dataclass(frozen=True)
class TextIndex:
    """Texts per task that a meaning is compared with, and where their vectors are stored.

    Two are kept: the example requests users write (what a question is compared with) and
    phrases in the style of paper titles and abstracts (what an unknown source's title and
    summary are compared with: a title reads like neither a request nor a user).
    """

    name: str
    data_files: tuple[str, ...]  # in this package: one table per task id, texts in file order
    key: str  # the list in each table
    vectors_file: str


# The example requests are those written for the purpose (examples.toml) and the questions of
# the evaluation's development halves with their labelled tasks (dev_requests.toml, made by
# scripts/collect_dev_requests.py): questions written blind by people who never saw the code,
# in their own words, which the hand-written examples alone did not cover.
REQUESTS = TextIndex(
    "requests", ("examples.toml", "dev_requests.toml"), "examples", "task_vectors.npz"
)
PAPERS = TextIndex("papers", ("paper_phrases.toml",), "phrases", "paper_vectors.npz")
INDEXES = (REQUESTS, PAPERS)
VECTORS_FILE = REQUESTS.vectors_file


@cache
def index_entries(index: TextIndex = REQUESTS) -> dict[str, tuple[str, ...]]:
    """The texts of `index` per task (examples.toml and dev_requests.toml,
    paper_phrases.toml), file by file."""
    known = tasks()
    entries: dict[str, tuple[str, ...]] = {}
    for data_file in index.data_files:
        try:
            data = _load(data_file)
        except FileNotFoundError:
            continue
        for key, value in data.items():
            if key not in known:
                raise ValueError(f"{data_file}: unknown task {key!r}")
            entries[key] = entries.get(key, ()) + tuple(value.get(index.key, ()))
    return entries


def examples() -> dict[str, tuple[str, ...]]:
    """Example requests per task (examples.toml): what a question's meaning is compared with."""
    return index_entries(REQUESTS)


def index_texts(index: TextIndex = REQUESTS) -> list[tuple[str, str]]:
    """(task id, text) for every text embedded: each task's name and description, then the
    texts of `index`."""
    texts: list[tuple[str, str]] = []
    entries = index_entries(index)
    for task in tasks().values():
        texts.append((task.id, f"{task.name}: {task.description}"))
        texts.extend((task.id, text) for text in entries.get(task.id, ()))
    return texts


def example_texts() -> list[tuple[str, str]]:
    return index_texts(REQUESTS)


def index_hash(index: TextIndex = REQUESTS) -> str:
    import hashlib

    from scholarflow.embeddings import MODEL_ID

    digest = hashlib.sha256(MODEL_ID.encode())
    for task_id, text in index_texts(index):
        digest.update(f"{task_id}\t{text}\n".encode())
    return digest.hexdigest()


def examples_hash() -> str:
    return index_hash(REQUESTS)


_vector_cache: dict[str, Any] = {}


def stored_vectors_current(index: TextIndex) -> bool:
    """Whether the stored vectors of `index` were made from its texts as they are now."""
    import numpy as np

    try:
        with resources.files(__package__).joinpath(index.vectors_file).open("rb") as handle:
            return str(np.load(handle)["hash"]) == index_hash(index)
    except (FileNotFoundError, KeyError, ValueError, OSError):
        return False


def index_vectors(embedder: Any, index: TextIndex = REQUESTS) -> tuple[list[str], Any] | None:
    """(task id per row, unit vectors as rows) of `index_texts(index)`.

    Read from the index's .npz, which scripts/embed_taxonomy.py writes; when the texts changed
    since (its hash differs), they are embedded here once per process instead, and a test
    (tests/test_taxonomy_vectors.py) says the file must be regenerated.
    """
    import numpy as np

    digest = index_hash(index)
    if index is REQUESTS and _left_out:
        return _without_left_out(embedder, digest)
    if digest in _vector_cache:
        return _vector_cache[digest]
    texts = index_texts(index)
    labels = [task_id for task_id, _ in texts]
    matrix = None
    try:
        with resources.files(__package__).joinpath(index.vectors_file).open("rb") as handle:
            stored = np.load(handle)
            if str(stored["hash"]) == digest:
                matrix = stored["vectors"].astype(np.float32)
    except (FileNotFoundError, KeyError, ValueError, OSError):
        matrix = None
    if matrix is None:
        if embedder is None:
            return None
        matrix = embedder.embed([text for _, text in texts])
    _vector_cache[digest] = (labels, matrix)
    return labels, matrix


# Example requests left out of the request index for now (`leaving_out`): an evaluation
# leaves out the questions of the cases it runs, which dev_requests.toml may hold.
_left_out: frozenset[str] = frozenset()
_left_out_vectors: tuple[tuple[str, frozenset[str]], tuple[list[str], Any]] | None = None


def _without_left_out(embedder: Any, digest: str) -> tuple[list[str], Any] | None:
    """The request index's rows but those of the texts left out (one such index is kept)."""
    global _left_out_vectors
    key = (digest, _left_out)
    if _left_out_vectors is None or _left_out_vectors[0] != key:
        left_out = _left_out
        with leaving_out(()):
            full = index_vectors(embedder, REQUESTS)
        if full is None:
            return None
        labels, matrix = full
        keep = [row for row, (_, text) in enumerate(index_texts(REQUESTS)) if text not in left_out]
        _left_out_vectors = (key, ([labels[row] for row in keep], matrix[keep]))
    return _left_out_vectors[1]


@contextmanager
def leaving_out(texts: Iterable[str]) -> Iterator[None]:
    """The request index without `texts` while the block runs (`scholarflow eval` leaves out
    the questions of the cases it runs: a case whose own question is among the examples
    would measure the examples, not the reading)."""
    global _left_out
    kept, _left_out = _left_out, frozenset(texts)
    try:
        yield
    finally:
        _left_out = kept


def example_vectors(embedder: Any) -> tuple[list[str], Any] | None:
    return index_vectors(embedder, REQUESTS)
