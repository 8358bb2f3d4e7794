"""Mentions: linking names in items to people and organizations, and keeping links current.

The registry (every name and alias in `people.Alias`) is compiled into one `Linker` per
process and rebuilt when the registry changes (its version is the number of aliases and the
latest alias timestamp, one cheap query). Items are linked at save time: `Item.title_html`
and `Item.body_html` hold the linked HTML and `Mention` rows record who is named, how often,
and the sentence around the first occurrence. Views only read them.

Staff choices are never overridden: a mention added by staff stays (with its counts updated)
even when the text does not name the entity, and a suppressed entity is neither linked nor
recorded in that item again.

When names change (`people.signals.names_changed`), exactly the items and sections whose
text contains one of the changed names, or that mention the changed entities, are relinked.
"""

from collections.abc import Callable, Iterable
from html import escape

from django.db.models import Count, Max, Q
from django.dispatch import receiver
from django.urls import reverse

from digests import linker as engine
from digestsite.cache import content_changed
from people.models import Alias
from people.signals import names_changed

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
        # Every alias comes from staff (admin or CSV): the linker never invents one.
        aliases.append(
            engine.Alias(text=text, key=key, url=url, staff_added=True, autolink=not sensitive)
        )
    return engine.Linker(aliases)


def render_title(title: str, *, linker: engine.Linker | None = None) -> str:
    """A plain-text title as HTML with every name linked."""
    if not title:
        return ""
    return (linker or current_linker()).link(escape(title, quote=False)).html


def _suppressed(item) -> set:
    if not item.pk:
        return set()
    from digests.models import Mention

    return {m.key for m in Mention.objects.filter(item=item, source=Mention.Source.SUPPRESSED)}


def link_item(item, *, linker: engine.Linker | None = None, suppressed=None) -> dict:
    """Set `item.title_html` and `item.body_html`; return the entities found, by key."""
    linker = linker or current_linker()
    suppressed = _suppressed(item) if suppressed is None else suppressed
    title = linker.link(escape(item.title, quote=False), suppressed=suppressed)
    body = linker.link(item.body, suppressed=suppressed)
    item.title_html = title.html if item.title else ""
    item.body_html = body.html
    hits = {}
    for result in (body, title):  # the snippet comes from the body when it names them
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
    from digests.models import Mention

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
        content_changed()


def relink_items(
    items, *, progress: Callable[[int, int], None] | None = None, chunk_size: int = 500
) -> int:
    """Relink the given items (a queryset); returns how many changed."""
    from digests.models import Item

    linker = current_linker()
    total = items.count()
    changed = done = 0
    queryset = items.order_by("pk").only("pk", "title", "body", "title_html", "body_html")
    for item in queryset.iterator(chunk_size=chunk_size):
        before = (item.title_html, item.body_html)
        hits = link_item(item, linker=linker)
        if (item.title_html, item.body_html) != before:
            Item.objects.filter(pk=item.pk).update(
                title_html=item.title_html, body_html=item.body_html
            )
            changed += 1
        sync_mentions(item, hits)
        done += 1
        if progress and (done % chunk_size == 0 or done == total):
            progress(done, total)
    if changed:
        content_changed()
    return changed


def link_metric_entities(metrics) -> None:
    """Add the people and organizations named in each figure's topic to that figure. Only
    adds: a link staff made by hand is never removed here."""
    linker = current_linker()
    for metric in metrics:
        keys = linker.find_keys(metric.topic)
        people = [pk for kind, pk in keys if kind == "person"]
        organizations = [pk for kind, pk in keys if kind == "organization"]
        if people:
            metric.people.add(*people)
        if organizations:
            metric.organizations.add(*organizations)


def relink_sections(sections) -> int:
    from digests.models import Section

    linker = current_linker()
    changed = 0
    for section in sections.only("pk", "title", "title_html").iterator(chunk_size=500):
        html = render_title(section.title, linker=linker)
        if html != section.title_html:
            Section.objects.filter(pk=section.pk).update(title_html=html)
            changed += 1
    if changed:
        content_changed()
    return changed


def _text_filter(fields: Iterable[str], names: Iterable[str]) -> Q:
    """A database pre-filter: rows whose fields contain the longest word of any name.

    Matching is then decided by the linker; the pre-filter only has to keep every candidate.
    Case variants are listed because SQLite compares non-ASCII text case-sensitively.
    """
    condition = Q(pk__in=[])
    for name in names:
        words = [w for w in name.replace("\u00a0", " ").split() if w]
        if not words:
            continue
        word = max(words, key=len).strip("'’")
        for variant in {word, word.lower(), word.upper(), word.capitalize()}:
            for field in fields:
                condition |= Q(**{f"{field}__contains": variant})
    return condition


def relink_for_names(names: Iterable[str], entities: Iterable[tuple[str, int]] = ()) -> int:
    """Relink exactly the items and sections that contain `names` or mention `entities`
    (given as ("person" or "organization", pk) keys)."""
    from digests.models import Item, Section, SocialMetric

    names = [n for n in names if n and n.strip()]
    people = [pk for kind, pk in entities if kind == "person"]
    organizations = [pk for kind, pk in entities if kind == "organization"]
    items = Item.objects.filter(
        _text_filter(["title", "body"], names)
        | Q(mentions__person__in=people)
        | Q(mentions__organization__in=organizations)
    ).distinct()
    sections = Section.objects.filter(_text_filter(["title"], names))
    relink_sections(sections)
    link_metric_entities(SocialMetric.objects.filter(_text_filter(["topic"], names)))
    return relink_items(Item.objects.filter(pk__in=items.values("pk")))


@receiver(names_changed, dispatch_uid="digests.relink_on_names_changed")
def _relink_on_names_changed(sender, names, entities, **kwargs):
    relink_for_names(names, entities)
