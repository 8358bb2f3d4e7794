"""Names in digest text that the registry does not know yet: the "Names to review" queue.

Pure Python (no Django). `find_names()` reads plain text and yields the capitalised runs,
acronyms and Cyrillic names in it with their sentences; a `Tally` counts them over many texts
(constant memory per distinct name); a `Registry` of the names already registered leaves
those out and suggests the entity an unregistered spelling probably belongs to; `ranked()`
orders the queue, likeliest real entities first. README, "Names to review", tells editors.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii

from digests.suggestion_words import (
    CALENDAR,
    FIRST_NAMES,
    LEADING,
    ORDINARY,
    ORGANIZATION_WORDS,
    PARTICLES,
    PLACES,
    TITLES,
)
from people.spelling import plain_name, search_key, skeleton

EXAMPLE_LENGTH = 240

_plain = lru_cache(maxsize=1 << 16)(plain_name)  # the same names come back all the time

_WORD = re.compile(r"[^\W\d_]+(?:[-\u2010\u2011'\u2019][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['\u2019][sS]$")
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])[\"\u201d\u00bb\u2019)]*\s+|\n+")


@dataclass(frozen=True)
class Found:
    """One occurrence of a possible name: its words as written and its sentence. `weak` when
    the capital letter may be the sentence's or the headline's rather than the name's."""

    text: str
    sentence: str
    weak: bool


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 8 and word.isalpha() and word.isupper()


def _is_capitalised(word: str) -> bool:
    return len(word) >= 2 and word[0].isupper()


def _sentences(text: str) -> Iterator[str]:
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if sentence:
            yield sentence


def find_names(text: str, *, headline: bool = False, registered=frozenset()) -> Iterator[Found]:
    """The possible names in `text` (plain text), in order. A headline's capitals say nothing,
    so everything found in one is weak but its acronyms. Runs that are registered names (their
    `plain_name` in `registered`) are left out, and so are the parts of a run that are."""
    for sentence in _sentences(text):
        yield from _sentence_names(sentence, headline, registered)


def _sentence_names(sentence: str, headline: bool, registered) -> Iterator[Found]:
    run: list[str] = []
    particles: list[str] = []
    run_starts_sentence = False
    previous_end = None
    first = True

    def flush():
        nonlocal run, particles
        words, run, particles = run, [], []
        for number, part in enumerate(_names_in_run(words) if words else ()):
            initial = run_starts_sentence and number == 0
            weak = headline or (initial and len(part) == 1)
            yield from _emit(part, sentence, weak, initial, registered)

    for match in _WORD.finditer(sentence):
        word = match.group()
        joined = previous_end is not None and not sentence[previous_end : match.start()].strip()
        previous_end = match.end()
        at_start, first = first, False
        if not word[0].isupper():  # most words: quickly end the run, or join it as a particle
            if (
                run
                and joined
                and word in PARTICLES
                and any(w.casefold() in ORGANIZATION_WORDS for w in run)
                and not (word == "and" and "and" in run)  # one "and" per name
            ):
                particles.append(word)
            elif run:
                yield from flush()
            else:
                particles = []
            continue
        possessive = bool(_POSSESSIVE.search(word)) and len(word) > 3
        if possessive:
            word = word[:-2]
        if not joined and run:
            yield from flush()
        if _is_acronym(word):
            if run:
                yield from flush()
            if word.casefold() not in ORDINARY and _plain(word) not in registered:
                yield Found(word, sentence, weak=False)
            continue
        if _is_capitalised(word) and not word.isupper():
            if (
                particles
                and "and" in particles
                and (len(particles) > 1 or word.casefold() in ORGANIZATION_WORDS)
            ):
                # "the Council of Europe and the Congress of …": two names, not one
                yield from flush()
            if not run:
                run_starts_sentence = at_start
            run.extend(particles)
            particles = []
            run.append(word)
            if possessive:
                yield from flush()
            continue
        if run:
            yield from flush()
    yield from flush()


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in word)


def _names_in_run(words: list[str]) -> Iterator[list[str]]:
    """A run of capitalised words split where one name cannot go on: where the script
    changes (“Бруселі Igor Losik”), and before a first name that follows a word which is not
    one (“Вільні Алесь Бяляцкі”: a place in the locative, then a person) unless the run names
    an organisation (“Kastus Kalinouski Regiment”)."""
    organization = any(w.casefold() in ORGANIZATION_WORDS for w in words)
    part = [words[0]]
    for previous, word in itertools.pairwise(words):
        if part and word not in PARTICLES and previous not in PARTICLES:
            other_script = _is_cyrillic(word) != _is_cyrillic(previous)
            new_person = (
                not organization
                and word.casefold() in FIRST_NAMES
                and previous.casefold() not in FIRST_NAMES
            )
            if other_script or new_person:
                yield part
                part = []
        part.append(word)
    if part:
        yield part


def _emit(words, sentence, weak, initial, registered) -> Iterator[Found]:
    # Calendar words cut a run ("On Monday Lukashenko"); openers and titles go from its front.
    if any(w.casefold() in CALENDAR for w in words):
        part: list[str] = []
        for word in [*words, ""]:
            if word and word.casefold() not in CALENDAR:
                part.append(word)
                continue
            if part:
                starts = initial and part[0] == words[0]
                yield from _emit(part, sentence, weak and starts, starts, registered)
            part = []
        return
    start = 0
    while start < len(words) and words[start].casefold() in LEADING | PARTICLES:
        start += 1
    cut = max(
        (i + 1 for i, w in enumerate(words[:-1]) if i >= start and w.casefold() in TITLES),
        default=start,
    )
    if cut > 0:
        words = words[cut:]
        if initial:
            weak = False  # the capital after "The" or "President" is the name's own
    while words and words[-1] in PARTICLES:
        words = words[:-1]
    if not words or words[-1].casefold() in TITLES:
        return  # a title without a name ("the Polish Minister")
    yield from _unregistered(words, sentence, weak, registered)


def _unregistered(words, sentence, weak, registered) -> Iterator[Found]:
    """The run, or the parts of it around the longest registered name inside it."""
    if len(words) == 1 and words[0].casefold() in _NEVER_ALONE:
        return  # "the Office", "the Cabinet": an ordinary word, or a registered body's short name
    n = len(words)
    for length in range(n, 0, -1):
        for i in range(0, n - length + 1):
            if _plain(" ".join(words[i : i + length])) in registered:
                for part in (words[:i], words[i + length :]):
                    while part and part[0] in PARTICLES:
                        part = part[1:]
                    while part and part[-1] in PARTICLES:
                        part = part[:-1]
                    if part:
                        yield from _unregistered(part, sentence, weak, registered)
                return
        if n > 12:
            break
    yield Found(" ".join(words), sentence, weak)


_NEVER_ALONE = ORDINARY | LEADING | TITLES | CALENDAR | ORGANIZATION_WORDS


def example_of(sentence: str, name: str) -> str:
    """The sentence, cut around `name` when it is longer than EXAMPLE_LENGTH."""
    if len(sentence) <= EXAMPLE_LENGTH:
        return sentence
    at = max(sentence.find(name), 0)
    start = max(0, at - EXAMPLE_LENGTH // 2)
    end = min(len(sentence), start + EXAMPLE_LENGTH)
    return (
        ("…" if start else "") + sentence[start:end].strip() + ("…" if end < len(sentence) else "")
    )


@dataclass
class Entry:
    text: str
    count: int = 0
    digests: int = 0
    last_digest: object = None
    example: str = ""
    source: object = None  # where the example is: ("item", pk) or ("digest", pk)
    strong: bool = False


class Tally:
    """Counts names over texts visited in digest order (`add` with non-decreasing digest keys
    for the digest counts to be right): one entry per distinct name, whatever the volume."""

    def __init__(self):
        self.entries: dict[str, Entry] = {}

    def add(self, found: Found, *, digest, source) -> None:
        key = _plain(found.text)
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = Entry(found.text)
        entry.count += 1
        if entry.last_digest != digest:
            entry.digests += 1
            entry.last_digest = digest
        if not found.weak and not entry.strong:
            entry.strong = True
            entry.text = found.text
            entry.example, entry.source = example_of(found.sentence, found.text), source
        elif not entry.example:
            entry.example, entry.source = example_of(found.sentence, found.text), source

    def names(self, *, min_count: int = 1, ignored=frozenset()) -> Iterator[Entry]:
        """Names seen at least once where their capital letter is their own."""
        for key, entry in self.entries.items():
            if entry.strong and entry.count >= min_count and key not in ignored:
                yield entry


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "person" or "organization"
    slug: str
    name: str
    pk: int | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "slug": self.slug, "name": self.name}


@dataclass
class Registry:
    """The registered names, for leaving them out and for suggestions. Built from rows of
    (alias text, its search key, its skeleton, entity kind, entity slug, entity name, entity pk)."""

    plain: set = field(default_factory=set)
    by_key: dict = field(default_factory=dict)
    by_skeleton: dict = field(default_factory=dict)
    by_surname_key: dict = field(default_factory=dict)
    by_surname_skeleton: dict = field(default_factory=dict)
    by_initials: dict = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple]) -> Registry:
        registry = cls()
        for text, key, skel, kind, slug, name, pk in rows:
            entity = Suggestion(kind, slug, name, pk)
            registry.plain.add(plain_name(text))
            key = key or search_key(text)
            skel = skel or skeleton(key)
            registry.by_key.setdefault(key, set()).add(entity)
            if len(skel.replace(" ", "")) >= 3:
                registry.by_skeleton.setdefault(skel, set()).add(entity)
            words = key.split()
            if kind == "person" and len(words) > 1:
                registry.by_surname_key.setdefault(words[-1], set()).add(entity)
                surname = skeleton(words[-1])
                if len(surname) >= 3:
                    registry.by_surname_skeleton.setdefault(surname, set()).add(entity)
            if kind == "organization":
                for initials in _initials(text):
                    registry.by_initials.setdefault(initials, set()).add(entity)
        return registry

    def suggest(self, text: str) -> Suggestion | None:
        """The one entity `text` probably names: the same spelling key, the same skeleton, a
        person's surname, or an organisation's initials; None when none or several fit."""
        key = search_key(text)
        levels = [self.by_key.get(key), self.by_skeleton.get(skeleton(key))]
        if _is_acronym(text):
            levels.append(self.by_initials.get(text))
        elif guess_kind(text) != "organization" and key:
            last = key.split()[-1]
            levels += [self.by_surname_key.get(last), self.by_surname_skeleton.get(skeleton(last))]
        for entities in levels:
            if entities:
                return next(iter(entities)) if len(entities) == 1 else None
        return None


def _initials(name: str) -> set[str]:
    """An organisation's possible acronyms: first letters of its words (particles left out),
    with the parts of hyphenated words counted or not ("Anti-Crisis": A or AC)."""
    words = [w for w in anyascii(name).split() if w.casefold() not in PARTICLES]
    if len(words) < 2:
        return set()
    short = "".join(w[0] for w in words if w[:1].isalpha()).upper()
    long = "".join(p[0] for w in words for p in w.split("-") if p[:1].isalpha()).upper()
    return {short, long} - {""}


def guess_kind(text: str) -> str | None:
    """ "organization" for acronyms and names with an organisation word, "person" for two or
    three capitalised words opening with a first name, else None."""
    words = text.split()
    if _is_acronym(text):
        return "organization"
    if any(w.casefold() in ORGANIZATION_WORDS for w in words):
        return "organization"
    if 2 <= len(words) <= 3 and words[0].casefold() in FIRST_NAMES:
        return "person"
    return None


def is_place(text: str) -> bool:
    return plain_name(text) in PLACES


def score(entry: Entry, suggestion: Suggestion | None, kind: str | None) -> float:
    """Higher for the likelier real entity: several words, a suggestion, a kind, frequency and
    spread over digests; places sink."""
    value = math.log1p(entry.count) + 1.5 * math.log1p(entry.digests)
    if " " in entry.text:
        value += 3
    if suggestion is not None:
        value += 2
    if kind is not None:
        value += 1
    if is_place(entry.text):
        value -= 8
    return value


@dataclass(frozen=True)
class Candidate:
    text: str
    count: int
    digests: int
    example: str
    source: object
    kind: str | None
    suggested: Suggestion | None

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "count": self.count,
            "digests": self.digests,
            "example": self.example,
            "kind": self.kind,
            "suggested": self.suggested.as_dict() if self.suggested else None,
        }


def ranked(entries: Iterable[Entry], registry: Registry) -> list[Candidate]:
    """The queue in order, likeliest real entities first."""
    rows = []
    for entry in entries:
        suggestion = None if is_place(entry.text) else registry.suggest(entry.text)
        kind = None if is_place(entry.text) else guess_kind(entry.text)
        if kind is None and suggestion is not None:
            kind = suggestion.kind
        candidate = Candidate(
            entry.text, entry.count, entry.digests, entry.example, entry.source, kind, suggestion
        )
        rows.append((-score(entry, suggestion, kind), -entry.count, entry.text, candidate))
    rows.sort(key=lambda row: row[:3])
    return [row[3] for row in rows]
