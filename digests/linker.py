"""The mention linker: finds every registered name in HTML and links it to its entity's page.

Guarantees:
- Only text is scanned; tags, attributes, comments and the content of <a>, <code>, <pre>,
  <script>, <style> and <textarea> are copied byte for byte. The output differs from the
  input only by the inserted `<a class="mention" href="…">` and `</a>`.
- A name matches on Unicode word boundaries (letters, digits and "_" are word characters), so
  "NAM" never matches inside "NAMe" and "Лукашенко" not inside "Лукашенкоўскі". Apostrophes
  are not word characters: "Lukashenko’s" links "Lukashenko".
- Any whitespace inside a name (a space, a non-breaking space written as a character or as
  `&nbsp;`, a line break) matches any single whitespace character in the text.
- An alias of only capitals and digits (an acronym: "NAM", "ICC") matches in exactly that
  case; every other alias matches whatever the case.
- Longest match wins across all entities; a name inside a longer matched name is recorded as
  mentioned (counted) but not linked, so links never nest. Of two overlapping matches that do
  not contain each other, the one starting first wins and the other is not recorded.
- A name never matches across a tag ("Pavel <em>Latushka</em>" is not a match).
- Suppressed entities and entities with `autolink=False` are neither linked nor reported; a
  longer name of another entity still wins over them.
- A one-word alias that is a common word (`STOPWORDS`) is ignored unless staff added it.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass

import ahocorasick

STOPWORDS = frozenset(
    """
    ree top bottom page comments comment home news digest menu search share print next previous
    back more read close open login logout subscribe contact about privacy cookies skip content
    main title image photo video link links source credit caption section item items article
    the a an and or but of in on at to for by with from as is are was were be been will may
    might can could should would must shall do does did not no yes all any some this that these
    those it its he she they we you i me my our your their his her them us who what when where
    why how which one two three new old big small good bad great best first last long short
    high low mark rose hope grace faith joy may june april august march will bill frank
    victor victoria justice president minister head deputy office council court union party
    center centre state city people
    """.split()
)

_SKIP_CONTENT = frozenset({"a", "code", "pre", "script", "style", "textarea"})
_BLOCK = frozenset(
    {
        "p", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div",
        "figure", "figcaption", "table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
        "section", "article", "header", "footer", "hr",
    }
)  # fmt: skip
_TOKEN = re.compile(r"<!--.*?-->|<![^>]*>|<\?.*?>|</?([A-Za-z][A-Za-z0-9-]*)[^>]*>", re.S)
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st gen col lt sgt rev sr jr vs etc no nos fig u.s u.k e.g i.e".split()
)
SNIPPET_LENGTH = 240

# Boundary markers in the searchable document. Both are non-word, non-space characters, so a
# name can never match across them; INLINE disappears from snippets, BLOCK ends a sentence.
INLINE, BLOCK = "\x01", "\x02"


@dataclass(frozen=True)
class Alias:
    text: str
    key: Hashable
    url: str
    staff_added: bool = True
    autolink: bool = True


@dataclass
class Hit:
    key: Hashable
    occurrences: int
    snippet: str


@dataclass
class LinkResult:
    html: str
    hits: dict[Hashable, Hit]


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    if char in "’‘`´":
        return "'"
    lower = char.lower()
    return lower if len(lower) == 1 else char


_FOLD_TABLE = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_SPACE_RE = re.compile(r"\s")


def fold(text: str) -> str:
    """Case-folded text of the same length: offsets in it are offsets in `text`."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer (e.g. "İ")
        return "".join(_fold_char(c) for c in text)
    return _SPACE_RE.sub(" ", lowered.translate(_FOLD_TABLE))


def _spaces(text: str) -> str:
    """Whitespace of any kind as plain spaces, same length."""
    return _SPACE_RE.sub(" ", text)


def _is_acronym(text: str) -> bool:
    return " " not in text and any(c.isalpha() for c in text) and text == text.upper()


@dataclass
class _Match:
    start: int
    end: int
    key: Hashable
    url: str


class _Document:
    """The text of an HTML fragment as one string, with a map back to the source."""

    def __init__(self, source: str):
        self.source = source
        chars: list[str] = []
        spans: list[tuple[int, int]] = []
        self.frozen: list[tuple[int, int]] = []  # text that is shown but never linked
        skip: list[str] = []
        position = 0
        for token in _TOKEN.finditer(source):
            before = len(chars)
            self._text(source, position, token.start(), chars, spans)
            if skip and len(chars) > before:
                self.frozen.append((before, len(chars)))
            position = token.end()
            name = (token.group(1) or "").lower()
            closing = token.group(0).startswith("</")
            if skip:
                if closing and name == skip[-1]:
                    skip.pop()
                elif not closing and name == skip[-1] and not token.group(0).endswith("/>"):
                    skip.append(name)
                marker = INLINE
            elif name in _SKIP_CONTENT and not closing and not token.group(0).endswith("/>"):
                skip.append(name)
                marker = INLINE
            else:
                marker = BLOCK if name in _BLOCK else INLINE
            chars.append(marker)
            spans.append((token.start(), token.start()))
        before = len(chars)
        self._text(source, position, len(source), chars, spans)
        if skip and len(chars) > before:
            self.frozen.append((before, len(chars)))
        self.text = "".join(chars)
        self.spans = spans

    @staticmethod
    def _text(source, start, end, chars, spans):
        position = start
        for ref in _CHARREF.finditer(source, start, end):
            chars.extend(source[position : ref.start()])
            spans.extend(
                zip(range(position, ref.start()), range(position + 1, ref.start() + 1), strict=True)
            )
            decoded = htmllib.unescape(ref.group(0))
            if decoded == ref.group(0):  # not a known reference: plain text
                decoded_spans = [
                    (ref.start() + k, ref.start() + k + 1) for k in range(len(decoded))
                ]
            else:
                decoded_spans = [(ref.start(), ref.end())] * len(decoded)
            chars.extend(decoded)
            spans.extend(decoded_spans)
            position = ref.end()
        chars.extend(source[position:end])
        spans.extend(zip(range(position, end), range(position + 1, end + 1), strict=True))


class Linker:
    """Compiled once for a registry of aliases; `link()` is then linear in the text."""

    def __init__(self, aliases: Iterable[Alias]):
        self._folded = ahocorasick.Automaton()
        self._exact = ahocorasick.Automaton()
        self.size = 0
        for alias in aliases:
            if not alias.autolink:
                continue
            text = " ".join(alias.text.split())
            if not text:
                continue
            if " " not in text and text.casefold() in STOPWORDS and not alias.staff_added:
                continue
            if _is_acronym(text):
                pattern, automaton = _spaces(text), self._exact
            else:
                pattern, automaton = fold(text), self._folded
            automaton.add_word(pattern, (len(pattern), alias.key, alias.url))
            self.size += 1
        for automaton in (self._folded, self._exact):
            if len(automaton):
                automaton.make_automaton()

    def _matches(self, text: str) -> list[_Match]:
        found = []
        searches = ((self._folded, fold(text)), (self._exact, _spaces(text)))
        for automaton, haystack in searches:
            if not len(automaton):
                continue
            for end, (length, key, url) in automaton.iter(haystack):
                start = end - length + 1
                if start > 0 and _is_word(text[start - 1]):
                    continue
                if end + 1 < len(text) and _is_word(text[end + 1]):
                    continue
                found.append(_Match(start, end + 1, key, url))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return found

    def _select(self, matches: list[_Match], suppressed: Collection[Hashable]):
        """Leftmost-longest links, and the matches nested inside them."""
        links: list[_Match] = []
        nested: list[_Match] = []
        for match in matches:
            if match.key in suppressed:
                continue
            if links and match.start < links[-1].end:
                outer = links[-1]
                if match.end <= outer.end and match.key != outer.key:
                    nested.append(match)
                continue
            links.append(match)
        return links, nested

    def link(self, html: str, *, suppressed: Collection[Hashable] = ()) -> LinkResult:
        if not html or (not len(self._folded) and not len(self._exact)):
            return LinkResult(html or "", {})
        document = _Document(html)
        frozen = document.frozen
        matches = [
            m for m in self._matches(document.text)
            if not any(a <= m.start < b for a, b in frozen)
        ]  # fmt: skip
        links, nested = self._select(matches, set(suppressed))
        hits: dict[Hashable, Hit] = {}
        for match in sorted(links + nested, key=lambda m: m.start):
            hit = hits.get(match.key)
            if hit is None:
                hits[match.key] = Hit(match.key, 1, snippet(document.text, match.start, match.end))
            else:
                hit.occurrences += 1
        out, position = [], 0
        for match in links:
            start = document.spans[match.start][0]
            end = document.spans[match.end - 1][1]
            out.append(html[position:start])
            out.append(f'<a class="mention" href="{htmllib.escape(match.url)}">')
            out.append(html[start:end])
            out.append("</a>")
            position = end
        out.append(html[position:])
        return LinkResult("".join(out), hits)

    def find_keys(self, text: str) -> set[Hashable]:
        """Entities whose names occur in plain `text`."""
        return {m.key for m in self._matches(text or "")}


def names_in(text: str, names: Iterable[str]) -> bool:
    """Whether any of `names` occurs in plain `text` on word boundaries (same rules)."""
    linker = Linker(Alias(name, name, "") for name in names)
    return bool(linker.find_keys(text))


_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\x01]*\s+")


def _ends_sentence(text: str, match: re.Match) -> bool:
    """A full stop followed by a capital (after any quote or tag) that ends no abbreviation."""
    following = text[match.end() : match.end() + 4].lstrip(INLINE + '"“«‘(')
    if not following or not following[0].isupper():
        return False
    word = re.search(r"([\w.]+)\.$", text[: match.start() + 1])
    return not (word and word.group(1).lower() in _ABBREVIATIONS)


def snippet(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end], as plain text, at most SNIPPET_LENGTH long."""
    left = max(text.rfind(BLOCK, 0, start) + 1, 0)
    right = text.find(BLOCK, end)
    right = len(text) if right == -1 else right
    block = text[left:right]
    sentence_start, sentence_end = 0, len(block)
    for m in _SENTENCE_END.finditer(block):
        if not _ends_sentence(block, m):
            continue
        if m.end() <= start - left:
            sentence_start = m.end()
        elif m.start() >= end - left:
            sentence_end = m.start() + len(m.group(0).rstrip())
            break
    sentence = block[sentence_start:sentence_end]
    name_at = start - left - sentence_start
    name_len = end - start
    cleaned, offset_name = [], None
    for i, char in enumerate(sentence):
        if i == name_at:
            offset_name = len(cleaned)
        if char in (INLINE, BLOCK):
            continue
        cleaned.append(char)
    result = re.sub(r"[ \t\r\n]+", " ", "".join(cleaned))
    lead = len("".join(cleaned)) - len("".join(cleaned).lstrip())
    result = result.strip()
    if len(result) <= SNIPPET_LENGTH:
        return result
    name_pos = max((offset_name or 0) - lead, 0)
    half = (SNIPPET_LENGTH - name_len) // 2
    cut_start = max(0, min(name_pos - half, len(result) - SNIPPET_LENGTH))
    cut = result[cut_start : cut_start + SNIPPET_LENGTH]
    return (
        ("…" if cut_start > 0 else "")
        + cut.strip()
        + ("…" if cut_start + SNIPPET_LENGTH < len(result) else "")
    )
