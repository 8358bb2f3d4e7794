"""Benchmark of the mention linker against the naive one-regex-per-entity approach.

    python -m benchmarks.linker [--entities 10000] [--aliases 30000] [--items 50000]
                                [--naive-sample 200] [--seed 1]

`generate()` builds a deterministic registry (people and organizations with Latin and Cyrillic
names, transliteration variants and acronyms) and HTML items of filler text with names at
roughly the density of the sample digest, plus one alias that the items use but the registry
lacks (to measure relinking after staff add it).
"""

from __future__ import annotations

import argparse
import html
import random
import re
import resource
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from digests.linker import STOPWORDS, Alias, Linker, Reading, names_in
from people.inflection import with_inflections
from people.spelling import romanisation_key

DIGEST_SIZE = 50  # items read in one digest, as in the page benchmark's data

FIRST_NAMES = """
    Aliaksandr Aliaksei Andrei Anton Artsiom Dzmitry Eduard Ihar Ivan Kiryl Leanid Maksim Mikalai
    Mikhail Pavel Raman Siarhei Stanislau Uladzimir Uladzislau Vadzim Valery Viachaslau Viktar
    Yauhen Yury Zmitser Alena Alesia Anastasiya Darya Hanna Iryna Katsiaryna Kseniya Larysa
    Liudmila Maria Maryna Nadzeya Natallia Nina Palina Sviatlana Tatsiana Valiantsina Veranika
    Volha Yulia Zhanna Ales Barys Fiodar Hleb Yan Lukash Tamara Inna
""".split()
SYLLABLES = """
    ba be bo bu da de do dra ha he ho ka ke ko kra la le lo lu ma me mo mu na ne no nu pa pe po
    ra re ro ru sa se so su ta te to tu va ve vo za ze zo bia dzia hra kha lia mia nia pia ria
    sia tsia zha sha cha shu chu lav ran vin sel mar dor kul bel zor
""".split()
SURNAME_ENDINGS = "ka ko ich ski skaya enka enko ava ina ou eu uk chyk ovich yonak".split()
ORG_ADJECTIVES = """
    Belarusian National Democratic Independent Free United European International Civic Public
    Regional Youth Women's Independent Transitional Anti-Crisis Human Legal Cultural Student
    Workers' Diaspora Media Academic Eastern Baltic Polish Lithuanian Ukrainian Solidarity
""".split()
ORG_NOUNS = """
    Council Committee Association Foundation Centre Union Office Movement Initiative Network
    Alliance Institute Coalition Forum Fund Assembly Mission Congress Society Platform Bureau
    Agency Chamber League Service Trust Collective Cabinet Team Watch
""".split()
ORG_TOPICS = """
    Human Rights; Political Prisoners; Democratic Change; Free Elections; Independent Media;
    Legal Aid; Civil Society; Press Freedom; Fair Trials; Refugees; Education; Culture;
    Transparency; Local Democracy; Justice; Solidarity; Investigative Journalism; Labour Rights;
    Historical Memory; Belarusian Language; Sanctions Policy; Digital Security; Victims of
    Repression; Public Health; Economic Reform; Environment; Minority Rights
""".split(";")
LATIN_TO_CYRILLIC = [
    ("shch", "шч"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("dz", "дз"),
    ("ya", "я"), ("yu", "ю"), ("ia", "я"), ("iu", "ю"), ("ie", "е"), ("a", "а"), ("b", "б"),
    ("c", "ц"), ("d", "д"), ("e", "э"), ("f", "ф"), ("g", "г"), ("h", "г"), ("i", "і"),
    ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "ў"), ("y", "ы"),
    ("z", "з"), ("'", "’"),
]  # fmt: skip
FILLER = """
    the a of and to in on for with by from at as that this was were is are has have had will
    would said statement meeting discussion support release prisoners political country people
    society democratic forces government regime repression freedom elections international
    community partners representatives visit attention issues situation during after before
    while including between about against together further continued called important new
    several many numerous recent local regional public official report reports information
    according also however therefore again today yesterday week month year years days
    december november january conference event programme project families children women men
    activists journalists volunteers organizations institutions countries border travel
    documents procedures assistance protection legal residency applications review process
    rights crimes evidence court trial sentence years detention colony pressure sanctions
    economy trade energy migration security cooperation dialogue strategy solidarity media
    channels views posts reaction response public opinion survey results analysis experts
""".split()
FILLER_CYRILLIC = """
    і ў на з па да для пра ад гэта быў была былі сустрэча заява падтрымка вызваленне палітвязні
    краіна людзі грамадства дэмакратычныя сілы рэжым рэпрэсіі свабода выбары міжнародная
    супольнасць партнёры прадстаўнікі візіт увага пытанні сітуацыя падчас пасля перад таксама
    аднак сёння учора тыдзень месяц год канферэнцыя падзея праграма праект сем’і дзеці жанчыны
    актывісты журналісты валанцёры арганізацыі інстытуты краіны мяжа дакументы працэдуры
    дапамога абарона правы злачынствы доказы суд прысуд калонія ціск санкцыі эканоміка
""".split()


@dataclass
class Dataset:
    aliases: list[Alias]  # the registry
    items: list[str]  # item bodies (HTML)
    added: Alias  # used in some items but missing from the registry: staff add it later


def _cyrillic(text: str) -> str:
    out = []
    for word in text.split():
        lower = word.lower()
        converted = ""
        while lower:
            for latin, cyrillic in LATIN_TO_CYRILLIC:
                if lower.startswith(latin):
                    converted += cyrillic
                    lower = lower[len(latin) :]
                    break
            else:
                converted += lower[0]
                lower = lower[1:]
        out.append(converted[:1].upper() + converted[1:])
    return " ".join(out)


def _variant(surname: str) -> str:
    """A transliteration variant of a surname (Lukashenka / Lukashenko)."""
    for old, new in (("enka", "enko"), ("ka", "ko"), ("ou", "ov"), ("eu", "ev"), ("ava", "ova")):
        if surname.endswith(old):
            return surname[: -len(old)] + new
    for old, new in (("ia", "ya"), ("dz", "d"), ("kh", "h"), ("ts", "c")):
        if old in surname:
            return surname.replace(old, new, 1)
    return surname + "a"


def _acronym(name: str) -> str:
    return "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper()).upper()


class _Registry:
    def __init__(self):
        self.seen: set[str] = set()
        self.aliases: list[Alias] = []
        self.names: dict[int, list[tuple[str, str]]] = {}  # entity -> [(text, script)]

    def add(self, entity: int, kind: str, text: str, script: str = "latin") -> bool:
        folded = text.casefold() if not text.isupper() else text
        if folded in self.seen or text.casefold() in STOPWORDS:
            return False
        self.seen.add(folded)
        self.aliases.append(
            Alias(text, (kind, entity), f"/{kind}/{entity}/", person=kind == "person")
        )
        self.names.setdefault(entity, []).append((text, script))
        return True


def generate(seed: int, n_entities: int, n_aliases: int, n_items: int) -> Dataset:
    """A deterministic registry and item set for the given sizes."""
    rng = random.Random(seed)
    registry = _Registry()
    kinds = []
    for entity in range(n_entities):
        if rng.random() < 0.7:
            kind = "person"
            while True:
                surname = "".join(rng.choices(SYLLABLES, k=rng.randint(1, 3)))
                surname = (surname + rng.choice(SURNAME_ENDINGS)).capitalize()
                if registry.add(entity, kind, f"{rng.choice(FIRST_NAMES)} {surname}"):
                    break
        else:
            kind = "organization"
            while True:
                words = rng.sample(ORG_ADJECTIVES, rng.randint(1, 2))
                name = f"{' '.join(words)} {rng.choice(ORG_NOUNS)}"
                if rng.random() < 0.6:
                    name += f" for {rng.choice(ORG_TOPICS).strip()}"
                if rng.random() < 0.3:
                    name += f" {''.join(rng.choices(SYLLABLES, k=2)).capitalize()}"
                if registry.add(entity, kind, name):
                    break
        kinds.append(kind)

    extra = n_aliases - n_entities
    attempts = 0
    while extra > 0 and attempts < n_aliases * 20:
        attempts += 1
        entity = rng.randrange(n_entities)
        kind = kinds[entity]
        primary = registry.names[entity][0][0]
        choice = rng.random()
        if kind == "person":
            first, surname = primary.split(" ", 1)
            if choice < 0.35:
                candidate, script = f"{first} {_variant(surname)}", "latin"
            elif choice < 0.65:
                candidate, script = _cyrillic(primary), "cyrillic"
            elif choice < 0.85:
                candidate, script = _variant(surname) if rng.random() < 0.5 else surname, "latin"
            else:
                candidate, script = _cyrillic(surname), "cyrillic"
        elif choice < 0.4:
            candidate, script = _acronym(primary), "latin"
            if len(candidate) < 3 or len(candidate) > 6:
                continue
        elif choice < 0.7:
            candidate, script = _cyrillic(primary), "cyrillic"
        else:
            candidate, script = primary.replace("Belarusian", "Belarus"), "latin"
            if candidate == primary:
                candidate = "The " + primary
        if registry.add(entity, kind, candidate, script):
            extra -= 1

    popular = sorted(range(n_entities), key=lambda _: rng.random())
    weights = [1 / (rank + 10) ** 0.9 for rank in range(n_entities)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    star = popular[25]
    added_text = _variant(registry.names[star][0][0].split(" ", 1)[-1]) + " Jr"
    added = Alias(
        added_text, (kinds[star], star), f"/{kinds[star]}/{star}/", person=kinds[star] == "person"
    )

    def mention(cyrillic: bool) -> str:
        entity = rng.choices(popular, cum_weights=cumulative)[0]
        names = registry.names[entity]
        if entity == star and rng.random() < 0.3:
            text = added_text
        else:
            wanted = "cyrillic" if cyrillic else "latin"
            candidates = [n for n, script in names if script == wanted] or [names[0][0]]
            text = rng.choice(candidates)
        text = html.escape(text, quote=False)
        roll = rng.random()
        if roll < 0.08 and " " in text:
            text = text.replace(" ", "&nbsp;" if roll < 0.04 else "\u00a0", 1)
        elif roll < 0.2:
            text += "’s"
        elif roll < 0.25:
            text = f"<strong>{text}</strong>"
        elif roll < 0.26:
            text = f'<a href="https://example.org/{entity}">{text}</a>'
        return text

    def sentence(cyrillic: bool) -> str:
        vocabulary = FILLER_CYRILLIC if cyrillic else FILLER
        words = rng.choices(vocabulary, k=rng.randint(10, 22))
        if rng.random() < 0.65:
            words.insert(rng.randrange(len(words) + 1), mention(cyrillic))
        if rng.random() < 0.1:
            words.insert(rng.randrange(len(words) + 1), mention(cyrillic))
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + rng.choice(".....!?")

    items = []
    for _ in range(n_items):
        cyrillic = rng.random() < 0.2
        paragraphs = []
        for _ in range(rng.randint(2, 3)):
            body = " ".join(sentence(cyrillic) for _ in range(rng.randint(3, 5)))
            paragraphs.append(f"<p>{body}</p>")
        if rng.random() < 0.1:
            paragraphs.append("<ul><li>" + sentence(cyrillic) + "</li></ul>")
        items.append("\n".join(paragraphs))
    return Dataset(registry.aliases, items, added)


def _naive_patterns(aliases: Iterable[Alias]) -> list[re.Pattern]:
    """One compiled regex per entity: its aliases as alternatives, on word boundaries."""
    by_entity: dict = {}
    for alias in aliases:
        by_entity.setdefault(alias.key, []).append(alias.text)
    patterns = []
    for names in by_entity.values():
        alternatives = []
        for name in sorted(names, key=len, reverse=True):
            body = r"\s+".join(re.escape(word) for word in name.split())
            alternatives.append(body if name.isupper() else f"(?i:{body})")
        patterns.append(re.compile(r"\b(?:" + "|".join(alternatives) + r")\b"))
    return patterns


def _timed(function: Callable):
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def _duration(seconds: float) -> str:
    if seconds >= 7200:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.1f} min"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--aliases", type=int, default=30_000)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--naive-sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    rows: list[tuple[str, str, str]] = []

    def row(label: str, value: str, detail: str = "") -> None:
        rows.append((label, value, detail))
        print(f"  {label:<38} {value:>14}  {detail}", file=sys.stderr, flush=True)

    seconds, data = _timed(lambda: generate(args.seed, args.entities, args.aliases, args.items))
    size = sum(len(item.encode()) for item in data.items)
    entities = len({alias.key for alias in data.aliases})
    row(
        "generate data",
        _duration(seconds),
        f"{entities:,} entities, {len(data.aliases):,} aliases, {len(data.items):,} items, "
        f"{size / 1e6:.1f} MB",
    )

    seconds, linker = _timed(lambda: Linker(data.aliases, spelling_key=romanisation_key))
    row("build linker (automata)", _duration(seconds), f"{linker.size:,} names")

    def link_all():
        links = mentions = 0
        for number, item in enumerate(data.items):
            if number % DIGEST_SIZE == 0:
                reading = Reading()  # surnames link after their full name in one digest
            result = linker.link(item, reading=reading)
            links += result.html.count('<a class="mention"')
            mentions += sum(hit.occurrences for hit in result.hits.values())
        return links, mentions

    link_seconds, (links, mentions) = _timed(link_all)
    row(
        "link all items",
        _duration(link_seconds),
        f"{len(data.items) / link_seconds:,.0f} items/s, {size / 1e6 / link_seconds:.1f} MB/s, "
        f"{links / len(data.items):.1f} links/item, {mentions:,} occurrences",
    )

    seconds, inflected = _timed(
        lambda: Linker(with_inflections(data.aliases), spelling_key=romanisation_key)
    )
    row(
        "build linker with declined forms",
        _duration(seconds),
        f"{inflected.size:,} names (as digests.mentions.build_linker builds it)",
    )
    linker_plain = linker
    linker = inflected
    inflected_seconds, _ = _timed(link_all)
    linker = linker_plain
    row(
        "link all items, with declined forms",
        _duration(inflected_seconds),
        f"{len(data.items) / inflected_seconds:,.0f} items/s, "
        f"{link_seconds / inflected_seconds:.2f}× the items/s without them",
    )

    sample = data.items[: args.naive_sample]
    if sample:
        seconds, patterns = _timed(lambda: _naive_patterns(data.aliases))
        row("naive: compile one regex per entity", _duration(seconds), f"{len(patterns):,} regexes")

        def naive():
            found = 0
            for item in sample:
                for pattern in patterns:
                    found += len(pattern.findall(item))
            return found

        seconds, found = _timed(naive)
        per_item = seconds / len(sample)
        projected = per_item * len(data.items)
        row(
            "naive: find in sample (no linking)",
            _duration(per_item) + "/item",
            f"{1 / per_item:,.1f} items/s over {len(sample)} items, {found / len(sample):.1f} "
            "matches/item",
        )
        row("naive: projected for all items", _duration(projected), "")
        row("speed-up of the linker", f"{projected / link_seconds:,.0f}×", "link vs naive find")

    build_seconds, relinker = _timed(
        lambda: Linker([*data.aliases, data.added], spelling_key=romanisation_key)
    )
    row("relink: build linker with 1 more alias", _duration(build_seconds), repr(data.added.text))
    select_seconds, affected = _timed(
        lambda: [item for item in data.items if names_in(html.unescape(item), [data.added.text])]
    )
    row(
        "relink: select items (names_in)",
        _duration(select_seconds),
        f"{len(data.items) / select_seconds:,.0f} items/s, {len(affected):,} items affected",
    )
    keys_seconds, by_keys = _timed(
        lambda: sum(
            1 for item in data.items if data.added.key in relinker.find_keys(html.unescape(item))
        )
    )
    row(
        "relink: (alt.) select by find_keys",
        _duration(keys_seconds),
        f"{len(data.items) / keys_seconds:,.0f} items/s, {by_keys:,} items name the entity",
    )
    relink_seconds, _ = _timed(lambda: [relinker.link(item) for item in affected])
    row("relink: link affected items", _duration(relink_seconds), f"{len(affected):,} items")
    row(
        "relink: total (build + select + link)",
        _duration(build_seconds + select_seconds + relink_seconds),
        "",
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row("peak memory (RSS)", f"{peak:,.0f} MB", "")

    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    rule = "-" * (widths[0] + widths[1] + widths[2] + 4)
    print()
    print(f"{'measurement':<{widths[0]}}  {'value':>{widths[1]}}  detail")
    print(rule)
    for label, value, detail in rows:
        print(f"{label:<{widths[0]}}  {value:>{widths[1]}}  {detail}".rstrip())


if __name__ == "__main__":
    main()
