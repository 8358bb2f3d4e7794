"""How many mentions the linker finds from canonical names alone, and how many it gets wrong.

    python -m benchmarks.mentions

Reads tests/fixtures/mentions/corpus.json (digests of news prose with every mention of a
person or organization marked; written by write_corpus.py beside it) and registry.csv (one
canonical name per entity, no aliases), links each digest in reading order as
`digests.relinking.relink_digest` does, and prints recall (marked mentions covered by a link to
their entity), false links (links to an entity where no mention of it is marked) and nested
links. tests/test_mentions_measured.py runs the same measurement through the database.

Then the same for the sample digest in Belarusian and in Russian (be.json, ru.json, written by
write_translations.py) from registry-cyrillic.csv, which holds each entity's names in the
nominative only: every other case is reached through the declined forms that
`people.inflection` adds, as `digests.mentions.build_linker` does.
"""

from __future__ import annotations

import csv
import html
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "mentions"
CORPUS = FIXTURES / "corpus.json"
REGISTRY = FIXTURES / "registry.csv"
CYRILLIC_REGISTRY = FIXTURES / "registry-cyrillic.csv"
TRANSLATIONS = {"be": FIXTURES / "be.json", "ru": FIXTURES / "ru.json"}
_TOKEN = re.compile(r"<(/?)([a-zA-Z]+)([^>]*)>|([^<]+)")
_HREF = re.compile(r'class="mention" href="/[^/]+/([^/"]+)/"')


@dataclass
class Score:
    expected: int = 0
    linked: int = 0
    false_links: list = field(default_factory=list)
    nested: int = 0
    missed: Counter = field(default_factory=Counter)
    by_form: Counter = field(default_factory=Counter)  # (form, linked?) -> count

    @property
    def recall(self) -> float:
        return self.linked / self.expected if self.expected else 1.0

    def add(self, linked_html: str, mentions: list, canonical: dict) -> None:
        """Score one text: `mentions` are [slug, surface, start, end] in its plain text;
        `canonical` maps a slug to its registered name (or a set of them)."""
        links, depth, plain = [], 0, ""
        for closing, tag, attrs, text in _TOKEN.findall(linked_html):
            if text:
                plain += html.unescape(text)
            elif tag.lower() == "a" and not closing:
                depth += 1
                if depth > 1:
                    self.nested += 1
                match = _HREF.search(attrs)
                links.append([match.group(1) if match else None, len(plain), None])
            elif tag.lower() == "a" and closing:
                depth -= 1
                for link in reversed(links):
                    if link[2] is None:
                        link[2] = len(plain)
                        break
        links = [link for link in links if link[0]]
        for slug, surface, start, end in mentions:
            self.expected += 1
            names = canonical.get(slug, ())
            form = (
                "canonical name"
                if surface == names or (not isinstance(names, str) and surface in names)
                else "one word"
                if " " not in surface
                else "other full spelling"
            )
            hit = any(s == slug and a < end and b > start for s, a, b in links)
            self.linked += hit
            self.by_form[(form, hit)] += 1
            if not hit:
                self.missed[(slug, surface)] += 1
        for slug, start, end in links:
            if not any(s == slug and a < end and b > start for s, _, a, b in mentions):
                self.false_links.append((slug, plain[start:end], plain[max(0, start - 40) : end]))

    def report(self) -> str:
        lines = [
            f"mentions marked      {self.expected}",
            f"linked               {self.linked} ({self.recall:.1%})",
            f"false links          {len(self.false_links)}",
            f"nested links         {self.nested}",
        ]
        for form in ("canonical name", "other full spelling", "one word"):
            hit, miss = self.by_form[(form, True)], self.by_form[(form, False)]
            if hit + miss:
                lines.append(f"  {form:<19}{hit}/{hit + miss} linked")
        lines.append(
            "most often missed: "
            + ", ".join(f"{surface} ×{n}" for (_, surface), n in self.missed.most_common(8))
        )
        lines += [
            f"false: {slug} «{text}» in …{context}" for slug, text, context in self.false_links[:10]
        ]
        return "\n".join(lines)


def load_corpus(path: Path = CORPUS) -> list[dict]:
    return json.loads(path.read_text())["digests"]


def load_registry(path: Path = REGISTRY) -> list[dict]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def texts_in_reading_order(digest: dict):
    """(kind, plain-or-html text, mentions) of a digest: lead, section titles, captions, bodies
    in the order a reader meets them (an item's caption is shown above its body)."""
    yield "lead", digest["lead"], digest["lead_mentions"]
    for section in digest["sections"]:
        yield "title", section["title"], section.get("title_mentions", [])
        for item in section["items"]:
            yield "caption", item["caption"], item["caption_mentions"]
            yield "body", item["body"], item["body_mentions"]


def measure_pure(corpus: Path = CORPUS, registry: Path = REGISTRY) -> Score:
    """The linker alone, as `relink_digest` drives it, built as `build_linker` builds it (the
    registry's names and their declined Cyrillic forms)."""
    from digests.linker import Alias, Linker, Reading
    from people.inflection import with_inflections
    from people.spelling import romanisation_key

    rows = load_registry(registry)
    canonical: dict[str, set] = {}
    for row in rows:
        canonical.setdefault(row["slug"], set()).add(row["name"])
    aliases = [
        Alias(
            row["name"],
            row["slug"],
            f"/{row['kind']}/{row['slug']}/",
            person=row["kind"] == "person",
        )
        for row in rows
    ]
    linker = Linker(with_inflections(aliases), spelling_key=romanisation_key)
    score = Score()
    for digest in load_corpus(corpus):
        texts = [
            (text if kind == "body" else html.escape(text, quote=False), mentions)
            for kind, text, mentions in texts_in_reading_order(digest)
        ]
        named = set()
        for text, _ in texts:
            named |= linker.persons_named(text)
        reading = Reading(named=frozenset(named))
        for text, mentions in texts:
            score.add(linker.link(text, reading=reading).html, mentions, canonical)
    return score


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    score = measure_pure()
    print(score.report())
    for language, path in TRANSLATIONS.items():
        print(f"\nthe sample digest in {language} ({path.name}), nominative names only:")
        print(measure_pure(path, CYRILLIC_REGISTRY).report())


if __name__ == "__main__":
    main()
