"""The readers' pages of digests: home, archive, figures, topics, privacy and robots.txt. A
digest's own page (and staff previews) is in digests.digest_page, entity pages in
digests.entity_pages, search in digests.search."""

import datetime
from html import escape

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, override
from taggit.models import Tag

from digests.charts import month_rows, monthly_chart, yearly_chart
from digests.models import (
    Digest,
    Item,
    Mention,
    Platform,
    Section,
    SocialMetric,
    public_entities,
)
from digests.ranking import leaders, named, per_entity, ranked, unsensitive
from digestsite.charts import figure
from digestsite.paging import page_or_404
from people.models import Organization, Person

ARCHIVE_PAGE_SIZE = 20
TAG_PAGE_SIZE = 20
MOST_MENTIONED = 5
MOST_MENTIONED_DAYS = 30
HOME_CARDS = 6
HOME_TOPICS = 12
CARD_NAMES = 4
TOP_POSTS = 20
CHART_MONTHS = 24
CHART_YEARS = 10
FILTER_CHOICES = 200


def _nonempty_sections():
    """Sections readers see: those with at least one item (an empty one is left out of the
    page and its contents)."""
    return Section.objects.filter(Exists(Item.objects.filter(section=OuterRef("pk"))))


def _names_per_digest(digests) -> dict:
    """{digest pk: {key: n}}: how many items of each digest name each person and organization
    (never a sensitive person), in one query for all of them."""
    rows = (
        unsensitive(Mention.objects.published().filter(digest__in=[d.pk for d in digests]))
        .values("digest", "person", "organization")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("digest", "person", "organization", "n")
    )
    counts: dict[int, dict] = {}
    for digest, person, organization, n in rows:
        counts.setdefault(digest, {})[person, organization] = n
    return counts


def home(request):
    """The latest published digest with its contents, the ones before it as cards with the
    names they carry most, who was named most in the 30 days up to the latest digest, and
    the topics of recent digests."""
    recent = list(
        Digest.objects.published()
        .in_language()
        .prefetch_related(
            Prefetch("sections", queryset=_nonempty_sections().order_by("order", "pk"))
        )[: HOME_CARDS + 1]
    )
    today = timezone.localdate()
    # The window ends at the latest digest, so that the page always has names to show even
    # when nothing was published in the last month (a new site, a pause).
    until = min(recent[0].date, today) if recent else today
    counts = per_entity(
        unsensitive(
            Mention.objects.published().filter(
                digest__language=get_language(),
                digest__date__gt=until - datetime.timedelta(days=MOST_MENTIONED_DAYS),
                digest__date__lte=until,
            )
        )
    )
    people = {key: n for key, n in counts.items() if key[0]}
    organizations = {key: n for key, n in counts.items() if key[1]}
    per_digest = _names_per_digest(recent)
    # The names of every list on the page, in one query.
    found = named(
        leaders(people, MOST_MENTIONED).union(
            leaders(organizations, MOST_MENTIONED),
            *(leaders(digest_counts, CARD_NAMES) for digest_counts in per_digest.values()),
        ),
        images=True,
    )
    top_people = ranked(people, found, MOST_MENTIONED)
    top_organizations = ranked(organizations, found, MOST_MENTIONED)
    for digest in recent:
        digest.top_names = ranked(per_digest.get(digest.pk, {}), found, CARD_NAMES)
    # Counted on the tags of published digests alone, without joining the digests once more.
    topics = (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Digest),
            taggit_taggeditem_items__object_id__in=Digest.objects.published()
            .in_language()
            .values("pk"),
        )
        .annotate(count=Count("taggit_taggeditem_items"))
        .order_by("-count", "name")[:HOME_TOPICS]
    )
    return render(
        request,
        "digests/home.html",
        {
            "latest": recent[0] if recent else None,
            "recent": recent[1:],
            "top_people": top_people,
            "top_organizations": top_organizations,
            "mentions_until": until if until < today - datetime.timedelta(days=1) else None,
            "topics": topics,
        },
    )


def archive(request, year=None, month=None):
    """Published digests in the page's language, newest first, paginated; optionally of one
    year or month."""
    digests = Digest.objects.published().in_language()
    period = None
    if year is not None:
        if not 1900 <= year <= 9999 or (month is not None and not 1 <= month <= 12):
            raise Http404("No such period.")
        digests = digests.filter(date__year=year)
        period = str(year)
        if month is not None:
            digests = digests.filter(date__month=month)
            period = date_format(datetime.date(year, month, 1), "F Y")
    page = page_or_404(digests, ARCHIVE_PAGE_SIZE, request.GET.get("page"))
    years = [
        d.year for d in Digest.objects.published().in_language().dates("date", "year", order="DESC")
    ]
    months = []
    if year is not None:
        months = [
            datetime.date(year, d.month, 1)
            for d in Digest.objects.published()
            .in_language()
            .filter(date__year=year)
            .dates("date", "month")
        ]
    return render(
        request,
        "digests/archive.html",
        {
            "nav": "digests",
            "page": page,
            "period": period,
            "year": year,
            "years": years,
            "months": months,
        },
    )


def privacy(request):
    """What the site does, and does not, keep about readers."""
    return render(request, "privacy.html", {"onion_location": settings.ONION_LOCATION})


def robots(request):
    """Crawlers may read the public site; staff pages and preview links are not for them."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /editor/",
    ]
    for code, _name in settings.LANGUAGES:
        with override(code):
            if code != settings.LANGUAGE_CODE:
                lines.insert(3, f"Disallow: /{code}/preview/")
            lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def _chosen(model, slug):
    """The public person or organization (`model`) named by a filter parameter; None when the
    parameter is empty (the rule of public pages, a millisecond to build, is left unbuilt)."""
    if not slug:
        return None
    entity = public_entities(model.objects).filter(slug=slug).only("name", "slug").first()
    if entity is None:
        raise Http404("No such person or organization.")
    return entity


def _options(entities, chosen):
    """The filter's <option>s: the first FILTER_CHOICES entities by name, `chosen` selected;
    written here, every value escaped as the template would, rather than by a template loop
    (a third of the page's time)."""
    rows = entities.order_by("name").values_list("name", "slug")[:FILTER_CHOICES]
    return mark_safe(  # each value escaped
        "".join(
            f'<option value="{escape(slug)}"'
            f"{' selected' if chosen and chosen.slug == slug else ''}>{escape(name)}</option>"
            for name, slug in rows
        )
    )


# What a row of the most viewed posts shows: the figure, and the addresses of its item or digest.
TOP_FIELDS = (
    "platform",
    "views",
    "topic",
    "url",
    "period_start",
    "period_end",
    "digest__slug",
    "digest__language",
    "item__anchor",
    "item__section__digest__slug",
    "item__section__digest__language",
)


def _top_rows(top) -> str:
    """The rows of the most viewed posts: views, platform (a link to the post, if public), topic
    (a link to its item, or its digest) and period. Written here, every value escaped as the
    template would, rather than by a template loop (half of the page's rendering)."""
    views, platform = escape(gettext("Views")), escape(gettext("Platform"))
    topic, period = escape(gettext("Topic")), escape(gettext("Period"))
    # Each platform's name once (get_platform_display() builds the choices anew each time).
    names = {platform: escape(label) for platform, label in Platform.choices}
    rows = []
    for metric in top:
        name = names.get(metric.platform) or escape(metric.platform)
        if metric.url:
            name = f'<a href="{escape(metric.url)}" rel="noopener noreferrer">{name}</a>'
        address = (metric.item or metric.digest).get_absolute_url()
        rows.append(
            f'<tr><td class="num" data-label="{views}">{escape(figure(metric.views))}</td>'
            f'<td data-label="{platform}">{name}</td>'
            f'<td data-label="{topic}"><a href="{escape(address)}">{escape(metric.topic)}</a></td>'
            f'<td data-label="{period}">{escape(metric.period_label)}</td></tr>\n'
        )
    return mark_safe("".join(rows))  # every value escaped above


def metrics(request):
    """Views per platform by month and the most viewed posts, from published digests only;
    optionally only the figures involving one person and/or organization."""
    # Each version of a digest repeats its figures: a page counts those of its language.
    figures = SocialMetric.objects.published().filter(digest__language=get_language())
    person = _chosen(Person, request.GET.get("person"))
    organization = _chosen(Organization, request.GET.get("organization"))
    if person:
        figures = figures.filter(people=person)
    if organization:
        figures = figures.filter(organizations=organization)
    # Figures go to the month their period ends; yearly totals never join the months. One
    # pass over the figures sums both (a yearly total ends on 31 December: its month tells
    # its year).
    sums = list(
        figures.marked_yearly()
        .annotate(month=TruncMonth("period_end"))
        .values("yearly", "month", "platform")
        .annotate(views=Sum("views"))
        .order_by()
    )
    dated = [row for row in sums if not row["yearly"]]
    newest_months = set(sorted({row["month"] for row in dated}, reverse=True)[:CHART_MONTHS])
    months = [row for row in dated if row["month"] in newest_months]
    years = sorted(
        (
            {"year": row["month"].year, "platform": row["platform"], "views": row["views"]}
            for row in sums
            if row["yearly"]
        ),
        key=lambda row: (-row["year"], row["platform"]),
    )[: CHART_YEARS * len(Platform)]
    # The most viewed are chosen among the figures alone, then read with their digest and
    # item: joining those to every figure before sorting cost 100 ms on 10,000 figures.
    most_viewed = figures.order_by("-views", "pk").values("pk")[:TOP_POSTS]
    top = list(
        SocialMetric.objects.filter(pk__in=most_viewed)
        .select_related("digest", "item__section__digest")
        .only(*TOP_FIELDS)
        .order_by("-views", "pk")
    )
    # EXISTS rather than `pk IN (…)`: read in name order (the name index), the first 200
    # people with public pages and published figures are found without testing everyone.
    published = SocialMetric.objects.published()
    people = public_entities(Person.objects).filter(Exists(published.filter(people=OuterRef("pk"))))
    organizations = public_entities(Organization.objects).filter(
        Exists(published.filter(organizations=OuterRef("pk")))
    )
    monthly = monthly_chart(months, chart_id="chart-months", title=gettext("Views per month"))
    context = {
        "nav": "metrics",
        "person": person,
        "organization": organization,
        "people_options": _options(people, person),
        "organization_options": _options(organizations, organization),
        "monthly": monthly,
        "month_rows": month_rows(monthly),
        "yearly": yearly_chart(years),
        "year_rows": years,
        "top": top,
        "top_rows": _top_rows(top),
        "top_links": any(metric.url for metric in top),
    }
    return render(request, "digests/metrics.html", context)


def tag_detail(request, slug):
    """Published digests and items on one topic in the page's language, each list
    paginated. A topic only drafts or scheduled digests carry is not found."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such topic.")
    digests = page_or_404(
        Digest.objects.published().in_language().filter(tags=tag),
        TAG_PAGE_SIZE,
        request.GET.get("page"),
    )
    items = (
        Item.objects.published()
        .filter(tags=tag, section__digest__language=get_language())
        # Sorted before the page is cut: the editor's source and the search columns (a third
        # of each row, decompressed for every tagged item) stay in the database.
        .defer("body", "search_text", "search_vector")
        .select_related("section__digest")
        .order_by(
            "-section__digest__date",
            "-section__digest__pk",
            "section__order",
            "section__pk",
            "order",
            "pk",
        )
    )
    items = page_or_404(items, TAG_PAGE_SIZE, request.GET.get("items"))
    if not digests.paginator.count and not items.paginator.count:
        raise Http404("No such topic.")
    return render(
        request, "digests/tag_detail.html", {"tag": tag, "digests": digests, "items": items}
    )


def tag_list(request):
    """Every topic that published digests or items carry, A–Z, with how many published
    digests carry it."""
    digests = Digest.objects.published().in_language().filter(tags=OuterRef("pk"))
    items = Item.objects.published().filter(
        tags=OuterRef("pk"), section__digest__language=get_language()
    )
    tags = (
        Tag.objects.filter(Exists(digests) | Exists(items))
        .annotate(
            digest_count=Coalesce(
                Subquery(digests.order_by().values("tags").annotate(n=Count("pk")).values("n")[:1]),
                0,
            )
        )
        .order_by("name")
    )
    return render(request, "digests/tag_list.html", {"tags": tags, "nav": "tags"})
