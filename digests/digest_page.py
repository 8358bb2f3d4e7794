"""A digest's page, for readers and for staff (drafts marked, empty sections shown), with
the previews of a pending change and of a review link. A reader's page is rendered from the
parts kept for the digest's current version when there are any (digests.kept_parts)."""

import re

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.functional import cached_property
from django.utils.translation import get_language

from digests.charts import digest_charts
from digests.models import (
    Digest,
    Item,
    PendingChange,
    PreviewLink,
    Section,
    Status,
    may_preview,
)
from digestsite import release
from digestsite.cache import fragment_version, parts_cache_alias

WORDS_PER_MINUTE = 220


# What a digest page shows below its heading. The page shows the rendered HTML: the editor's
# source and the search columns (a third of each row) stay in the database.
_CONTENTS = (
    Prefetch(
        "sections",
        queryset=Section.objects.order_by("order", "pk").prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.order_by("order", "pk").defer(
                    "body", "search_text", "search_vector"
                ),
            )
        ),
    ),
    "tags",
    "metrics",
)
# Seconds a digest page's kept parts live: they are keyed by the digest's version
# (digests.kept_parts), so this bounds only the space they take.
KEPT_PARTS_TIMEOUT = 24 * 60 * 60


class DigestContents:
    """A digest's sections and items, figures and topics, read when the page first needs them:
    a page rendered from kept parts reads none of them. Readers never see an empty section;
    staff see it (marked by the template)."""

    def __init__(self, digest, *, staff: bool):
        self.digest, self.staff = digest, staff

    @cached_property
    def _digest(self):
        prefetch_related_objects([self.digest], *_CONTENTS)
        return self.digest

    @cached_property
    def sections(self) -> list:
        return [s for s in self._digest.sections.all() if self.staff or s.items.all()]

    @cached_property
    def metrics(self) -> list:
        return list(self._digest.metrics.all())

    @cached_property
    def tags(self) -> list:
        return list(self._digest.tags.all())

    @cached_property
    def charts(self) -> list:
        return digest_charts(self.metrics)

    @cached_property
    def reading_minutes(self) -> int:
        return reading_minutes(self._digest)


def digest_detail(request, slug):
    """One digest with its sections and items. Staff may preview drafts, marked as such."""
    visible = Digest.objects.visible_to(request.user)
    try:
        digest = visible.get(slug=slug)  # an address is unique: no order to work out
    except Digest.DoesNotExist:
        # An old address of a digest the visitor may see answers with a 301; nothing else.
        moved = visible.filter(redirects__old_slug=slug).first()
        if moved is None:
            raise Http404("No such digest.") from None
        return redirect(moved, permanent=True)
    if digest.language != get_language():
        # A digest lives under its own language's prefix.
        return redirect(digest, permanent=True)
    if "pending" in request.GET and may_preview(request.user):
        return _pending_preview(request, digest)
    response = _render_digest(request, digest)
    if not digest.is_public:
        add_never_cache_headers(response)
    return response


# A tag of the sanitised HTML the site stores (no comments or scripts survive sanitising).
_TAG = re.compile(r"<[^>]*>")


def _words(html: str) -> int:
    # strip_tags() parses the HTML (a third of an uncached digest page); for a count of words,
    # removing the tags of sanitised HTML gives the same text.
    return len(_TAG.sub("", html).split())


def reading_minutes(digest) -> int:
    """About how long the digest takes to read, in whole minutes (at least one)."""
    words = _words(digest.lead_html)
    for section in digest.sections.all():
        for item in section.items.all():
            words += _words(item.title_html) + _words(item.body_html)
    return max(1, round(words / WORDS_PER_MINUTE))


def _render_digest(request, digest, *, private=False, **context):
    """The digest page; `private` for what only staff or a reviewer may see: never cached,
    never indexed. A reader's page is rendered from the parts kept for the digest's current
    version, when there are any (digests.kept_parts)."""
    staff = request.user.is_staff and "preview_link" not in context
    # Never from a read replica (digestsite/routers.py): one that lags renders the old text
    # under the version a write has already moved, and would keep it there for good.
    primary = Digest.objects.db == DEFAULT_DB_ALIAS
    kept = None
    if not (private or staff or context) and digest.is_public and primary:
        # What the kept parts show: the digest's row as read (a write may come between reading
        # it and reading the version), its sections, items, figures and topics (read after the
        # version: `contents` reads them only to render), the release rendering them (old and
        # new code share the cache during a deploy), the address (scheme, host and prefix:
        # share links and JSON-LD are absolute), the language and the versions.
        version = fragment_version(*digest.page_scopes)
        versions = _kept_versions(digest, version)
        row = [getattr(digest, field.attname) for field in Digest._meta.concrete_fields]
        kept = "|".join(
            [
                version,
                release.fingerprint(),
                repr(row),
                request.build_absolute_uri(digest.get_absolute_url()),
                get_language(),
                repr([(v.slug, v.language, v.title) for v in versions]),
            ]
        )
    else:
        versions = _as_digests(_version_rows(Digest.objects.visible_to(request.user), digest))
    response = render(
        request,
        "digests/digest_detail.html",
        {
            "digest": digest,
            "contents": DigestContents(digest, staff=staff),
            "nav": "digests",
            "versions": versions,
            "kept": kept,
            "kept_timeout": KEPT_PARTS_TIMEOUT,
            "kept_cache": parts_cache_alias(),
            **context,
        },
    )
    if private:
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _version_rows(digests, digest) -> list[tuple[str, str, str]]:
    """Its versions in other languages among `digests` (one query): address, language and
    title, for "Also in", the language switcher and the hreflang links."""
    versions = digests.versions_of(digest).order_by("language")
    return list(versions.values_list("slug", "language", "title"))


def _as_digests(rows) -> list:
    return [Digest(slug=slug, language=language, title=title) for slug, language, title in rows]


def _kept_versions(digest, version: str) -> list:
    """The published versions of a public digest, kept with its parts (`version`: the
    digest's and its original's scopes, which every write to a version moves): read again
    after a write to one of them, not after a write elsewhere, and once the first of its
    versions still scheduled comes out (read in the same query), with nothing written."""
    key = ":".join(
        [
            "digest-versions",
            version,
            release.fingerprint(),  # the rows' shape is the code's
            str(digest.pk),
            str(digest.translation_of_id),
        ]
    )
    parts = caches[parts_cache_alias()]
    kept = parts.get(key)
    if kept is not None and (kept[1] is None or timezone.now() < kept[1]):
        return _as_digests(kept[0])
    found = (
        Digest.objects.filter(status=Status.PUBLISHED)  # public now, or scheduled
        .versions_of(digest)
        .order_by("language")
        .only("slug", "language", "title", "status", "publish_at")
    )
    rows, until = [], None
    for other in found:
        if other.is_public:
            rows.append((other.slug, other.language, other.title))
        elif until is None or other.publish_at < until:
            until = other.publish_at
    parts.set(key, (rows, until), KEPT_PARTS_TIMEOUT)
    return _as_digests(rows)


def _pending_preview(request, digest):
    """Staff see, at the public address, the digest as a change waiting for approval would
    make it: applied for this one response and rolled back, never cached."""
    from digests import moderation

    change = PendingChange.objects.awaiting().filter(digest=digest).first()
    if change is None:
        return redirect(digest)
    with moderation.applied(change.data):
        digest = Digest.objects.get(pk=digest.pk)
        return _render_digest(request, digest, private=True, pending_change=change)


def preview(request, token):
    """A draft shown to an outside reviewer through a signed, expiring, revocable link.
    Never cached, never indexed; a bad, expired or revoked link is a plain 404."""
    link = PreviewLink.from_token(token)
    if link is None:
        raise Http404("This preview link is not valid.")
    digest = Digest.objects.get(pk=link.digest_id)
    return _render_digest(request, digest, private=True, preview_link=link)
