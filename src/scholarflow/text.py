"""Small text helpers shared by the stages: normalising, cue matching, sentences, URLs."""

from __future__ import annotations

import bisect
import difflib
import heapq
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from scholarflow import english_words

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": " - ", "–": "-"})
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, NFKC, straight quotes, single spaces: the form every cue is matched in."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """Letters and digits only, lower-cased: "Stable Diffusion" and "StableDiffusionV1" meet."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


@dataclass(frozen=True, slots=True)
class CueHit:
    label: str
    cue: str
    start: int
    end: int


def _in_latin_word(ch: str) -> bool:
    """Whether `ch` is a letter, digit or "_" of a word written in the Latin alphabet, accents
    and all: "étapes" is one word with no "tapes" in it, nor "émotion" a "motion". A letter of
    Korean, Japanese or Chinese is not: a cue starts right after one ("入力したら3Dモデル")."""
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    return ch.isalpha() and ("\u00c0" <= ch <= "\u024f" or "\u1e00" <= ch <= "\u1eff")


def _ends_word(text: str, end: int) -> bool:
    """Whether a Latin word ends at `end`, allowing a plural "s" or "es"."""
    for ending in ("", "s", "es"):
        if text.startswith(ending, end):
            after = text[end + len(ending) : end + len(ending) + 1]
            if not _in_latin_word(after):
                return True
    return False


class CueMatcher:
    """Finds cue phrases of many labels in one pass.

    A cue matches at the start of a word (so "rotat" finds "rotating") except for cues in
    scripts written without spaces, which match anywhere. At one place the longest cue wins,
    among the cues of one group: by default all cues are one group ("a still from my video"
    names a picture, not a video); `group` makes each its own, so that one phrase can be
    evidence for several labels ("without a green screen" speaks for matting and for a
    background replacement alike) while a label's shorter cue inside its longer one still
    counts once.

    Three rules keep a cue from matching what it does not mean: a cue ending in a digit does
    not end inside a longer number or code ("360" is not in "360p"); a cue of one short word
    does not match inside a different English word ("rig" is not in "right", though it is in
    "rigged"); and a cue led by an article yields to a longer name of its group that starts
    after the article ("a mask" is not the thing in "a mask track").
    """

    def __init__(
        self,
        cues: Mapping[str, Iterable[str]],
        group: Callable[[str], str] | None = None,
        *,
        whole_words: bool = False,
    ) -> None:
        self._group = group
        # Names of things end where a word ends ("pic" is not in "picked"), give or take a
        # plural ending; phrases of tasks may match the start of a word ("rotat" → rotating).
        self._whole_words = whole_words
        self._labels: dict[str, list[str]] = {}
        # An English cue said by one person ("i filmed", "my photo") is said by a club, a
        # family or a shop as well ("we filmed", "our photo"): the plural is found as the cue
        # it stands for, reported under that cue's own words. (English only: other languages
        # conjugate the verb itself, "filmamos", "wir haben gefilmt".)
        self._said_as: dict[str, str] = {}
        for label, phrases in cues.items():
            for phrase in phrases:
                key = normalize(phrase)
                if key and label not in self._labels.get(key, ()):
                    self._labels.setdefault(key, []).append(label)
        for key in list(self._labels):
            if not key.isascii():
                continue
            plural = _FIRST_PERSON.sub(lambda word: _PLURAL_PERSON[word.group()], key)
            if plural != key and plural not in self._labels:
                self._labels[plural] = self._labels[key]
                self._said_as[plural] = key
        # An English cue of one person's act ("i photographed", "i filmed") is said without
        # its subject where a sentence starts, as people write in a hurry ("Photographed an
        # old collar and got …"): there the bare act is found as the cue it stands for. Not
        # before "by", where the act is someone else's ("Described by its authors as …").
        self._subject_dropped: set[str] = set()
        for key in list(self._labels):
            if key.isascii() and key.startswith(("i ", "we ")) and key not in self._said_as:
                act = key.split(" ", 1)[1]
                if " " not in act and act not in self._labels:
                    self._labels[act] = self._labels[key]
                    self._said_as[act] = key
                    self._subject_dropped.add(act)
        # A German cue led by an article or a possessive ("einen satz", "mein foto") is said
        # with that word in another case as well ("aus einem satz", "von meinem foto"): each
        # form is found as the cue it stands for. (Forms no noun takes are never written.)
        for key in list(self._labels):
            declined = _GERMAN_LEAD.match(key)
            if declined is None:
                continue
            stem, rest = declined.group("stem") or "d", key[declined.end() :]
            for ending in _DEFINITE_FORMS if declined.group("the") else _DECLENSION:
                form = f"{stem}{ending} {rest}"
                if form not in self._labels:
                    self._labels[form] = self._labels[key]
                    self._said_as[form] = key
        # British and American English spell some words two ways ("synchronised",
        # "synchronized"; "colour", "color"; "centre", "center"): a cue written one way is
        # found written the other, as the cue it stands for.
        for key in list(self._labels):
            if not key.isascii():
                continue
            other = _other_spelling(key)
            if other != key and other not in self._labels:
                self._labels[other] = self._labels[key]
                self._said_as[other] = self._said_as.get(key, key)
        # (cue, needs a word boundary before it); plain `str.find` over a few hundred short
        # cues is far faster than one regex alternation of them on question-sized text.
        self._keys = [(key, key[0].isascii() and key[0].isalnum()) for key in self._labels]

    def _groups_of(self, key: str) -> set[str]:
        return {self._group(label) if self._group else "" for label in self._labels[key]}

    def find(self, normalized_text: str, *, compound_heads: bool = False) -> Iterator[CueHit]:
        """The cues in `normalized_text`. With `compound_heads` (German text), a one-word cue
        of four letters or more also matches as the last part of a longer word: a German
        compound is the kind of thing its last part names ("Handyvideo" is a video,
        "Strandfoto" a photo)."""
        text = normalized_text
        found: list[tuple[int, int, str]] = []
        for key, bounded in self._keys:
            head = compound_heads and bounded and len(key) >= 4 and " " not in key
            start = text.find(key)
            while start >= 0:
                before = text[start - 1] if start else ""
                # Only a Latin letter (accented too) or digit before a cue joins it to a longer
                # word: after a Korean, Japanese or Chinese character a cue starts.
                if (
                    (
                        not bounded
                        or not before
                        or not _in_latin_word(before)
                        or (head and before.isalpha())
                    )
                    and (not (bounded and self._whole_words) or _ends_word(text, start + len(key)))
                    and not _number_goes_on(text, key, start + len(key))
                    and not _leads_compound(text, key, start + len(key))
                    and not (bounded and not self._whole_words and _other_word(text, key, start))
                    and (key not in self._subject_dropped or _subject_left_out(text, key, start))
                ):
                    found.append((start, start + len(key), key))
                start = text.find(key, start + 1)
        # A cue led by an article yields to a longer name starting after the article: in "a
        # mask track", "a mask" is not the thing, "mask track" is.
        # Within one group only: another group's cue is evidence of its own.
        furthest: dict[tuple[str, int], int] = {}
        for start, end, key in found:
            for group in self._groups_of(key):
                at = (group, start)
                furthest[at] = max(end, furthest.get(at, end))
        found = [
            (start, end, key)
            for start, end, key in found
            if not (lead := _ARTICLE.match(key))
            or all(
                furthest.get((group, start + lead.end()), 0) <= end
                for group in self._groups_of(key)
            )
        ]
        # Leftmost, then longest, never overlapping within a group: what one regex
        # alternation per group would find.
        found.sort(key=lambda hit: (hit[0], -hit[1]))
        position: dict[str, int] = {}
        for start, end, key in found:
            labels = self._labels[key]
            groups = [self._group(label) if self._group else "" for label in labels]
            free = [start >= position.get(group, 0) for group in groups]
            for label, group, ok in zip(labels, groups, free, strict=True):
                if ok:
                    position[group] = end
                    yield CueHit(label, self._said_as.get(key, key), start, end)


_SENTENCE_STARTS = re.compile(r"(?:^|[.!?]['\")\]]*)\s+['\"(\[]*$|^['\"(\[]*$")
# What an act done by the user takes next: its object, led by an article, a possessive or a
# count, or a pronoun or a name's "'s" ("Photographed an old collar", "Filmed the pond",
# "Recorded my uncle", "Filmed two laps", "Filmed myself dancing", "Filmed Grandma's hands").
# Not "Recorded in 1962, …" nor "Recorded audio came out", where the word describes.
_OBJECT_LEADS = re.compile(
    r"\s+(?:a|an|the|my|our|his|her|their|your|this|that|these|those|some|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|a few|several|every|each|all|about|around|\d+|"
    r"it|him|me|myself|us|ourselves|them|both|dozens|lots|last|[^\W\d_]+'s)(?![\w'])"
)


def _subject_left_out(text: str, key: str, start: int) -> bool:
    """Whether an act found without its subject ("photographed") starts a sentence and goes
    on to its object ("Photographed an old collar"; not "Photographed documents are …")."""
    return (
        _SENTENCE_STARTS.search(text, max(0, start - 8), start) is not None
        and _OBJECT_LEADS.match(text, start + len(key)) is not None
    )


# The words of one speaker and what a group of speakers says instead (`CueMatcher`).
# The endings British and American English spell apart, each way: "-ise"/"-ize" (verbs and
# their forms; a word of four letters or fewer before it is left, "rise", "size"), "-our"/
# "-or" ("colour"), "-tre"/"-ter" ("centre", "metre").
_SPELLINGS = (
    (re.compile(r"\b([a-z]{3,})is(e|ed|es|ing|ation|ations)\b"), r"\1iz\2"),
    (re.compile(r"\b([a-z]{3,})iz(e|ed|es|ing|ation|ations)\b"), r"\1is\2"),
    (re.compile(r"\b(col|hum|fav|beh|flav|harb|arm|hon|lab|neighb|vap|rum)our"), r"\1or"),
    (re.compile(r"\b(col|hum|fav|beh|flav|harb|arm|hon|lab|neighb|vap|rum)or(?!o)"), r"\1our"),
    (re.compile(r"\b(cen|me|thea|li)tre(s?)\b"), r"\1ter\2"),
    (re.compile(r"\b(cen|me|thea|li)ter(s?)\b"), r"\1tre\2"),
)


def _other_spelling(key: str) -> str:
    """`key` as the other side of the Atlantic spells it (`_SPELLINGS`, each pair one way or
    the other), or `key` itself."""
    changed = key
    for index in range(0, len(_SPELLINGS), 2):
        british, american = _SPELLINGS[index], _SPELLINGS[index + 1]
        swapped = british[0].sub(british[1], changed)
        changed = swapped if swapped != changed else american[0].sub(american[1], changed)
    return changed


_PLURAL_PERSON = {
    "i was": "we were", "i am": "we are", "i": "we", "my": "our", "me": "us",
    "myself": "ourselves", "mine": "ours", "i've": "we've", "i'm": "we're", "i'd": "we'd",
    "i'll": "we'll",
}  # fmt: skip
_FIRST_PERSON = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(re.escape(w) for w in sorted(_PLURAL_PERSON, key=len, reverse=True))
    + r")(?![\w'])"
)

# German articles and possessives, by their stem, and the endings of their cases.
_GERMAN_LEAD = re.compile(
    r"^(?:(?P<stem>ein|mein|dein|sein|ihr|unser|kein)(?:e|en|em|er|es)?|(?P<the>der|die|das|den|dem))"
    r"\s(?=\S)"
)
_DECLENSION = ("", "e", "en", "em", "er", "es")
_DEFINITE_FORMS = ("er", "ie", "as", "en", "em")

_ARTICLE = re.compile(
    r"(?:a|an|the|my|our|un|una|une|ein|eine|einen|einem|einer|eines|der|die|das|den|dem|"
    r"mein|meine|meinen|meinem|meiner)\s"
)

_INFLECTIONS = ("s", "es", "d", "ed", "ing", "er", "ers", "ion", "ions")
_SHORT_WORD = 3


def _other_word(text: str, key: str, start: int) -> bool:
    """Whether a short cue that is a word of its own ends inside a different word: "rig" is
    not in "right". A cue that is no word ("rotat") is a stem and matches any word it starts, and a
    word's own endings keep it ("rigged", "dancer", "rotation")."""
    end = start + len(key)
    if end >= len(text) or not text[end].isalpha() or not key.isalpha():
        return False  # a phrase ("zoom in" in "zoom into") or a code is not checked
    stop = end
    while stop < len(text) and text[stop].isalpha():
        stop += 1
    ending = text[end:stop]
    if ending in _INFLECTIONS or (key.endswith("e") and "e" + ending in _INFLECTIONS):
        return False
    if ending[:1] == key[-1] and ending[1:] in _INFLECTIONS:  # "rigging", "mapped"
        return False
    # Only a short word is checked: a longer one mostly starts words made from it ("sync" in
    # "synchronization", "voice" in "voiceover"), a short one mostly words that are not.
    if len(key) > _SHORT_WORD or not english_words.plain(key):
        return False
    if not english_words.at_least(key, 3.0):
        return False  # a stem, or a word too rare to be mistaken for another
    return english_words.at_least(key + ending, 2.0)


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _leads_compound(text: str, key: str, end: int) -> bool:
    """Whether a cue of one kanji starts a longer word written in kanji, in Japanese text: a
    Japanese compound is the kind of thing its last character names, so 歌 ("song") is the
    thing in 鼻歌 but not in 歌舞伎 (kabuki), and 声 ("voice") is the thing in 音声 and 歌声.
    Chinese, written in hanzi alone, runs one word into the next: there it says nothing."""
    if not (len(key) == 1 and _is_han(key) and end < len(text) and _is_han(text[end])):
        return False
    return _KANA.search(text) is not None


_KANA = re.compile(r"[\u3040-\u30ff]")


def _number_goes_on(text: str, key: str, end: int) -> bool:
    """Whether a cue that ends in a digit stops inside a longer number or code: "360" (a
    full turn) is not in "360p" (a resolution) nor "1080" in "10800"."""
    if not key[-1].isdigit():
        return False
    after = text[end : end + 1]
    return bool(after) and _in_latin_word(after)


_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "vs.", "fig.", "eq.", "cf.", "approx.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[A-Z0-9\"'(\[“])")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) of `text`, so evidence can point at its exact place."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start : match.start()].rstrip()
        if candidate.lower().endswith(_ABBREVIATIONS):
            continue
        spans.append((start, start + len(candidate)))
        start = match.end()
    tail = text[start:].rstrip()
    if tail.strip():
        spans.append((start, start + len(tail)))
    # Drop leading whitespace inside each span so text[span] is the sentence itself.
    cleaned = []
    for begin, end in spans:
        while begin < end and text[begin].isspace():
            begin += 1
        if begin < end:
            cleaned.append((begin, end))
    return cleaned


# --- Links -------------------------------------------------------------------------------
#
# Link-like text is found by one pass over the whitespace-separated runs of a text, each run
# judged on its own: no regular expression with nested quantifiers runs over the whole text,
# so the cost is linear in its length whatever it holds (a 20 KB run of "a.a.a." included).

# Schemes that make a run a link even without "//" (mailto:, javascript:, data:…), and the
# defanged spellings people use to slip a link past a filter.
_SCHEMES = frozenset(
    """http https ftp ftps sftp file mailto javascript vbscript data ws wss hxxp hxxps
    git ssh irc magnet tel sms blob about chrome view-source intent market""".split()
)
_SCHEME_HEAD = re.compile(r"([a-z][a-z0-9+.-]{0,20}):")
_EDGE_PUNCTUATION = "\"'`([{<>)]}*_~.,;:!?|"
# "evil[.]com", "evil(dot)com", "evil {.} com": put the dot back before judging the host.
_DEFANGED_DOT = re.compile(r"\s?(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|<dot>)\s?", re.I)
_SPOKEN_DOT = re.compile(
    r"(?<=[a-z0-9])\s+(?:dot|\.)\s+(?=(?:com|net|org|io|ai|dev|app|co|de|ru|cn|xyz|info|me|ly|"
    r"sh|to|gg|uk|us|click|link|site|online|top|zip)\b)",
    re.I,
)
# A run of text a link may be: up to a space, or up to a dash or a CJK mark that ends a word
# ("example.com—see there", "evil.com、then"), which a linkifier stops at too.
_RUN = re.compile(r"[^\s—–、。，；（）「」『』【】〈〉《》]+")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$")


def _undefang(text: str) -> str:
    if "dot" in text.lower() or " ." in text or any(c in text for c in "[({<"):
        text = _DEFANGED_DOT.sub(".", text)
        text = _SPOKEN_DOT.sub(".", text)
    return text


def _host_like(word: str) -> bool:
    """Whether `word` (a run without spaces) names a host: labels joined by dots, the last
    one alphabetic (any top-level domain, not a fixed list), or an IPv4 address."""
    host = word
    for stop in "/?#\\":
        cut = host.find(stop)
        if cut >= 0:
            host = host[:cut]
    host = host.rsplit("@", 1)[-1]
    if _IPV4.match(host.strip(_EDGE_PUNCTUATION)):
        return True
    host = host.split(":", 1)[0].strip(_EDGE_PUNCTUATION)
    labels = host.split(".")
    if len(labels) < 2:
        return False
    tld = labels[-1]
    if len(tld) < 2 or not tld.isalpha():
        return False
    return all(label and all(c.isalnum() or c == "-" for c in label) for label in labels[:-1])


_LINK_MARKS = frozenset(".:/\\@")


def _link_like(word: str) -> bool:
    """Whether one whitespace-free run of text is, or holds, a link of any form."""
    if _LINK_MARKS.isdisjoint(word):
        return False  # most words: no dot, colon, slash or at-sign, so no link
    lowered = word.lower()
    if "://" in lowered or ":\\\\" in lowered or ":/" in lowered:
        return True
    stripped = lowered.lstrip(_EDGE_PUNCTUATION)
    if stripped.startswith(("//", "\\\\", "www.")) and len(stripped) > 2:
        return stripped[2:3].isalnum() or stripped.startswith("www.")
    for match in _SCHEME_HEAD.finditer(stripped[:40]):
        if match.group(1) in _SCHEMES and match.end() < len(stripped):
            return True
    # A Markdown link or image target: "[text](target)".
    target = lowered.find("](")
    if target >= 0:
        return True
    return any(_host_like(part) for part in re.split(r"[()\[\]<>\"'`]", lowered) if part)


def link_spans(text: str, *, names: Collection[str] = ()) -> list[tuple[int, int]]:
    """(start, end) of every link-like run of `text`: URLs with any scheme, protocol-relative
    `//host`, bare domains with any top-level domain, IPv4 addresses, `www.` names, and the
    defanged forms (`hxxps://`, `evil[.]com`). Linear in the length of the text.

    `names` (from `dotted_names`) are provided names that only look like domains
    ("pyannote.audio"): a run that is one of them, word for word, is that name, not a link."""
    spans = _link_spans(text)
    if names:
        spans = [(a, b) for a, b in spans if _bare(text[a:b]) not in names]
    return spans


def dotted_names(named: Iterable[tuple[str, Sequence[str]]]) -> frozenset[str]:
    """Of each (name, its own links), the words of the name that read as a bare domain but are
    the project's own name as its repository spells it, lowercased: "pyannote.audio" of
    github.com/pyannote/pyannote-audio. Written by code from a provided source, they are that
    name, not links (`link_spans`). A name no link of its own bears out ("bit.ly", "evil.com")
    stays a link, as do words with a scheme, a path, an at-sign or "www."."""
    found = set()
    for name, links in named:
        own = {squash(_last_segment(link)) for link in links} - {""}
        for word in name.split():
            word = clean_url(word)
            if (
                _link_like(word)
                and not any(mark in word for mark in ("/", ":", "@", "\\"))
                and not word.lower().startswith("www.")
                and not _IPV4.match(word)
                and squash(word) in own
            ):
                found.add(word.lower())
    return frozenset(found)


def _last_segment(link: str) -> str:
    """The last segment of a link's path ("pyannote-audio" of …/pyannote/pyannote-audio)."""
    path = link.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    head, _, last = path.rpartition("/")
    return last if head and not head.endswith(":/") else ""


def _bare(run: str) -> str:
    """A link-like run as a name would stand in prose: without the punctuation around it or a
    possessive "'s"."""
    cleaned = clean_url(run).lower()
    for possessive in ("'s", "’s"):
        if cleaned.endswith(possessive):
            cleaned = cleaned[: -len(possessive)]
    return cleaned


def _compatible(run: str) -> str:
    """A run with its look-alike characters folded (NFKC: "evil．com" is "evil.com"), and the
    division slash read as the slash it stands for ("evil.com∕setup")."""
    if run.isascii():
        return run
    return unicodedata.normalize("NFKC", run).replace("∕", "/").replace("⁄", "/")


def _link_spans(text: str) -> list[tuple[int, int]]:
    undefanged = _undefang(text)
    if undefanged != text:
        # Defanged dots change offsets; report the runs of the original text that hold one.
        found = []
        for match in _RUN.finditer(text):
            if _link_like(_undefang(_compatible(match.group(0)))):
                found.append((match.start(), match.end()))
        if found or not _SPOKEN_DOT.search(text):
            return found
        return [(0, len(text))]  # "evil dot com" spans words: the whole text is suspect
    spans = []
    for m in _RUN.finditer(text):
        run = m.group(0)
        if not _link_like(_compatible(run)):
            continue
        cut = _words_before_the_scheme(run)
        if cut and _link_like(run[:cut]):
            spans.append((m.start(), m.start() + cut))  # a link before the words, too
        spans.append((m.start() + cut, m.end()))
    return spans


# How far back from "://" a scheme's name may reach ("git+ssh", "chrome-extension").
_LONGEST_SCHEME = 32


def _words_before_the_scheme(run: str) -> int:
    """How much of a link-like run comes before its link: Japanese, Chinese and Korean are
    written without spaces, so "…を勧め、https://x.example/dl" is one run, and only the link
    from its scheme on is the link (a run of Latin letters before a scheme stays part of it:
    "xhttps://…" is no safer for its prefix). A bounded look back from the first "://"."""
    if run.isascii():
        return 0
    at = run.find("://")
    if at <= 0:
        return 0
    start = at
    floor = max(0, at - _LONGEST_SCHEME)
    while start > floor and (
        run[start - 1].isascii() and (run[start - 1].isalnum() or run[start - 1] in "+.-")
    ):
        start -= 1
    while start < at and not run[start].isalpha():
        start += 1  # a scheme starts with a letter
    return start if start and not run[:start].isascii() else 0


_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def collapse_spaced(text: str, *, split_digits: bool = False) -> str:
    """`text` with spaced-out runs joined: "p w n e d" → "pwned", "h t t p s : / /" → "https://".

    A run is three or more single characters, each followed by one space: how a word or a
    link is spelt out to slip past a check. Linear in the length of the text. A run may end
    in a digit of the sentence around it ("e v i l . c o m 5 frames"): with `split_digits`,
    a run is also cut where letters meet digits, so "evil.com" is seen either way.
    """
    words = text.split(" ")
    if len(words) < 3:
        return text
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            if len(run) < 3:
                out.append(" ".join(run))
            elif split_digits:
                out.append(_LETTER_DIGIT.sub(" ", "".join(run)))
            else:
                out.append("".join(run))
            run.clear()

    for word in words:
        if len(word) == 1:
            run.append(word)
        else:
            flush()
            out.append(word)
    flush()
    return " ".join(out)


def has_link(text: str, *, names: Collection[str] = ()) -> bool:
    """Whether `text` holds anything link-like (see `link_spans`)."""
    return bool(link_spans(text, names=names))


def find_urls(text: str, *, names: Collection[str] = ()) -> list[str]:
    """Every link-like string in `text`, without the punctuation around it (`names`: see
    `link_spans`)."""
    return [clean_url(text[a:b]) for a, b in link_spans(text, names=names)]


# A quoted run: what the user typed into a generator ("I typed 'a foggy pier, shallow depth
# of field'") or a caption they read. A straight quote opens only after a non-word character,
# so an apostrophe ("don't") never opens one. Each alternative stops at its closing mark or
# the end of the line and excludes its opening mark, so a scan never passes the next quote:
# linear in the text. (An apostrophe between two Latin letters inside it, "'a Rubik's cube
# solving itself'", "‘a Rubik’s cube …’", is a word's and does not close it; one before a
# Korean or Japanese word, "'…노을로'라고", closes it. One before a space, a decade ("'70s")
# or eliding a word's start ("'cause") opens nothing.)
# (a Korean or Japanese word may follow the closing mark with no space, "'…'이라고": a
# Hangul syllable, kana or CJK ideograph there still closes the quote, where a Latin letter
# after it is an apostrophe's: "don't")
_QUOTED = re.compile(
    r"(?<!\w)'(?!\s|\d\ds\b|(?:cause|em|n|til|bout|round)\b)"
    r"(?:[^'\n]|(?<=[a-zA-Z\u00c0-\u024f])'(?=[a-zA-Z\u00c0-\u024f]))+'"
    r"(?![^\W\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3])"
    r"|\"[^\"\n]+\"|“[^”\n]+”"
    r"|‘(?:[^’\n]|(?<=[a-zA-Z\u00c0-\u024f])’(?=[a-zA-Z\u00c0-\u024f]))+’"
    r"|「[^」\n]+」|『[^』\n]+』"
    r"|«[^»\n]+»|„[^“\n]+“|‚[^‘\n]+‘|‹[^›\n]+›"
)
_MIN_QUOTED_WORDS = 3
_MIN_QUOTED_CHARS = 6  # for scripts written without spaces
_QUESTION_MARKS = ("?", "？", "¿")


def quoted_passages(text: str) -> list[str]:
    """The passages `mask_quoted` would mask (three words or more, or a long run of a script
    written without spaces), without their quotation marks, in order."""
    found = []
    for match in _QUOTED.finditer(text):
        inner = match.group(0)[1:-1]
        if len(inner.split()) >= _MIN_QUOTED_WORDS or (
            " " not in inner.strip() and len(inner) >= _MIN_QUOTED_CHARS and not inner.isascii()
        ):
            found.append(inner)
    return found


def mask_quoted(text: str, replacement: str = " … ", *, asked: str | None = None) -> str:
    """`text` with quoted passages of three words or more replaced: a prompt the user quotes
    describes the picture they asked for ("a heron, shallow depth of field"), not what they
    did, so its words must not read as the task.

    A quoted passage that ends in a question mark is a question the user put to the model
    ("I asked it 'when did the truck arrive?'"), not words it was to make something from: it
    is replaced by `asked` where that is given."""

    def masked(match: re.Match[str]) -> str:
        inner = match.group(0)[1:-1]
        long = len(inner.split()) >= _MIN_QUOTED_WORDS or (
            " " not in inner.strip() and len(inner) >= _MIN_QUOTED_CHARS and not inner.isascii()
        )
        if not long:
            return match.group(0)
        if asked is not None and inner.rstrip().endswith(_QUESTION_MARKS):
            return asked
        return replacement

    return _QUOTED.sub(masked, text)


@cache
def _idioms() -> re.Pattern[str] | None:
    from scholarflow import data_files

    phrases = data_files.load_toml("scholarflow.lexicon", "idioms.toml").get("phrases", [])
    if not phrases:
        return None
    ordered = sorted({normalize(p) for p in phrases}, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in ordered), re.IGNORECASE)


@cache
def _method_noun_start() -> re.Pattern[str]:
    from scholarflow import data_files

    nouns = data_files.load_toml("scholarflow.lexicon", "idioms.toml").get("method_nouns", [])
    ordered = sorted({normalize(n) for n in nouns}, key=len, reverse=True)
    body = "|".join(re.escape(n) for n in ordered) or "(?!)"
    return re.compile(rf"[ -](?:latent |generative )?(?:{body})(?!\w)")


def names_a_method(text: str, end: int) -> bool:
    """Whether the words from `end` on are a method noun ("… video diffusion priors"): the
    thing named just before is then a modifier of the method."""
    return bool(_method_noun_start().match(text, end))


def mask_idioms(text: str, replacement: str = " … ") -> str:
    """`text` with the idioms of lexicon/idioms.toml replaced: "shallow depth of field"
    describes a look, and must not read as a depth map."""
    pattern = _idioms()
    return pattern.sub(replacement, text) if pattern else text


@cache
def _beliefs() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    from scholarflow import data_files

    data = data_files.load_toml("scholarflow.lexicon", "beliefs.toml")

    def words(key: str) -> re.Pattern[str]:
        ordered = sorted({normalize(p) for p in data[key]}, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")

    return words("openers"), words("contrasts"), words("shortfalls"), words("wishes")


def mask_corrected_beliefs(text: str) -> str:
    """`text` (normalized) with each belief the user corrects later in the same sentence
    blanked, offsets kept: "I thought I needed an 'upscaler', but it put new frames between
    mine" names what did not happen before it says what did (lexicon/beliefs.toml). One
    forward scan: each opener looks for the first contrast word after it."""
    openers, contrasts, _, _ = _beliefs()
    text = _mask_shortfalls(text)
    found = list(openers.finditer(text))
    if not found:
        return text
    # each list found in one pass, then looked up by bisection: linear in the text
    ends = [m.start() for m in _CLAUSE_STOP.finditer(text)]
    turns = [m.start() for m in contrasts.finditer(text)]
    pieces, last = [], 0
    for opener in found:
        if opener.start() < last:
            continue
        end = bisect.bisect_left(ends, opener.end())
        stop = ends[end] if end < len(ends) else len(text)
        turn = bisect.bisect_left(turns, opener.end())
        if turn == len(turns) or turns[turn] >= stop:
            continue
        pieces.append(text[last : opener.end()])
        pieces.append(" " * (turns[turn] - opener.end()))
        last = turns[turn]
    pieces.append(text[last:])
    return "".join(pieces)


def _mask_shortfalls(text: str) -> str:
    """`text` with what a tool gave that fell short blanked to the end of its sentence, when
    the user then says what they want ("it only gave me a mask … I want the clip with the
    shadow gone"): the shortfall is not the task. One pass for each list."""
    _, _, shortfalls, wishes = _beliefs()
    found = list(shortfalls.finditer(text))
    if not found:
        return text
    last_wish = max((m.start() for m in wishes.finditer(text)), default=-1)
    ends = [m.start() for m in _CLAUSE_STOP.finditer(text)]
    pieces, last = [], 0
    for opener in found:
        if opener.start() < last or last_wish < opener.end():
            continue
        end = bisect.bisect_left(ends, opener.end())
        stop = ends[end] if end < len(ends) else len(text)
        if last_wish < stop:
            continue  # the wish is in the same sentence: "it only gave me what I wanted"
        pieces.append(text[last : opener.end()])
        pieces.append(" " * (stop - opener.end()))
        last = stop
    pieces.append(text[last:])
    return "".join(pieces)


# where a corrected belief must have found its correction: the end of its sentence
_CLAUSE_STOP = re.compile(r"[.!?。！？](?:\s|$)|[。！？]")


@cache
def _similes() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    from scholarflow import data_files

    data = data_files.load_toml("scholarflow.lexicon", "similes.toml")

    def alternation(phrases: list[str]) -> str:
        ordered = sorted({normalize(p) for p in phrases}, key=len, reverse=True)
        return "|".join(re.escape(p) for p in ordered)

    then = alternation(data["like_then"])
    before = re.compile(
        rf"(?<!\w)(?:(?:{alternation(data['openers'])})(?!\w)[^.,;:!?。、，]*$"
        rf"|like\s[^.,;:!?。、，]*$)"
    )
    # (not a thing its sentence is about, marked so right after it: in "水泳大会の動画は体育館
    # みたいな光で", the light is compared with a gym's, not the video)
    after = re.compile(
        rf"^(?![{data['topic_particles']}])[^.,;:!?。、，]{{0,12}}?(?:{alternation(data['after'])})"
    )
    return before, re.compile(rf"(?<!\w)(?:{then})(?!\w)"), after


_SIMILE_LOOKBACK = 40
_SIMILE_LOOKAHEAD = 24


def compared(text: str, start: int, end: int) -> bool:
    """Whether the thing at text[start:end] (normalized) is named in a comparison, in its own
    clause (lexicon/similes.toml): "as if a whole camera rig had been there", "looks like a
    painting", "まるで何台ものカメラで撮ったみたいに". Bounded windows: linear in the text."""
    before, like_then, after = _similes()
    window = text[max(0, start - _SIMILE_LOOKBACK) : start]
    found = before.search(window)
    if found is not None:
        if not found.group(0).startswith("like"):
            return True
        # a bare "like" is mostly a wish ("I'd like a video"): a comparison only when a
        # counterfactual perfect follows in the same clause ("like a rig had been there")
        rest = re.split(r"[.,;:!?。、，]", text[end : end + _SIMILE_LOOKAHEAD], maxsplit=1)[0]
        return like_then.search(rest) is not None
    return after.match(text[end : end + _SIMILE_LOOKAHEAD]) is not None


def replace_links(text: str, replacement: str, *, names: Collection[str] = ()) -> str:
    """`text` with every link-like run replaced (how a question is echoed back); `names`: see
    `link_spans`."""
    spans = link_spans(text, names=names)
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(replacement)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def clean_url(url: str) -> str:
    """A link without the Markdown or sentence punctuation around it."""
    url = url.strip()
    if url.startswith("<") and url.endswith(">"):
        url = url[1:-1]
    url = url.lstrip("\"'`([{<*_~")
    while url and url[-1] in ".,;:!?*_~\"'`>":
        url = url[:-1]
    # A closing bracket belongs to the link only when the link opened one.
    for opening, closing in ("()", "[]", "{}"):
        while url.endswith(closing) and url.count(opening) < url.count(closing):
            url = url[:-1]
    return url


# A scheme at the start of a link ("javascript:", "data:", "file:"). Not one when digits
# follow the colon: "example.org:8080/x" is a host and a port.
_LEADING_SCHEME = re.compile(r"(?i)^\s*([a-z][a-z0-9+.-]*):(?!\d)")
WEB_SCHEMES = frozenset({"http", "https"})


def foreign_scheme(link: str) -> str | None:
    """The scheme `link` starts with if it is not http or https (lower case), else None.

    Why one function for every way a source arrives (JSON requests, prompts): a link field
    is rendered as a link, and a `javascript:` or `data:` one would run in a reader's browser,
    a `file:` one read their disk. None also when there is no scheme at all ("github.com/x"),
    which callers complete with https://.
    """
    match = _LEADING_SCHEME.match(link)
    if match is None:
        return None
    scheme = match.group(1).lower()
    return None if scheme in WEB_SCHEMES else scheme


def canonical_url(url: str) -> str:
    """The form two links are compared in: no scheme, no 'www.', no trailing slash, lower host."""
    url = clean_url(url.strip())
    url = re.sub(r"(?i)^(?:https?://|ftp://)", "", url)
    url = re.sub(r"(?i)^www\.", "", url)
    host, _, path = url.partition("/")
    return (host.lower() + ("/" + path if path else "")).rstrip("/")


# Two words of the same length share letters by chance ("dreaming", "frame_in" score 0.62),
# so a candidate cut to the typed length must match more closely than a whole one.
PREFIX_CUTOFF = 0.8


def near_misses(
    wanted: str, candidates: Iterable[str], limit: int = 3, cutoff: float = 0.6
) -> list[str]:
    """The candidates a shortened or mistyped `wanted` most likely meant, best first.

    For "did you mean" lines. Candidates that start with it come first, shortest first
    ("depthc" is "depthcrafter" before "depthcrafter-v2-3f2a9c"); then close spellings by
    difflib's ratio, each candidate compared whole and cut to the typed length, so that a typo
    in a prefix ("video_depht") finds "video_depth_estimation" rather than whatever is
    closest as a whole word ("video_to_4d"). Case is ignored.
    """
    typed = wanted.strip().lower()
    if not typed or limit <= 0:
        return []
    pool = list(dict.fromkeys(candidates))
    prefixed = sorted((c for c in pool if c.lower().startswith(typed)), key=lambda c: (len(c), c))
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(typed)  # difflib caches what it learns about the second sequence
    scored: list[tuple[float, str]] = []
    taken = set(prefixed)
    for candidate in pool:
        if candidate in taken:
            continue
        lowered = candidate.lower()
        best = 0.0
        for form, needed in ((lowered, cutoff), (lowered[: len(typed)], PREFIX_CUTOFF)):
            matcher.set_seq1(form)
            # The two quick upper bounds skip most candidates before the costly ratio.
            if matcher.real_quick_ratio() >= needed and matcher.quick_ratio() >= needed:
                ratio = matcher.ratio()
                if ratio >= needed:
                    best = max(best, ratio)
        if best:
            scored.append((best, candidate))
    close = [c for _, c in heapq.nlargest(limit, scored, key=lambda pair: pair[0])]
    return (prefixed + close)[:limit]


# A TeX accent as BibTeX exports leave it in abstracts: Pl\"ucker, {\'e}, \^{o}, \c{c}.
_TEX_ACCENT = re.compile(r"\{?\\(?:[\"'`^~=.]|[cuvHk](?=\{))\{?[A-Za-z]\}?\}?")


def decode_tex_accents(text: str) -> str:
    """Accented letters written in TeX ("Pl\\"ucker") as the letters themselves ("Plücker").

    Only the accent escapes are touched, one match at a time (a whole-text conversion would
    also drop every brace of ordinary text). Each is its letter with Unicode's combining mark,
    composed: a table of twelve accents written here rather than bibtexparser's, whose import
    (pyparsing with it) cost 55 ms of a 1.0 s cold answer whenever a summary held a backslash."""
    if "\\" not in text:
        return text

    def composed(match: re.Match[str]) -> str:
        escape = match.group(0).replace("{", "").replace("}", "")
        mark = _TEX_MARKS.get(escape[1])
        letter = escape[-1]
        return unicodedata.normalize("NFC", letter + mark) if mark else match.group(0)

    return _TEX_ACCENT.sub(composed, text)


_TEX_MARKS = {
    '"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "c": "\u0327", "u": "\u0306", "v": "\u030c", "H": "\u030b", "k": "\u0328",
}  # fmt: skip


@cache
def _model_talk() -> tuple[
    re.Pattern[str],
    re.Pattern[str],
    frozenset[str],
    frozenset[str],
    re.Pattern[str],
    tuple[str, ...],
    re.Pattern[str],
]:
    from scholarflow import data_files

    data = data_files.load_toml("scholarflow.lexicon", "model_talk.toml")

    def words(key: str) -> re.Pattern[str]:
        ordered = sorted({normalize(p) for p in data[key]}, key=len, reverse=True)
        return re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)", re.IGNORECASE
        )

    resumes = sorted({p.lower() for p in data["resumes"]}, key=len, reverse=True)
    return (
        words("subjects"),
        words("namers"),
        frozenset(normalize(w) for w in data["adverbs"]),
        frozenset(normalize(w) for w in data["past"]),
        re.compile("|".join(re.escape(p) for p in resumes), re.IGNORECASE),
        tuple(normalize(e) for e in data.get("past_endings", ["ed"])),
        words("instead"),
    )


_WORD = re.compile(r"[\w'-]+")
_NOT_PAST = frozenset({"need", "feed", "seed", "speed", "embed", "proceed", "exceed"})


def model_descriptions(text: str) -> list[tuple[int, int]]:
    """Spans of `text` in which the user says what the recommended model does or needs, in
    the present ("the recommended model makes 4D content from a single video", "the tool I
    was pointed to is a depth model", "I was pointed to a depth model"), not what it did for
    them ("the model below made a nice clip": their result), unless they say it did so
    "instead" of what they asked. Each span runs from the words
    after the subject to the end of the sentence, or to where the user speaks of themselves
    again (lexicon/model_talk.toml). Case-insensitive, so it works on the question as asked
    and on its normalized form alike. One forward scan, with each list found in one pass."""
    subjects, namers, adverbs, past, resumes, past_endings, instead = _model_talk()
    found = sorted(
        [(m.end(), "subject") for m in subjects.finditer(text)]
        + [(m.end(), "namer") for m in namers.finditer(text)]
    )
    if not found:
        return []
    ends = [m.start() for m in _CLAUSE_STOP.finditer(text)]
    backs = [m.start() for m in resumes.finditer(text)]
    spans: list[tuple[int, int]] = []
    last = 0
    for start, kind in found:
        if start < last:
            continue
        stop = ends[i] if (i := bisect.bisect_left(ends, start)) < len(ends) else len(text)
        back = bisect.bisect_left(backs, start)
        if back < len(backs) and backs[back] < stop:
            stop = backs[back]
        words = [w.group(0).lower() for w in _WORD.finditer(text, start, stop)]
        verb = next((w for w in words if w not in adverbs), "")
        if not verb:
            continue
        if kind == "subject":
            told_in_past = verb in past or (
                verb.endswith(past_endings) and len(verb) > 4 and verb not in _NOT_PAST
            )
            if told_in_past:
                # (what follows "instead of" is what the user asked for: not the model's work)
                otherwise = instead.search(text, start, stop)
                if otherwise is None:
                    continue
                stop = otherwise.end()
        elif verb not in {"a", "an", "some", "one"}:
            continue  # "I was pointed to this model": it names no kind of model
        spans.append((start, stop))
        last = stop
    return spans


def mask_model_descriptions(text: str) -> str:
    """`text` with what the user says the recommended model does blanked, offsets kept
    (`model_descriptions`)."""
    spans = model_descriptions(text)
    if not spans:
        return text
    pieces, last = [], 0
    for start, stop in spans:
        pieces.extend((text[last:start], " " * (stop - start)))
        last = stop
    pieces.append(text[last:])
    return "".join(pieces)
