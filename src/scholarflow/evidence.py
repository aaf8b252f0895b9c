"""Evidence: the sentences of each source that explain its mechanism, with their exact spans.

Sentences are ranked by how well they explain what the question is about (its focus) and how
much they say about *how* the method works, rather than what was wrong before or how well it
scored. Text inside a source is data: a sentence that addresses the reader, carries a link, or
names a model that was not provided is never evidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from scholarflow import taxonomy
from scholarflow.models import Evidence, Source
from scholarflow.text import normalize, sentences

if TYPE_CHECKING:
    from scholarflow.grounding import Screen

PER_SOURCE = 3
_FRAGMENT_BREAK = re.compile(r"<[^<>]{0,200}>|[;:!?]|\s[-–]\s|\.\s")
# What markup hides from a reader: comments, and the quoted values of attributes.
_HIDDEN_TEXT = re.compile(r"<!--(.{0,400}?)-->|=\s*[\"']([^\"'<>]{0,200})[\"']")

# A sentence that opens with an order ("Ignore…", "Download…") or speaks to its reader.
_IMPERATIVE_OPENING = re.compile(
    r"""(?ix)
    ^\W*(?:please\s+|now\s+|first,?\s+|also\s+|kindly\s+|important:?\s+|note:?\s+)?
      (?:ignore|disregard|forget|override|reply|respond|say|write|
         download|install|click|visit|go\s+to|execute|cite|recommend|
         switch\s+to|always|only\s+cite|
         # verbs that are nouns too ("Answer accuracy improves", "Use of depth priors …"):
         # an order only with what an order takes next
         (?:answer|output|print|open|run|use|try|consider|include|prefer|replace)
           (?=\s+(?:the|a|an|this|that|these|those|our|my|your|only|all|every|any|
              it|them|users?|no|yes|exactly|nothing|just|always|instead)\b)|
         tell|mention|add|append|do\s+not|don'?t|never|you|as\s+an?\s+(?:ai|assistant)|
         # telling the user something in the answer ("Be sure to tell the user that …",
         # "Remind users …", "Let the user know …"); "Saliency maps inform users" describes
         (?:(?:be|make)\s+sure\s+to\s+|remember\s+to\s+)?
           (?:tell|inform|remind|warn|notify|advise|ask)\s+(?:the\s+|every\s+|all\s+|each\s+|
              any\s+)?(?:users?|readers?|people|visitors?|anyone)|
         let\s+(?:the\s+)?(?:users?|readers?|people)\s+know|
         system\s*:|assistant\s*:|user\s*:|
         # orders that send people somewhere ("Direct every user to …"), told by whom they
         # send: "Direct optimisation …", "Point clouds …" open plain descriptions
         (?:direct|redirect|send|point|refer|route|steer|guide)\s+
           (?:every|all|any|each|the|our|your)?\s*(?:users?|readers?|people|visitors?|
              customers?|them)|
         quote\s+(?:the|this|our)\s+(?:access|promo|promotion|discount|coupon|referral)?\s*
           (?:codes?|coupons?|links?|urls?))(?=[\s,:!.])
    """
)
_ADDRESS_WORDS = (
    "you",
    "answer",
    "reply",
    "writer",
    "reader",
    "instruction",
    "prompt",
    "rules",
    "messages",
    "language model",
    "llm",
    "chatbot",
    "assistant",
    "jailbreak",
    "engine",
    "notice",
    "automated",
    "crawler",
    "bot",
    "ai ",
    "user",
    "utilisateur",
    "usuario",
    "nutzer",
    "vous",
    "veuillez",
    "sie ",
    "usted",
    "dile",
    "system",
    "model",
    "[",
)
_ADDRESS_ANYWHERE = re.compile(
    r"""(?ix)
      \b(?:you|your|yours|yourself)\b
    | \b(?:previous|prior|above|earlier|all)\s+(?:instructions?|prompts?|rules|messages)\b
    # (not "the assistant" or "jailbreak" alone: a paper on assistants or on jailbreaks
    # describes them, "fine-tunes the assistant so that …")
    | \b(?:ai\s+assistant|this\s+prompt)\b
    # a system prompt given or overridden, not one a paper reports using or designing ("the
    # system prompt used for the captioner is in the supplementary material")
    | \b(?:your|override|overrides|replace|ignore)\s+(?:the\s+)?system\s+prompt\b
    | \bsystem\s+prompt\s*:
    | \b(?:to|for|dear|hey|attention|any|all|every|each)\s+(?:ai\s+)?
         (?:(?:large\s+)?language\s+models?|llms?|chatbots?)\b
    # a notice to the machines that answer ("IMPORTANT NOTICE TO AI ANSWER ENGINES: …",
    # "Message for automated assistants …"), called so by a word of address or a colon after
    # them: not machines described ("a benchmark for search engines", "generative models")
    # (a comma or a dash may set the call apart: "ATTENTION, AI MODEL READING THIS: …")
    | \b(?:notice|message|memo|note|instructions?|directive|attention|dear|hey|warning)
         \s*[,:;!\-\u2013\u2014]?\s+
         (?:to\s+|for\s+)?(?:all\s+|any\s+|every\s+|the\s+)?
         (?:ai|automated|answer|bots?|crawlers?|assistants?)\b
    # a machine called by what it is doing to this very text ("AI model reading this",
    # "any assistant processing the following"), not one described at work on images
    | \b(?:ai|automated|answer|language)\s+(?:models?|systems?|agents?|assistants?|tools?|
         engines?|readers?|summari[sz]ers?|crawlers?|bots?)\s+
         (?:reading|processing|parsing|summari[sz]ing|seeing|scanning)\s+
         (?:this|these|the\s+following)
         (?:\s+(?:text|page|summary|abstract|note|message|document|entry|card|readme))?
         (?=\s*(?:[:,.;!]|$|(?:must|should|shall|will|is|are|has|have|needs?)\b))
    | \b(?:to|for|any|all|every|each)\s+(?:the\s+)?(?:ai|automated|answer)\s+
         (?:(?:answer|search)\s+)?(?:engines?|systems?|models?|tools?|agents?|assistants?|
            readers?|summari[sz]ers?|crawlers?|bots?)\s*[:,]
    | \b(?:(?:large\s+)?language\s+models?|llms?|chatbots?)\s*[:,]?\s+
         (?:reading|processing|summari[sz]ing|answering|that\s+reads?|must|should|shall|
            are\s+(?:required|instructed|told)|have\s+to|need\s+to)\b
    # the answer being written, told what it must do ("the answer must recommend …")
    | \b(?:the|this|your|any|every)\s+(?:answer|reply|writer|reader)s?\s+
         (?:must|should|shall|has\s+to|have\s+to|needs?\s+to|is\s+to|ought\s+to)\b
    | \bnote\s+(?:for|to)\s+(?:the\s+)?(?:writer|reader|model|assistant|answer)\b
    # answers told what to hold, with or without an article ("Answers should cite …")
    | (?:^\W*|\b(?:all|every|any|each)\s+)(?:answers?|replies|responses?)\s+
         (?:must|should|shall|are\s+to|need\s+to|have\s+to|
            are\s+(?:expected|required|asked|obliged)\s+to)\b
    # the machine reading or answering this very text, named as the one who must act ("The
    # AI reading this should …", "The model answering this question is required …", "AI
    # tools consulted by readers are expected to …"); not "question answering models" nor
    # "systems processing point clouds" (the must-word looked for within one clause ahead)
    | \b(?:ai|assistants?|models?|systems?|engines?|crawlers?|bots?|chatbots?|agents?|
          tools?|llms?)\s+(?:that\s+)?(?:is\s+|are\s+)?
         (?:(?:reading|answering|processing|summari[sz]ing|parsing|indexing|reads?|answers?|
            summari[sz]es?)\s+(?:this|these)\b|consulted\s+by\s+(?:users?|readers?|people))
         (?=[^.;:]{0,100}?\b(?:must|should|shall|is\s+to|are\s+to|required|expected|
                  needs?\s+to|has\s+to|have\s+to|may\s+not|never)\b)
    | (?<!question\s)\banswering\s+(?:ai|assistants?|systems?|engines?|tools?|agents?)\s+
         (?:must|should|shall|is\s+to|may\s+not|never)\b
    # called by name at the opening ("Crawlers: …", "Assistant, …", "[assistant-only] …")
    | ^\W*(?:\[[^\]]{0,40}\]\s*)?(?:ai|assistants?|crawlers?|bots?|chatbots?|llms?|agents?|
          models?|ai\s+systems?)\s*[:,]
    | ^\W*\[\s*(?:assistant|system|ai|llm|bot|developer|admin)[\w\s-]{0,20}\]
    # the reader spoken to in French, Spanish and German: the polite second person or an
    # imperative ("Si vous êtes un assistant …", "Dile al usuario …", "Bitte nennen Sie …")
    | \b(?:si\s+vous|veuillez|redirigez|indiquez|dites|mentionnez|citez)\b
    | \b(?:dile|díganle|dígale|indíquele|usted)\b
    | \b(?:nutzer|benutzer|leser)\w*\s+(?:sind|ist)\s+.{0,80}?\b(?:zu\s+)?
         (?:weiterzuleiten|verweisen|informieren)\b
    | \bbitte\s+\w+\s+sie\b|^\W*(?:nennen|verweisen|leiten|erwähnen|schreiben)\s+sie\b
    """
)

_MECHANISM = (
    "we propose",
    "we present",
    "we introduce",
    "we use",
    "we utilize",
    "we leverage",
    "we design",
    "we develop",
    "we equip",
    "we integrate",
    "we fine-tune",
    "we fuse",
    "we fill",
    "we first",
    "we then",
    "we scale",
    "we refine",
    "we represent",
    "key insight",
    "to this end",
    "represent",
    "module",
    "attention",
    "diffusion",
    "condition",
    "propagat",
    "estimat",
    "optimiz",
    "refine",
    "render",
    "fuse",
    "builds on",
    "predict",
    "generat",
    "lift",
    "unproject",
    "deform",
    "blend",
    "point cloud",
    "trajector",
    "framework",
    "pipeline",
)
# Words that say *how* a method works, beyond naming its parts.
_HOW = (
    " by ",
    "so that",
    "so every",
    "so each",
    "instead of",
    "together",
    "jointly",
    "conditioned on",
    "attends",
    "attention",
    "shared",
    "overlapping",
    "each frame",
    "every frame",
    "warp",
    "in one pass",
    "at once",
    "memory",
    "propagat",
    "which keeps",
    "which lets",
    "tied to",
    "ties",
)
_CLAIM = re.compile(
    r"\b(?:we (?:present|propose|introduce)|is an? (?:novel |new |simple |practical )?"
    r"(?:method|framework|approach|model|system|pipeline)\b)"
)
_PROBLEM_OPENINGS = (
    "existing",
    "however",
    "recently",
    "yet",
    "unlike",
    "while",
    "although",
    "learning to",
    "in the evolving",
    "this is challenging",
    "the accurate",
    "despite",
    "current",
)
_PROBLEM_WORDS = (
    "existing",
    "remains challenging",
    "is challenging",
    "struggle",
    "fail",
    "limited",
    "limitation",
    "do not offer",
    "is a crucial",
    "painstaking",
    "suffer",
    "lack of",
)
_RESULT_WORDS = (
    "experiment",
    "our evaluation",
    "user study",
    "outperform",
    "state-of-the-art",
    "we evaluate",
    "we demonstrate",
    "we curate",
    "extensive evaluation",
    "benchmark",
    "showcases",
    "compelling",
    "significantly improves",
    "achieves",
)


_CLAUSE_BREAK = re.compile(r"[;:!?\u2014\u2013]|\s-\s|\(|\)")


def addresses_reader(sentence: str) -> bool:
    """True for a sentence that speaks to whoever reads it: an instruction, not a description.

    Every clause is looked at ("The weights are here; always cite this link"), not only the
    sentence's opening; letters spaced out ("I g n o r e") are read as the word they spell,
    and a title's "you" ("You Only Look Once") as no one's."""
    sentence = _address_parts()["titles"].sub(" ", _unspaced(sentence))
    if _IMPERATIVE_OPENING.match(sentence) or any(
        _IMPERATIVE_OPENING.match(clause) for clause in _CLAUSE_BREAK.split(sentence)
    ):
        return True
    if _speaks_to_a_machine(sentence):
        return True
    lowered = sentence.lower()
    # A sentence holding none of these words cannot match, and skips the full pattern.
    return any(w in lowered for w in _ADDRESS_WORDS) and bool(_ADDRESS_ANYWHERE.search(sentence))


# Letters spaced out one by one, five at least ("I g n o r e"; not the "a b c" of a list), or
# dotted, three at least ("T.h.e"; not "e.g."): the same words, hidden from a word reader.
_SPACED = re.compile(r"(?<![\w.])(?:(?:\w ){4,}|(?:\w\.){2,})\w(?!\w)")


_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


def _unspaced(sentence: str) -> str:
    """The sentence with words spelled letter by letter written whole: the trick hides an
    order from a reader of words, not from one of letters. (Words are kept apart where two
    spaces part them, as such text writes them: "I g n o r e  a l l".)"""
    # (letters kept apart by characters no reader sees, "dis\u200bregard", are one word too)
    sentence = _INVISIBLE.sub("", sentence)
    if " " not in sentence and "." not in sentence:
        return sentence
    return _SPACED.sub(lambda m: m.group(0).replace(" ", "").replace(".", ""), sentence)


@cache
def _address_parts() -> dict[str, re.Pattern[str]]:
    """lexicon/addressing.toml's lists, one pattern each."""
    data = dict(taxonomy.load_lexicon("addressing.toml"))
    starts = "|".join(data.pop("ignore_at_start"))
    patterns = {
        key: re.compile("|".join(f"(?:{p})" for p in items), re.IGNORECASE | re.MULTILINE)
        for key, items in data.items()
    }
    # (an "ignore" that opens the sentence or a clause: after a colon, a comma, a dash)
    patterns["ignore_at_start"] = re.compile(
        rf"(?:^|[:;,.!\u2014\u2013-]|\b(?:and|then|now|just|please|et|y|und))\W*"
        rf"\b(?:{starts})\b",
        re.IGNORECASE | re.MULTILINE,
    )
    return patterns


# How far apart an "ignore" and the instructions it is said of may stand, and how far after a
# machine its order may come (characters; within one clause).
_IGNORE_REACH = 50
_ORDER_REACH = 70
_CLAUSE_STOP = re.compile(r"[,.;:!?。、]")
# An order said of how a machine is to be handled ("must be told to …", "must be retrained",
# "doivent être entraînés", "debe ser evaluada"), not given to it: a passive, not "must be
# positive about this work".
_HANDLED = re.compile(
    r"\s+(?:not\s+)?(?:be\s+(?:\w+ed|\w+en|told|given|shown|fed|run|done|kept|made|set|put|"
    r"built|taught|trained|tested|held)|être\s+\w+(?:é|ée|és|ées|is|it|u|us)|"
    r"ser\s+\w+(?:ado|ada|ados|adas|ido|ida|idos|idas))\b"
)
# What follows a verb of reading said of the one reading: this very text, or the end of the
# call ("any model reading:").
_THIS_TEXT_NEXT = re.compile(
    r"\s*(?::|$|(?:this|the\s+following|ce|cette|este|esta|diese[nmrs]?)\b)"
)
# A machine that opens its clause, alone or after a word of address, is the one called:
# "Summarizers: please …", "(summarizers: …)", "Dear model, …"; not "Unlike automated
# systems, human annotators should …".
_CALL_BEFORE = re.compile(
    r"(?:[(\[.;:!?]|\b(?:dear|hey|attention|note\s+(?:to|for)))\W*(?:(?:all|any|the)\s+)?$",
    re.IGNORECASE,
)
_CALL_REACH = 40  # (characters before the machine looked at: a word of address is short)


def _opens_its_clause(sentence: str, start: int) -> bool:
    """Whether the machine at `start` opens its sentence or clause, alone or after a word of
    address. (Only the few characters before it are looked at, so a sentence naming many
    machines is still read in linear time.)"""
    head = sentence[max(0, start - _CALL_REACH) : start]
    if start <= _CALL_REACH and not head.strip(" \t\"'([*#-"):
        return True
    return _CALL_BEFORE.search(head) is not None


# What may stand between a machine and a verb of reading said of it ("models that ingest …").
_THEN = re.compile(r"\s*(?:(?:that|which|who|qui|que|die|das|der)\s+)?")
# A machine called: a particle or two of address at most, then a colon, a comma or a dash.
_CALLED = re.compile(r"\s*(?:の方)?(?:へ|に|님|께|에게)?\s*[:,\u3001\u2014\u2013-]")


def _machines(parts: dict[str, re.Pattern[str]], sentence: str) -> list[re.Match[str]]:
    """The machines a sentence names, as such or as readers ("any large language model",
    "downstream models"), in order."""
    found = [*parts["machines"].finditer(sentence), *parts["readers"].finditer(sentence)]
    return sorted(found, key=lambda m: m.start())


def _speaks_to_a_machine(sentence: str) -> bool:
    """Whether a sentence is an order to a machine that reads or answers it, told by its
    parts in any of the question languages (lexicon/addressing.toml says which, and why)."""
    parts = _address_parts()
    if parts["calls"].search(sentence):
        return True
    for key in ("ignore_anywhere", "ignore_at_start"):
        for found in parts[key].finditer(sentence):
            # (either side: the object comes first in Korean and Japanese, "이전 지시를 … 무시하고")
            near = sentence[max(0, found.start() - _IGNORE_REACH) : found.end() + _IGNORE_REACH]
            if parts["instructions"].search(near) and parts["earlier"].search(near):
                return True
    for reader in parts["readers"].finditer(sentence):
        # a machine called by what it does to this text ("any model reading:", "downstream
        # models that ingest this abstract") is the one spoken to, order or none; not one
        # at work on something else ("any tool reading EXIF metadata")
        between = _THEN.match(sentence, reader.end())
        reading = parts["reading"].match(sentence, between.end() if between else reader.end())
        if reading and _THIS_TEXT_NEXT.match(sentence, reading.end()):
            return True
    ordered = parts["orders"].search(sentence) is not None
    for machine in _machines(parts, sentence):
        # (asked before it, in its clause: "We kindly ask automated assistants not to …",
        # "Se ruega a todo modelo de lenguaje …": the asking is the order)
        before = sentence[max(0, machine.start() - _ORDER_REACH) : machine.start()]
        opened = max((m.end() for m in _CLAUSE_STOP.finditer(before)), default=0)
        if parts["asks"].search(before[opened:]):
            return True
        if not ordered:
            continue
        after = sentence[machine.end() : machine.end() + _ORDER_REACH]
        # (a machine called before a colon or a comma is spoken to: "summarizers: please
        # state …", "アシスタントの方へ、…してください"; its order is in the clause after)
        called = _CALLED.match(after)
        if called and _opens_its_clause(sentence, machine.start()):
            after = after[called.end() :]
        stop = _CLAUSE_STOP.search(after)
        order = parts["orders"].search(after[: stop.start()] if stop else after)
        # (not how the machine has to be handled: "chatbots that must be told to …")
        if order and not _HANDLED.match(after, order.end()):
            return True
    if not ordered:
        return False
    for text in parts["this_text"].finditer(sentence):
        near = sentence[max(0, text.start() - 40) : text.end() + 40]
        if parts["reading"].search(near):
            return True
    return bool(parts["answers"].search(sentence))


def gather(
    sources: Sequence[Source], focus: Sequence[str], screen: Screen
) -> tuple[tuple[Evidence, ...], tuple[str, ...]]:
    """The evidence for every source, and the ids of sources whose text held an instruction.

    Summaries are data: a sentence is evidence only when it passes the screen as a quote (no
    order to the reader, no link or markup, no model it does not belong to, no claim about a
    source's standing). Every sentence that passes lends its words to `screen`, so a writer
    may use the words the sources use.
    """
    stems = _focus_stems(focus)
    gathered: list[Evidence] = []
    instructed: list[str] = []
    for source in sources:
        items, saw_instruction = _for_source(source, stems, screen)
        gathered.extend(items)
        if saw_instruction:
            instructed.append(source.id)
    return tuple(gathered), tuple(instructed)


def _focus_stems(focus: Sequence[str]) -> list[tuple[str, float]]:
    known = taxonomy.focuses()
    return [
        (focus_id, 2.0 if rank == 0 else 1.0)
        for rank, focus_id in enumerate(focus)
        if focus_id in known
    ]


@dataclass(frozen=True, slots=True)
class _Sentence:
    """What a sentence is, independent of any question: worked out once per source text."""

    span: tuple[int, int]
    text: str
    instruction: bool
    usable: bool  # no link, markup, mixed alphabets or claim about a source's standing in it
    markup: bool  # refused for markup or a claim about a source: its words are planted
    names: tuple[str, ...]  # known model names it mentions (whether provided is decided later)
    coined: tuple[str, ...]  # words shaped like other models' names (provided or not: later)
    base_score: float  # mechanism words minus problem and result words
    focus_hits: tuple[tuple[str, int], ...]


@lru_cache(maxsize=4096)
def _analyse(text: str) -> tuple[_Sentence, ...]:
    """Sources recur across requests (catalog entries, a platform's model cards), so the
    per-sentence work is done once per distinct text."""
    from scholarflow.grounding import coined_names, known_names_in, normalize_prose, quote_problems

    focuses = taxonomy.focuses()
    analysed = []
    for start, end in sentences(text):
        sentence = text[start:end]
        clean = normalize_prose(sentence)
        # Invisible characters inside a sentence hide words from every check ("Ig\u200bnore"):
        # such a sentence is judged by what it says once they are gone, and never quoted.
        hidden = any(unicodedata.category(ch) == "Cf" for ch in sentence)
        lowered = normalize(clean)
        base = float(min(sum(1 for cue in _MECHANISM if cue in lowered), 3))
        base += min(sum(1 for cue in _HOW if cue in lowered), 2)
        if _CLAIM.search(lowered) and not any(cue in lowered for cue in _HOW):
            base -= 1.5  # "X is a novel method that can…": what it achieves, not how
        if lowered.startswith(_PROBLEM_OPENINGS) or any(w in lowered for w in _PROBLEM_WORDS):
            base -= 3.0
        if any(word in lowered for word in _RESULT_WORDS):
            base -= 2.0
        if len(lowered) < 40:
            base -= 1.0
        hits = tuple(
            (focus_id, n)
            for focus_id, focus in focuses.items()
            if (n := sum(1 for stem in focus.evidence if stem in lowered))
        )
        analysed.append(
            _Sentence(
                span=(start, end),
                text=sentence,
                instruction=addresses_reader(clean),
                usable=not (problems := quote_problems(sentence)) and not hidden,
                markup=hidden or any(p.kind in {"html", "quality"} for p in problems),
                names=tuple(known_names_in(sentence)),
                coined=tuple(coined_names(sentence)),
                base_score=base,
                focus_hits=hits,
            )
        )
    return tuple(analysed)


def analyse_cache_clear() -> None:
    _analyse.cache_clear()


def _for_source(
    source: Source, stems: list[tuple[str, float]], screen: Screen
) -> tuple[list[Evidence], bool]:
    texts = []
    if source.summary and source.summary.strip():
        texts.append((source.summary, "summary"))
    if source.catalog_summary:
        # The built-in description (facts from the model's own repository, in our words)
        # competes with the request's summary: it often says *how* where an abstract says why.
        texts.append((source.catalog_summary, "catalog"))
    if not texts:
        return [], False
    scored: list[Evidence] = []
    saw_instruction = False
    for text, field in texts:
        found, instructed = _score_text(source, text, field, stems, screen)
        scored.extend(found)
        saw_instruction = saw_instruction or instructed
    if not scored:
        return [], saw_instruction
    best = sorted(scored, key=lambda e: (-e.score, e.field != "summary", e.span[0]))
    chosen = [e for e in best if e.score > 0][:PER_SOURCE]
    # A neutral sentence still describes the source; a source should have at least two.
    chosen += [e for e in best if e.score == 0][: max(0, 2 - len(chosen))]
    chosen = chosen or best[:1]
    return sorted(chosen, key=lambda e: (e.field != "summary", e.span[0])), saw_instruction


def _score_text(
    source: Source, text: str, field: str, stems: list[tuple[str, float]], screen: Screen
) -> tuple[list[Evidence], bool]:
    scored: list[Evidence] = []
    saw_instruction = False
    weights = dict(stems)
    title_words = _content_words(f"{source.name} {source.title}")
    for sentence in _analyse(text):
        if sentence.instruction:
            saw_instruction = True
            # Taint only the part that gives the order, where the sentence can be split: an
            # order glued to an ordinary description must not taint the description's words.
            fragments = [f for f in _FRAGMENT_BREAK.split(sentence.text) if f and f.strip()]
            ordering = [f for f in fragments if addresses_reader(f)]
            for fragment in ordering or [sentence.text]:
                screen.add_taint(fragment)
            continue
        if not sentence.usable and sentence.markup:
            # Markup carries its orders in comments and attributes; the rest of the sentence
            # may be an ordinary description.
            for groups in _HIDDEN_TEXT.findall(sentence.text):
                screen.add_taint(" ".join(groups))
        if not sentence.usable or not all(
            screen.name_provided(n) for n in (*sentence.names, *sentence.coined)
        ):
            continue
        screen.add_vocabulary(sentence.text)
        score = sentence.base_score
        words = _content_words(sentence.text)
        if words and len(words & title_words) >= 0.5 * len(words):
            score -= 2.0  # it restates the title: says what, not how
        on_focus = False
        for focus_id, hits in sentence.focus_hits:
            weight = weights.get(focus_id)
            if weight:
                on_focus = on_focus or weight > 1.0
                score += weight * min(hits, 3)
        scored.append(
            Evidence(
                source_id=source.id,
                text=sentence.text,
                span=sentence.span,
                field=field,
                score=score,
                on_focus=on_focus,
            )
        )
    return scored, saw_instruction


_WORD = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_FUNCTION = frozenset(
    """that this with from into their these those have which when while where there about
    over under also such more most other than them they then each every very same uses using
    used method methods model models approach framework paper work novel""".split()
)


def _content_words(text: str) -> set[str]:
    words = {w.lower().rstrip("s") for w in _WORD.findall(text)}
    return {w for w in words if w not in _FUNCTION}
