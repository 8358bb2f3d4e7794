"""Mentions: linking names in items to people and organizations, and keeping links current.

The registry (every name and alias in `people.Alias`) is compiled into one `Linker` per
process and rebuilt when the registry changes (its version is the number of aliases and the
latest alias timestamp, one cheap query). Items are linked at save time: `Item.title_html`
and `Item.body_html` hold the linked HTML and `Mention` rows record who is named, how often,
and the sentence around the first occurrence. Views only read them.

Staff choices are never overridden: a mention added by staff stays (with its counts updated)
even when the text does not name the entity, and a suppressed entity is neither linked nor
recorded in that item again.

When names change (`people.signals.names_changed`), `relink_for_names` relinks exactly the
items and sections whose text contains one of the changed names, or that mention the changed
entities. The receivers that call all this on save are in `digests.signals`.

A digest's lead, section titles and figure topics ("headings") count as a mention of nobody,
so a name there links only to an entity readers can open whenever they can read the digest:
one named in the digest's own items (a mention not suppressed) or with a public profile
(`heading_entities`). Every other registered name there reads as if unregistered. When the
items' mentions change, the digest's headings are relinked (`mentions_changed`).
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from html import escape

from django.db.models import Count, Max, Q
from django.urls import reverse

from digests import linker as engine
from digests.models import Digest, Item, Mention, Section, SocialMetric
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
_pending_headings: ContextVar[set | None] = ContextVar("pending_headings", default=None)


@contextmanager
def headings_batch():
    """Collect `mentions_changed` digests and relink their headings once, at the end."""
    if _pending_headings.get() is not None:
        yield
        return
    token = _pending_headings.set(set())
    try:
        yield
        pending = _pending_headings.get()
    finally:
        _pending_headings.reset(token)
    if pending:
        relink_headings(pending)


def mentions_changed(digest_id: int) -> None:
    """The mentions of a digest's items changed: its headings may link other entities now."""
    pending = _pending_headings.get()
    if pending is not None:
        pending.add(digest_id)
    else:
        relink_headings([digest_id])


def relink_headings(digest_ids: Iterable[int]) -> int:
    """Relink the leads, section titles and figure topics of these digests."""
    ids = set(digest_ids)
    return (
        relink_leads(Digest.objects.filter(pk__in=ids))
        + relink_sections(Section.objects.filter(digest_id__in=ids))
        + relink_topics(SocialMetric.objects.filter(digest_id__in=ids))
    )


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
        content_changed()


class _Readings:
    """Reading order of some digests and who is named in full where: the context in which
    surnames alone may link (`engine.Reading`). Three queries for any number of digests."""

    def __init__(self, digest_ids: Iterable[int], linker: engine.Linker):

        ids = set(digest_ids)
        self.linker = linker
        self.leads = dict(Digest.objects.filter(pk__in=ids).values_list("pk", "lead"))
        sections = Section.objects.filter(digest_id__in=ids).order_by("order", "pk")
        items = Item.objects.filter(section__digest_id__in=ids).order_by("order", "pk")
        by_section: dict[int, list] = {}
        for pk, section_id, title, caption, body in items.values_list(
            "pk", "section_id", "title", "caption", "body"
        ):
            texts = [escape(title, quote=False), escape(caption, quote=False), body]
            by_section.setdefault(section_id, []).append((pk, texts))
        by_digest: dict[int, list] = {
            pk: [("lead", pk, [escape(lead, quote=False)])] for pk, lead in self.leads.items()
        }
        self.titles = {}
        for pk, digest_id, title in sections.values_list("pk", "digest_id", "title"):
            self.titles[pk] = title
            by_digest[digest_id].append(("section", pk, [escape(title, quote=False)]))
            by_digest[digest_id] += [("item", i, t) for i, t in by_section.get(pk, [])]
        self.order = {}  # digest pk -> [(kind, pk)] in reading order
        self.before = {}  # (kind, pk) -> persons named in full before it
        self.named = {}  # digest pk -> persons named in full anywhere in it
        self.digest_of = {}
        for digest_id, entries in by_digest.items():
            seen: set = set()
            for kind, pk, texts in entries:
                self.before[(kind, pk)] = frozenset(seen)
                self.digest_of[(kind, pk)] = digest_id
                for text in texts:
                    seen |= linker.persons_named(text)
            self.named[digest_id] = frozenset(seen)
            self.order[digest_id] = [(kind, pk) for kind, pk, _ in entries]

    def reading(self, kind: str, pk: int) -> engine.Reading:
        """What a reader has seen when reaching this lead, section title or item."""
        key = (kind, pk)
        if key not in self.before:  # not stored yet: the item's own text is the context
            return engine.Reading()
        return engine.Reading(seen=set(self.before[key]), named=self.named[self.digest_of[key]])


def relink_items(
    items, *, progress: Callable[[int, int], None] | None = None, chunk_size: int = 500
) -> int:
    """Relink the given items (a queryset), each in the context of its digest; returns how
    many changed."""
    with headings_batch():
        return _relink_items(items, progress, chunk_size)


def _relink_items(items, progress, chunk_size: int) -> int:
    linker = current_linker()
    total = items.count()
    changed = done = 0
    queryset = items.order_by("section__digest_id", "pk").only(
        "pk", "section_id", "title", "caption", "body", "title_html", "caption_html", "body_html"
    )
    chunk: list = []

    def flush():
        nonlocal changed, done
        digests = dict(
            Item.objects.filter(pk__in=[i.pk for i in chunk]).values_list(
                "pk", "section__digest_id"
            )
        )
        readings = _Readings(set(digests.values()), linker)
        suppressed: dict[int, set] = {}
        for mention in Mention.objects.filter(
            item__in=[i.pk for i in chunk], source=Mention.Source.SUPPRESSED
        ):
            suppressed.setdefault(mention.item_id, set()).add(mention.key)
        for item in chunk:
            if _relink_one(
                item,
                linker,
                suppressed.get(item.pk, set()),
                readings.reading("item", item.pk),
                always_sync=True,
            ):
                changed += 1
            done += 1
            if progress and (done % chunk_size == 0 or done == total):
                progress(done, total)
        chunk.clear()

    for item in queryset.iterator(chunk_size=chunk_size):
        chunk.append(item)
        if len(chunk) >= chunk_size:
            flush()
    if chunk:
        flush()
    if changed:
        content_changed()
    return changed


def _relink_one(item, linker, suppressed, reading, *, always_sync: bool) -> bool:
    """Relink one item; store and sync what changed. Returns whether its HTML changed."""
    before = (item.title_html, item.caption_html, item.body_html)
    hits = link_item(item, linker=linker, suppressed=suppressed, reading=reading)
    after = (item.title_html, item.caption_html, item.body_html)
    if after != before:
        Item.objects.filter(pk=item.pk).update(
            title_html=item.title_html, caption_html=item.caption_html, body_html=item.body_html
        )
    if after != before or always_sync:
        sync_mentions(item, hits)
    return after != before


def relink_digest(digest, *, always_sync: bool = False, item=None) -> int:
    """Relink a digest's lead, section titles and items in reading order, so that a surname
    alone links exactly where its person was named in full before. Stores only what changed
    (and syncs those items' mentions; all items' with `always_sync`). A bounded number of
    queries whatever the digest's size: seven reads, plus one or two per changed row. `item`,
    an instance of one of its items, gets its new HTML too. Returns how many rows changed."""
    if digest is None or digest.pk is None:
        return 0
    with headings_batch():
        changed = _relink_digest(digest, always_sync, item)
        # Its headings are relinked below, after its items: not again at the batch's end.
        _pending_headings.get().discard(digest.pk)
    if changed:
        content_changed()
    return changed


def _relink_digest(digest, always_sync: bool, item) -> int:
    linker = current_linker()
    readings = _Readings([digest.pk], linker)
    changed = 0
    order = readings.order.get(digest.pk, [])
    items = Item.objects.filter(pk__in=[pk for kind, pk in order if kind == "item"]).only(
        "pk", "section_id", "title", "caption", "body", "title_html", "caption_html", "body_html"
    )
    items = {item.pk: item for item in items}
    titles = dict(Section.objects.filter(digest_id=digest.pk).values_list("pk", "title_html"))
    suppressed: dict[int, set] = {}
    for mention in Mention.objects.filter(item__in=list(items), source=Mention.Source.SUPPRESSED):
        suppressed.setdefault(mention.item_id, set()).add(mention.key)
    # Items first: the headings link only what the items mention (the reading context of
    # each text is known beforehand).
    for kind, pk in order:
        if kind == "item" and pk in items:
            reading = readings.reading(kind, pk)
            if _relink_one(
                items[pk], linker, suppressed.get(pk, set()), reading, always_sync=always_sync
            ):
                changed += 1
    allowed = heading_entities([digest.pk])[digest.pk]
    lead = readings.leads.get(digest.pk, "")
    lead_html = render_title(
        lead, linker=linker, reading=readings.reading("lead", digest.pk), allowed=allowed
    )
    if Digest.objects.filter(pk=digest.pk).exclude(lead_html=lead_html).update(lead_html=lead_html):
        changed += 1
    digest.lead_html = lead_html
    for kind, pk in order:
        if kind == "section":
            reading = readings.reading(kind, pk)
            html = render_title(
                readings.titles[pk], linker=linker, reading=reading, allowed=allowed
            )
            if html != titles.get(pk):
                Section.objects.filter(pk=pk).update(title_html=html)
                changed += 1
    topics = SocialMetric.objects.filter(digest_id=digest.pk).only("pk", "topic", "topic_html")
    changed += _relink_topics(topics, linker, allowed, add_entities=False)
    if item is not None and item.pk in items:
        relinked = items[item.pk]
        item.title_html, item.caption_html, item.body_html = (
            relinked.title_html,
            relinked.caption_html,
            relinked.body_html,
        )
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
    """Relink section titles, each in the context of its digest."""
    sections = list(sections.only("pk", "digest_id", "title", "title_html"))
    if not sections:
        return 0
    linker = current_linker()
    readings = _Readings({s.digest_id for s in sections}, linker)
    allowed = heading_entities({s.digest_id for s in sections})
    changed = 0
    for section in sections:
        html = render_title(
            section.title,
            linker=linker,
            reading=readings.reading("section", section.pk),
            allowed=allowed[section.digest_id],
        )
        if html != section.title_html:
            Section.objects.filter(pk=section.pk).update(title_html=html)
            changed += 1
    if changed:
        content_changed()
    return changed


def relink_leads(digests) -> int:
    """Relink digests' leads (each is read first in its digest)."""
    changed = 0
    rows = list(digests.values_list("pk", "lead", "lead_html"))
    if not rows:
        return 0
    linker = current_linker()
    readings = _Readings([pk for pk, _, _ in rows], linker)
    allowed = heading_entities([pk for pk, _, _ in rows])
    for pk, lead, lead_html in rows:
        html = render_title(
            lead, linker=linker, reading=readings.reading("lead", pk), allowed=allowed[pk]
        )
        if html != lead_html:
            Digest.objects.filter(pk=pk).update(lead_html=html)
            changed += 1
    if changed:
        content_changed()
    return changed


def relink_topics(metrics) -> int:
    """Relink figures' topics and add the entities named in them to the figures."""
    metrics = list(metrics)
    if not metrics:
        return 0
    linker = current_linker()
    changed = _relink_topics(metrics, linker, heading_entities({m.digest_id for m in metrics}))
    if changed:
        content_changed()
    return changed


def _relink_topics(metrics, linker: engine.Linker, allowed, *, add_entities=True) -> int:
    """Relink figures' topics; `allowed`: the entities they may link (a set, or a set per
    digest). The entities named in them are added to the figures (with `add_entities`)."""
    metrics = list(metrics)
    changed = 0
    for metric in metrics:
        html = render_title(
            metric.topic,
            linker=linker,
            allowed=allowed if isinstance(allowed, set) else allowed[metric.digest_id],
        )
        if html != metric.topic_html:
            SocialMetric.objects.filter(pk=metric.pk).update(topic_html=html)
            changed += 1
    if add_entities:
        link_metric_entities(metrics)
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
    names = [n for n in names if n and n.strip()]
    people = [pk for kind, pk in entities if kind == "person"]
    organizations = [pk for kind, pk in entities if kind == "organization"]
    # Captions in a query of their own: SQLite limits the depth of one WHERE clause.
    captioned = Item.objects.filter(_text_filter(["caption"], names)).values_list("pk", flat=True)
    items = Item.objects.filter(
        _text_filter(["title", "body"], names)
        | Q(pk__in=list(captioned))
        | Q(mentions__person__in=people)
        | Q(mentions__organization__in=organizations)
    ).distinct()
    with headings_batch():
        # Items first: headings link only what the items of their digest mention.
        changed = relink_items(Item.objects.filter(pk__in=items.values("pk")))
        relink_headings_for_names(names)
        relink_topics(
            SocialMetric.objects.filter(
                Q(people__in=people) | Q(organizations__in=organizations)
            ).distinct()
        )
    return changed


def relink_headings_for_names(names: Iterable[str]) -> int:
    """Relink the leads, section titles and figure topics whose text contains `names`."""
    names = [n for n in names if n and n.strip()]
    return (
        relink_sections(Section.objects.filter(_text_filter(["title"], names)))
        + relink_leads(Digest.objects.filter(_text_filter(["lead"], names)))
        + relink_topics(SocialMetric.objects.filter(_text_filter(["topic"], names)).distinct())
    )
