"""The readers' page cache: public pages served from the shared cache, never stale (the
counters that keep them so are in digestsite.cache).

What is cached: anonymous GET and HEAD requests (no session cookie) to public URL patterns —
every pattern in the `digests`, `people` and `api` namespaces and the sitemap, except preview
links. Staff (a session cookie), any other method, the admin, the editor, media and /healthz pass
straight through. A response is stored only when it is a 200, 301 or 404 that sets no cookie,
is not marked private/no-cache/no-store (drafts and previews are) and varies on nothing but
Cookie and Accept-Encoding. A page asked for with a query parameter it does not read
(PAGE_PARAMETERS) is rendered and never stored.

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

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
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

from digestsite import release
from digestsite.cache import counters, local_copies, next_publication_time

logger = logging.getLogger(__name__)


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


# URL patterns readers see, by namespace or full name; preview links show drafts.
PUBLIC_NAMESPACES = {"digests", "people", "api"}
# Public patterns whose answers never depend on a session (staff get the same bytes): they
# carry no `Vary: Cookie`.
SESSION_FREE_NAMESPACES = {"api"}
PUBLIC_VIEW_NAMES = {"sitemap"}
PRIVATE_VIEW_NAMES = {"digests:preview"}

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
    """A short hash of the release and HEADER_SETTINGS, part of every page's key (computed
    once per process, again when a setting changes)."""
    global _headers_fingerprint
    if _headers_fingerprint is None:
        headers = [getattr(settings, name, None) for name in HEADER_SETTINGS]
        values = repr([release.fingerprint(), *headers])
        _headers_fingerprint = hashlib.sha256(values.encode()).hexdigest()[:16]
    return _headers_fingerprint


@receiver(setting_changed, dispatch_uid="public-pages:settings")
def _setting_changed(setting, **kwargs):
    global _headers_fingerprint
    _headers_fingerprint = None
    if setting == "ROOT_URLCONF":
        _kind.cache_clear()


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


# The request headers that can make a page's answer a 304 or a 412 (RFC 9110, section 13).
PRECONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _conditional(request, response):
    """A 304 for a client that already has this page: by its ETag, or (without one) by the
    Last-Modified date the page carries, if it sets one. Only feeds and the sitemap do, from
    the dates of the published digests and public entities they list (the same dates their
    body shows), so that date moves only with their content. No page may set a Last-Modified
    of the time it was rendered: pages are rendered afresh after every write, drafts included,
    so that time would tell readers when the newsroom works on what they cannot see."""
    if not any(header in request.META for header in PRECONDITIONS):
        return response  # nothing to compare: most requests, answered without parsing dates
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
            host = request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        if kind == PAGE and not PAGE_PARAMETERS.issuperset(request.GET):
            return self._answer(request, self.get_response(request), kind)
        now = timezone.now()
        try:
            gen, schedule = counters()
            next_at = next_publication_time(now, schedule)
            key = self._key(request, host, gen, next_at)
            local = local_copies()
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
    def _key(request, host: str, gen: int, next_at: float) -> str:
        # Scheme and host too: feeds, the sitemap and robots.txt carry absolute addresses. The
        # path as the page reads it, and the query string as sent: two queries the page reads
        # apart (`?q=…` sent raw in UTF-8, or percent-encoded as Latin-1) never share a key.
        query = request.META.get("QUERY_STRING", "")
        address = repr((request.scheme, host, request.path, query))
        address = hashlib.sha256(address.encode()).hexdigest()
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
