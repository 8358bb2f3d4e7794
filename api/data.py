"""What the API and the exports read: the published querysets the pages use, nothing wider.

Visibility is never decided here: digests, items, figures and mentions come through their
`published()` methods, people and organizations through `public()` / `listed()` (so a
sensitive person never appears, not even inside a figure or a mention).
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from taggit.models import Tag

from digests.models import Digest, Item, Mention, Section, SocialMetric, public_entities
from people.models import Affiliation, Organization, Person


@dataclass(frozen=True)
class Order:
    """A list's fixed order: first by `keys`, values every answer shows (dates, slugs, names),
    then, among rows with equal keys, by `within` (positions and primary keys, ending in a
    unique field). A page cursor holds only the keys of the last row and how many rows with
    those keys were given (`api.pagination`): never a database id, whose gaps would count the
    drafts, scheduled digests and sensitive people created in between."""

    keys: tuple[str, ...]
    within: tuple[str, ...] = ("pk",)

    @property
    def fields(self) -> tuple[str, ...]:
        return (*self.keys, *self.within)


# Newest digest first (date, then publication time; the slug is unique).
DIGEST_ORDER = Order(keys=("-date", "-publish_at", "slug"))
# Items and mentions: their digest's order, then reading order inside the digest.
ITEM_ORDER = Order(
    keys=("-section__digest__date", "-section__digest__publish_at", "section__digest__slug"),
    within=("section__order", "section__pk", "order", "pk"),
)
MENTION_ORDER = Order(
    keys=(
        "-item__section__digest__date",
        "-item__section__digest__publish_at",
        "item__section__digest__slug",
    ),
    within=("item__section__order", "item__section__pk", "item__order", "item__pk", "pk"),
)
FIGURE_ORDER = Order(
    keys=("-period_end", "-views", "-digest__date", "-digest__publish_at", "digest__slug")
)
# People, organizations and topics: A–Z (slugs are unique).
NAME_ORDER = Order(keys=("name", "slug"))


def mentions():
    """Mentions as the pages show them: in published items, not suppressed by staff, of
    people and organizations that may appear on public pages (a published mention makes
    them public)."""
    return Mention.objects.published().filter(
        Q(person__in=Person.objects.listed()) | Q(organization__in=Organization.objects.listed())
    )


def item_mentions():
    return Prefetch(
        "mentions",
        queryset=mentions().select_related("person", "organization").order_by("pk"),
        to_attr="public_mentions",
    )


def items():
    """Published items with their digest, topics and mentions (three queries a page)."""
    return (
        Item.objects.published()
        .select_related("section__digest")
        .defer("body", "search_vector")
        .prefetch_related("tags", item_mentions())
    )


def figures():
    """Published figures with their digest, item, and the public people and organizations
    involved (three queries a page)."""
    return (
        SocialMetric.objects.published()
        .select_related("digest", "item")
        .prefetch_related(
            Prefetch("people", queryset=public_entities(Person.objects).order_by("name", "pk")),
            Prefetch(
                "organizations",
                queryset=public_entities(Organization.objects).order_by("name", "pk"),
            ),
        )
    )


def figures_as_on_metrics(*, person=None, organization=None):
    """The figures `/metrics/` shows for the same choice of person and organization."""
    rows = figures()
    if person is not None:
        rows = rows.filter(people=person)
    if organization is not None:
        rows = rows.filter(organizations=organization)
    return rows


def digest_with_contents():
    """Published digests with sections, items (topics, mentions), topics and figures."""
    section_items = (
        Item.objects.order_by("order", "pk")
        .defer("body", "search_vector")
        .prefetch_related("tags", item_mentions())
    )
    sections = Section.objects.order_by("order", "pk").prefetch_related(
        Prefetch("items", queryset=section_items)
    )
    return Digest.objects.published().prefetch_related(
        "tags",
        Prefetch("sections", queryset=sections),
        Prefetch("metrics", queryset=figures().order_by(*FIGURE_ORDER.fields), to_attr="figures"),
    )


def topics():
    """Topics carried by a published digest or item (never one only drafts carry)."""
    return Tag.objects.filter(
        Q(pk__in=Tag.objects.filter(digest__in=Digest.objects.published()).values("pk"))
        | Q(pk__in=Tag.objects.filter(item__in=Item.objects.published()).values("pk"))
    )


def person_with_details():
    affiliations = Affiliation.objects.filter(
        organization__in=public_entities(Organization.objects)
    ).select_related("organization")
    return public_entities(Person.objects).prefetch_related(
        "aliases", "links", Prefetch("affiliations", queryset=affiliations)
    )


def organization_with_details():
    affiliations = Affiliation.objects.filter(
        person__in=public_entities(Person.objects)
    ).select_related("person")
    return public_entities(Organization.objects).prefetch_related(
        "aliases", Prefetch("affiliations", queryset=affiliations)
    )
