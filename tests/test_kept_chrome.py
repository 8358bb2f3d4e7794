"""The page chrome (the links in the head, the site's name and navigation, the footer) is kept
rendered between pages (base.html, `digestsite.context_processors`): every page, in every
language and section, under every address prefix, is byte for byte the page rendered with
nothing kept."""

import pytest
from django.core.cache import cache
from django.urls import set_script_prefix

from digestsite.cache import forget_counters
from tests.public_urls import PUBLIC_URLS, sample_site

pytestmark = pytest.mark.django_db

PAGES = [
    "digests:home",
    "digests:archive",
    "digests:digest-detail",
    "digests:search",
    "digests:metrics",
    "digests:tag-list",
    "people:person-list",
    "people:person-detail",
    "people:organization-list",
    "digests:privacy",
]


def page(client, url, **extra) -> bytes:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content


def fresh(client, url, **extra) -> bytes:
    cache.clear()
    forget_counters()
    return page(client, url, **extra)


def urls(site) -> list[str]:
    """Each page in each language (a digest only in its own)."""
    found = []
    for name in PAGES:
        url = PUBLIC_URLS[name](site)
        prefixes = [""] if name == "digests:digest-detail" else ["", "/be", "/ru"]
        found += [prefix + url for prefix in prefixes]
    return found


def test_every_page_in_every_language_and_section_shows_its_own_chrome(client):
    site = sample_site()
    kept = {url: page(client, url) for url in urls(site)}  # one after another: chrome kept
    for url, content in kept.items():
        assert content == fresh(client, url), url
    assert b'<a href="/people/" aria-current="page">' in kept["/people/"]
    assert b'<a href="/be/people/" aria-current="page">' in kept["/be/people/"]
    assert b'aria-current="page"' not in kept["/privacy/"].split(b"<main")[0]


@pytest.fixture
def under_prefix():
    """Serve as under a prefix (the WSGI handler sets it from SCRIPT_NAME; the test client
    does not)."""

    def serve(prefix: str) -> None:
        set_script_prefix(prefix)

    yield serve
    set_script_prefix("/")


def test_chrome_follows_the_address_prefix(client, under_prefix):
    """A site served under a prefix links under it; the same process serving it without one
    links without."""
    sample_site()
    under_prefix("/news/")
    prefixed = page(client, "/digests/?a")
    assert b'href="/news/people/"' in prefixed and b'href="/news/privacy/"' in prefixed
    under_prefix("/")
    plain = page(client, "/digests/?b")
    assert b'href="/news/' not in plain and b'href="/people/"' in plain
    under_prefix("/news/")
    assert prefixed == fresh(client, "/digests/?a")


def test_chrome_follows_the_site_name(client, settings):
    sample_site()
    page(client, "/digests/")
    settings.SITE_NAME = "Free Press Digest"
    content = page(client, "/privacy/")
    assert content.count(b"Free Press Digest") >= 3  # title, header, footer
    assert b"Belarus News Digest" not in content
