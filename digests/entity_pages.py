"""The public person and organization pages: the A–Z indexes, each entity's page with every
published item naming it, and its feed at old addresses. They list what published digests say,
so they live with the content; the registry (`people`) only knows the names. Their routes keep
the `people:` namespace (`digests/entity_urls.py`).
"""

import string
from itertools import groupby

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import redirect, render

from digests.models import Mention, public_entities
from digestsite.charts import timeline_chart
from digestsite.paging import page_or_404
from people.models import Affiliation, Organization, Person

MENTIONS_PER_PAGE = 50
CO_MENTIONED = 10
CO_MENTION_ITEMS = 500
TIMELINE_MONTHS = 24


def _alphabetical(entities):
    """Group entities under their initial letter, A–Z first, then other alphabets, then '#'."""
    groups: dict[str, list] = {}
    for entity in entities:
        initial = entity.name[:1].upper()
        key = initial if initial.isalpha() else "#"
        groups.setdefault(key, []).append(entity)
    latin = [k for k in string.ascii_uppercase if k in groups]
    other = sorted(k for k in groups if k not in latin and k != "#")
    return [(k, groups[k]) for k in [*latin, *other, *(["#"] if "#" in groups else [])]]


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


def _mentions(request, entity) -> dict:
    """Every published mention of `entity`, newest digest first, grouped by digest; the
    entities most often named in the same items (of its newest 500); the social-media figures
    involving it."""
    kind = entity._meta.model_name
    mentions = (
        entity.mentions.published()
        .select_related("item__section__digest")
        .order_by(
            "-item__section__digest__date",
            "-item__section__digest__publish_at",
            "-item__section__digest__pk",
            "item__section__order",
            "item__section__pk",
            "item__order",
            "item__pk",
        )
    )
    page = page_or_404(mentions, MENTIONS_PER_PAGE, request.GET.get("page"))
    groups = [
        (digest, list(rows))
        for digest, rows in groupby(page.object_list, key=lambda m: m.item.section.digest)
    ]
    # Bounded work: "often named with" looks at the newest CO_MENTION_ITEMS items naming the
    # entity, not at all 10,000 of the most-named person.
    recent_items = entity.mentions.published().order_by("-item_id").values("item")
    recent_items = recent_items[:CO_MENTION_ITEMS]
    co_mentioned = (
        Mention.objects.published()
        .filter(item__in=recent_items)
        .exclude(**{kind: entity})
        .exclude(person__sensitive=True)
        .values("person__name", "person__slug", "organization__name", "organization__slug")
        .annotate(count=Count("item", distinct=True))
        .order_by("-count", "person__name", "organization__name")[:CO_MENTIONED]
    )
    metrics = entity.social_metrics.published().select_related("digest")[:20]
    # Items naming the entity per month (of its latest 24 months named), drawn as a chart.
    per_month = (
        entity.mentions.published()
        .annotate(month=TruncMonth("item__section__digest__date"))
        .values("month")
        .annotate(items=Count("item", distinct=True))
        .order_by("-month")[:TIMELINE_MONTHS]
    )
    timeline = timeline_chart(
        {row["month"]: row["items"] for row in per_month},
        chart_id="chart-timeline",
        title=f"Items naming {entity.name}, per month",
        noun="item",
    )
    return {
        "page": page,
        "groups": groups,
        "co_mentioned": co_mentioned,
        "metrics": metrics,
        "timeline": timeline,
    }


def person_list(request):
    """Every person with a public page, A–Z. (No per-person counts: on an archive of 650,000
    mentions they cost seconds; each person's page says how many items name them.)"""
    people = public_entities(Person.objects).only("name", "slug", "short_description")
    return render(
        request, "digests/person_list.html", {"groups": _alphabetical(people), "nav": "people"}
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
    organizations = public_entities(Organization.objects).only("name", "slug", "kind")
    return render(
        request,
        "digests/organization_list.html",
        {"groups": _alphabetical(organizations), "nav": "organizations"},
    )


def organization_detail(request, slug):
    """An organization's page, its parts, its people and every published mention."""
    public_people = public_entities(Person.objects)
    public_organizations = public_entities(Organization.objects)
    affiliations = Affiliation.objects.filter(person__in=public_people).select_related("person")
    parent_is_public = Exists(public_organizations.filter(pk=OuterRef("parent_id")))
    organization, moved = _entity_or_redirect(
        public_organizations.select_related("parent")
        .annotate(parent_is_public=parent_is_public)
        .prefetch_related(
            "aliases",
            Prefetch("children", queryset=public_organizations.only("name", "slug", "parent")),
            Prefetch("affiliations", queryset=affiliations),
        ),
        slug,
    )
    if moved:
        return moved
    context = {
        "organization": organization,
        "entity": organization,
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
