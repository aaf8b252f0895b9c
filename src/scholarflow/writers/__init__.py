"""Writers fill the prose slots of an answer from a `Brief` (plan + screened evidence).

A writer words what the plan holds; it never adds a source, a name, a link or a citation of
its own: code writes those (render/document.py) and the screen checks every slot
(grounding.py). Any object with a `name` and a `write(brief) -> Slots` method is a writer, so
tests and plugins can bring their own; one that also accepts `on_slot` can stream.
"""

from __future__ import annotations

from typing import Protocol

from scholarflow.errors import ConfigurationError
from scholarflow.models import Brief, Slots


class Writer(Protocol):
    name: str

    def write(self, brief: Brief) -> Slots: ...


WRITERS = ("template",)


def get_writer(name: str) -> Writer:
    if name == "template":
        from scholarflow.writers.template import TemplateWriter

        return TemplateWriter()
    raise ConfigurationError(f"unknown writer {name!r}: choose one of {', '.join(WRITERS)}")
