"""Search: people and organizations by any spelling, then items by full text; suggestions.

Runs on SQLite and on PostgreSQL (scripts/with-postgres.sh); the few differences (near
spellings through trigrams, full-text ranking) are stated where a test depends on them.
"""

import datetime
import json

import pytest
from django.db import connection
from django.utils import timezone

from digests import search
from digests.models import Status
from digests.search import MAX_QUERY_LENGTH, PAGE_SIZE
from people.models import Alias
from people.spelling import search_key, skeleton
from tests.factories import (
    make_digest,
    make_item,
    make_organization,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

ON_POSTGRES = connection.vendor == "postgresql"


def published_item(body, *, title="", date=None, tags=(), digest_tags=()):
    digest = make_digest(**({"date": date} if date else {}))
    if digest_tags:
        digest.tags.add(*digest_tags)
    item = make_item(make_section(digest), title=title, body=body)
    if tags:
        item.tags.add(*tags)
    return item


def named_person(name, *aliases, **fields):
    """A person with a public page (named in a published item)."""
    person = make_person(name, **fields)
    for alias in aliases:
        person.aliases.create(text=alias)
    published_item(f"<p>A statement by {name}.</p>")
    return person


def entity_names(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [hit.name for hit in response.context["entities"]]


def item_titles(response):
    return [item.title for item in response.context["page"].object_list]


# Spelling keys -------------------------------------------------------------------------------


def test_transliterations_share_one_key():
    """Cyrillic, diacritics and the common Latin transliterations of a name meet in one key."""
    assert search_key("Лукашенка") == search_key("Lukashenka") == search_key("Łukašenka")
    assert search_key("LUKASHENKA") == search_key("lukashenka")
    assert search_key("Ціханоўская") == search_key("Tsikhanouskaya")
    assert skeleton(search_key("Tikhanovskaya")) == skeleton(search_key("Tsikhanouskaya"))
    assert skeleton(search_key("Лукашенко")) == skeleton(search_key("Lukashenka"))


def test_alias_key_follows_its_text():
    """Renaming an alias re-keys it, so search finds the new spelling and not the old one."""
    person = named_person("Pavel Latushka")
    alias = person.aliases.create(text="Latushko")
    alias.text = "Латушка"
    alias.save()
    alias.refresh_from_db()
    assert alias.search_key == search_key("Latushka")


# People and organizations --------------------------------------------------------------------


def test_cyrillic_query_finds_latin_name(client):
    """Typing “Лукашенко” finds Aliaksandr Lukashenka, whose names are only in Latin."""
    named_person("Aliaksandr Lukashenka")
    assert entity_names(client, "Лукашенко") == ["Aliaksandr Lukashenka"]


def test_latin_query_finds_cyrillic_alias(client):
    """A Latin spelling finds someone known here only by a Cyrillic alias."""
    named_person("Maria Kalesnikava", "Мария Колесникова")
    response = client.get("/search/", {"q": "Kolesnikova"})
    hits = response.context["entities"]
    assert [(h.name, h.alias) for h in hits] == [("Maria Kalesnikava", "Мария Колесникова")]
    assert "also written “Мария Колесникова”" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["Tsikhanouskaya", "Tikhanovskaya", "Тихановская", "Ціханоўская", "tsikhanouskaya"]
)
def test_belarusian_and_russian_forms_find_one_person(client, query):
    """Both the Belarusian and the Russian forms of her name find Sviatlana Tsikhanouskaya."""
    named_person("Sviatlana Tsikhanouskaya")
    assert entity_names(client, query) == ["Sviatlana Tsikhanouskaya"]


@pytest.mark.parametrize("query", ["Łukašenka", "LUKASHENKA", "lukashenka", "Lukašenko"])
def test_diacritics_and_case_do_not_matter(client, query):
    """Diacritics and capitals in the query change nothing."""
    named_person("Aliaksandr Lukashenka")
    assert entity_names(client, query) == ["Aliaksandr Lukashenka"]


def test_surname_prefix_finds_person(client):
    """The start of a surname is enough."""
    named_person("Pavel Latushka")
    assert entity_names(client, "Latu") == ["Pavel Latushka"]


def test_vowel_variants_found_everywhere(client):
    """A spelling that differs in its vowels (the portable fallback) finds the person."""
    named_person("Aliaksandr Lukashenka")
    assert entity_names(client, "Lukashenko") == ["Aliaksandr Lukashenka"]
    assert entity_names(client, "Alexander Lukashenko") == ["Aliaksandr Lukashenka"]


@pytest.mark.skipif(not ON_POSTGRES, reason="near spellings use pg_trgm (PostgreSQL)")
def test_one_typo_found_on_postgres(client):
    """A name with one wrong letter still finds the person (trigram similarity)."""
    named_person("Aliaksandr Lukashenka")
    assert entity_names(client, "Lukashemka") == ["Aliaksandr Lukashenka"]


@pytest.mark.skipif(not ON_POSTGRES, reason="near spellings use pg_trgm (PostgreSQL)")
def test_typo_in_a_long_name_found_on_postgres(client):
    """An organization's full name with typos in two of its words is still found (each long
    word is compared by trigrams; "of" is left to the exact tests)."""
    make_organization("Belarusian Association of Journalists")
    published_item("<p>A statement by the Belarusian Association of Journalists.</p>")
    assert entity_names(client, "Belarusain Asociation of Journalists") == [
        "Belarusian Association of Journalists"
    ]
    assert entity_names(client, "Belarusain Asociation of Journalsts") == [
        "Belarusian Association of Journalists"
    ]


@pytest.mark.skipif(not ON_POSTGRES, reason="near spellings use pg_trgm (PostgreSQL)")
def test_words_of_a_name_in_any_order_with_a_typo_on_postgres(client):
    """Surname first and misspelt still finds the person, and not everyone who shares the
    first name."""
    named_person("Aliaksandr Lukashenka")
    named_person("Aliaksandr Kovalenka")
    assert entity_names(client, "Lukashemka Aliaksandr") == ["Aliaksandr Lukashenka"]


def test_unrelated_name_not_found(client):
    """A name that shares nothing with anyone's finds nobody."""
    named_person("Aliaksandr Lukashenka")
    assert entity_names(client, "Kalesnikava") == []


def test_organizations_found_by_acronym(client):
    """An organization is found by its acronym, and its items can be searched from there."""
    organization = make_organization("National Anti-Crisis Management")
    organization.aliases.create(text="NAM")
    published_item("<p>The NAM met.</p>")
    published_item("<p>National Anti-Crisis Management spoke.</p>")
    response = client.get("/search/", {"q": "nam"})
    hits = response.context["entities"]
    assert [(h.name, h.kind) for h in hits] == [("National Anti-Crisis Management", "organization")]
    assert f"?organization={organization.slug}&amp;q=nam" in response.content.decode()


def test_exact_name_ranks_first(client):
    """The person whose name is the query comes before those it only begins."""
    named_person("Ales Bialiatski")
    named_person("Alesia Bialiatskaya")
    assert entity_names(client, "Ales Bialiatski")[0] == "Ales Bialiatski"


def test_entities_come_before_items(client):
    """People and organizations are listed above the items that match."""
    named_person("Pavel Latushka")
    content = client.get("/search/", {"q": "Latushka"}).content.decode()
    assert 0 < content.index("People and organizations") < content.index(">Items<")


def test_sensitive_people_never_found(client):
    """A person at risk appears in no search result and no suggestion, by any spelling."""
    named_person("Ihar Losik", "Игорь Лосик", sensitive=True)
    assert entity_names(client, "Losik") == []
    assert entity_names(client, "Лосик") == []
    assert client.get("/search/suggest/", {"q": "Losik"}).json()["results"] == []


def test_people_named_only_in_unpublished_work_not_found(client):
    """Someone named only in a draft or a scheduled digest is not found."""
    make_person("Secret Source")
    future = timezone.now() + datetime.timedelta(days=1)
    for digest in (make_digest(status=Status.DRAFT), make_digest(publish_at=future)):
        make_item(make_section(digest), body="<p>Secret Source said HIDDEN-TEXT.</p>")
    response = client.get("/search/", {"q": "Secret Source"})
    assert response.context["entities"] == []
    assert list(response.context["page"].object_list) == []
    assert "HIDDEN-TEXT" not in response.content.decode()
    assert client.get("/search/suggest/", {"q": "Secret"}).json()["results"] == []


def test_hidden_people_take_no_place_among_names_found(monkeypatch):
    """The people and organizations found are the same whether or not people without a
    public page (at risk, or named only in drafts) share the name, so a search can never
    tell that such a person is in the registry."""
    monkeypatch.setattr(search.names, "CANDIDATES_PER_ENTITY", 1)

    def found():
        return {
            query: (
                [hit.name for hit in search.search_entities(query)],
                [hit["name"] for hit in search.suggest(query)],
            )
            for query in ("Ivan", "Iva")
        }

    for name in ("Ivan Kavalenka", "Ivan Kazlou"):
        named_person(name)
    expected = found()
    assert all(sorted(names) == ["Ivan Kavalenka", "Ivan Kazlou"] for names, _ in expected.values())
    # Shorter names than theirs, so that they match first, more of them than are shown.
    draft = make_digest(status=Status.DRAFT)
    for n in range(search.ENTITY_LIMIT):
        make_person(f"Ivan K{n}", sensitive=True)
        make_person(f"Ivan Z{n}")
        make_item(make_section(draft), body=f"<p>Ivan Z{n} said so.</p>")
    assert found() == expected


# Items -----------------------------------------------------------------------------------------


def test_items_found_by_words_in_their_text(client):
    """Words from an item's text find it, with a link to it and its digest."""
    item = published_item("<p>Political prisoners were released in Vilnius.</p>", title="Release")
    response = client.get("/search/", {"q": "prisoners"})
    assert item_titles(response) == ["Release"]
    assert item.get_absolute_url() in response.content.decode()


def test_title_match_ranks_above_body_match(client):
    """An item with the words in its title comes before one that has them only in its text."""
    published_item("<p>Talks took place in Warsaw with partners.</p>", title="Meetings")
    published_item("<p>The delegation spoke.</p>", title="Warsaw talks")
    response = client.get("/search/", {"q": "Warsaw"})
    assert item_titles(response) == ["Warsaw talks", "Meetings"]


def test_snippet_highlights_and_escapes(client):
    """The snippet marks the words searched for; text that looks like markup stays text."""
    published_item(
        "<p>Someone wrote &lt;script&gt;alert(1)&lt;/script&gt; and a &lt; b &amp; c next to "
        "the Kalinouski regiment news.</p>",
        title="Regiment",
    )
    content = client.get("/search/", {"q": "Kalinouski"}).content.decode()
    assert "<mark>Kalinouski</mark>" in content
    assert "a &lt; b &amp; c" in content
    assert "<script>alert" not in content


@pytest.mark.skipif(not ON_POSTGRES, reason="stemming is PostgreSQL's full text")
def test_snippet_marks_other_forms_of_the_word(client):
    """Full text matches other forms of a word; the snippet marks the form the item uses,
    whole, and only words that start with what was matched."""
    published_item("<p>The cooperative of Hrodna signed. Uncooperative officials refused.</p>")
    content = client.get("/search/", {"q": "cooperation"}).content.decode()
    assert "<mark>cooperative</mark> of Hrodna" in content
    assert "Uncooperative officials" in content


def test_query_with_markup_is_escaped(client):
    """What the reader typed is shown back as text, never as markup."""
    content = client.get("/search/", {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_unpublished_items_never_found(client):
    """Drafts, scheduled and unpublished digests' items are never found."""
    future = timezone.now() + datetime.timedelta(days=1)
    for digest in (make_digest(status=Status.DRAFT), make_digest(publish_at=future)):
        make_item(make_section(digest), title="Hidden", body="<p>Zubrovka HIDDEN-TEXT</p>")
    published_item("<p>Zubrovka in public.</p>", title="Public")
    response = client.get("/search/", {"q": "Zubrovka"})
    assert item_titles(response) == ["Public"]
    assert "HIDDEN-TEXT" not in response.content.decode()


def test_filter_by_person(client):
    """“Items naming” a person keeps only the items that name them."""
    person = named_person("Pavel Latushka")
    published_item("<p>Pavel Latushka on sanctions.</p>", title="With him")
    published_item("<p>Sanctions were extended.</p>", title="Without him")
    response = client.get("/search/", {"q": "sanctions", "person": person.slug})
    assert item_titles(response) == ["With him"]
    assert "naming Pavel Latushka" in response.content.decode()


def test_filter_by_organization(client):
    """Filtering by an organization keeps only the items that name it."""
    organization = make_organization("Coordination Council")
    published_item("<p>The Coordination Council met on elections.</p>", title="Council")
    published_item("<p>Elections were discussed.</p>", title="Other")
    response = client.get("/search/", {"q": "elections", "organization": organization.slug})
    assert item_titles(response) == ["Council"]


def test_filter_by_date_range(client):
    """From/to dates keep only items of digests dated in that range."""
    published_item("<p>Harvest report.</p>", title="Old", date=datetime.date(2024, 5, 1))
    published_item("<p>Harvest report.</p>", title="New", date=datetime.date(2025, 5, 1))
    response = client.get(
        "/search/", {"q": "harvest", "date_from": "2025-01-01", "date_to": "2025-12-31"}
    )
    assert item_titles(response) == ["New"]


def test_filter_by_tag(client):
    """A topic keeps items tagged with it, or in a digest tagged with it."""
    published_item("<p>Flotilla news.</p>", title="Item tag", tags=["sea"])
    published_item("<p>Flotilla news.</p>", title="Digest tag", digest_tags=["sea"])
    published_item("<p>Flotilla news.</p>", title="Untagged")
    response = client.get("/search/", {"q": "flotilla", "tag": "sea"})
    assert sorted(item_titles(response)) == ["Digest tag", "Item tag"]


def test_bad_filters_give_messages_not_errors(client):
    """An unknown person, a reversed date range or a malformed date is explained on the page."""
    published_item("<p>Harvest.</p>")
    for params, message in [
        ({"person": "nobody-here"}, "There is no public page for that person."),
        ({"date_from": "2025-02-01", "date_to": "2025-01-01"}, "The end date is before"),
        ({"date_from": "not-a-date"}, "Enter a valid date."),
    ]:
        response = client.get("/search/", {"q": "harvest", **params})
        assert response.status_code == 200
        assert message in response.content.decode()


def test_sensitive_person_is_no_filter(client):
    """A sensitive person's address cannot be used to list the items naming them."""
    person = named_person("Ihar Losik", sensitive=True)
    response = client.get("/search/", {"q": "statement", "person": person.slug})
    assert "There is no public page for that person." in response.content.decode()
    assert response.context["page"] is None


def test_results_are_paginated(client):
    """Results come 20 to a page, and the next page keeps the query."""
    for n in range(PAGE_SIZE + 5):
        published_item(f"<p>Partisan report {n}.</p>", title=f"Report {n}")
    response = client.get("/search/", {"q": "partisan"})
    assert len(response.context["page"].object_list) == PAGE_SIZE
    content = response.content.decode()
    assert "Page 1 of 2" in content
    assert 'href="?q=partisan&amp;page=2"' in content
    second = client.get("/search/", {"q": "partisan", "page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.skipif(not ON_POSTGRES, reason="the newest matches are bounded on PostgreSQL")
def test_newest_matches_come_from_recent_and_older_items(client, monkeypatch):
    """The results are the newest matches, whether the recent items hold enough of them or
    the older ones are needed too; a word found only in old items is found."""
    monkeypatch.setattr(search.items, "RECENT_ITEMS", 2)
    monkeypatch.setattr(search.items, "MAX_RESULTS", 3)
    published_item("<p>The first partisan report mentions Hrodna.</p>", title="Report 0")
    for n in range(1, 6):
        published_item(f"<p>Partisan report {n}.</p>", title=f"Report {n}")
    response = client.get("/search/", {"q": "partisan"})
    assert sorted(item_titles(response)) == ["Report 3", "Report 4", "Report 5"]
    assert "3+ items match" in response.content.decode()
    assert item_titles(client.get("/search/", {"q": "Hrodna"})) == ["Report 0"]


def hidden_item(body):
    """An item of a draft digest and one of a scheduled digest, both with `body`."""
    future = timezone.now() + datetime.timedelta(days=1)
    for digest in (make_digest(status=Status.DRAFT), make_digest(publish_at=future)):
        make_item(make_section(digest), title="Hidden", body=body)


def results(client, query):
    response = client.get("/search/", {"q": query})
    return sorted(item_titles(response)), response.context["page"].paginator.count


# Queries that match every published item in these tests; a reader could append any word
# ("or SECRETWORD") to test whether an unpublished item holds it.
PROBES = ["common"] + (["common or secretword"] if ON_POSTGRES else [])


@pytest.mark.parametrize("recent_items", [10_000, 1])
def test_unpublished_matches_take_no_result_slot(client, monkeypatch, recent_items):
    """Results and their count are the same whether or not unpublished items match, so a
    search can never tell whether a draft or scheduled item holds a word."""
    monkeypatch.setattr(search.items, "MAX_RESULTS", 3)
    monkeypatch.setattr(search.items, "RECENT_ITEMS", recent_items)
    for n in range(4):
        published_item(f"<p>A common report {n}.</p>", title=f"Report {n}")
    expected = {query: results(client, query) for query in PROBES}
    assert expected["common"][1] == 3
    hidden_item("<p>A common SECRETWORD.</p>")  # the newest matches
    assert {query: results(client, query) for query in PROBES} == expected
    content = client.get("/search/", {"q": PROBES[-1]}).content.decode()
    assert "3+ items match" in content


@pytest.mark.parametrize("recent_items", [10_000, 1])
def test_unpublished_matches_among_older_items_take_no_slot(client, monkeypatch, recent_items):
    """An unpublished item older than the newest published matches takes no result either,
    whether the search reads the recent or the older items to find them."""
    monkeypatch.setattr(search.items, "MAX_RESULTS", 3)
    monkeypatch.setattr(search.items, "RECENT_ITEMS", recent_items)
    for n in range(2):
        published_item(f"<p>A common report {n}.</p>", title=f"Report {n}")
    hidden_item("<p>A common SECRETWORD.</p>")
    published_item("<p>A common report 2.</p>", title="Report 2")
    for query in PROBES:
        assert results(client, query) == (["Report 0", "Report 1", "Report 2"], 3)


@pytest.mark.parametrize("page", ["99", "0", "x"])
def test_result_page_past_the_end_is_not_found(client, page):
    """A result page that does not exist is a 404, as on the archive, never an empty 200 or
    silently another page."""
    published_item("<p>Latushka report.</p>", title="Report")
    assert client.get("/search/", {"q": "Latushka", "page": page}).status_code == 404
    assert client.get("/search/", {"q": "Latushka", "page": "1"}).status_code == 200
    assert client.get("/search/", {"q": "nothingmatches", "page": "1"}).status_code == 200


def test_empty_result_page_helps(client):
    """No match: the page says what was searched and suggests what to try next."""
    response = client.get("/search/", {"q": "Qwxyzzy"})
    content = response.content.decode()
    assert "No published item matches “Qwxyzzy”" in content
    assert "Check the spelling" in content
    assert 'href="/people/"' in content and 'href="/organizations/"' in content


def test_over_long_query_is_refused_with_a_message(client):
    """A query over the limit is not run; the page says how long a query may be."""
    response = client.get("/search/", {"q": "a" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 200
    assert f"at most {MAX_QUERY_LENGTH} characters" in response.content.decode()
    assert response.context["page"] is None


def test_search_page_without_query(client):
    """The bare search page explains what can be searched."""
    response = client.get("/search/")
    assert response.status_code == 200
    assert "any spelling of their name" in response.content.decode()


def test_header_has_search_form(client):
    """Every page has a labelled search box that works without JavaScript."""
    content = client.get("/privacy/").content.decode()
    assert 'action="/search/"' in content
    assert '<label for="site-search-q"' in content
    assert 'type="search" name="q" id="site-search-q"' in content
    assert 'src="/static/js/search.js" defer' in content


# Suggestions -----------------------------------------------------------------------------------


def test_suggestions_json(client):
    """Suggestions give name, matched alias, kind and page address of public entities."""
    person = named_person("Aliaksandr Lukashenka", "Lukashenko")
    response = client.get("/search/suggest/", {"q": "Лукаш"})
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    results = json.loads(response.content)["results"]
    assert len(results) == 1
    assert results[0]["name"] == "Aliaksandr Lukashenka"
    assert results[0]["kind"] == "person"
    assert results[0]["url"] == person.get_absolute_url()
    assert results[0]["alias"] in {"Aliaksandr Lukashenka", "Lukashenko"}


def test_suggestions_limited_to_ten(client):
    """At most ten suggestions, one per person."""
    for n in range(12):
        named_person(f"Mikola Statkevich {chr(65 + n)}", f"Statkevich alias {n}")
    results = client.get("/search/suggest/", {"q": "Statk"}).json()["results"]
    assert len(results) == 10
    assert len({r["url"] for r in results}) == 10


def test_suggestions_need_two_characters(client):
    """One character suggests nothing (and costs no query)."""
    named_person("Aliaksandr Lukashenka")
    assert client.get("/search/suggest/", {"q": "L"}).json()["results"] == []


# Items naming the people and organizations found ----------------------------------------------


def names_in_results(response):
    return sorted(item.title for item in response.context["page"].object_list)


@pytest.mark.parametrize(
    ("name", "body", "query"),
    [
        ("Alexander Lukashenko", "Alexander Lukashenko signed a decree.", "lukashenka"),
        ("Pavel Latushka", "Pavel Latushka spoke in Warsaw.", "Latushko"),
        ("Viktar Babaryka", "Viktar Babaryka was moved to another colony.", "Бабарико"),
        ("Maria Kalesnikava", "Maria Kalesnikava met her father.", "Kolesnikova"),
        ("Sviatlana Tsikhanouskaya", "Sviatlana Tsikhanouskaya met MPs.", "Tsikhanouskaya's"),
        ("Alexander Lukashenko", "Alexander Lukashenko signed a decree.", "Lukashenka’s"),
    ],
)
def test_any_spelling_of_a_name_finds_the_items_naming_them(client, name, body, query):
    """A spelling the item's text does not use still finds the person and the published items
    that name them: the items are found through their mentions, not only by their words."""
    make_person(name)
    published_item(f"<p>{body}</p>", title="Named")
    published_item("<p>Nothing about anyone.</p>", title="Other")
    response = client.get("/search/", {"q": query})
    assert [hit.name for hit in response.context["entities"]] == [name]
    assert names_in_results(response) == ["Named"]


def test_possessive_finds_what_the_name_alone_finds(client):
    """“Tsikhanouskaya's” and “Tsikhanouskaya’s” find the same person and items as the name."""
    make_person("Sviatlana Tsikhanouskaya")
    published_item("<p>Sviatlana Tsikhanouskaya met MPs.</p>", title="Meeting")
    published_item("<p>Tsikhanouskaya's office answered.</p>", title="Office")
    alone = client.get("/search/", {"q": "Tsikhanouskaya"})
    for query in ("Tsikhanouskaya's", "Tsikhanouskaya’s", "TSIKHANOUSKAYA'S"):
        response = client.get("/search/", {"q": query})
        assert [hit.name for hit in response.context["entities"]] == ["Sviatlana Tsikhanouskaya"]
        assert names_in_results(response) == names_in_results(alone) == ["Meeting", "Office"]


def test_organization_found_by_another_spelling_reaches_its_items(client):
    """An organization's Cyrillic name finds the items that name it in Latin."""
    organization = make_organization("Viasna Human Rights Centre")
    organization.aliases.create(text="Viasna")
    published_item("<p>Viasna counted new arrests.</p>", title="Arrests")
    response = client.get("/search/", {"q": "Вясна"})
    assert [hit.name for hit in response.context["entities"]] == ["Viasna Human Rights Centre"]
    assert names_in_results(response) == ["Arrests"]


def test_items_naming_the_person_come_before_other_matches(client):
    """Items that name the person found come first, then those that only contain the words."""
    make_person("Pavel Latushka")
    published_item("<p>A street called Latushka lane (no person).</p>", title="Street")
    published_item("<p>Pavel Latushka spoke.</p>", title="Speech")
    response = client.get("/search/", {"q": "Latushka"})
    titles = [item.title for item in response.context["page"].object_list]
    assert titles[0] == "Speech"
    assert set(titles) == {"Speech", "Street"}


def test_items_naming_hidden_people_are_not_reached(client):
    """A sensitive person's spelling reaches neither their name nor the items naming them."""
    make_person("Maria Kalesnikava", sensitive=True)
    published_item("<p>Maria Kalesnikava was released.</p>", title="Release")
    response = client.get("/search/", {"q": "Kolesnikova"})
    assert response.context["entities"] == []
    assert names_in_results(response) == []
    # The words of the text are found, as any words are.
    assert names_in_results(client.get("/search/", {"q": "Kalesnikava"})) == ["Release"]


def test_unpublished_items_naming_the_person_are_not_reached(client):
    """Mentions in drafts and scheduled digests never bring their items into the results."""
    make_person("Pavel Latushka")
    published_item("<p>Pavel Latushka spoke.</p>", title="Speech")
    draft = make_digest(status=Status.DRAFT)
    make_item(make_section(draft), title="Draft", body="<p>Pavel Latushka draft.</p>")
    response = client.get("/search/", {"q": "Латушко"})
    assert names_in_results(response) == ["Speech"]


def test_part_of_a_name_finds_the_person_but_not_all_their_items(client):
    """A prefix (“Latu”) lists the person; their items are reached by whole names only."""
    make_person("Pavel Latushka").aliases.create(text="Павел Латушко")
    published_item("<p>Павел Латушко выступил.</p>", title="Speech")
    response = client.get("/search/", {"q": "Latu"})
    assert [hit.name for hit in response.context["entities"]] == ["Pavel Latushka"]
    assert names_in_results(response) == []
    assert names_in_results(client.get("/search/", {"q": "Latushka"})) == ["Speech"]


def test_a_first_name_or_a_word_of_an_organization_reaches_no_items_by_name(client):
    """Items are reached through a name only when the query is the whole name or a person's
    surname: “Pavel” or “solidarity” would bring every item naming any Pavel or any
    solidarity fund, whatever their text says."""
    make_person("Pavel Latushka").aliases.create(text="Павел Латушка")
    make_organization("Belarusian Solidarity Foundation").aliases.create(text="BSF")
    published_item("<p>Павел Латушка выступил.</p>", title="Speech")
    published_item("<p>BSF gave grants.</p>", title="Grants")
    assert names_in_results(client.get("/search/", {"q": "Pavel"})) == []
    assert names_in_results(client.get("/search/", {"q": "solidarity"})) == []
    assert names_in_results(client.get("/search/", {"q": "Латушко"})) == ["Speech"]
    assert names_in_results(client.get("/search/", {"q": "Belarusian Solidarity Fund"})) == []
    found = client.get("/search/", {"q": "Belarusian Solidarity Foundation"})
    assert names_in_results(found) == ["Grants"]


def test_a_similar_surname_is_not_the_name(client):
    """Only another spelling of the same name reaches a person's items: “Ranava” lists
    “Hanna Raneu” among the names (same consonants), but not the items naming her."""
    make_person("Zhanna Ranava")
    make_person("Hanna Raneu").aliases.create(text="Ганна Ранеў")
    published_item("<p>Zhanna Ranava spoke.</p>", title="Ranava")
    published_item("<p>Ганна Ранеў выступіла.</p>", title="Raneu")
    response = client.get("/search/", {"q": "Ranava"})
    assert "Hanna Raneu" in [hit.name for hit in response.context["entities"]]
    assert names_in_results(response) == ["Ranava"]


def test_filters_apply_to_items_reached_by_a_name(client):
    """Items reached through a name still obey the date filter."""
    make_person("Pavel Latushka")
    published_item("<p>Pavel Latushka spoke.</p>", title="Old", date=datetime.date(2024, 1, 5))
    published_item("<p>Pavel Latushka spoke.</p>", title="New", date=datetime.date(2025, 6, 5))
    response = client.get("/search/", {"q": "Latushko", "date_from": "2025-01-01"})
    assert names_in_results(response) == ["New"]


# Query counts ----------------------------------------------------------------------------------


def warm_up(client):
    """One request first, so that what any page costs once after a write is not counted."""
    client.get("/search/", {"q": "warm-up"})


@pytest.mark.parametrize("n", [1, 20])
def test_search_query_count(client, django_assert_num_queries, n):
    """The search page costs the same few queries with 1 or 20 matching items and people."""
    for i in range(n):
        named_person(f"Latushka Namesake {i}")
        published_item(f"<p>Latushka report {i}.</p>", title=f"Latushka {i}")
    warm_up(client)
    # item matches, item page, people and organizations
    with django_assert_num_queries(3):
        response = client.get("/search/", {"q": "Latushka"})
    assert len(response.context["page"].object_list) == min(2 * n, PAGE_SIZE)


def test_later_result_pages_query_count(client, django_assert_num_queries):
    """Page 2 costs people and organizations (whose items are results), the item matches and
    the page's items, like page 1."""
    make_person("Pavel Latushka")
    for i in range(PAGE_SIZE + 3):
        published_item(f"<p>Pavel Latushka report {i}.</p>", title=f"Report {i}")
    warm_up(client)
    with django_assert_num_queries(3):
        response = client.get("/search/", {"q": "Latushko", "page": 2})
    assert len(response.context["page"].object_list) == 3
    assert response.context["entities"] == []  # listed on the first page only


@pytest.mark.parametrize("n", [1, 20])
def test_filtered_search_query_count(client, django_assert_num_queries, n):
    """A search filtered by person costs the same queries whatever the number of items."""
    person = named_person("Pavel Latushka")
    for i in range(n):
        published_item(f"<p>Pavel Latushka report {i}.</p>", title=f"Report {i}")
    warm_up(client)
    # the person filter, people and organizations, item count, item page
    with django_assert_num_queries(4):
        response = client.get("/search/", {"q": "report", "person": person.slug})
    assert len(response.context["page"].object_list) == n


@pytest.mark.parametrize("n", [1, 20])
def test_suggest_query_count(client, django_assert_num_queries, n):
    """Suggestions are one query whatever the number of people."""
    for i in range(n):
        named_person(f"Latushka Namesake {i}")
    warm_up(client)
    with django_assert_num_queries(1):
        response = client.get("/search/suggest/", {"q": "Latush"})
    assert len(response.json()["results"]) == min(n, 10)


def test_aliases_store_keys():
    """Every alias row, the primary name included, carries its search key."""
    person = make_person("Pavel Latushka")
    assert list(Alias.objects.filter(person=person).values_list("search_key", flat=True)) == [
        "pavel latuska"
    ]


def test_searched_text_holds_no_control_characters(client):
    """Control characters in an item's text (which HTML does not allow) never reach the
    stored search text, and so never a snippet; line breaks stay."""
    item = published_item("<p>Released&#1; in Minsk\x04 today.</p><p>Second paragraph.</p>")
    item.refresh_from_db()
    assert item.search_text == "Released in Minsk today.\nSecond paragraph."
    content = client.get("/search/", {"q": "Minsk"}).content.decode()
    assert "\x01" not in content and "\x04" not in content
