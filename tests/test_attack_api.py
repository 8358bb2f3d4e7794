"""Attacks on the open data API, its downloads and search, as a hostile anonymous reader.

Each test asserts the SAFE behaviour: a failing test is a finding. The reader may only send
anonymous HTTP requests; staff actions in these tests only set up what the newsroom might
plausibly do (draft, schedule, flag someone sensitive, rename, merge, suppress a mention).
"""

import csv
import datetime
import io
import json
import re
import time
import zlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import signing
from django.core.cache import cache
from django.utils import timezone

from digests.models import Digest, Item, Mention, Status
from digests.relinking import relink_items
from digestsite.cache import forget_counters
from people.merging import merge_entities
from people.models import Alias
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)
from tests.public_urls import PUBLIC_URLS, sample_site

pytestmark = pytest.mark.django_db

API_ROUTES = sorted(name for name in PUBLIC_URLS if name.startswith("api:"))


@pytest.fixture
def site():
    return sample_site()


def fresh():
    """Forget every cached page (as if the cache entry had expired)."""
    cache.clear()
    forget_counters()


def cursor_of(next_url: str) -> str:
    return parse_qs(urlparse(next_url).query)["cursor"][0]


def unsigned_payload(cursor: str):
    """What anyone can read in a cursor without the secret key: Django's signing only signs,
    it does not encrypt (base64 of JSON, optionally zlib-compressed)."""
    payload = cursor.split(":")[0]
    raw = signing.b64_decode(payload.lstrip(".").encode())
    if payload.startswith("."):
        raw = zlib.decompress(raw)
    return json.loads(raw)


# 1. Keyset cursors carry database ids: a reader counts what is hidden between two rows.


@pytest.mark.parametrize(
    "url, model_rows",
    [
        ("/api/people/?limit=1", "people"),
        ("/api/digests/?limit=1", "digests"),
        ("/api/items/?limit=1", "items"),
        ("/api/mentions/?limit=1", "mentions"),
    ],
)
def test_cursor_carries_no_database_ids(client, url, model_rows):
    """Anchors are random so that nothing tells how many items exist (DESIGN: "no database
    ids"). The `next` cursor must not undo that: decoded without any key, it must not hold a
    row's primary key, or the gaps between the ids of consecutive public rows count the
    drafts, scheduled items and sensitive people created in between."""
    first = make_person("Aaron Public")
    hidden_people = [make_person(f"Hidden Person {n}", sensitive=True) for n in range(3)]
    make_person("Zoe Public")
    older = make_digest(title="Older", date=datetime.date(2025, 1, 1))
    older_item = make_item(make_section(older), body="<p>Aaron Public and Zoe Public.</p>")
    for n in range(3):  # drafts written between the two public digests
        draft = make_digest(title=f"Draft {n}", status=Status.DRAFT)
        make_item(make_section(draft), body="<p>Aaron Public in a draft.</p>")
    newer = make_digest(title="Newer", date=datetime.date(2025, 2, 1))
    newer_item = make_item(make_section(newer), body="<p>Aaron Public and Zoe Public.</p>")
    page = client.get(url).json()
    assert page["next"], "there is a second page"
    try:
        values = unsigned_payload(cursor_of(page["next"]))
    except Exception:  # opaque (encrypted) cursor: nothing to read, safe
        return
    ids = {
        "people": first.pk,
        "digests": newer.pk,
        "items": newer_item.pk,
        "mentions": Mention.objects.filter(item=newer_item).order_by("pk").first().pk,
    }[model_rows]
    integers = [v for v in values if isinstance(v, int)]
    assert ids not in integers, (
        f"cursor {values} holds the row id {ids}; ids of hidden rows: "
        f"{[p.pk for p in hidden_people]} / older item {older_item.pk}"
    )


def test_people_cursor_counts_hidden_people(client):
    """The concrete attack: two consecutive public people, three sensitive people created
    between them. Reading the two cursors a reader learns how many hidden people exist."""
    make_person("Aaron Public", public_profile=True)
    for n in range(3):
        make_person(f"Hidden Person {n}", sensitive=True)
    make_person("Bella Public", public_profile=True)
    make_person("Zoe Public", public_profile=True)
    first = client.get("/api/people/?limit=1").json()
    second = client.get(first["next"]).json()
    try:
        a = unsigned_payload(cursor_of(first["next"]))[-1]
        b = unsigned_payload(cursor_of(second["next"]))[-1]
    except Exception:
        return
    hidden_between = b - a - 1
    assert hidden_between == 0 or not isinstance(hidden_between, int), (
        f"the cursors say {hidden_between} people exist between two public ones"
    )


# 2. Last-Modified moves on any write, drafts included: a clock of the newsroom's hidden work.


def _last_modified_moves_after(client, change) -> tuple[tuple, tuple, int]:
    """The answer's validators (Last-Modified, if it carries one, and ETag) before and after
    `change`, and the status of a conditional request with the first answer's date (or, with
    no date, its ETag)."""
    url = "/api/digests/"
    first = client.get(url)
    time.sleep(1.1)  # HTTP dates have one-second resolution
    change()
    again = client.get(url)
    assert again.content == first.content  # readers see nothing new
    if first.has_header("Last-Modified"):
        conditional = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    else:
        conditional = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    validators = [
        (response.get("Last-Modified"), response.get("ETag")) for response in (first, again)
    ]
    return *validators, conditional.status_code


def test_last_modified_does_not_reveal_a_draft_edit(client, site):
    """Saving a draft changes nothing readers may see; the API's Last-Modified (and the
    If-Modified-Since answer) must not change either, or a reader polling the API learns
    when the newsroom works on unpublished material."""
    draft = Digest.objects.get(title__startswith="Draft digest")

    def edit_draft():
        draft.lead = "A new lead, still unpublished."
        draft.save()

    before, after, status = _last_modified_moves_after(client, edit_draft)
    assert before == after, "Last-Modified moved although only a draft changed"
    assert status == 304


def test_last_modified_does_not_reveal_a_scheduled_digest(client, site):
    """Scheduling a digest for next week changes no public answer: Last-Modified must not
    move either."""

    def schedule():
        make_digest(title="Next week", publish_at=timezone.now() + datetime.timedelta(days=7))

    before, after, status = _last_modified_moves_after(client, schedule)
    assert before == after, "Last-Modified moved when a digest was scheduled"
    assert status == 304


def test_last_modified_does_not_reveal_flagging_someone_sensitive(client, site):
    """Flagging an unrelated, never-public person sensitive changes nothing on /api/digests/."""
    person = make_person("Someone Unnamed")
    fresh()

    def flag():
        person.sensitive = True
        person.save()

    before, after, status = _last_modified_moves_after(client, flag)
    assert before == after
    assert status == 304


# 3. Vary: Cookie on anonymous answers.


def test_api_answers_do_not_vary_on_cookie(client, site):
    """The API promises "no cookies": its answers to anonymous readers carry no Set-Cookie
    and no `Vary: Cookie` (which tells every cache and observer that the answer depends on
    a cookie, i.e. that signed-in users get something else at this address)."""
    varying = []
    for name in API_ROUTES:
        response = client.get(PUBLIC_URLS[name](site))
        assert response.status_code == 200
        assert not response.cookies, name
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",")}
        if "cookie" in vary:
            varying.append(name)
    assert varying == []


# 4. A sensitive person in the registry changes how public text is linked.


# 5. Merging a sensitive duplicate into a non-sensitive record publishes them.


def test_merging_a_sensitive_duplicate_keeps_them_hidden(client, site):
    """Staff merge two records of one person: one flagged sensitive by a careful editor, one
    imported without the flag. The merged person must stay sensitive (or the merge be
    refused): otherwise their names, aliases and old address go public at once."""
    imported = make_person("Ales Protected", public_profile=True)
    flagged = make_person("Ales Protected-Hidden", sensitive=True)
    Alias.objects.create(text="Alyaksandr Underground", person=flagged)
    item = site["digest"].sections.get().items.get()
    Mention.objects.create(item=item, person=flagged, source=Mention.Source.STAFF)
    merge_entities(survivor=imported, duplicates=[flagged])
    fresh()
    answers = "".join(
        client.get(url).content.decode()
        for url in (
            "/api/people/",
            f"/api/people/{imported.slug}/",
            "/api/mentions/",
            "/search/suggest/?q=Alyaksandr",
        )
    )
    assert "Alyaksandr Underground" not in answers
    assert "Ales Protected-Hidden" not in answers
    assert client.get("/people/ales-protected-hidden/").status_code == 404


# 5b. Links in published HTML to pages that do not exist for readers.


# 6. Old addresses from before a person was ever public.


def test_an_address_that_was_never_public_does_not_redirect(client, site):
    """A person registered under one name while only drafts named them, renamed before
    they were ever published (e.g. to a pseudonym). Their first address was never public:
    it must read like any unknown address, not 301 to the person's page (a reader who
    guesses a real name would find the pseudonym it hides behind)."""
    person = make_person("Real Name Withheld")
    draft = Digest.objects.get(title__startswith="Draft digest")
    make_item(draft.sections.get(), body="<p>Real Name Withheld spoke.</p>")
    person.name = "Source A"
    person.slug = "source-a"  # the careful editor changes the address too
    person.save()
    Alias.objects.filter(person=person, is_primary=False).delete()  # staff drop the old name
    person.public_profile = True
    person.save()
    fresh()
    assert client.get(person.get_absolute_url()).status_code == 200
    response = client.get("/people/real-name-withheld/")
    assert response.status_code == 404, response.get("Location")


# What held: differential checks (hidden things change no public byte).


def _answers(client, site) -> dict[str, bytes]:
    person, organization = site["person"], site["organization"]
    urls = [PUBLIC_URLS[name](site) for name in API_ROUTES] + [
        "/api/digests/?limit=100",
        "/api/items/?limit=100",
        "/api/mentions/?limit=100",
        "/api/figures/?limit=100",
        "/api/people/?limit=1",
        "/api/organizations/?limit=100",
        "/api/topics/?limit=100",
        f"/api/mentions/?organization={organization.slug}",
        f"/api/figures/?organization={organization.slug}",
        f"/api/export/people/{person.slug}/mentions.json",
        f"/api/export/organizations/{organization.slug}/mentions.csv",
        "/api/export/figures.json",
        f"/api/export/figures.json?organization={organization.slug}",
        "/search/?q=Latushka",
        "/search/?q=Witness",
        "/search/?q=Hidden",
        "/search/?q=Secret",
        "/search/?q=Meetings",
        "/search/suggest/?q=Hi",
        "/search/suggest/?q=Wit",
        "/search/suggest/?q=Lat",
        "/search/suggest/?q=Se",
        f"/search/?q=Latushka&person={person.slug}",
        "/metrics/",
        "/people/",
        person.get_absolute_url(),
        organization.get_absolute_url(),
    ]
    fresh()
    out = {}
    for url in urls:
        response = client.get(url)
        out[url] = (response.status_code, response.content)
    return out


def test_hidden_work_changes_no_public_answer(client, site):
    """Add everything a reader must not learn of: a sensitive person attached to the
    published item and its figure, affiliated with the public organization, with aliases;
    a draft and a scheduled digest naming the public person with new topics and figures; a
    staff-suppressed mention in a draft. Every API answer, download, search and suggestion
    must stay byte for byte the same (no field, count, ordering or page link moves)."""
    before = _answers(client, site)
    witness = make_person("Hidden Witness", sensitive=True)
    Alias.objects.create(text="Witness Hiddenova", person=witness)
    witness.links.create(title="Site", url="https://example.org/witness")
    witness.affiliations.create(organization=site["organization"], role="Informant")
    item = site["digest"].sections.get().items.get()
    Mention.objects.create(item=item, person=witness, source=Mention.Source.STAFF)
    figure = site["digest"].metrics.get()
    figure.people.add(witness)
    for status, at in (
        (Status.DRAFT, None),
        (Status.PUBLISHED, timezone.now() + datetime.timedelta(days=2)),
    ):
        hidden = make_digest(title="Hidden again", status=status, publish_at=at)
        hidden.tags.add("secret-topic")
        hidden_item = make_item(
            make_section(hidden, title="Meetings"),
            body="<p>Pavel Latushka met Hidden Witness and the National Anti-Crisis "
            "Management. Meetings.</p>",
        )
        hidden_item.tags.add("secret-topic")
        Mention.objects.create(item=hidden_item, person=witness, source=Mention.Source.STAFF)
        make_metric(hidden, item=hidden_item, views=5).people.add(site["person"], witness)
    after = _answers(client, site)
    changed = [url for url in before if before[url] != after[url]]
    assert changed == []


def test_sensitive_name_finds_no_item_through_its_mentions(client, site):
    """Search now returns items that *mention* a person found by any spelling. A sensitive
    person's other spelling (not in any text) must find nothing: no entity, no item, and the
    same page as for a name nobody has."""
    witness = make_person("Hidden Witness", sensitive=True)
    Alias.objects.create(text="Khidden Vitnes", person=witness)
    item = site["digest"].sections.get().items.get()
    Mention.objects.create(item=item, person=witness, source=Mention.Source.STAFF)
    fresh()
    found = client.get("/search/?q=Khidden+Vitnes").content.decode()
    nobody = client.get("/search/?q=Zzyzx+Qwerty").content.decode()
    assert item.anchor not in found
    assert found.replace("Khidden Vitnes", "X") == nobody.replace("Zzyzx Qwerty", "X")
    assert client.get("/search/suggest/?q=Khidden").json()["results"] == []


def test_suppressed_mention_appears_nowhere(client, site):
    """Staff suppress a wrong match of the organization. It must not appear in the item's
    mentions, the mentions list, the downloads, or make search find the item by another
    spelling of the organization's name."""
    organization = site["organization"]
    Alias.objects.create(text="NAM-Belarus", organization=organization)
    other = make_digest(title="Other digest", date=datetime.date(2025, 11, 1))
    wrong = make_item(
        make_section(other), body="<p>A street called National Anti-Crisis Management.</p>"
    )
    mention = Mention.objects.get(item=wrong, organization=organization)
    mention.source = Mention.Source.SUPPRESSED
    mention.save()
    relink_items(Item.objects.filter(pk=wrong.pk))  # as the item's admin page does on save
    fresh()
    assert (
        wrong.anchor
        not in client.get(
            f"/api/mentions/?organization={organization.slug}&limit=100"
        ).content.decode()
    )
    assert client.get(f"/api/items/{wrong.anchor}/").json()["mentions"] == []
    detail = client.get(f"/api/digests/{other.slug}/").json()
    assert detail["sections"][0]["items"][0]["mentions"] == []
    for fmt in ("csv", "json"):
        download = client.get(f"/api/export/organizations/{organization.slug}/mentions.{fmt}")
        assert wrong.anchor not in download.content.decode()
    assert wrong.anchor not in client.get("/search/?q=NAM-Belarus").content.decode()


# Hidden addresses read like unknown ones (no 404 / 400 difference, same words).


def test_hidden_addresses_read_like_unknown_ones(client, site):
    witness = make_person("Hidden Witness", sensitive=True)
    item = site["digest"].sections.get().items.get()
    Mention.objects.create(item=item, person=witness, source=Mention.Source.STAFF)
    draft = Digest.objects.get(title__startswith="Draft digest")
    hidden_org = make_organization("Closed Body")  # only in drafts
    make_item(draft.sections.get(), body="<p>Closed Body met.</p>")
    # Renamed sensitive person: the old address must not answer differently either.
    witness.name = "Hidden Witness Renamed"
    witness.slug = "hidden-witness-renamed"
    witness.save()
    templates = [
        "/api/people/{}/",
        "/api/organizations/{}/",
        "/api/digests/{}/",
        "/api/mentions/?person={}",
        "/api/mentions/?organization={}",
        "/api/mentions/?digest={}",
        "/api/figures/?person={}",
        "/api/figures/?organization={}",
        "/api/items/?digest={}",
        "/api/digests/?topic={}",
        "/api/items/?topic={}",
        "/api/export/people/{}/mentions.csv",
        "/api/export/organizations/{}/mentions.json",
        "/api/export/figures.csv?person={}",
        "/api/export/figures.json?organization={}",
        "/search/?q=a&person={}",
        "/search/?q=a&organization={}",
        "/search/?q=a&tag={}",
        "/people/{}/",
        "/organizations/{}/",
        "/tags/{}/",
    ]
    hidden_slugs = [
        witness.slug,
        "hidden-witness",
        "secret-source",
        hidden_org.slug,
        draft.slug,
        "hiddentag",
    ]
    unknown = "no-such-thing-at-all"
    for template in templates:
        fresh()
        base = client.get(template.format(unknown))
        for slug in hidden_slugs:
            response = client.get(template.format(slug))
            url = template.format(slug)
            assert response.status_code == base.status_code, url
            assert response.content.decode().replace(slug, unknown) == base.content.decode(), url
            assert response.get("Location") == base.get("Location"), url


# The page cache never outlives visibility.


def test_cached_answers_end_when_someone_becomes_sensitive(client, site):
    person = site["person"]
    urls = [
        f"/api/people/{person.slug}/",
        "/api/people/",
        "/api/mentions/",
        f"/api/export/people/{person.slug}/mentions.csv",
        "/api/export/figures.csv",
        f"/api/digests/{site['digest'].slug}/",
        "/search/suggest/?q=Latu",
        "/search/?q=Latushka",
    ]
    etags = {}
    for url in urls:
        response = client.get(url)
        etags[url] = response.get("ETag")
        assert b"Pavel Latushka" in response.content or b"pavel-latushka" in response.content
    person.sensitive = True
    person.save()
    for url in urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=etags[url] or "")
        assert response.status_code != 304, url
        # (Item text and sentences may still spell the name: that is the newsroom's text.)
        assert b'"name": "Pavel Latushka"' not in response.content, url
        assert b"pavel-latushka" not in response.content, url


def test_cached_answers_end_when_a_digest_is_unpublished(client, site, staff_client):
    """Through the admin's "unpublish" action, which writes with QuerySet.update()."""
    from django.test import Client

    reader = Client()
    digest = site["digest"]
    urls = [
        "/api/digests/",
        f"/api/digests/{digest.slug}/",
        "/api/items/",
        "/api/figures/",
        "/api/topics/",
        "/api/export/figures.json",
    ]
    before = {url: reader.get(url) for url in urls}
    for url, response in before.items():
        assert digest.slug.encode() in response.content or b"political" in response.content, url
    staff_client.post(
        "/admin/digests/digest/",
        {"action": "unpublish", "_selected_action": [digest.pk]},
    )
    digest.refresh_from_db()
    assert digest.status == Status.DRAFT
    for url in urls:
        response = reader.get(url, HTTP_IF_NONE_MATCH=before[url].get("ETag") or "")
        assert response.status_code in (200, 404), url
        assert digest.slug.encode() not in response.content, url
        assert b"Public digest" not in response.content, url


def test_cached_answers_end_when_a_digest_is_rescheduled(client, site):
    digest = site["digest"]
    assert client.get(f"/api/digests/{digest.slug}/").status_code == 200
    digest.publish_at = timezone.now() + datetime.timedelta(days=3)
    digest.save()
    assert client.get(f"/api/digests/{digest.slug}/").status_code == 404
    assert digest.slug not in client.get("/api/digests/").content.decode()


# Odd input never breaks anything (no 500) and never sets a cookie.

ODD = [
    "/api/digests/?limit=99999999999999999999999999999",
    "/api/digests/?limit=-1",
    "/api/digests/?limit=1e2",
    "/api/digests/?limit=%EF%BC%91",
    "/api/digests/?limit=1&limit=2&limit=3",
    "/api/digests/?date_from=9999-12-31",
    "/api/digests/?date_from=0000-01-01",
    "/api/digests/?date_from=2025-13-01",
    "/api/digests/?date_from=%D9%A2%D9%A0%D9%A2%D9%A5-12-31",
    "/api/digests/?date_from=2025-12-31T00:00:00",
    "/api/digests/?date_from=2025-12-31&date_from=2025-01-01",
    "/api/items/?date_to=0001-01-01",
    "/api/figures/?date_to=9999-12-31&date_from=0001-01-01",
    "/api/digests/?topic=" + "a" * 10000,
    "/api/digests/?cursor=" + "a" * 100000,
    "/api/digests/?cursor=" + ".eJzLSM3JyVcozy_KSQEAGgQEXQ:1:x",
    "/api/digests/?cursor=%01%02%03",
    "/api/digests/?cursor=%E2%80%AE",
    "/api/digests/?cursor=:::::",
    "/api/digests/?cursor=",
    "/api/people/" + "a" * 5000 + "/",
    "/api/people/%E2%80%AE/",
    "/api/people/%0A/",
    "/api/people/a%0A/",
    "/api/items/item-%C3%A9/",
    "/api/items/item-" + "a" * 5000 + "/",
    "/api/mentions/?person=a&person=b",
    "/api/mentions/?person=%F0%9F%98%80",
    "/api/mentions/?person=%ED%A0%80",
    "/api/mentions/?person=%C0%AF",
    "/api/figures/?platform=YOUTUBE",
    "/api/figures/?platform=youtube&platform=tiktok",
    "/api/export/figures.csv?person=%0A%0D",
    "/api/export/figures.csv?person=" + "%C3%A9" * 3000,
    "/api/export/figures.csv?person=a&person=b&organization=",
    "/api/export/people/" + "a" * 5000 + "/mentions.csv",
    "/api/export/people/a/mentions.csv%0A",
    "/api/openapi.json?format=yaml",
    "/search/?q=%01%02%1b",
    "/search/?q=" + "a" * 5000,
    "/search/?q=" + "%E2%80%AE" * 300,
    "/search/?q=%22%22%22",
    "/search/?q=-",
    "/search/?q=%21%7C%26%3A*",
    "/search/?q=a+OR+-",
    "/search/?q=%27%27",
    "/search/?q=%5C",
    "/search/?q=%25%25_",
    "/search/?q=a&page=99999999999999999999999",
    "/search/?q=a&page=-1",
    "/search/?q=a&date_from=0001-01-01&date_to=9999-12-31",
    "/search/?q=a&date_from=99999-01-01",
    "/search/?q=a&tag=%E2%80%AE",
    "/search/?q=a&person=a&person=b",
    "/search/?q=Latushka&q=Secret",
    "/search/suggest/?q=" + "a" * 10000,
    "/search/suggest/?q=%F0%9F%98%80%F0%9F%98%80",
    "/search/suggest/?q=%ED%A0%80",
    "/search/suggest/?q=%E2%80%8B%E2%80%8B",
    "/search/suggest/?q=%27%25",
]


@pytest.mark.parametrize("url", ODD)
def test_odd_input_is_never_a_server_error(client, site, url):
    response = client.get(url)
    assert response.status_code < 500, url
    assert not response.cookies, url
    if url.startswith("/api/") and response.status_code == 400 and "/export/" not in url:
        assert "detail" in response.json()


@pytest.mark.parametrize("method", ["head", "options", "post", "put", "delete"])
def test_other_methods_are_refused_cleanly(client, site, method):
    for name in API_ROUTES:
        response = getattr(client, method)(PUBLIC_URLS[name](site))
        assert response.status_code < 500, (method, name)
        assert not response.cookies, (method, name)


def test_a_cursor_from_a_filtered_list_leaks_nothing_into_another(client, site):
    """A cursor taken under one filter and replayed under another (or on another list)
    yields only rows the second query allows."""
    for day in range(1, 5):
        make_digest(title=f"Day {day}", date=datetime.date(2025, 10, day))
    cursor = cursor_of(client.get("/api/digests/?limit=1").json()["next"])
    for other in ("/api/items/", "/api/people/", "/api/mentions/", "/api/figures/", "/api/topics/"):
        assert client.get(f"{other}?cursor={cursor}").status_code == 400
    rows = client.get(f"/api/digests/?cursor={cursor}&limit=100").content.decode()
    assert "HIDDEN" not in rows


# CSV downloads never start a formula.


def test_csv_cells_never_start_a_formula(client):
    starts = ["=", "+", "-", "@", "\t", "\r"]
    person = make_person("Formula Person")
    organization = make_organization("Formula Org")
    for n, start in enumerate(starts):
        digest = make_digest(
            title=f'{start}HYPERLINK("https://evil.example","x") {n}',
            date=datetime.date(2025, 3, n + 1),
        )
        section = make_section(digest, title=f"{start}cmd|' /C calc'!A0 section {n}")
        item = make_item(
            section, body=f"<p>{start}1+1 and Formula Person and Formula Org here {n}.</p>"
        )
        metric = make_metric(digest, item=item, topic=f"{start}SUM(A1:A9) topic {n}", url="")
        metric.people.add(person)
        metric.organizations.add(organization)
    for url in (
        f"/api/export/people/{person.slug}/mentions.csv",
        f"/api/export/organizations/{organization.slug}/mentions.csv",
        "/api/export/figures.csv",
        f"/api/export/figures.csv?person={person.slug}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        for row in csv.reader(io.StringIO(response.content.decode(), newline="")):
            for cell in row:
                assert not cell.startswith(tuple(starts)), (url, cell)


# No cookies, no third-party requests from the API documentation.


def test_api_documentation_loads_nothing_from_elsewhere(client, site):
    page = client.get("/api/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert [s for s in sources if s.startswith(("http:", "https:", "//"))] == [] or all(
        "testserver" in s for s in sources if s.startswith(("http:", "https:", "//"))
    )
    assert "<script" not in page or 'src="/static/' in page


def test_search_counts_ignore_hidden_items(client, site):
    """The number of results (and pages) for a word found only in drafts is the same as for
    a word found nowhere."""
    for n in range(25):
        make_item(
            Digest.objects.get(title__startswith="Draft digest").sections.get(),
            body=f"<p>Zebraword number {n}.</p>",
        )
    fresh()
    hidden = client.get("/search/?q=Zebraword").content.decode()
    nowhere = client.get("/search/?q=Quaggaword").content.decode()
    assert hidden.replace("Zebraword", "W") == nowhere.replace("Quaggaword", "W")


def test_item_anchor_of_a_hidden_item_is_unknown(client, site):
    draft = Digest.objects.get(title__startswith="Scheduled digest")
    hidden = Item.objects.filter(section__digest=draft).get()
    fresh()
    a = client.get(f"/api/items/{hidden.anchor}/")
    b = client.get("/api/items/item-zzzzzzzzzz/")
    assert (a.status_code, a.content) == (b.status_code, b.content)


def test_person_with_only_suppressed_mentions_has_no_public_trace(client, site):
    """Someone whose only published mention staff suppressed is not public: not in the
    people list, no page, not suggested, no download."""
    wrong = make_person("Wrongly Matched")
    digest = make_digest(title="Another", date=datetime.date(2025, 9, 9))
    item = make_item(make_section(digest), body="<p>Wrongly Matched street.</p>")
    mention = Mention.objects.get(item=item, person=wrong)
    mention.source = Mention.Source.SUPPRESSED
    mention.save()
    relink_items(Item.objects.filter(pk=item.pk))  # as the item's admin page does on save
    fresh()
    assert "wrongly-matched" not in client.get("/api/people/?limit=100").content.decode()
    assert client.get("/api/people/wrongly-matched/").status_code == 404
    assert client.get("/api/export/people/wrongly-matched/mentions.csv").status_code == 404
    assert client.get("/search/suggest/?q=Wrongly").json()["results"] == []
    body = client.get(f"/api/items/{item.anchor}/").json()["body_html"]
    assert "/people/wrongly-matched/" not in body


def test_person_made_sensitive_is_unlinked_everywhere_in_the_api(client, site):
    """After flagging, no answer links to their page (body_html, title_html, lead_html)."""
    person = site["person"]
    digest = site["digest"]
    digest.lead = "Pavel Latushka in the lead."
    digest.save()
    person.sensitive = True
    person.save()
    fresh()
    for url in (
        f"/api/digests/{digest.slug}/",
        "/api/items/",
        "/api/figures/",
        "/api/export/figures.json",
        "/api/organizations/national-anti-crisis-management/",
    ):
        content = client.get(url).content.decode()
        assert "/people/pavel-latushka/" not in content.replace("\\u002f", "/"), url
        assert "pavel-latushka" not in content, url
