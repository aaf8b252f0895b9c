"""Planning: a typed workflow DAG from what the user has to what they want.

The planner searches backwards from the wanted modality (goal regression, cheapest first):
each step is a provided source (by one of its signatures) or a generic operation from
taxonomy/operations.toml, and every step it adds produces something a later step consumes, so
no node hangs loose. The recommended model must be on that path wherever any path can hold it.

A related source joins the graph only where its signature fits: as an optional branch fed by
what the main path already made (a few format steps allowed). The rest stay references and
are described as background.

Whether the recommended model *fits* the user's task is judged separately and strictly: from
the user's inputs, can the recommended model alone, with only format and compose steps around
it, produce what the user wants, and is its job of the same family as the user's task? If not,
the plan carries a `model_task_mismatch` warning that says plainly what it cannot do and which
provided source covers the gap, or that none does.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scholarflow import taxonomy
from scholarflow.models import (
    Edge,
    Node,
    Plan,
    Source,
    Step,
    Understanding,
    Warning,
    Workflow,
)

MAX_STEPS = 8
MAX_BRANCHES = 3
RECOMMENDED_COST = 0.5
RELATED_COST = 2.0
VARIANT_EXTRA = 0.5  # a source's secondary signature costs a little more than its main one
_FIT_KINDS = frozenset({"format", "compose"})
_BRIDGE_KINDS = frozenset({"format"})
OUT = "out"


@dataclass(frozen=True)
class Action:
    """One possible step: a provided source by one signature, or a generic operation."""

    key: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    cost: float
    source_id: str | None = None
    operation: str | None = None
    kind: str = "model"  # "model" for sources; the operation kind otherwise
    note: str = ""
    from_user: bool = False
    to_output: bool = False


@dataclass(frozen=True)
class Placed:
    """An action in a found plan, with where each of its inputs comes from."""

    action: Action
    feeds: dict[str, list[str]] = field(default_factory=dict)  # input modality -> producers


def source_actions(sources: Sequence[Source], recommended_ids: set[str]) -> list[Action]:
    actions = []
    for source in sources:
        base = RECOMMENDED_COST if source.id in recommended_ids else RELATED_COST
        for index, signature in enumerate(source.signatures):
            actions.append(
                Action(
                    key=f"{source.id}#{index}",
                    inputs=signature.inputs,
                    outputs=signature.outputs,
                    cost=base + (VARIANT_EXTRA if index else 0.0),
                    source_id=source.id,
                    note=signature.note,
                )
            )
    return actions


def operation_actions(kinds: Iterable[str] | None = None) -> list[Action]:
    allowed = set(kinds) if kinds is not None else None
    return [
        Action(
            key=f"op:{op.id}",
            inputs=op.inputs,
            outputs=op.outputs,
            cost=op.cost,
            operation=op.id,
            kind=op.kind,
            from_user=op.from_user,
            to_output=op.to_output,
        )
        for op in taxonomy.operations().values()
        if allowed is None or op.kind in allowed
    ]


def search(
    have: Sequence[str],
    want: Sequence[str],
    actions: Sequence[Action],
    *,
    required_source: str | None = None,
    max_steps: int = MAX_STEPS,
    use_supplied: bool = True,
    doing: str | None = None,
    sources: Sequence[Source] = (),
) -> list[Placed] | None:
    """The cheapest plan, in forward order, or None when no plan exists.

    Goal regression: start from what is wanted; a step may be added when it produces
    something still needed; its inputs become needed unless the user has them (or can
    supply them, like a text prompt). Each source and each operation is used at most once.

    `doing`, a task family, asks that some step actually do the task's job: a source of that
    family, or an operation that composes, lifts, renders or stands for a model. It keeps a
    recommended model that does not fit from passing for the whole answer (a colour editor
    is no background replacer just because both take and make a video).
    """
    families = {
        s.id: {taxonomy.tasks()[t].family for t in s.tasks if t in taxonomy.tasks()}
        for s in sources
    }

    def does_the_job(action: Action) -> bool:
        if doing is None:
            return True
        if action.source_id and doing in families.get(action.source_id, set()):
            return True
        return bool(action.operation) and action.kind not in _BRIDGE_KINDS

    producers: dict[str, list[Action]] = {}
    for action in actions:
        for modality in action.outputs:
            producers.setdefault(modality, []).append(action)
    # A lower bound on what is left to pay (every needed modality needs some producer), so
    # the search pops plans in order of their least possible total cost (A*).
    cheapest = {m: min(a.cost for a in found) for m, found in producers.items()}

    def remaining_cost(needed_keys: Iterable[str]) -> float:
        return max((cheapest.get(m, 99.0) for m in needed_keys), default=0.0)

    have_set = set(have)
    supplied = taxonomy.supplied() if use_supplied else {}
    counter = itertools.count()
    # needed: modality -> consumers (action keys, or OUT for the final output). The flags
    # travel with each partial plan: it holds the required source, takes the user's input,
    # does the task's job.
    start_needed: dict[str, tuple[str, ...]] = {m: (OUT,) for m in want}
    start_flags = (required_source is None, False, doing is None)
    frontier: list[tuple] = [
        (
            remaining_cost(start_needed),
            0.0,
            0,
            next(counter),
            start_needed,
            (),
            frozenset(),
            start_flags,
        )
    ]
    seen: dict[tuple, float] = {}
    while frontier:
        _, cost, depth, _, needed, path, used, flags = heapq.heappop(frontier)
        if not needed and path:
            # A plan must contain the required source and start from what the user has:
            # making "a video" from scratch is no answer to someone who brought their own.
            if all(flags):
                return _forward(path)
            continue
        if depth >= max_steps:
            continue
        candidates = dict.fromkeys(a for m in needed for a in producers.get(m, ()))
        for action in candidates:
            produced = [m for m in action.outputs if m in needed]
            used_key = action.source_id or action.key
            if used_key in used:
                continue
            if action.to_output and any(needed[m] != (OUT,) for m in produced):
                continue
            if action.from_user and not set(action.inputs) <= have_set:
                continue
            owned = [] if action.from_user else [m for m in action.inputs if m in have_set]
            # An input the user has is normally taken from them; it may also be made by an
            # earlier step (one camera's video picked from the footage the user brought).
            remaining = needed.keys() - action.outputs
            for made in (None, *owned):
                # The state is known before the step is built: skip it early when a cheaper
                # plan already reached it. Plans that still need the same things are
                # interchangeable for what follows, so only the cheapest is kept.
                fresh = [
                    m
                    for m in action.inputs
                    if (m not in have_set or m == made)
                    and not _can_supply(action, m, supplied, have_set)
                ]
                takes_input = any(m in have_set and m != made for m in action.inputs)
                new_flags = (
                    flags[0] or action.source_id == required_source,
                    flags[1] or takes_input,
                    flags[2] or does_the_job(action),
                )
                extra = sum(
                    supplied[m].cost
                    for m in action.inputs
                    if _can_supply(action, m, supplied, have_set)
                )
                new_cost = cost + action.cost + extra
                keys = frozenset(remaining.union(fresh))
                state = (keys, new_flags)
                if seen.get(state, float("inf")) <= new_cost:
                    continue
                seen[state] = new_cost
                new_needed, step = _regress(action, needed, have_set, supplied, made)
                entry = (
                    new_cost + remaining_cost(keys),
                    new_cost,
                    depth + 1,
                    next(counter),
                    new_needed,
                    (*path, step),
                    used | {used_key},
                    new_flags,
                )
                heapq.heappush(frontier, entry)
    return None


def _can_supply(action: Action, modality: str, supplied: dict, have: set[str]) -> bool:
    """Whether the user can hand this step the modality themselves (a prompt, a path)."""
    if modality in have or modality not in supplied:
        return False
    only_for = supplied[modality].only_for
    return not only_for or action.operation in only_for


def _regress(
    action: Action,
    needed: dict[str, tuple[str, ...]],
    have: set[str],
    supplied: dict,
    made: str | None,
) -> tuple[dict[str, tuple[str, ...]], tuple]:
    """Needed modalities after adding `action`, and its step record (action, consumers, feeds)."""
    produced = [m for m in action.outputs if m in needed]
    new_needed = {m: c for m, c in needed.items() if m not in action.outputs}
    feeds: dict[str, list[str]] = {}
    for modality in action.inputs:
        if modality in have and modality != made:
            feeds[modality] = [f"have:{modality}"]
        elif _can_supply(action, modality, supplied, have):
            feeds[modality] = [f"supplied:{modality}"]
        else:
            new_needed[modality] = (*new_needed.get(modality, ()), action.key)
    consumers = {m: needed[m] for m in produced}
    return new_needed, (action, consumers, feeds)


def _forward(path: tuple) -> list[Placed]:
    """Turn a regression path into forward order, wiring each input to its producer."""
    placed: dict[str, Placed] = {}
    order = [step[0] for step in reversed(path)]
    for action, _consumers, feeds in path:
        placed[action.key] = Placed(action, {m: list(v) for m, v in feeds.items()})
    # A step's consumers were recorded when it was added: wire producer -> consumer.
    for action, consumers, _feeds in path:
        for modality, who in consumers.items():
            for consumer in who:
                if consumer == OUT:
                    continue
                placed[consumer].feeds.setdefault(modality, []).append(action.key)
    final_feeds = {m: [a.key] for a, consumers, _ in path for m, c in consumers.items() if OUT in c}
    result = [placed[action.key] for action in order]
    result.append(
        Placed(Action(key=OUT, inputs=tuple(final_feeds), outputs=(), cost=0), final_feeds)
    )
    return result


def recommended_fits(
    understanding: Understanding, recommended: Source
) -> tuple[bool, list[Placed] | None]:
    """Can the recommended model alone, with format and compose steps, do the user's task?"""
    if not recommended.signatures:
        return False, None
    families = {taxonomy.tasks()[t].family for t in recommended.tasks if t in taxonomy.tasks()}
    if families and understanding.task.family not in families:
        return False, None
    actions = source_actions([recommended], {recommended.id}) + operation_actions(_FIT_KINDS)
    path = search(understanding.have, understanding.want, actions, required_source=recommended.id)
    return path is not None, path


def plan(understanding: Understanding, sources: Sequence[Source]) -> Plan:
    """The workflow for the user's task, with the recommended model on its main path."""
    recommended = [s for s in sources if s.role == "recommended"]
    related = [s for s in sources if s.role != "recommended"]
    by_id = {s.id: s for s in sources}
    recommended_ids = {s.id for s in recommended}
    actions = source_actions(sources, recommended_ids) + operation_actions()

    fitting = {s.id: recommended_fits(understanding, s)[0] for s in recommended}
    main: list[Placed] | None = None
    for source in recommended:  # the first recommended model that any path can hold
        doing = None if fitting[source.id] else understanding.task.family
        main = search(
            understanding.have,
            understanding.want,
            actions,
            required_source=source.id,
            doing=doing,
            sources=sources,
        )
        if main is not None:
            break
    if main is None:
        main = search(
            understanding.have,
            understanding.want,
            actions,
            doing=understanding.task.family,
            sources=sources,
        )

    builder = _GraphBuilder(understanding, by_id)
    if main is not None:
        builder.add_main(main)
    else:
        builder.add_unreachable(recommended)

    warnings: list[Warning] = []
    fits_all = True
    for source in recommended:
        if not builder.has_source(source.id):
            builder.attach(source, actions)
    for source in recommended:
        fits = fitting[source.id]
        fits_all = fits_all and fits
        on_path = builder.has_source(source.id)
        if not fits:
            warnings.append(_mismatch_warning(understanding, source, builder, on_path))
        elif on_path and not set(source.signatures[0].inputs) <= set(understanding.have) | set(
            taxonomy.freely_supplied()
        ):
            warnings.append(_preceding_step_warning(understanding, source, builder))

    branched = builder.add_branches(related, actions)
    for step in builder.uncovered_steps():
        warnings.append(
            Warning(
                code="step_not_covered",
                message=(
                    f"No provided source performs the step '{step.label}': "
                    f"{taxonomy.operations()[step.operation or ''].description}."
                ),
            )
        )
    background = tuple(s.id for s in related if not builder.has_source(s.id))
    workflow = builder.workflow()
    return Plan(
        understanding=understanding,
        workflow=workflow,
        steps=builder.steps(),
        warnings=tuple(warnings),
        background=background,
        recommended_fits=fits_all and bool(recommended),
        branched=tuple(branched),
    )


def _names(sources: Iterable[Source]) -> str:
    names = [s.name for s in sources]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _mismatch_warning(
    understanding: Understanding, source: Source, builder: _GraphBuilder, on_path: bool
) -> Warning:
    task = understanding.task
    want = " and ".join(taxonomy.label(m) for m in understanding.want)
    if source.signatures:
        signature = source.signatures[0]
        does = f"it turns {_phrase(signature.inputs)} into {_phrase(signature.outputs)}"
    else:
        does = "its name, title and catalog entry do not say what it takes and makes"
    helpers = [s for s in builder.sources_on_main() if s.id != source.id]
    gaps = builder.uncovered_steps()
    verb = "covers" if len(helpers) == 1 else "cover"
    if helpers and not gaps:
        cover = f"In the workflow below, {_names(helpers)} {verb} the rest."
    elif helpers:
        cover = (
            f"In the workflow below, {_names(helpers)} {verb} part of the rest; "
            f"no provided source covers: {', '.join(s.label for s in gaps)}."
        )
    elif gaps:
        cover = f"No provided source covers: {', '.join(s.label for s in gaps)}."
    else:
        cover = f"No provided source on its own produces the {want}."
    role = "It appears below only for the step it can do. " if on_path else ""
    built_for = [s for s in builder.sources.values() if task.id in s.tasks]
    if not built_for:
        cover += f" None of the provided sources is built for {task.name} itself."
    return Warning(
        code="model_task_mismatch",
        source_id=source.id,
        message=(
            f"{source.name} does not fit your task on its own: {does}, but you are doing "
            f"{task.name} (from {_phrase(understanding.have)} to a {want}), so it cannot "
            f"{task.goal} by itself. {role}{cover}"
        ),
    )


def _preceding_step_warning(
    understanding: Understanding, source: Source, builder: _GraphBuilder
) -> Warning:
    needs = [m for m in source.signatures[0].inputs if m not in understanding.have]
    before = builder.producers_before(source.id)
    if before:
        how = f"in this workflow {_names(before)} makes it first"
    else:
        ops = builder.operations_before(source.id)
        how = (
            f"in this workflow it comes from: {', '.join(ops)}"
            if ops
            else "a preceding step is needed"
        )
    return Warning(
        code="preceding_step_needed",
        source_id=source.id,
        message=(
            f"{source.name} starts from a {' and '.join(taxonomy.label(m) for m in needs)}, "
            f"not from your {_phrase(understanding.have, article=False)}; {how}."
        ),
    )


def _phrase(modalities: Sequence[str], *, article: bool = True) -> str:
    labels = [taxonomy.label(m) for m in modalities]
    if article:
        labels = [("an " if label[0] in "aeiou" else "a ") + label for label in labels]
    return " and ".join(labels)


class _GraphBuilder:
    """Turns placed actions into nodes and typed edges, keeping ids in topological order."""

    def __init__(self, understanding: Understanding, sources: dict[str, Source]) -> None:
        self.understanding = understanding
        self.sources = sources
        self.nodes: list[Node] = []
        self.edges: list[Edge] = []
        self.step_info: dict[str, Step] = {}
        self.node_of: dict[str, str] = {}  # action key or "have:m"/"supplied:m" -> node id
        self.main_keys: list[str] = []
        self.shared_ops: dict[tuple[str, str], str] = {}

    def _new_id(self) -> str:
        return f"n{len(self.nodes) + 1}"

    def _input_node(self, key: str, *, optional: bool = False) -> str:
        if key in self.node_of:
            return self.node_of[key]
        origin, _, modality = key.partition(":")
        if origin == "have":
            label = f"Your {taxonomy.label(modality)}"
            description = ""
        else:
            supplied = taxonomy.supplied()[modality]
            label = supplied.label[0].upper() + supplied.label[1:]
            description = supplied.description
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
        # Inputs first, so ids stay in topological order.
        for modality in action.inputs:
            for producer in placed.feeds.get(modality, []):
                if producer.startswith(("have:", "supplied:")):
                    self._input_node(producer, optional=optional)
        node_id = self._new_id()
        if action.source_id:
            source = self.sources[action.source_id]
            node = Node(
                id=node_id, kind="model", label=source.name, source_id=source.id, optional=optional
            )
            description = action.note
            covered = True
        else:
            op = taxonomy.operations()[action.operation or ""]
            node = Node(
                id=node_id, kind="operation", label=op.label, operation=op.id, optional=optional
            )
            description = op.description
            covered = op.kind != "model"
        self.nodes.append(node)
        self.node_of[action.key] = node_id
        for modality in action.inputs:
            for producer in placed.feeds.get(modality, []):
                self.edges.append(
                    Edge(source=self.node_of[producer], target=node_id, modality=modality)
                )
        self.step_info[node_id] = Step(
            node_id=node_id,
            kind=node.kind,
            label=node.label,
            source_id=node.source_id,
            operation=node.operation,
            inputs=action.inputs,
            outputs=action.outputs,
            description=description,
            optional=optional,
            covered=covered,
        )
        return node_id

    def _output_node(self, feeds: dict[str, list[str]], label: str, *, optional: bool) -> None:
        for modality, producers in feeds.items():
            node_id = self._new_id()
            self.nodes.append(
                Node(id=node_id, kind="output", label=label, modality=modality, optional=optional)
            )
            for producer in producers:
                self.edges.append(
                    Edge(source=self.node_of[producer], target=node_id, modality=modality)
                )
            self.step_info[node_id] = Step(
                node_id=node_id, kind="output", label=label, inputs=(modality,), optional=optional
            )

    def add_main(self, placed: list[Placed]) -> None:
        *steps, final = placed
        for item in steps:
            self._action_node(item, optional=False)
            self.main_keys.append(item.action.key)
        for modality in final.feeds:
            label = _output_label(self.understanding, modality)
            self._output_node({modality: final.feeds[modality]}, label, optional=False)

    def _lone_model(self, source: Source, *, optional: bool) -> None:
        """A model node with no edges: a source no path could hold."""
        node_id = self._new_id()
        self.nodes.append(
            Node(
                id=node_id, kind="model", label=source.name, source_id=source.id, optional=optional
            )
        )
        self.step_info[node_id] = Step(
            node_id=node_id, kind="model", label=source.name, source_id=source.id, optional=optional
        )

    def add_unreachable(self, recommended: Sequence[Source]) -> None:
        """No path at all: show the user's input and each recommended model alone."""
        for modality in self.understanding.have:
            self._input_node(f"have:{modality}")
        for source in recommended:
            self._lone_model(source, optional=False)

    def _branch(
        self, source: Source, actions: Sequence[Action], wanted: Sequence[str], max_steps: int
    ) -> Placed | None:
        """Place `source` on a side branch fed by what the graph holds (format steps allowed
        in between); the returned final step says which nodes make `wanted`."""
        available = self._available()
        own = [a for a in actions if a.source_id == source.id]
        path = search(
            list(available),
            list(wanted),
            own + operation_actions(_BRIDGE_KINDS),
            required_source=source.id,
            max_steps=max_steps,
        )
        if path is None:
            return None
        *steps, final = path
        for item in steps:
            feeds = {
                m: [
                    available.get(p.partition(":")[2], p) if p.startswith("have:") else p
                    for p in producers
                ]
                for m, producers in item.feeds.items()
            }
            wiring = (item.action.key, repr(sorted(feeds.items())))
            if item.action.operation and wiring in self.shared_ops:
                # The same operation on the same input is drawn once and shared.
                self.node_of[item.action.key] = self.shared_ops[wiring]
                continue
            node_id = self._action_node(Placed(item.action, feeds), optional=True)
            if item.action.operation:
                self.shared_ops[wiring] = node_id
        return final

    def add_branches(self, related: Sequence[Source], actions: Sequence[Action]) -> list[str]:
        """Related sources whose signature fits what the graph already holds, as options."""
        added: list[str] = []
        want_families = {taxonomy.family(m) for m in self.understanding.want}
        task_family = self.understanding.task.family
        for source in related:
            if len(added) >= MAX_BRANCHES or self.has_source(source.id) or not source.signatures:
                continue
            families = {taxonomy.tasks()[t].family for t in source.tasks if t in taxonomy.tasks()}
            signature = source.signatures[0]
            out_families = {taxonomy.family(m) for m in signature.outputs}
            relevant = out_families & want_families and "control" not in out_families
            if not relevant and task_family not in families:
                continue
            main_only = [a for a in actions if a.key == f"{source.id}#0"]
            final = self._branch(source, main_only, signature.outputs, max_steps=3)
            if final is None:
                continue
            shown = [m for m in final.feeds if taxonomy.family(m) in want_families]
            shown = shown or list(final.feeds)
            label = f"Optional: {taxonomy.label(shown[0])} from {source.name}"
            self._output_node({m: final.feeds[m] for m in shown}, label, optional=True)
            added.append(source.id)
        return added

    def _available(self) -> dict[str, str]:
        """Modality -> the step a branch should take it from.

        What the user wants is taken from the last step that made it (a branch refines the
        result); anything else from the earliest (the user's own input where there is one).
        """
        available: dict[str, str] = {}
        for key, node_id in self.node_of.items():
            node = self.nodes[int(node_id[1:]) - 1]
            if node.kind == "input" and node.modality and not node.optional:
                available.setdefault(node.modality, key)
        for key in self.main_keys:
            step = self.step_info[self.node_of[key]]
            for modality in step.outputs:
                if modality in self.understanding.want or modality not in available:
                    available[modality] = key
        return available

    def attach(self, source: Source, actions: Sequence[Action]) -> None:
        """A recommended model no path can hold still appears, on what it can take."""
        final = None
        if source.signatures:
            final = self._branch(source, actions, source.signatures[0].outputs, max_steps=4)
        if final is None:
            self._lone_model(source, optional=True)
            return
        modality = next(iter(final.feeds))
        label = taxonomy.label(modality)
        label = f"{label[0].upper()}{label[1:]} from {source.name} (not what you asked for)"
        self._output_node({modality: final.feeds[modality]}, label, optional=True)

    def has_source(self, source_id: str) -> bool:
        return any(node.source_id == source_id for node in self.nodes)

    def sources_on_main(self) -> list[Source]:
        ids = [self.step_info[self.node_of[k]].source_id for k in self.main_keys]
        return [self.sources[i] for i in ids if i]

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
        return tuple(self.step_info[node.id] for node in self.nodes)


def _output_label(understanding: Understanding, modality: str) -> str:
    task = understanding.task
    label = task.result if task.result and modality == task.outputs[0] else taxonomy.label(modality)
    return label[0].upper() + label[1:]
