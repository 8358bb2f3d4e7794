"""The "Names to review" queue over the digests' text: drafts and published alike, every lead,
section title, item title, item text and caption (rules in digests/suggestions.py).

Reads the text in three streams ordered by digest and merged, with `.iterator()` and
`values_list`, keeping counters only: memory grows with the number of distinct names, not with
the archive. A constant number of queries whatever the number of digests or names.
"""

import heapq

from django.core.cache import cache

from digests.models import Digest, Item, Section
from digests.suggestions import Candidate, Registry, Tally, find_names, ranked
from digestsite.cache import content_generation
from people.models import Alias, IgnoredName

CHUNK_SIZE = 2000
CACHE_SECONDS = 3600


def registry() -> Registry:
    rows = Alias.objects.values_list(
        "text", "search_key", "search_skeleton", "person_id", "person__slug", "person__name",
        "organization_id", "organization__slug", "organization__name",
    )  # fmt: skip
    return Registry.from_rows(
        (text, key, skel, "person", p_slug, p_name, p_pk)
        if p_pk
        else (text, key, skel, "organization", o_slug, o_name, o_pk)
        for text, key, skel, p_pk, p_slug, p_name, o_pk, o_slug, o_name in rows
    )


def _texts(digest: Digest | None, recent: int | None = None):
    """(digest pk, text, is a headline, source) for every text, in digest order: of one
    digest, of the `recent` latest digests, or of all."""
    digests, sections, items = Digest.objects.all(), Section.objects.all(), Item.objects.all()
    if digest is not None or recent is not None:
        ids = (
            [digest.pk]
            if digest is not None
            else list(Digest.objects.order_by("-date", "-pk").values_list("pk", flat=True)[:recent])
        )
        digests = digests.filter(pk__in=ids)
        sections = sections.filter(digest_id__in=ids)
        items = items.filter(section__digest_id__in=ids)

    def leads():
        rows = digests.order_by("pk").values_list("pk", "lead")
        for pk, lead in rows.iterator(chunk_size=CHUNK_SIZE):
            if lead:
                yield pk, lead, False, ("digest", pk)

    def section_titles():
        rows = sections.order_by("digest_id", "pk").values_list("digest_id", "title")
        for digest_pk, title in rows.iterator(chunk_size=CHUNK_SIZE):
            yield digest_pk, title, True, ("digest", digest_pk)

    def item_texts():
        rows = items.order_by("section__digest_id", "pk").values_list(
            "section__digest_id", "pk", "title", "search_text", "caption"
        )
        for digest_pk, pk, title, text, caption in rows.iterator(chunk_size=CHUNK_SIZE):
            source = ("item", pk)
            if title:
                yield digest_pk, title, True, source
            if text:
                yield digest_pk, text, False, source
            if caption:
                yield digest_pk, caption, False, source

    return heapq.merge(leads(), section_titles(), item_texts(), key=lambda row: row[0])


def cached_names_to_review(
    *, digest: Digest | None = None, min_count: int = 1, recent: int | None = None
):
    """`names_to_review()`, kept in the cache until the content changes (any write to digests
    or the registry, ignoring a name included): paging through the queue reads it once."""
    key = f"names-to-review:{content_generation()}:{digest.pk if digest else ''}:{recent}"
    candidates = cache.get(key)
    if candidates is None:
        candidates = names_to_review(digest=digest, recent=recent)
        cache.set(key, candidates, timeout=CACHE_SECONDS)
    return [c for c in candidates if c.count >= min_count]


def names_to_review(
    *, digest: Digest | None = None, min_count: int = 1, recent: int | None = None
) -> list[Candidate]:
    """Names in the digests' text (one digest's, the `recent` latest digests', or all) that no
    person or organization has and staff have not ignored, seen at least `min_count` times,
    likeliest real entities first."""
    names = registry()
    ignored = set(IgnoredName.objects.values_list("normalized", flat=True))
    tally = Tally()
    for digest_pk, text, headline, source in _texts(digest, recent):
        for found in find_names(text, headline=headline, registered=names.plain):
            tally.add(found, digest=digest_pk, source=source)
    return ranked(tally.names(min_count=min_count, ignored=ignored), names)
