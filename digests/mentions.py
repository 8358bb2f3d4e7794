"""Mentions: linking names in items to people and organizations.

The registry (every name and alias in `people.Alias`) is compiled into one `Linker` per
process and rebuilt when the registry changes (its version is the number of aliases and the
latest alias timestamp, one cheap query). Items are linked at save time: `Item.title_html`
and `Item.body_html` hold the linked HTML and `Mention` rows record who is named, how often,
and the sentence around the first occurrence. Views only read them.

Staff choices are never overridden: a mention added by staff stays (with its counts updated)
even when the text does not name the entity, and a suppressed entity is neither linked nor
recorded in that item again.

Keeping the stored links current when names or items change is `digests.relinking`; the
receivers that call all this on save are in `digests.signals`.

A digest's lead, section titles and figure topics ("headings") count as a mention of nobody,
so a name there links only to an entity readers can open whenever they can read the digest:
one named in the digest's own items (a mention not suppressed) or with a public profile
(`heading_entities`).
"""

from collections.abc import Iterable
from functools import lru_cache
from html import escape

from django.db.models import Count, Max
from django.urls import reverse

from digests import linker as engine
from digests.models import Mention
from digestsite.cache import content_changed
from people.inflection import with_inflections
from people.models import Alias, Organization, Person, listed_q
from people.spelling import romanisation_key

_compiled: dict = {"version": None, "linker": None}


def registry_version() -> tuple:
    stats = Alias.objects.aggregate(count=Count("pk"), last=Max("updated_at"))
    return (stats["count"], stats["last"])


def current_linker() -> engine.Linker:
    """The linker for the registry as it is now (rebuilt only when the registry changed)."""
    version = registry_version()
    if _compiled["version"] != version or _compiled["linker"] is None:
        _compiled["linker"] = build_linker()
        _compiled["version"] = version
    return _compiled["linker"]


def build_linker() -> engine.Linker:
    rows = Alias.objects.values_list(
        "text", "person_id", "person__slug", "person__sensitive", "organization_id",
        "organization__slug",
    )  # fmt: skip
    aliases = []
    for text, person_id, person_slug, sensitive, organization_id, organization_slug in rows:
        if person_id:
            key = ("person", person_id)
            url = reverse("people:person-detail", kwargs={"slug": person_slug})
        else:
            key = ("organization", organization_id)
            url = reverse("people:organization-detail", kwargs={"slug": organization_slug})
        # Every registered alias comes from staff (admin or CSV); the declined forms of the
        # Cyrillic ones are added by rule (people/inflection.py).
        aliases.append(
            engine.Alias(
                text=text,
                key=key,
                url=url,
                staff_added=True,
                autolink=not sensitive,
                person=bool(person_id),
            )
        )
    return engine.Linker(with_inflections(aliases), spelling_key=_spelling_key)


# The registry is rebuilt whenever it changes: keys of names already seen are remembered.
_spelling_key = lru_cache(maxsize=200_000)(romanisation_key)


def render_title(
    title: str,
    *,
    linker: engine.Linker | None = None,
    reading: engine.Reading | None = None,
    allowed: Iterable | None = None,
) -> str:
    """A plain-text title (or lead, caption, topic) as HTML with every name linked (with
    `allowed`, only those entities' names)."""
    if not title:
        return ""
    linker = linker or current_linker()
    return linker.link(
        escape(title, quote=False), reading=reading or engine.Reading(), allowed=allowed
    ).html


def _public_profiles() -> frozenset:
    """Keys of the entities staff gave a public profile (never a sensitive person)."""
    people = Person.objects.filter(listed_q(Person), public_profile=True).values_list("pk")
    organizations = Organization.objects.filter(public_profile=True).values_list("pk")
    return frozenset(("person", pk) for (pk,) in people) | frozenset(
        ("organization", pk) for (pk,) in organizations
    )


def heading_entities(digest_ids: Iterable[int | None]) -> dict:
    """For each digest, the entities its lead, section titles and figure topics may link:
    those its items mention (not suppressed) and those with a public profile. Whenever the
    digest is public these have a public page. Three queries for any number of digests."""
    ids = {pk for pk in digest_ids if pk is not None}
    profiles = _public_profiles()
    allowed: dict = {pk: set(profiles) for pk in ids}
    allowed[None] = set(profiles)  # a digest not saved yet has no items
    if ids:
        rows = (
            Mention.objects.filter(item__section__digest_id__in=ids)
            .exclude(source=Mention.Source.SUPPRESSED)
            .values_list("item__section__digest_id", "person_id", "organization_id")
        )
        for digest_id, person_id, organization_id in rows:
            key = ("person", person_id) if person_id else ("organization", organization_id)
            allowed[digest_id].add(key)
    return allowed


# Digests whose items' mentions changed inside `headings_batch()`: relinked when it ends.
def names_people(text: str | None) -> bool:
    """Whether plain `text` names a person in full (then surnames after it may link)."""
    return bool(text) and bool(current_linker().persons_named(escape(text, quote=False)))


def _suppressed(item) -> set:
    if not item.pk:
        return set()
    return {m.key for m in Mention.objects.filter(item=item, source=Mention.Source.SUPPRESSED)}


def link_item(
    item,
    *,
    linker: engine.Linker | None = None,
    suppressed=None,
    reading: engine.Reading | None = None,
) -> dict:
    """Set `item.title_html`, `item.caption_html` and `item.body_html` (linked in reading
    order: title, caption, body, after what `reading` has seen); return the entities found,
    by key. Without `reading` only the item itself is the context for surnames."""
    linker = linker or current_linker()
    suppressed = _suppressed(item) if suppressed is None else suppressed
    reading = reading or engine.Reading()
    title = linker.link(escape(item.title, quote=False), suppressed=suppressed, reading=reading)
    caption = linker.link(escape(item.caption, quote=False), suppressed=suppressed, reading=reading)
    body = linker.link(item.body, suppressed=suppressed, reading=reading)
    item.title_html = title.html if item.title else ""
    item.caption_html = caption.html if item.caption else ""
    item.body_html = body.html
    hits = {}
    # The snippet comes from the body when it names them, then the title, then the caption.
    for result in (body, title, caption):
        for key, hit in result.hits.items():
            if key in hits:
                hits[key] = engine.Hit(
                    key, hits[key].occurrences + hit.occurrences, hits[key].snippet
                )
            else:
                hits[key] = hit
    return hits


def sync_mentions(item, hits: dict) -> None:
    """Make the item's automatic mentions match `hits`; staff mentions keep their source."""
    existing = {m.key: m for m in Mention.objects.filter(item=item)}
    updated = False
    for key, hit in hits.items():
        mention = existing.pop(key, None)
        if mention is None:
            kind, pk = key
            Mention.objects.create(
                item=item,
                source=Mention.Source.AUTOMATIC,
                occurrences=hit.occurrences,
                snippet=hit.snippet,
                **{f"{kind}_id": pk},
            )
        elif mention.source != Mention.Source.SUPPRESSED and (
            mention.occurrences != hit.occurrences or mention.snippet != hit.snippet
        ):
            Mention.objects.filter(pk=mention.pk).update(
                occurrences=hit.occurrences, snippet=hit.snippet
            )
            updated = True
    for mention in existing.values():
        if mention.source == Mention.Source.AUTOMATIC:
            mention.delete()
        elif mention.source == Mention.Source.STAFF and mention.occurrences:
            Mention.objects.filter(pk=mention.pk).update(occurrences=0, snippet="")
            updated = True
    if updated:
        # Mentions show on entity pages only, not on their digest's.
        content_changed(scopes=())
