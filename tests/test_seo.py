"""Sharing and discovery: canonical addresses, Open Graph and Twitter card tags, JSON-LD."""

import datetime
import json
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission

from digests.models import PreviewLink, Status
from tests.factories import (
    image_upload,
    make_digest,
    make_item,
    make_organization,
    make_person,
    make_section,
)
from tests.public_urls import HIDDEN_MARKERS, sample_site

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The sharing tags of a page: canonical, meta by name/property, JSON-LD blocks."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.canonical, self.meta, self.json_ld, self.title = [], {}, [], ""
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "ld"
            self.json_ld.append("")
        elif tag == "title":
            self._in = "title"

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "ld":
            self.json_ld[-1] += data
        elif self._in == "title":
            self.title += data

    def data(self):
        return [json.loads(block) for block in self.json_ld]


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.content.decode())


@pytest.fixture
def site():
    return sample_site()


PAGE_TYPES = {
    "digest": (lambda s: s["digest"].get_absolute_url(), "NewsArticle", "article"),
    "person": (lambda s: s["person"].get_absolute_url(), "Person", "profile"),
    "organization": (lambda s: s["organization"].get_absolute_url(), "Organization", "website"),
    "home": (lambda s: "/", "WebSite", "website"),
    "archive": (lambda s: "/digests/", None, "website"),
    "archive-month": (lambda s: "/digests/2025/12/", None, "website"),
}


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_every_page_type_has_sharing_tags(client, site, kind):
    """Each page shares with its own address, title and card, and describes itself to search
    engines with valid structured data of the right type."""
    url_for, ld_type, og_type = PAGE_TYPES[kind]
    url = url_for(site)
    tags = head(client, url)
    assert tags.canonical == [f"http://testserver{url}"]
    assert tags.meta["og:url"] == tags.canonical[0]
    assert tags.meta["og:title"] and tags.meta["og:title"] in tags.title
    assert tags.meta["og:type"] == og_type
    assert tags.meta["og:site_name"] == "Belarus News Digest"
    assert tags.meta["twitter:card"] == "summary"
    assert "robots" not in tags.meta
    if ld_type:
        (data,) = tags.data()
        assert data["@context"] == "https://schema.org" and data["@type"] == ld_type
        if ld_type != "WebSite":
            assert data["url"] == tags.canonical[0]
    else:
        assert tags.json_ld == []


def test_meta_tags_hold_plain_text_only(client):
    """Titles naming a linked person, and a lead typed with markup, are shared as plain text."""
    make_person("Pavel Latushka")
    digest = make_digest(title="Pavel Latushka in Vilnius", lead="<b>Talks</b> &amp; a\n  visit")
    make_item(make_section(digest, title="Pavel Latushka"), title="Pavel Latushka speaks")
    tags = head(client, digest.get_absolute_url())
    assert tags.meta["og:title"] == tags.meta["twitter:title"] == "Pavel Latushka in Vilnius"
    assert tags.meta["og:description"] == "Talks &amp; a visit"
    for content in tags.meta.values():
        assert "<" not in content and "mention" not in content
    (data,) = tags.data()
    assert data["headline"] == "Pavel Latushka in Vilnius"


def test_news_article_data_and_large_card_with_cover(client):
    """A digest with a cover is shared with the cover as a large card, dated and attributed."""
    digest = make_digest(title="News digest 31 December 2025", lead="Releases and meetings.")
    digest.cover_image = image_upload("cover.jpg", fmt="JPEG", size=(2000, 1000))
    digest.cover_alt = "Freed prisoners at the border"
    digest.save()
    digest.tags.add("prisoners")
    tags = head(client, digest.get_absolute_url())
    image = tags.meta["og:image"]
    assert image.startswith("http://testserver/") and image.endswith("-1440w.jpg")
    assert (tags.meta["og:image:width"], tags.meta["og:image:height"]) == ("1440", "720")
    assert tags.meta["og:image:alt"] == "Freed prisoners at the border"
    assert tags.meta["twitter:card"] == "summary_large_image"
    (data,) = tags.data()
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "News digest 31 December 2025"
    assert data["description"] == "Releases and meetings."
    assert data["image"] == [image]
    published = datetime.datetime.fromisoformat(data["datePublished"])
    assert abs(published - digest.publish_at) < datetime.timedelta(milliseconds=1)
    assert datetime.datetime.fromisoformat(data["dateModified"]) >= published
    assert data["publisher"]["name"] == "Belarus News Digest"
    assert data["keywords"] == ["prisoners"]


def test_person_data_names_aliases_and_https_profiles(client):
    """A person's data lists the other spellings shown on the page and their https profiles."""
    person = make_person("Sviatlana Tsikhanouskaya", public_profile=True)
    person.aliases.create(text="Tikhanovskaya")
    person.aliases.create(text="Святлана Ціханоўская")
    person.links.create(title="X", url="https://x.example.com/tsikhanouskaya")
    person.links.create(title="Old site", url="http://old.example.com/")
    public_org = make_organization("Coordination Council", public_profile=True)
    hidden_org = make_organization("Quiet Fund HIDDEN-ORG")
    person.affiliations.create(organization=public_org)
    person.affiliations.create(organization=hidden_org)
    tags = head(client, person.get_absolute_url())
    (data,) = tags.data()
    assert data["name"] == "Sviatlana Tsikhanouskaya"
    assert data["alternateName"] == ["Tikhanovskaya", "Святлана Ціханоўская"]
    assert data["sameAs"] == ["https://x.example.com/tsikhanouskaya"]
    assert [a["name"] for a in data["affiliation"]] == ["Coordination Council"]
    assert "HIDDEN-ORG" not in tags.json_ld[0]


def test_organization_data_names_aliases_and_website(client):
    """An organization's data lists its other names and its own site."""
    organization = make_organization(
        "National Anti-Crisis Management", website="https://example.org/nam", public_profile=True
    )
    organization.aliases.create(text="NAM")
    (data,) = head(client, organization.get_absolute_url()).data()
    assert data["@type"] == "Organization"
    assert data["alternateName"] == ["NAM"]
    assert data["sameAs"] == ["https://example.org/nam"]


def test_structured_data_cannot_break_out_of_its_script(client):
    """A name containing markup stays inside the data block and reads back unchanged."""
    name = "Ann </script><script>alert(1)</script> & Co"
    person = make_person(name, public_profile=True)
    response = client.get(person.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == html.count("<script")
    (data,) = Head(html).data()
    assert data["name"] == name


def test_canonical_keeps_the_page_number_and_nothing_else(client, settings):
    """Shared and paginated addresses lose tracking parameters but keep their page."""
    for _ in range(21):
        make_digest()
    assert head(client, "/digests/?page=2&utm_source=x").canonical == [
        "http://testserver/digests/?page=2"
    ]
    assert head(client, "/digests/?page=1&fbclid=abc").canonical == ["http://testserver/digests/"]
    settings.SITE_URL = "https://digest.example.org"
    tags = head(client, "/digests/?page=2")
    assert tags.canonical == ["https://digest.example.org/digests/?page=2"]
    assert tags.meta["og:url"] == tags.canonical[0]


def test_drafts_are_noindex_without_sharing_tags(client, django_user_model):
    """A draft seen by staff or through a preview link is never indexed or described."""
    draft = make_digest(title="Draft digest HIDDEN-1", status=Status.DRAFT)
    link = PreviewLink.objects.create(digest=draft)
    editor = django_user_model.objects.create_user("ed", password="pw-12345678", is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="view_digest"))
    client.force_login(editor)
    for tags in (head(client, draft.get_absolute_url()), head(client, link.get_absolute_url())):
        assert tags.meta["robots"] == "noindex, nofollow"
        assert tags.canonical == [] and tags.json_ld == []
        assert not [key for key in tags.meta if key.startswith(("og:", "twitter:"))]


def test_preview_of_a_published_digest_stays_noindex(client):
    """A preview link to a digest that has since been published does not advertise itself."""
    digest = make_digest()
    tags = head(client, PreviewLink.objects.create(digest=digest).get_absolute_url())
    assert tags.meta["robots"] == "noindex, nofollow" and tags.canonical == []


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_nothing_unpublished_in_sharing_tags(client, site, kind):
    """No name, title or tag from drafts or scheduled digests appears in meta tags or data."""
    tags = head(client, PAGE_TYPES[kind][0](site))
    shared = json.dumps([tags.meta, tags.data(), tags.canonical, tags.title])
    assert [marker for marker in HIDDEN_MARKERS if marker in shared] == []
