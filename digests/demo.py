"""Demo content for a fresh local site: three digests in the newsroom's form, dated relative
to the day it is loaded (yesterday, a week and two weeks before), so that the home page's
"most mentioned in the last 30 days" has something to show on a first `make run`; a few
people and organizations, with their Belarusian and Russian names; and the sample digest of
31 December 2025 in English, Belarusian and Russian (`demo_texts/`, the same texts as
tests/fixtures/import/), imported as the newsroom imports an export and published as one
group of versions, so that /be/ and /ru/ have a digest. `python manage.py load_demo` loads
it once; running it again changes nothing."""

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from digests.importing import DigestConflict, parse_digest, save_digest
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

# The latest digest; {placeholders} are dates relative to its own.
SECTIONS = [
    ("Prisoners freed this month", [
        "<p>On {freed} 123 political prisoners walked free after months of quiet "
        "diplomacy. Among them were Viktar Babaryka, Maria Kalesnikava and the Nobel laureate "
        "Ales Bialiatski.</p><p>The newsroom thanks everyone who worked for their release and "
        "repeats: every political prisoner in Belarus must be freed.</p>",
    ]),
    ("Meetings and activities", [
        "<p>On {met} Pavel Latushka met a delegation of the Congress of Local and "
        "Regional Authorities of the Council of Europe in Warsaw. They discussed residence "
        "permits for Belarusians abroad and the work of the democratic institutions.</p>",
        "<p>On {arrived} more than a hundred released prisoners reached Warsaw. Relatives, "
        "volunteers and diplomats met them at the Belarusian Solidarity Center.</p>",
    ]),
    ("Evidence for the ICC", [
        "<p>The National Anti-Crisis Management asked the International Criminal Court to "
        "examine Lukashenko’s public remarks on the forced expulsion of prisoners. The NAM "
        "says the remarks document a deliberate policy.</p>",
    ]),
    ("Most-watched posts of {year}", [
        "<p>Posts by Pavel Latushka and the NAU reached millions of viewers in {year}:</p>"
        "<ul><li>X: 2M views — Lukashenko’s private trip abroad</li>"
        "<li>YouTube: 254K views — a court fight over flight restrictions</li>"
        "<li>TikTok: 1.02M views — plans to bring in foreign workers</li></ul>",
    ]),
    ("Reading list", [
        "<ol><li>A report on repression and the case for EU unity.</li>"
        "<li>An appeal to Polish regulators about blocked banking apps.</li></ol>",
    ]),
]  # fmt: skip

# Two shorter digests before it: (days before the latest, lead, tags, sections).
EARLIER = [
    (7, "Sviatlana Tsikhanouskaya in Strasbourg, new names on the list of political "
     "prisoners, and the Council of Europe’s resolution.",
     ["political prisoners", "diplomacy"], [
        ("Diplomacy", [
            "<p>Sviatlana Tsikhanouskaya addressed the Council of Europe in Strasbourg and "
            "asked member states to keep the release of political prisoners on every agenda."
            "</p>",
            "<p>Pavel Latushka and the United Transitional Cabinet met ministers of the Baltic "
            "states about travel documents for Belarusians abroad.</p>",
        ]),
        ("Political prisoners", [
            "<p>Human rights defenders added eleven names to the list of political prisoners. "
            "Ales Bialiatski remains the best-known of them abroad.</p>",
        ]),
    ]),
    (14, "Maria Kalesnikava’s letter from prison, the ICC’s next steps, and what Lukashenko "
     "said about the elections.",
     ["political prisoners", "international justice"], [
        ("Voices from prison", [
            "<p>A letter from Maria Kalesnikava reached her family: she thanks everyone who "
            "writes to political prisoners and asks them to go on.</p>",
        ]),
        ("International justice", [
            "<p>Lawyers of the National Anti-Crisis Management sent new material to the "
            "International Criminal Court on the deportation of Belarusians.</p>",
            "<p>Alexander Lukashenko called the coming elections “a formality”; the NAM "
            "calls them a staged event without choice.</p>",
        ]),
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

# The names the Belarusian and Russian pages show (and the linker finds in those digests).
LOCAL_NAMES = {
    "pavel-latushka": ("Павел Латушка", "Павел Латушко"),
    "sviatlana-tsikhanouskaya": ("Святлана Ціханоўская", "Светлана Тихановская"),
    "maria-kalesnikava": ("Марыя Калеснікава", "Мария Колесникова"),
    "viktar-babaryka": ("Віктар Бабарыка", "Виктор Бабарико"),
    "ales-bialiatski": ("Алесь Бяляцкі", "Алесь Беляцкий"),
    "alexander-lukashenko": ("Аляксандр Лукашэнка", "Александр Лукашенко"),
    "national-anti-crisis-management": (
        "Нацыянальнае антыкрызіснае ўпраўленне",
        "Национальное антикризисное управление",
    ),
    "united-transitional-cabinet": (
        "Аб'яднаны пераходны кабінет Беларусі",
        "Объединённый переходный кабинет Беларуси",
    ),
    "congress-of-local-and-regional-authorities": (
        "Кангрэс мясцовых і рэгіянальных улад Савета Еўропы",
        "Конгресс местных и региональных властей Совета Европы",
    ),
    "council-of-europe": ("Савет Еўропы", "Совет Европы"),
    "international-criminal-court": ("Міжнародны крымінальны суд", "Международный уголовный суд"),
}

# The sample digest in its three versions: the English original first.
SAMPLE_TEXTS = Path(__file__).parent / "demo_texts"
SAMPLE_FILES = [
    "news-digest-2025-12-31.txt",
    "news-digest-2025-12-31.be.txt",
    "news-digest-2025-12-31.ru.txt",
]

# Marks the demo's digests (where they came from), so that loading again changes nothing.
DEMO_SOURCE = "digests/demo.py"
SAMPLE_SOURCE = "digests/demo_texts/"


def demo_title(date) -> str:
    """The title of the demo digest of `date`, in the newsroom's form."""
    return f"News digest {date.day} {date:%B %Y}"


def latest_demo_date():
    """The date of the latest demo digest: yesterday, as the site's clock sees it."""
    return timezone.localdate() - datetime.timedelta(days=1)


def _day(date) -> str:
    return f"{date.day} {date:%B}"


def _digest(date, lead, tags, sections) -> tuple[Digest, Item | None]:
    """A published demo digest of `date` with `sections` [(title, [body, ...]), ...]; returns
    it and its item about social media, if any."""
    digest = Digest.objects.create(
        title=demo_title(date),
        slug=slugify(demo_title(date)),
        date=date,
        lead=lead,
        status=Status.PUBLISHED,
        publish_at=timezone.now(),
        import_source=DEMO_SOURCE,
    )
    digest.tags.add(*tags)
    social_item = None
    for order, (title, bodies) in enumerate(sections):
        section = Section.objects.create(digest=digest, title=title, order=order)
        for item_order, body in enumerate(bodies):
            item = Item.objects.create(section=section, order=item_order, body=body)
            if title.startswith("Most-watched"):
                social_item = item
    return digest, social_item


def _entity(model, slug, fields, aliases):
    """The person or organization with `slug`, created with its aliases if missing."""
    entity, created = model.objects.get_or_create(slug=slug, defaults=fields)
    if created:
        for alias in aliases:
            if not Alias.clash(alias):
                Alias.objects.create(text=alias, **{model._meta.model_name: entity})
    return entity


def _name_locally(entities) -> None:
    """Fill in the Belarusian and Russian names where they are still empty."""
    for slug, entity in entities.items():
        if slug in LOCAL_NAMES and not (entity.name_be or entity.name_ru):
            entity.name_be, entity.name_ru = LOCAL_NAMES[slug]
            entity.full_clean()
            entity.save()


def _load_sample_versions() -> bool:
    """Import the sample digest in English, Belarusian and Russian, published, the two
    translations pointing at the English original. False when they were loaded before."""
    if Digest.objects.filter(import_source__startswith=SAMPLE_SOURCE).exists():
        return False
    original = None
    for name in SAMPLE_FILES:
        parsed = parse_digest((SAMPLE_TEXTS / name).read_bytes(), filename=name)
        try:
            result = save_digest(
                parsed, source=SAMPLE_SOURCE + name, publish=True, translation_of=original
            )
        except DigestConflict:
            continue  # a digest of that name was written here: left as it is
        original = original or result.digest.slug
    return True


@transaction.atomic
def load_demo() -> bool:
    """Create the demo content where it is missing. Returns True when it created any."""
    created = False
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
    IgnoredName.ignore(["Comments"])  # the old site builder's artefact, never a name
    _name_locally({**people, **organizations})
    if not Digest.objects.filter(import_source=DEMO_SOURCE).exists():
        _load_digests(people)
        created = True
    return _load_sample_versions() or created


def _load_digests(people) -> None:
    """The three English demo digests, their figures linked to Pavel Latushka."""
    latest = latest_demo_date()
    for days, lead, tags, sections in EARLIER:
        _digest(latest - datetime.timedelta(days=days), lead, tags, sections)
    year = latest.year - 1
    dates = {
        "freed": _day(latest - datetime.timedelta(days=11)),
        "met": _day(latest - datetime.timedelta(days=14)),
        "arrived": _day(latest - datetime.timedelta(days=6)),
        "year": year,
    }
    digest, social_item = _digest(
        latest,
        f"Prisoners freed, meetings in Warsaw, evidence sent to the ICC, and {year}’s "
        "most-watched posts.",
        ["political prisoners", "social media"],
        [
            (title.format(**dates), [body.format(**dates) for body in bodies])
            for title, bodies in SECTIONS
        ],
    )
    for platform, views, topic in METRICS:
        SocialMetric.objects.create(
            digest=digest,
            item=social_item,
            platform=platform,
            views=views,
            topic=topic,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
        )
    for platform, views, topic in DATED_METRICS:
        SocialMetric.objects.create(
            digest=digest, item=social_item, platform=platform, views=views, topic=topic
        )
    people["pavel-latushka"].social_metrics.set(digest.metrics.all())
