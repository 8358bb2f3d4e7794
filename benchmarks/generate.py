"""A large, deterministic dataset in the configured database, for the page benchmark.

    python -m benchmarks.generate [--scale 1.0] [--seed 1] [--reset]

At scale 1: 2,000 published digests of 50 items each (100,000 items) in 6 sections, 5,000
people and 1,000 organizations with Latin and Cyrillic aliases (transliteration variants,
surnames, acronyms), about 6 named entities per item as in the sample digest (61 mentions in
10 items), one person named in 10,000 items (the busiest person page), 5 social-media figures
per digest and tags on digests and items. `--scale` multiplies every count (BENCH_SCALE in
`make bench`).

Rows are written with `bulk_create`; item HTML and mentions come from the real linker
(`digests.mentions.link_item`) over the registry as stored, and the columns `save()` derives
(alias search keys, item search text and vector) are computed the same way, so pages and
search see exactly what the application would have saved.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from html import escape

BATCH = 2000

SECTION_TITLES = [
    "Release of political prisoners",
    "Crucial meetings and activities",
    "Statements and appeals",
    "International support",
    "Repression inside the country",
    "Belarusians abroad",
    "Culture and education",
    "Social media reach",
]
TAGS = """
    political-prisoners releases sanctions elections diplomacy eu-parliament council-of-europe
    un osce poland lithuania ukraine usa germany media-freedom journalists trials repression
    migration legalisation youth culture language education women-rights human-rights
    transnational-repression economy energy security solidarity volunteers diaspora
    belarusian-forces new-belarus coordination-council cabinet referendum memory
""".split()


def _names(rng: random.Random, n_people: int, n_organizations: int, normalize):
    """(people, organizations): lists of [primary, alias...] with unique normalised names."""
    from benchmarks.linker import (
        FIRST_NAMES,
        ORG_ADJECTIVES,
        ORG_NOUNS,
        ORG_TOPICS,
        STOPWORDS,
        SURNAME_ENDINGS,
        SYLLABLES,
        _acronym,
        _cyrillic,
        _variant,
    )

    seen: set[str] = set()

    def take(text: str) -> bool:
        key = normalize(text)
        if key in seen or key in STOPWORDS or len(key) < 3:
            return False
        seen.add(key)
        return True

    people = []
    while len(people) < n_people:
        surname = "".join(rng.choices(SYLLABLES, k=rng.randint(1, 3)))
        surname = (surname + rng.choice(SURNAME_ENDINGS)).capitalize()
        first = rng.choice(FIRST_NAMES)
        primary = f"{first} {surname}"
        if not take(primary):
            continue
        names = [primary]
        for candidate in (
            _cyrillic(primary),  # Павел Латушка
            f"{first} {_variant(surname)}",  # Lukashenka / Lukashenko
            surname if rng.random() < 0.3 else "",
            _cyrillic(f"{first} {_variant(surname)}") if rng.random() < 0.3 else "",
        ):
            if candidate and take(candidate):
                names.append(candidate)
        people.append(names)

    organizations = []
    while len(organizations) < n_organizations:
        words = rng.sample(ORG_ADJECTIVES, rng.randint(1, 2))
        primary = f"{' '.join(words)} {rng.choice(ORG_NOUNS)}"
        if rng.random() < 0.6:
            primary += f" for {rng.choice(ORG_TOPICS).strip()}"
        if rng.random() < 0.5:
            primary += f" {''.join(rng.choices(SYLLABLES, k=2)).capitalize()}"
        if not take(primary):
            continue
        names = [primary]
        acronym = _acronym(primary)
        for candidate in (
            _cyrillic(primary),
            acronym if 3 <= len(acronym) <= 6 else "",
            primary.replace("Belarusian", "Belarus") if "Belarusian" in primary else "",
        ):
            if candidate and take(candidate):
                names.append(candidate)
        organizations.append(names)
    return people, organizations


def _unique_slugs(names: list[str]) -> list[str]:
    from django.utils.text import slugify

    taken: set[str] = set()
    slugs = []
    for name in names:
        base = slugify(name)[:190] or "entity"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


class _Writer:
    """Item text with names at the sample digest's density (about 6 entities per item)."""

    def __init__(self, rng, people, organizations, star_names):
        from benchmarks.linker import FILLER, FILLER_CYRILLIC

        self.rng = rng
        self.filler, self.filler_cyrillic = FILLER, FILLER_CYRILLIC
        self.entities = [("p", names) for names in people[1:]]
        self.entities += [("o", names) for names in organizations]
        order = list(range(len(self.entities)))
        rng.shuffle(order)
        self.entities = [self.entities[i] for i in order]
        # Popularity falls off like a newsroom's: a few names everywhere, most rarely.
        weights = [1 / (rank + 10) ** 0.9 for rank in range(len(self.entities))]
        self.cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.star_names = star_names

    def _name(self, names, cyrillic: bool) -> str:
        rng = self.rng
        latin = [n for n in names if not _is_cyrillic(n)]
        cyr = [n for n in names if _is_cyrillic(n)]
        text = rng.choice(cyr if cyrillic and cyr else latin or names)
        text = escape(text, quote=False)
        roll = rng.random()
        if roll < 0.04 and " " in text:
            text = text.replace(" ", "&nbsp;", 1)
        elif roll < 0.15:
            text += "’s"
        elif roll < 0.2:
            text = f"<strong>{text}</strong>"
        return text

    def _sentence(self, cyrillic: bool, names: list[str]) -> str:
        rng = self.rng
        words = rng.choices(self.filler_cyrillic if cyrillic else self.filler, k=rng.randint(9, 18))
        for name in names:
            words.insert(rng.randrange(len(words) + 1), name)
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + rng.choice("....!")

    def item(self, *, star: bool) -> tuple[str, str]:
        """(title, body HTML) of one item."""
        rng = self.rng
        cyrillic = rng.random() < 0.2
        chosen = rng.choices(self.entities, cum_weights=self.cumulative, k=rng.randint(4, 8))
        mentions = [self._name(names, cyrillic) for _, names in chosen]
        # About 1.4 occurrences per named entity, as in the sample.
        mentions += [self._name(names, cyrillic) for _, names in chosen if rng.random() < 0.4]
        if star:
            mentions.append(self._name(self.star_names, cyrillic))
        rng.shuffle(mentions)
        sentences = []
        while mentions or len(sentences) < 6:
            take = min(len(mentions), rng.choice((0, 1, 1, 2)))
            sentences.append(self._sentence(cyrillic, mentions[:take]))
            mentions = mentions[take:]
        paragraphs, at = [], 0
        while at < len(sentences):
            size = rng.randint(2, 4)
            paragraphs.append("<p>" + " ".join(sentences[at : at + size]) + "</p>")
            at += size
        title = ""
        if rng.random() < 0.3:
            _, names = chosen[0]
            words = rng.choices(self.filler_cyrillic if cyrillic else self.filler, k=5)
            title = f"{names[0]} {' '.join(words)}".capitalize()
        return title, "".join(paragraphs)  # as sanitize_html writes it


def _is_cyrillic(text: str) -> bool:
    return any("\u0400" <= c <= "\u04ff" for c in text)


def reset() -> None:
    """Remove every digest, person and organization (and what hangs off them)."""
    from django.db import connection

    from digests.models import Digest
    from people.models import Organization, Person

    tables = [
        model._meta.db_table
        for model in (Digest, Person, Organization)
        if model._meta.db_table in connection.introspection.table_names()
    ]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("TRUNCATE taggit_tag CASCADE")
    else:
        from taggit.models import Tag

        Digest.objects.all().delete()
        Person.objects.all().delete()
        Organization.objects.all().delete()
        Tag.objects.all().delete()


def _derive(instance) -> None:
    """Set the search columns that save() would set (bulk_create bypasses save())."""
    if hasattr(instance, "search_key"):  # people.Alias
        from people.spelling import search_key, skeleton

        instance.search_key = search_key(instance.text)[:400]
        instance.search_skeleton = skeleton(instance.search_key)[:400]
    if hasattr(instance, "search_text"):  # digests.Item
        from digests.models import plain_search_text

        instance.search_text = plain_search_text(instance.body)


def _index_items(items) -> None:
    """The stored full-text vector (PostgreSQL), as the post_save handler writes it."""
    from django.db import connection

    from digests import models

    if connection.vendor == "postgresql" and hasattr(models, "item_search_vector"):
        models.Item.objects.filter(pk__in=[item.pk for item in items]).update(
            search_vector=models.item_search_vector()
        )


def generate(scale: float = 1.0, seed: int = 1, *, log=print) -> dict:
    """Write the dataset; return counts and the slugs the benchmark measures."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from digests.mentions import build_linker, link_item
    from digests.models import Digest, Item, Mention, Platform, Section, SocialMetric, Status
    from people.models import Alias, Organization, Person, normalize_name

    started = time.perf_counter()
    rng = random.Random(seed)
    n_digests = max(2, round(2000 * scale))
    n_people = max(20, round(5000 * scale))
    n_organizations = max(5, round(1000 * scale))
    items_per_digest = 50
    star_every = 10  # the star is named in every 10th item: 10,000 items at scale 1

    def step(label):
        log(f"  {time.perf_counter() - started:6.1f} s  {label}", file=sys.stderr, flush=True)

    people_names, organization_names = _names(rng, n_people, n_organizations, normalize_name)
    with transaction.atomic():
        people = Person.objects.bulk_create(
            [
                Person(
                    name=names[0],
                    slug=slug,
                    short_description=rng.choice(
                        ["Political prisoner", "Activist", "Journalist", "Lawyer", "Politician"]
                    ),
                    bio=f"<p>{escape(names[0])} is a {rng.choice(['lawyer', 'journalist'])}.</p>",
                    sensitive=i > 0 and rng.random() < 0.005,
                )
                for i, (names, slug) in enumerate(
                    zip(people_names, _unique_slugs([n[0] for n in people_names]), strict=True)
                )
            ],
            batch_size=BATCH,
        )
        kinds = [k for k, _ in Organization.Kind.choices]
        organizations = Organization.objects.bulk_create(
            [
                Organization(name=names[0], slug=slug, kind=rng.choice(kinds))
                for names, slug in zip(
                    organization_names,
                    _unique_slugs([n[0] for n in organization_names]),
                    strict=True,
                )
            ],
            batch_size=BATCH,
        )
        aliases = []
        for owner_field, owners, all_names in (
            ("person", people, people_names),
            ("organization", organizations, organization_names),
        ):
            for owner, names in zip(owners, all_names, strict=True):
                for i, text in enumerate(names):
                    alias = Alias(
                        text=text,
                        normalized=normalize_name(text),
                        is_primary=i == 0,
                        **{owner_field: owner},
                    )
                    _derive(alias)  # what Alias.save() computes besides `normalized`
                    aliases.append(alias)
        Alias.objects.bulk_create(aliases, batch_size=BATCH)
    step(f"{len(people):,} people, {len(organizations):,} organizations, {len(aliases):,} aliases")

    linker = build_linker()
    writer = _Writer(rng, people_names, organization_names, people_names[0])
    step(f"linker built ({linker.size:,} names)")

    tags = Tag.objects.bulk_create([Tag(name=t.replace("-", " "), slug=t) for t in TAGS])
    digest_type = ContentType.objects.get_for_model(Digest)
    item_type = ContentType.objects.get_for_model(Item)
    platforms = [p for p, _ in Platform.choices]
    first_day = datetime.date(2026, 11, 29) - datetime.timedelta(days=n_digests - 1)
    counts = {"items": 0, "mentions": 0, "metrics": 0, "occurrences": 0}
    chunk = max(1, BATCH // items_per_digest)  # digests per transaction
    item_number = 0
    for chunk_start in range(0, n_digests, chunk):
        with transaction.atomic():
            digests = []
            for n in range(chunk_start, min(n_digests, chunk_start + chunk)):
                day = first_day + datetime.timedelta(days=n)
                digests.append(
                    Digest(
                        title=f"News digest {day.day} {day:%B %Y}",
                        slug=f"news-digest-{day:%Y-%m-%d}",
                        date=day,
                        lead="Releases, meetings, statements and social-media reach of the day.",
                        status=Status.PUBLISHED,
                        publish_at=timezone.make_aware(
                            datetime.datetime.combine(day, datetime.time(18))
                        ),
                    )
                )
            Digest.objects.bulk_create(digests)
            sections = []
            for digest in digests:
                titles = rng.sample(SECTION_TITLES, 6)
                for order, title in enumerate(titles):
                    sections.append(
                        Section(
                            digest=digest,
                            title=title,
                            order=order,
                            anchor=title.lower().replace(" ", "-"),
                            title_html=linker.link(escape(title, quote=False)).html,
                        )
                    )
            Section.objects.bulk_create(sections)
            items, hits = [], []
            for s, section in enumerate(sections):
                in_section = items_per_digest // 6 + (1 if s % 6 < items_per_digest % 6 else 0)
                for order in range(in_section):
                    title, body = writer.item(star=item_number % star_every == 0)
                    item_number += 1
                    item = Item(section=section, order=order, title=title, body=body)
                    hits.append(link_item(item, linker=linker, suppressed=set()))
                    _derive(item)  # what Item.save() computes besides the linked HTML
                    items.append(item)
            Item.objects.bulk_create(items, batch_size=BATCH)
            _index_items(items)
            mentions = []
            for item, found in zip(items, hits, strict=True):
                for (kind, pk), hit in found.items():
                    mentions.append(
                        Mention(
                            item=item,
                            source=Mention.Source.AUTOMATIC,
                            occurrences=hit.occurrences,
                            snippet=hit.snippet,
                            **{f"{kind}_id": pk},
                        )
                    )
                    counts["occurrences"] += hit.occurrences
            Mention.objects.bulk_create(mentions, batch_size=BATCH * 2)
            metrics = []
            for digest in digests:
                for _ in range(5):
                    item = rng.choice(items)
                    metrics.append(
                        SocialMetric(
                            digest=digest,
                            item=item if rng.random() < 0.5 else None,
                            platform=rng.choice(platforms),
                            views=rng.randint(1_000, 5_000_000),
                            topic=item.title or f"Interview with {rng.choice(people_names)[0]}",
                            period_start=digest.date,
                            period_end=digest.date,
                        )
                    )
            SocialMetric.objects.bulk_create(metrics)
            metric_people, metric_organizations = [], []
            for metric in metrics:
                for kind, pk in linker.find_keys(metric.topic):
                    if kind == "person":
                        metric_people.append(
                            SocialMetric.people.through(socialmetric_id=metric.pk, person_id=pk)
                        )
                    else:
                        metric_organizations.append(
                            SocialMetric.organizations.through(
                                socialmetric_id=metric.pk, organization_id=pk
                            )
                        )
            SocialMetric.people.through.objects.bulk_create(metric_people)
            SocialMetric.organizations.through.objects.bulk_create(metric_organizations)
            tagged = []
            for digest in digests:
                for tag in rng.sample(tags, 3):
                    tagged.append(
                        TaggedItem(content_type=digest_type, object_id=digest.pk, tag=tag)
                    )
            for item in items:
                if rng.random() < 0.3:
                    tag = rng.choice(tags)
                    tagged.append(TaggedItem(content_type=item_type, object_id=item.pk, tag=tag))
            TaggedItem.objects.bulk_create(tagged, batch_size=BATCH)
            counts["items"] += len(items)
            counts["mentions"] += len(mentions)
            counts["metrics"] += len(metrics)
        if (chunk_start // chunk) % 10 == 9:
            step(f"{counts['items']:,} items, {counts['mentions']:,} mentions")
    step(f"{n_digests:,} digests, {counts['items']:,} items, {counts['mentions']:,} mentions")

    try:  # bulk writes send no signals: retire any cached page
        from digestsite.cache import content_changed
    except ImportError:
        pass
    else:
        content_changed()
    if connection.vendor == "postgresql":
        # VACUUM cannot run in a transaction (the tests generate inside one): ANALYZE can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(command)
        step(command)
    elapsed = time.perf_counter() - started
    star = people[0]
    return {
        "seconds": elapsed,
        "digests": n_digests,
        "items": counts["items"],
        "mentions": counts["mentions"],
        "occurrences": counts["occurrences"],
        "metrics": counts["metrics"],
        "people": len(people),
        "organizations": len(organizations),
        "aliases": len(aliases),
        "star_slug": star.slug,
        "star_mentions": Mention.objects.filter(person=star).count(),
        "digest_slug": Digest.objects.published()
        .order_by("-date")
        .values_list("slug", flat=True)[0],
        "people_names": [names for names in people_names[:200]],
        "organization_names": [names for names in organization_names[:50]],
    }


def summary_from_database() -> dict | None:
    """What `generate()` returns that the measurements need, for data generated earlier in
    the same database; None when there is none."""
    from django.db.models import Count

    from digests.models import Digest
    from people.models import Organization, Person

    latest = Digest.objects.published().order_by("-date").values_list("slug", flat=True).first()
    if latest is None:
        return None
    star = Person.objects.annotate(n=Count("mentions")).order_by("-n").first()

    def names(queryset, limit):
        return [
            [entity.name, *entity.other_names]
            for entity in queryset.prefetch_related("aliases").order_by("pk")[:limit]
        ]

    return {
        "digest_slug": latest,
        "star_slug": star.slug,
        "people_names": names(Person.objects.all(), 200),
        "organization_names": names(Organization.objects.all(), 50),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reset", action="store_true", help="remove existing content first")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    if args.reset:
        reset()
    summary = generate(args.scale, args.seed)
    print(
        f"Generated {summary['digests']:,} digests, {summary['items']:,} items, "
        f"{summary['mentions']:,} mentions ({summary['mentions'] / summary['items']:.1f} per "
        f"item), {summary['people']:,} people, {summary['organizations']:,} organizations, "
        f"{summary['aliases']:,} aliases, {summary['metrics']:,} figures in "
        f"{summary['seconds']:.1f} s; {summary['star_slug']} is named in "
        f"{summary['star_mentions']:,} items."
    )


if __name__ == "__main__":
    main()
