"""What the API answers, as OpenAPI describes it (pydantic models through django-ninja)."""

import datetime
from typing import Literal

from ninja import Field, Schema

from digests.models import Platform

PlatformName = Literal[tuple(Platform.values)]


class Error(Schema):
    detail: str = Field(description="What was wrong, in words.")
    errors: list[dict] = Field(
        default_factory=list, description="One entry per bad parameter, when there are any."
    )


class Topic(Schema):
    slug: str
    name: str
    url: str = Field(description="The topic's page on the site.")


class EntityRef(Schema):
    kind: Literal["person", "organization"]
    slug: str
    name: str
    url: str = Field(description="The entity's page on the site.")
    api_url: str


class DigestRef(Schema):
    slug: str
    title: str
    date: datetime.date
    url: str = Field(description="The digest's page on the site.")
    api_url: str


class ItemMention(Schema):
    entity: EntityRef
    occurrences: int = Field(description="How often the item names them (0: added by staff).")
    sentence: str = Field(description="The sentence around the first occurrence.")


class Image(Schema):
    url: str
    alt: str = Field(description="Empty for a decorative image.")


class Item(Schema):
    anchor: str = Field(description="The item's stable, random id: its #anchor on the page.")
    url: str = Field(description="The item's address: the digest page with its anchor.")
    api_url: str
    title: str
    title_html: str = Field(description="The title with names linked.")
    body_html: str = Field(description="The sanitised body with names linked, as on the page.")
    text: str = Field(description="The body as plain text.")
    caption: str
    credit: str
    image: Image | None
    source_url: str = Field(description="Where the story comes from; may be empty.")
    topics: list[Topic]
    mentions: list[ItemMention]


class ItemInDigest(Item):
    digest: DigestRef
    section: str = Field(description="The title of the item's section.")
    section_anchor: str


class Figure(Schema):
    platform: PlatformName
    platform_label: str
    views: int
    topic: str
    post_url: str = Field(description="The post itself, when public; may be empty.")
    period_start: datetime.date
    period_end: datetime.date
    whole_year: bool = Field(description="A yearly total: never add it to dated figures.")
    digest: DigestRef
    item_url: str | None = Field(description="The item reporting it, if any.")
    people: list[EntityRef]
    organizations: list[EntityRef]


class Section(Schema):
    title: str
    anchor: str
    url: str
    items: list[Item]


class Digest(Schema):
    slug: str
    title: str
    date: datetime.date
    published_at: datetime.datetime
    lead: str
    url: str = Field(description="The digest's page on the site.")
    api_url: str
    topics: list[Topic]


class DigestDetail(Digest):
    lead_html: str = Field(description="The lead with names linked.")
    sections: list[Section]
    figures: list[Figure]


class Mention(Schema):
    entity: EntityRef
    digest: DigestRef
    section: str
    item_anchor: str
    item_url: str = Field(description="The item's address on the site (digest page + anchor).")
    occurrences: int = Field(description="How often the item names them (0: added by staff).")
    sentence: str = Field(description="The sentence around the first occurrence.")


class Exports(Schema):
    mentions_csv: str
    mentions_json: str
    figures_csv: str
    figures_json: str


class Person(Schema):
    slug: str
    name: str
    short_description: str
    url: str = Field(description="The person's page on the site.")
    api_url: str


class Link(Schema):
    title: str
    url: str


class PersonAffiliation(Schema):
    organization: EntityRef
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None


class PersonDetail(Person):
    other_names: list[str] = Field(description="Other spellings, short forms, transliterations.")
    bio_html: str
    links: list[Link]
    affiliations: list[PersonAffiliation]
    exports: Exports


class Organization(Schema):
    slug: str
    name: str
    kind: str
    kind_label: str
    url: str = Field(description="The organization's page on the site.")
    api_url: str


class OrganizationAffiliation(Schema):
    person: EntityRef
    role: str
    start_date: datetime.date | None
    end_date: datetime.date | None


class OrganizationDetail(Organization):
    other_names: list[str] = Field(description="Other spellings, acronyms, transliterations.")
    description: str
    website: str
    parent: EntityRef | None
    children: list[EntityRef]
    affiliations: list[OrganizationAffiliation]
    exports: Exports
