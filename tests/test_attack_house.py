"""Attacks on the page cache's key and its answers to preconditions, on the organization page's
parent and parts (read in one query), and on the sensitive-person index, as a hostile reader
and a rogue editor would make them. The first test was a hole: two searches shared one entry.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests.models import Mention, Status
from people.models import Organization
from tests.factories import (
    make_digest,
    make_item,
    make_organization,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

PREFIXES = ("", "/be", "/ru")
FUTURE = timezone.now() + datetime.timedelta(days=2)


@pytest.fixture
def reader():
    return Client()


def publish(body, **digest_fields):
    return make_item(make_section(make_digest(**digest_fields)), body=body)


def parts_of(page: str) -> list[str]:
    if 'id="parts-title"' not in page:
        return []
    section = page.split('id="parts-title"')[1].split("</section>")[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', section)


def part_of(page: str) -> str | None:
    found = re.search(r'<p class="meta">[^<]*, [^<]*<a href="([^"]+)">([^<]+)</a>', page)
    return found and found.group(2)


# --- The page cache: one address, one entry -------------------------------------------------


def test_a_raw_query_and_its_mojibake_twin_never_share_an_entry(reader):
    """`?q=Мінск` sent raw in UTF-8 (curl, some bots and feed readers) and `?q=%C3%90%C2%9C…`
    (the same bytes read as Latin-1, then percent-encoded) are two different searches. Keyed
    on the address rebuilt by `iri_to_uri` they shared one entry, and whoever asked first
    decided what the other was served."""
    raw = "/search/?q=Мінск"
    twin = "/search/?q=" + "".join(f"%{b:02X}" for b in "Мінск".encode().decode("latin-1").encode())
    publish("<p>Мінск news.</p>")
    from django.core.cache import cache

    fresh = reader.get(raw).content  # what the raw search shows, rendered
    assert "Мінск".encode() in fresh
    cache.clear()
    assert reader.get(twin).status_code == 200  # a hostile reader warms the entry first
    assert reader.get(raw).content == fresh, "the raw search was served the twin's page"


@pytest.mark.parametrize("url", ["/robots.txt", "/sitemap.xml", "/feeds/digests/"])
def test_absolute_addresses_follow_scheme_host_case_and_port(reader, url):
    """robots.txt, the sitemap and a feed carry absolute addresses; http vs
    https, host case and an explicit port each get their own entry, never
    another address's links."""
    publish("<p>Something public.</p>")
    variants = [
        ({}, "http://testserver/"),
        ({"secure": True}, "https://testserver/"),
        ({"HTTP_HOST": "localhost:8000"}, "http://localhost:8000/"),
        ({"HTTP_HOST": "LOCALHOST"}, "http://LOCALHOST/"),
        ({"HTTP_HOST": "localhost"}, "http://localhost/"),
        ({"HTTP_HOST": "localhost", "secure": True}, "https://localhost/"),
    ]
    for _round in range(2):  # the second round is served from the cache
        for extra, base in variants:
            body = reader.get(url, **extra).content.decode()
            others = {b for _, b in variants if b != base and not b.startswith(base)}
            assert base in body, (extra, base)
            assert not any(other in body for other in others), (extra, base)


def test_language_prefixes_never_share_an_entry(reader):
    """/, /be/ and /ru/ of the same page are three entries, each in its own
    language, also when /ru/ is warmed first and read again from the cache."""
    org = make_organization("Kyiv Office", name_be="Кіеўскі офіс", name_ru="Киевский офис")
    publish("<p>Kyiv Office opened.</p>")
    url = org.get_absolute_url()
    expected = {"/ru": "Киевский офис", "/be": "Кіеўскі офіс", "": "Kyiv Office"}
    for _round in range(2):
        for prefix, name in expected.items():
            response = reader.get(prefix + url)
            assert response["Content-Language"] == (prefix.strip("/") or "en")
            assert f"<h1>{name}</h1>" in response.content.decode(), prefix


@pytest.mark.parametrize("variant", ["{url}?", "{url}?page=1", "{url}?page=1&page=1", "{url}?&"])
def test_query_variants_of_a_page_are_the_same_page(reader, variant):
    """A trailing `?` or a repeated parameter reaches the same page: a copy
    stored under the variant never differs from the page itself."""
    org = make_organization("Helsinki Group")
    publish("<p>Helsinki Group met.</p>")
    url = org.get_absolute_url()
    canonical = reader.get(url)
    varied = reader.get(variant.format(url=url))
    assert varied.status_code == 200
    assert varied.content == canonical.content


def test_head_first_never_leaves_an_empty_page_for_get(reader):
    """A link checker's HEAD warms the entry; the next GET still gets the
    whole page (HEAD and GET share a key)."""
    org = make_organization("Viasna Centre", public_profile=True)
    url = org.get_absolute_url()
    head = reader.head(url)
    assert head.status_code == 200 and head["ETag"]
    get = reader.get(url)
    assert b"Viasna Centre" in get.content
    assert get["ETag"] == head["ETag"]
    assert reader.head(url, HTTP_IF_NONE_MATCH=head["ETag"]).status_code == 304


# --- Preconditions: the cached answer is the fresh answer ------------------------------------


PRECONDITION_CASES = [
    ({}, 200),
    ({"HTTP_IF_NONE_MATCH": ""}, 200),
    ({"HTTP_IF_NONE_MATCH": "*"}, 304),
    ({"HTTP_IF_NONE_MATCH": '"nope"'}, 200),
    ({"HTTP_IF_NONE_MATCH": "garbage without quotes"}, 200),
    ({"HTTP_IF_MATCH": ""}, 200),
    ({"HTTP_IF_MATCH": "*"}, 200),
    ({"HTTP_IF_MATCH": '"nope"'}, 412),
    ({"HTTP_IF_MATCH": 'W/"nope"'}, 412),
    ({"HTTP_IF_MODIFIED_SINCE": "Thu, 01 Jan 2099 00:00:00 GMT"}, 200),
    ({"HTTP_IF_MODIFIED_SINCE": "not a date"}, 200),
    ({"HTTP_IF_MODIFIED_SINCE": ""}, 200),
    # Django: no Last-Modified means a valid If-Unmodified-Since always fails (RFC 9110 says
    # ignore it); constant whatever the page holds, so it tells readers nothing.
    ({"HTTP_IF_UNMODIFIED_SINCE": "Mon, 01 Jan 2001 00:00:00 GMT"}, 412),
    ({"HTTP_IF_UNMODIFIED_SINCE": "Thu, 01 Jan 2099 00:00:00 GMT"}, 412),
    ({"HTTP_IF_UNMODIFIED_SINCE": "junk"}, 200),
]


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("headers,status", PRECONDITION_CASES)
def test_preconditions_get_the_same_answer_cold_and_warm(reader, method, headers, status):
    """On a page without Last-Modified (an organization page) every
    precondition, empty, malformed, `*` or weak, gets the same status from a cold cache (the
    page rendered) and a warm one (the shortcut), and a date never makes a 304 or 412 there
    (a page's date would tell readers when the newsroom works)."""
    org = make_organization("Belsat Desk", public_profile=True)
    url = org.get_absolute_url()
    cold = getattr(reader, method)(url, **headers)
    warm = getattr(reader, method)(url, **headers)
    assert cold.status_code == warm.status_code == status
    assert "Last-Modified" not in warm
    if status == 200 and method == "get":
        assert cold.content == warm.content


@pytest.mark.parametrize("headers", [h for h, _ in PRECONDITION_CASES])
def test_preconditions_on_a_hidden_page_are_a_plain_404(reader, headers):
    """A draft-only organization answers 404 to every precondition (no 412
    or 304 telling that something is there), cold and warm, with no ETag to compare."""
    secret = make_organization("Underground Cell")
    publish("<p>Underground Cell.</p>", status=Status.DRAFT)
    publish("<p>Underground Cell later.</p>", publish_at=FUTURE)
    url = secret.get_absolute_url()
    missing = "/organizations/no-such-organization/"
    for address in (url, missing):
        for _round in range(2):
            response = reader.get(address, **headers)
            assert response.status_code == 404
            assert "ETag" not in response
            assert b"Underground Cell" not in response.content


# --- The organization page's parent and parts -------------------------------------------------


HIDING_WAYS = ["draft", "scheduled", "suppressed", "never named"]


def hide(org, way):
    """Make `org` an organization readers cannot see, `way`."""
    if way == "draft":
        publish(f"<p>{org.name} met.</p>", status=Status.DRAFT)
    elif way == "scheduled":
        publish(f"<p>{org.name} met.</p>", publish_at=FUTURE)
    elif way == "suppressed":
        item = publish(f"<p>{org.name} met.</p>")
        Mention.objects.filter(item=item, organization=org).update(source=Mention.Source.SUPPRESSED)
        assert Mention.objects.filter(organization=org).exists()


@pytest.mark.parametrize("way", HIDING_WAYS)
def test_hidden_parent_and_parts_are_never_named_in_any_language(reader, way):
    """A parent or a part readers cannot see (named only in a draft, a
    scheduled digest, a suppressed mention, or nowhere) is never named or linked on the
    organization's page, in English, Belarusian or Russian, cold or from the cache."""
    secret_parent = make_organization(
        "Shadow Council", name_be="Ценявы савет", name_ru="Теневой совет", slug="shadow-council"
    )
    shown = make_organization("Open Committee", parent=secret_parent, public_profile=True)
    secret_child = make_organization(
        "Hidden Cell",
        parent=shown,
        name_be="Схаваная ячэйка",
        name_ru="Скрытая ячейка",
        slug="hidden-cell",
    )
    public_child = make_organization("Public Wing", parent=shown, public_profile=True)
    hide(secret_parent, way)
    hide(secret_child, way)
    names = [
        "Shadow Council",
        "Ценявы савет",
        "Теневой совет",
        "shadow-council",
        "Hidden Cell",
        "Схаваная ячэйка",
        "Скрытая ячейка",
        "hidden-cell",
    ]
    for _round in range(2):
        for prefix in PREFIXES:
            page = reader.get(prefix + shown.get_absolute_url()).content.decode()
            assert parts_of(page) == ["Public Wing"], prefix
            assert part_of(page) is None, prefix
            leaked = [n for n in names if n in page]
            assert not leaked, (prefix, leaked)
            child_page = reader.get(prefix + public_child.get_absolute_url()).content.decode()
            assert part_of(child_page) == "Open Committee"


def test_parts_public_only_through_public_profile_are_listed_in_their_language(reader):
    """A parent and a part never named in any digest but given a public
    profile are named and linked, each in the page's language."""
    parent = make_organization("Umbrella", name_be="Парасон", name_ru="Зонтик", public_profile=True)
    shown = make_organization("Middle", parent=parent, public_profile=True)
    make_organization("Leaf", name_be="Ліст", name_ru="Лист", parent=shown, public_profile=True)
    expected = {"": ("Umbrella", "Leaf"), "/be": ("Парасон", "Ліст"), "/ru": ("Зонтик", "Лист")}
    for prefix, (parent_name, leaf_name) in expected.items():
        page = reader.get(prefix + shown.get_absolute_url()).content.decode()
        assert part_of(page) == parent_name
        assert f'href="{prefix}{parent.get_absolute_url()}"' in page
        assert parts_of(page) == [leaf_name]


def test_a_cycle_bypassing_clean_names_only_public_members(reader):
    """A rogue editor (or an import) that writes a cycle past `clean()`
    (A part of B, B part of A, C part of B) gets a page, not a crash or a loop; each page names
    only public members; a hidden member of the cycle stays hidden."""
    a = make_organization("Alpha Bureau", public_profile=True)
    b = make_organization("Beta Bureau", public_profile=True)
    c = make_organization("Gamma Secret")
    hide(c, "draft")
    Organization.objects.filter(pk=a.pk).update(parent=b)
    Organization.objects.filter(pk=b.pk).update(parent=a)
    Organization.objects.filter(pk=c.pk).update(parent=b)
    page_a = reader.get(a.get_absolute_url()).content.decode()
    assert part_of(page_a) == "Beta Bureau" and parts_of(page_a) == ["Beta Bureau"]
    page_b = reader.get(b.get_absolute_url()).content.decode()
    assert part_of(page_b) == "Alpha Bureau" and parts_of(page_b) == ["Alpha Bureau"]
    assert "Gamma Secret" not in page_b


def test_an_organization_can_never_be_its_own_parent():
    """The database refuses a self-parent even past `clean()`, so the one
    family query can never put the page's own organization in its parent or parts."""
    from django.db import IntegrityError, transaction

    org = make_organization("Loop Office", public_profile=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=org.pk).update(parent=org)


def test_merged_part_moves_to_the_survivor_and_hidden_survivor_stays_hidden(reader):
    """Merging a public part into an organization readers cannot see
    leaves no name or link of either on the old parent's page."""
    from people.merging import merge_entities

    parent = make_organization("Parent Union", public_profile=True)
    part = make_organization("Old Part Name", parent=parent, public_profile=True)
    survivor = make_organization("Survivor Secret", parent=parent)
    hide(survivor, "draft")
    merge_entities(survivor=survivor, duplicates=[part])
    page = reader.get(parent.get_absolute_url()).content.decode()
    assert "Survivor Secret" not in page and "Old Part Name" not in page
    assert reader.get(part.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("prefix", PREFIXES)
def test_family_query_count_is_constant(client, prefix):
    """The page costs the same number of queries with 1 part or 25, in each
    language (localized names are read with the parts, never one query per part)."""
    parent = make_organization("Root Org", name_be="Корань", name_ru="Корень", public_profile=True)
    shown = make_organization("Trunk Org", parent=parent, public_profile=True)
    make_organization("Branch 0", name_be="Галіна 0", parent=shown, public_profile=True)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(prefix + shown.get_absolute_url()).status_code == 200
        return len(queries)

    from django.core.cache import cache

    cache.clear()
    one = count()
    for n in range(1, 25):
        make_organization(f"Branch {n}", name_ru=f"Ветка {n}", parent=shown, public_profile=True)
    cache.clear()
    assert count() == one


# --- The sensitive-person index ---------------------------------------------------------------


def test_sensitive_people_never_listed_beside_an_organization(reader):
    """A sensitive person named in the same published items as an
    organization is never in its "Often named with", its people, the home page or the people
    index, in any language, while an ordinary person is."""
    org = make_organization("Press Club", public_profile=True)
    secret = make_person("Quiet Source", sensitive=True, name_be="Ціхая крыніца")
    make_person("Loud Speaker")
    from people.models import Affiliation

    Affiliation.objects.create(person=secret, organization=org, role="source")
    for _ in range(3):
        # The text names the others; staff list the sensitive person on the item by hand.
        item = publish("<p>Press Club and Loud Speaker.</p>")
        Mention.objects.create(item=item, person=secret, source=Mention.Source.STAFF)
    for prefix in PREFIXES:
        for url in (org.get_absolute_url(), "/", "/people/", "/organizations/"):
            page = reader.get(prefix + url).content.decode()
            assert "Quiet Source" not in page and "Ціхая крыніца" not in page, (prefix, url)
            assert secret.slug not in page, (prefix, url)
        assert "Loud Speaker" in reader.get(prefix + org.get_absolute_url()).content.decode()


def test_forwarded_host_is_never_trusted_for_keys_or_links(reader):
    """A hostile X-Forwarded-Host neither enters a page's links nor gets an
    entry of its own that readers of the real host are then served (USE_X_FORWARDED_HOST off)."""
    poisoned = reader.get("/robots.txt", HTTP_X_FORWARDED_HOST="evil.example")
    assert b"evil.example" not in poisoned.content
    assert b"evil.example" not in reader.get("/robots.txt").content
    sitemap = reader.get("/sitemap.xml", HTTP_X_FORWARDED_HOST="evil.example")
    assert b"evil.example" not in sitemap.content


@pytest.mark.parametrize("url", ["/", "/digests/", "/organizations/", "/feeds/digests/"])
def test_newsroom_work_on_drafts_never_moves_a_public_etag(reader, url):
    """Saving a draft or scheduling a digest re-renders public pages (the
    generation moves) but their bytes, hence ETag and 304 answers, stay the same: a reader
    polling with If-None-Match cannot tell when the newsroom works on what they cannot see."""
    publish("<p>Public Org Alpha met.</p>")
    make_organization("Public Org Alpha", public_profile=True)
    first = reader.get(url)
    etag = first["ETag"]
    assert reader.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    draft_item = publish("<p>Secret Org Beta met.</p>", status=Status.DRAFT)
    draft_item.body = "<p>Secret Org Beta met again.</p>"
    draft_item.save()
    publish("<p>Scheduled Org Gamma.</p>", publish_at=FUTURE, date=datetime.date(2026, 1, 5))
    again = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304, "a draft changed a public page's bytes"
    assert reader.get(url)["ETag"] == etag


def test_feed_last_modified_ignores_drafts_and_scheduled_digests(reader):
    """The feed's Last-Modified (the one page that sets one) moves only with
    published content: a draft or a scheduled digest changes neither it nor the 304 a feed
    reader gets with If-Modified-Since, cold or from the cache."""
    publish("<p>Out already.</p>")
    feed = "/feeds/digests/"
    modified = reader.get(feed)["Last-Modified"]
    publish("<p>Not yet.</p>", publish_at=FUTURE)
    publish("<p>Draft.</p>", status=Status.DRAFT)
    for _round in range(2):
        assert reader.get(feed)["Last-Modified"] == modified
        assert reader.get(feed, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
