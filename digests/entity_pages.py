"""The public person and organization pages: the A–Z indexes, each entity's page with every
published item naming it, and its feed at old addresses. They list what published digests say,
so they live with the content; the registry (`people`) only knows the names. Their routes keep
the `people:` namespace (`digests/entity_urls.py`).
"""

import string
from collections import namedtuple
from html import escape
from itertools import groupby

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from digests.models import Digest, Mention, Platform, public_entities, public_family
from digests.ranking import LOCALIZED_NAMES, leading, named, ranked, unsensitive
from digestsite.charts import figure, timeline_chart
from digestsite.paging import page_or_404
from people.models import Affiliation, Organization, Person

MENTIONS_PER_PAGE = 50
# A mention as an entity's page lists it: its digest, then where in it and the sentence.
MENTION_ROW = (
    "digest",
    "digest__slug",
    "digest__title",
    "digest__date",
    "digest__language",
    "item__anchor",
    "item__section__title",
    "snippet",
)
MentionRow = namedtuple("MentionRow", "anchor section snippet")
CO_MENTIONED = 10
CO_MENTION_ITEMS = 500
TIMELINE_MONTHS = 24
# The social-media figures involving an entity its page lists, newest first, and what they show.
FIGURES = 20
FIGURE_FIELDS = ("platform", "views", "topic", "digest__slug", "digest__date", "digest__language")
# The Belarusian and Russian lines the people index shows on those languages' pages.
LOCALIZED_DESCRIPTIONS = ("short_description_be", "short_description_ru")


def _escaped(values: list) -> list:
    """`values` escaped as `html.escape` would each, in one pass over them all joined (a
    NUL never appears in stored text; should one, each value is escaped on its own)."""
    escaped = escape("\0".join(values)).split("\0")
    return escaped if len(escaped) == len(values) else [escape(value) for value in values]


def _alphabetical(rows, url_name: str):
    """Group (name, slug, note) rows under their initial letter, A–Z first, then other
    alphabets, then '#'; each group's list items as one string of HTML. Thousands of rows are
    written here rather than by the template language (a tenth of the time), every value
    escaped as the template would (`html.escape`, as Django's `escape`: thousands of values
    at once, `_escaped`), each address from one `reverse()`."""
    placeholder = "entity-slug-placeholder"
    before, after = escape(reverse(url_name, kwargs={"slug": placeholder})).split(placeholder)
    names = _escaped([name for name, _, _ in rows])
    slugs = _escaped([slug for _, slug, _ in rows])
    notes = _escaped([str(note) if note else "" for _, _, note in rows])
    groups: dict[str, list] = {}
    by_first: dict[str, list] = {}  # a name's first character → its group's list
    for (name, _, _), html_name, slug, note in zip(rows, names, slugs, notes, strict=True):
        group = by_first.get(name[:1])
        if group is None:
            initial = name[:1].upper()
            key = initial if initial.isalpha() else "#"
            group = by_first[name[:1]] = groups.setdefault(key, [])
        meta = f' <span class="meta">{note}</span>' if note else ""
        group.append(f'<li><a href="{before}{slug}{after}">{html_name}</a>{meta}</li>')
    latin = [k for k in string.ascii_uppercase if k in groups]
    other = sorted(k for k in groups if k not in latin and k != "#")
    return [
        (k, mark_safe("".join(groups[k])))  # each value escaped above
        for k in [*latin, *other, *(["#"] if "#" in groups else [])]
    ]


def _index(groups, kind: str) -> dict:
    """The A–Z index of `groups` (from `_alphabetical`) as HTML: its `initials`, each a link to
    its section, and its `sections`, one per initial (ids "`kind`-1", "`kind`-2", …). Written
    here, every value escaped, rather than by two template loops over the groups."""
    initials, sections = [], []
    for n, (initial, entities) in enumerate(groups, start=1):
        anchor, letter = f"{kind}-{n}", escape(initial)
        initials.append(f'<li><a href="#{anchor}">{letter}</a></li>')
        sections.append(
            f'<section aria-labelledby="{anchor}">\n<h2 id="{anchor}">{letter}</h2>\n'
            f'<ul class="entity-list">{entities}</ul>\n</section>\n'
        )
    return {  # every value escaped above
        "initials": mark_safe("".join(initials)),
        "sections": mark_safe("".join(sections)),
    }


def _mention_groups(groups) -> str:
    """A page of mentions as HTML: a section per digest (its title, date and, for another
    language's digest, that language) listing where each mention is and its sentence. Fifty
    mentions are written here rather than by the template language (a quarter of the page's
    rendering), every value escaped as the template would."""
    page_language = get_language()
    parts = []
    for digest, mentions in groups:
        address = escape(digest.get_absolute_url())
        language = escape(digest.language)
        # Another language's digest says so, and its text is marked as that language.
        lang = hreflang = other = ""
        if digest.language != page_language:
            lang = f' lang="{language}"'
            hreflang = f'{lang} hreflang="{language}"'
            other = f' · <span lang="{language}">{escape(digest.get_language_display())}</span>'
        parts.append(
            f'<section class="mention-group" aria-labelledby="digest-{digest.pk}">\n'
            f'<h3 id="digest-{digest.pk}"><a href="{address}"{hreflang}>{escape(digest.title)}'
            f'</a> <span class="meta"><time datetime="{dateformat.format(digest.date, "Y-m-d")}">'
            f"{escape(dateformat.format(digest.date, 'j E Y'))}</time>{other}</span></h3>\n"
            f'<ul class="mentions"{lang}>\n'
        )
        for mention in mentions:
            snippet = f": <q>{escape(mention.snippet)}</q>" if mention.snippet else ""
            parts.append(
                f'<li><a href="{address}#{escape(mention.anchor)}">{escape(mention.section)}</a>'
                f"{snippet}</li>\n"
            )
        parts.append("</ul>\n</section>\n")
    return mark_safe("".join(parts))  # every value escaped above


def _figure_rows(metrics) -> str:
    """Social-media figures as table rows: platform, views, topic and the digest reporting
    them (its date, a link). Written here, every value escaped as the template would, rather
    than by a template loop (up to half of the page's rendering)."""
    names = {platform: escape(str(label)) for platform, label in Platform.choices}
    addresses: dict = {}  # each digest's, worked out once
    rows = []
    for metric in metrics:
        digest = metric.digest
        if digest.pk not in addresses:
            addresses[digest.pk] = escape(digest.get_absolute_url())
        rows.append(
            f"<tr><td>{names.get(metric.platform) or escape(metric.platform)}</td>"
            f'<td class="num">{escape(figure(metric.views))}</td><td>{escape(metric.topic)}</td>'
            f'<td><a href="{addresses[digest.pk]}">'
            f"{escape(dateformat.format(digest.date, 'j M Y'))}</a></td></tr>\n"
        )
    return mark_safe("".join(rows))  # every value escaped above


def _entity_or_redirect(queryset, slug):
    """The public entity at `slug`; for an old address (renamed or merged) a 301 to where it
    lives now, if that page is public; otherwise 404."""
    entity = queryset.filter(slug=slug).first()
    if entity is not None:
        return entity, None
    moved = public_entities(queryset.model.objects).filter(redirects__old_slug=slug).first()
    if moved is None:
        raise Http404("Not found.")
    return None, redirect(moved, permanent=True)


class _MentionList:
    """An entity's published mentions, newest digest first, as Paginator pages them, built
    from the per-digest counts (`per_digest`: (digest pk, count) in reading order): counting
    is adding those up, and a page reads only the mentions of the digests it covers — never
    all 10,000 mentions of the most-named person, sorted."""

    def __init__(self, mentions, per_digest):
        self.mentions = mentions
        self.per_digest = per_digest

    def count(self) -> int:
        return sum(n for _, n in self.per_digest)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, bounds: slice):
        start, stop = bounds.start or 0, bounds.stop
        first, digests, position = None, [], 0
        for pk, n in self.per_digest:
            if position + n > start and position < stop:
                first = position if first is None else first
                digests.append(pk)
            position += n
        if not digests:
            return []
        return list(self.mentions.filter(digest__in=digests))[start - first : stop - first]


def _mentions(request, entity) -> dict:
    """Every published mention of `entity`, newest digest first, grouped by digest; the
    entities most often named in the same items (of its newest 500); the social-media figures
    involving it; items naming it per month."""
    published = entity.mentions.published()
    # One pass over the entity's mentions, read from its index (Mention.digest): how many
    # each published digest holds, newest first. The count, the pages and the timeline all
    # come from these rows, one per digest.
    per_digest = list(
        published.values("digest", "digest__date")
        .annotate(n=Count("*"))
        .order_by("-digest__date", "-digest__publish_at", "-digest_id")
        .values_list("digest", "digest__date", "n")
    )
    # A page of mentions shows each one's digest, item anchor, section title and snippet:
    # read as plain rows (no item, section or digest instances for 50 mentions).
    mentions = published.order_by(
        "-digest__date",
        "-digest__publish_at",
        "-digest_id",
        "item__section__order",
        "item__section_id",
        "item__order",
        "item_id",
    ).values_list(*MENTION_ROW)
    object_list = _MentionList(mentions, [(pk, n) for pk, _, n in per_digest])
    page = page_or_404(object_list, MENTIONS_PER_PAGE, request.GET.get("page"))
    groups = [
        (
            Digest(pk=pk, slug=slug, title=title, date=date, language=language),
            [MentionRow(anchor, section, snippet) for *_, anchor, section, snippet in rows],
        )
        for (pk, slug, title, date, language), rows in groupby(
            page.object_list, key=lambda row: row[:5]
        )
    ]
    # Bounded work: "often named with" looks at the items naming the entity in its newest
    # digests, CO_MENTION_ITEMS items or a few more, not at all 10,000 of the most-named person.
    recent_digests, seen = [], 0
    for pk, _, n in per_digest:
        if seen >= CO_MENTION_ITEMS:
            break
        recent_digests.append(pk)
        seen += n
    # Those digests are published (per_digest lists only those): no second published join.
    recent_items = (
        entity.mentions.filter(digest__in=recent_digests)
        .exclude(source=Mention.Source.SUPPRESSED)
        .values("item")
    )
    co_mentioned = _named_with(entity, recent_items)
    metrics = list(
        entity.social_metrics.published().select_related("digest").only(*FIGURE_FIELDS)[:FIGURES]
    )
    # Items naming the entity per month (of its latest 24 months named), drawn as a chart:
    # an entity is named once per item, so mentions per digest are items per digest.
    per_month: dict = {}
    for _, date, n in per_digest:
        month = date.replace(day=1)
        if month not in per_month:
            if len(per_month) == TIMELINE_MONTHS:
                break  # newest first: every digest left is older still
            per_month[month] = 0
        per_month[month] += n
    timeline = timeline_chart(
        per_month,
        chart_id="chart-timeline",
        title=gettext("Items naming %(name)s, per month") % {"name": entity.local_name},
        noun="item",
    )
    return {
        "page": page,
        "mention_groups": _mention_groups(groups),
        "co_mentioned": co_mentioned,
        "metrics": metrics,
        "figure_rows": _figure_rows(metrics),
        "timeline": timeline,
    }


def _named_with(entity, items) -> list:
    """The people and organizations named most often in `items` beside `entity`, most first,
    then A–Z: CO_MENTIONED of them, each with its `count` of items. Never a sensitive person;
    suppressed mentions do not count. `items` are published ones, so the published rule needs
    no second join: mentions are counted on their ids (an entity is named once per item)."""
    counts = leading(
        unsensitive(
            Mention.objects.filter(item__in=items)
            .exclude(source=Mention.Source.SUPPRESSED)
            .exclude(**{entity._meta.model_name: entity})
        ),
        CO_MENTIONED,
    )
    return ranked(counts, named(counts), CO_MENTIONED)


def _in_language(entities, note: str, local_notes: tuple = ()) -> list:
    """(name, slug, note) of `entities` in the page's language, the English value where none
    is written (`local_notes`: the note's Belarusian and Russian fields, if it has any): in the
    database's name order in English, else sorted by the local name. Only the page's
    language's columns are read."""
    index = {"be": 0, "ru": 1}.get(get_language())
    if index is None:
        return list(entities.values_list("name", "slug", note))
    local = [LOCALIZED_NAMES[index], *local_notes[index : index + 1]]
    rows = [
        (local_name or name, slug, (translated[0] or value) if translated else value)
        for name, slug, value, local_name, *translated in entities.values_list(
            "name", "slug", note, *local
        )
    ]
    return sorted(rows, key=lambda row: row[0].casefold())


def person_list(request):
    """Every person with a public page, A–Z. (No per-person counts: on an archive of 650,000
    mentions they cost seconds; each person's page says how many items name them.)"""
    people = _in_language(
        public_entities(Person.objects), "short_description", LOCALIZED_DESCRIPTIONS
    )
    return render(
        request,
        "digests/person_list.html",
        {"index": _index(_alphabetical(people, "people:person-detail"), "people"), "nav": "people"},
    )


def person_detail(request, slug):
    """A person's page and every published mention. Sensitive or never-published: 404."""
    affiliations = Affiliation.objects.filter(
        organization__in=public_entities(Organization.objects)
    ).select_related("organization")
    person, moved = _entity_or_redirect(
        public_entities(Person.objects).prefetch_related(
            "aliases", "links", Prefetch("affiliations", queryset=affiliations)
        ),
        slug,
    )
    if moved:
        return moved
    context = {"person": person, "entity": person, "nav": "people", **_mentions(request, person)}
    return render(request, "digests/person_detail.html", context)


def organization_list(request):
    """Every organization with a public page, A–Z (no counts, as for people)."""
    kinds = dict(Organization.Kind.choices)
    organizations = [
        (name, slug, kinds.get(kind, kind))
        for name, slug, kind in _in_language(public_entities(Organization.objects), "kind")
    ]
    return render(
        request,
        "digests/organization_list.html",
        {
            "index": _index(
                _alphabetical(organizations, "people:organization-detail"), "organizations"
            ),
            "nav": "organizations",
        },
    )


def organization_detail(request, slug):
    """An organization's page, its parts, its people and every published mention."""
    affiliations = Affiliation.objects.filter(
        person__in=public_entities(Person.objects)
    ).select_related("person")
    organization, moved = _entity_or_redirect(
        public_entities(Organization.objects).prefetch_related(
            "aliases", Prefetch("affiliations", queryset=affiliations)
        ),
        slug,
    )
    if moved:
        return moved
    parent, children = public_family(organization)
    context = {
        "organization": organization,
        "entity": organization,
        "parent": parent,
        "children": children,
        "nav": "organizations",
        **_mentions(request, organization),
    }
    return render(request, "digests/organization_detail.html", context)


def entity_feed(feed, url_name: str):
    """`feed` (a person's or organization's), and at an old address of the entity (renamed
    or merged) a 301 to the feed at its address now, as its page does."""

    def view(request, slug):
        try:
            return feed(request, slug=slug)
        except Http404:
            moved = public_entities(feed.model.objects).filter(redirects__old_slug=slug).first()
            if moved is None:
                raise
            return redirect(url_name, slug=moved.slug, permanent=True)

    view.__doc__ = entity_feed.__doc__
    return view
