"""What an editor types reaches the lists that public pages write in Python (the A–Z indexes,
an entity's mentions and figures, the figures page's tables) as text, never as markup: every
name, description, title, snippet, topic and link is escaped as the template language would."""

import datetime
from html.parser import HTMLParser

import pytest

from digests.models import Mention
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>\"' &amp; </ul></li>"


class Markup(HTMLParser):
    """The elements and attributes of a page, and its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.text, self.scripts = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs
        if tag == "script":
            self.scripts.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def parsed(client, url) -> Markup:
    response = client.get(url)
    assert response.status_code == 200, url
    markup = Markup()
    markup.feed(response.content.decode())
    return markup


def assert_only_text(markup: Markup):
    """No element and no attribute came from what the editor typed: no image, no event
    handler, no script but the page's own (a file, or the entity's JSON-LD)."""
    assert "img" not in markup.tags
    assert not [name for name, _ in markup.attributes if name.startswith("on")]
    assert all(
        script.get("src") or script.get("type") == "application/ld+json"
        for script in markup.scripts
    )
    assert not any(text.startswith("alert(1)") for text in markup.text)


@pytest.fixture
def hostile():
    person = make_person(
        EVIL + " Person",
        name_be=EVIL + " Асоба",
        name_ru=EVIL + " Персона",
        short_description=EVIL,
        short_description_be=EVIL,
        short_description_ru=EVIL,
        public_profile=True,
    )
    organization = make_organization(EVIL + " Organization", public_profile=True)
    digest = make_digest(title=EVIL, date=datetime.date(2025, 12, 1))
    section = make_section(digest, title=EVIL)
    item = make_item(section, title=EVIL, body="<p>Words.</p>")
    for entity in (person, organization):
        field = entity._meta.model_name
        Mention.objects.create(item=item, snippet=EVIL, **{field: entity})
    metric = make_metric(digest, item=item, topic=EVIL, url='https://example.org/?a=1&b="x')
    metric.people.add(person)
    metric.organizations.add(organization)
    return person, organization


@pytest.mark.parametrize("prefix", ["", "/be", "/ru"])
def test_indexes_show_names_and_descriptions_as_text(client, hostile, prefix):
    for url in (f"{prefix}/people/", f"{prefix}/organizations/"):
        markup = parsed(client, url)
        assert_only_text(markup)
        assert any(EVIL in text for text in markup.text), url


def test_entity_pages_show_mentions_and_figures_as_text(client, hostile):
    for entity in hostile:
        markup = parsed(client, entity.get_absolute_url())
        assert_only_text(markup)
        text = "".join(markup.text)
        # The digest's title, the section's, the snippet and the figure's topic.
        assert text.count(EVIL) >= 4


def test_the_figures_page_shows_topics_and_links_as_text(client, hostile):
    person, organization = hostile
    for url in ("/metrics/", f"/metrics/?person={person.slug}&organization={organization.slug}"):
        markup = parsed(client, url)
        assert_only_text(markup)
        assert ("href", 'https://example.org/?a=1&b="x') in markup.attributes
        assert EVIL in "".join(markup.text)


def test_a_nul_in_a_description_leaves_every_name_beside_its_own_address(client):
    """The indexes escape thousands of values in one pass, joined on NUL: a value holding one
    (the database took it) must not shift the names against their addresses."""
    make_person("Anna Alpha", short_description="one\0two", public_profile=True)
    make_person("Boris Beta", short_description="<b>", public_profile=True)
    make_person("Clara Gamma", public_profile=True)
    page = client.get("/people/").content.decode()
    for name, slug in (("Anna Alpha", "anna-alpha"), ("Boris Beta", "boris-beta")):
        assert f'<a href="/people/{slug}/">{name}</a>' in page
    assert '<a href="/people/clara-gamma/">Clara Gamma</a></li>' in page
    assert "&lt;b&gt;" in page
