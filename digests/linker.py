"""The mention linker: finds every registered name in HTML and links it to its entity's page.

Pure Python plus pyahocorasick; no Django. A `Linker` is built once for the whole registry and
is read-only afterwards (safe to share between threads). `Linker.link()` makes one pass of two
Aho-Corasick automata over the text of the whole document, so its cost grows with the length of
the text and the number of matches, not with the size of the registry.

Guarantees of `Linker.link()`:

- Only text nodes are scanned. Tags, attributes, comments, character references outside
  names, and everything inside `<a>`, `<code>`, `<pre>`, `<kbd>`, `<samp>`, `<script>`,
  `<style>`, `<textarea>`, `<title>`, `<button>`, `<select>`, `<svg>`, `<math>` and
  `<template>` are copied byte for byte and are not reported: the output differs from the
  input only by inserted `<a class="mention" href="…">` and `</a>`. Names inside existing
  links are therefore neither linked nor counted, and running `link()` on its own output
  changes nothing.
- A name matches on Unicode word boundaries: the characters just before and after it are not
  word characters (`str.isalnum()` or "_", the same as `re`'s `\\w`). "NAM" never matches in
  "NAMe", "Lukashenko" never in "Lukashenkos", "Лукашенко" never in "Лукашенкоўскі".
  Apostrophes are not word characters, so "Lukashenko’s" links "Lukashenko" and leaves "’s"
  outside the link. Markup is a boundary too ("<b>NAM</b>s" links "NAM").
- Each space in a name matches any run of whitespace in the text (spaces, NBSP written as a
  character or as `&nbsp;`, line breaks). ’ ‘ ʼ ` ´ ′ ＇ and ' are interchangeable, and so are
  "-" and the Unicode hyphens and dashes U+2010–U+2015 and U+2212 ("Workers’" = "Workers'",
  "Anti–Crisis" = "Anti-Crisis").
- Diacritics are folded on both sides, one character for one so offsets stay on the original
  text: a lower-case Latin letter whose NFKD form is one ASCII letter plus combining marks
  becomes that letter, and ł ø đ ħ ı ŧ ð ŀ become l o d h i t d l ("Blazek" = "Blažek",
  "Walesa" = "Wałęsa"); Cyrillic ё is е. Other letters keep their identity (й is not и, ў is
  not у, ß and æ stay). No other Unicode normalisation is applied.
- An alias made only of capitals and digits (an acronym: "NAM", "ICC", "G7") matches in
  exactly that case; any other alias matches whatever the case (`str.lower()`, character by
  character, so offsets never shift).
- Character references are decoded before matching; the link wraps the original source, so a
  name written `Pavel&nbsp;Latushka` is linked as `…>Pavel&nbsp;Latushka</a>`.
- A name never matches across a tag ("Pavel <em>Latushka</em>" is not a match).
- Links never nest. Among overlapping matches the leftmost wins, and of those starting at the
  same place the longest, across all entities. A match lying entirely inside a winning match
  (the person in "Office of Sviatlana Tsikhanouskaya", "Council of Europe" inside the Congress's
  full name) is recorded as an occurrence of its entity but not linked. A match that overlaps
  a winner without lying inside it is discarded: it is neither linked nor recorded. An entity
  counts at most once per winning match ("Alexander Lukashenko" is one occurrence, not two).
- Suppressed entities are treated as if they had no names: their text stays plain, they are
  not reported, and other names (longer, shorter or overlapping) match as if they were absent.
- An entity with `autolink=False` (a sensitive person) is never linked or reported, but its
  names still take their place in the longest-match contest: nothing inside or overlapping a
  sensitive name is linked in its stead (names contained in it are still recorded).
- A one-word alias whose case-folded form is in `STOPWORDS` is ignored unless staff added it.
- When two entities share a spelling (the registry forbids it), the first alias given wins.
- Each reported entity gets its number of occurrences and a snippet: the sentence around its
  first occurrence as plain text (tags dropped, references decoded, runs of ordinary
  whitespace collapsed to one space, NBSP kept), at most `SNIPPET_LENGTH` characters, cut with
  "…" around the name when longer. Sentences end at block boundaries (paragraphs, list items,
  headings, `<br>`, …) and at ".", "!", "?" or "…" (with any closing quotes) followed by
  whitespace and a capital letter or an opening quote, except after `ABBREVIATIONS`, single
  capital initials ("J.") and dotted forms ("U.S.").
- `LinkResult.hits` lists the reported entities in the order of their first occurrence.

Beyond the registered forms (each rule applies only where no registered name covers the text,
and never to a word inside a longer registered name):

- **Other romanisations** (with `spelling_key`, e.g. `people.spelling.romanisation_key`): a run
  of capitalised words whose key equals the key of exactly one registered name of as many words
  links to that entity ("Maria Kolesnikova" → Maryia Kalesnikava). Only names of two words or
  more, or single-word names of six letters or more; a single word never at a sentence start.
  A key shared by two entities links to neither.
- **Surnames in context** (only when `link()` is given a `Reading`): a capitalised word whose
  key is the surname (last word) of a person's registered name of two words or more links to
  that person when (1) the person was named in full earlier in the reading (the same text or
  an earlier text of the digest, `Reading.seen`), (2) no other person with that surname is
  named in full in the digest (`Reading.named`; sensitive people count, and keep the surname
  from linking), and (3) the word is not in `COMMON_WORDS` ("May", "Will", "Brown", …) and is
  written with a capital — unless it follows a title in `TITLES` ("Mr.", "President", …),
  which makes even a common word a name ("Ms. May"). The title itself is not linked.
  "Mr. Smith" with no Smith named in full stays plain. Suppressed people are not candidates.
- A person counts as named in full by any match of two words or more (registered or another
  romanisation), also inside a longer name ("Office of Sviatlana Tsikhanouskaya").
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

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
    so far and the current text). `link()` adds to `seen`."""

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


class _Document:
    """The text of an HTML fragment as one string (`text`), with a map back to the source.

    Text nodes are decoded and joined with INLINE/BLOCK separators standing for the markup
    between them. `linkable` lists the ranges of `text` that may be scanned for names.
    """

    def __init__(self, source: str):
        self.source = source
        pieces: list[str] = []
        self.starts: list[int] = []  # text offset of each text node
        self.origins: list[int] = []  # source offset of each text node
        self.refs: list[tuple[list[int], list[int], list[int]] | None] = []
        self.linkable: list[tuple[int, int]] = []
        length = 0
        depth: dict[str, int] = {}
        ignored = 0
        position = text_start = 0
        size = len(source)
        while position < size:
            lt = source.find("<", position)
            if lt == -1:
                break
            tag = _MARKUP.match(source, lt)
            if tag is None:
                position = lt + 1
                continue
            if lt > text_start:
                length = self._add_text(pieces, length, text_start, lt, ignored == 0)
            position = text_start = tag.end()
            name = (tag.group(2) or "").lower()
            closing = bool(tag.group(1))
            pieces.append(BLOCK if name in _BLOCKS else INLINE)
            length += 1
            if not name or name in _VOID:
                continue
            if name in _RAW_TEXT and not closing:
                end = re.compile(rf"</{re.escape(name)}[\s/>]", re.I).search(source, position)
                position = text_start = end.start() if end else size
                continue
            if name in _IGNORED:
                if closing:
                    if depth.get(name):
                        depth[name] -= 1
                        ignored -= 1
                else:
                    depth[name] = depth.get(name, 0) + 1
                    ignored += 1
        if text_start < size:
            self._add_text(pieces, length, text_start, size, ignored == 0)
        self.text = "".join(pieces)

    def _add_text(self, pieces: list[str], length: int, start: int, end: int, linkable: bool):
        raw = self.source[start:end]
        refs = None
        if "&" in raw:
            decoded, refs = self._decode(raw, start)
        else:
            decoded = raw
        self.starts.append(length)
        self.origins.append(start)
        self.refs.append(refs)
        pieces.append(decoded)
        if linkable:
            self.linkable.append((length, length + len(decoded)))
        return length + len(decoded)

    @staticmethod
    def _decode(raw: str, origin: int) -> tuple[str, tuple[list[int], list[int], list[int]]]:
        """`html.unescape(raw)`, and for each piece its decoded offset, source offset and
        source length (-1 for literal text, where offsets map one to one)."""
        pieces: list[str] = []
        at: list[int] = []
        src: list[int] = []
        src_len: list[int] = []
        length = last = 0
        for ref in _CHARREF.finditer(raw):
            text = ref.group(0)
            decoded = htmllib.unescape(text)
            if decoded == text:
                continue
            if ref.start() > last:
                at.append(length)
                src.append(origin + last)
                src_len.append(-1)
                pieces.append(raw[last : ref.start()])
                length += ref.start() - last
            at.append(length)
            src.append(origin + ref.start())
            src_len.append(len(text))
            pieces.append(decoded)
            length += len(decoded)
            last = ref.end()
        if last < len(raw):
            at.append(length)
            src.append(origin + last)
            src_len.append(-1)
            pieces.append(raw[last:])
        return "".join(pieces), (at, src, src_len)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source range of text[start:end] (which lies within one text node)."""
        node = bisect_right(self.starts, start) - 1
        base, origin, refs = self.starts[node], self.origins[node], self.refs[node]
        if refs is None:
            return origin + start - base, origin + end - base
        at, src, src_len = refs
        i = bisect_right(at, start - base) - 1
        j = bisect_right(at, end - 1 - base) - 1
        source_start = src[i] + (start - base - at[i] if src_len[i] < 0 else 0)
        if src_len[j] < 0:
            source_end = src[j] + end - base - at[j]
        else:
            source_end = src[j] + src_len[j]
        return source_start, source_end


class Linker:
    """Links a registry of names; built once, then `link()` is linear in the text."""

    def __init__(
        self, aliases: Iterable[Alias], *, spelling_key: Callable[[str], str] | None = None
    ):
        entities: dict[Hashable, _Entity] = {}
        names = []
        surnames: dict[str, dict[Hashable, _Entity]] = {}
        spellings: dict[str, dict[Hashable, _Entity]] = {}
        key_of = spelling_key or _fold_name
        for alias in aliases:
            text = " ".join(alias.text.split())
            if not text:
                continue
            if " " not in text and text.casefold() in STOPWORDS and not alias.staff_added:
                continue
            entity = entities.get(alias.key)
            if entity is None:
                entity = entities[alias.key] = _Entity(
                    alias.key,
                    f'<a class="mention" href="{htmllib.escape(alias.url)}">',
                    alias.autolink,
                    alias.person,
                )
            names.append((text, entity))
            words = text.split(" ")
            if alias.person and len(words) > 1 and _could_be_surname(words[-1]):
                surnames.setdefault(key_of(words[-1]), {})[entity.key] = entity
            if (
                spelling_key
                and not _is_acronym(text)
                and (len(words) > 1 or len(text) >= 6)
                and all(_CAPITALISED.fullmatch(word) for word in words)
            ):
                key = " ".join(spelling_key(word) for word in words)
                spellings.setdefault(key, {})[entity.key] = entity
        self._matcher = _Matcher(names)
        self.size = self._matcher.size
        self._key_of = key_of
        self._word_keys: dict[str, str] = {}
        self._surnames = {k: tuple(v.values()) for k, v in surnames.items()}
        # Other romanisations: only keys that belong to exactly one entity, found from the key
        # of their first word.
        self._spellings = {k: v.popitem()[1] for k, v in spellings.items() if len(v) == 1}
        self._first_words: dict[str, list[int]] = {}
        for key in self._spellings:
            sizes = self._first_words.setdefault(key.split(" ")[0], [])
            if len(key.split(" ")) not in sizes:
                sizes.append(len(key.split(" ")))

    def _word_key(self, word: str) -> str:
        """The spelling key of one word, remembered (names repeat from text to text)."""
        key = self._word_keys.get(word)
        if key is None:
            if len(self._word_keys) > 100_000:
                self._word_keys.clear()
            key = self._word_keys[word] = self._key_of(word)
        return key

    def _registered(self, text: str, suppressed) -> dict[tuple[int, int], _Entity]:
        found: dict[tuple[int, int], _Entity] = {}
        for start, end, entities in self._matcher.scan(text):
            for entity in entities:
                if entity.key not in suppressed:
                    found.setdefault((start, end), entity)
                    break
        return found

    def _unregistered(
        self, document: _Document, found: dict, suppressed, reading: Reading | None
    ) -> dict[tuple[int, int], _Entity | _Surname]:
        """Other spellings of registered names, and surnames that may link in context, in
        capitalised words of linkable text that no registered name covers."""
        if not self._spellings and (reading is None or not self._surnames):
            return {}
        text = document.text
        taken = sorted(found)
        covered: list[tuple[int, int]] = []  # the registered matches, merged
        for start, end in taken:
            if covered and start < covered[-1][1]:
                covered[-1] = (covered[-1][0], max(end, covered[-1][1]))
            else:
                covered.append((start, end))
        extra: dict[tuple[int, int], _Entity | _Surname] = {}
        for low, high in document.linkable:
            # Words a registered name covers can be part of no other match: skip them early.
            words = []
            for m in _CAPITALISED.finditer(text, low, high):
                start, end = m.span()
                while covered and covered[0][1] <= start:
                    covered.pop(0)
                if not covered or covered[0][0] >= end:
                    words.append((start, end, self._word_key(m.group())))
            for index, (start, end, key) in enumerate(words):
                for size in self._first_words.get(key, ()):
                    last = index + size - 1
                    if last >= len(words) or any(
                        not _SPACE_ONLY.fullmatch(text, words[i][1], words[i + 1][0])
                        for i in range(index, last)
                    ):
                        continue
                    span = (start, words[last][1])
                    window = " ".join(w[2] for w in words[index : last + 1])
                    entity = self._spellings.get(window)
                    if (
                        entity is not None
                        and entity.key not in suppressed
                        and not _overlaps(taken, span)
                        and (size > 1 or _may_be_name(text, start, end))
                    ):
                        extra[span] = entity
                if reading is None or (start, end) in extra:
                    continue
                candidates = self._surnames.get(key)
                if not candidates or _overlaps(taken, (start, end)):
                    continue
                titled = _after_title(text, start)
                if not titled and _is_common(text[start:end]):
                    continue
                candidates = tuple(c for c in candidates if c.key not in suppressed)
                if candidates:
                    extra[(start, end)] = _Surname(candidates, titled)
        # A spelling inside another one (a surname inside a full name) is not a match.
        winners: dict = {}
        last_end = -1
        for span in sorted(extra, key=lambda m: (m[0], -m[1])):
            if span[0] >= last_end:
                winners[span] = extra[span]
                last_end = span[1]
        return winners

    def link(
        self,
        html: str,
        *,
        suppressed: Collection[Hashable] = (),
        reading: Reading | None = None,
    ) -> LinkResult:
        """Link every name in `html`; see the module docstring for the rules. With `reading`,
        surnames alone may link (and `reading.seen` grows)."""
        if not html or not self.size:
            return LinkResult(html or "", {})
        suppressed = suppressed if isinstance(suppressed, set | frozenset) else set(suppressed)
        document = _Document(html)
        text = document.text
        found: dict[tuple[int, int], _Entity | _Surname] = self._registered(text, suppressed)
        found.update(self._unregistered(document, found, suppressed, reading))
        if not found:
            return LinkResult(html, {})
        linkable = document.linkable
        linkable_starts = [a for a, _ in linkable]
        winners: list[tuple[int, int, _Entity | _Surname, list[tuple[int, int, _Entity]]]] = []
        last_end = -1
        for (start, end), entity in sorted(found.items(), key=lambda m: (m[0][0], -m[0][1])):
            node = bisect_right(linkable_starts, start) - 1
            if node < 0 or end > linkable[node][1]:
                continue
            if start >= last_end:
                winners.append((start, end, entity, []))
                last_end = end
            elif end <= last_end and isinstance(entity, _Entity):
                winners[-1][3].append((start, end, entity))

        seen = set(reading.seen) if reading is not None else set()
        named = None
        if reading is not None:
            named = reading.named
            if named is None:
                named = seen | _full_names(text, winners)

        hits: dict[Hashable, Hit] = {}
        first: dict[Hashable, tuple[int, int]] = {}
        out: list[str] = []
        position = 0
        for start, end, entity, inner in winners:
            if isinstance(entity, _Surname):
                entity = _resolve(entity, seen, named)
                if entity is None:
                    continue
            elif reading is not None and _HAS_SPACE.search(text, start, end):
                seen.update(e.key for _, _, e in [(start, end, entity), *inner] if e.person)
            counted = set()
            for s, e, named_entity in [(start, end, entity), *inner]:
                if not named_entity.autolink or named_entity.key in counted:
                    continue
                counted.add(named_entity.key)
                hit = hits.get(named_entity.key)
                if hit is None:
                    hits[named_entity.key] = Hit(named_entity.key, 1, "")
                    first[named_entity.key] = (s, e)
                else:
                    hit.occurrences += 1
            if entity.autolink:
                source_start, source_end = document.source_span(start, end)
                out.append(html[position:source_start])
                out.append(entity.opening)
                out.append(html[source_start:source_end])
                out.append("</a>")
                position = source_end
        out.append(html[position:])
        if reading is not None:
            reading.seen |= seen
        if not hits and position == 0:
            return LinkResult(html, {})

        sentences = _Sentences(text)
        for key, hit in hits.items():
            hit.snippet = sentences.snippet(*first[key])
        return LinkResult("".join(out), hits)

    def persons_named(self, html: str, *, suppressed: Collection[Hashable] = ()) -> set:
        """Keys of the persons named in full (a name of two words or more, registered or
        another romanisation of one) in `html`: what `Reading.named` collects for a digest."""
        if not html or not self.size:
            return set()
        document = _Document(html)
        found = self._registered(document.text, suppressed)
        found.update(self._unregistered(document, found, suppressed, None))
        winners = [(s, e, entity, []) for (s, e), entity in found.items()]
        return _full_names(document.text, winners)

    def find_keys(self, text: str) -> set[Hashable]:
        """Keys of the linkable entities (autolink=True) with a name anywhere in plain `text`,
        including names inside longer names. Given `html.unescape(html)`, the result contains
        every entity `link(html)` can report without a `Reading`."""
        if not text:
            return set()
        keys = {
            entity.key
            for _, _, entities in self._matcher.scan(text)
            for entity in entities
            if entity.autolink
        }
        if self._spellings:
            document = _Document(htmllib.escape(text, quote=False))
            found = self._registered(document.text, ())
            keys.update(
                entity.key
                for entity in self._unregistered(document, found, (), None).values()
                if entity.autolink
            )
        return keys


_HAS_SPACE = re.compile(r"\s")
_SPACE_ONLY = re.compile(r"[^\S\n]+")
_UPPER = "".join(
    chr(c)
    for c in [*range(0x41, 0x250), *range(0x370, 0x530), *range(0x1E00, 0x1F00)]
    if chr(c).isupper()
)
_CAPITALISED = re.compile(rf"(?<![\w'’ʼ-])[{re.escape(_UPPER)}][^\W\d_]+(?![\w-])")

TITLES = frozenset(
    """
    mr mrs ms miss dr prof sir madam president minister premier chancellor ambassador senator
    mayor judge commissioner secretary chairman chairwoman chair general colonel captain
    lieutenant sergeant father rev bishop archbishop deputy mp mep pan pani spadar spadarynia
    """.split()
)

# Capitalised English words that are also surnames: alone, without a title, never a name.
COMMON_WORDS = STOPWORDS | frozenset(
    """
    may will brown white black green gray grey young king long short rose price hope bell page
    hill wood woods stone bush cook baker miller smith taylor walker hall rich strong sharp
    little love wise frost snow rain cross fox wolf bird lamb hunter fisher mason porter
    carter turner parker cooper ward north south west east winter summer day night dawn
    field fields lane street church house castle bridge ford banks marsh moss well wells
    mills bishop knight noble sweet gay fair gold silver steel iron law lord prince pope
    march june july august april sunday monday golden grand major
    """.split()
)


def _could_be_surname(word: str) -> bool:
    return len(word) >= 3 and word[0].isupper() and not _is_acronym(word) and word.isalpha()


def _may_be_name(text: str, start: int, end: int) -> bool:
    """A single capitalised word that is not a common word and does not start a sentence."""
    return not (_is_common(text[start:end]) or _sentence_initial(text, start))


def _is_common(word: str) -> bool:
    return word.casefold() in COMMON_WORDS


def _overlaps(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    start, end = span
    index = bisect_right(spans, (end, -1))
    return any(s < end and e > start for s, e in spans[max(0, index - 64) : index])


def _previous_word(text: str, start: int) -> tuple[str, int]:
    """The word before text[start] (skipping spaces, markup and a dot) and where it starts."""
    i = start
    while i > 0 and (text[i - 1].isspace() or text[i - 1] == INLINE):
        i -= 1
    if i > 0 and text[i - 1] == ".":
        i -= 1
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return text[j:i], j


def _after_title(text: str, start: int) -> bool:
    word, _ = _previous_word(text, start)
    return word.casefold() in TITLES


def _sentence_initial(text: str, start: int) -> bool:
    """Whether text[start] begins a sentence (or a block, or follows a colon)."""
    i = start
    while i > 0 and (text[i - 1].isspace() or text[i - 1] in _OPENERS or text[i - 1] == INLINE):
        i -= 1
    if i == 0 or text[i - 1] in f"{BLOCK}!?…:;":
        return True
    while i > 0 and text[i - 1] in "\"'”’»)]":
        i -= 1
    if i == 0 or text[i - 1] != ".":
        return False
    word, _ = _previous_word(text, i)
    return not (word.casefold() in ABBREVIATIONS or (len(word) == 1 and word.isupper()))


def _full_names(text: str, winners) -> set:
    """Persons named by a name of more than one word among `winners` (and inside them)."""
    keys = set()
    for start, end, entity, inner in winners:
        for s, e, named in [(start, end, entity), *inner]:
            if isinstance(named, _Entity) and named.person and _HAS_SPACE.search(text, s, e):
                keys.add(named.key)
    return keys


def _resolve(surname: _Surname, seen: set, named: frozenset | set) -> _Entity | None:
    """The one person a surname alone can mean here: named in full earlier in the reading,
    and no other person sharing the surname named in it."""
    candidates = [c for c in surname.candidates if c.key in named]
    if len(candidates) != 1 or candidates[0].key not in seen:
        return None
    return candidates[0]


@lru_cache(maxsize=64)
def _name_matcher(names: tuple[str, ...]) -> _Matcher:
    entity = _Entity(None, "", True)
    return _Matcher((name, entity) for name in names)


def names_in(text: str, names: Iterable[str]) -> bool:
    """Whether any of `names` occurs in plain `text` under the linker's matching rules
    (boundaries, whitespace, apostrophes, case, acronyms; stopwords are not filtered).
    Given `html.unescape(html)`, it is True whenever `link(html)` could match one of them."""
    if not text:
        return False
    matcher = _name_matcher(tuple(names))
    return next(matcher.scan(text), None) is not None


class _Sentences:
    """Sentence boundaries of a document text, computed per block on demand."""

    def __init__(self, text: str):
        self.text = text
        self._blocks: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}

    def _block(self, position: int) -> tuple[int, int, list[tuple[int, int]]]:
        text = self.text
        left = text.rfind(BLOCK, 0, position) + 1
        cached = self._blocks.get(left)
        if cached is not None:
            return cached
        right = text.find(BLOCK, position)
        right = len(text) if right == -1 else right
        ends = []  # (end of a sentence, start of the next)
        for match in _SENTENCE_END.finditer(text, left, right):
            if self._ends_sentence(match, right):
                ends.append((match.end(1), match.end()))
        self._blocks[left] = block = (left, right, ends)
        return block

    def _ends_sentence(self, match: re.Match, right: int) -> bool:
        text = self.text
        following = match.end()
        while following < right and text[following] == INLINE:
            following += 1
        if following >= right:
            return False
        char = text[following]
        if char not in _OPENERS and not char.isupper():
            return False
        if not match.group(1).startswith(".") or match.group(1).startswith(".."):
            return True
        stop = match.start()
        begin = stop
        while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] == "."):
            begin -= 1
        word = text[begin:stop]
        return not (
            word.lower() in ABBREVIATIONS or "." in word or (len(word) == 1 and word.isupper())
        )

    def snippet(self, start: int, end: int) -> str:
        """The sentence around text[start:end] as plain text, trimmed around the name."""
        left, right, ends = self._block(start)
        sentence_start, sentence_end = left, right
        for stop, following in ends:
            if following <= start:
                sentence_start = following
            elif stop > end:
                sentence_end = stop
                break
        text = self.text
        before = _plain(text[sentence_start:start]).lstrip()
        name = _plain(text[start:end])
        after = _plain(text[end:sentence_end]).rstrip()
        return _trim(before, name, after, SNIPPET_LENGTH)


def _plain(text: str) -> str:
    return _SNIPPET_SPACE.sub(" ", text.replace(INLINE, ""))


def _trim(before: str, name: str, after: str, limit: int) -> str:
    """before + name + after in at most `limit` characters, cutting at spaces, with "…" where
    text was cut; the name is kept whole unless it alone is longer than the limit."""
    if len(before) + len(name) + len(after) <= limit:
        return before + name + after
    room = limit - len(name)
    if room < 2:
        return name[: limit - 1] + "…"
    if len(before) + 1 <= room:
        return before + name + _cut_right(after, room - len(before) - 1) + "…"
    if len(after) + 1 <= room:
        return "…" + _cut_left(before, room - len(after) - 1) + name + after
    left_room = (room - 2) // 2
    return "…" + _cut_left(before, left_room) + name + _cut_right(after, room - 2 - left_room) + "…"


def _cut_right(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    cut = text[:size]
    if not text[size].isspace():
        space = cut.rfind(" ")
        if space >= 0:
            cut = cut[:space]
    return cut.rstrip()


def _cut_left(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    cut = text[len(text) - size :] if size else ""
    if size and not text[len(text) - size - 1].isspace():
        space = cut.find(" ")
        if space >= 0:
            cut = cut[space + 1 :]
    return cut.lstrip()
