"""The A–Z indexes of people and organizations, in each language."""

import re
from html import escape

import pytest
from django.utils.translation import override

from digests.entity_pages import _alphabetical
from people.models import Organization
from tests.factories import make_organization, make_person

pytestmark = pytest.mark.django_db


def entries(html):
    """(initial, [(address, name, note)]) per section of an index page."""
    sections = re.findall(
        r'<h2 id="[^"]+">([^<]+)</h2>\s*<ul class="entity-list">(.*?)</ul>', html, re.S
    )
    item = r'<li><a href="([^"]+)">([^<]*)</a>(?: <span class="meta">([^<]*)</span>)?</li>'
    return [(initial, re.findall(item, items)) for initial, items in sections]


def test_people_under_their_initial_with_their_description(client):
    ales = make_person("Ales Bialiatski", short_description="Nobel <Peace> laureate & activist")
    anna = make_person("Anna Krasulina", public_profile=True)
    ales.public_profile = True
    ales.save()
    yolka = make_person("Ёлка Дзед", public_profile=True)
    band = make_person("42 Collective", public_profile=True, short_description="Band")
    assert entries(client.get("/people/").content.decode()) == [
        (
            "A",
            [
                (
                    ales.get_absolute_url(),
                    "Ales Bialiatski",
                    "Nobel &lt;Peace&gt; laureate &amp; activist",
                ),
                (anna.get_absolute_url(), "Anna Krasulina", ""),
            ],
        ),
        ("Ё", [(yolka.get_absolute_url(), "Ёлка Дзед", "")]),
        ("#", [(band.get_absolute_url(), "42 Collective", "Band")]),
    ]


def test_people_in_belarusian_sorted_by_their_belarusian_name(client):
    make_person(
        "Ales Bialiatski",
        name_be="Алесь Бяляцкі",
        short_description="Activist",
        short_description_be="Праваабаронца",
        public_profile=True,
    )
    make_person("Boris Zhuk", public_profile=True, short_description="Writer")
    assert entries(client.get("/be/people/").content.decode()) == [
        ("B", [("/be/people/boris-zhuk/", "Boris Zhuk", "Writer")]),
        ("А", [("/be/people/ales-bialiatski/", "Алесь Бяляцкі", "Праваабаронца")]),
    ]


def test_organizations_with_their_kind_in_the_page_language(client):
    make_organization("Viasna", name_ru="Весна", kind=Organization.Kind.NGO, public_profile=True)
    with override("ru"):
        kind = escape(str(Organization.Kind.NGO.label))
    assert entries(client.get("/organizations/").content.decode()) == [
        ("V", [("/organizations/viasna/", "Viasna", "Civil society / NGO")])
    ]
    assert entries(client.get("/ru/organizations/").content.decode()) == [
        ("В", [("/ru/organizations/viasna/", "Весна", kind)])
    ]


def test_every_value_is_escaped_even_one_with_a_nul():
    rows = [("A <b>\0", "a-b", "x & y"), ("Bob", "bob", "")]
    assert _alphabetical(rows, "people:person-detail") == [
        (
            "A",
            '<li><a href="/people/a-b/">A &lt;b&gt;\0</a> <span class="meta">x &amp; y</span></li>',
        ),
        ("B", '<li><a href="/people/bob/">Bob</a></li>'),
    ]


def test_initials_lead_to_their_sections(client):
    make_person("Anna Krasulina", public_profile=True)
    make_person("Boris Zhuk", public_profile=True)
    html = client.get("/people/").content.decode()
    assert (
        '<nav class="alphabet" aria-label="Initials">\n'
        '  <ul><li><a href="#people-1">A</a></li><li><a href="#people-2">B</a></li></ul>'
    ) in html
    assert '<section aria-labelledby="people-2">\n<h2 id="people-2">B</h2>' in html


def test_an_empty_index_says_so(client):
    html = client.get("/organizations/").content.decode()
    assert "Nobody is listed yet." in html and 'class="alphabet"' not in html
