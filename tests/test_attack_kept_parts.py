"""Every door an editor, a publisher or a hostile reader has to a digest page's kept parts
(digests.kept_parts): after any write, the page a reader gets equals the page rendered with
nothing kept, at its address and with a query parameter the page cache never stores.

The doors that held are kept here too, compactly, so that they stay held.
"""

import threading

import pytest
import reversion
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.test import Client, override_settings
from reversion.models import Version
from taggit.models import Tag

from digests.models import Digest, Item, Section, SocialMetric, Status
from digestsite import cache as page_cache
from digestsite.cache import content_changed, forget_counters, fragment_version
from people.merging import merge_entities
from tests.browser import change_form_data
from tests.factories import make_digest, make_item, make_metric, make_person, make_section

pytestmark = pytest.mark.django_db

JUNK = "?utm_source=x"  # rendered, never stored by the page cache: only kept parts are reused


def page(url) -> bytes:
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content


def from_scratch(url) -> bytes:
    cache.clear()
    forget_counters()
    return page(url)


def assert_current(*digests, suffix=""):
    """Each digest's page as a reader gets it now is the page rendered with nothing kept."""
    urls = [d.get_absolute_url() + suffix for d in Digest.objects.filter(pk__in=[d.pk for d in digests])]
    kept = {url: page(url) for url in urls}
    for url in urls:
        assert kept[url] == from_scratch(url), url


def warm(*digests):
    for digest in digests:
        for suffix in ("", JUNK):
            page(digest.get_absolute_url() + suffix)


@pytest.fixture
def site():
    with reversion.create_revision():
        person = make_person("Pavel Latushka")
        digest = make_digest(title="Monday digest", lead="Pavel Latushka speaks.")
        section = make_section(digest, title="Meetings")
        item = make_item(section, title="A meeting", body="<p>Pavel Latushka met diplomats.</p>")
        digest.tags.add("diplomacy")
        metric = make_metric(digest, item=item, views=1200, topic="A speech by Pavel Latushka")
        other = make_digest(title="Tuesday digest")
        other_section = make_section(other, title="Releases")
        other_item = make_item(
            other_section, title="A release", body="<p>Pavel Latushka welcomed it.</p>"
        )
    return {
        "person": person,
        "digest": digest,
        "section": section,
        "item": item,
        "metric": metric,
        "other": other,
        "other_section": other_section,
        "other_item": other_item,
    }


# What a reader notices


@pytest.mark.django_db(transaction=True)
def test_another_request_committing_leaves_this_write_s_parts_to_its_own_commit():
    """Two editors' requests in threads of one process (GUNICORN_THREADS): the one that
    commits first must not take the other's digests with it, or a reader who renders the
    other digest before that other write commits keeps its old text after the commit."""
    digest = make_digest(title="Monday digest")
    item = make_item(make_section(digest, title="Meetings"), title="A meeting")
    with transaction.atomic():
        item.title = "Retracted"
        item.save()
        # Another thread's request commits its own write (a digest of its own) meanwhile.
        other = threading.Thread(target=page_cache._parts_changed_now)
        other.start()
        other.join()
        # A reader renders now: the write is not committed, the reader keeps the old title.
        seen_by_reader = fragment_version(digest.kept_scope)
    assert fragment_version(digest.kept_scope) != seen_by_reader


LINKED_COLUMNS = {
    Digest: ["lead_html"],
    Section: ["title_html"],
    Item: ["title_html", "caption_html", "body_html"],
    SocialMetric: ["topic_html"],
}


def linked_rows() -> dict:
    return {m: list(m.objects.values_list("pk", *cols)) for m, cols in LINKED_COLUMNS.items()}


def replay(rows: dict) -> None:
    """Put rows as `rows` has them, as streaming replication does: no model signal."""
    for model, values in rows.items():
        for pk, *columns in values:
            model.objects.filter(pk=pk).update(**dict(zip(LINKED_COLUMNS[model], columns)))


@pytest.fixture
def lagging_replica():
    """Readers' pages read from a replica (DATABASE_REPLICA_URL), here the same database."""
    connections["replica"] = connections["default"]
    try:
        with override_settings(
            DATABASE_ROUTERS=["digestsite.routers.PrimaryReplicaRouter"],
            MIDDLEWARE=["digestsite.routers.ReplicaReadsMiddleware", *settings.MIDDLEWARE],
        ):
            yield
    finally:
        del connections["replica"]


@pytest.mark.django_db(transaction=True)
def test_a_page_read_from_a_lagging_replica_keeps_no_part(lagging_replica):
    """A person is flagged at risk: the primary unlinks the name and the versions move at
    once, but the replica replays the change a moment later. A reader who renders in between
    sees the old links; once the replica has caught up nobody may get them any more."""
    person = make_person("Pavel Latushka")
    digest = make_digest(title="Monday digest")
    make_item(make_section(digest), title="A meeting", body="<p>Pavel Latushka met them.</p>")
    url = digest.get_absolute_url() + JUNK
    link = person.get_absolute_url().encode()
    assert link in page(url)
    before = linked_rows()
    person.sensitive = True
    person.save()  # on the primary: committed, every version moved
    after = linked_rows()
    replay(before)  # what the replica still shows
    assert link in page(url)
    replay(after)  # the replica catches up
    assert link not in page(url)
    assert page(url) == from_scratch(url)
