"""Editing that staff can trust, in the browser: a person edited in every way relinks the
digest, and an Editor's change to a published digest waits until a Publisher approves it."""

import datetime
import importlib
import re

import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect
from reversion.models import Version

from digests.models import Digest, Item, Section, Status
from people.models import Person

PASSWORD = "correct-horse-battery-e2e"


def roles():
    """The Editor and Publisher roles as the migration makes them (a live-server test empties
    the database after each test, and with it the migrations' data; permissions come back)."""
    if Group.objects.filter(name="Publisher").exists():
        return
    migration = importlib.import_module("digests.migrations.0005_editorial_roles")
    editor_permissions = [
        Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
        for (app, model), actions in migration.EDITOR.items()
        for action in actions
    ]
    Group.objects.create(name="Editor").permissions.add(*editor_permissions)
    Group.objects.create(name="Publisher").permissions.add(
        *editor_permissions,
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in migration.PUBLISHER_EXTRA
        ),
    )


def sign_in(page, username, group=None, superuser=False):
    roles()
    user_model = get_user_model()
    if superuser:
        user_model.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    else:
        user = user_model.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Newsroom")).to_be_visible()


def published_digest(body):
    with reversion.create_revision():
        digest = Digest.objects.create(
            title="News digest 3 February 2026",
            slug="news-digest-3-february-2026",
            date=datetime.date(2026, 2, 3),
            lead="What happened.",
            status=Status.PUBLISHED,
            publish_at=timezone.now() - datetime.timedelta(hours=1),
        )
        section = Section.objects.create(digest=digest, title="Releases")
        Item.objects.create(section=section, body=body)
    return digest


def test_edit_a_person_in_every_way_and_the_digest_is_relinked(page, new_page, screenshot):
    """Staff add a spelling, rename, change the address and then mark a person at risk: each
    save works, and the digest page follows (new spelling linked to the new address; no link
    at all once sensitive)."""
    person = Person.objects.create(name="Ales Bialiatski", slug="ales-bialiatski")
    digest = published_digest("<p>Ales Bialiatski, also written Ales Byalyatski, was freed.</p>")
    sign_in(page, "chief", superuser=True)

    page.goto(f"/admin/people/person/{person.pk}/change/")
    page.locator("#id_aliases-0-text").fill("Ales Byalyatski")
    page.locator("#id_name").fill("Aleś Bialiacki")
    page.locator("#id_slug").fill("ales-bialiacki")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    screenshot(page, "admin-person-form", public=False)

    reader = new_page()
    reader.goto(digest.get_absolute_url())
    links = reader.locator('.item__body a.mention[href="/people/ales-bialiacki/"]')
    expect(links).to_have_text(["Ales Bialiatski", "Ales Byalyatski"])

    page.get_by_label("Sensitive").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    reader = new_page()  # a browser keeps a page it has read for its max-age
    reader.goto(digest.get_absolute_url())
    expect(reader.locator(".item__body")).to_contain_text("Ales Byalyatski")
    expect(reader.locator(".item__body a.mention")).to_have_count(0)
    assert Client().get("/people/ales-bialiacki/").status_code == 404


def test_editor_change_waits_for_publisher_then_goes_live(page, new_page, screenshot):
    """An Editor rewrites an item of a published digest: readers keep the old text, the list
    says changes await approval; a Publisher sees the difference, approves, and readers get
    the new text; History's comparison shows the item's text change."""
    digest = published_digest("<p>The first wording of the story.</p>")
    sign_in(page, "elena", group="Editor")
    page.goto(f"/admin/digests/digest/{digest.pk}/change/")
    body = page.locator("#sections-0-items-0 .ck-editor__editable")
    body.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("The corrected wording of the story.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .warning")).to_contain_text("waiting for a Publisher")
    expect(page.get_by_role("link", name="Changes awaiting approval")).to_be_visible()
    screenshot(page, "admin-pending-list", public=False)

    reader = new_page()
    reader.goto(digest.get_absolute_url())
    expect(reader.locator(".item__body")).to_have_text("The first wording of the story.")

    publisher = new_page()
    sign_in(publisher, "piotr", group="Publisher")
    publisher.goto("/admin/digests/digest/")
    publisher.get_by_role("link", name="Changes awaiting approval").click()
    expect(publisher.locator(".digest-changes del")).to_have_text(["first"])
    expect(publisher.locator(".digest-changes ins")).to_have_text(["corrected"])
    screenshot(publisher, "admin-pending-review", public=False)
    publisher.get_by_role("button", name="Approve and publish these changes").click()
    expect(publisher.locator(".messagelist .success")).to_contain_text("are live")

    reader = new_page()  # a browser keeps a page it has read for its max-age
    reader.goto(digest.get_absolute_url())
    expect(reader.locator(".item__body")).to_have_text("The corrected wording of the story.")

    versions = Version.objects.get_for_object(digest).order_by("pk")
    first, last = versions.first(), versions.last()
    publisher.goto(
        f"/admin/digests/digest/{digest.pk}/history/compare/"
        f"?version_id1={first.pk}&version_id2={last.pk}"
    )
    expect(publisher.locator(".digest-changes")).to_contain_text(re.compile("Text:.*corrected"))
    screenshot(publisher, "admin-history-compare", public=False)
