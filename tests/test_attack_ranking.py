"""Attacks on who is named most (digests/ranking.py: the home page's lists and cards, "often
named with" on entity pages) and on the readers' page cache (digestsite/cache.py): what they
found, and the guarantees they confirmed."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests.models import Mention, PreviewLink, Status
from tests.factories import make_digest, make_item, make_organization, make_person, make_section

pytestmark = pytest.mark.django_db

FUTURE = timezone.now() + datetime.timedelta(days=1)


@pytest.fixture
def reader():
    """An anonymous reader beside the signed-in staff client."""
    return Client()


def item_with(body, *, digest=None, **fields):
    return make_item(make_section(digest or make_digest()), body=body, **fields)


def _ranked(html, heading):
    """(name, count) of the home page's "most mentioned" list under `heading`."""
    marker = f"<h3>{heading}</h3>"
    if marker not in html:
        return []
    listed = html.split(marker, 1)[1].split("</ol>", 1)[0]
    return [
        (name, int(count))
        for name, count in re.findall(
            r'<a href="[^"]+">([^<]+)</a> <span class="count">(\d+) ', listed
        )
    ]


def _card_names(html):
    """Every "Named:" line of the home page, each as its list of names."""
    return [
        re.findall(r">([^<]+)</a>", line)
        for line in re.findall(r'<p class="card__names">(.*?)</p>', html, re.S)
    ]


def _often_named_with(client, url):
    """(name, items) of an entity page's "Often named with"."""
    html = client.get(url).content.decode()
    if 'id="co-title"' not in html:
        return []
    listed = html.split('id="co-title"', 1)[1].split("</ul>", 1)[0]
    return [
        (name, int(count))
        for name, count in re.findall(
            r'<a href="[^"]+">([^<]+)</a> <span class="meta">\((\d+)[^)]*\)', listed
        )
    ]


# Who is named most: guarantees the attacks confirmed.


def test_a_sensitive_person_named_most_leaves_every_list_full_and_nameless(reader):
    """Staff attached Ihar Losik (sensitive; the linker never links him) to seven items, more
    than anyone but Pavel Latushka: no list names him, none is one short for him (a gap would
    count him), and whoever is tied at the boundary is chosen A–Z among the listed only."""
    digest = make_digest(date=timezone.localdate())
    losik = make_person("Ihar Losik", sensitive=True)
    latushka = make_person("Pavel Latushka")
    others = [make_person(f"Person {letter}ovich") for letter in "ABCDEFGHIJKL"]
    for _ in range(7):
        item = item_with("<p>Pavel Latushka and a source.</p>", digest=digest)
        Mention.objects.create(item=item, person=losik, source=Mention.Source.STAFF)
    for person in others:
        item_with(f"<p>Pavel Latushka and {person.name}.</p>", digest=digest)

    for url in ("/", "/be/", "/ru/", latushka.get_absolute_url()):
        assert "Losik" not in reader.get(url).content.decode(), url
    html = reader.get("/").content.decode()
    assert _ranked(html, "People") == [
        ("Pavel Latushka", 19),
        ("Person Aovich", 1),
        ("Person Bovich", 1),
        ("Person Covich", 1),
        ("Person Dovich", 1),
    ]
    assert _card_names(html) == [
        ["Pavel Latushka", "Person Aovich", "Person Bovich", "Person Covich"]
    ]
    assert [name for name, _ in _often_named_with(reader, latushka.get_absolute_url())] == [
        f"Person {letter}ovich" for letter in "ABCDEFGHIJ"
    ]


def test_mentions_readers_may_not_count_change_no_count_and_no_order(reader):
    """Suppressed mentions, drafts, scheduled digests and digests in another language add
    nothing to the home page's counts or order, nor to "often named with"; an entity named
    only in suppressed mentions, drafts and scheduled digests is nowhere."""
    today = timezone.localdate()
    digest = make_digest(date=today)
    zuev, aliaksandrau = make_person("Yury Zuev"), make_person("Andrei Aliaksandrau")
    viasna, hidden = make_organization("Viasna"), make_organization("Hidden Foundation")
    item_with("<p>Yury Zuev and Viasna.</p>", digest=digest)
    item_with("<p>Yury Zuev and Andrei Aliaksandrau.</p>", digest=digest)
    expected = reader.get("/").content.decode()
    people, organizations = _ranked(expected, "People"), _ranked(expected, "Organizations")
    assert people == [("Yury Zuev", 2), ("Andrei Aliaksandrau", 1)]
    assert organizations == [("Viasna", 1)]

    # Andrei Aliaksandrau named three times more, and Hidden Foundation, where readers may
    # not count it: were any counted, he would lead.
    suppressed = [
        item_with("<p>Andrei Aliaksandrau and Hidden Foundation.</p>", digest=digest)
        for _ in range(3)
    ]
    Mention.objects.filter(item__in=suppressed).update(source=Mention.Source.SUPPRESSED)
    for hidden_digest in (
        make_digest(date=today, status=Status.DRAFT),
        make_digest(date=today, publish_at=FUTURE),
    ):
        for _ in range(3):
            item_with("<p>Andrei Aliaksandrau and Hidden Foundation.</p>", digest=hidden_digest)
    # Another language's digest counts on its own home page, not on this one.
    russian = make_digest(date=today, language="ru")
    for _ in range(3):
        item_with("<p>Andrei Aliaksandrau.</p>", digest=russian)
    html = reader.get("/").content.decode()
    assert _ranked(html, "People") == people
    assert _ranked(html, "Organizations") == organizations
    assert "Hidden Foundation" not in html
    assert _often_named_with(reader, zuev.get_absolute_url()) == [
        ("Andrei Aliaksandrau", 1),
        ("Viasna", 1),
    ]
    assert [name for name, _ in _often_named_with(reader, viasna.get_absolute_url())] == [
        "Yury Zuev"
    ]
    assert _often_named_with(reader, aliaksandrau.get_absolute_url()) == [("Yury Zuev", 1)]
    assert reader.get(hidden.get_absolute_url()).status_code == 404


def test_ties_at_the_boundary_are_chosen_in_the_page_language(reader):
    """Six people named once each: the five shown are the first five A–Z in the page's
    language (Belarusian names where written), not the first five in English."""
    names = {
        "Anna Zuyeva": "Ганна Зуева",
        "Boris Yakov": "Барыс Якаў",
        "Kira Murova": "Кіра Мурава",
        "Vera Xenova": "Вера Ксенава",
        "Yan Alov": "Ян Алоў",
        "Zoya Burova": "Зоя Бурава",
    }
    for name, name_be in names.items():
        make_person(name, name_be=name_be)
    for digest in (make_digest(date=timezone.localdate(), language=code) for code in ("en", "be")):
        item_with("<p>" + ", ".join(names) + ".</p>", digest=digest)
    english = reader.get("/").content.decode()
    assert [name for name, _ in _ranked(english, "People")] == sorted(names)[:5]
    belarusian = reader.get("/be/").content.decode()
    assert [name for name, _ in _ranked(belarusian, "Людзі")] == [
        "Барыс Якаў",
        "Вера Ксенава",
        "Ганна Зуева",
        "Зоя Бурава",
        "Кіра Мурава",
    ]
    assert _card_names(belarusian) == [["Барыс Якаў", "Вера Ксенава", "Ганна Зуева", "Зоя Бурава"]]


# The readers' page cache.


def _rendered(client, url, **headers) -> tuple:
    """(response, how many queries it cost)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def _public_headers(response, url):
    assert "public" in response["Cache-Control"], url
    assert "Cookie" in response["Vary"], url
    assert response["ETag"], url
    assert response["Referrer-Policy"] == "no-referrer", url
    assert "default-src" in response["Content-Security-Policy"], url
    assert not response.cookies, url


@pytest.mark.parametrize("language", ["be", "ru"])
def test_belarusian_and_russian_pages_are_kept_like_english_ones(reader, language):
    """Found: the cache resolved addresses before the address's language was active, and
    i18n_patterns match only the active language's prefix, so every /be/ and /ru/ page was
    taken for a non-public one: never stored (a render per reader), and answered without
    Cache-Control, ETag or Vary."""
    person = make_person("Pavel Latushka")
    digest = make_digest(language=language)
    item_with("<p>Pavel Latushka spoke.</p>", digest=digest)
    for url in (
        f"/{language}/",
        digest.get_absolute_url(),
        f"/{language}{person.get_absolute_url()}",
        f"/{language}/people/",
        f"/{language}/feeds/digests/",
    ):
        first, _ = _rendered(reader, url)
        assert first.status_code == 200, url
        _public_headers(first, url)
        again, queries = _rendered(reader, url)
        assert (again.content, queries) == (first.content, 0), url
        assert reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_staff_at_belarusian_and_russian_addresses_get_private_pages(reader, staff_client):
    """Found with the above: staff reading a published Belarusian digest see what readers
    may not (an empty section, the Russian version still a draft), and that page went out
    without `Cache-Control: private`, so a CDN or proxy in front could keep it for readers."""
    digest = make_digest(language="be", title="Дайджэст")
    item_with("<p>Тэкст.</p>", digest=digest)
    make_section(digest, title="Work in progress")
    draft = make_digest(language="ru", status=Status.DRAFT, translation_of=digest)
    page = staff_client.get(digest.get_absolute_url())
    assert b"Work in progress" in page.content and draft.slug.encode() in page.content
    assert "private" in page["Cache-Control"] and "public" not in page["Cache-Control"]
    assert "Cookie" in page["Vary"]
    for response in (reader.get(digest.get_absolute_url()), reader.get("/be/")):
        assert b"Work in progress" not in response.content
        assert draft.slug.encode() not in response.content


def test_a_search_with_a_topic_filter_is_stored(reader):
    """Found: the search page reads `tag` (its topic filter) but PAGE_PARAMETERS did not
    list it, so every topic-filtered search was rendered afresh for every reader."""
    digest = make_digest()
    item_with("<p>Political prisoners were released.</p>", digest=digest)
    digest.tags.add("political-prisoners")
    url = "/search/?q=prisoners&tag=political-prisoners"
    first, _ = _rendered(reader, url)
    assert first.status_code == 200
    again, queries = _rendered(reader, url)
    assert (again.content, queries) == (first.content, 0)


def test_pages_under_unknown_parameters_keep_every_guarantee(reader, staff_client):
    """Not found: a page under a parameter no page reads (rendered, never stored) has every
    header a stored page has, a 304 by its ETag, a bodiless HEAD; a draft there is a 404 for
    readers whatever staff opened first, and a preview link under parameters is never kept."""
    digest = make_digest(title="Public digest")
    item_with("<p>Public text.</p>", digest=digest)
    draft = make_digest(title="Draft digest", status=Status.DRAFT)
    item_with("<p>Not for readers.</p>", digest=draft)
    for url in (
        "/?utm_source=telegram",
        f"{digest.get_absolute_url()}?fbclid=x",
        "/be/?utm_source=x",
    ):
        first, _ = _rendered(reader, url)
        _public_headers(first, url)
        again, queries = _rendered(reader, url)
        assert again.content == first.content and queries > 0, url
        assert reader.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, url
        head = reader.head(url)
        assert (head.status_code, head.content, head["ETag"]) == (200, b"", first["ETag"]), url
    for url in (f"{draft.get_absolute_url()}?x=1", f"{draft.get_absolute_url()}?page=1"):
        staff = staff_client.get(url)
        assert staff.status_code == 200 and "no-store" in staff["Cache-Control"]
        response = reader.get(url)
        assert response.status_code == 404 and b"Not for readers." not in response.content
        assert reader.get(url, HTTP_IF_NONE_MATCH="*").status_code == 404
    link = PreviewLink.objects.create(digest=draft)
    url = f"{link.get_absolute_url()}?page=1"
    assert "no-store" in reader.get(url)["Cache-Control"]
    PreviewLink.objects.filter(pk=link.pk).update(revoked=True)
    assert reader.get(url).status_code == 404
