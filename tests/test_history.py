"""The History tells the truth: saves record what editors changed, in the words they know."""

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from digests.models import Digest, Item
from tests.browser import change_form_data
from tests.factories import make_digest, make_item, make_person, make_section

pytestmark = pytest.mark.django_db

# As CKEditor 5 hands back `<p>First.</p><p>Second&nbsp;line<br>here.</p>` after loading it.
STORED = "<p>First.</p>\n<p>Second\u00a0line<br/>\nhere.</p>"
RESERIALISED = "<p>First.</p><p>Second&nbsp;line<br>here.</p>"


def last_change(obj) -> str:
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).latest("action_time")
    return entry.get_change_message()


@pytest.mark.parametrize("kind", ["digest", "person", "organization", "item"])
def test_saving_unchanged_records_no_change(kind, staff_client):
    """Staff press Save without changing anything: the History says no fields changed, and
    never lists the form's hidden bookkeeping ("Loaded at")."""
    from tests.factories import make_organization

    record = {
        "digest": lambda: make_digest(title="Quiet digest"),
        "person": lambda: make_person("Pavel Latushka"),
        "organization": lambda: make_organization("Example Council"),
        "item": lambda: make_item(make_section(make_digest()), body="<p>Text.</p>"),
    }[kind]()
    meta = record._meta
    url = f"/admin/{meta.app_label}/{meta.model_name}/{record.pk}/change/"
    response = staff_client.post(url, change_form_data(staff_client, url))
    assert response.status_code == 302
    assert last_change(record) == "No fields changed."


def test_refusal_names_fields_as_editors_know_them(django_user_model, staff_client):
    """The refusal says what the other editor changed in the form's own labels; the hidden
    bookkeeping field, which older history entries list, is never named."""
    digest = make_digest(title="Shared digest")
    url = f"/admin/digests/digest/{digest.pk}/change/"
    form = change_form_data(staff_client, url)
    other = django_user_model.objects.create_user("anna", first_name="Anna", last_name="Editor")
    digest.lead = "Changed meanwhile"
    digest.save()
    LogEntry.objects.log_actions(
        user_id=other.pk,
        queryset=[digest],
        action_flag=2,
        change_message=json.dumps([{"changed": {"fields": ["Lead", "Loaded at"]}}]),
        single_object=True,
    )
    response = staff_client.post(url, {**form, "lead": "Mine"})
    errors = " ".join(str(e) for e in response.context["adminform"].form.non_field_errors())
    assert "Anna Editor changed it" in errors and "Changed Lead." in errors
    assert "Loaded at" not in errors and "loaded_at" not in errors


def test_reserialised_item_body_is_not_a_change(staff_client):
    """Saving an item whose text the editor merely re-serialised records no "Changed Text"
    and stores nothing new; a real change to the text still is recorded."""
    item = make_item(make_section(make_digest()), body=STORED)
    stored = Item.objects.get().body
    assert stored == RESERIALISED
    url = f"/admin/digests/item/{item.pk}/change/"
    for body in (RESERIALISED, STORED, "<p>First.</p>\r\n\r\n<p>Second&#160;line<br />here.</p>"):
        form = change_form_data(staff_client, url)
        assert staff_client.post(url, {**form, "body": body}).status_code == 302
        assert last_change(item) == "No fields changed."
        assert Item.objects.get().body == stored
    form = change_form_data(staff_client, url)
    assert staff_client.post(url, {**form, "body": "<p>First.</p><p>Third.</p>"}).status_code == 302
    assert last_change(item) == "Changed Text."


def test_reserialised_body_on_the_digest_page_is_not_a_change(staff_client):
    """On the digest's page, an item body the editor re-serialised is not saved as changed."""
    digest = make_digest()
    make_item(make_section(digest), body=STORED)
    url = f"/admin/digests/digest/{digest.pk}/change/"
    form = change_form_data(staff_client, url)
    response = staff_client.post(url, {**form, "sections-0-items-0-body": STORED.replace("\n", "")})
    assert response.status_code == 302
    assert last_change(Digest.objects.get()) == "No fields changed."


def test_reserialised_biography_is_not_a_change(staff_client):
    """The same holds for a person's biography."""
    person = make_person("Pavel Latushka", bio="<p>Born in Minsk.</p>\n<p>Lawyer.</p>")
    url = f"/admin/people/person/{person.pk}/change/"
    form = change_form_data(staff_client, url)
    response = staff_client.post(url, {**form, "bio": "<p>Born in Minsk.</p><p>Lawyer.</p>"})
    assert response.status_code == 302
    assert last_change(person) == "No fields changed."


def test_migration_stores_existing_texts_canonically():
    """Texts stored before the canonical form are rewritten once, so their first save after
    the upgrade is not recorded as a change; their rendered HTML is left alone."""
    from importlib import import_module

    from django.apps import apps

    item = make_item(make_section(make_digest()), body="<p>a</p><p>b</p>")
    person = make_person("Pavel Latushka", bio="<p>c</p>")
    Item.objects.filter(pk=item.pk).update(body=STORED, body_html="<p>as rendered</p>")
    type(person).objects.filter(pk=person.pk).update(bio="<p>c</p>\n<p>d</p>")
    import_module("digests.migrations.0012_canonical_item_bodies").canonical_bodies(apps, None)
    import_module("people.migrations.0005_canonical_bios").canonical_bios(apps, None)
    item.refresh_from_db()
    person.refresh_from_db()
    assert (item.body, item.body_html) == (RESERIALISED, "<p>as rendered</p>")
    assert person.bio == "<p>c</p><p>d</p>"
