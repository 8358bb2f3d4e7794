"""The linker's view of text: words, boundaries, diacritics folded one character for one,
and the Aho-Corasick matcher over folded names."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field

import ahocorasick

SNIPPET_LENGTH = 240

STOPWORDS = frozenset(
    """
    ree top bottom page comments comment home news digest menu search share print next previous
    back more read close open login logout subscribe contact about privacy cookies skip content
    main title image photo video link links source credit caption section item items article
    post posts blog follow like reply the a an and or but of in on at to for by with from as is
    are was were be been will may might can could should would must shall do does did not no
    yes all any some this that these those it its he she they we you i me my our your their his
    her them us who what when where why how which one two three new old big small good bad
    great best first last long short high low free mark rose hope grace faith joy bill frank
    june april august march victor victoria justice president minister head deputy office
    council court union party center centre state city people day year today world media press
    group team voice spring summer winter truth power change future
    """.split()
)

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st gen col lt sgt capt gov sen rep rev hon jr sr vs no nos fig vol dept
    inc ltd co corp approx jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)

_IGNORED = frozenset(
    {
        "a", "code", "pre", "kbd", "samp", "script", "style", "textarea", "title", "button",
        "select", "svg", "math", "template",
    }
)  # fmt: skip
_RAW_TEXT = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext"}
)
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
    }
)  # fmt: skip
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip

# Separators written into the searchable document in place of markup: neither word characters
# nor whitespace, so no name can match across them. INLINE vanishes from snippets; BLOCK ends a
# sentence.
INLINE, BLOCK = "\x00", "\x01"

_MARKUP = re.compile(
    r"""<(?:
        !--.*?(?:-->|\Z)
      | [!?][^>]*(?:>|\Z)
      | /(?![A-Za-z])[^>]*(?:>|\Z)
      | (/?)([A-Za-z][^\s/>]*)((?:[^>"']|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*)(?:>|\Z)
    )""",
    re.S | re.X,
)
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_SPOT_CHAR = {
    **dict.fromkeys("’‘ʼ`´′＇", "'"),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
}
_SPOT = re.compile(
    "["
    + "".join(chr(c) for c in range(0x3001) if chr(c).isspace() and c != 0x20)
    + "".join(_SPOT_CHAR)
    + "]"
)
_SPACE_RUN = re.compile(" {2,}")
_SENTENCE_END = re.compile(r"([.!?…]+[\"'”’»)\]\x00]*)[\s\x00]+")
_OPENERS = frozenset("\"'“‘„«([")
_SNIPPET_SPACE = re.compile(r"[^\S\u00a0]{2,}|[^\S \u00a0]")


def _diacritics_table() -> dict[int, str]:
    """Lower-case Latin letters with diacritics → the plain letter (one character for one,
    so offsets never shift), and Cyrillic ё → е. Other scripts' letters keep their identity
    (й is not и, ў is not у)."""
    table = {ord(c): b for c, b in zip("łøđħıŧðŀ", "lodhitdl", strict=True)}
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        if not char.islower():
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if len(base) == 1 and base.isascii() and base.isalpha() and base != char:
            table[code] = base
    table[ord("ё")] = "е"
    return table


_DIACRITICS = _diacritics_table()


@dataclass(frozen=True)
class Alias:
    text: str
    key: Hashable
    url: str
    staff_added: bool = True
    autolink: bool = True
    person: bool = False  # a person's name: its last word is a surname (see `Reading`)


@dataclass
class Reading:
    """What a reader has read so far in one digest, carried from text to text in reading
    order (lead, then each section title and its items). `seen`: persons named in full so
    far; `named`: persons named in full anywhere in the digest (None: only what has been read
    so far and the current text). Both hold the keys of linkable registered persons and
    `Namesake`s (other people named in full). `link()` adds to `seen`."""

    seen: set = field(default_factory=set)
    named: frozenset | None = None


@dataclass
class Hit:
    key: Hashable
    occurrences: int
    snippet: str


@dataclass
class LinkResult:
    html: str
    hits: dict[Hashable, Hit]


@dataclass(frozen=True, slots=True)
class _Entity:
    key: Hashable
    opening: str  # the link's start tag
    autolink: bool
    person: bool = False


@dataclass(frozen=True, slots=True)
class _Surname:
    """A word that may be the surname of one of `candidates`: decided in reading order."""

    candidates: tuple[_Entity, ...]
    titled: bool  # after a title ("Mr.", "President")
    key: str = ""  # the surname's spelling key


@dataclass(frozen=True, slots=True)
class Namesake:
    """Someone named in full whom the registry does not link (unregistered, or a sensitive
    person, who is treated exactly as if unregistered): a first name `first` (its spelling
    key) right before a word whose spelling key `surname` is a registered person's surname.
    While one is named in a digest, that surname alone links to nobody there."""

    surname: str
    first: str


def _fold(text: str) -> tuple[str, list[int], list[int]]:
    """Searchable form of `text` and a map back to it.

    Whitespace runs become one space, apostrophes "'", hyphens "-", letters lower case (each
    character on its own, keeping it when its lower case is longer). Returns the folded text
    and breakpoints: folded index `f` comes from `text` index `orig[i] + f - folded[i]` where
    `i` is the last breakpoint with `folded[i] <= f`.
    """
    if _SPOT.search(text):
        text = _SPOT.sub(_spot_replacement, text)
    folded_at, orig_at = [0], [0]
    if "  " in text:
        pieces: list[str] = []
        last = length = 0
        for run in _SPACE_RUN.finditer(text):
            start, end = run.span()
            pieces.append(text[last : start + 1])
            length += start + 1 - last
            folded_at.append(length)
            orig_at.append(end)
            last = end
        pieces.append(text[last:])
        text = "".join(pieces)
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if "ς" in lowered:
        lowered = lowered.replace("ς", "σ")
    if not lowered.isascii():
        lowered = lowered.translate(_DIACRITICS)
    return lowered, folded_at, orig_at


def _spot_replacement(match: re.Match) -> str:
    return _SPOT_CHAR.get(match.group(), " ")


def _fold_name(text: str) -> str:
    return _fold(" ".join(text.split()))[0]


def _is_acronym(text: str) -> bool:
    return all(c.isupper() or c.isdigit() for c in text) and any(c.isalpha() for c in text)


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not _is_word(text[start - 1])) and (
        end == len(text) or not _is_word(text[end])
    )


class _Matcher:
    """Two automata: folded names over folded text, acronyms over the text as written."""

    def __init__(self, names: Iterable[tuple[str, _Entity]]):
        folded: dict[str, list[_Entity]] = {}
        exact: dict[str, list[_Entity]] = {}
        for text, entity in names:
            text = " ".join(text.split())
            if not text:
                continue
            if _is_acronym(text):
                bucket = exact.setdefault(text, [])
            else:
                bucket = folded.setdefault(_fold_name(text), [])
            if all(e.key != entity.key for e in bucket):
                bucket.append(entity)
        self.size = sum(map(len, folded.values())) + sum(map(len, exact.values()))
        self._folded = self._automaton(folded)
        self._exact = self._automaton(exact)

    @staticmethod
    def _automaton(words: dict[str, list[_Entity]]) -> ahocorasick.Automaton | None:
        if not words:
            return None
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for word, entities in words.items():
            automaton.add_word(word, (len(word), tuple(entities)))
        automaton.make_automaton()
        return automaton

    def scan(self, text: str) -> Iterator[tuple[int, int, tuple[_Entity, ...]]]:
        """Every match on word boundaries as (start, end, entities) in `text` offsets."""
        if self._exact is not None:
            for last, (length, entities) in self._exact.iter(text):
                start = last - length + 1
                if _bounded(text, start, last + 1):
                    yield start, last + 1, entities
        if self._folded is not None:
            folded, folded_at, orig_at = _fold(text)
            shifted = len(folded_at) > 1
            for last, (length, entities) in self._folded.iter(folded):
                start = last - length + 1
                if not _bounded(folded, start, last + 1):
                    continue
                if shifted:
                    i = bisect_right(folded_at, start) - 1
                    j = bisect_right(folded_at, last) - 1
                    yield (
                        orig_at[i] + start - folded_at[i],
                        orig_at[j] + last - folded_at[j] + 1,
                        entities,
                    )
                else:
                    yield start, last + 1, entities
