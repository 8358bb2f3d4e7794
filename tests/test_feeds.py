"""Feeds, sitemap and robots.txt: what readers and crawlers get."""

import datetime
import html
import xml.etree.ElementTree as ET

import pytest

from digests.models import Digest, Mention, Status
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


FEEDS = ["/feeds/digests/", "/feeds/digests/atom/", "/people/pavel-latushka/feed/"]


def test_control_characters_never_break_feeds(client):
    """A vertical tab in a lead or an escape character in an imported title neither breaks
    a feed nor reaches it: every feed answers with well-formed XML."""
    make_person("Pavel Latushka")
    digest = make_digest(title="Digest\x1b[31m of June", lead="Released\x0b today\x7f.")
    make_item(
        make_section(digest, title="Meet\x1bings"),
        title="Talks\x0c",
        body="<p>Pavel Latushka\x0b met\x85 them\ufffe.</p>",
    )
    digest.refresh_from_db()
    assert (digest.title, digest.lead) == ("Digest[31m of June", "Released today.")
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)
    rss = ET.fromstring(client.get("/feeds/digests/").content)
    assert rss.find("channel/item/description").text == "Released today."


def test_feeds_survive_control_characters_stored_before(client):
    """Text stored before control characters were refused still gives working feeds."""
    make_person("Pavel Latushka")
    digest = make_digest()
    make_item(make_section(digest), body="<p>Pavel Latushka met them.</p>")
    Digest.objects.update(title="Old\x1b title", lead="Old\x0b lead")
    Mention.objects.update(snippet="Pavel Latushka\x0b met them.")
    for url in FEEDS:
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.content)
    rss = ET.fromstring(client.get("/feeds/digests/").content)
    assert rss.find("channel/item/title").text == "Old title"


def test_plain_text_in_feeds_is_never_markup(client):
    """A lead or a quoted sentence that looks like markup reaches feed readers as the text
    it is: their HTML shows the characters, it never loads an image or runs a script."""
    lead = "Tags like <img src=x onerror=alert(1)> & <b>bold</b>"
    make_person("Pavel Latushka")
    digest = make_digest(lead=lead)
    make_item(
        make_section(digest),
        body="<p>Pavel Latushka wrote &lt;script&gt;alert(2)&lt;/script&gt; here.</p>",
    )
    rss = ET.fromstring(client.get("/feeds/digests/").content)
    shown = rss.find("channel/item/description").text
    assert "<" not in shown and html.unescape(shown) == lead
    atom = ET.fromstring(client.get("/feeds/digests/atom/").content)
    summary = atom.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<" not in summary.text and html.unescape(summary.text) == lead
    person = ET.fromstring(client.get("/people/pavel-latushka/feed/").content)
    snippet = person.find("channel/item/description").text
    assert "<" not in snippet
    assert html.unescape(snippet) == "Pavel Latushka wrote <script>alert(2)</script> here."
