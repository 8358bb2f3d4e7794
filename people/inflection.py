"""Declined forms of registered Cyrillic names, so a Belarusian or Russian text links a name
whatever its grammatical case ("Паўла Латушкі", "Светланы Тихановской").

Pure Python, no Django. `declensions(name, person=...)` gives the forms of one name in the
six cases; `inflected_forms(registry)` gives, for a whole registry of nominative names, the
forms to add as further spellings of each entity, without any form that another entity's name
also gives or that is an ordinary word. The rules, by ending, for each language (Belarusian in
the official orthography, Russian) are listed in docs/mentions.md ("Inflections"); each one
has a test in tests/test_inflection.py.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Hashable, Iterable
from itertools import product

CASES = ("nominative", "genitive", "dative", "accusative", "instrumental", "locative")
BE, RU = "be", "ru"
_MAX_PER_CASE = 8

_CYRILLIC_WORD = re.compile(r"[А-ЯЁІЎа-яёіў’'ʼ-]+")
_BE_ONLY = set("іўІЎ’'ʼ")
_RU_ONLY = set("иъщИЪЩ")
_VOWELS = set("аеёіоуыэюяиАЕЁІОУЫЭЮЯИ")
_VELAR = set("кгх")

# Given names ending in -а/-я that are masculine.
_MASCULINE_A = {
    "мікіта", "ілья", "кузьма", "фама", "лука", "сава", "мікола",
    "никита", "илья", "фома", "савва", "никола",
}  # fmt: skip
# Stems that lose or change a vowel: nominative → stem of the other cases.
_IRREGULAR = {
    BE: {"павел": "паўл", "пётр": "пятр", "пётра": "пятр", "лёў": "льв", "леў": "льв"},
    RU: {"павел": "павл", "пётр": "петр", "петр": "петр", "лев": "льв"},
}

# Ordinary Belarusian and Russian words that are also names: a one-word name spelled like one
# of them is not declined (its forms would link in every sentence that uses the word).
COMMON_WORDS = frozenset(
    """
    вясна весна воля свабода свобода праўда правда надзея надежда вера любоў любовь мір мир
    знак мароз мороз зіма зима лета лето восень осень сонца солнце зорка звезда голас голос
    сіла сила слава радасць радость ліст лист дом хата сад лес лёс судьба шлях путь рух
    дзень день ноч ночь год час жыццё жизнь рада совет сойм суд мова язык краіна страна
    беларусь беларуская белорусская народ грамада общество партыя партия саюз союз цэнтр
    центр фонд дом хор птушка птица леў лев воўк волк мядзведзь медведь арол орёл орел
    сокал сокол бусел бусел рыба рак кот жук бык конь каваль кузнец мельнік мельник
    """.split()
)


def language(name: str) -> set[str]:
    """The languages a Cyrillic name can be written in: Belarusian when it has і, ў, an
    apostrophe or э after a consonant (Лукашэнка), Russian when it has и, щ, ъ or a word ending
    in -ый/-ий (Международный); both otherwise; none for a non-Cyrillic name."""
    letters = set(name)
    if not any("\u0400" <= c <= "\u04ff" for c in letters):
        return set()
    lowered = name.lower()
    found = set()
    if letters & _BE_ONLY or re.search(r"[бвгджзклмнпрстфхцчш]э", lowered):
        found.add(BE)
    if letters & _RU_ONLY or re.search(r"[ыи]й\b", lowered):
        found.add(RU)
    return found or {BE, RU}


def _like(model: str, word: str) -> str:
    """`word` (lower case) written with the capitals of `model` (each part of a hyphenated
    word on its own)."""
    if "-" in model and model.count("-") == word.count("-"):
        return "-".join(map(_like, model.split("-"), word.split("-")))
    if model.isupper() and len(model) > 1:
        return word.upper()
    for index, char in enumerate(model):
        if char.isalpha():
            if char.isupper():
                return word[:index] + word[index : index + 1].upper() + word[index + 1 :]
            break
    return word


# --- Paradigms: each returns six lists of variants (one list per case), in lower case. ---

Paradigm = list[list[str]]


def _same(word: str) -> Paradigm:
    return [[word] for _ in CASES]


def _p(nom, gen, dat, acc, ins, loc) -> Paradigm:
    return [[x] if isinstance(x, str) else list(x) for x in (nom, gen, dat, acc, ins, loc)]


def _be_mutated_e(stem: str) -> list[str]:
    """Belarusian dative/locative -е after a hard stem, with the consonant alternations
    (т→це, д→дзе, к→цы, г→зе, х→се; р, ж, ш, ч, ц take -ы)."""
    for old, new in (("ст", "сце"), ("т", "це"), ("д", "дзе"), ("к", "цы"), ("г", "зе"),
                     ("х", "се")):  # fmt: skip
        if stem.endswith(old):
            return [stem[: -len(old)] + new]
    if stem[-1:] in set("ржшчцў") or stem.endswith("дж"):
        return [stem + "ы"]
    return [stem + "е"]


def _ru_after_hushing(stem: str) -> bool:
    return stem[-1:] in set("жшчщц")


def _masculine_consonant(word: str, lang: str, *, animate: bool, surname: bool) -> Paradigm:
    """A masculine noun ending in a consonant: Аляксандр, Статкевіч, Знак, Савет, Кабінет."""
    stem = _IRREGULAR[lang].get(word, word)
    if len(word) > 4 and word.endswith("ец") and word not in _IRREGULAR[lang]:
        stem = word[:-2] + "ц"  # Севярынец → Севярынца
    acc = None
    if lang == BE:
        if surname and re.search(r"(ін|ын|аў|еў|ёў|оў)$", word):
            if word.endswith("ў"):
                stem = word[:-1] + "в"  # Саннікаў → Саннікава
            ins = [stem + "ым"]
            loc = [stem + "у", stem + "е"]
        else:
            ins = [stem + "ам", stem + "ом"]
            loc = [stem + "у"]  # аб Аляксандру; for things also -е: у Савеце, у судзе
            if not animate and stem[-1] not in _VELAR:
                loc += _be_mutated_e(stem)
        gen = [stem + "а"] + ([] if animate else [stem + "у"])
        acc = gen[:1] if animate else [word]
        return _p(word, gen, stem + "у", acc, ins, loc)
    if surname and re.search(r"(ов|ев|ёв|ин|ын)$", word):
        ins = [stem + "ым"]
    elif _ru_after_hushing(stem):
        ins = [stem + "ем", stem + "ом"]
    else:
        ins = [stem + "ом"]
    acc = stem + "а" if animate else word
    return _p(word, stem + "а", stem + "у", acc, ins, stem + "е")


def _masculine_soft(word: str, lang: str, *, animate: bool) -> Paradigm:
    """A masculine noun ending in -ь or -й: Алесь, Сяргей, Карней, Ігорь, Музей."""
    stem = word[:-1]
    if word.endswith("ий") and lang == RU:  # Юрий, Валерий
        return _p(word, stem + "я", stem + "ю", stem + "я" if animate else word,
                  stem + "ем", stem + "и")  # fmt: skip
    acc = stem + "я" if animate else word
    ins = [stem + "ем", stem + "ём"] if lang == BE else [stem + "ем"]
    loc = [stem + "ю", stem + "і"] if lang == BE else [stem + "е"]
    return _p(word, stem + "я", stem + "ю", acc, ins, loc)


def _a_stem(word: str, lang: str, *, masculine: bool) -> Paradigm:
    """A noun ending in -а or -я: Святлана, Марыя, Латушка, Лукашэнка, Рада, Асацыяцыя."""
    stem, last = word[:-1], word[-1]
    if lang == BE:
        if last == "я":
            gen = dat = loc = [stem + "і"]
            acc, ins = stem + "ю", [stem + "яй", stem + "ёй"]
        else:
            soft_i = stem[-1] in _VELAR
            gen = [stem + ("і" if soft_i else "ы")]
            acc, ins = stem + "у", [stem + "ай", stem + "ой"]
            dat = loc = _be_mutated_e(stem)
        if masculine:  # Лукашэнку, Латушкам: masculine surnames and names in -а
            dat = loc = [stem + ("ю" if last == "я" else "у"), *dat]
            ins = [stem + ("ям" if last == "я" else "ам")]
        return _p(word, gen, dat, acc, ins, loc)
    if last == "я":
        ending_i = stem.endswith("и")  # Мария → Марии
        gen = stem + "и"
        dat = loc = stem + ("и" if ending_i else "е")
        return _p(word, gen, dat, stem + "ю", [stem + "ей", stem + "ёй"], loc)
    soft_i = stem[-1] in _VELAR or (_ru_after_hushing(stem) and stem[-1] != "ц")
    gen = stem + ("и" if soft_i else "ы")
    ins = [stem + "ой"] + ([stem + "ей"] if _ru_after_hushing(stem) else [])
    return _p(word, gen, stem + "е", stem + "у", ins, stem + "е")


def _adjective(word: str, lang: str, *, animate: bool) -> Paradigm | None:
    """An adjective or an adjectival surname, by its ending; None if it is not one."""
    if lang == BE:
        for ending, paradigm in (
            ("ая", ("ай", "ай", "ую", ["ай"], "ай")),
            ("яя", ("яй", "яй", "юю", ["яй"], "яй")),
        ):
            if word.endswith(ending):
                stem = word[: -len(ending)]
                gen, dat, acc, ins, loc = paradigm
                return _p(word, stem + gen, stem + dat, stem + acc, [stem + i for i in ins],
                          stem + loc)  # fmt: skip
        for ending in ("ы", "і", "ае", "яе"):
            if word.endswith(ending) and len(word) > 3:
                stem = word[: -len(ending)]
                soft = ending in ("і", "яе") and stem[-1] not in _VELAR
                a = "я" if soft else "а"
                i = "і" if ending in ("і", "яе") else "ы"
                gen = stem + a + "га"
                acc = gen if animate and ending in ("ы", "і") else word
                return _p(word, gen, stem + a + "му", acc, stem + i + "м", stem + i + "м")
        return None
    for ending in ("ая", "яя"):
        if word.endswith(ending):
            stem = word[:-2]
            soft = ending == "яя" or _ru_after_hushing(stem)
            o = "е" if soft else "о"
            acc = stem + ("юю" if ending == "яя" else "ую")
            return _p(word, stem + o + "й", stem + o + "й", acc, stem + o + "й", stem + o + "й")
    for ending in ("ый", "ий", "ой", "ое", "ее"):
        if word.endswith(ending) and len(word) > 3:
            stem = word[:-2]
            soft = ending == "ее" or (ending == "ий" and stem[-1] not in _VELAR)
            o = "е" if soft else "о"
            i = "и" if ending in ("ий", "ее") or stem[-1] in _VELAR else "ы"
            gen = stem + o + "го"
            acc = gen if animate and ending in ("ый", "ий", "ой") else word
            return _p(word, gen, stem + o + "му", acc, stem + i + "м", stem + o + "м")
    return None


def _adjective_kind(word: str, lang: str) -> str | None:
    """The gender an adjectival ending shows: "m", "f", "n" or None. (Plural adjectives are
    not told from nouns in -ыя/-ия: Місія, асацыяцыя; a name led by one is left as written.)"""
    endings = {
        BE: (("ая", "f"), ("яя", "f"), ("ае", "n"), ("яе", "n"), ("ы", "m"), ("і", "m")),
        RU: (("ая", "f"), ("яя", "f"), ("ое", "n"), ("ее", "n"), ("ый", "m"), ("ий", "m"),
             ("ой", "m")),
    }[lang]  # fmt: skip
    for ending, kind in endings:
        if word.endswith(ending) and len(word) > len(ending) + 2:
            return kind
    return None


def _neuter(word: str, lang: str) -> Paradigm | None:
    """A neuter noun: ўпраўленне / управление, агенцтва / агентство."""
    if lang == BE:
        if word.endswith(("е", "ё")) and len(word) > 3 and word[-2] not in _VOWELS:
            stem = word[:-1]
            return _p(word, stem + "я", stem + "ю", word, [stem + "ем", stem + "ём"], stem + "і")
        if word.endswith(("ства", "цтва", "ва", "ла")) and len(word) > 4:
            stem = word[:-1]
            return _p(word, word, stem + "у", word, [stem + "ам", stem + "ом"],
                      [*_be_mutated_e(stem), stem + "ы"])  # fmt: skip
        return None
    if word.endswith("ие"):
        stem = word[:-1]
        return _p(word, stem + "я", stem + "ю", word, stem + "ем", stem + "и")
    if word.endswith("о") and len(word) > 3:
        stem = word[:-1]
        return _p(word, stem + "а", stem + "у", word, stem + "ом", stem + "е")
    if word.endswith("е") and len(word) > 3 and word[-2] not in _VOWELS:
        stem = word[:-1]
        return _p(word, stem + "я", stem + "ю", word, stem + "ем", stem + "е")
    return None


def _noun(word: str, lang: str, *, gender: str | None, animate: bool, surname: bool = False):
    """A noun by its ending, for a name's head word; `gender` when an adjective shows it."""
    if word[-1:] in ("а", "я"):
        if gender == "n":
            return _neuter(word, lang) or _same(word)
        return _a_stem(word, lang, masculine=gender == "m")
    if gender == "n" or (gender is None and word[-1:] in ("е", "ё", "о")):
        return _neuter(word, lang) or _same(word)
    if word[-1:] in ("ь", "й"):
        if gender == "f":
            stem = word[:-1]
            i = "і" if lang == BE else "и"
            return _p(word, stem + i, stem + i, word, stem + "ью" if lang == RU else word + "ю",
                      stem + i)  # fmt: skip
        return _masculine_soft(word, lang, animate=animate)
    if word[-1:] not in _VOWELS and word[-1:] not in ("ь", "й") and gender != "f":
        return _masculine_consonant(word, lang, animate=animate, surname=surname)
    return _same(word)


# --- People ---------------------------------------------------------------------------


def _feminine_person(words: list[str], lang: str) -> bool:
    first, last = words[0], words[-1]
    if len(words) > 1 and first[-1:] in ("а", "я") and first not in _MASCULINE_A:
        return True
    return bool(re.search(r"(ая|ава|ова|ева|ёва|іна|ына|ина)$", last))


def _person_word(word: str, lang: str, *, feminine: bool, surname: bool) -> Paradigm:
    if "-" in word:  # Шарэнда-Панасюк: each part on its own
        parts = [_person_word(p, lang, feminine=feminine, surname=surname) for p in
                 word.split("-")]  # fmt: skip
        return [["-".join(c) for c in product(*(p[case] for p in parts))] for case in
                range(len(CASES))]  # fmt: skip
    if len(word) < 2:
        return _same(word)
    if lang == RU and re.search(r"(ко|их|ых|о|е|и|у|ю|э)$", word):
        return _same(word)  # Латушко, Лукашенко, Черных, Де
    if lang == BE and re.search(r"(о|е|э|у|ю|і)$", word) and not word.endswith(("скі", "цкі")):
        return _same(word)
    if surname:
        adjective = _adjective(word, lang, animate=True)
        if adjective is not None and (
            (feminine and word.endswith(("ая", "яя")))
            or (not feminine and word.endswith(("скі", "цкі", "ский", "цкий", "ской", "цкой")))
        ):
            return adjective
        if feminine and re.search(r"(ава|ова|ева|ёва|іна|ына|ина)$", word):
            stem = word[:-1]
            ending = "ай" if lang == BE else "ой"
            return _p(word, stem + ending, stem + ending, stem + "у", stem + ending,
                      stem + ending)  # fmt: skip
    if word[-1] in ("а", "я"):
        masculine = not feminine or word in _MASCULINE_A
        if feminine and surname:
            masculine = False
        return _a_stem(word, lang, masculine=masculine)
    if feminine:
        return _same(word)  # a woman's surname or name ending in a consonant: Каллас
    return _noun(word, lang, gender="m", animate=True, surname=surname)


def _person(words: list[str], lang: str) -> list[Paradigm]:
    feminine = _feminine_person(words, lang)
    return [
        _person_word(w, lang, feminine=feminine, surname=i == len(words) - 1 and len(words) > 1)
        for i, w in enumerate(words)
    ]


# --- Organizations --------------------------------------------------------------------


def _organization(words: list[str], lang: str) -> list[Paradigm] | None:
    """Adjectives agreeing with the first noun decline with it; the words after the noun
    (a complement in the genitive, a quoted name) stay as written."""
    paradigms: list[Paradigm] = []
    kind = None
    for index, word in enumerate(words):
        if not _CYRILLIC_WORD.fullmatch(word) or word[:1] in '«"„':
            return None
        this = _adjective_kind(word, lang)
        last = index == len(words) - 1
        if this is not None and not last and (kind is None or this == kind):
            kind = this
            paradigms.append(_adjective(word, lang, animate=False) or _same(word))
            continue
        head = _noun(word, lang, gender=kind, animate=False)
        paradigms.append(head)
        paradigms += [_same(w) for w in words[index + 1 :]]
        return paradigms
    return None


# --- Putting names together -----------------------------------------------------------


def _be_u(words: list[str], nominative: list[str]) -> list[list[str]]:
    """Belarusian ў/у: a name's first word starting with у/ў may follow a vowel or a
    consonant in the text, so it gets both; a later word keeps the registered spelling, unless
    the word before it now ends in a consonant where it ended in a vowel, or the other way
    round ("Нацыянальнае … ўпраўленне", "Нацыянальным … упраўленнем")."""
    out = []
    for index, word in enumerate(words):
        if word[:1] not in ("у", "ў", "У", "Ў"):
            out.append([word])
            continue
        u, w = ("У", "Ў") if word[0] in "УЎ" else ("у", "ў")
        if index == 0:
            out.append([u + word[1:], w + word[1:]])
            continue
        was = nominative[index - 1][-1:].lower() in _VOWELS
        now = words[index - 1][-1:].lower() in _VOWELS
        if was == now:
            out.append([word])
        else:
            out.append([(w if now else u) + word[1:]])
    return out


def declensions(name: str, *, person: bool) -> list[list[str]]:
    """The forms of a nominative `name` in each case (CASES), in every language it can be
    written in; the name itself (and its ў/у variants) under the nominative. Words that are
    not Cyrillic, and names the rules do not know, keep their form."""
    words = name.split()
    langs = language(name)
    cases: list[list[str]] = [[] for _ in CASES]
    if not words or not langs:
        return [[name]] + [[] for _ in CASES[1:]]
    for lang in sorted(langs):
        lowered = [w.lower() for w in words]
        if person:
            paradigms = _person(lowered, lang)
        else:
            paradigms = _organization(lowered, lang)
            if paradigms is None:
                paradigms = [_same(w) for w in lowered]
        for case in range(len(CASES)):
            options = [paradigm[case] or [w] for paradigm, w in zip(paradigms, lowered,
                                                                    strict=True)]  # fmt: skip
            for combination in list(product(*options))[:_MAX_PER_CASE]:
                form_words = [_like(w, c) for w, c in zip(words, combination, strict=True)]
                variants = _be_u(form_words, words) if lang == BE else [[w] for w in form_words]
                for variant in product(*variants):
                    form = " ".join(variant)
                    if form not in cases[case]:
                        cases[case].append(form)
    return cases


def forms(name: str, *, person: bool) -> list[str]:
    """Every form of `name` (declensions flattened), the name first, without repeats."""
    seen = [name]
    for case in declensions(name, person=person):
        for form in case:
            if form not in seen:
                seen.append(form)
    return seen


def _key(text: str) -> str:
    return " ".join(text.split()).casefold().replace("ё", "е")


def inflected_forms(
    registry: Iterable[tuple[str, Hashable, bool]],
) -> list[tuple[str, Hashable]]:
    """For a registry of (nominative name, entity key, is a person), the declined forms to add
    as further names of each entity. Left out: forms already registered, forms that names of
    two different entities give (the registry could not tell them apart), the forms of a
    one-word name that is an ordinary word (`COMMON_WORDS`), and acronyms."""
    registry = list(registry)
    owner: dict[str, Hashable] = {}
    clashing: set[str] = set()
    registered = {_key(text) for text, _, _ in registry}
    generated: dict[str, tuple[str, Hashable]] = {}
    for text, key, person in registry:
        text = " ".join(text.split())
        if not text or text.isupper() or (" " not in text and _key(text) in COMMON_WORDS):
            continue
        for form in forms(text, person=person)[1:]:
            k = _key(form)
            if k in registered:
                continue
            if k in owner and owner[k] != key:
                clashing.add(k)
                continue
            owner[k] = key
            generated.setdefault(k, (form, key))
    return [value for k, value in generated.items() if k not in clashing]


def with_inflections(aliases: list) -> list:
    """`aliases` (the linker's `Alias` records: text, key, person, staff_added) followed by
    the declined forms of their Cyrillic names as further aliases of the same entities, copied
    from the entity's first alias. Declined forms count as not staff's, so the linker ignores
    one that is a stop word."""
    aliases = list(aliases)
    first = {}
    for alias in aliases:
        first.setdefault(alias.key, alias)
    registry = ((a.text, a.key, a.person) for a in aliases)
    return [
        *aliases,
        *(
            dataclasses.replace(first[key], text=form, staff_added=False)
            for form, key in inflected_forms(registry)
        ),
    ]
