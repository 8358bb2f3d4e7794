"""The open data API and downloads (api/): what a researcher notices when they use them."""

import csv
import datetime
import io
import json
import re
import zlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests.models import Mention, Platform
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)
from tests.public_urls import PUBLIC_URLS, sample_site
from tests.test_query_budget import grow

pytestmark = pytest.mark.django_db

API_ROUTES = sorted(name for name in PUBLIC_URLS if name.startswith("api:"))

# Queries per route, whatever the number of rows (tests/test_query_budget.py checks the
# growth for every public page; here the exact figure of each route).
QUERIES = {
    "api:docs": 0,
    "api:api-root": 0,
    "api:openapi-json": 0,
    "api:digests": 2,  # digests, their topics
    "api:digest": 9,  # digest, topics, sections, items, their topics, mentions, figures + 2
    "api:items": 3,  # items with digest, topics, mentions
    "api:item": 3,
    "api:people": 1,
    "api:person": 4,  # person, other names, links, affiliations
    "api:organizations": 1,
    "api:organization": 4,  # organization, other names, parts, affiliations
    "api:mentions": 2,  # the person named, mentions
    "api:figures": 4,  # the person named, figures, their people, organizations
    "api:topics": 1,
    "api:person-mentions-export": 2,  # person, mentions
    "api:organization-mentions-export": 2,
    "api:figures-export": 4,  # person, figures, their people, organizations
}


@pytest.fixture
def site():
    return sample_site()


def queries(client, url) -> int:
    cache.clear()
    client.get(url)  # process-wide caches (content types, the linker) warm up
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    # The page cache's own look-up of the next scheduled digest is not the route's cost.
    return sum('publish_at" >' not in q["sql"] for q in captured.captured_queries)


def test_every_route_has_a_query_budget():
    """A new route cannot skip the budget below."""
    assert set(QUERIES) == set(API_ROUTES)


@pytest.mark.parametrize("name", API_ROUTES)
def test_queries_per_route_are_fixed(client, site, name):
    """Each route costs the same few queries with one digest as with twenty more."""
    url = PUBLIC_URLS[name](site)
    assert queries(client, url) == QUERIES[name]
    grow(site)
    assert queries(client, url) == QUERIES[name]


# Visibility


@pytest.fixture
def sensitive(site):
    """A sensitive person a staff member attached to the published item and its figure."""
    person = make_person("Hidden Witness", sensitive=True)
    item = site["digest"].sections.get().items.get()
    Mention.objects.create(item=item, person=person, source=Mention.Source.STAFF)
    site["digest"].metrics.get().people.add(person)
    return person


@pytest.mark.parametrize("name", API_ROUTES)
def test_sensitive_people_never_appear(client, site, sensitive, name):
    """A person at risk appears in no API answer or download, even where staff linked them
    to a published item or figure."""
    content = client.get(PUBLIC_URLS[name](site)).content.decode()
    assert "Hidden Witness" not in content and "hidden-witness" not in content


def test_sensitive_and_unpublished_addresses_read_as_unknown(client, site, sensitive):
    """Asking for a hidden person, digest or item by address tells nothing: the same 404 or
    400 as for an address that never existed."""
    from digests.models import Digest, Item

    draft = Digest.objects.get(title__startswith="Draft digest")
    hidden_item = Item.objects.filter(section__digest=draft).get()
    for url in (
        "/api/people/hidden-witness/",
        "/api/people/secret-source/",
        f"/api/digests/{draft.slug}/",
        f"/api/items/{hidden_item.anchor}/",
        "/api/export/people/hidden-witness/mentions.csv",
        "/api/export/people/secret-source/mentions.json",
    ):
        assert client.get(url).status_code == 404, url
    unknown = client.get("/api/mentions/?person=nobody-at-all").json()["detail"]
    for slug in ("hidden-witness", "secret-source"):
        answer = client.get(f"/api/mentions/?person={slug}")
        assert answer.status_code == 400
        assert answer.json()["detail"] == unknown.replace("nobody-at-all", slug)
    assert client.get(f"/api/items/?digest={draft.slug}").status_code == 400


def test_a_digest_published_later_appears_in_the_api_at_once(client, site):
    """Scheduled digests are not in the API until their time, then they are (no stale
    cache)."""
    later = make_digest(
        title="Scheduled digest",
        publish_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1),
    )
    assert later.slug not in client.get("/api/digests/").content.decode()
    later.publish_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    later.save()
    assert later.slug in client.get("/api/digests/").content.decode()


# Pagination


def test_pages_walk_every_row_once_in_a_stable_order(client, site):
    """Following `next` from the first page visits every digest exactly once, newest first,
    even when a digest is published between two pages."""
    for day in range(1, 8):
        make_digest(title=f"Day {day}", date=datetime.date(2025, 11, day))
    seen, url = [], "/api/digests/?limit=3"
    while url:
        page = client.get(url).json()
        seen += [row["slug"] for row in page["results"]]
        url = page["next"]
        if len(seen) == 3:
            make_digest(title="Published meanwhile", date=datetime.date(2026, 1, 1))
    dates = [client.get(f"/api/digests/{slug}/").json()["date"] for slug in seen]
    assert len(seen) == len(set(seen)) == 8
    assert dates == sorted(dates, reverse=True)


PAGED = [
    "/api/digests/",
    "/api/items/",
    "/api/mentions/",
    "/api/figures/",
    "/api/people/",
    "/api/organizations/",
    "/api/topics/",
]


def rows_with_equal_keys():
    """Rows that share every cursor key: two digests of one day published at the same second;
    in one of them two sections and their items all at position 0 (reading order is then the
    order they were added), each naming a person and an organization; figures of one period
    with equal views, in both digests."""
    at = datetime.datetime(2025, 11, 5, 12, 0, tzinfo=datetime.UTC)
    first = make_digest(title="Same day A", date=datetime.date(2025, 11, 5), publish_at=at)
    second = make_digest(title="Same day B", date=datetime.date(2025, 11, 5), publish_at=at)
    for title in ("Later section", "Earlier section"):
        section = make_section(first, title=title, order=0)
        for n in range(3):
            make_item(
                section,
                order=0,
                body=f"<p>{title} {n}: Pavel Latushka and the National Anti-Crisis Management.</p>",
            )
    make_item(make_section(second), body="<p>Pavel Latushka again.</p>")
    for digest in (first, second, first):
        for n in range(2):
            make_metric(digest, topic=f"Tied {n}", views=77, period_end=datetime.date(2025, 11, 5))
    return first


def walk(client, url, limit):
    rows, address = [], f"{url}?limit={limit}"
    while address:
        page = client.get(address).json()
        rows += page["results"]
        address = page["next"]
    return rows


@pytest.mark.parametrize("url", PAGED)
def test_pages_walk_rows_with_equal_keys_once_in_order(client, site, url):
    """Rows whose cursor keys are equal (same digest, same period and views) keep one fixed
    order, and pages of any size give each exactly once, in the order of one big page."""
    rows_with_equal_keys()
    everything = client.get(f"{url}?limit=100").json()
    assert everything["next"] is None
    for limit in (1, 2, 5):
        assert walk(client, url, limit) == everything["results"], limit


def test_items_come_in_the_digest_pages_reading_order(client, site):
    digest = rows_with_equal_keys()
    on_page = [
        item["anchor"]
        for section in client.get(f"/api/digests/{digest.slug}/").json()["sections"]
        for item in section["items"]
    ]
    listed = walk(client, f"/api/items/?digest={digest.slug}&", 2)
    assert [item["anchor"] for item in listed] == on_page
    assert [s.title for s in digest.sections.all()] == ["Later section", "Earlier section"]


def _readable(cursor: str):
    """The cursor as anyone can read it without the secret key (signed, not encrypted)."""
    payload = cursor.split(":")[0]
    raw = signing.b64_decode(payload.lstrip(".").encode())
    return json.loads(zlib.decompress(raw) if payload.startswith(".") else raw)


@pytest.mark.parametrize("url", PAGED)
def test_cursors_hold_only_what_the_answers_show(client, site, url):
    """A cursor holds the last row's keys, each shown in the answers (its digest's publication
    time on the digest's own answer), and how many rows with those keys were given: never a
    database id, whose gaps would count the hidden rows created in between."""
    rows_with_equal_keys()
    address, given = f"{url}?limit=2", 0
    while address:
        page = client.get(address)
        given += len(page.json()["results"])
        address = page.json()["next"]
        if not address:
            break
        cursor = _readable(parse_qs(urlparse(address).query)["cursor"][0])
        assert set(cursor) == {"keys", "given"}
        assert 1 <= cursor["given"] <= given
        shown = page.content.decode()
        for slug in set(re.findall(r'"digest": \{"slug": "([^"]+)"', shown)):
            shown += client.get(f"/api/digests/{slug}/").content.decode()
        times = {
            datetime.datetime.fromisoformat(t)
            for t in re.findall(r'"published_at": "([^"]+)"', shown)
        }
        for value in cursor["keys"]:
            if isinstance(value, int):
                assert f": {value}," in shown, (url, value)
            elif re.fullmatch(r"\d{4}-\d\d-\d\dT.*", value):
                assert datetime.datetime.fromisoformat(value) in times, (url, value)
            else:
                assert json.dumps(value) in shown, (url, value)


def test_cursors_of_the_earlier_form_are_a_clear_400(client, site):
    """Cursors that held row ids (signed before this form) are refused like any bad cursor."""
    old = signing.dumps(["2025-12-31", "2025-12-31T10:00:00+00:00", 1], salt="api.cursor.digests")
    response = client.get(f"/api/digests/?cursor={old}")
    assert response.status_code == 400 and "cursor" in response.json()["detail"]
    other = signing.dumps({"keys": ["Someone", "someone"], "given": 1}, salt="api.cursor.people.2")
    assert client.get(f"/api/digests/?cursor={other}").status_code == 400


def test_bad_paging_parameters_get_a_clear_400(client, site):
    """A limit out of range or a cursor the API did not give answers 400 with the reason."""
    cases = {
        "/api/digests/?limit=0": "limit",
        "/api/digests/?limit=101": "limit",
        "/api/digests/?limit=many": "limit",
        "/api/digests/?cursor=abc": "cursor",
    }
    for url, word in cases.items():
        response = client.get(url)
        assert response.status_code == 400, url
        assert word in response.json()["detail"], url
    for day in range(1, 4):
        make_digest(date=datetime.date(2025, 10, day))
    cursor = client.get("/api/digests/?limit=1").json()["next"].split("cursor=")[1]
    # A cursor of one list is no good for another.
    assert client.get(f"/api/people/?cursor={cursor}").status_code == 400


# Parameters


@pytest.mark.parametrize(
    "url, words",
    [
        ("/api/digests/?date_from=31-12-2025", "YYYY-MM-DD"),
        ("/api/digests/?date_to=0", "YYYY-MM-DD"),
        ("/api/mentions/?date_from=2025-02-30", "date_from"),
        ("/api/items/?date_from=2025-12-31&date_to=2025-01-01", "date_from is after date_to"),
        ("/api/figures/?platform=myspace", "platform"),
        ("/api/figures/?person=nobody", "No published person has the address “nobody”"),
        ("/api/figures/?organization=nobody", "No published organization"),
        ("/api/digests/?topic=no-such-topic", "No published topic"),
        ("/api/mentions/?digest=no-such-digest", "No published digest"),
        ("/api/mentions/?person=not a slug", "person"),
    ],
)
def test_bad_parameters_get_a_clear_400(client, site, url, words):
    """A mistyped parameter answers 400 saying which parameter and what is wrong."""
    response = client.get(url)
    assert response.status_code == 400
    assert words in response.json()["detail"]


def test_filters_narrow_the_rows(client, site):
    """Mentions and figures filter by entity, period, digest and platform."""
    person = site["person"]
    older = make_digest(title="Older", date=datetime.date(2025, 6, 1))
    make_item(make_section(older), body="<p>Pavel Latushka spoke.</p>")
    make_metric(older, platform=Platform.TIKTOK, views=5)
    rows = client.get(f"/api/mentions/?person={person.slug}").json()["results"]
    assert [r["digest"]["date"] for r in rows] == ["2025-12-31", "2025-06-01"]
    rows = client.get(f"/api/mentions/?person={person.slug}&date_to=2025-07-01").json()
    assert [r["digest"]["slug"] for r in rows["results"]] == [older.slug]
    figures = client.get("/api/figures/?platform=tiktok").json()["results"]
    assert [(f["platform"], f["views"]) for f in figures] == [("tiktok", 5)]
    assert client.get("/api/figures/?date_from=2025-12-01").json()["results"][0]["views"] == 1000


# Caching and headers


@pytest.mark.parametrize("name", API_ROUTES)
def test_answers_carry_validators_and_no_cookie(client, site, name):
    """Every answer has an ETag, sets no cookie, does not vary on cookies (staff get the same
    answers), and may be read from another site's page (no credentials). No Last-Modified:
    the time an answer was rendered would tell when the newsroom last saved anything, drafts
    included."""
    response = client.get(PUBLIC_URLS[name](site))
    assert response["ETag"]
    assert not response.has_header("Last-Modified")
    assert "cookie" not in response.get("Vary", "").lower()
    assert "public" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers and response.cookies == {}
    assert response["X-Content-Type-Options"] == "nosniff"


def test_unchanged_answers_are_304(client, site, django_assert_num_queries):
    """A client that sends back the ETag gets a short 304, served from the page cache, until
    the answer changes; If-Modified-Since alone has no date to compare with (a full answer)."""
    url = "/api/digests/"
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    since = client.get(url, HTTP_IF_MODIFIED_SINCE="Thu, 01 Jan 2099 00:00:00 GMT")
    assert since.status_code == 200 and since.content == first.content
    item = site["digest"].sections.get().items.get()
    item.title = "A corrected title"
    item.save()
    changed = client.get("/api/items/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and b"A corrected title" in changed.content


def test_hidden_work_leaves_every_etag_as_it_was(client, site):
    """Editing a draft, scheduling a digest and flagging someone sensitive who was never
    public change no answer, so no ETag either: a client revalidating gets its 304."""
    urls = [PUBLIC_URLS[name](site) for name in API_ROUTES] + ["/api/people/?limit=1"]
    etags = {url: client.get(url)["ETag"] for url in urls}
    draft = site["digest"].__class__.objects.get(title__startswith="Draft digest")
    draft.lead = "A new lead, still unpublished."
    draft.save()
    make_digest(title="Next week", publish_at=timezone.now() + datetime.timedelta(days=7))
    make_person("Never Named", sensitive=True)
    for url in urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=etags[url])
        assert response.status_code == 304, url


def test_json_never_carries_markup_characters_raw(client, site):
    """Linked item bodies come as JSON strings with <, > and & escaped: no tool can take an
    answer for an HTML page."""
    raw = client.get(f"/api/digests/{site['digest'].slug}/").content.decode()
    assert "<" not in raw and '\\u003ca class=\\"mention\\"' in raw
    body = client.get(f"/api/digests/{site['digest'].slug}/").json()["sections"][0]["items"][0]
    assert body["body_html"].startswith('<p><a class="mention" href="/people/pavel-latushka/">')


# Exports


def rows_of(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_mention_export_lists_every_published_mention(client, site):
    """A person's download holds every published mention, newest first: digest, date, item
    address and sentence; a draft's never."""
    older = make_digest(title="Older", date=datetime.date(2025, 6, 1))
    make_item(make_section(older, title="Statements"), body="<p>=Pavel Latushka said so.</p>")
    response = client.get(f"/api/export/people/{site['person'].slug}/mentions.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="pavel-latushka-mentions.csv"'
    rows = rows_of(response)
    assert [(r["digest"], r["date"], r["section"]) for r in rows] == [
        ("Public digest", "2025-12-31", "Meetings"),
        ("Older", "2025-06-01", "Statements"),
    ]
    assert rows[0]["item_url"].startswith(f"http://testserver/digests/{site['digest'].slug}/#item-")
    assert rows[0]["sentence"] == "Pavel Latushka of the National Anti-Crisis Management."
    # A spreadsheet would run a cell starting with "=": it comes as text.
    assert rows[1]["sentence"].startswith("'=")
    as_json = client.get(f"/api/export/people/{site['person'].slug}/mentions.json").json()
    assert [r["digest"] for r in as_json] == ["Public digest", "Older"]
    assert as_json[1]["sentence"].startswith("=")


def test_figure_export_matches_the_figures_page(client, site):
    """The figures download holds the figures /metrics/ counts for the same choice."""
    other = make_digest(title="Other", date=datetime.date(2025, 11, 1))
    make_metric(other, views=77, topic="Not about him")
    everything = rows_of(client.get("/api/export/figures.csv"))
    assert sorted(int(r["views"]) for r in everything) == [77, 1000]
    his = rows_of(client.get(f"/api/export/figures.csv?person={site['person'].slug}"))
    assert [(r["views"], r["people"], r["whole_year"]) for r in his] == [
        ("1000", "Pavel Latushka", "false")
    ]
    bad = client.get("/api/export/figures.json?person=nobody")
    assert bad.status_code == 400 and "nobody" in bad.content.decode()


def test_pages_link_their_downloads(client, site):
    """The person, organization and figures pages link the CSV and JSON downloads."""
    person = client.get(site["person"].get_absolute_url()).content.decode()
    assert f'href="/api/export/people/{site["person"].slug}/mentions.csv"' in person
    assert f'href="/api/export/people/{site["person"].slug}/mentions.json"' in person
    organization = client.get(site["organization"].get_absolute_url()).content.decode()
    slug = site["organization"].slug
    assert f'href="/api/export/organizations/{slug}/mentions.csv"' in organization
    figures = client.get(f"/metrics/?person={site['person'].slug}").content.decode()
    assert 'href="/api/export/figures.csv?person=pavel-latushka"' in figures
    assert 'href="/api/export/figures.csv"' in client.get("/metrics/").content.decode()


# Documentation


def test_documentation_page_lists_every_route_with_an_example(client, site):
    """/api/ documents every route of the OpenAPI description with an example request."""
    description = client.get("/api/openapi.json").json()
    assert description["openapi"].startswith("3.")
    page = client.get("/api/")
    assert page["Content-Type"].startswith("text/html")
    content = page.content.decode()
    for path in description["paths"]:
        assert f"GET {path}</code>" in content, path
    assert content.count("Example: <code>GET /api/") == len(description["paths"])
    assert 'href="/api/openapi.json"' in content


def test_relationships_are_in_the_answers(client, site):
    """An organization lists its aliases and people; a digest its items' mentions."""
    person, organization = site["person"], site["organization"]
    person.affiliations.create(organization=organization, role="Head")
    organization.aliases.create(text="NAM")
    answer = client.get(f"/api/organizations/{organization.slug}/").json()
    assert answer["other_names"] == ["NAM"]
    assert [(a["person"]["slug"], a["role"]) for a in answer["affiliations"]] == [
        (person.slug, "Head")
    ]
    hidden = make_organization("Closed Body")  # no published mention, no public profile
    person.affiliations.create(organization=hidden)
    answer = client.get(f"/api/people/{person.slug}/").json()
    assert [a["organization"]["slug"] for a in answer["affiliations"]] == [organization.slug]
    digest = client.get(f"/api/digests/{site['digest'].slug}/").json()
    mentions = digest["sections"][0]["items"][0]["mentions"]
    assert {m["entity"]["slug"] for m in mentions} == {person.slug, organization.slug}


def test_an_organization_answers_with_its_public_parent_and_parts(client, site):
    """An organization's answer names its parent and its parts, A–Z, that have a public page,
    and never one readers cannot see (no published mention, no public profile)."""
    organization = site["organization"]
    parent = make_organization("Coordination Council", public_profile=True)
    organization.parent = parent
    organization.save()
    make_organization("Zubr Legal Team", parent=organization, public_profile=True)
    make_organization("Aid Fund Desk", parent=organization, public_profile=True)
    make_organization("Closed Cell", parent=organization)
    answer = client.get(f"/api/organizations/{organization.slug}/").json()
    assert answer["parent"]["name"] == "Coordination Council"
    assert [part["name"] for part in answer["children"]] == ["Aid Fund Desk", "Zubr Legal Team"]
    organization.parent = make_organization("Closed Parent")
    organization.save()
    assert client.get(f"/api/organizations/{organization.slug}/").json()["parent"] is None
