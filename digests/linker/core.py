"""`Linker`: every registered name found in one pass over an HTML document, the longest
leftmost match linked, each entity reported with its count and a snippet."""

from __future__ import annotations

import html as htmllib
from bisect import bisect_right
from collections.abc import Callable, Collection, Hashable, Iterable

from digests.linker.context import (
    _CAPITALISED,
    _HAS_SPACE,
    _SPACE_ONLY,
    FIRST_NAME_VARIANTS,
    NOT_FIRST_NAMES,
    _after_title,
    _ambiguous,
    _could_be_surname,
    _full_names,
    _is_common,
    _may_be_name,
    _overlaps,
    _resolve,
)
from digests.linker.document import _Document
from digests.linker.snippets import _Sentences
from digests.linker.text import (
    STOPWORDS,
    Alias,
    Hit,
    LinkResult,
    Namesake,
    Reading,
    _Entity,
    _fold_name,
    _is_acronym,
    _Matcher,
    _Surname,
)


class _Excluded:
    """The suppressed keys, and every linkable key not `allowed` (a sensitive name keeps its
    place in the longest-match contest: nothing inside it links in its stead)."""

    __slots__ = ("allowed", "hidden", "suppressed")

    def __init__(self, suppressed, allowed, hidden):
        self.suppressed, self.allowed, self.hidden = suppressed, allowed, hidden

    def __contains__(self, key) -> bool:
        return key in self.suppressed or (key not in self.allowed and key not in self.hidden)


class Linker:
    """Links a registry of names; built once, then `link()` is linear in the text."""

    def __init__(
        self, aliases: Iterable[Alias], *, spelling_key: Callable[[str], str] | None = None
    ):
        entities: dict[Hashable, _Entity] = {}
        names = []
        surnames: dict[str, dict[Hashable, _Entity]] = {}
        given: dict[str, set[str]] = {}  # surname key -> keys of its bearers' other words
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
            # Only linkable people have surnames that link alone; a sensitive person's name
            # counts as an unregistered one (see `_namesakes`).
            if alias.person and alias.autolink and len(words) > 1 and _could_be_surname(words[-1]):
                surnames.setdefault(key_of(words[-1]), {})[entity.key] = entity
                given.setdefault(key_of(words[-1]), set()).update(map(key_of, words[:-1]))
            if (
                spelling_key
                and not _is_acronym(text)
                and (len(words) > 1 or len(text) >= 6)
                and all(_CAPITALISED.fullmatch(word) for word in words)
            ):
                key = " ".join(spelling_key(word) for word in words)
                spellings.setdefault(key, {})[entity.key] = entity
        self._hidden = frozenset(key for key, e in entities.items() if not e.autolink)
        self._matcher = _Matcher(names)
        self.size = self._matcher.size
        self._key_of = key_of
        self._word_keys: dict[str, str] = {}
        self._surnames = {k: tuple(v.values()) for k, v in surnames.items()}
        # A bearer's first name in its other languages' forms is still that bearer.
        variants: dict[str, set[str]] = {}
        for group in FIRST_NAME_VARIANTS:
            keys = {key_of(name) for name in group}
            for key in keys:
                variants.setdefault(key, set()).update(keys)
        self._given = {
            surname: words.union(*(variants.get(word, ()) for word in words))
            for surname, words in given.items()
        }
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
                    extra[(start, end)] = _Surname(candidates, titled, key)
        # A spelling inside another one (a surname inside a full name) is not a match.
        winners: dict = {}
        last_end = -1
        for span in sorted(extra, key=lambda m: (m[0], -m[1])):
            if span[0] >= last_end:
                winners[span] = extra[span]
                last_end = span[1]
        return winners

    def _namesakes(self, document: _Document, found: dict) -> set[Namesake]:
        """Other people named in full with a registered person's surname: a capitalised word
        directly before (spaces only between) a word whose key is that surname, neither of
        them covered by the name of a linkable entity, the first not in `NOT_FIRST_NAMES`,
        not an acronym and not a word of the surname's registered bearers' own names
        ("Later Maria Ivanov" after "Petr Ivanov"). Sensitive people's names are read as if
        they were not registered, so that registering one changes no link."""
        if not self._surnames:
            return set()
        text = document.text
        spans = sorted(span for span, e in found.items() if isinstance(e, _Entity) and e.autolink)
        namesakes: set[Namesake] = set()
        for low, high in document.linkable:
            previous = None
            for m in _CAPITALISED.finditer(text, low, high):
                start, end = m.span()
                if _overlaps(spans, (start, end)):
                    previous = None
                    continue
                word = m.group()
                if previous is not None and _SPACE_ONLY.fullmatch(text, previous[1], start):
                    key = self._word_key(word)
                    first = text[previous[0] : previous[1]]
                    if (
                        key in self._surnames
                        and not _is_acronym(first)
                        and first.casefold() not in NOT_FIRST_NAMES
                        and self._word_key(first) not in self._given[key]
                    ):
                        namesakes.add(Namesake(key, self._word_key(first)))
                previous = (start, end)
        return namesakes

    def link(
        self,
        html: str,
        *,
        suppressed: Collection[Hashable] = (),
        reading: Reading | None = None,
        allowed: Collection[Hashable] | None = None,
    ) -> LinkResult:
        """Link every name in `html`; see the module docstring for the rules. With `reading`,
        surnames alone may link (and `reading.seen` grows). With `allowed`, only those
        entities may be linked: every other one is treated as suppressed."""
        if not html or not self.size:
            return LinkResult(html or "", {})
        suppressed = suppressed if isinstance(suppressed, set | frozenset) else set(suppressed)
        if allowed is not None:
            suppressed = _Excluded(suppressed, allowed, self._hidden)
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
        ambiguous: set[str] = set()
        if reading is not None:
            named = reading.named
            if named is None:
                # Namesakes read so far are in `seen`; add this text's.
                namesakes = self._namesakes(document, found)
                seen |= namesakes
                named = seen | _full_names(text, winners)
            ambiguous = _ambiguous(named)

        hits: dict[Hashable, Hit] = {}
        first: dict[Hashable, tuple[int, int]] = {}
        out: list[str] = []
        position = 0
        for start, end, entity, inner in winners:
            if isinstance(entity, _Surname):
                entity = _resolve(entity, seen, named, ambiguous)
                if entity is None:
                    continue
            elif reading is not None and _HAS_SPACE.search(text, start, end):
                seen.update(
                    e.key for _, _, e in [(start, end, entity), *inner] if e.person and e.autolink
                )
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
        """Keys of the linkable persons named in full (a name of two words or more,
        registered or another romanisation of one) in `html`, and the `Namesake`s named in it:
        what `Reading.named` collects for a digest."""
        if not html or not self.size:
            return set()
        document = _Document(html)
        found = self._registered(document.text, suppressed)
        found.update(self._unregistered(document, found, suppressed, None))
        winners = [(s, e, entity, []) for (s, e), entity in found.items()]
        return _full_names(document.text, winners) | self._namesakes(document, found)

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
