"""Feeds, sitemap and robots.txt: what readers and crawlers get."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from digests.models import Status
from tests.factories import make_digest, make_item, make_organization, make_person, make_section

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_digest_feeds_list_published_digests(client):
    """RSS and Atom list published digests, newest first, and nothing unpublished."""
    make_digest(title="Older", publish_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    make_digest(title="Newer", publish_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC))
    make_digest(title="Draft one", status=Status.DRAFT)
    rss = ET.fromstring(client.get("/feeds/digests/").content)
    assert [i.findtext("title") for i in rss.iter("item")] == ["Newer", "Older"]
    atom = ET.fromstring(client.get("/feeds/digests/atom/").content)
    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == ["Newer", "Older"]


def test_follow_a_person(client):
    """A person's feed lists the items naming them, with the sentence, linking to the item."""
    person = make_person("Pavel Latushka")
    digest = make_digest(title="Digest of June")
    item = make_item(make_section(digest, title="Meetings"), body="<p>Pavel Latushka met them.</p>")
    make_item(make_section(make_digest(status=Status.DRAFT)), body="<p>Pavel Latushka hid.</p>")
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'href="/people/pavel-latushka/feed/"' in page
    feed = ET.fromstring(client.get("/people/pavel-latushka/feed/").content)
    entries = list(feed.iter("item"))
    assert [e.findtext("title") for e in entries] == ["Digest of June: Meetings"]
    assert entries[0].findtext("description") == "Pavel Latushka met them."
    assert entries[0].findtext("link").endswith(item.get_absolute_url())


def test_feeds_of_hidden_entities_are_404(client):
    """Someone with no public page has no feed either."""
    hidden = make_person("Source At Risk", sensitive=True, public_profile=True)
    unnamed = make_organization("Never Named")
    assert client.get(f"/people/{hidden.slug}/feed/").status_code == 404
    assert client.get(f"/organizations/{unnamed.slug}/feed/").status_code == 404


def test_sitemap_lists_public_pages_with_lastmod(client):
    """The sitemap has every published digest and public entity page, with lastmod."""
    digest = make_digest(title="Public")
    draft = make_digest(title="Draft", status=Status.DRAFT)
    person = make_person("Pavel Latushka", public_profile=True)
    make_person("Source At Risk", sensitive=True, public_profile=True)
    xml = client.get("/sitemap.xml").content.decode()
    assert digest.get_absolute_url() in xml and person.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml and "source-at-risk" not in xml
    assert "<lastmod>" in xml


def test_robots_txt(client):
    """Crawlers are pointed at the sitemap and kept out of staff pages and previews."""
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /preview/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
