"""The task taxonomy, modalities, generic operations and question focuses, read from data files.

Everything here is data (TOML beside this module); the loaders validate it once and cache it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from scholarflow.models import Task
from scholarflow.text import CueMatcher


@dataclass(frozen=True)
class ModalityInfo:
    id: str
    label: str
    family: str
    cues: tuple[str, ...]


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


@dataclass(frozen=True)
class Supplied:
    """Something the user can always provide themselves (a text prompt, a camera path)."""

    modality: str
    label: str
    cost: float
    description: str
    only_for: tuple[str, ...] = ()  # operation ids that may take it; empty: any step


@dataclass(frozen=True)
class Focus:
    id: str
    heading: str
    lead: str
    phrase: str
    cues: tuple[str, ...]
    evidence: tuple[str, ...]


def _load(name: str) -> dict[str, Any]:
    with resources.files(__package__).joinpath(name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def modalities() -> dict[str, ModalityInfo]:
    return {
        key: ModalityInfo(key, value["label"], value["family"], tuple(value.get("cues", ())))
        for key, value in _load("modalities.toml").items()
    }


def _check_modalities(where: str, names: tuple[str, ...]) -> tuple[str, ...]:
    known = modalities()
    for name in names:
        if name not in known:
            raise ValueError(f"{where}: unknown modality {name!r}")
    return names


@cache
def tasks() -> dict[str, Task]:
    loaded = {}
    for key, value in _load("tasks.toml").items():
        loaded[key] = Task(
            id=key,
            name=value["name"],
            description=value["description"],
            inputs=_check_modalities(f"task {key}", tuple(value["inputs"])),
            outputs=_check_modalities(f"task {key}", tuple(value["outputs"])),
            cues=tuple(value.get("cues", ())),
            hints=tuple(value.get("hints", ())),
            family=value["family"],
            goal=value["goal"],
            result=value.get("result", ""),
            hf_pipeline_tag=value.get("hf"),
        )
    return loaded


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
            inputs=_check_modalities(f"operation {key}", tuple(value["inputs"])),
            outputs=_check_modalities(f"operation {key}", tuple(value["outputs"])),
            description=value["description"],
            from_user=value.get("from_user", False),
            to_output=value.get("to_output", False),
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
        )
        for key, value in _operations_file()["supplied"].items()
        if _check_modalities("supplied", (key,))
    }


@cache
def freely_supplied() -> frozenset[str]:
    """Modalities any user can supply to any step (a text prompt, a camera path)."""
    return frozenset(key for key, value in supplied().items() if not value.only_for)


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
    return CueMatcher(cues)


@cache
def modality_matcher() -> CueMatcher:
    return CueMatcher({key: info.cues for key, info in modalities().items()})


@cache
def focus_matcher() -> CueMatcher:
    return CueMatcher({key: focus.cues for key, focus in focuses().items()})


def family(modality: str) -> str:
    return modalities()[modality].family


def label(modality: str) -> str:
    return modalities()[modality].label
