import io
import json

import pytest
from django.contrib.auth.models import Permission
from PIL import Image

from digests.models import Digest, Item, Status
from people.models import Alias, Person
from tests.factories import image_bytes, image_upload, make_digest, make_organization, make_person
from tests.test_images import GPS_IFD, exif_with_gps

pytestmark = pytest.mark.django_db


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def digest_post(sections):
    """POST data for the one-page digest form: `sections` is [(title, [item bodies])]."""
    data = {
        "title": "News digest 2 January 2026",
        "slug": "news-digest-2-january-2026",
        "date": "2026-01-02",
        "lead": "Two sections, three items.",
        "tags": "prisoners, meetings",
        "status": Status.DRAFT,
        "publish_at_0": "",
        "publish_at_1": "",
        **management("sections", len(sections)),
        **management("metrics", 0),
        **management("preview_links", 0),
    }
    for s, (title, bodies) in enumerate(sections):
        prefix = f"sections-{s}"
        data.update({f"{prefix}-title": title, f"{prefix}-order": str(s), f"{prefix}-anchor": ""})
        data.update(management(f"{prefix}-items", len(bodies)))
        for i, body in enumerate(bodies):
            item = f"{prefix}-items-{i}"
            data.update({f"{item}-body": body, f"{item}-order": str(i), f"{item}-title": ""})
    return data


def test_control_characters_typed_in_admin_are_not_stored(staff_client):
    """Control characters pasted into the admin (which break feeds) are dropped on save;
    line breaks and tabs stay."""
    data = digest_post([("Meet\x1bings", ["<p>First\x0b story\x7f.</p>"])])
    data["lead"] = "Two\x0b items,\ttabbed\r\nand\x85 more."
    response = staff_client.post("/admin/digests/digest/add/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    digest = Digest.objects.get()
    assert digest.lead == "Two items,\ttabbed\r\nand more."
    section = digest.sections.get()
    assert section.title == "Meetings"
    item = section.items.get()
    assert (item.body, item.search_text) == ("<p>First story.</p>", "First story.")
    person = {
        "name": "Maria\x1b Kalesnikava",
        "slug": "",
        **management("aliases", 1),
        "aliases-0-text": "Maryja\x0c Kalesnikava",
        **management("affiliations", 0),
        **management("links", 0),
    }
    response = staff_client.post("/admin/people/person/add/", person)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert sorted(Alias.objects.values_list("text", flat=True)) == [
        "Maria Kalesnikava",
        "Maryja Kalesnikava",
    ]


def test_names_differing_only_by_control_characters_clash_in_admin(staff_client):
    """A name that differs from a registered one only by a pasted control character (or is
    nothing else) is refused with a message on the form, not a server error."""
    make_person("Maria Kalesnikava")
    for alias in ("Maria\x1b Kalesnikava", "\x1b\x7f"):
        person = {
            "name": "Maryja Kalesnikava",
            "slug": "",
            **management("aliases", 1),
            "aliases-0-text": alias,
            **management("affiliations", 0),
            **management("links", 0),
        }
        response = staff_client.post("/admin/people/person/add/", person)
        assert response.status_code == 200
        assert response.context["errors"], alias
    response = staff_client.post(
        "/admin/people/organization/add/",
        {
            "name": "Maria\x1b Kalesnikava",
            "slug": "",
            **management("aliases", 0),
            **management("affiliations", 0),
        },
    )
    assert response.status_code == 200
    assert "already belongs to" in response.content.decode()
    assert Person.objects.count() == 1


def test_staff_compose_whole_digest_on_one_page(staff_client):
    """An editor writes a digest with two sections and three items in one form, in order."""
    data = digest_post(
        [
            ("Releases", ["<p>First <strong>release</strong>.</p>", "<p>Second story.</p>"]),
            (
                "Meetings",
                ['<p>A meeting<script>alert(1)</script> in <a href="javascript:x">W</a>.</p>'],
            ),
        ]
    )
    response = staff_client.post("/admin/digests/digest/add/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    digest = Digest.objects.get(slug="news-digest-2-january-2026")
    sections = list(digest.sections.all())
    assert [s.title for s in sections] == ["Releases", "Meetings"]
    assert [s.anchor for s in sections] == ["releases", "meetings"]
    assert [i.body for i in sections[0].items.all()] == [
        "<p>First <strong>release</strong>.</p>",
        "<p>Second story.</p>",
    ]
    meeting = sections[1].items.get()
    assert "script" not in meeting.body and "javascript" not in meeting.body
    assert sorted(digest.tags.names()) == ["meetings", "prisoners"]
    assert digest.status == Status.DRAFT


def test_reordering_items_changes_their_order(staff_client):
    """Dragging an item up (which rewrites the order fields) changes the reading order."""
    data = digest_post([("Releases", ["<p>Was first</p>", "<p>Was second</p>"])])
    data["sections-0-items-0-order"], data["sections-0-items-1-order"] = "1", "0"
    assert staff_client.post("/admin/digests/digest/add/", data).status_code == 302
    section = Digest.objects.get().sections.get()
    assert [i.body for i in section.items.all()] == ["<p>Was second</p>", "<p>Was first</p>"]


def test_validation_error_keeps_everything_typed(staff_client):
    """A mistake in one field shows a message and loses none of the text typed elsewhere."""
    data = digest_post([("Releases", ["<p>Long careful text</p>"])])
    data["date"] = "not a date"
    response = staff_client.post("/admin/digests/digest/add/", data)
    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert "Long careful text" in response.content.decode()
    assert not Digest.objects.exists()


def test_editor_without_publish_permission_cannot_publish(client, django_user_model):
    """An editor without the publish right saves drafts only; the status field is locked."""
    editor = django_user_model.objects.create_user("ed", password="pw-12345678", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="digests",
            codename__in=[
                "add_digest",
                "change_digest",
                "view_digest",
                "add_section",
                "change_section",
                "add_item",
                "change_item",
            ],
        )
    )
    client.force_login(editor)
    data = digest_post([("Releases", ["<p>x</p>"])])
    data["status"] = Status.PUBLISHED
    assert client.post("/admin/digests/digest/add/", data).status_code == 302
    assert Digest.objects.get().status == Status.DRAFT
    changelist = client.get("/admin/digests/digest/").content.decode()
    assert 'value="publish"' not in changelist


def test_publishing_in_the_form_with_empty_time_publishes_now(staff_client):
    """A publisher who picks "Published" and leaves the time empty publishes at once."""
    data = digest_post([("Releases", ["<p>x</p>"])])
    data["status"] = Status.PUBLISHED
    response = staff_client.post("/admin/digests/digest/add/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Digest.objects.published().count() == 1


def test_publish_and_unpublish_actions(staff_client):
    """Publishers publish several drafts at once, and can take them back to draft."""
    drafts = [make_digest(status=Status.DRAFT) for _ in range(2)]
    ids = [str(d.pk) for d in drafts]
    staff_client.post("/admin/digests/digest/", {"action": "publish", "_selected_action": ids})
    assert Digest.objects.published().count() == 2
    staff_client.post("/admin/digests/digest/", {"action": "unpublish", "_selected_action": ids})
    assert set(Digest.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert not Digest.objects.filter(publish_at__isnull=False).exists()


def test_digest_changelist_shows_state_and_view_link(staff_client):
    """The digest list shows each digest's state and a link to it on the site."""
    make_digest(title="Live one")
    make_digest(title="Work in progress", status=Status.DRAFT)
    html = staff_client.get("/admin/digests/digest/").content.decode()
    assert "digest-state--published" in html and "digest-state--draft" in html
    assert ">Preview<" in html and ">View<" in html
    assert (
        "Work in progress"
        in staff_client.get("/admin/digests/digest/?status=draft").content.decode()
    )


def test_people_admin_searchable_by_any_alias(staff_client):
    """Staff find a person by any spelling they know."""
    person = make_person("Alexander Lukashenko")
    person.aliases.create(text="Лукашенко")
    make_person("Someone Else")
    html = staff_client.get("/admin/people/person/", {"q": "Лукашенко"}).content.decode()
    assert "Alexander Lukashenko" in html
    assert "Someone Else" not in html


def test_alias_clash_in_admin_names_the_other_entity(staff_client):
    """Adding an alias that another entity has shows who has it, and saves nothing."""
    make_organization("National Anti-Crisis Management").aliases.create(text="NAM")
    data = {
        "name": "Pavel Latushka",
        "slug": "pavel-latushka",
        "short_description": "",
        "bio": "",
        "photo_alt": "",
        **management("aliases", 2),
        "aliases-0-text": "Latushka",
        "aliases-1-text": "NAM",
        **management("affiliations", 0),
        **management("links", 0),
    }
    response = staff_client.post("/admin/people/person/add/", data)
    assert response.status_code == 200
    assert "“NAM” already belongs to organization “National Anti-Crisis Management”." in (
        response.content.decode()
    )
    assert not Person.objects.exists()
    data["aliases-1-text"] = "latushka"
    response = staff_client.post("/admin/people/person/add/", data)
    assert "is already a name of this entry" in response.content.decode()
    data["aliases-1-text"] = "Павел Латушка"
    assert staff_client.post("/admin/people/person/add/", data).status_code == 302
    assert sorted(Person.objects.get().other_names) == ["Latushka", "Павел Латушка"]
    assert Alias.objects.filter(is_primary=True).count() == 2


def test_person_photo_without_alt_is_refused_in_admin(staff_client):
    """A photo uploaded without a description is refused with a clear message."""
    data = {
        "name": "Maria Kalesnikava",
        "slug": "",
        "photo": image_upload(),
        "photo_alt": "",
        **management("aliases", 0),
        **management("affiliations", 0),
        **management("links", 0),
    }
    response = staff_client.post("/admin/people/person/add/", data)
    assert response.status_code == 200
    assert "A photo needs alt text." in response.content.decode()


def test_invalid_image_upload_says_why_in_admin(staff_client):
    """A fake image is refused in the form with the reason, not stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "name": "Maria Kalesnikava",
        "slug": "",
        "photo": SimpleUploadedFile("p.jpg", b"not an image at all"),
        "photo_alt": "Portrait",
        **management("aliases", 0),
        **management("affiliations", 0),
        **management("links", 0),
    }
    response = staff_client.post("/admin/people/person/add/", data)
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Person.objects.exists()


def test_uploaded_photo_is_stored_without_metadata(staff_client):
    """A portrait's GPS position is removed when staff upload it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {
        "name": "Maria Kalesnikava",
        "slug": "",
        "photo": SimpleUploadedFile("p.jpg", image_bytes("JPEG", exif=exif_with_gps())),
        "photo_alt": "Portrait",
        **management("aliases", 0),
        **management("affiliations", 0),
        **management("links", 0),
    }
    assert staff_client.post("/admin/people/person/add/", data).status_code == 302
    person = Person.objects.get()
    stored = Image.open(io.BytesIO(person.photo.read()))
    assert not stored.getexif().get_ifd(GPS_IFD)


def test_editor_image_upload_staff_only_validated_and_stripped(staff_client):
    """Only staff upload editor images; a fake image is refused; metadata is stripped."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    url = "/editor/upload/"
    anonymous = Client().post(url, {"upload": image_upload()})
    assert anonymous.status_code == 403
    fake = staff_client.post(url, {"upload": SimpleUploadedFile("x.png", b"<?php echo 1; ?>")})
    assert fake.status_code == 400
    assert "not a readable image" in json.loads(fake.content)["error"]["message"]
    good = staff_client.post(
        url,
        {
            "upload": SimpleUploadedFile(
                "secret-location.jpg", image_bytes("JPEG", exif=exif_with_gps())
            )
        },
    )
    assert good.status_code == 200
    stored_url = json.loads(good.content)["url"]
    assert "secret-location" not in stored_url
    assert stored_url.endswith(".jpg")


def test_item_change_page_reachable_from_digest(staff_client):
    """Each item in the digest form links to its own page (where its mentions will be managed)."""
    digest = make_digest()
    from tests.factories import make_item, make_section

    item = make_item(make_section(digest))
    html = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/").content.decode()
    assert f"/admin/digests/item/{item.pk}/change/" in html
    assert staff_client.get(f"/admin/digests/item/{item.pk}/change/").status_code == 200
    assert Item.objects.count() == 1


def test_admin_pages_render(staff_client):
    """Every admin list and add page opens without error."""
    for url in ("/admin/", "/admin/digests/digest/add/", "/admin/people/person/add/",
                "/admin/people/organization/add/", "/admin/digests/socialmetric/",
                "/admin/digests/item/", "/admin/people/affiliation/"):  # fmt: skip
        assert staff_client.get(url).status_code == 200, url


def test_person_admin_explains_what_readers_see(staff_client):
    """Staff see on a person's page whether readers can see them, and why not."""
    hidden = make_person("Source At Risk", sensitive=True)
    html = staff_client.get(f"/admin/people/person/{hidden.pk}/change/").content.decode()
    assert "Marked sensitive (at risk)" in html
    quiet = make_person("Not Yet Named")
    html = staff_client.get(f"/admin/people/person/{quiet.pk}/change/").content.decode()
    assert "No page yet" in html
    quiet.public_profile = True
    quiet.save()
    html = staff_client.get(f"/admin/people/person/{quiet.pk}/change/").content.decode()
    assert quiet.get_absolute_url() in html


def test_staff_edit_an_existing_person_in_every_way(staff_client):
    """An editor opens a person, adds a spelling, renames, re-slugs and flags them at risk in
    one save: it saves, and every change is stored (it answered 500 before)."""
    from tests.browser import change_form_data

    person = make_person("Pavel Latushka", slug="pavel-latushka")
    Alias.objects.create(person=person, text="Latushka")
    url = f"/admin/people/person/{person.pk}/change/"
    form = change_form_data(staff_client, url)
    total = int(form["aliases-TOTAL_FORMS"][0])
    form[f"aliases-{total - 1}-text"] = "Pavel Latushko"
    form["name"], form["slug"], form["sensitive"] = "Paval Latushka", "paval-latushka", "on"
    assert staff_client.post(url, form).status_code == 302
    person.refresh_from_db()
    assert (person.name, person.slug, person.sensitive) == (
        "Paval Latushka",
        "paval-latushka",
        True,
    )
    assert sorted(person.aliases.values_list("text", flat=True)) == [
        "Latushka",
        "Paval Latushka",
        "Pavel Latushka",  # the old name still links what was written before
        "Pavel Latushko",
    ]


def test_topic_typed_with_a_control_character_is_the_topic_it_looks_like(staff_client):
    """A topic pasted with a control character into the digest form joins the existing topic
    of that name, instead of failing."""
    from tests.browser import change_form_data

    make_digest().tags.add("prisoners")
    digest = make_digest()
    url = f"/admin/digests/digest/{digest.pk}/change/"
    form = change_form_data(staff_client, url)
    form["tags"] = "prisoners\x0b, meetings"
    assert staff_client.post(url, form).status_code == 302
    assert sorted(digest.tags.names()) == ["meetings", "prisoners"]
