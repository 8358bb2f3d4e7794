"""The shared page cache: readers get cached public pages, never stale ones, never staff's."""

import datetime
import time

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests.models import Item, PreviewLink, Status
from digestsite.cache import FRAGMENTS_KEY, GENERATION_KEY, content_changed
from digestsite.cache_middleware import PublicPageCacheMiddleware
from people.merging import merge_entities
from tests.factories import make_digest, make_item, make_person, make_section
from tests.public_urls import PUBLIC_URLS, sample_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    """A second browser: an anonymous reader beside the signed-in staff client."""
    return Client()


def published_digest(**fields):
    digest = make_digest(**fields)
    item = make_item(make_section(digest, title="Meetings"), body="<p>First version.</p>")
    return digest, item


def test_second_request_is_served_from_cache_without_queries(reader, django_assert_num_queries):
    """A digest going viral costs the database one page render, not one per reader."""
    digest, _ = published_digest(title="Viral digest")
    first = reader.get(digest.get_absolute_url())
    with django_assert_num_queries(0):
        second = reader.get(digest.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert b"Viral digest" in second.content


def test_every_public_page_is_cached(reader, django_assert_num_queries):
    """Every page readers can reach (new ones included) is served from the cache."""
    site = sample_site()
    for name, build in PUBLIC_URLS.items():
        url = build(site)
        first = reader.get(url)
        assert first.status_code == 200, name
        with django_assert_num_queries(0):
            second = reader.get(url)
        assert second.content == first.content, name
        assert "public" in second["Cache-Control"], name
        assert second["ETag"], name


def test_editing_an_item_shows_at_once(reader):
    """Readers see a correction as soon as it is saved, not when the cache expires."""
    digest, item = published_digest()
    assert b"First version." in reader.get(digest.get_absolute_url()).content
    item.body = "<p>Corrected version.</p>"
    item.save()
    content = reader.get(digest.get_absolute_url()).content
    assert b"Corrected version." in content
    assert b"First version." not in content


def test_publishing_a_draft_shows_it_everywhere(reader, staff_client):
    """A digest published in the admin appears at once on home, archive and entity pages."""
    person = make_person("Maria Kalesnikava")
    make_digest(title="Older digest", date=datetime.date(2025, 11, 1))
    draft = make_digest(title="Fresh digest", status=Status.DRAFT, date=datetime.date(2025, 12, 30))
    make_item(make_section(draft), body="<p>Maria Kalesnikava was released.</p>")
    urls = ["/", "/digests/", "/people/", person.get_absolute_url(), draft.get_absolute_url()]
    before = [reader.get(url) for url in urls]
    assert all(b"Fresh digest" not in r.content for r in before)
    assert before[3].status_code == before[4].status_code == 404
    staff_client.post(
        "/admin/digests/digest/", {"action": "publish", "_selected_action": [draft.pk]}
    )
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert b"Fresh digest" in response.content or b"Maria Kalesnikava" in response.content, url
    assert b"Fresh digest" in reader.get("/").content
    assert b"Fresh digest" in reader.get("/digests/").content


def test_unpublishing_removes_it_everywhere(reader, staff_client):
    """A digest taken back (the admin's bulk action) is gone at once: 404, and out of lists."""
    person = make_person("Ihar Losik")
    make_digest(title="Older digest", date=datetime.date(2025, 11, 1))
    digest, _ = published_digest(title="Withdrawn digest", date=datetime.date(2025, 12, 30))
    make_item(digest.sections.get(), body="<p>Ihar Losik spoke.</p>")
    urls = ["/", "/digests/", "/people/", person.get_absolute_url()]
    for url in [*urls, digest.get_absolute_url()]:
        assert reader.get(url).status_code == 200, url
    staff_client.post(
        "/admin/digests/digest/", {"action": "unpublish", "_selected_action": [digest.pk]}
    )
    assert reader.get(digest.get_absolute_url()).status_code == 404
    assert reader.get(person.get_absolute_url()).status_code == 404
    for url in urls[:3]:
        response = reader.get(url)
        assert b"Withdrawn digest" not in response.content, url
        assert b"Ihar Losik" not in response.content, url


def test_new_alias_relinks_cached_pages(reader):
    """An alias added to a person links the name on the cached digest page and opens their page."""
    person = make_person("Pavel Latushka")
    digest, item = published_digest()
    item.body = "<p>Latushka spoke in Vilnius.</p>"
    item.save()
    assert b'class="mention"' not in reader.get(digest.get_absolute_url()).content
    assert reader.get(person.get_absolute_url()).status_code == 404
    person.aliases.create(text="Latushka")
    assert b'class="mention"' in reader.get(digest.get_absolute_url()).content
    page = reader.get(person.get_absolute_url())
    assert page.status_code == 200
    assert b"Latushka spoke in Vilnius." in page.content


def test_renamed_entity_shows_its_new_name(reader):
    """A corrected name shows on the person's page and index at once."""
    person = make_person("Ales Bialatski")
    _, item = published_digest()
    item.body = "<p>Ales Bialatski (also spelt Ales Bialiatski) was released.</p>"
    item.save()
    assert b"<h1>Ales Bialatski</h1>" in reader.get(person.get_absolute_url()).content
    assert b">Ales Bialatski<" in reader.get("/people/").content
    person.name = "Ales Bialiatski"
    person.save()
    assert b"<h1>Ales Bialiatski</h1>" in reader.get(person.get_absolute_url()).content
    assert b">Ales Bialiatski<" in reader.get("/people/").content


def test_merged_entity_answers_with_a_redirect(reader):
    """After a merge the duplicate's cached page gives way to a redirect to the survivor."""
    survivor = make_person("Viktar Babaryka")
    duplicate = make_person("Viktor Babariko")
    _, item = published_digest()
    item.body = "<p>Viktor Babariko was seen.</p>"
    item.save()
    assert reader.get(duplicate.get_absolute_url()).status_code == 200
    merge_entities(survivor=survivor, duplicates=[duplicate])
    response = reader.get(duplicate.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    assert b"Viktor Babariko was seen." in reader.get(survivor.get_absolute_url()).content


def test_scheduled_digest_appears_on_time_without_any_edit(reader, monkeypatch):
    """A digest scheduled for 9:00 is on the home page at 9:00 even if the page was cached."""
    now = timezone.now()
    make_digest(title="Earlier digest", date=datetime.date(2025, 11, 1))
    at = now + datetime.timedelta(minutes=30)
    scheduled = make_digest(
        title="Scheduled digest", publish_at=at, date=datetime.date(2025, 12, 30)
    )
    home = reader.get("/")
    assert b"Scheduled digest" not in home.content
    assert reader.get(scheduled.get_absolute_url()).status_code == 404
    max_age = int(home["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert max_age <= 30 * 60
    monkeypatch.setattr(timezone, "now", lambda: at - datetime.timedelta(seconds=1))
    assert b"Scheduled digest" not in reader.get("/").content
    monkeypatch.setattr(timezone, "now", lambda: at + datetime.timedelta(seconds=1))
    assert b"Scheduled digest" in reader.get("/").content
    assert reader.get(scheduled.get_absolute_url()).status_code == 200


def test_public_pages_tell_shared_caches_how_long_to_keep_them(reader):
    """A CDN may keep public pages briefly and must revalidate them by ETag."""
    published_digest()
    for response in (reader.get("/"), reader.get("/")):
        control = response["Cache-Control"]
        assert "public" in control
        assert "max-age=" in control and "s-maxage=" in control
        assert "stale-while-revalidate=" in control
        assert "Cookie" in response["Vary"]
        assert response["ETag"].startswith('"')


def test_conditional_get_answers_not_modified(reader, django_assert_num_queries):
    """A browser that already has the page gets a bodiless 304; a changed page is sent again."""
    digest, item = published_digest()
    url = digest.get_absolute_url()
    etag = reader.get(url)["ETag"]
    with django_assert_num_queries(0):
        response = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    item.body = "<p>Changed.</p>"
    item.save()
    response = reader.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_every_precondition_is_answered_on_cached_pages(reader, django_assert_num_queries):
    """A cached page answers each of the four preconditions browsers, CDNs and feed readers
    send as a fresh one does: If-None-Match and If-Modified-Since with a 304, a failed
    If-Match or If-Unmodified-Since with a 412."""
    digest, _ = published_digest()
    page, feed = digest.get_absolute_url(), "/feeds/digests/"
    etag = reader.get(page)["ETag"]
    modified = reader.get(feed)["Last-Modified"]
    with django_assert_num_queries(0):
        assert reader.get(page, HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert reader.get(page, HTTP_IF_MATCH='"another-version"').status_code == 412
        assert reader.get(page, HTTP_IF_MATCH=etag).status_code == 200
        assert reader.get(feed, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        past = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert reader.get(feed, HTTP_IF_UNMODIFIED_SINCE=past).status_code == 412
        assert reader.get(feed, HTTP_IF_UNMODIFIED_SINCE=modified).status_code == 200


def test_head_requests_are_answered(reader, django_assert_num_queries):
    """HEAD (link checkers, CDNs) gets the page's headers, from the cache once warm."""
    digest, _ = published_digest()
    url = digest.get_absolute_url()
    first = reader.head(url)
    assert first.status_code == 200
    assert first.content == b""
    etag = reader.get(url)["ETag"]
    with django_assert_num_queries(0):
        second = reader.head(url)
    assert second.status_code == 200
    assert second["ETag"] == etag
    assert second.content == b""


def test_security_headers_are_on_cached_pages(reader, settings):
    """Cache hits carry the same CSP, referrer policy and onion address as fresh pages."""
    settings.ONION_LOCATION = "http://digestabcdefghijklmnop.onion"
    digest, _ = published_digest()
    url = digest.get_absolute_url()
    fresh, cached = reader.get(url), reader.get(url)
    for name in (
        "Content-Security-Policy",
        "Referrer-Policy",
        "Onion-Location",
        "X-Frame-Options",
        "X-Content-Type-Options",
    ):
        assert cached[name] == fresh[name], name
    assert cached["Onion-Location"] == settings.ONION_LOCATION + url


def test_hosts_and_query_strings_have_their_own_entries(reader):
    """A page reached through another host name or query is never served another's copy."""
    first = reader.get("/robots.txt", HTTP_HOST="localhost")
    second = reader.get("/robots.txt", HTTP_HOST="testserver")
    assert b"http://localhost/sitemap.xml" in first.content
    assert b"http://testserver/sitemap.xml" in second.content
    assert b"https://testserver/sitemap.xml" in reader.get("/robots.txt", secure=True).content
    assert b"http://testserver/sitemap.xml" in reader.get("/robots.txt").content
    for n in range(21):
        make_digest(
            title=f"Digest number {n}", date=datetime.date(2025, 1, 1) + datetime.timedelta(n)
        )
    assert reader.get("/digests/").content != reader.get("/digests/?page=2").content


@pytest.mark.parametrize("query", ["?utm_source=telegram", "?fbclid=IwAR0x", "?page=2&x=1"])
def test_pages_under_unknown_parameters_are_answered_but_never_stored(
    reader, django_assert_num_queries, query
):
    """Tracking tags and cache-busting junk get the page, rendered; the shared cache keeps
    none of it (a stream of made-up addresses cannot push readers' pages out of it)."""
    for n in range(21):
        make_digest(title=f"Digest {n}", date=datetime.date(2025, 1, 1) + datetime.timedelta(n))
    first = reader.get(f"/digests/{query}")
    assert first.status_code == 200 and b"Digest" in first.content
    assert "public" in first["Cache-Control"] and first["ETag"]
    with CaptureQueriesContext(connection) as again:
        assert reader.get(f"/digests/{query}").content == first.content
    assert len(again) > 0  # rendered again, not served from the cache


@pytest.mark.parametrize(
    "query", ["?page=2", "?q=Latushka", "?q=prisoners&date_from=2025-01-01&page=1"]
)
def test_pages_under_their_own_parameters_are_stored(reader, django_assert_num_queries, query):
    for n in range(21):
        make_digest(title=f"Digest {n}", date=datetime.date(2025, 1, 1) + datetime.timedelta(n))
    url = ("/digests/" if query == "?page=2" else "/search/") + query
    first = reader.get(url)
    with django_assert_num_queries(0):
        assert reader.get(url).content == first.content


def test_draft_shown_to_staff_is_never_served_to_readers(reader, staff_client):
    """Staff previewing a draft at its public address must not put it in the readers' cache."""
    draft = make_digest(title="Draft digest", status=Status.DRAFT)
    make_item(make_section(draft), body="<p>Not for readers.</p>")
    staff_view = staff_client.get(draft.get_absolute_url())
    assert staff_view.status_code == 200
    assert "no-store" in staff_view["Cache-Control"]
    assert "public" not in staff_view["Cache-Control"]
    response = reader.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert b"Not for readers." not in response.content


def test_staff_never_get_or_fill_the_readers_cache(reader, staff_client):
    """Staff always see the current page, and what they see is kept from shared caches."""
    digest, _ = published_digest()
    url = digest.get_absolute_url()
    reader.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(url)
    assert len(queries) > 0
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    staff_client.get("/people/")
    with CaptureQueriesContext(connection) as queries:
        reader.get("/people/")
    assert len(queries) > 0


def test_preview_links_are_never_cached(reader):
    """A revoked preview link stops working at once: nothing of it was cached."""
    draft = make_digest(title="Reviewed draft", status=Status.DRAFT)
    link = PreviewLink.objects.create(digest=draft)
    first = reader.get(link.get_absolute_url())
    assert first.status_code == 200
    assert "no-store" in first["Cache-Control"]
    assert "public" not in first["Cache-Control"]
    PreviewLink.objects.filter(pk=link.pk).update(revoked=True)
    assert reader.get(link.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url", ["/admin/login/", "/healthz"])
def test_admin_and_health_check_are_never_cached(reader, url):
    """Staff pages and the health check always answer live, and no CDN keeps them."""
    reader.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = reader.get(url)
    assert "public" not in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    if url == "/healthz":
        assert len(queries) > 0


def test_responses_that_set_cookies_are_never_stored():
    """A cookie meant for one visitor is never handed to the next."""
    calls = []

    def view(request):
        calls.append(request)
        response = HttpResponse("hello")
        response.set_cookie("visitor", str(len(calls)))
        return response

    middleware = PublicPageCacheMiddleware(view)
    first = middleware(RequestFactory().get("/"))
    second = middleware(RequestFactory().get("/"))
    assert len(calls) == 2
    assert first.cookies["visitor"].value == "1"
    assert second.cookies["visitor"].value == "2"
    assert "public" not in second.get("Cache-Control", "")


def test_errors_are_never_stored():
    """A passing failure (a 500) is not kept and served to every later reader."""
    outcomes = iter([HttpResponse("boom", status=500), HttpResponse("fine")])
    middleware = PublicPageCacheMiddleware(lambda request: next(outcomes))
    assert middleware(RequestFactory().get("/")).status_code == 500
    assert middleware(RequestFactory().get("/")).content == b"fine"


def test_bulk_changes_call_content_changed(reader):
    """Writes that bypass model signals (bulk updates) still refresh pages once announced."""
    digest, item = published_digest()
    reader.get(digest.get_absolute_url())
    Item.objects.filter(pk=item.pk).update(body_html="<p>Bulk edit.</p>")
    assert b"Bulk edit." not in reader.get(digest.get_absolute_url()).content
    content_changed()
    assert b"Bulk edit." in reader.get(digest.get_absolute_url()).content


@pytest.fixture
def shared_and_local(settings):
    """The production layout: a shared cache (Redis there) and each process's own copies."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"},
        "pages-local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "l",
        },
    }
    yield
    for alias in ("default", "pages-local"):
        caches[alias].clear()


def test_local_copies_are_never_stale(reader, shared_and_local, django_assert_num_queries):
    """With Redis and per-process copies, a correction still shows at once and a repeat
    visit is served from this process's copy without the database."""
    digest, item = published_digest()
    assert b"First version." in reader.get(digest.get_absolute_url()).content
    assert caches["pages-local"]._cache  # this process kept a copy
    with django_assert_num_queries(0):
        assert b"First version." in reader.get(digest.get_absolute_url()).content
    item.body = "<p>Corrected version.</p>"
    item.save()
    content = reader.get(digest.get_absolute_url()).content
    assert b"Corrected version." in content and b"First version." not in content


def test_local_copies_respect_the_schedule(reader, shared_and_local, monkeypatch):
    """Per-process copies do not hold back a scheduled digest past its time."""
    at = timezone.now() + datetime.timedelta(minutes=30)
    make_digest(title="Scheduled digest", publish_at=at, date=datetime.date(2025, 12, 30))
    assert b"Scheduled digest" not in reader.get("/").content
    monkeypatch.setattr(timezone, "now", lambda: at + datetime.timedelta(seconds=1))
    assert b"Scheduled digest" in reader.get("/").content


@pytest.fixture
def files_and_local(settings, tmp_path):
    """Production without Redis: a file cache that every worker process on the machine
    shares, and each process's own copies of pages."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
        "pages-local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "l",
        },
    }
    yield tmp_path / "cache"
    for alias in ("default", "pages-local"):
        caches[alias].clear()


def test_edit_by_another_worker_shows_within_a_second(reader, files_and_local, monkeypatch):
    """An editor's save handled by another gunicorn worker reaches this worker's readers
    within PUBLIC_CACHE_COUNTER_SECONDS, not after the cache timeout."""
    digest, item = published_digest()
    assert b"First version." in reader.get(digest.get_absolute_url()).content

    # Another process: it writes the item and moves the counters in the shared files, as
    # content_changed() does there (the generation, and the version of every kept part).
    Item.objects.filter(pk=item.pk).update(body_html="<p>Edited elsewhere.</p>")
    other_worker = FileBasedCache(str(files_and_local), {})
    for key in (GENERATION_KEY, FRAGMENTS_KEY):
        other_worker.set(key, other_worker.get(key) + 1, timeout=None)

    later = time.monotonic() + settings.PUBLIC_CACHE_COUNTER_SECONDS + 0.1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    content = reader.get(digest.get_absolute_url()).content
    assert b"Edited elsewhere." in content and b"First version." not in content


def test_bumps_in_a_file_cache_never_repeat_a_number(files_and_local):
    """Two workers bumping the generation at the same moment cannot both write the same
    number (the file cache has no atomic increment)."""
    from digestsite.cache import _bump

    first = _bump(GENERATION_KEY)
    other_worker = FileBasedCache(str(files_and_local), {})
    other_worker.set(GENERATION_KEY, first - 5, timeout=None)  # a slower worker's stale write
    assert _bump(GENERATION_KEY) > first


def test_cache_headers_do_not_reveal_the_next_publication(reader):
    """Nobody can read from a page's headers when the next digest is scheduled to appear."""
    published_digest()
    plain = reader.get("/")["Cache-Control"]
    make_digest(
        title="Scheduled digest",
        publish_at=timezone.now() + datetime.timedelta(seconds=44),
        date=datetime.date(2025, 12, 30),
    )
    for response in (reader.get("/"), reader.get("/")):
        assert response["Cache-Control"] == plain
        assert f"max-age={settings.PUBLIC_CACHE_MAX_AGE}" in plain
        assert "Expires" not in response


@pytest.mark.django_db(transaction=True)
def test_rolled_back_write_never_sets_the_next_publication(client):
    """A staff preview of a waiting change (written, then rolled back) leaves the cached time
    of the next publication right: a scheduled digest appears on time."""
    import datetime

    from django.utils import timezone

    from digests.models import Status
    from digests.moderation import applied, snapshot
    from digestsite.cache import SCHEDULE_KEY, _counter, next_publication_time
    from tests.factories import make_digest

    soon = timezone.now() + datetime.timedelta(seconds=45)
    digest = make_digest(status=Status.PUBLISHED, publish_at=soon)
    make_digest(status=Status.PUBLISHED, publish_at=soon + datetime.timedelta(days=3))
    client.get("/digests/")
    data = snapshot(digest.pk)
    row = next(r for r in data["objects"] if r["model"] == "digests.digest")
    row["fields"].update(status=Status.DRAFT, publish_at=None)
    with applied(data):  # what a staff preview of a waiting change does
        pass
    now = timezone.now()
    assert (
        next_publication_time(now, _counter(SCHEDULE_KEY))
        == soon.replace(microsecond=0).timestamp()
    )


def test_unknown_host_gets_djangos_400_without_touching_the_cache(client, caplog):
    """The page cache comes first in the stack: a Host not in ALLOWED_HOSTS still gets
    Django's 400, and the cache neither keys it nor logs itself as unavailable."""
    response = client.get("/", HTTP_HOST="unknown.example")
    assert response.status_code == 400
    assert "page cache" not in caplog.text
