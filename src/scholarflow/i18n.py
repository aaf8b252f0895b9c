"""The answer's own words in the question's language: a gettext message catalog.

Code and the template writer say a few things in their own words (the task line, the step
heads, the findings, the taxonomy's names and labels). Their English text is the message id
(locale/messages.toml for sentences, the taxonomy data files for names); locale/<language>.po
translates them, read with Babel. Korean, Japanese, Spanish, German and French are provided;
any other language, or a message a catalog lacks, falls back to English. Quoted source
sentences are never translated: they are the sources' own words.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from scholarflow import data_files
from scholarflow.writers.prose import article_for

if TYPE_CHECKING:
    from scholarflow.models import Step, Task
    from scholarflow.taxonomy import Focus

LANGUAGES = ("en", "ko", "ja", "es", "de", "fr")


@cache
def english() -> dict[str, str]:
    """Message key → English text (locale/messages.toml)."""
    return data_files.load_toml("scholarflow.locale", "messages.toml")


@cache
def catalog(language: str) -> dict[str, str]:
    """English text → translated text for `language`; empty for English or no catalog."""
    if language == "en" or language not in LANGUAGES:
        return {}
    path = resources.files("scholarflow.locale").joinpath(f"{language}.po")
    if not path.is_file():
        return {}
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        messages = read_po(handle, locale=language)
    return {
        str(message.id): str(message.string)
        for message in messages
        if message.id and message.string and not message.fuzzy
    }


def message_ids() -> dict[str, str]:
    """Every English text the answer may say in its own words → where it comes from.

    The .po files translate exactly these (scripts/messages.py writes the template and keeps
    the catalogs in step; a test checks every language covers every id, fields intact).
    """
    from scholarflow import taxonomy

    found: dict[str, str] = {}

    def add(text: str, where: str) -> None:
        if text:
            found.setdefault(text, where)

    for key, text in english().items():
        add(text, f"locale/messages.toml:{key}")
    for key, task in taxonomy.tasks().items():
        for field in ("name", "description", "result", "goal"):
            add(getattr(task, field), f"taxonomy/tasks.toml:{key}.{field}")
    for key in taxonomy.modalities():
        add(taxonomy.label(key), f"taxonomy/modalities.toml:{key}.label")
        if taxonomy.modalities()[key].made_label:
            add(taxonomy.label(key, made=True), f"taxonomy/modalities.toml:{key}.made_label")
    for key, focus in taxonomy.focuses().items():
        add(focus.heading, f"taxonomy/focus.toml:{key}.heading")
        add(focus.lead, f"taxonomy/focus.toml:{key}.lead")
    for key, operation in taxonomy.operations().items():
        add(operation.label, f"taxonomy/operations.toml:{key}.label")
        add(operation.description, f"taxonomy/operations.toml:{key}.description")
    for key, offer in taxonomy.supplied().items():
        add(offer.label, f"taxonomy/operations.toml:supplied.{key}.label")
        add(offer.description, f"taxonomy/operations.toml:supplied.{key}.description")
    for key, description in taxonomy.role_descriptions().items():
        add(description, f"taxonomy/roles.toml:{key}.description")
    return found


def _fields(text: str) -> set[str]:
    from string import Formatter

    return {name for _, name, _, _ in Formatter().parse(text) if name}


def problems(language: str) -> list[str]:
    """What `language`'s catalog lacks or breaks: untranslated ids, changed {fields}."""
    translated = catalog(language)
    found = []
    for text, where in message_ids().items():
        if text not in translated:
            found.append(f"untranslated ({where}): {text!r}")
        elif _fields(translated[text]) != _fields(text):
            found.append(f"fields differ ({where}): {translated[text]!r}")
    return found


class Messages:
    """What the answer says in its own words, in one language."""

    def __init__(self, language: str = "en") -> None:
        self.language = language if language in LANGUAGES else "en"
        self._catalog = catalog(self.language)

    def t(self, text: str) -> str:
        """`text` (an English message id) in this language."""
        return self._catalog.get(text, text) if text else text

    def __call__(self, key: str, **fields: str) -> str:
        return self.t(english()[key]).format(**fields)

    # --- the taxonomy's words -------------------------------------------------------------

    def label(self, modality: str, *, made: bool = False) -> str:
        """What a thing is called, in this language; `made`: as a model's output."""
        from scholarflow import taxonomy

        return self.t(taxonomy.label(modality, made=made))

    def task_name(self, task: Task) -> str:
        return self.t(task.name)

    def task_description(self, task: Task) -> str:
        return self.t(task.description)

    def task_result(self, task: Task) -> str:
        return self.t(task.result)

    def task_goal(self, task: Task) -> str:
        return self.t(task.goal)

    def focus_lead(self, focus: Focus) -> str:
        return self.t(focus.lead)

    def focus_heading(self, focus: Focus) -> str:
        return self.t(focus.heading)

    def op_label(self, step: Step) -> str:
        return self.t(step.label)

    def op_description(self, step: Step) -> str:
        return self.t(step.description)

    def supplied_description(self, step: Step) -> str:
        return self.t(step.description)

    def note(self, text: str) -> str:
        return self.t(text)

    def branch_purpose(self, text: str) -> str:
        return self.t(text)

    def role(self, role: str) -> str:
        from scholarflow import taxonomy

        description = taxonomy.role_descriptions().get(role, "")
        return self.t(description)

    # --- grammar --------------------------------------------------------------------------

    def join(self, items: list[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return self("list_separator").join(items[:-1]) + self("and") + items[-1]

    def with_article(self, label: str) -> str:
        """ "a video clip", "an alpha matte video", "point tracks"; other languages: as is."""
        if self.language != "en" or not label:
            return label
        head = label.split(",")[0].split(" of ")[0].split(" and ")[0].split()[-1]
        if head.endswith("s") and not head.endswith(("ss", "is", "us")):
            return label
        return f"{article_for(label)} {label}"

    def sentence(self, text: str) -> str:
        text = text.strip()
        if not text:
            return text
        text = text[0].upper() + text[1:]
        stop = "。" if self.language == "ja" else "."
        return text if text.endswith((".", "!", "?", "。")) else text + stop

    def inline(self, label: str) -> str:
        """A label inside a sentence: "Your video clip" → "your video clip". German keeps
        its capitals (every noun has one); Korean and Japanese have none."""
        if not label or self.language == "de":
            return label
        return label[0].lower() + label[1:]


@cache
def messages_for(language: str) -> Messages:
    return Messages(language)
