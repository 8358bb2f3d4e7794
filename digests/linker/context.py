"""Beyond the registered forms: other romanisations and surnames after the full name, with
the words (titles, common words) that decide when a capitalised word may be a name."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache

from digests import suggestion_words
from digests.linker.text import (
    _OPENERS,
    ABBREVIATIONS,
    BLOCK,
    INLINE,
    STOPWORDS,
    Namesake,
    _Entity,
    _is_acronym,
    _Matcher,
    _Surname,
)

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


# Capitalised words that never stand for a first name before a surname: titles, common
# words, words that open sentences ("Then", "Yesterday"), months and weekdays, nationalities
# and places ("On Monday Latushka", "Belarusian Latushka" name nobody new).
NOT_FIRST_NAMES = (
    TITLES
    | COMMON_WORDS
    | suggestion_words.TITLES
    | suggestion_words.LEADING
    | suggestion_words.ORDINARY
    | suggestion_words.CALENDAR
    | suggestion_words.PLACES
    | frozenset(
        """
        позже позднее затем потом тогда теперь сейчас ранее пазней потым затым тады цяпер
        зараз раней
        """.split()
    )
)

# One first name in its Belarusian, Russian and English forms: "Nikolai Statkevich" names
# Mikalai Statkevich, not a namesake of his. Lower case; compared by spelling key.
FIRST_NAME_VARIANTS = tuple(
    frozenset(line.split())
    for line in """
    mikalai nikolai nikolay mikola мікалай николай
    aliaksandr alexander aleksandr alyaksandr alexandr аляксандр александр
    aliaksei alexei alexey aleksei аляксей алексей
    siarhei sergei sergey сяргей сергей
    uladzimir vladimir уладзімір владимир
    viktar viktor віктар виктор
    dzmitry dmitry dmitri dmitriy zmitser дзмітрый зміцер дмитрий
    pavel paval павел павал
    maryia maria mariya марыя мария
    sviatlana svetlana святлана светлана
    ihar igor ігар игорь
    leanid leonid леанід леонид
    yury yuri yuriy юрый юрий
    volha olga вольга ольга
    hanna anna ганна анна
    iryna irina ірына ирина
    tatsiana tatiana tatyana таццяна татьяна
    natallia natalia natalya наталля наталья
    katsiaryna ekaterina yekaterina кацярына екатерина
    palina polina паліна полина
    artsiom artem artyom арцём артём
    kiryl kirill кірыл кирилл
    maksim maxim максім максим
    raman roman раман роман
    vadzim vadim вадзім вадим
    aleh oleg алег олег
    valery valeriy valeri валерый валерий
    vital vitaly vitali віталь виталий
    """.strip().splitlines()
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
    """Linkable persons named by a name of more than one word among `winners` (and inside
    them). A sensitive person is not one: their name counts as an unregistered one would
    (`Namesake`)."""
    keys = set()
    for start, end, entity, inner in winners:
        for s, e, named in [(start, end, entity), *inner]:
            if (
                isinstance(named, _Entity)
                and named.person
                and named.autolink
                and _HAS_SPACE.search(text, s, e)
            ):
                keys.add(named.key)
    return keys


def _ambiguous(named: Iterable) -> set[str]:
    """Surname keys that a `Namesake` named in the digest shares."""
    return {n.surname for n in named if isinstance(n, Namesake)}


def _resolve(
    surname: _Surname, seen: set, named: frozenset | set, ambiguous: set[str]
) -> _Entity | None:
    """The one person a surname alone can mean here: named in full earlier in the reading,
    and no other person sharing the surname named in it (registered or not)."""
    if surname.key in ambiguous:
        return None
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
