"""The read-only JSON API (django-ninja): every route, its parameters and its answers, from
which /api/openapi.json is generated. Rows come from `api.data` (the pages' own published
querysets); bad parameters get a 400 that says what is wrong."""

import datetime
import re
from functools import partial
from typing import Annotated

from django.http import Http404
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from pydantic import BeforeValidator

from api import data, schemas, serializers
from api.http import JSONRenderer, open_data
from api.pagination import KeysetPagination, Rows
from digests.models import Digest, public_entities, public_family
from people.models import Organization, Person

SLUG = r"^[-a-zA-Z0-9_]+$"
# Topics keep the letters of their script (django-taggit's slugs): "палітвязні".
TOPIC_SLUG = r"^[-\w]+$"
ANCHOR = r"^item-[a-z0-9]+$"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value):
    """Only YYYY-MM-DD: pydantic alone would also read "0" as a Unix time (1 January 1970)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("a date must be written YYYY-MM-DD, e.g. 2025-12-31")
    return value


Day = Annotated[datetime.date, BeforeValidator(_iso_date)]

api = NinjaAPI(
    title="Digest CMS open data",
    version="1",
    description=(
        "Read-only data of the published news digests: digests, items, people, "
        "organizations, mentions, social-media figures and topics. No authentication, no "
        "cookies. The documentation, with an example request per route, is at /api/."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    docs_decorator=open_data,
    renderer=JSONRenderer(),
)
api.add_decorator(open_data, mode="view")

ERRORS = {400: schemas.Error}
NOT_FOUND = {400: schemas.Error, 404: schemas.Error}


@api.exception_handler(ValidationError)
def bad_parameters(request, exc):
    """A 400 (not 422) naming each bad parameter and what is wrong with it."""
    errors = [{"parameter": str(error["loc"][-1]), "message": error["msg"]} for error in exc.errors]
    words = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
    return api.create_response(
        request, {"detail": f"Bad parameters. {words}", "errors": errors}, status=400
    )


def slug_filter(what: str):
    pattern = TOPIC_SLUG if what == "topic" else SLUG
    return Field(None, description=f"The {what}'s slug (its page address).", pattern=pattern)


class Period(Schema):
    date_from: Day | None = Field(None, description="Only on or after this day (YYYY-MM-DD).")
    date_to: Day | None = Field(None, description="Only on or before this day (YYYY-MM-DD).")


class DigestFilters(Period):
    topic: str | None = slug_filter("topic")


class ItemFilters(Period):
    digest: str | None = slug_filter("digest")
    topic: str | None = slug_filter("topic")


class MentionFilters(Period):
    person: str | None = slug_filter("person")
    organization: str | None = slug_filter("organization")
    digest: str | None = slug_filter("digest")


class FigureFilters(Schema):
    platform: schemas.PlatformName | None = Field(None, description="Only this platform.")
    date_from: Day | None = Field(
        None, description="Only figures whose period ends on or after this day (YYYY-MM-DD)."
    )
    date_to: Day | None = Field(
        None, description="Only figures whose period ends on or before this day (YYYY-MM-DD)."
    )
    person: str | None = slug_filter("person")
    organization: str | None = slug_filter("organization")


def between(queryset, filters, field: str):
    """Rows whose `field` lies in the filters' period; a 400 for a period that ends before
    it starts."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise HttpError(400, "date_from is after date_to: no day lies in that period.")
    if filters.date_from:
        queryset = queryset.filter(**{f"{field}__gte": filters.date_from})
    if filters.date_to:
        queryset = queryset.filter(**{f"{field}__lte": filters.date_to})
    return queryset


def public(queryset, slug: str, what: str):
    """The row of `queryset` (public entities, published digests, topics) at `slug`; a 400
    when there is none: an unknown address and one that is not public read alike."""
    found = queryset.filter(slug=slug).first()
    if found is None:
        raise HttpError(400, f"No published {what} has the address “{slug}”.")
    return found


def entity_filters(queryset, filters, *, person: str, organization: str):
    if filters.person:
        queryset = queryset.filter(
            **{person: public(public_entities(Person.objects), filters.person, "person")}
        )
    if filters.organization:
        found = public(public_entities(Organization.objects), filters.organization, "organization")
        queryset = queryset.filter(**{organization: found})
    return queryset


def shape(serializer, request):
    return partial(serializer, urls=serializers.Addresses(request))


def found(queryset, **lookup):
    row = queryset.filter(**lookup).first()
    if row is None:
        raise Http404
    return row


@api.get(
    "/digests/",
    response={200: list[schemas.Digest], **ERRORS},
    url_name="digests",
    summary="Published digests, newest first",
    openapi_extra={"x-example": "/api/digests/?date_from=2025-12-01&limit=10"},
)
@paginate(KeysetPagination, order=data.DIGEST_ORDER, name="digests")
def list_digests(request, filters: Query[DigestFilters]):
    """Filter by the digest's date and by topic."""
    digests = between(Digest.objects.published().prefetch_related("tags"), filters, "date")
    if filters.topic:
        digests = digests.filter(tags=public(data.topics(), filters.topic, "topic"))
    return Rows(digests, shape(serializers.digest, request))


@api.get(
    "/digests/{slug}/",
    response={200: schemas.DigestDetail, **NOT_FOUND},
    url_name="digest",
    summary="One digest: its sections and items (with mentions) and its figures",
    openapi_extra={"x-example": "/api/digests/news-digest-31-december-2025/"},
)
def get_digest(request, slug: str = Path(..., pattern=SLUG)):
    digest = found(data.digest_with_contents(), slug=slug)
    return serializers.digest_detail(digest, serializers.Addresses(request))


@api.get(
    "/items/",
    response={200: list[schemas.ItemInDigest], **ERRORS},
    url_name="items",
    summary="Published items, newest digest first, in reading order",
    openapi_extra={"x-example": "/api/items/?topic=political-prisoners&limit=20"},
)
@paginate(KeysetPagination, order=data.ITEM_ORDER, name="items")
def list_items(request, filters: Query[ItemFilters]):
    """Filter by the digest's date, by digest and by topic."""
    items = between(data.items(), filters, "section__digest__date")
    if filters.digest:
        items = items.filter(
            section__digest=public(Digest.objects.published(), filters.digest, "digest")
        )
    if filters.topic:
        items = items.filter(tags=public(data.topics(), filters.topic, "topic"))
    return Rows(items, shape(serializers.item_in_digest, request))


@api.get(
    "/items/{anchor}/",
    response={200: schemas.ItemInDigest, **NOT_FOUND},
    url_name="item",
    summary="One item, by its anchor",
    openapi_extra={"x-example": "/api/items/item-abcdefghij/"},
)
def get_item(request, anchor: str = Path(..., pattern=ANCHOR)):
    item = found(data.items(), anchor=anchor)
    return serializers.item_in_digest(item, serializers.Addresses(request))


@api.get(
    "/people/",
    response={200: list[schemas.Person], **ERRORS},
    url_name="people",
    summary="People with a public page, A–Z",
    openapi_extra={"x-example": "/api/people/?limit=100"},
)
@paginate(KeysetPagination, order=data.NAME_ORDER, name="people")
def list_people(request):
    people = public_entities(Person.objects).only("name", "slug", "short_description")
    return Rows(people, shape(serializers.person, request))


@api.get(
    "/people/{slug}/",
    response={200: schemas.PersonDetail, **NOT_FOUND},
    url_name="person",
    summary="One person: other names, links, affiliations, export addresses",
    openapi_extra={"x-example": "/api/people/pavel-latushka/"},
)
def get_person(request, slug: str = Path(..., pattern=SLUG)):
    person = found(data.person_with_details(), slug=slug)
    return serializers.person_detail(person, serializers.Addresses(request))


@api.get(
    "/organizations/",
    response={200: list[schemas.Organization], **ERRORS},
    url_name="organizations",
    summary="Organizations with a public page, A–Z",
    openapi_extra={"x-example": "/api/organizations/"},
)
@paginate(KeysetPagination, order=data.NAME_ORDER, name="organizations")
def list_organizations(request):
    organizations = public_entities(Organization.objects).only("name", "slug", "kind")
    return Rows(organizations, shape(serializers.organization, request))


@api.get(
    "/organizations/{slug}/",
    response={200: schemas.OrganizationDetail, **NOT_FOUND},
    url_name="organization",
    summary="One organization: other names, parent, parts, people, export addresses",
    openapi_extra={"x-example": "/api/organizations/national-anti-crisis-management/"},
)
def get_organization(request, slug: str = Path(..., pattern=SLUG)):
    organization = found(data.organization_with_details(), slug=slug)
    parent, parts = public_family(organization)
    return serializers.organization_detail(
        organization, parent, parts, serializers.Addresses(request)
    )


@api.get(
    "/mentions/",
    response={200: list[schemas.Mention], **ERRORS},
    url_name="mentions",
    summary="Who was named where: mentions in published items, newest digest first",
    openapi_extra={"x-example": "/api/mentions/?person=pavel-latushka&date_from=2025-01-01"},
)
@paginate(KeysetPagination, order=data.MENTION_ORDER, name="mentions")
def list_mentions(request, filters: Query[MentionFilters]):
    """Filter by person, organization, digest and the digest's date."""
    mentions = between(
        data.mentions().select_related("person", "organization", "item__section__digest"),
        filters,
        "item__section__digest__date",
    )
    mentions = entity_filters(mentions, filters, person="person", organization="organization")
    if filters.digest:
        mentions = mentions.filter(
            item__section__digest=public(Digest.objects.published(), filters.digest, "digest")
        )
    return Rows(mentions, shape(serializers.mention, request))


@api.get(
    "/figures/",
    response={200: list[schemas.Figure], **ERRORS},
    url_name="figures",
    summary="Social-media figures from published digests, newest period first",
    openapi_extra={"x-example": "/api/figures/?platform=youtube&date_from=2025-01-01"},
)
@paginate(KeysetPagination, order=data.FIGURE_ORDER, name="figures")
def list_figures(request, filters: Query[FigureFilters]):
    """Filter by platform, by the day the period ends (as charts place figures), and by
    the person or organization involved (as on /metrics/)."""
    figures = between(data.figures(), filters, "period_end")
    if filters.platform:
        figures = figures.filter(platform=filters.platform)
    figures = entity_filters(figures, filters, person="people", organization="organizations")
    return Rows(figures, shape(serializers.figure, request))


@api.get(
    "/topics/",
    response={200: list[schemas.Topic], **ERRORS},
    url_name="topics",
    summary="Topics of published digests and items, A–Z",
    openapi_extra={"x-example": "/api/topics/"},
)
@paginate(KeysetPagination, order=data.NAME_ORDER, name="topics")
def list_topics(request):
    return Rows(data.topics(), shape(serializers.topic, request))
