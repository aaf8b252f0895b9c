"""Property: a known name or a link, disguised at random and planted anywhere in a writer's
otherwise clean slots, is never printed, in any format.

The disguises are the ones attackers use (case, spacing, hyphens, soft hyphens and zero-width
characters, fullwidth letters, Cyrillic look-alikes, HTML entities, a version suffix; for links:
schemes, defanged dots, IP addresses, protocol-relative and Markdown forms). The check is made
on the normalised output (NFKC, invisible characters removed, lower case), with its own simple
matcher, independent of the screen's.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholarflow.engine import answer, prepare
from scholarflow.grounding import known_name_entries
from scholarflow.models import Brief, Slots
from scholarflow.prompt_format import parse_prompt
from scholarflow.render import render
from scholarflow.writers.template import TemplateWriter

from conftest import PROMPTS_DIR

PROMPT = (PROMPTS_DIR / "phone_depth.txt").read_text(encoding="utf-8")
_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "i": "і", "x": "х", "s": "ѕ"}
_INVISIBLE = ("\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")


@cache
def _clean_slots() -> Slots:
    brief = prepare(parse_prompt(PROMPT)).brief
    return TemplateWriter().write(brief)


@cache
def _names() -> list[str]:
    """Known names that the prompt does not provide and that are not plain English words
    written in lower case (those are matched only when capitalised, by design)."""
    provided = PROMPT.lower()
    names = []
    for entry in known_name_entries():
        letters = re.sub(r"[^a-z0-9]", "", entry.name.lower())
        if entry.word or len(letters) < 4 or letters in re.sub(r"[^a-z0-9]", "", provided):
            continue
        names.append(entry.name)
    return names


def _disguise(name: str, draw: st.DrawFn) -> str:
    chars = list(name)
    out = []
    for ch in chars:
        kind = draw(
            st.sampled_from(
                [
                    "plain",
                    "plain",
                    "upper",
                    "lower",
                    "invisible",
                    "fullwidth",
                    "homoglyph",
                    "entity",
                ]
            )
        )
        if kind == "upper":
            ch = ch.upper()
        elif kind == "lower":
            ch = ch.lower()
        elif kind == "invisible":
            ch = ch + draw(st.sampled_from(_INVISIBLE))
        elif kind == "fullwidth" and "!" <= ch <= "~":
            ch = chr(ord(ch) - 0x21 + 0xFF01)
        elif kind == "homoglyph" and ch.lower() in _HOMOGLYPHS:
            ch = _HOMOGLYPHS[ch.lower()]
        elif kind == "entity":
            ch = f"&#{ord(ch)};"
        out.append(ch)
    text = "".join(out)
    if draw(st.booleans()):
        text = text.replace(" ", draw(st.sampled_from(["", "-", "\n", "  ", "_"])))
    if draw(st.booleans()):
        text += draw(st.sampled_from(["-XL", " v2", "-9000", " Pro", " 3.0", "s"]))
    return text


_LINKS = st.sampled_from(
    [
        "https://evil.example.com/w.ckpt",
        "http://203.0.113.9:8080/weights",
        "//evil.example.org/x",
        "hxxps://evil[.]com/payload",
        "evil(dot)com",
        "evil-cdn.de/models",
        "www.evil.example",
        "mailto:help@evil.example",
        "javascript:alert(1)",
        "[the paper](https://evil.example.com/p)",
        "![img](https://evil.example.com/i.png)",
        "<https://evil.example.com>",
        "https:/evil.com/x",
        "ｅｖｉｌ．ｃｏｍ/x",
        "evil&#46;com/x",
        "e v i l . c o m",
    ]
)
_LINK_HOSTS = ("evil", "203.0.113.9")


class _Planting:
    name = "llm"

    def __init__(self, slots: Slots) -> None:
        self.slots = slots

    def write(self, brief: Brief) -> Slots:
        return self.slots


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf").lower()


def _printed(slots: Slots) -> str:
    result = answer(parse_prompt(PROMPT), writer=_Planting(slots))
    return _normal("\n".join(render(result, f) for f in ("markdown", "json", "mermaid")))


def _name_pattern(name: str) -> re.Pattern[str]:
    letters = [re.escape(c) for c in name.lower() if c.isalnum()]
    return re.compile(r"(?<![a-z0-9])" + r"[\s\-_.]*".join(letters) + r"(?![a-z0-9])")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_disguised_known_name_is_never_printed(data):
    name = data.draw(st.sampled_from(_names()))
    disguised = _disguise(name, data.draw)
    slots = _clean_slots()
    key = data.draw(st.sampled_from(sorted(k for k, v in slots.texts.items() if v)))
    text = slots.get(key)
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    planted = slots.with_texts({key: f"{text[:at]} {disguised} {text[at:]}"})
    assert not _name_pattern(name).search(_printed(planted)), (name, disguised, key)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_disguised_link_is_never_printed(data):
    link = data.draw(_LINKS)
    slots = _clean_slots()
    key = data.draw(st.sampled_from(sorted(k for k, v in slots.texts.items() if v)))
    text = slots.get(key)
    at = data.draw(st.integers(min_value=0, max_value=len(text)))
    printed = _printed(slots.with_texts({key: f"{text[:at]} see {link} {text[at:]}"}))
    printed = printed.replace(" ", "")
    assert not any(host in printed for host in _LINK_HOSTS), (link, key)
