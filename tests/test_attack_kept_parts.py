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

from digests.models import Digest, Item, Section, SocialMetric
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
    urls = [
        d.get_absolute_url() + suffix for d in Digest.objects.filter(pk__in=[d.pk for d in digests])
    ]
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
    for model, stored in rows.items():
        for pk, *columns in stored:
            values = dict(zip(LINKED_COLUMNS[model], columns, strict=True))
            model.objects.filter(pk=pk).update(**values)


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


# The doors that held: each write, then every reader's page equals the page from scratch


def post_form(client, url, **changes):
    form = change_form_data(client, url)
    form.update(changes)
    response = client.post(url, form)
    assert response.status_code == 302, response.content[:2000]


def edit_item_on_the_digest_page(site, staff):
    url = f"/admin/digests/digest/{site['digest'].pk}/change/"
    post_form(staff, url, **{"sections-0-items-0-body": "<p>Rewritten by the desk.</p>"})


def move_item_to_another_digest(site, staff):
    url = f"/admin/digests/item/{site['item'].pk}/change/"
    post_form(staff, url, section=str(site["other_section"].pk))


def move_section_to_another_digest(site, staff):
    post_form(
        staff, f"/admin/digests/section/{site['section'].pk}/change/", digest=site["other"].pk
    )


def move_figure_to_another_digest(site, staff):
    url = f"/admin/digests/socialmetric/{site['metric'].pk}/change/"
    post_form(staff, url, digest=str(site["other"].pk), item="")


def delete_items_in_bulk(site, staff):
    items = [site["item"].pk, site["other_item"].pk]
    data = {"action": "delete_selected", "_selected_action": items, "post": "yes"}
    assert staff.post("/admin/digests/item/", data).status_code == 302


def delete_a_section(site, staff):
    url = f"/admin/digests/section/{site['section'].pk}/delete/"
    assert staff.post(url, {"post": "yes"}).status_code == 302


def unpublish_and_publish_a_translation(site, staff):
    version = make_digest(title="Панядзелак", language="be", translation_of=site["digest"])
    page(version.get_absolute_url())
    staff.post("/admin/digests/digest/", {"action": "unpublish", "_selected_action": [version.pk]})
    assert_current(site["digest"], suffix=JUNK)
    staff.post("/admin/digests/digest/", {"action": "publish", "_selected_action": [version.pk]})


def delete_a_translation(site, staff):
    version = make_digest(title="Панядзелак", language="be", translation_of=site["digest"])
    page(site["digest"].get_absolute_url())
    url = f"/admin/digests/digest/{version.pk}/delete/"
    assert staff.post(url, {"post": "yes"}).status_code == 302


def restore_an_item_from_history(site, staff):
    item = site["item"]
    with reversion.create_revision():
        item.body = "<p>Second wording.</p>"
        item.save()
    warm(site["digest"])
    old = Version.objects.get_for_object(item).order_by("pk").first()
    post_form(staff, f"/admin/digests/item/{item.pk}/history/{old.pk}/")


def restore_a_digest_from_history(site, staff):
    digest = site["digest"]
    with reversion.create_revision():
        Item.objects.filter(pk=site["item"].pk).update(body_html="<p>Changed.</p>")
        digest.save()
    content_changed()
    warm(digest)
    old = Version.objects.get_for_object(digest).order_by("pk").first()
    post_form(staff, f"/admin/digests/digest/{digest.pk}/history/{old.pk}/")


def recover_a_deleted_item(site, staff):
    with reversion.create_revision():
        Item.objects.get(pk=site["item"].pk).delete()
    warm(site["digest"])
    deleted = Version.objects.get_deleted(Item).get()
    post_form(staff, f"/admin/digests/item/recover/{deleted.pk}/")


def flag_a_person_at_risk(site, staff):
    post_form(staff, f"/admin/people/person/{site['person'].pk}/change/", sensitive="on")


def change_a_person_s_address(site, staff):
    post_form(staff, f"/admin/people/person/{site['person'].pk}/change/", slug="p-latushka")


def merge_two_people(site, staff):
    duplicate = make_person("Павел Латушка")
    item = Item.objects.get(pk=site["other_item"].pk)
    item.body = "<p>Павел Латушка welcomed it.</p>"
    item.save()
    warm(site["digest"], site["other"])
    merge_entities(survivor=duplicate, duplicates=[site["person"]])


def rename_a_topic(site, staff):
    tag = Tag.objects.get(name="diplomacy")
    post_form(staff, f"/admin/taggit/tag/{tag.pk}/change/", name="foreign relations")


def delete_a_topic(site, staff):
    tag = Tag.objects.get(name="diplomacy")
    assert staff.post(f"/admin/taggit/tag/{tag.pk}/delete/", {"post": "yes"}).status_code == 302


def suppress_a_mention(site, staff):
    url = f"/admin/digests/item/{site['item'].pk}/change/"
    form = change_form_data(staff, url)
    form.update({k: "suppressed" for k in form if k.endswith("-source")})
    assert staff.post(url, form).status_code == 302


def change_a_digest_s_address(site, staff):
    post_form(staff, f"/admin/digests/digest/{site['digest'].pk}/change/", slug="monday")


def approve_an_editor_s_change(site, staff):
    """An Editor moves an item out of a published digest: it waits; a Publisher approves."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from digests.models import PendingChange
    from digests.moderation import approve

    user = get_user_model().objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    editor = Client()
    editor.force_login(user)
    url = f"/admin/digests/item/{site['item'].pk}/change/"
    post_form(editor, url, section=str(site["other_section"].pk), body="<p>Moved on.</p>")
    assert b"A meeting" in page(site["digest"].get_absolute_url() + JUNK)
    changes = list(PendingChange.objects.awaiting())
    assert changes
    for change in changes:
        approve(change, user=get_user_model().objects.get(username="chief"))
    assert b"A meeting" not in page(site["digest"].get_absolute_url() + JUNK)


def reimport_with_replace(site, staff):
    from digests.importing import parse_digest, save_digest

    path = "tests/fixtures/import/several-metrics.txt"
    with open(path, "rb") as f:
        parsed = parse_digest(f.read(), filename="x.txt")
    first = save_digest(parsed, source="x.txt", publish=True).digest
    warm(first)
    parsed.sections[0].items[0].html = "<p>Pavel Latushka, re-imported.</p>"
    save_digest(parsed, source="x.txt", publish=True, replace=True)
    assert_current(first, suffix=JUNK)


def tag_an_item_and_name_people_in_a_figure(site, staff):
    url = f"/admin/digests/digest/{site['digest'].pk}/change/"
    post_form(staff, url, **{"sections-0-items-0-tags": "prisoners"})
    url = f"/admin/digests/socialmetric/{site['metric'].pk}/change/"
    post_form(staff, url, people=[], topic="A speech")


@pytest.mark.parametrize(
    "door",
    [
        tag_an_item_and_name_people_in_a_figure,
        edit_item_on_the_digest_page,
        move_item_to_another_digest,
        move_section_to_another_digest,
        move_figure_to_another_digest,
        delete_items_in_bulk,
        delete_a_section,
        unpublish_and_publish_a_translation,
        delete_a_translation,
        restore_an_item_from_history,
        restore_a_digest_from_history,
        recover_a_deleted_item,
        flag_a_person_at_risk,
        change_a_person_s_address,
        merge_two_people,
        rename_a_topic,
        delete_a_topic,
        suppress_a_mention,
        change_a_digest_s_address,
        approve_an_editor_s_change,
        reimport_with_replace,
    ],
)
def test_doors_that_held(site, staff_client, door):
    warm(site["digest"], site["other"])
    door(site, staff_client)
    for suffix in (JUNK, ""):
        assert_current(site["digest"], site["other"], suffix=suffix)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_HOST": "localhost"},
        {"HTTP_HOST": "testserver:8443"},
        {"HTTP_HOST": "TESTSERVER"},
        {"HTTP_X_FORWARDED_PROTO": "https"},
        {"HTTP_X_FORWARDED_HOST": "evil.example"},
        {"HTTP_IF_NONE_MATCH": '"x"'},
        {"HTTP_ACCEPT_LANGUAGE": "be", "HTTP_COOKIE": "django_language=ru"},
    ],
)
@pytest.mark.parametrize("method", ["get", "head"])
@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_a_hostile_reader_stores_no_part_others_get(site, headers, method):
    """Whatever a reader's request says about host, scheme, language or caches, the parts it
    leaves are never what another reader gets in place of their own page."""
    url = site["digest"].get_absolute_url()
    for suffix in ("", JUNK, "?pending=1"):
        getattr(Client(), method)(url + suffix, **headers)
    assert_current(site["digest"])
    assert_current(site["digest"], suffix=JUNK)


def test_a_signed_in_reader_who_is_not_staff_gets_the_readers_page(site, django_user_model):
    url = site["digest"].get_absolute_url()
    make_section(site["digest"], title="Nothing yet")  # readers never see an empty section
    member = Client()
    member.force_login(django_user_model.objects.create_user("reader"))
    assert member.get(url).content == from_scratch(url)
    assert_current(site["digest"])


def test_other_language_prefixes_send_readers_to_the_digest_s_own(site):
    url = site["digest"].get_absolute_url()
    for prefix in ("/be", "/ru"):
        assert Client().get(prefix + url).status_code == 301
    assert_current(site["digest"])
