"""What every template may use: the site's name (translated), the sign-in lockout time, and
where the page chrome is kept rendered (`chrome`, see `_chrome`)."""

import functools
from hashlib import sha256

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import gettext

from digestsite import release
from digestsite.cache import parts_cache_alias

# Seconds the page chrome stays kept: its key names everything it is rendered from, so this
# bounds only the space it takes.
CHROME_TIMEOUT = 24 * 60 * 60


def site(request):
    return {
        # The default name has translations; a name set in DJANGO_SITE_NAME stays as given.
        "site_name": gettext(settings.SITE_NAME),
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "chrome": {
            "cache": parts_cache_alias(),
            "timeout": CHROME_TIMEOUT,
            "key": _chrome_key(
                get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, settings.STATIC_URL
            ),
        },
    }


@functools.lru_cache(maxsize=64)
def _chrome_key(script_prefix: str, urlconf: str, static_url: str) -> str:
    """The key base.html keeps its chrome under (the links in the head, the site's name and
    navigation, the footer: a third of rendering a digest page from its kept parts), beside
    what the template adds itself (language, current section, site name): the release
    (templates, translations, static files), the address prefix, the URLconf and the static
    files' URL."""
    values = repr((release.fingerprint(), script_prefix, urlconf, static_url))
    return sha256(values.encode()).hexdigest()
