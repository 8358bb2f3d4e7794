"""Linker benchmark: `python -m benchmarks.linker` (or `make bench`).

Generates a registry of entities with aliases (Latin, Cyrillic, acronyms) and items of HTML
with names at about the sample digest's density, then measures in one run:

- building the automaton;
- linking every item (items/s and MB/s);
- the naive approach, one compiled regular expression per entity run over each item, timed on
  a sample of the items and reported per item (the full naive run would take hours);
- relinking after one alias is added: rebuild, find the items that contain it, relink those.

Deterministic for a given --seed. Pure Python: no database.
"""

import argparse
import random
import re
import time
from dataclasses import dataclass

from digests.linker import Alias, Linker

LATIN_FIRST = "Aliaksandr Pavel Maria Sviatlana Viktar Ales Maksim Uladz Marina Artsiom Ihar Volha Tatsiana Andrei Siarhei Dzmitry Hanna Iryna Kastus Mikalai".split()  # noqa: E501
LATIN_LAST = "Latushka Kalesnikava Babaryka Bialiatski Znak Seviarynets Feduta Zolotava Labkovich Brukhan Losik Kolesnikova Statkevich Tsikhanouski Ivanou Petrovich Kazlou Shylko Varonka Dashkevich".split()  # noqa: E501
CYR_FIRST = "Аляксандр Павел Марыя Святлана Віктар Алесь Максім Уладзь Марына Арцём".split()
CYR_LAST = (
    "Латушка Калеснікава Бабарыка Бяляцкі Знак Севярынец Федута Золатава Лабковіч Брухан".split()
)
ORG_WORDS = "National Democratic Council Assembly Committee Union Centre Foundation Office Mission Association Forum Network Institute Coalition Movement Cabinet Agency Service Bureau".split()  # noqa: E501
ORG_OF = "Belarus Europe Lithuania Poland Ukraine Freedom Solidarity Justice Transition Media Culture Education Health Labour Rights Memory Youth Women Regions Diaspora".split()  # noqa: E501
FILLER = (
    "the meeting focused on support for released political prisoners and their families while "
    "representatives discussed legalisation residency documents and the work of democratic "
    "institutions abroad as well as repression inside the country and international pressure"
).split()


@dataclass
class Dataset:
    aliases: list[Alias]
    names: list[str]
    items: list[str]


def generate(seed: int, n_entities: int, n_aliases: int, n_items: int) -> Dataset:
    """A registry of `n_entities` with `n_aliases` names in all, and `n_items` HTML items."""
    rng = random.Random(seed)
    aliases: list[Alias] = []
    taken: set[str] = set()

    def add(text, key):
        folded = text.casefold()
        if folded in taken:
            return False
        taken.add(folded)
        aliases.append(Alias(text, key, f"/e/{key[0]}/{key[1]}/"))
        return True

    entities = []
    for n in range(n_entities):
        key = ("person", n) if n % 5 else ("organization", n)
        while True:
            if key[0] == "person":
                name = f"{rng.choice(LATIN_FIRST)} {rng.choice(LATIN_LAST)} {n}"
            else:
                name = f"{rng.choice(ORG_WORDS)} of {rng.choice(ORG_OF)} {n}"
            if add(name, key):
                break
        entities.append((key, name))
    i = 0
    while len(aliases) < n_aliases:
        key, name = entities[i % n_entities]
        kind, round_ = i % 3, i // n_entities
        if kind == 0:
            text = f"{rng.choice(CYR_FIRST)} {rng.choice(CYR_LAST)} {key[1]}"
        elif kind == 1 and key[0] == "organization":
            text = "".join(w[0] for w in name.split() if w[0].isupper()) + str(key[1])
        else:
            text = f"{name.split()[round_ % 2]} {key[1]}"
        add(text, key)
        i += 1
    names = [a.text for a in aliases]
    items = []
    for _ in range(n_items):
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            words = [rng.choice(FILLER) for _ in range(rng.randint(40, 80))]
            for _ in range(rng.randint(1, 3)):  # the sample has a few names per paragraph
                words.insert(rng.randrange(len(words)), rng.choice(names))
            words[0] = words[0].capitalize()
            paragraphs.append("<p>" + " ".join(words) + ".</p>")
        items.append("".join(paragraphs))
    return Dataset(aliases=aliases, names=names, items=items)


def naive_patterns(aliases: list[Alias]) -> list[tuple[object, re.Pattern]]:
    """One regular expression per entity: the alternation of its names, longest first."""
    by_entity: dict[object, list[str]] = {}
    for alias in aliases:
        by_entity.setdefault(alias.key, []).append(alias.text)
    patterns = []
    for key, texts in by_entity.items():
        alternatives = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
        patterns.append((key, re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)))
    return patterns


def naive_link(patterns, html: str) -> int:
    found = 0
    for _key, pattern in patterns:
        found += len(pattern.findall(html))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--aliases", type=int, default=30_000)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--naive-sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    data = generate(args.seed, args.entities, args.aliases, args.items)
    generated = time.perf_counter() - started
    megabytes = sum(len(i.encode()) for i in data.items) / 1e6

    started = time.perf_counter()
    linker = Linker(data.aliases)
    build = time.perf_counter() - started

    started = time.perf_counter()
    links = 0
    for html in data.items:
        links += len(linker.link(html).hits)
    link_time = time.perf_counter() - started

    patterns = naive_patterns(data.aliases)
    sample = data.items[: args.naive_sample]
    started = time.perf_counter()
    for html in sample:
        naive_link(patterns, html)
    naive_time = time.perf_counter() - started
    naive_per_item = naive_time / len(sample)

    # Adding one alias that the text already uses: the registry without it, then with it.
    added = data.aliases[len(data.aliases) // 2]
    without = Linker([a for a in data.aliases if a is not added])
    probe = Linker([added])
    word = max(added.text.split(), key=len)
    started = time.perf_counter()
    rebuilt = Linker([*data.aliases])
    # The database pre-filters on the name's longest word; the linker confirms.
    affected = [html for html in data.items if word in html and probe.find_keys(html)]
    for html in affected:
        rebuilt.link(html)
    relink_time = time.perf_counter() - started
    assert without.size == rebuilt.size - 1

    rows = [
        ("registry", f"{args.entities:,} entities, {len(data.aliases):,} aliases"),
        ("items", f"{len(data.items):,} items, {megabytes:.1f} MB of HTML "
                  f"(generated in {generated:.1f} s)"),
        ("automaton build", f"{build:.2f} s"),
        ("linker: all items", f"{link_time:.1f} s = {len(data.items) / link_time:,.0f} items/s, "
                              f"{megabytes / link_time:.2f} MB/s ({links:,} entities found)"),
        ("naive regex per entity", f"{naive_per_item * 1000:,.0f} ms/item = "
                                   f"{1 / naive_per_item:.2f} items/s (sample of {len(sample)})"),
        ("naive, projected", f"{naive_per_item * len(data.items) / 3600:.1f} h for all items"),
        ("speed-up", f"{naive_per_item / (link_time / len(data.items)):,.0f}×"),
        ("relink after one alias", f"{relink_time:.1f} s (rebuild + scan + relink "
                                   f"{len(affected):,} affected items)"),
    ]  # fmt: skip
    width = max(len(label) for label, _ in rows)
    print("Linker benchmark")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


if __name__ == "__main__":
    main()
