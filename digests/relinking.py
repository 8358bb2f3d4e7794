"""Keeping stored links current: relinking items, leads, section titles and figure topics when
the registry's names change (`relink_for_names`, from `people.signals.names_changed`) or a
digest's items change (`relink_digest`, in reading order, so surnames alone follow the full
names before them), and a digest's headings when its items' mentions change
(`mentions_changed`, batched by `headings_batch`). Linking one item is `digests.mentions`.
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape

from django.db.models import Q

from digests import linker as engine
from digests.mentions import (
    current_linker,
    heading_entities,
    link_item,
    render_title,
    sync_mentions,
)
from digests.models import Digest, Item, Mention, Section, SocialMetric, digest_scope
from digestsite.cache import content_changed

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
        content_changed(scopes=[digest.kept_scope])
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
        content_changed(scopes={digest_scope(m.digest_id) for m in metrics})
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
