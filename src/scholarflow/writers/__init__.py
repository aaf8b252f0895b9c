"""Writers turn a `Brief` (plan + evidence) into the three sections of an answer.

A writer words what the plan holds; it never adds a source. Any object with a `name` and a
`write(brief) -> Sections` method is a writer, so tests and plugins can bring their own.
"""

from __future__ import annotations

from typing import Protocol

from scholarflow.errors import ConfigurationError
from scholarflow.models import Brief, Sections


class Writer(Protocol):
    name: str

    def write(self, brief: Brief) -> Sections: ...


WRITERS = ("template",)


def get_writer(name: str) -> Writer:
    if name == "template":
        from scholarflow.writers.template import TemplateWriter

        return TemplateWriter()
    raise ConfigurationError(f"unknown writer {name!r}: choose one of {', '.join(WRITERS)}")
