"""Planning: a typed workflow DAG from what the user has to what they want.

The planner searches backwards from the wanted modalities (goal regression, cheapest first,
A*). Each step is a provided source (by one of its signatures) or a generic operation
(taxonomy/operations.toml). Steps have typed ports that carry roles as well as modalities
(taxonomy/roles.toml): a composite takes its *subject* from the user's clip and its
*background* from a generator, so a step is wired the way an engineer would wire it. Every
input of every node is fed from exactly one place; an optional input (a prompt the user typed)
is fed when something fits it and left out otherwise.

The recommended models are chained first: when several are recommended, the planner looks
for one main path that holds them all, then for the largest group that fits, before judging
any of them a misfit. Whether the recommended models *fit* is judged separately and strictly:
with only format and compose steps around them, can they take the user's input to the user's
goal, and is their job of the same family as the user's task? If not, the plan carries a
`model_task_mismatch` warning that says what is missing and which provided source covers it.

A related source joins the graph only as a branch with a purpose a user would act on (another
way to do the central step, or a refinement of its result), at most two, fed directly by what
the user has or what the main path made (never through format adapters on the finished output),
and never where a provided summary says its method fails on what the user has. Every other
source stays a reference, described as background.

Work is bounded whatever the request holds: related sources are narrowed to a few per kind of
step before the search, and only the first few recommended models are tried together.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from scholarflow import taxonomy
from scholarflow.i18n import Messages, messages_for
from scholarflow.models import (
    Edge,
    Node,
    Plan,
    Port,
    Signature,
    Source,
    Step,
    Task,
    Understanding,
    Warning,
    Workflow,
)
from scholarflow.scope import Scope, outside_kinds, outside_scope
from scholarflow.signatures import NO_MEDIA_JOB, reads_as_generalist, source_signatures

MAX_STEPS = 8
MAX_EXPANSIONS = 2000  # a search that has found nothing after this many states gives up
MAX_BRANCHES = 2
EYE_FILL_PREFERENCE = 0.01  # how much cheaper a clip's gap filler is on each eye's view
MAX_CHAINED = 4  # recommended models tried together; the rest are judged one by one
MAX_RELATED_PER_KIND = 2  # related sources kept per distinct signature
MAX_RELATED = 16
RECOMMENDED_COST = 0.5
RELATED_COST = 2.0
VARIANT_EXTRA = 0.5  # a source's secondary signature costs a little more than its main one
PER_FRAME_EXTRA = 0.5
# A related source known only by its title does what its title suggests, a guess: a step
# from one whose own words (a summary, a catalog entry) say what it does is preferred, even
# with a generic step more around it.
TITLE_ONLY_EXTRA = 1.5
CONTRADICTED_EXTRA = 10.0
_FIT_KINDS = frozenset({"format", "compose"})
OUT = "out"
HAVE = "have:"
SUPPLIED = "supplied:"


@dataclass(frozen=True)
class Action:
    """One possible step: a provided source by one signature, or a generic operation."""

    key: str
    inputs: tuple[Port, ...]
    outputs: tuple[Port, ...]
    cost: float
    source_id: str | None = None
    operation: str | None = None
    kind: str = "model"  # "model" for sources; the operation kind otherwise
    note: str = ""
    from_user: bool = False
    to_output: bool = False
    per_item: bool = False  # a source's step run on each picture of a set, one at a time

    @property
    def used_key(self) -> str:
        return self.source_id or self.key


@dataclass(frozen=True)
class _Need:
    port: Port
    consumer: str  # an action key, or OUT
    index: int
    user_only: bool = False  # the consumer takes only what the user brought


@dataclass(frozen=True)
class Feed:
    """Where one input of a step comes from."""

    producer: str  # an action key, "have:<modality>" or "supplied:<modality>"
    modality: str
    role: str  # the consuming port's role


@dataclass
class Placed:
    """An action in a found plan, with where each of its inputs comes from."""

    action: Action
    feeds: dict[int, Feed] = field(default_factory=dict)  # input index -> its one producer


# --- actions ---------------------------------------------------------------------------------


def source_actions(sources: Sequence[Source], recommended_ids: set[str]) -> list[Action]:
    actions = []
    for source in sources:
        base = RECOMMENDED_COST if source.id in recommended_ids else RELATED_COST
        if source.id not in recommended_ids and not (source.summary or source.catalog_summary):
            base += TITLE_ONLY_EXTRA
        for index, signature in enumerate(source.signatures):
            cost = base + (VARIANT_EXTRA if index else 0.0)
            ins, outs = signature.ports_in(), signature.ports_out()
            actions.append(
                Action(f"{source.id}#{index}", ins, outs, cost, source.id, note=signature.note)
            )
            if _per_frame(ins, outs):
                # a set of pictures out is a clip's frames, taken apart and put back; anything
                # else made for each picture (a depth map) goes with a set of photos
                per = "per_frame" if outs[0].modality == "image" else "per_picture"
                actions.append(
                    Action(
                        f"{source.id}#{index}f",
                        tuple(_as_frames(p) for p in ins),
                        tuple(_as_frames(p) for p in outs),
                        cost + PER_FRAME_EXTRA,
                        source.id,
                        note=messages_for("en")(per),
                        per_item=True,
                    )
                )
            if _per_view(ins, outs) and _fills_gaps(ins):
                # a step filling a clip's gaps can fill those of each eye's view of a stereo
                # clip, one after the other (the holes a view shifted by depth left)
                actions.append(
                    Action(
                        f"{source.id}#{index}e",
                        tuple(_as_eyes(p) for p in ins),
                        tuple(_as_eyes(p) for p in outs),
                        # (a shade cheaper than on the flat clip, where both can be placed: run
                        # before the shift, its work would leave the holes the shift makes)
                        cost - EYE_FILL_PREFERENCE,
                        source.id,
                        note=messages_for("en")("per_eye"),
                        per_item=True,
                    )
                )
            if _per_view(ins, outs):
                # a step on one clip that gives a clip back (more frames, sharper frames) can
                # be run on each camera of a rig, the cameras kept apart
                actions.append(
                    Action(
                        f"{source.id}#{index}v",
                        tuple(_as_views(p) for p in ins),
                        tuple(_as_views(p) for p in outs),
                        # (no more than the step on one clip: each camera's clip keeps its own
                        # time, where a picture model run frame by frame loses it; between
                        # plans of one cost, the models run in the order they were given)
                        cost,
                        source.id,
                        note=messages_for("en")("per_view"),
                        per_item=True,
                    )
                )
    return actions


def _per_view(ins: tuple[Port, ...], outs: tuple[Port, ...]) -> bool:
    """A step taking one clip alone and giving one clip back, which a camera rig's footage
    can go through one camera at a time."""
    required = [p for p in ins if not p.optional]
    return (
        len(outs) == 1
        and outs[0].modality == "video"
        and len(required) == 1
        and required[0].modality == "video"
    )


def _fills_gaps(ins: tuple[Port, ...]) -> bool:
    """Whether a step on one clip takes a mask of where to work (an inpainter's): what it
    does to each eye of a stereo clip is filling what is missing there, not changing the two
    views apart, which would break the depth they make together."""
    return any(p.optional and p.role == "matte" for p in ins)


def _as_eyes(port: Port) -> Port:
    """A gap filler's clip port as the stereo clip of a drawing with holes: it fills those,
    not a stereo clip a model made whole (which it would only change one eye at a time)."""
    if port.modality != "video" or port.optional:
        return port
    role = "holed" if port.role == "subject" else port.role
    return port.model_copy(update={"modality": "stereo_video", "role": role, "alternatives": ()})


def _as_views(port: Port) -> Port:
    if port.modality != "video" or port.optional:
        return port
    return port.model_copy(update={"modality": "multi_view_video", "alternatives": ()})


def _per_frame(ins: tuple[Port, ...], outs: tuple[Port, ...]) -> bool:
    """A step on one picture can be run on every picture of a set, one at a time: an
    image-to-image step makes a set of pictures; a step making something else (a depth map)
    makes one for each picture, which a step taking the set with them reads as such. Not a
    step making something that moves: an orbit video per photo is no one thing."""
    required = [p for p in ins if not p.optional]
    return (
        len(outs) == 1
        and not taxonomy.modalities()[outs[0].modality].moves
        and bool(required)
        and all(p.modality == "image" for p in required)
    )


def _as_frames(port: Port) -> Port:
    if port.modality != "image" or port.optional:
        return port
    return port.model_copy(update={"modality": "image_set", "alternatives": ()})


def operation_actions(
    kinds: Iterable[str] | None = None,
    *,
    for_task: Task | None = None,
    frames_beside_footage: bool = False,
) -> list[Action]:
    """The generic operations as steps. Given the user's task, a compose step takes a new
    background only when the task lists it as doing its job (background replacement): a new
    background changes what the picture shows, which no other task asked for, so it is never
    a way to fit an unrelated model in (an upscale wired through a composite with a generated
    picture). Cutting the subject out onto a plain ground, to prepare it for a model that
    wants one, stays open to every task."""
    actions = _operation_actions(set(kinds) if kinds is not None else None)
    if for_task is None:
        return actions
    # A format step that loses what the task is about is no way to do it: a still handed to
    # a footage model as a one-frame clip has no motion to give a talking head, and one frame
    # taken from the user's footage no motion to carry into a moving scene.
    lost = {"image_as_clip"} if for_task.animates else set()
    if _keeps_time(for_task) and not frames_beside_footage:
        # (`frames_beside_footage`: for a chain whose later model takes the footage too, one
        # frame edited first guides it; `_footage_kept` checks the path does that)
        lost.add("extract_frame")
    actions = [action for action in actions if action.operation not in lost]
    return [
        action
        if action.kind != "compose" or action.operation in for_task.done_by
        else replace(action, inputs=tuple(p for p in action.inputs if p.role != "background"))
        for action in actions
    ]


def _operation_actions(allowed: set[str] | None) -> list[Action]:
    return [
        Action(
            key=f"op:{op.id}",
            inputs=op.ports_in,
            outputs=op.ports_out,
            cost=op.cost,
            operation=op.id,
            kind=op.kind,
            from_user=op.from_user,
            to_output=op.to_output,
        )
        for op in taxonomy.operations().values()
        if allowed is None or op.kind in allowed
    ]


def _families(source: Source) -> set[str]:
    known = taxonomy.tasks()
    return {known[t].family for t in source.tasks if t in known}


# --- the search ------------------------------------------------------------------------------


def search(
    have: Sequence[str],
    want: Sequence[str],
    actions: Sequence[Action],
    *,
    required: frozenset[str] = frozenset(),
    doing: Task | None = None,
    sources: Sequence[Source] = (),
    max_steps: int = MAX_STEPS,
    must_take: frozenset[str] = frozenset(),
    together: bool = False,
) -> list[Placed] | None:
    """The cheapest plan, in forward order (the last item feeds the outputs), or None.

    Goal regression: start from what is wanted; a step is added for an open input it can
    feed; its own inputs become open, unless the user has them (or can supply them: a prompt,
    a camera path, a background picture where a background goes). Each source and operation
    is used at most once. A plan must hold every `required` source, take something the user
    has, and, given `doing` (the user's task), have some step that does the task's job: a
    source of the task's family, or a generic operation the task lists as doing it (a
    composite replaces a background; nothing generic removes an object from a video).
    A plan must also feed each thing in `must_take` from what the user brought: a model with
    a way of its own to be told a camera path is planned that way when the path is what the
    task is about, not by its plainer way that leaves the path out.
    With `together`, the `required` sources do the job between them, whatever their family
    (a picture drawn from a prompt, then filmed all the way round, is a clip from a prompt):
    any of their steps counts as doing it.
    """
    families = {s.id: _families(s) for s in sources}
    # (a source doing a job outside the taxonomy makes its own kind of thing, whatever its
    # modality: it is not the user's exact job)
    other_jobs = {s.id for s in sources if s.other_job}
    have_set = set(have)
    have_roles = user_roles(doing, have)
    supplied = taxonomy.supplied()
    producers: dict[str, list[Action]] = {}
    for action in actions:
        for port in action.outputs:
            for modality in port.modalities:
                producers.setdefault(modality, []).append(action)
    cheapest = {m: min(a.cost for a in found) for m, found in producers.items()}
    own_cost = {a.used_key: a.cost for a in reversed(actions)}

    exact = _exact_job(have, want)
    # the steps of a model of the user's own kind of job (a lip sync, for a talking head);
    # `together`, each recommended model's step is one (a clip drawn from a prompt, then
    # relit: the clip the first made is the only one there is for the second to change)
    doing_keys = frozenset(
        a.key
        for a in actions
        if a.source_id
        and doing is not None
        and (
            doing.family in families.get(a.source_id, ()) or (together and a.source_id in required)
        )
    )

    def does_job(action: Action) -> bool:
        if doing is None:
            return True
        if action.source_id:
            if together and action.source_id in required:
                return True
            return doing.family in families.get(action.source_id, set()) or (
                action.source_id not in other_jobs and exact(action)
            )
        return action.operation in doing.done_by

    def bound(needs: tuple[_Need, ...], used: frozenset[str] = frozenset()) -> float:
        # Every open, required input needs some producer, and every required source not yet
        # placed will be paid for: the larger of the dearest input and the sum of those sources
        # is a lower bound on what is left to pay (A*), which keeps searches that must hold a
        # given source from wandering through every cheaper plan first.
        costs = [
            0.0
            if any(m in have_set for m in n.port.modalities)
            else min((cheapest.get(m, 99.0) for m in n.port.modalities), default=99.0)
            for n in needs
            if not n.port.optional
        ]
        missing = sum(own_cost.get(key, 99.0) for key in required - used)
        return max(max(costs, default=0.0), missing)

    start = tuple(_Need(_wanted_port(m, doing), OUT, i) for i, m in enumerate(want))
    # Between plans of one cost, the one whose models run in the order they were given: a
    # platform lists the models of one workflow first to last (an edit, then an upscale).
    position = {s.id: i for i, s in enumerate(sources)}
    source_of = {a.key: a.source_id for a in actions if a.source_id}

    def inverted(step: Action | None, consumer: str, feeds: tuple) -> int:
        if step is None or step.source_id not in position:
            return 0
        # (through the generic steps between: a model feeding a frame split that feeds an
        # earlier-given model still runs before it)
        for _ in range(max_steps):
            if consumer in source_of or consumer == OUT:
                break
            consumer = next((c for (c, _), f in feeds if f.producer == consumer), OUT)
        if consumer not in source_of:
            return 0
        return int(position[step.source_id] > position.get(source_of[consumer], -1))

    counter = itertools.count()
    frontier: list[tuple] = [
        (
            bound(start, frozenset()),
            0,
            0.0,
            next(counter),
            start,
            (),
            (),
            frozenset(),
            (False, doing is None),
        )
    ]
    best: dict[tuple, tuple[float, int]] = {}
    expansions = 0
    while frontier:
        expansions += 1
        if expansions > MAX_EXPANSIONS:
            return None  # bounded work: a plan this hard to find is no plan to show
        _, inversions, cost, _, needs, path, feeds, used, flags = heapq.heappop(frontier)
        if not needs:
            if path and flags[0] and flags[1] and required <= used and _takes_all(feeds, must_take):
                return _forward(path, feeds)
            continue
        need, rest = _next_need(needs)
        for option_cost, new_needs, step, new_feeds, new_flags in _options(
            need, rest, have_roles, supplied, producers, used, path, does_job, flags, doing_keys
        ):
            steps = len(path) + (1 if step else 0)
            if steps > max_steps:
                continue
            new_used = used | {step.used_key} if step else used
            new_cost = cost + option_cost
            new_inversions = inversions + inverted(step, need.consumer, feeds)
            all_feeds = (*feeds, *new_feeds)
            # (two plans alike but for what they took from the user are not the same plan
            # when the user's things must be taken)
            taken = _taken_of(all_feeds, must_take)
            state = (frozenset(new_needs), new_used, new_flags, taken)
            if best.get(state, (float("inf"), 0)) <= (new_cost, new_inversions):
                continue
            best[state] = (new_cost, new_inversions)
            new_path = (*path, step) if step else path
            heapq.heappush(
                frontier,
                (
                    new_cost + bound(new_needs, new_used),
                    new_inversions,
                    new_cost,
                    next(counter),
                    new_needs,
                    new_path,
                    all_feeds,
                    new_used,
                    new_flags,
                ),
            )
    return None


def _exact_job(have: Sequence[str], want: Sequence[str]) -> Callable[[Action], bool]:
    """A test of whether a model's step turns what the user brought into the thing they
    want, where that thing is no picture or clip (which jobs of every kind make): such a
    step does the user's job whatever its reading's family (a visual SLAM system read as a
    reconstruction job gives the camera path of a clip, and that path is the job here)."""
    modalities = taxonomy.modalities()
    wanted = set(want)
    if not wanted or any(modalities[m].family == "rgb" for m in wanted):
        return lambda action: False
    brought = set(have)

    def exact(action: Action) -> bool:
        needed = [port for port in action.inputs if not port.optional]
        makes = {m for port in action.outputs for m in port.modalities}
        # (not a step run on each of the user's pictures in turn: what the job makes of
        # them together — depth maps that agree — is what that step leaves out)
        return (
            not action.per_item
            and bool(needed)
            and all(set(port.modalities) & brought for port in needed)
            # (a step making more besides, a body's motion with the camera's path, still
            # hands over just what is wanted)
            and wanted <= makes
        )

    return exact


def _wanted_port(modality: str, doing: Task | None) -> Port:
    """What the result must be: of its modality, and where the task keeps the user's own
    footage (a lip sync changes the mouth of the video it was given), that footage, never a
    generator's new clip made from one of its frames."""
    ports = doing.signature.output_ports if doing is not None and doing.signature else ()
    for port in ports:
        if modality in port.modalities and port.role in _KEPT_ROLES:
            return Port(modality=modality, role=port.role)
    return Port(modality=modality)


# Output roles that say the result is the user's own material, changed in place.
_KEPT_ROLES = frozenset({"subject"})


def user_roles(doing: Task | None, have: Sequence[str]) -> dict[str, str]:
    """The part each of the user's inputs plays, as their task's ports say: the clip in a
    background replacement is the subject, so it never stands in for the new background."""
    ports = doing.signature.input_ports if doing is not None and doing.signature else ()
    roles: dict[str, str] = {}
    for modality in have:
        roles[modality] = next((p.role for p in ports if modality in p.modalities), "")
    return roles


def _next_need(needs: tuple[_Need, ...]) -> tuple[_Need, tuple[_Need, ...]]:
    """The first required open input, else the first optional one."""
    for index, need in enumerate(needs):
        if not need.port.optional:
            return need, needs[:index] + needs[index + 1 :]
    return needs[0], needs[1:]


def _options(
    need: _Need,
    rest: tuple[_Need, ...],
    have: dict[str, str],
    supplied: dict,
    producers: dict[str, list[Action]],
    used: frozenset[str],
    path: tuple[Action, ...],
    does_job: object,
    flags: tuple[bool, bool],
    doing_keys: frozenset[str] = frozenset(),
) -> Iterable[tuple[float, tuple[_Need, ...], Action | None, tuple, tuple[bool, bool]]]:
    """Every way to feed `need`: from the user, supplied by them, or by a new step."""
    port = need.port
    slot = (need.consumer, need.index)
    for modality in port.modalities:
        if modality in have and taxonomy.accepts(port.role, have[modality]):
            yield (
                0.0,
                rest,
                None,
                ((slot, Feed(HAVE + modality, modality, port.role)),),
                (
                    True,
                    flags[1],
                ),
            )
    if need.user_only:
        return
    for modality in port.modalities:
        offer = supplied.get(modality)
        if offer is None or modality in have:
            continue
        if offer.only_for and port.role not in offer.only_for:
            continue
        if not taxonomy.accepts(port.role, offer.role):
            continue
        feed = Feed(SUPPLIED + modality, modality, port.role)
        yield offer.cost, rest, None, ((slot, feed),), flags
    if port.optional:
        yield 0.0, rest, None, (), flags  # left out
    seen: set[str] = set()
    for modality in port.modalities:
        for action in producers.get(modality, ()):
            if action.key in seen or action.used_key in used:
                continue
            seen.add(action.key)
            made = next(
                (
                    out
                    for out in action.outputs
                    if modality in out.modalities
                    and (
                        taxonomy.accepts(port.role, out.role)
                        or (
                            need.consumer in doing_keys
                            and _only_made_subject(port, out, modality, have)
                        )
                    )
                ),
                None,
            )
            if made is None or (action.to_output and need.consumer != OUT):
                continue
            if _round_trip(action, need.consumer):
                continue
            fed = [(slot, Feed(action.key, modality, port.role))]
            remaining = []
            # A step with several outputs (a camera path and the body motion) may feed
            # several of the final outputs at once.
            for other in rest:
                shared = next(
                    (
                        m
                        for out in action.outputs
                        for m in out.modalities
                        if other.consumer == OUT
                        and m in other.port.modalities
                        and out is not made
                        and taxonomy.accepts(other.port.role, out.role)
                    ),
                    None,
                )
                if shared is not None:
                    fed.append(((other.consumer, other.index), Feed(action.key, shared, "")))
                else:
                    remaining.append(other)
            opened = tuple(
                _Need(p, action.key, i, user_only=action.from_user)
                for i, p in enumerate(action.inputs)
            )
            job = flags[1] or bool(does_job(action))  # type: ignore[operator]
            yield action.cost, (*remaining, *opened), action, tuple(fed), (flags[0], job)


def _only_made_subject(port: Port, out: Port, modality: str, have: dict[str, str]) -> bool:
    """Whether a generator's clip may be the footage a step changes in place: only when the
    user brought no footage of that kind (and, as the caller checks, the step does the user's
    own kind of job, or is one of the recommended models searched for as one chain: `search`
    with `together`). The subject role keeps a user's own clip from being swapped for a new
    one made from its frame; with no clip of theirs (a portrait and a voice note, animated,
    then its lips fitted to the voice; a clip drawn from a prompt, then relit), the clip a
    step made is the only one there is to change. (Outside such a chain, a photo's clip then
    patched by a model of another job is no such step.)"""
    return port.role in _KEPT_ROLES and out.role == "generated" and modality not in have


def _round_trip(action: Action, consumer: str) -> bool:
    """Frames split only to be encoded again (or the reverse) is no step at all."""
    if not action.operation or not consumer.startswith("op:"):
        return False
    undoes = taxonomy.operations()[action.operation].undoes
    return bool(undoes) and consumer == f"op:{undoes}"


def _taken_of(feeds: tuple, must_take: frozenset[str]) -> frozenset[str]:
    """Which of `must_take` the feeds take from the user."""
    if not must_take:
        return frozenset()
    return must_take & {feed.modality for _, feed in feeds if feed.producer.startswith(HAVE)}


def _takes_all(feeds: tuple, must_take: frozenset[str]) -> bool:
    """Whether the feeds of a finished plan take each of `must_take` from the user."""
    return _taken_of(feeds, must_take) == must_take


def _forward(path: tuple[Action, ...], feeds: tuple) -> list[Placed]:
    """The regression path in forward order, each step with its one feed per input."""
    placed = {action.key: Placed(action) for action in path}
    final = Placed(Action(OUT, (), (), 0.0))
    for (consumer, index), feed in feeds:
        target = final if consumer == OUT else placed[consumer]
        target.feeds.setdefault(index, feed)
    return [placed[action.key] for action in reversed(path)] + [final]


# --- judging fit -----------------------------------------------------------------------------


def _drawings_with_holes(task: Task) -> list[Action]:
    """The drawings doing the task that leave holes (`Operation.leaves_holes`), with the
    geometry steps that give them what they draw: the steps a chain may hold only where a
    model of the chain fills the holes (`_holes_filled`)."""
    operations = taxonomy.operations()
    if not any(operations[op].leaves_holes for op in task.done_by if op in operations):
        return []
    return [
        action
        for action in _operation_actions({"render", "geometry"})
        if action.kind == "geometry"
        or (action.operation in task.done_by and operations[action.operation].leaves_holes)
    ]


def _holes_filled(path: Sequence[Placed]) -> bool:
    """Whether each drawing in the path that leaves holes hands what it drew to a model,
    which fills them, rather than to the result: a drawing with holes is no result."""
    operations = taxonomy.operations()
    with_holes = {
        placed.action.key
        for placed in path
        if placed.action.operation and operations[placed.action.operation].leaves_holes
    }
    filled = {
        feed.producer
        for placed in path
        if placed.action.source_id
        for feed in placed.feeds.values()
    }
    return bool(with_holes) and with_holes <= filled


def _chain_candidates(recommended: Sequence[Source]) -> list[Source]:
    """Recommended models worth chaining: the first few, one per task (two models of the
    same task are alternatives, not steps of one another)."""
    chosen: list[Source] = []
    tasks: set[str] = set()
    for source in recommended[:MAX_CHAINED]:
        first = source.tasks[0] if source.tasks else f"?{source.id}"
        if first in tasks:
            continue
        tasks.add(first)
        chosen.append(source)
    return chosen


def _preferred(paths: Sequence[list[Placed]]) -> list[Placed]:
    """The plain chain, unless it gets there only through a stand-in step and a chain guided
    by one frame of the footage does not: a picture model run on every frame, the frames
    put back together, keeps nothing from one frame to the next, where one edited frame
    guiding a later model of the whole clip does."""

    def stands_in(path: Sequence[Placed]) -> bool:
        # (the one frame taken beside the footage guides; it stands in for nothing:
        # `_footage_kept` held every path here to that)
        return any(_stands_in(placed) not in {"", "footage"} for placed in path)

    plain = paths[0]
    if stands_in(plain):
        return next((path for path in paths[1:] if not stands_in(path)), plain)
    return plain


def _frame_steps(task: Task) -> list[Action]:
    """The steps taking one frame of the user's footage, where the task keeps time (they
    are left out of its actions): usable by a chain that still hands the footage on."""
    if not _keeps_time(task):
        return []
    return [
        a
        for a in operation_actions(for_task=task, frames_beside_footage=True)
        if a.operation == "extract_frame"
    ]


def _footage_kept(path: Sequence[Placed], understanding: Understanding) -> bool:
    """Whether a path taking one frame of the user's footage also hands the footage itself
    to a model: the frame (edited first, say) guides that model, it does not stand in for
    the clip."""
    framed = [placed for placed in path if placed.action.operation == "extract_frame"]
    if not framed:
        return True
    if not all(
        feed.producer.startswith(HAVE) for placed in framed for feed in placed.feeds.values()
    ):
        return False  # a frame of what a model made guides nothing of the user's
    moving = {key for key, info in taxonomy.modalities().items() if info.moves}
    return any(
        placed.action.source_id is not None
        and any(
            feed.producer.startswith(HAVE) and feed.modality in moving
            for feed in placed.feeds.values()
        )
        for placed in path
    )


def _keeps_time(task: Task) -> bool:
    """Whether a task turns something that unfolds over time into something that does
    (footage into a moving scene, a clip into its depth video): done on one frame of it,
    the motion the user asked about is lost."""
    moving = {key for key, info in taxonomy.modalities().items() if info.moves}
    return bool(set(task.inputs) & moving) and bool(set(task.outputs) & moving)


def judge_fit(
    understanding: Understanding,
    recommended: Sequence[Source],
    related: Sequence[Source] = (),
    question: str = "",
) -> dict[str, bool]:
    """Whether each recommended model fits the user's task: together with the others (one
    main path through all of them with only format and compose steps around), else alone.

    A model reached only through a step that stands in for what it is made for fits only
    when nothing better was provided, where the stand-in loses the kind of result asked for
    (`Operation.stands_in`): one photo as a clip of one frame, for a model of footage, when
    the result does not move (the depth map of that photo): what it does across frames has
    nothing to work on; a clip split into frames, for a model of one picture, when the result
    moves (a relit clip): what it makes of each frame keeps nothing from the next. A related
    source doing the job on what the user brought, without such a step, then makes it the
    wrong model for this request. (A picture model on each frame that another recommended
    model made refines that model's work: it is not held to this.)
    """
    family = understanding.task.family
    task = understanding.task
    # A model whose title limits it to faces or people, asked about a horse, fits nothing here
    # whatever its ports say (scope.py).
    in_scope = [
        s
        for s in recommended
        if not _outside_scope(s, understanding) and not states_otherwise(s, question)
    ]
    chain = [s for s in _chain_candidates(in_scope) if s.signatures]
    fits: dict[str, bool] = {s.id: False for s in recommended}
    # A task done by drawing what a model made (a view synthesis by rendering the scene
    # reconstructed from the photos) is done by that model with the drawing after it. Not
    # when the drawing needs the user's own footage as well (a stereo pair shifted from the
    # frames by their depth): then the model made only a help towards it.
    renders = [
        a
        for a in _operation_actions({"render"})
        if a.operation in task.done_by and len(a.inputs) == 1
    ]
    fit_ops = operation_actions(_FIT_KINDS, for_task=understanding.task) + renders
    drawn = {m for action in renders for port in action.inputs for m in port.modalities}
    ids = {s.id for s in recommended}

    def path_with(group: Sequence[Source]) -> list[Placed] | None:
        # (fit_ops hold no format step that loses what the task is about: operation_actions)
        found = search(
            understanding.have,
            understanding.want,
            source_actions(group, ids) + fit_ops,
            required=frozenset(s.id for s in group),
            doing=task,
            sources=group,
            must_take=_needed_from_user(understanding),
        )
        return found if found is not None and _uses_what_it_needs(found, understanding) else None

    # fitting only through a stand-in step that loses this kind of result (a still one, a
    # moving one)
    stood_in: set[str] = set()
    moving = {key for key, info in taxonomy.modalities().items() if info.moves}
    result = "moving" if set(task.outputs) & moving else "still"
    lost = {result} | ({"footage"} if set(task.inputs) & moving else set())
    # (one camera picked from a rig, for a job made of all the cameras together)
    lost |= {
        op.stands_in
        for op in taxonomy.operations().values()
        if op.stands_in == "views" and set(op.inputs) & set(task.inputs)
    }

    def note_stand_ins(path: Sequence[Placed], group: Sequence[Source]) -> None:
        if len(group) > 1 and result == "moving":
            return  # a picture model on each frame another model made refines that one's work
        if any(_stands_in(placed) in lost for placed in path):
            stood_in.update(s.id for s in group)

    def chained_path() -> list[Placed] | None:
        steps_told = _tells_steps(question)
        frames = _frame_steps(task)
        chains = []
        # (all the recommended models, one after another, from what the user brought to what
        # they got, do the job together even where none of them alone is of its kind: a
        # picture drawn from the prompt, then filmed all the way round, is a clip from a prompt)
        ways: list[tuple[list[Action], bool]] = [
            (extra, False) for extra in (([], frames) if frames else ([],))
        ]
        # (a view drawn with holes where surfaces were hidden, a shifted eye, points seen
        # from elsewhere, the task's own drawing, is a result once a recommended model fills
        # them: a depth model, then the drawing, then an inpainter make it together)
        holes = _drawings_with_holes(task)
        if holes:
            ways.append((holes, False))
        if {s.id for s in chain} == ids:
            ways.append(([], True))
        for extra, together in ways:
            if together and chains:
                break
            found = search(
                understanding.have,
                understanding.want,
                source_actions(chain, ids) + fit_ops + extra,
                required=frozenset(s.id for s in chain),
                doing=task,
                sources=chain,
                must_take=_needed_from_user(understanding),
                together=together,
            )
            if found is not None and together and not _passed_along(found, chain):
                continue
            if found is not None and extra is holes and not _holes_filled(found):
                continue
            # The same test the main path is held to: a chain that does the job on something
            # other than what the user brought (a generated clip edited in place of theirs)
            # is no chain. (Failing a plain chain, one frame of the footage may be edited
            # first to guide a later model that takes the footage too.)
            if (
                found is not None
                and _uses_what_it_needs(found, understanding)
                and _footage_kept(found, understanding)
                and _job_works_on_users_input(found, understanding, chain, steps_told=steps_told)
            ):
                chains.append(found)
        return _preferred(chains) if chains else None

    together = chained_path() if len(chain) > 1 else None
    if together is not None:
        for source in chain:
            fits[source.id] = True
        note_stand_ins(together, chain)
    searched = {s.id for s in recommended[:MAX_CHAINED]}
    for source in in_scope:
        if fits[source.id] or not source.signatures:
            continue
        makes = {m for sig in source.signatures for m in sig.outputs}
        if (
            family not in _families(source)
            and _families(source)
            and not makes & drawn
            and not _makes_exactly(source, understanding)
        ):
            continue
        if source.id in searched:
            alone = path_with([source])
            fits[source.id] = alone is not None
            if alone is not None:
                note_stand_ins(alone, [source])
        else:
            # Past the first few, a cheap test stands in for a search: bounded work.
            own = source_actions([source], ids) + fit_ops
            # (a job outside the taxonomy does none of the tasks, alone: as in `search`)
            fits[source.id] = not source.other_job and _connectable(source, understanding, own)
    stood_in &= {source_id for source_id, fit in fits.items() if fit}
    if stood_in and _done_directly(understanding, related, fit_ops):
        for source_id in stood_in:
            fits[source_id] = False
    return fits


def compose_recommended(
    understanding: Understanding, sources: Sequence[Source], question: str = ""
) -> tuple[Source, ...]:
    """The sources, each recommended model known only by its title that fits neither alone
    nor in a chain with the others read as one more way of doing the user's task, where
    another recommended model does it. Models recommended together for one request are
    meant as one workflow: they are composed first, and a title alone ("K-Planes: Explicit
    Radiance Fields in Space, Time, and Appearance" read as a static scene) is too little to
    overrule the platform that recommended it beside a model that does the job. A model whose
    own words (a summary, a catalog entry) say what it does is judged by them, and one the
    question or a provided summary says fails, or one made for another subject, still does
    not fit. The answer says where such a reading came from (`Source.read_from_request`)."""
    recommended = [s for s in sources if s.role == "recommended"]
    task = understanding.task
    if len(recommended) < 2 or task.id not in taxonomy.tasks():
        return tuple(sources)
    related = [s for s in sources if s.role != "recommended"]
    fits = judge_fit(understanding, recommended, related, question)
    # (where one of them fits already, the others are read as more ways of doing the job,
    # below, unless the user tells of steps one after another)
    if not any(fits.values()) or (not all(fits.values()) and _tells_steps(question)):
        together = _read_together(understanding, recommended, related, question, fits)
        if together is not None:
            return tuple(together.get(s.id, s) for s in sources)
    if not any(fits.values()):
        return tuple(sources)
    statements = failure_statements(sources, question)
    composed: list[Source] = []
    for source in sources:
        if (
            source.role == "recommended"
            and not fits[source.id]
            and source.tasks
            and not source.summary
            and not source.catalog_summary
            and not states_otherwise(source, question)
            and not (statements and contradicted(source, statements, question))
            and _outside_scope(source, understanding) is None
        ):
            tasks = (task.id, *(t for t in source.tasks if t != task.id))
            source = source.model_copy(
                update={
                    "tasks": tasks,
                    "signatures": source_signatures(source, tasks),
                    "read_from_request": True,
                }
            )
        composed.append(source)
    return tuple(composed)


# The readings of each bare title tried when the recommended models are read together, its
# nearest first: a bounded number of joint readings, each one search.
_JOINT_READINGS = 8
_JOINT_TRIALS = 64


def _read_together(
    understanding: Understanding,
    recommended: Sequence[Source],
    related: Sequence[Source],
    question: str,
    fits: dict[str, bool],
) -> dict[str, Source] | None:
    """The recommended models that do not fit, each known only by a title whose reading was
    guessed from its meaning (`Source.near`), read instead as the tasks near that meaning with
    which all the recommended models, one after another, do the user's job: the readings
    nearest the titles' meaning first, or None where no such reading does it. A platform's
    picks for one request are meant as one workflow, and a bare title leaves open which of the
    jobs near it the work does ("Real3D: Scaling Up Large Reconstruction Models …" a depth
    step or a 3D model maker): the workflow they make together is what settles it, as the
    request settles it for one model alone (`signatures.adopt_task`). A model whose own words
    say what it does keeps its reading, and so does one the question says failed."""
    open_to = [
        s
        for s in recommended
        if not fits[s.id]
        and s.guessed
        and s.near
        and not s.summary
        and not s.catalog_summary
        and not states_otherwise(s, question)
    ]
    if not open_to or len(recommended) > MAX_CHAINED:
        return None
    choices = [s.near[:_JOINT_READINGS] for s in open_to]
    # (the joint readings by how far they are from the titles' own: the sum of their ranks)
    joint = sorted(
        itertools.product(*(range(len(c)) for c in choices)), key=lambda ranks: (sum(ranks), ranks)
    )
    for ranks in joint[:_JOINT_TRIALS]:
        readings = [choice[rank] for choice, rank in zip(choices, ranks, strict=True)]
        if all(s.tasks[:1] == (t,) for s, t in zip(open_to, readings, strict=True)):
            continue  # (their own readings, already judged)
        read = {}
        for source, task_id in zip(open_to, readings, strict=True):
            tasks = (task_id, *(t for t in source.tasks if t != task_id))
            # (the job is the workflow's, not the title's: the answer says so)
            read[source.id] = source.model_copy(
                update={
                    "tasks": tasks,
                    "signatures": source_signatures(source, tasks),
                    "read_from_request": True,
                }
            )
        trial = [read.get(s.id, s) for s in recommended]
        if _each_hands_on(trial, understanding) and all(
            judge_fit(understanding, trial, related, question).values()
        ):
            return read
    return None


def _each_hands_on(recommended: Sequence[Source], understanding: Understanding) -> bool:
    """Whether each recommended model, as read, makes what the user wants or what another of
    them takes: in one workflow of the platform's picks, no model's work is only cut into
    another's by a generic step (a mask made only to paste a picture over itself)."""
    known = taxonomy.modalities()

    def kinds(things: Iterable[str]) -> set[str]:
        return {m for thing in things for m in (thing, *known[thing].includes)}

    wanted = kinds(understanding.want)
    for source in recommended:
        makes = kinds(m for sig in source.signatures for m in sig.outputs)
        taken = {
            m
            for other in recommended
            if other.id != source.id
            for sig in other.signatures
            for m in sig.inputs
        }
        if not makes & (wanted | taken):
            return False
    return True


def _whole_result(
    understanding: Understanding,
    main: list[Placed] | None,
    recommended: Sequence[Source],
    candidates: Sequence[Source],
    actions: Sequence[Action],
    fitting: dict[str, bool],
    question: str,
) -> tuple[Understanding, list[Placed]] | None:
    """The understanding and main path widened to every thing the task's result is made of,
    where the model doing the job makes them all by its own words (a catalog entry, a
    summary): a transfer of a film shot gives the camera path and the actors' motion together,
    though the user named only the camera move. None when the path already gives all of it,
    or no model on it says it makes the rest (a title read as the task says nothing of
    what it leaves out)."""
    if main is None:
        return None
    # (one thing per output: a port that may be either of two things, a point cloud or the
    # scene it makes, is had when either is)
    task = understanding.task
    ports = task.signature.ports_out() if task.signature else ()
    missing = (
        [port.modality for port in ports if not set(port.modalities) & set(understanding.want)]
        if ports
        else [m for m in task.outputs if m not in understanding.want]
    )
    by_id = {s.id: s for s in candidates}
    told = {
        source_id for source_id, source in by_id.items() if source.summary or source.catalog_summary
    }
    made = {
        m
        for placed in main
        if placed.action.source_id in told
        for port in placed.action.outputs
        for m in port.modalities
    }
    if not missing or not set(missing) <= made:
        return None
    wider = understanding.model_copy(update={"want": (*understanding.want, *missing)})
    path = _main_path(
        wider, recommended, candidates, actions, fitting, steps_told=_tells_steps(question)
    )
    if path is None:
        return None
    return wider, path


@dataclass(frozen=True)
class _Way:
    """One way of searching for a chain of a group of recommended models."""

    understanding: Understanding
    candidates: Sequence[Source]
    required: frozenset[str]
    group: Sequence[Source]
    steps_told: bool
    together: bool

    def plan(self, actions: Sequence[Action]) -> list[Placed] | None:
        """The cheapest plan with every model of the group, doing the job on what the user
        brought; None when there is none."""
        found = search(
            self.understanding.have,
            self.understanding.want,
            actions,
            required=self.required,
            doing=self.understanding.task,
            sources=self.candidates,
            must_take=_needed_from_user(self.understanding),
            together=self.together,
        )
        if found is None or (self.together and not _passed_along(found, self.group)):
            return None
        if (
            _job_works_on_users_input(
                found, self.understanding, self.candidates, steps_told=self.steps_told
            )
            and _uses_what_it_needs(found, self.understanding)
            and _footage_kept(found, self.understanding)
        ):
            return found
        return None


def _passed_along(path: Sequence[Placed], group: Sequence[Source]) -> bool:
    """Whether a path the models of `group` make together hands each one's result to the
    next in the order they were given, with no step standing in for what one of them is
    made for (a picture passed on as a one-frame clip is no clip)."""
    if any(_stands_in(placed) for placed in path):
        return False
    order = [placed.action.source_id for placed in path if placed.action.source_id]
    given = [s.id for s in group]
    return order == given


def _makes_exactly(source: Source, understanding: Understanding) -> bool:
    """Whether one of the source's signatures turns what the user brought into what they
    want, perhaps with more besides (`_exact_job`)."""
    exact = _exact_job(understanding.have, understanding.want)
    return any(exact(action) for action in source_actions([source], {source.id}))


def _stands_in(placed: Placed) -> str:
    """The kind of result the step's stand-in loses ("still", "moving"), or ""."""
    operation = taxonomy.operations().get(placed.action.operation or "")
    return operation.stands_in if operation is not None else ""


def _done_directly(
    understanding: Understanding, related: Sequence[Source], fit_ops: Sequence[Action]
) -> bool:
    """Whether a related source of the task's family does the job on what the user brought
    with no stand-in step before it."""
    family = understanding.task.family
    sources = [
        s
        for s in _narrowed(related, family)
        if s.signatures and family in _families(s) and not _outside_scope(s, understanding)
    ]
    if not sources:
        return False
    steps = [
        a for a in fit_ops if not (a.operation and taxonomy.operations()[a.operation].stands_in)
    ]
    found = search(
        understanding.have,
        understanding.want,
        source_actions(sources, set()) + steps,
        doing=understanding.task,
        sources=sources,
    )
    return (
        found is not None
        and any(placed.action.source_id for placed in found)
        and _uses_what_it_needs(found, understanding)
        and _job_works_on_users_input(found, understanding, sources)
    )


# --- contradictions --------------------------------------------------------------------------

_FAILS = re.compile(
    r"(?i)\b(?:fails?|failing|struggles?|breaks? down|cannot (?:handle|cope)|does not work|"
    r"do not work|is unsuitable|are unsuitable|not suited|unreliable|falls? apart)\b"
)
_CONTENT = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_COMMON = frozenset(
    """that this with from into their these those have which when while where there about
    over under image images video videos model models method methods based using such more
    most other than them they then also only even each every very same scene scenes photo
    photos""".split()
)


def _stems(text: str) -> set[str]:
    words = {w.lower().strip("-") for w in _CONTENT.findall(text)}
    return {w[:-1] if w.endswith("s") else w for w in words if w not in _COMMON}


_MAX_FAILURE_SENTENCES = 32


def failure_statements(sources: Sequence[Source], question: str) -> list[set[str]]:
    """The words of each summary sentence that says a method fails and shares a word with the
    question ("structure-from-motion fails on cartoons", asked about cartoon screenshots).
    Found once per request, a bounded number, so checking every source stays linear."""
    from scholarflow.text import sentences

    asked = _stems(question)
    found: list[set[str]] = []
    for source in sources:
        text = source.summary or ""
        if not asked or not _FAILS.search(text):
            continue
        for start, end in sentences(text):
            sentence = text[start:end]
            if _FAILS.search(sentence):
                said = _stems(sentence.replace("-", " ")) | _stems(sentence)
                if asked & said:
                    found.append(said)
        if len(found) >= _MAX_FAILURE_SENTENCES:
            break
    return found


def states_otherwise(source: Source, question: str) -> bool:
    """Whether the source's own summary states the other side of a detail the question
    states (taxonomy/contrasts.toml): a summary saying its scene stays still, asked for water
    that keeps flowing. What a model does, in its own words, settles what its ports cannot."""
    return stated_otherwise(source, question) is not None


def stated_otherwise(source: Source, question: str) -> tuple[str, str] | None:
    """(the side its summary states, the side the question states) of the first detail they
    state otherwise (`states_otherwise`), or None."""
    from scholarflow.text import normalize
    from scholarflow.understanding import stated_sides

    if not source.summary or not question:
        return None
    asked = stated_sides(normalize(question))
    if not asked:
        return None
    # (a sentence setting the work against others says what they do: "unlike methods that
    # assume a static scene"; one offering a choice says what it can do, not all it does:
    # "move the camera through a still scene, animate the scene over time, or both")
    own = " ".join(
        sentence
        for sentence in _summary_sentences(source.summary)
        if not _SET_AGAINST.search(sentence) and not _OFFERS_A_CHOICE.search(sentence)
    )
    said = stated_sides(normalize(own), of_a_result=False)
    return next(
        (
            (side, asked[contrast])
            for contrast, side in said.items()
            if asked.get(contrast, side) != side
        ),
        None,
    )


_OFFERS_A_CHOICE = re.compile(r"(?i)\b(?:or both|either|o ambos|o ambas|ou les deux|oder beides)\b")
_SET_AGAINST = re.compile(
    r"(?i)\b(?:unlike|whereas|while|existing|previous|prior|earlier|conventional|traditional|"
    r"assum\w*|compared|in contrast|instead of|rather than|limited to|restricted to)\b"
)


def _summary_sentences(summary: str) -> list[str]:
    from scholarflow.text import sentences

    return [summary[start:end] for start, end in sentences(summary)]


def contradicted(source: Source, statements: Sequence[set[str]], question: str) -> bool:
    """Whether one of the failure statements names this source's method."""
    method = _stems(f"{source.name} {source.title}") - _stems(question)
    return bool(method) and any(len(method & said) >= min(2, len(method)) for said in statements)


# --- the plan --------------------------------------------------------------------------------


def _narrowed(related: Sequence[Source], family: str) -> list[Source]:
    """A bounded set of related sources for the search: those of the task's family first,
    at most a few per distinct signature (more of the same kind of step adds no plan)."""
    position = {source.id: index for index, source in enumerate(related)}
    ordered = sorted(related, key=lambda s: (family not in _families(s), position[s.id]))
    kept: list[Source] = []
    per_kind: dict[tuple, int] = {}
    for source in ordered:
        kind = tuple(sig.arrow() for sig in source.signatures)
        if per_kind.get(kind, 0) >= MAX_RELATED_PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        kept.append(source)
        if len(kept) >= MAX_RELATED:
            break
    return kept


def plan(understanding: Understanding, sources: Sequence[Source], question: str = "") -> Plan:
    """The workflow for the user's task, the recommended models chained on its main path."""
    recommended = [s for s in sources if s.role == "recommended"]
    related = [s for s in sources if s.role != "recommended"]
    by_id = {s.id: s for s in sources}
    family = understanding.task.family
    statements = failure_statements(sources, question)
    blocked = {s.id for s in sources if statements and contradicted(s, statements, question)}
    blocked |= {s.id for s in sources if states_otherwise(s, question)}
    # A model made for someone else (faces, people) does no step for this subject (a mare):
    # not even the one its ports would allow.
    outside = {s.id for s in sources if _outside_scope(s, understanding)}
    blocked |= outside
    candidates = [*recommended, *_narrowed(related, family)]
    recommended_ids = {s.id for s in recommended}
    actions = [
        a if a.source_id not in blocked else _dearer(a)
        for a in source_actions(candidates, recommended_ids)
        if a.source_id not in outside
    ] + operation_actions(for_task=understanding.task)

    fitting = judge_fit(understanding, recommended, related, question)
    main = _main_path(
        understanding,
        recommended,
        candidates,
        actions,
        fitting,
        steps_told=_tells_steps(question),
        alternatives_told=_tells_alternatives(question),
    )

    whole = _whole_result(understanding, main, recommended, candidates, actions, fitting, question)
    if whole is not None:
        understanding, main = whole

    builder = _GraphBuilder(understanding, by_id)
    if main is not None:
        builder.add_main(main)
    else:
        builder.add_inputs_only()
        for source in recommended:
            builder.add_what_it_does(source, source_actions([source], recommended_ids))

    warnings: list[Warning] = []
    for source in recommended:
        on_path = builder.has_source(source.id)
        if not fitting[source.id]:
            warnings.append(
                _mismatch_warning(understanding, source, builder, on_path, sources, question)
            )
        elif source.read_from_request:
            warnings.append(_read_from_request_warning(understanding, source, recommended))
        if fitting[source.id] and on_path:
            available = (
                set(understanding.have)
                | set(taxonomy.freely_supplied())
                | builder.made_before(source.id)
            )
            # Any of its signatures will do: a depth model for clips and pictures handed a
            # picture needs nothing before it; nor does a model for one picture run on each
            # of the user's photos in turn.
            placed = builder.inputs_of(source.id)
            if not (placed and placed <= available) and not any(
                set(sig.required_inputs) <= available for sig in source.signatures
            ):
                warnings.append(_preceding_step_warning(understanding, source, builder))

    branched = builder.add_branches(
        [s for s in [*recommended, *related] if s.id not in blocked],
        source_actions(sources, recommended_ids),
        fitting,
    )
    text = messages_for(understanding.language)
    for step in builder.uncovered_steps():
        op = taxonomy.operations()[step.operation or ""]
        warnings.append(
            Warning(
                code="step_not_covered",
                message=text(
                    "step_not_covered", label=text.t(op.label), description=text.t(op.description)
                ),
            )
        )
    background = tuple(s.id for s in related if not builder.has_source(s.id))
    return Plan(
        understanding=understanding,
        workflow=builder.workflow(),
        steps=builder.steps(),
        warnings=tuple(warnings),
        background=background,
        recommended_fits=bool(recommended) and all(fitting.values()),
        branched=tuple(branched),
    )


def _dearer(action: Action) -> Action:
    return Action(
        action.key,
        action.inputs,
        action.outputs,
        action.cost + CONTRADICTED_EXTRA,
        action.source_id,
        action.operation,
        action.kind,
        action.note,
        action.from_user,
        action.to_output,
    )


def _main_path(
    understanding: Understanding,
    recommended: Sequence[Source],
    candidates: Sequence[Source],
    actions: Sequence[Action],
    fitting: dict[str, bool],
    *,
    steps_told: bool = False,
    alternatives_told: bool = False,
) -> list[Placed] | None:
    """The main path: through as many of the recommended models as one path can hold (all of
    them first, then smaller groups, earlier-listed first), else any path that does the job.
    Where the user says each model did the whole job, through one of them.

    A recommended model that does not fit joins the path only for a step that changes what
    flows (a prompt into a background picture, a clip into its depth): one that gives back
    what it takes (a recolouring, video to video) would only be tacked on."""
    # A model that does not fit the task joins the path only where the job cannot be done
    # without it: where the fitting models and related sources do it on everything the user
    # brought, a misfit wired in would be a detour (a clip's depth lifted and rendered back to
    # video); where it makes what the task could use and the user did not bring (a background
    # from a prompt), it does that step.
    misfits = {s.id for s in recommended if not fitting.get(s.id, False)}
    misfits_needed = True
    without: list[Placed] | None = None
    if misfits:
        without = search(
            understanding.have,
            understanding.want,
            [a for a in actions if a.source_id not in misfits],
            doing=understanding.task,
            sources=candidates,
        )
        misfits_needed = (
            without is None
            or not _job_works_on_users_input(without, understanding, candidates)
            or _makes_what_a_step_could_use(
                [s for s in recommended if s.id in misfits], without, understanding, candidates
            )
        )
    chain = [
        s
        for s in _chain_candidates(recommended)
        if s.signatures
        and _connectable(s, understanding, actions)
        and (fitting.get(s.id, False) or (misfits_needed and _changes_what_flows(s)))
    ]
    chained = {s.id for s in recommended}
    # (models the user says each did the whole job are two ways to it, not one chain)
    largest = 1 if alternatives_told else len(chain)
    for size in range(largest, 0, -1):
        # (of the groups of one size, the first whose path takes everything the user brought:
        # a style photo handed in beside the words goes to the model that takes it, not
        # round it through the first-listed one that takes the words alone)
        by_group: list[list[Placed]] = []
        for group in itertools.combinations(chain, size):
            required = frozenset(s.id for s in group)
            # The other recommended models stay out of this search (they are alternatives or
            # misfits): each group is tried on its own, which keeps every search small however
            # many models were recommended.
            usable = [a for a in actions if a.source_id not in chained - required]
            # (failing that, a chain may take one frame of the footage to guide a model that
            # takes the footage too)
            frames = _frame_steps(understanding.task) if size > 1 else []
            found_paths = []
            ways: list[tuple[list[Action], bool]] = [
                (extra, False) for extra in (([], frames) if frames else ([],))
            ]
            if size > 1 and required == chained:
                # (all of them together may do the job none of them alone is of the kind of:
                # `judge_fit`)
                ways.append(([], True))
            for extra, together in ways:
                if together and found_paths:
                    break
                found = _Way(understanding, candidates, required, group, steps_told, together).plan(
                    usable + extra
                )
                if found is not None:
                    found_paths.append(found)
            if found_paths:
                by_group.append(_preferred(found_paths))
                if _uses_all_brought(by_group[-1], understanding):
                    return by_group[-1]
        if by_group:
            return by_group[0]
    anyhow = search(
        understanding.have,
        understanding.want,
        actions,
        doing=understanding.task,
        sources=candidates,
    )
    if (
        anyhow is not None
        and without is not None
        and not misfits_needed
        and any(_stands_in(placed) for placed in anyhow)
        and not any(_stands_in(placed) for placed in without)
    ):
        # a misfit handed only a stand-in (one frame of the match for a picture captioner)
        # where the job is done on the user's own thing without it: it stays off the path
        return without
    if (
        anyhow is not None
        and not _uses_what_it_needs(anyhow, understanding)
        and without is not None
        and _uses_what_it_needs(without, understanding)
    ):
        return without  # the cheapest path left the drawn camera path unused; this one takes it
    return anyhow


def _makes_what_a_step_could_use(
    sources: Sequence[Source],
    path: Sequence[Placed],
    understanding: Understanding,
    candidates: Sequence[Source],
) -> bool:
    """Whether one of `sources` makes something the path's steps (or the task) can take but
    nothing feeds them (the new background of a composite; the depth map a model on the path
    takes in another of its signatures): then it does a real step."""
    by_id = {s.id: s for s in candidates}
    unfed = {
        m
        for placed in path
        for index, port in enumerate(placed.action.inputs)
        if port.optional and index not in placed.feeds
        for m in port.modalities
    }
    for placed in path:
        source = by_id.get(placed.action.source_id or "")
        if source is not None:
            # (another signature counts where it takes more than the one used: depth handed
            # in beside the clip; not a picture in place of the prompt the user typed)
            used = set(_signature_of(placed.action, source).inputs)
            unfed |= {m for sig in source.signatures if used <= set(sig.inputs) for m in sig.inputs}
    signature = understanding.task.signature
    if signature is not None:
        unfed |= {m for port in signature.ports_in() if port.optional for m in port.modalities}
    unfed -= set(understanding.have)
    known = taxonomy.modalities()
    made = {m for s in sources for sig in s.signatures for m in sig.outputs}
    made |= {inner for m in made for inner in known[m].includes}  # a depth map of a depth video
    return bool(made & unfed)


def _signature_of(action: Action, source: Source) -> Signature:
    """The signature of `source` that `action` places (its key is "<source>#<index>", with
    an "f" for the same signature run on each frame)."""
    _, _, index = action.key.partition("#")
    return source.signatures[int(index.rstrip("f"))]


def _needed_from_user(understanding: Understanding) -> frozenset[str]:
    """The things the user brought that their task cannot do without."""
    task = understanding.task
    ports = task.signature.ports_in() if task.signature else ()
    return frozenset({p.modality for p in ports if not p.optional} & set(understanding.have))


def _uses_what_it_needs(path: Sequence[Placed], understanding: Understanding) -> bool:
    """Whether every thing the user brought that the task cannot do without is taken by some
    step: a path around the camera path the user drew (an image-to-video model that only
    takes the photo) leaves out what the task is about."""
    task = understanding.task
    ports = task.signature.ports_in() if task.signature else ()
    needed = {p.modality for p in ports if not p.optional} & set(understanding.have)
    used = {
        feed.modality
        for placed in path
        for feed in placed.feeds.values()
        if feed.producer.startswith(HAVE)
    }
    return needed <= used


def _uses_all_brought(path: Sequence[Placed], understanding: Understanding) -> bool:
    """Whether some step takes each thing the user brought."""
    used = {
        feed.modality
        for placed in path
        for feed in placed.feeds.values()
        if feed.producer.startswith(HAVE)
    }
    return set(understanding.have) <= used


def _job_works_on_users_input(
    path: Sequence[Placed],
    understanding: Understanding,
    sources: Sequence[Source],
    *,
    steps_told: bool = False,
) -> bool:
    """Whether a step that does the user's job is fed, directly or through earlier steps, from
    something the user brought. A path that holds a recommended model only by letting its
    output stand in for the user's footage (a generated picture upscaled in place of the
    clip, the clip itself merely pasted on top) answers another question. Where the user
    tells of steps one after another ("the first tool changed the season, the second then
    animated that picture"), the job working on what an earlier step made of their thing is
    what they describe."""
    if not understanding.have:
        return True  # nothing was brought: the job starts from what is supplied
    families = {s.id: _families(s) for s in sources}
    task = understanding.task
    by_key = {placed.action.key: placed for placed in path}
    have = set(understanding.have) | taxonomy.stand_ins(set(understanding.have))

    def from_user(placed: Placed, seen: frozenset[str] = frozenset()) -> bool:
        for feed in placed.feeds.values():
            if feed.producer.startswith(HAVE):
                return True
            upstream = by_key.get(feed.producer)
            if (
                upstream is not None
                and feed.producer not in seen
                and from_user(upstream, seen | {feed.producer})
            ):
                return True
        return False

    def plainly_from_user(feed: Feed, seen: frozenset[str] = frozenset()) -> bool:
        # the user's own material, passed on through format steps only (frames in and out
        # of a clip), not through something that makes new content from it
        if feed.producer.startswith(HAVE):
            return True
        upstream = by_key.get(feed.producer)
        if upstream is None or feed.producer in seen:
            return False
        if upstream.action.kind not in _PASSING and not _betters(upstream, feed.modality):
            return False
        # through a composite, the user's thing is what is followed (the subject, not the
        # matte a model cut for it)
        inner = [f for f in upstream.feeds.values() if f.modality in have]
        return bool(inner) and all(plainly_from_user(f, seen | {feed.producer}) for f in inner)

    jobs = [
        placed
        for placed in path
        if (placed.action.source_id and task.family in families.get(placed.action.source_id, ()))
        or (placed.action.operation and placed.action.operation in task.done_by)
    ]
    # The step doing the job works on the user's thing itself where it takes that kind of
    # thing: the clip to convert is the user's clip, not a rendering made from it.
    return not jobs or any(
        from_user(placed)
        and (
            steps_told
            or all(
                plainly_from_user(feed) for feed in placed.feeds.values() if feed.modality in have
            )
        )
        for placed in jobs
    )


def _tells_alternatives(question: str) -> bool:
    from scholarflow.understanding import tells_alternatives, users_telling

    return tells_alternatives(users_telling(question))


def _tells_steps(question: str) -> bool:
    from scholarflow.understanding import tells_steps, users_telling

    return tells_steps(users_telling(question))


# Steps that pass the user's material on without making new content from it.
_PASSING = frozenset({"format", "compose"})


def _betters(placed: Placed, modality: str) -> bool:
    """Whether a model step hands on the thing it was given, bettered (an upscaler's sharper
    photo, a restorer's cleaned face): it makes `modality` from one input of that modality
    and takes nothing else that could bring new content (a prompt, another picture)."""
    if not placed.action.source_id:
        return False
    feeds = list(placed.feeds.values())
    return len(feeds) == 1 and feeds[0].modality == modality


def _changes_what_flows(source: Source) -> bool:
    return any(not set(sig.outputs) <= set(sig.required_inputs) for sig in source.signatures)


def _connectable(source: Source, understanding: Understanding, actions: Sequence[Action]) -> bool:
    """Whether some path could hold `source` at all: its inputs can be made from what the user
    has and its outputs can lead to what they want (a cheap test before any search)."""
    forward = _reachable(set(understanding.have) | set(taxonomy.supplied()), actions, True)
    backward = _reachable(set(understanding.want), actions, False)
    for signature in source.signatures:
        ins = {p.modality for p in signature.ports_in() if not p.optional}
        outs = {m for p in signature.ports_out() for m in p.modalities}
        if ins <= forward and outs & backward:
            return True
    return False


def _reachable(start: set[str], actions: Sequence[Action], forward: bool) -> set[str]:
    """Modalities reachable from `start` through the actions (forward: what can be made;
    backward: what can lead to `start`)."""
    reached = set(start)
    changed = True
    while changed:
        changed = False
        for action in actions:
            outs = {m for p in action.outputs for m in p.modalities}
            if forward:
                # what can be made: a step runs once its required inputs are there
                ins = {p.modality for p in action.inputs if not p.optional}
                if ins <= reached and not outs <= reached:
                    reached |= outs
                    changed = True
            elif outs & reached:
                # what can lead to the result: an optional input (the mask an inpainter
                # takes when it is given one) leads there as much as a required one
                ins = {m for p in action.inputs for m in p.modalities}
                if not ins <= reached:
                    reached |= ins
                    changed = True
    return reached


def _outside_scope(source: Source, understanding: Understanding) -> Scope | None:
    return outside_scope(source, frozenset(understanding.subjects))


# What a job of another field takes and makes, none of it pictures, clips, sound or 3D: labels
# and scores, and written text (lexicon/other_jobs.toml).
_NO_MEDIA = frozenset({"annotation", "text"})


def _mismatch_warning(
    understanding: Understanding,
    source: Source,
    builder: _GraphBuilder,
    on_path: bool,
    sources: Sequence[Source],
    question: str = "",
) -> Warning:
    text = messages_for(understanding.language)
    task = understanding.task
    want = text.join([text.label(m, made=True) for m in understanding.want])
    if source.other_job not in ("", NO_MEDIA_JOB) and all(
        set((*sig.inputs, *sig.outputs)) <= _NO_MEDIA for sig in source.signatures
    ):
        # (a power-grid simulator "turns a text prompt into a written description" says what
        # its ports are, not what it is)
        does = text("does_other_field")
    elif source.signatures:
        signature = source.signatures[0]
        does = text(
            "does_turns",
            inputs=_phrase(signature.inputs, text),
            outputs=_phrase(signature.outputs, text, made=True),
        )
    elif source.other_job == NO_MEDIA_JOB:
        does = text("does_no_media")
    else:
        does = text("does_unknown")
    helpers = [s for s in builder.sources_on_main() if s.id != source.id]
    gaps = text.join([text.t(s.label) for s in builder.uncovered_steps()])
    names = text.join([s.name for s in helpers])
    many = "many" if len(helpers) > 1 else "one"
    if helpers and not gaps:
        cover = text(f"cover_{many}", helpers=names)
    elif helpers:
        cover = text(f"cover_part_{many}", helpers=names, gaps=gaps)
    elif gaps:
        cover = text("cover_gaps", gaps=gaps)
    elif builder.has_main():
        cover = text("cover_generic")
    else:
        cover = text("cover_nothing", want=want)
    if not any(task.id in s.tasks for s in sources):
        cover += text("none_built_for", task=text.task_name(task))
    otherwise = stated_otherwise(source, question)
    if otherwise is not None:
        # The reason is what its own summary says against the question: say that.
        said, asked = otherwise
        return Warning(
            code="model_task_mismatch",
            source_id=source.id,
            message=text(
                "mismatch_detail",
                name=source.name,
                task=_PARENTHESIS.sub("", text.task_name(task)),
                have=_phrase(understanding.have, text),
                want=text.with_article(want),
                said=text(f"detail_{said.replace('.', '_')}"),
                asked=text(f"detail_{asked.replace('.', '_')}"),
                role=text("on_path_role") if on_path else "",
                cover=cover,
            ),
        )
    limited = _outside_scope(source, understanding)
    if limited is not None:
        # The reason is who the model is for, not what it takes and makes: say that.
        kinds = outside_kinds(limited, frozenset(understanding.subjects))
        return Warning(
            code="model_task_mismatch",
            source_id=source.id,
            message=text(
                "mismatch_scope",
                name=source.name,
                scope=text(f"scope_{limited.id}"),
                subject=text.join([text(f"subject_{kind}") for kind in kinds]),
                task=_PARENTHESIS.sub("", text.task_name(task)),
                have=_phrase(understanding.have, text),
                want=text.with_article(want),
                role=text("on_path_role") if on_path else "",
                cover=cover,
            ),
        )
    return Warning(
        code="model_task_mismatch",
        source_id=source.id,
        message=text(
            "mismatch",
            name=source.name,
            does=does,
            # "(from a clip to a sound)" follows: a name's own brackets would stand doubled
            task=_PARENTHESIS.sub("", text.task_name(task)),
            have=_phrase(understanding.have, text),
            want=text.with_article(want),
            goal=text.task_goal(task),
            role=text("on_path_role") if on_path else "",
            cover=cover,
        ),
    )


def _read_from_request_warning(
    understanding: Understanding, source: Source, recommended: Sequence[Source]
) -> Warning:
    text = messages_for(understanding.language)
    task = understanding.task
    known = taxonomy.tasks()
    own = [t for t in source.tasks if t != task.id and t in known]
    if reads_as_generalist(source):  # its title says it does many jobs (`adopt_task`)
        message = text("read_generalist", name=source.name, task=text.task_name(task))
    elif own:  # its title read as another job (`compose_recommended`)
        others = [s.name for s in recommended if s.id != source.id]
        message = text(
            "read_with_others",
            name=source.name,
            reading=text.task_name(known[own[0]]),
            task=text.task_name(task),
            others=text.join(others),
        )
    else:  # nothing in its words to read (`signatures.adopt_unread`)
        message = text("read_from_request", name=source.name, task=text.task_name(task))
    return Warning(code="model_read_from_request", source_id=source.id, message=message)


def _preceding_step_warning(
    understanding: Understanding, source: Source, builder: _GraphBuilder
) -> Warning:
    text = messages_for(understanding.language)
    needs = [m for m in source.signatures[0].required_inputs if m not in understanding.have]
    before = builder.producers_before(source.id)
    if before:
        how = text("preceding_made", makers=text.join([s.name for s in before]))
    else:
        ops = builder.operations_before(source.id)
        how = (
            text("preceding_ops", steps=", ".join(text.t(op) for op in ops))
            if ops
            else text("preceding_unknown")
        )
    return Warning(
        code="preceding_step_needed",
        source_id=source.id,
        message=text(
            "preceding",
            name=source.name,
            needs=_phrase(needs, text),
            have=text.join([text.label(m) for m in understanding.have]),
            how=how,
        ),
    )


_PARENTHESIS = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def _phrase(modalities: Sequence[str], text: Messages, *, made: bool = False) -> str:
    return text.join([text.with_article(text.label(m, made=made)) for m in modalities])


class _GraphBuilder:
    """Turns placed actions into nodes and typed edges, keeping ids in topological order."""

    def __init__(self, understanding: Understanding, sources: dict[str, Source]) -> None:
        self.understanding = understanding
        self.text = messages_for(understanding.language)
        self.sources = sources
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.step_info: dict[str, Step] = {}
        self.node_of: dict[str, str] = {}  # action key, "have:m" or "supplied:m" -> node id
        self.main_keys: list[str] = []
        self.made_by: dict[str, str] = {}  # modality -> the main-path node that made it last
        self.made_as: dict[str, str] = {}  # modality -> the role its port gave what it made
        self.user_roles = user_roles(understanding.task, understanding.have)

    def _new_id(self) -> str:
        return f"n{len(self.nodes) + 1}"

    def _input_node(self, key: str, *, optional: bool = False) -> str:
        if key in self.node_of:
            return self.node_of[key]
        origin, _, modality = key.partition(":")
        if origin == "have":
            label = self.text("your_input", label=self.text.label(modality))
            description = ""
        else:
            offer = taxonomy.supplied()[modality]
            label = self.text.sentence(self.text.t(offer.label)).rstrip(".")
            description = offer.description
        node = Node(
            id=self._new_id(), kind="input", label=label, modality=modality, optional=optional
        )
        self.nodes.append(node)
        self.node_of[key] = node.id
        self.step_info[node.id] = Step(
            node_id=node.id,
            kind="input",
            label=label,
            outputs=(modality,),
            description=description,
            optional=optional,
        )
        return node.id

    def _action_node(self, placed: Placed, *, optional: bool) -> str:
        action = placed.action
        for feed in placed.feeds.values():  # inputs first, so ids stay in topological order
            if feed.producer.startswith((HAVE, SUPPLIED)):
                self._input_node(feed.producer, optional=optional)
        node_id = self._new_id()
        if action.source_id:
            source = self.sources[action.source_id]
            node = Node(
                id=node_id, kind="model", label=source.name, source_id=source.id, optional=optional
            )
            description, covered = action.note, True
        else:
            op = taxonomy.operations()[action.operation or ""]
            node = Node(
                id=node_id,
                kind="operation",
                label=self.text.t(op.label),
                operation=op.id,
                optional=optional,
            )
            description, covered = op.description, op.kind != "model"
        self.nodes.append(node)
        self.node_of[action.key] = node_id
        fed_inputs = []
        for index in sorted(placed.feeds):
            feed = placed.feeds[index]
            self.edges.append(
                Edge(
                    source=self.node_of[feed.producer],
                    target=node_id,
                    modality=feed.modality,
                    role=feed.role,
                )
            )
            fed_inputs.append(feed.modality)
        outputs = tuple(p.modality for p in action.outputs)
        self.step_info[node_id] = Step(
            node_id=node_id,
            kind=node.kind,
            label=node.label,
            source_id=node.source_id,
            operation=node.operation,
            inputs=tuple(fed_inputs),
            outputs=outputs,
            description=description,
            optional=optional,
            covered=covered,
        )
        return node_id

    def _output_node(self, modality: str, producer: str, label: str, *, optional: bool) -> None:
        node_id = self._new_id()
        self.nodes.append(
            Node(id=node_id, kind="output", label=label, modality=modality, optional=optional)
        )
        self.edges.append(Edge(source=self.node_of[producer], target=node_id, modality=modality))
        self.step_info[node_id] = Step(
            node_id=node_id, kind="output", label=label, inputs=(modality,), optional=optional
        )

    def add_main(self, placed: list[Placed]) -> None:
        *steps, final = _frames_kept_inside(placed)
        for item in steps:
            self._action_node(item, optional=False)
            self.main_keys.append(item.action.key)
            for port in item.action.outputs:
                self.made_by[port.modality] = item.action.key
                self.made_as[port.modality] = port.role
        for index in sorted(final.feeds):
            feed = final.feeds[index]
            if feed.producer.startswith((HAVE, SUPPLIED)):
                self._input_node(feed.producer)
            modality = (
                self.understanding.want[index]
                if index < len(self.understanding.want)
                else feed.modality
            )
            label = _output_label(self.understanding, modality, self.text)
            self._output_node(feed.modality, feed.producer, label, optional=False)

    def add_inputs_only(self) -> None:
        """No path at all: show what the user has; the warnings say what is missing."""
        for modality in self.understanding.have:
            self._input_node(HAVE + modality)

    def add_what_it_does(self, source: Source, actions: Sequence[Action]) -> None:
        """No path reaches what the user wants: show what a recommended model makes from what
        they have, if it takes it directly, so the answer still shows the model at work."""
        for action in actions:
            feeds: dict[int, Feed] = {}
            for index, port in enumerate(action.inputs):
                key = next((HAVE + m for m in port.modalities if HAVE + m in self.node_of), None)
                if key is None:
                    if port.optional:
                        continue
                    break
                feeds[index] = Feed(key, key.partition(":")[2], port.role)
            else:
                self._action_node(Placed(action, feeds), optional=False)
                for port in action.outputs:
                    made = self.text.label(port.modality, made=True)
                    label = self.text("not_asked_for", label=made)
                    self._output_node(
                        port.modality,
                        action.key,
                        self.text.sentence(label).rstrip("."),
                        optional=False,
                    )
                return

    def has_main(self) -> bool:
        return bool(self.main_keys)

    def inputs_of(self, source_id: str) -> set[str]:
        """What the source's step on the main path takes, as placed (a model for one picture
        run on each picture of a set takes the set); empty when it is not on it."""
        for key in self.main_keys:
            step = self.step_info[self.node_of[key]]
            if step.source_id == source_id:
                return set(step.inputs)
        return set()

    def made_before(self, source_id: str) -> set[str]:
        keys = self.main_keys[: self._index_of(source_id)]
        made: set[str] = set()
        for key in keys:
            made |= set(self.step_info[self.node_of[key]].outputs)
        return made

    def add_branches(
        self, candidates: Sequence[Source], actions: Sequence[Action], fitting: dict[str, bool]
    ) -> list[str]:
        """Sources off the main path that a user could act on, as at most two branches:
        another way to do the central step straight from what the user has, or a refinement
        of the main path's result (fed directly, never through format adapters)."""
        added: list[str] = []
        family = self.understanding.task.family
        want = set(self.understanding.want)
        for source in candidates:
            if len(added) >= MAX_BRANCHES:
                break
            if self.has_source(source.id) or not source.signatures:
                continue
            if source.role == "recommended" and not fitting.get(source.id, False):
                continue
            own = [a for a in actions if a.source_id == source.id]
            if family not in _families(source):
                # (a recommended model of another family may still do the central step by
                # what the task draws from its result: a scene rendered into the video)
                if source.role == "recommended" and any(
                    self._drawn_branch(source, action, want) for action in own
                ):
                    added.append(source.id)
                continue
            for action in own:
                branch = self._direct_branch(action, want)
                if branch is not None:
                    self._place_branch(source, action, *branch)
                    added.append(source.id)
                    break
                if source.role == "recommended" and self._drawn_branch(source, action, want):
                    added.append(source.id)
                    break
        return added

    def _drawn_branch(self, source: Source, action: Action, want: set[str]) -> bool:
        """A recommended model doing the central step another way, whose result the task
        draws (the scene a second splatting model made, rendered into the fly-around video
        too): a main path of its own, with its own drawing step, side by side with the
        first. Placed when its inputs come straight from the user; False otherwise."""
        task = self.understanding.task
        made = {p.modality for p in action.outputs}
        for render in _operation_actions({"render"}):
            port = render.inputs[0] if len(render.inputs) == 1 else None
            if (
                port is None
                or render.operation not in task.done_by
                or not set(port.modalities) & made
                or not {p.modality for p in render.outputs} & want
            ):
                continue
            drawn = next(m for m in port.modalities if m in made)
            branch = self._direct_branch(action, {drawn})
            if branch is None or branch[2] != "alternative":
                continue
            self._action_node(Placed(action, branch[0]), optional=False)
            # (its own drawing step: one step takes its input from one place)
            own = replace(render, key=f"{render.key}~{source.id}")
            self._action_node(Placed(own, {0: Feed(action.key, drawn, port.role)}), optional=False)
            result = next(p.modality for p in render.outputs if p.modality in want)
            label = self.text(
                "branch_output_main", label=self.text.label(result, made=True), name=source.name
            )
            self._output_node(
                result, own.key, self.text.sentence(label).rstrip("."), optional=False
            )
            return True
        return False

    def _direct_branch(
        self, action: Action, want: set[str]
    ) -> tuple[dict[int, Feed], str, str] | None:
        """Feeds for `action` straight from the user's inputs and the main path's results, a
        wanted modality it makes, and the branch's purpose; None when it needs adapters."""
        # (a port that may make either of two things, a multi-view video or the 4D scene,
        # makes the one wanted)
        made = [m for p in action.outputs for m in p.modalities if m in want]
        if not made:
            return None
        feeds: dict[int, Feed] = {}
        refines = False
        for index, port in enumerate(action.inputs):
            fed = None
            # What the user brought first, of any kind the port takes (a clip or the set of
            # frames): a second way of doing the job starts where the first did.
            # (or one the main path left unused: a style photo handed in beside the words,
            # which only this way of doing the job takes)
            for modality in port.modalities:
                key = HAVE + modality
                user_role = self.user_roles.get(modality, "")
                brought = key in self.node_of or (
                    modality in self.user_roles and bool(port.role) and not port.optional
                )
                if brought and taxonomy.accepts(port.role, user_role):
                    fed = Feed(key, modality, port.role)
                    break
            for modality in port.modalities if fed is None else ():
                producer = self.made_by.get(modality)
                # (of a role the port accepts: a picture a generator drew is no reference
                # picture of the user's)
                if (
                    producer is not None
                    and modality in want
                    and taxonomy.accepts(port.role, self.made_as.get(modality, ""))
                ):
                    # The main path's result itself: the branch refines it.
                    fed = Feed(producer, modality, port.role)
                    refines = True
                    break
            if fed is None:
                if port.optional:
                    continue
                return None
            feeds[index] = fed
        purpose = "refine" if refines else "alternative"
        return feeds, made[0], purpose

    def _place_branch(
        self, source: Source, action: Action, feeds: dict[int, Feed], made: str, purpose: str
    ) -> None:
        # A recommended model that does the central step another way is a main path of its
        # own, side by side with the first: the user was shown both, and both fit.
        optional = not (source.role == "recommended" and purpose == "alternative")
        node_id = self._action_node(Placed(action, feeds), optional=optional)
        if optional:
            step = self.step_info[node_id]
            # Kept in English as the step's description (the writer translates it when it
            # says it).
            key = "branch_alternative" if purpose == "alternative" else "branch_refine"
            note = messages_for("en")(key)
            self.step_info[node_id] = step.model_copy(update={"description": note})
        label = self.text(
            "branch_output" if optional else "branch_output_main",
            label=self.text.label(made, made=True),
            name=source.name,
        )
        self._output_node(
            made, action.key, self.text.sentence(label).rstrip("."), optional=optional
        )

    def has_source(self, source_id: str) -> bool:
        return any(node.source_id == source_id for node in self.nodes)

    def sources_on_main(self) -> list[Source]:
        ids = [self.step_info[self.node_of[k]].source_id for k in self.main_keys]
        return [self.sources[i] for i in dict.fromkeys(ids) if i]

    def producers_before(self, source_id: str) -> list[Source]:
        keys = self.main_keys[: self._index_of(source_id)]
        ids = [self.step_info[self.node_of[k]].source_id for k in keys]
        return [self.sources[i] for i in ids if i]

    def operations_before(self, source_id: str) -> list[str]:
        keys = self.main_keys[: self._index_of(source_id)]
        return [
            self.step_info[self.node_of[k]].label
            for k in keys
            if self.step_info[self.node_of[k]].operation
        ]

    def _index_of(self, source_id: str) -> int:
        for index, key in enumerate(self.main_keys):
            if self.step_info[self.node_of[key]].source_id == source_id:
                return index
        return 0

    def uncovered_steps(self) -> list[Step]:
        return [s for s in self.step_info.values() if not s.covered]

    def workflow(self) -> Workflow:
        return Workflow(nodes=tuple(self.nodes), edges=tuple(self.edges))

    def steps(self) -> tuple[Step, ...]:
        return tuple(self._as_used(self.step_info[node.id]) for node in self.nodes)

    def _as_used(self, step: Step) -> Step:
        """A step whose output port can make more than one thing (a 4D model's multi-view
        video or its 4D scene) says what it made here: the thing the next step took."""
        used = [e.modality for e in self.edges if e.source == step.node_id]
        missing = [m for m in used if m not in step.outputs]
        if not missing:
            return step
        outputs = [m if m in used else None for m in step.outputs]
        for modality in missing:
            free = next((i for i, m in enumerate(outputs) if m is None), None)
            if free is None:
                outputs.append(modality)
            else:
                outputs[free] = modality
        kept = tuple(m if m is not None else step.outputs[i] for i, m in enumerate(outputs))
        return step.model_copy(update={"outputs": kept})


def _frames_kept_inside(placed: list[Placed]) -> list[Placed]:
    """The path, a picture model run on every frame of a clip drawn as one step from the clip
    to the clip (its note says it works frame by frame): splitting the clip into frames and
    writing them back out are no steps a user acts on, and an engineer draws the model on
    the clip. (New steps: the path itself is left as found.)"""
    by_key = {p.action.key: p for p in placed}
    consumers: dict[str, list[Placed]] = {}
    for item in placed:
        for feed in item.feeds.values():
            consumers.setdefault(feed.producer, []).append(item)
    stands_for: dict[str, str] = {}  # a dropped step's key -> the key standing for it
    redrawn: dict[str, Placed] = {}
    for item in placed:
        action = item.action
        if not (action.per_item and action.source_id):
            continue
        frames = [i for i, feed in item.feeds.items() if feed.modality == "image_set"]
        split = by_key.get(item.feeds[frames[0]].producer) if len(frames) == 1 else None
        after = consumers.get(action.key, [])
        if (
            split is None
            or split.action.operation != "split_frames"
            or len(consumers.get(split.action.key, [])) != 1
            or len(after) != 1
            or after[0].action.operation != "encode_video"
        ):
            continue
        index = frames[0]
        stands_for[split.action.key] = split.feeds[0].producer
        stands_for[after[0].action.key] = action.key
        redrawn[action.key] = Placed(
            replace(
                action,
                inputs=tuple(
                    _as_clip(port) if i == index else port for i, port in enumerate(action.inputs)
                ),
                outputs=tuple(
                    _as_clip(port) if port.modality == "image_set" else port
                    for port in action.outputs
                ),
            ),
            {**item.feeds, index: split.feeds[0]},
        )
    if not redrawn:
        return placed

    def standing(producer: str) -> str:
        while producer in stands_for:
            producer = stands_for[producer]
        return producer

    return [
        Placed(
            redrawn.get(item.action.key, item).action,
            {
                index: replace(feed, producer=standing(feed.producer))
                for index, feed in redrawn.get(item.action.key, item).feeds.items()
            },
        )
        for item in placed
        if item.action.key not in stands_for
    ]


def _as_clip(port: Port) -> Port:
    return port.model_copy(update={"modality": "video", "alternatives": ()})


def _output_label(understanding: Understanding, modality: str, text: Messages) -> str:
    task = understanding.task
    # (a result made of several things, a camera path and body motion, is named thing by
    # thing: each output node holds one of them)
    if task.result and len(task.outputs) == 1 and modality == task.outputs[0]:
        label = text.task_result(task)
    else:
        label = text.label(modality, made=True)
    return label[0].upper() + label[1:]
