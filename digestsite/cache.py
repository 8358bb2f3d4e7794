"""The readers' page cache: public pages served from the shared cache, never stale.

What is cached: anonymous GET and HEAD requests (no session cookie) to public URL patterns —
every pattern in the `digests`, `people` and `api` namespaces and the sitemap, except preview
links. Staff (a session cookie), any other method, the admin, the editor, media and /healthz pass
straight through. A response is stored only when it is a 200, 301 or 404 that sets no cookie,
is not marked private/no-cache/no-store (drafts and previews are) and varies on nothing but
Cookie and Accept-Encoding. A page asked for with a query parameter it does not read
(PAGE_PARAMETERS) is rendered and never stored.

How it stays fresh: entries are keyed by a content *generation* and by the time of the next
scheduled publication.

- The generation moves on every write to a model of the `digests`, `people` or `taggit` apps
  (preview links excepted) — post_save, post_delete and m2m_changed, connected per model at
  start-up — and wherever code writes around those signals (`QuerySet.update()`), which calls
  `content_changed()` after writing. Drafts are included on purpose: whether a write touches
  only a draft can be decided safely only against the committed state (a concurrent publish
  may make it public), and a draft save costs at most one fresh render per page.
- The generation moves at once and again when the transaction commits: readers who rendered
  between the write and the commit stored their page under a generation that is then gone.
- The earliest future `publish_at` of a published digest is part of the key, so when it
  passes every page is rendered afresh; entries also expire then. It is looked up when a
  digest is written (under its own counter, so that the last write wins) and on a request only
  once it has passed. `Cache-Control` does not depend on it, so that headers never tell readers
  when the next digest comes out: browsers and CDNs keep a page for the same fixed, short
  time after a scheduled publication as after an edit, then revalidate by ETag.
- In production the shared cache is Redis or, on one machine, files that all of gunicorn's
  worker processes share; each process also keeps copies of pages in its own memory
  (`pages-local`) and trusts the counters it read for PUBLIC_CACHE_COUNTER_SECONDS (1 s):
  its own edits show at once, other processes' within that second.

Headers on public pages: an ETag (hash of the body) with 304 answers to If-None-Match,
`Cache-Control: public, max-age, s-maxage, stale-while-revalidate` and `Vary: Cookie` (but not
on the API's answers, which are the same for staff: SESSION_FREE_NAMESPACES). No Last-Modified
of the time a page was rendered (see `_conditional`). Staff requests to public addresses get
`Cache-Control: private` so that no shared cache keeps them.
"""

import functools
import hashlib
import logging
import math
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import parse_http_date_safe

logger = logging.getLogger(__name__)

# URL patterns readers see, by namespace or full name; preview links show drafts.
PUBLIC_NAMESPACES = {"digests", "people", "api"}
# Public patterns whose answers never depend on a session (staff get the same bytes): they
# carry no `Vary: Cookie`.
SESSION_FREE_NAMESPACES = {"api"}
PUBLIC_VIEW_NAMES = {"sitemap"}
PRIVATE_VIEW_NAMES = {"digests:preview"}

# Writes to these apps' models can change public pages (preview links cannot).
CONTENT_APPS = ("digests", "people", "taggit")
PRIVATE_MODELS = {"digests.previewlink", "digests.pendingchange"}

STORED_STATUSES = {200, 301, 404}
# The query parameters readers' pages read (pagination, search and its filters, the figures'
# filters, the sitemap's pages). A page asked for with any other (utm_source, fbclid,
# cache-busting junk) is answered as usual but never stored, so such addresses add no entries
# (docs/caching.md says what this leaves open). A parameter missing here costs renders, never a
# wrong page.
PAGE_PARAMETERS = {
    "page",
    "items",
    "p",
    "q",
    "date_from",
    "date_to",
    "person",
    "organization",
    "tag",
}
HARMLESS_VARY = {"cookie", "accept-encoding"}

GENERATION_KEY = "public-pages:generation"
LOCAL_ALIAS = "pages-local"
SCHEDULE_KEY = "public-pages:schedule"


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


# The generation and the schedule

# The counters as this process last read them, and until when (time.monotonic()) it may use
# them without reading again (see `_counters`).
_remembered: tuple[float, tuple[int, int]] | None = None
# The last number this process bumped a counter to (see `_bump`).
_last_bump: int | None = None
# Where the time of the next scheduled publication comes from (see `connect_signals`).
_next_publication_source = None
# The next publication time as this process last read it, with the schedule counter it was
# read for (see `_next_publication`).
_publication: tuple[int, float] | None = None


def forget_counters() -> None:
    """Read the counters from the shared cache on the next request (after clearing it)."""
    global _remembered, _publication
    _remembered = _publication = None


def _counter(key: str) -> int:
    value = cache.get(key)
    if value is None:
        # A fresh number, never one used before, if the key was lost.
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def _bump(key: str) -> int:
    """Move a counter to a number never used before, on any cache backend: a plain `set()` of
    the clock in nanoseconds, so two processes bumping at once (a file cache has no atomic
    increment) still each retire what was keyed by the old number."""
    global _last_bump
    forget_counters()  # this process sees its own changes at once
    value = _last_bump = max(time.time_ns(), (_last_bump or 0) + 1)
    cache.set(key, value, timeout=None)
    return value


def _store_next_publication(schedule: int, now=None) -> float:
    at = _next_publication_source(now=now) if _next_publication_source else None
    value = at.timestamp() if at else 0
    cache.set(f"{SCHEDULE_KEY}:{schedule}", value, timeout=_setting("PUBLIC_CACHE_TIMEOUT", 600))
    return value


def _content_changed_now() -> None:
    _bump(GENERATION_KEY)


def _schedule_changed_now() -> None:
    _store_next_publication(_bump(SCHEDULE_KEY))


def content_changed(*, schedule: bool = False) -> None:
    """Retire every cached public page. Called on every write to a content model; call it
    after any such write that sends no model signal (QuerySet.update(), raw SQL), with
    `schedule=True` when digests' status or publication time may have changed."""
    schedule = schedule or cache.get(SCHEDULE_KEY) is None
    _content_changed_now()
    if schedule:
        _schedule_changed_now()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = {entry[1] for entry in connection.run_on_commit}
        if _content_changed_now not in pending:
            transaction.on_commit(_content_changed_now, robust=True)
        if schedule and _schedule_changed_now not in pending:
            transaction.on_commit(_schedule_changed_now, robust=True)


def _model_saved_or_deleted(sender, **kwargs):
    content_changed(schedule=sender._meta.label_lower == "digests.digest")


def _relation_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        content_changed()


def _migrated(sender, **kwargs):
    # A deploy migrates: pages rendered by the previous release's templates are retired.
    try:
        content_changed(schedule=True)
    except Exception:
        logger.warning("the page cache could not be cleared after migrating", exc_info=True)


def connect_signals(*, next_publication=None) -> None:
    """Retire cached pages on every write to a content model (called from the content app's
    AppConfig). `next_publication(now=…)` answers the earliest time still to come at which
    public pages change by themselves (a scheduled publication), or None."""
    global _next_publication_source
    _next_publication_source = next_publication
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in PRIVATE_MODELS:
                continue
            uid = f"public-pages:{model._meta.label_lower}"
            post_save.connect(_model_saved_or_deleted, sender=model, dispatch_uid=uid)
            post_delete.connect(_model_saved_or_deleted, sender=model, dispatch_uid=uid)
            m2m_changed.connect(_relation_changed, sender=model, dispatch_uid=uid)
    post_migrate.connect(_migrated, dispatch_uid="public-pages:migrate")
    setting_changed.connect(_setting_changed, dispatch_uid="public-pages:settings")


def _setting_changed(setting, **kwargs):
    global _headers_fingerprint
    _headers_fingerprint = None
    if setting == "ROOT_URLCONF":
        _kind.cache_clear()


# The settings the middleware below the cache reads to set headers: a stored page carries the
# headers they gave, so a page stored under other values (a release that changed the CSP or the
# onion address) is never served (see `_fingerprint`).
HEADER_SETTINGS = (
    "MIDDLEWARE",
    "CONTENT_SECURITY_POLICY",
    "ADMIN_CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "PUBLIC_REFERRER_POLICY",
    "ONION_LOCATION",
    "X_FRAME_OPTIONS",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_SSL_REDIRECT",
    "SECURE_SSL_HOST",
    "SECURE_REDIRECT_EXEMPT",
)
_headers_fingerprint: str | None = None


def _fingerprint() -> str:
    """A short hash of HEADER_SETTINGS, part of every page's key (computed once per process,
    again when a setting changes)."""
    global _headers_fingerprint
    if _headers_fingerprint is None:
        values = repr([getattr(settings, name, None) for name in HEADER_SETTINGS])
        _headers_fingerprint = hashlib.sha256(values.encode()).hexdigest()[:16]
    return _headers_fingerprint


def _local_copies():
    """This process's copies of pages held in the shared cache (`CACHES["pages-local"]`, set
    when the shared cache is Redis), or None. Pages are keyed by generation and schedule, so a
    copy can never be stale: a change makes new keys. Each hit then costs one small round trip
    for the counters instead of fetching the whole page from Redis."""
    return caches[LOCAL_ALIAS] if LOCAL_ALIAS in settings.CACHES else None


def _counters() -> tuple[int, int]:
    """The content generation and the schedule counter, in one read of the shared cache.

    When this process keeps its own copies of pages (`pages-local`: production, with Redis or
    files) the answer is remembered for PUBLIC_CACHE_COUNTER_SECONDS: changes made by this
    process show at once (`_bump` forgets it), changes made by another process or web node
    within that time. Browsers and CDNs may keep a page for max-age / s-maxage seconds anyway,
    so a second here costs readers nothing and saves a round trip on every hit."""
    global _remembered
    seconds = _setting("PUBLIC_CACHE_COUNTER_SECONDS", 1) if _local_copies() else 0
    now = time.monotonic()
    remembered = _remembered
    if seconds > 0 and remembered is not None and remembered[0] > now:
        return remembered[1]
    values = cache.get_many([GENERATION_KEY, SCHEDULE_KEY])
    counters = (
        values.get(GENERATION_KEY) or _counter(GENERATION_KEY),
        values.get(SCHEDULE_KEY) or _counter(SCHEDULE_KEY),
    )
    if seconds > 0:
        _remembered = (now + seconds, counters)
    return counters


def content_generation() -> int:
    """A number that changes on every write to content (see above): a key for anything else
    computed from the content, such as the admin's names-to-review queue."""
    return _counters()[0]


def _next_publication(now, schedule: int | None = None) -> float:
    """Timestamp of the earliest future `publish_at` of a published digest, 0 if none. Kept
    up to date by the writes that change it (under the schedule counter, remembered by this
    process for that counter); looked up here only once it has passed (or if the cache lost
    it)."""
    global _publication
    if schedule is None:
        schedule = _counter(SCHEDULE_KEY)
    remembered = _publication
    if remembered is not None and remembered[0] == schedule:
        value = remembered[1]
    else:
        value = cache.get(f"{SCHEDULE_KEY}:{schedule}")
    if value is None or 0 < value <= now.timestamp():
        value = _store_next_publication(schedule, now=now)
    _publication = (schedule, value)
    return value


# The middleware


def is_public_path(path: str) -> bool:
    """True when `path` is a reader's page (see PUBLIC_NAMESPACES)."""
    return _kind(get_urlconf() or settings.ROOT_URLCONF, path) is not None


PAGE, DATA = "page", "data"


@functools.lru_cache(maxsize=1024)
def _kind(urlconf: str, path: str) -> str | None:
    """PAGE for a reader's page, DATA for one that is the same whoever asks (the API, see
    SESSION_FREE_NAMESPACES), None for anything else."""
    # Remembered per address: resolving is a tenth of the cost of serving a cached page.
    # Resolved in the address's own language, as the page will be (`AddressLanguageMiddleware`
    # activates it below this middleware): i18n_patterns match only the active language's
    # prefix, so /be/… and /ru/… would not resolve under English and readers' pages there
    # would be taken for private ones (never stored, staff's copies not marked private).
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            match = resolve(path, urlconf)
    except Resolver404:
        return None
    if match.view_name in PRIVATE_VIEW_NAMES:
        return None
    if match.namespace in SESSION_FREE_NAMESPACES:
        return DATA
    if match.namespace in PUBLIC_NAMESPACES or match.view_name in PUBLIC_VIEW_NAMES:
        return PAGE
    return None


def _storable(response) -> bool:
    if response.status_code not in STORED_STATUSES or response.streaming or response.cookies:
        return False
    control = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-cache", "no-store"}:
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= HARMLESS_VARY


def _conditional(request, response):
    """A 304 for a client that already has this page: by its ETag, or (without one) by the
    Last-Modified date the page carries, if it sets one. Only feeds and the sitemap do, from
    the dates of the published digests and public entities they list (the same dates their
    body shows), so that date moves only with their content. No page may set a Last-Modified
    of the time it was rendered: pages are rendered afresh after every write, drafts included,
    so that time would tell readers when the newsroom works on what they cannot see."""
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified")),
        response=response,
    )


class PublicPageCacheMiddleware:
    """Serves readers' public pages from the shared cache (see the module docstring).

    First in MIDDLEWARE: a hit is answered before any other middleware runs (a reader's hit
    needs no session, CSRF, authentication or messages). A page is stored as the rest of the
    stack returned it, with every header the middleware below added (security headers, CSP,
    Onion-Location), so a hit carries exactly the headers of a fresh page; the settings those
    headers come from are part of the key.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        kind = _kind(get_urlconf() or settings.ROOT_URLCONF, request.path_info)
        if kind is None:
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self.get_response(request)
            # What staff see at a public address is theirs: never kept by a shared cache.
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True)
            if kind == PAGE:
                patch_vary_headers(response, ["Cookie"])
            return response

        try:
            # First in the stack, the cache is the first to read the Host header: a host not
            # in ALLOWED_HOSTS goes on to Django's 400, never into a key or the log below.
            request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        if kind == PAGE and not PAGE_PARAMETERS.issuperset(request.GET):
            return self._answer(request, self.get_response(request), kind)
        now = timezone.now()
        try:
            gen, schedule = _counters()
            next_at = _next_publication(now, schedule)
            key = self._key(request, gen, next_at)
            local = _local_copies()
            response = local.get(key) if local else None
            if response is None:
                response = cache.get(key)
                if response is not None and local:
                    local.set(key, response, _setting("PUBLIC_CACHE_TIMEOUT", 600))
        except Exception:
            logger.warning("the page cache is unavailable; serving uncached", exc_info=True)
            return self.get_response(request)

        lifetime = max(0, math.floor(next_at - now.timestamp())) if next_at else None
        if response is not None:
            return _conditional(request, response)

        response = self.get_response(request)
        if not _storable(response):
            return response
        self._patch_public(response, kind)
        timeout = _setting("PUBLIC_CACHE_TIMEOUT", 600)
        if lifetime is not None:
            timeout = min(timeout, lifetime)
        if timeout >= 1:
            try:
                cache.set(key, response, timeout)
                if local:
                    local.set(key, response, timeout)
            except Exception:
                logger.warning("the page cache could not store a page", exc_info=True)
        return _conditional(request, response)

    def _answer(self, request, response, kind):
        """A public page this cache does not store: the headers of one it would."""
        if _storable(response):
            self._patch_public(response, kind)
            return _conditional(request, response)
        return response

    @classmethod
    def _patch_public(cls, response, kind) -> None:
        if kind == PAGE:
            # Staff (a session) get drafts at the same addresses; the API shows them nothing
            # else, so its answers do not vary on the cookie.
            patch_vary_headers(response, ["Cookie"])
        if response.status_code == 200 and not response.has_header("ETag"):
            set_response_etag(response)
        cls._patch_cache_control(response)

    @staticmethod
    def _key(request, gen: int, next_at: float) -> str:
        # Scheme and host too: feeds, the sitemap and robots.txt carry absolute addresses.
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        return f"public-pages:{gen}:{next_at!r}:{_fingerprint()}:{address}"

    @staticmethod
    def _patch_cache_control(response) -> None:
        """Public caching headers: the same fixed lifetimes on every page, whatever is
        scheduled (the server-side entry alone ends at the next publication)."""
        patch_cache_control(
            response,
            public=True,
            max_age=_setting("PUBLIC_CACHE_MAX_AGE", 60),
            s_maxage=_setting("PUBLIC_CACHE_S_MAXAGE", 300),
            stale_while_revalidate=_setting("PUBLIC_CACHE_STALE_WHILE_REVALIDATE", 60),
        )
