"""Small, deterministic rewrites that turn an abstract's sentence into an explanation.

Abstracts speak in the first person ("we lift the image into a point cloud"); an answer
explains what a method does ("Make-It-4D lifts the image into a point cloud"). These rules
change voice only, never content, so a restated sentence still says what its source said.
"""

from __future__ import annotations

import re

_CONNECTORS = re.compile(
    r"^(?:on the one hand|on the other hand|to this end|in addition|additionally|moreover|"
    r"furthermore|in this paper|in this work|here|to address (?:these|this) (?:issues?|problems?)|"
    r"to overcome (?:these|this) (?:issues?|problems?)|to do so|specifically|besides|then),\s+",
    re.IGNORECASE,
)
_INTRODUCES_NAMED = re.compile(
    r"^we (?:present|introduce|propose|develop) ([^,]+), an? (?:novel |new |simple )?(.+)$",
    re.IGNORECASE,
)
_INTRODUCES_WHICH = re.compile(
    r"^we (?:present|introduce|propose|develop) ([^,]+), which (.+)$", re.IGNORECASE
)
_INTRODUCES_FOR = re.compile(
    r"^we (?:present|introduce|propose|develop) (\S+(?: \S+)?) (for|to) (.+)$", re.IGNORECASE
)
_INTRODUCES = re.compile(
    r"^we (?:present|introduce|propose|develop) an? (?:novel |new |simple )?(.+)$", re.IGNORECASE
)
_WE_VERB = re.compile(
    r"\b[Ww]e( (?:first|then|also|further|additionally|finally|further|thus|therefore))? "
    r"([a-z][a-z-]*)"
)
_MODALS = {"can", "could", "will", "would", "may", "might", "must", "should", "shall"}
_IRREGULAR = {"are": "is", "have": "has", "do": "does", "were": "was", "go": "goes"}
_AND_VERBS = (
    "transform",
    "refine",
    "fill",
    "use",
    "train",
    "render",
    "optimize",
    "generate",
    "apply",
    "estimate",
    "lift",
    "fuse",
    "filter",
    "combine",
    "move",
    "propagate",
    "introduce",
    "design",
    "enforce",
    "integrate",
    "equip",
    "leverage",
    "utilize",
    "scale",
    "deform",
    "recover",
    "learn",
    "predict",
    "blend",
    "track",
    "build",
    "encode",
    "decode",
    "align",
)
_POSSESSIVES = re.compile(r"\b([Oo])ur\b")


def third_person_verb(verb: str) -> str:
    if verb in _MODALS:
        return verb
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if len(verb) > 2 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def article_for(word: str) -> str:
    lowered = word.lower()
    if lowered.startswith(("one", "uni", "use", "eu", "u-")):
        return "a"
    return "an" if lowered[:1] in "aeiou" else "a"


def restate(sentence: str, name: str) -> str:
    """`sentence` in the third person, about `name`, ending in a full stop."""
    text = sentence.strip()
    text = _CONNECTORS.sub("", text)
    text = _CONNECTORS.sub("", text)  # "On the other hand, to this end, ..." happens
    named = _INTRODUCES_NAMED.match(text)
    which = _INTRODUCES_WHICH.match(text)
    purpose = _INTRODUCES_FOR.match(text)
    if which:
        text = f"{which.group(1)} {which.group(2)}"
    elif purpose and not purpose.group(1).lower().startswith(("a ", "an ", "the ")):
        text = f"{purpose.group(1)} is designed {purpose.group(2)} {purpose.group(3)}"
    elif named:
        rest = named.group(2)
        text = f"{named.group(1)} is {article_for(rest)} {rest}"
    else:
        plain = _INTRODUCES.match(text)
        if plain:
            rest = plain.group(1)
            text = f"{name} is {article_for(rest)} {rest}"

    def _we(match: re.Match[str]) -> str:
        adverb = match.group(1) or ""
        verb = third_person_verb(match.group(2))
        subject = name if match.start() == 0 else "it"
        return f"{subject}{adverb} {verb}"

    text, count = _WE_VERB.subn(_we, text)
    if count:
        and_verbs = "|".join(_AND_VERBS)
        text = re.sub(
            rf"\b(and|then) ({and_verbs})\b(?!s)",
            lambda m: f"{m.group(1)} {third_person_verb(m.group(2))}",
            text,
        )
    text = _POSSESSIVES.sub(lambda m: "Its" if m.group(1) == "O" else "its", text)
    text = re.sub(r"\bus\b", "it", text)
    text = re.sub(r"\bThis paper\b|\bthis paper\b", "The paper", text)
    text = text[:1].upper() + text[1:]
    if not text.endswith((".", "!", "?")):
        text += "."
    return text


def cite(sentence: str, number: int) -> str:
    """`sentence` with a citation placed before its full stop."""
    body = sentence.rstrip()
    if body.endswith((".", "!", "?")):
        return f"{body[:-1]} [{number}]{body[-1]}"
    return f"{body} [{number}]."


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
