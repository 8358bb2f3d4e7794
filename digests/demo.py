"""Demo content for a fresh local site: one digest in the newsroom's form, a few people and
organizations. `python manage.py load_demo` loads it once; running it again changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone

from digests.models import Digest, Item, Platform, Section, SocialMetric, Status
from people.models import Affiliation, Alias, IgnoredName, Organization, Person

PEOPLE = [
    ("Pavel Latushka", "pavel-latushka", "Deputy Head of the United Transitional Cabinet",
     ["Latushka", "Павел Латушка"]),
    ("Sviatlana Tsikhanouskaya", "sviatlana-tsikhanouskaya", "Leader of democratic Belarus",
     ["Tsikhanouskaya", "Tikhanovskaya", "Святлана Ціханоўская"]),
    ("Maria Kalesnikava", "maria-kalesnikava", "Musician and opposition politician",
     ["Kalesnikava", "Maria Kolesnikova"]),
    ("Viktar Babaryka", "viktar-babaryka", "Former presidential candidate",
     ["Babaryka", "Viktor Babariko"]),
    ("Ales Bialiatski", "ales-bialiatski", "Human rights defender, Nobel Peace Prize laureate",
     ["Bialiatski", "Ales Byalyatski"]),
    ("Alexander Lukashenko", "alexander-lukashenko", "Head of the regime in Minsk",
     ["Lukashenko", "Lukashenka", "Аляксандр Лукашэнка", "Александр Лукашенко"]),
]  # fmt: skip

ORGANIZATIONS = [
    ("National Anti-Crisis Management", "national-anti-crisis-management",
     Organization.Kind.DEMOCRATIC, ["National Anti-Crisis Administration", "NAM", "NAU"]),
    ("United Transitional Cabinet of Belarus", "united-transitional-cabinet",
     Organization.Kind.DEMOCRATIC, ["United Transitional Cabinet"]),
    ("Congress of Local and Regional Authorities of the Council of Europe",
     "congress-of-local-and-regional-authorities", Organization.Kind.INTERNATIONAL, []),
    ("Council of Europe", "council-of-europe", Organization.Kind.INTERNATIONAL, []),
    ("International Criminal Court", "international-criminal-court",
     Organization.Kind.INTERNATIONAL, ["ICC"]),
]  # fmt: skip

SECTIONS = [
    ("Prisoners freed in December", [
        "<p>On 13 December 123 political prisoners walked free after months of quiet "
        "diplomacy. Among them were Viktar Babaryka, Maria Kalesnikava and the Nobel laureate "
        "Ales Bialiatski.</p><p>The newsroom thanks everyone who worked for their release and "
        "repeats: every political prisoner in Belarus must be freed.</p>",
    ]),
    ("Meetings and activities", [
        "<p>On 10 December Pavel Latushka met a delegation of the Congress of Local and "
        "Regional Authorities of the Council of Europe in Warsaw. They discussed residence "
        "permits for Belarusians abroad and the work of the democratic institutions.</p>",
        "<p>On 18 December more than a hundred released prisoners reached Warsaw. Relatives, "
        "volunteers and diplomats met them at the Belarusian Solidarity Center.</p>",
    ]),
    ("Evidence for the ICC", [
        "<p>The National Anti-Crisis Management asked the International Criminal Court to "
        "examine Lukashenko’s public remarks on the forced expulsion of prisoners. The NAM "
        "says the remarks document a deliberate policy.</p>",
    ]),
    ("Most-watched posts of 2025", [
        "<p>Posts by Pavel Latushka and the NAU reached millions of viewers this year:</p>"
        "<ul><li>X: 2M views — Lukashenko’s private trip abroad</li>"
        "<li>YouTube: 254K views — a court fight over flight restrictions</li>"
        "<li>TikTok: 1.02M views — plans to bring in foreign workers</li></ul>",
    ]),
    ("Reading list", [
        "<ol><li>A report on repression and the case for EU unity.</li>"
        "<li>An appeal to Polish regulators about blocked banking apps.</li></ol>",
    ]),
]  # fmt: skip

METRICS = [
    (Platform.X, 2_000_000, "Lukashenko’s private trip abroad"),
    (Platform.YOUTUBE, 254_000, "A court fight over flight restrictions"),
    (Platform.TIKTOK, 1_020_000, "Plans to bring in foreign workers"),
]
# Figures for the digest's own day (no period given), charted by month apart from the year's.
DATED_METRICS = [
    (Platform.YOUTUBE, 48_300, "Pavel Latushka on the released prisoners"),
    (Platform.TELEGRAM, 21_700, "Meetings in Warsaw"),
]

DIGEST_SLUG = "news-digest-24-december-2025"


def _entity(model, slug, fields, aliases):
    """The person or organization with `slug`, created with its aliases if missing."""
    entity, created = model.objects.get_or_create(slug=slug, defaults=fields)
    if created:
        for alias in aliases:
            if not Alias.clash(alias):
                Alias.objects.create(text=alias, **{model._meta.model_name: entity})
    return entity


@transaction.atomic
def load_demo() -> bool:
    """Create the demo content unless the demo digest exists. Returns True when it created it."""
    if Digest.objects.filter(slug=DIGEST_SLUG).exists():
        return False
    people = {
        slug: _entity(Person, slug, {"name": name, "short_description": description}, aliases)
        for name, slug, description, aliases in PEOPLE
    }
    organizations = {
        slug: _entity(Organization, slug, {"name": name, "kind": kind}, aliases)
        for name, slug, kind, aliases in ORGANIZATIONS
    }
    Affiliation.objects.get_or_create(
        person=people["pavel-latushka"],
        organization=organizations["national-anti-crisis-management"],
        defaults={"role": "Head"},
    )
    Affiliation.objects.get_or_create(
        person=people["pavel-latushka"],
        organization=organizations["united-transitional-cabinet"],
        defaults={"role": "Deputy Head"},
    )
    digest = Digest.objects.create(
        title="News digest 24 December 2025",
        slug=DIGEST_SLUG,
        date=datetime.date(2025, 12, 24),
        lead="Prisoners freed, meetings in Warsaw, evidence sent to the ICC, and the year’s "
        "most-watched posts.",
        status=Status.PUBLISHED,
        publish_at=timezone.now(),
    )
    digest.tags.add("political prisoners", "social media")
    IgnoredName.ignore(["Comments"])  # the old site builder's artefact, never a name
    social_item = None
    for order, (title, bodies) in enumerate(SECTIONS):
        section = Section.objects.create(digest=digest, title=title, order=order)
        for item_order, body in enumerate(bodies):
            item = Item.objects.create(section=section, order=item_order, body=body)
            if title.startswith("Most-watched"):
                social_item = item
    for platform, views, topic in METRICS:
        SocialMetric.objects.create(
            digest=digest,
            item=social_item,
            platform=platform,
            views=views,
            topic=topic,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        )
    for platform, views, topic in DATED_METRICS:
        SocialMetric.objects.create(
            digest=digest, item=social_item, platform=platform, views=views, topic=topic
        )
    people["pavel-latushka"].social_metrics.set(digest.metrics.all())
    return True
