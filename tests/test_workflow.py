"""Editorial roles and concurrent edits."""

import pytest
from django.contrib.auth.models import Group

from digests.models import Digest, Status
from tests.browser import change_form_data
from tests.factories import make_digest, make_item, make_person, make_section
from tests.test_admin import digest_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_in(django_user_model, client):
    def make(group_name):
        user = django_user_model.objects.create_user(
            group_name.lower(), password="pw-12345678", is_staff=True
        )
        user.groups.add(Group.objects.get(name=group_name))
        client.force_login(user)
        return client

    return make


def test_roles_exist_after_migrating():
    """A fresh site has the Editor and Publisher roles, and only Publishers may publish."""
    editor, publisher = Group.objects.get(name="Editor"), Group.objects.get(name="Publisher")
    assert not editor.permissions.filter(codename="publish_digest").exists()
    assert publisher.permissions.filter(codename="publish_digest").exists()
    assert not editor.permissions.filter(codename="delete_digest").exists()


def test_editor_writes_drafts_but_cannot_publish(user_in):
    """An Editor composes a digest; it stays a draft even if the form says published."""
    client = user_in("Editor")
    data = digest_post([("Releases", ["<p>x</p>", "<p>y</p>"])])
    data["status"] = Status.PUBLISHED
    assert client.post("/admin/digests/digest/add/", data).status_code == 302
    digest = Digest.objects.get()
    assert digest.status == Status.DRAFT
    client.post("/admin/digests/digest/", {"action": "publish", "_selected_action": [digest.pk]})
    digest.refresh_from_db()
    assert digest.status == Status.DRAFT
    assert client.get(f"/admin/digests/digest/{digest.pk}/delete/").status_code == 403


def test_publisher_publishes_and_unpublishes(user_in):
    """A Publisher publishes drafts and takes published digests back to draft."""
    client = user_in("Publisher")
    digest = make_digest(status=Status.DRAFT)
    client.post("/admin/digests/digest/", {"action": "publish", "_selected_action": [digest.pk]})
    digest.refresh_from_db()
    assert digest.is_public
    client.post("/admin/digests/digest/", {"action": "unpublish", "_selected_action": [digest.pk]})
    digest.refresh_from_db()
    assert digest.status == Status.DRAFT


def test_second_concurrent_save_is_refused_and_nothing_lost(django_user_model):
    """Two editors open a digest; the second save is refused, names who changed what, and
    keeps everything the second editor typed."""
    from django.test import Client

    digest = make_digest(title="Shared digest", lead="Original lead")
    clients = []
    for username, full in (("anna", "Anna Editor"), ("boris", "Boris Editor")):
        first, last = full.split()
        user = django_user_model.objects.create_superuser(username, f"{username}@x.org", "pw-12345")
        user.first_name, user.last_name = first, last
        user.save()
        client = Client()
        client.force_login(user)
        clients.append(client)
    url = f"/admin/digests/digest/{digest.pk}/change/"
    anna_form, boris_form = (change_form_data(c, url) for c in clients)
    anna_form["lead"] = "Anna's lead"
    assert clients[0].post(url, anna_form).status_code == 302
    boris_form["lead"] = "Boris's careful new lead"
    response = clients[1].post(url, boris_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "was saved by someone else while you were editing" in html
    assert "Anna Editor changed it" in html and "Lead" in html
    assert "Boris&#x27;s careful new lead" in html  # still in the form
    digest.refresh_from_db()
    assert digest.lead == "Anna's lead"


def test_concurrent_person_edit_refused(django_user_model):
    """The same protection holds for people."""
    from django.test import Client

    from tests.factories import make_person

    person = make_person("Pavel Latushka")
    user = django_user_model.objects.create_superuser("c", "c@x.org", "pw-1234567")
    client = Client()
    client.force_login(user)
    url = f"/admin/people/person/{person.pk}/change/"
    form = change_form_data(client, url)
    person.short_description = "Changed meanwhile"
    person.save()
    form["short_description"] = "Mine"
    response = client.post(url, form)
    assert "was saved by someone else" in response.content.decode()
    person.refresh_from_db()
    assert person.short_description == "Changed meanwhile"


def test_unchanged_record_saves_normally(staff_client):
    """Without a concurrent change, saving works as always."""
    digest = make_digest(title="Quiet digest")
    url = f"/admin/digests/digest/{digest.pk}/change/"
    form = change_form_data(staff_client, url)
    form["lead"] = "New lead"
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.context and response.context["errors"]
    digest.refresh_from_db()
    assert digest.lead == "New lead"


# Old addresses and merges


def test_digest_slug_change_keeps_old_address(client):
    """A digest whose address changed is still found at the old one (301)."""
    digest = make_digest(slug="old-address")
    digest.slug = "new-address"
    digest.save()
    response = client.get("/digests/old-address/")
    assert response.status_code == 301 and response["Location"] == "/digests/new-address/"
    digest.slug = "old-address"  # moving back makes the old address live again
    digest.save()
    assert client.get("/digests/old-address/").status_code == 200
    assert client.get("/digests/new-address/").status_code == 301


def test_old_address_of_a_draft_reveals_nothing(client):
    """The old address of a draft is a plain 404: a redirect would reveal its new address."""
    digest = make_digest(slug="was-public", status=Status.DRAFT)
    digest.slug = "now-draft"
    digest.save()
    assert client.get("/digests/was-public/").status_code == 404


def test_person_slug_change_keeps_old_address(client):
    """A person's old page address leads to the new one."""
    from tests.factories import make_person

    person = make_person("Pavel Latushka", public_profile=True)
    person.slug = "latushka"
    person.save()
    response = client.get("/people/pavel-latushka/")
    assert response.status_code == 301 and response["Location"] == "/people/latushka/"


def test_merging_duplicates_moves_everything(client, staff_client):
    """Merging two entries for one person keeps every name, mention and link on the survivor,
    and the duplicate's page leads there."""
    from digests.models import Mention
    from people.models import Person
    from tests.factories import make_item, make_metric, make_organization, make_person, make_section

    survivor = make_person("Maria Kalesnikava")
    duplicate = make_person("Maria Kolesnikova")
    duplicate.aliases.create(text="Kolesnikova")
    duplicate.links.create(title="Site", url="https://example.org/m")
    duplicate.affiliations.create(organization=make_organization("Coordination Council"))
    digest = make_digest()
    section = make_section(digest)
    make_item(section, body="<p>Maria Kolesnikova spoke.</p>")
    both = make_item(section, body="<p>Maria Kalesnikava, also spelled Kolesnikova.</p>")
    make_metric(digest).people.add(duplicate)
    response = staff_client.post(
        "/admin/people/person/",
        {
            "action": "merge",
            "_selected_action": [survivor.pk, duplicate.pk],
            "survivor": survivor.pk,
        },
    )
    assert response.status_code == 302
    assert list(Person.objects.all()) == [survivor]
    assert set(survivor.other_names) == {"Maria Kolesnikova", "Kolesnikova"}
    assert survivor.links.count() == 1 and survivor.affiliations.count() == 1
    assert survivor.social_metrics.count() == 1
    assert Mention.objects.filter(person=survivor).count() == 2
    assert Mention.objects.filter(item=both).count() == 1
    page = client.get("/people/maria-kolesnikova/")
    assert page.status_code == 301 and page["Location"] == "/people/maria-kalesnikava/"
    assert 'href="/people/maria-kalesnikava/">Maria Kolesnikova</a>' in (
        client.get(digest.get_absolute_url()).content.decode()
    )


def test_merge_asks_which_to_keep(staff_client):
    """The merge action first asks which entry to keep."""
    from tests.factories import make_organization

    first, second = make_organization("NAM one"), make_organization("NAM two")
    response = staff_client.post(
        "/admin/people/organization/",
        {"action": "merge", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 200
    assert "Choose the one to keep" in response.content.decode()


# Preview links for outside reviewers


def test_preview_link_shows_draft_to_outsider(client):
    """A reviewer without an account reads the draft through its link, marked as a preview."""
    from digests.models import PreviewLink

    draft = make_digest(title="Draft for review", status=Status.DRAFT)
    link = PreviewLink.objects.create(digest=draft, note="legal review")
    response = client.get(link.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft for review" in html and "Preview for review" in html
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_preview_link_revoked_expired_or_forged_shows_nothing(client):
    """A revoked, expired or tampered link is a plain 404."""
    import datetime

    from django.utils import timezone

    from digests.models import PreviewLink

    draft = make_digest(status=Status.DRAFT)
    link = PreviewLink.objects.create(digest=draft)
    url = link.get_absolute_url()
    assert client.get(url).status_code == 200
    assert PreviewLink.objects.get(pk=link.pk).get_absolute_url() == url  # one stable address
    last = url[-2]
    tampered = url[:-2] + ("A" if last != "A" else "B") + "/"  # always a different signature
    assert client.get(tampered).status_code == 404
    other = PreviewLink.objects.create(digest=make_digest(status=Status.DRAFT))
    forged = url.replace(link.token.split(":")[0], other.token.split(":")[0])
    assert client.get(forged).status_code == 404
    link.revoked = True
    link.save()
    assert client.get(url).status_code == 404
    link.revoked = False
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    assert client.get(url).status_code == 404


def test_staff_create_preview_link_in_digest_form(staff_client):
    """Staff add a preview link on the digest's page and see the address to send."""
    from digests.models import PreviewLink

    digest = make_digest(status=Status.DRAFT)
    url = f"/admin/digests/digest/{digest.pk}/change/"
    form = change_form_data(staff_client, url)
    form.update(
        {
            "preview_links-TOTAL_FORMS": "1",
            "preview_links-0-note": "for the lawyer",
            "preview_links-0-expires_at_0": "2099-01-01",
            "preview_links-0-expires_at_1": "12:00:00",
            "preview_links-0-digest": str(digest.pk),
        }
    )
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.context and response.context["errors"]
    link = PreviewLink.objects.get()
    assert link.get_absolute_url() in staff_client.get(url).content.decode()


# Revision history


def test_every_save_is_kept_compared_and_restorable(staff_client):
    """Each save of a digest with its items is kept with who and when; staff compare two
    versions and restore the earlier one, items included."""
    from reversion.models import Version

    from digests.models import Digest, Item

    data = digest_post([("Releases", ["<p>First wording.</p>"])])
    data["lead"] = "First lead"
    assert staff_client.post("/admin/digests/digest/add/", data).status_code == 302
    digest = Digest.objects.get()
    url = f"/admin/digests/digest/{digest.pk}/change/"
    form = change_form_data(staff_client, url)
    form["lead"] = "Second lead"
    form["sections-0-items-0-body"] = "<p>Second wording.</p>"
    assert staff_client.post(url, form).status_code == 302

    versions = list(Version.objects.get_for_object(digest).order_by("pk"))
    assert len(versions) == 2
    assert versions[0].revision.user.username == "chief"
    history = staff_client.get(f"/admin/digests/digest/{digest.pk}/history/").content.decode()
    assert "chief" in history
    compare = staff_client.get(
        f"/admin/digests/digest/{digest.pk}/history/compare/",
        {"version_id1": versions[0].pk, "version_id2": versions[1].pk},
    )
    assert compare.status_code == 200
    assert "First lead" in compare.content.decode() and "Second lead" in compare.content.decode()

    revision_url = f"/admin/digests/digest/{digest.pk}/history/{versions[0].pk}/"
    restored = staff_client.post(revision_url, change_form_data(staff_client, revision_url))
    assert restored.status_code == 302
    digest.refresh_from_db()
    assert digest.lead == "First lead"
    assert Item.objects.get().body == "<p>First wording.</p>"


def test_import_is_recorded_as_a_revision():
    """An imported digest has a history entry saying which file it came from."""
    from io import StringIO

    from django.core.management import call_command
    from reversion.models import Version

    call_command(
        "import_digest",
        "tests/fixtures/import/several-metrics.txt",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    version = Version.objects.get_for_object(Digest.objects.get()).get()
    assert version.revision.comment == "Imported from several-metrics.txt"


def test_merging_a_sensitive_person_keeps_them_hidden(staff_client, client):
    """Merging a person flagged sensitive into one who is not makes the merged person
    sensitive: their names never become public through the survivor (page, search, links),
    and staff are told."""
    survivor = make_person("Ales Public")
    hidden = make_person("Ales Protected", sensitive=True)
    hidden.aliases.create(text="Alyaksandr Underground")
    make_item(make_section(make_digest()), body="<p>Ales Public spoke.</p>")
    assert client.get("/people/ales-public/").status_code == 200
    response = staff_client.post(
        "/admin/people/person/",
        {"action": "merge", "_selected_action": [survivor.pk, hidden.pk], "survivor": survivor.pk},
        follow=True,
    )
    survivor.refresh_from_db()
    assert survivor.sensitive
    assert "sensitive" in response.content.decode()
    for url in ("/people/ales-public/", "/people/ales-protected/"):
        assert client.get(url).status_code == 404
    assert client.get("/search/suggest/", {"q": "Alyaksandr"}).json()["results"] == []


def test_merging_never_clears_the_sensitive_flag(staff_client):
    """A sensitive survivor stays sensitive whatever it absorbs."""
    survivor = make_person("Hidden One", sensitive=True)
    other = make_person("Hidden Two")
    staff_client.post(
        "/admin/people/person/",
        {"action": "merge", "_selected_action": [survivor.pk, other.pk], "survivor": survivor.pk},
    )
    survivor.refresh_from_db()
    assert survivor.sensitive


def test_an_address_that_was_never_public_does_not_redirect(client):
    """A person known only from drafts is renamed to a pseudonym (new address, old name
    removed): their old address must not lead to the new page once it is public, or anyone
    could confirm who is behind the pseudonym by trying names."""
    person = make_person("Real Name Withheld")
    make_item(make_section(make_digest(status=Status.DRAFT)), body="<p>Source A spoke.</p>")
    person.name, person.slug = "Source A", "source-a"
    person.save()
    person.aliases.filter(text="Real Name Withheld").delete()
    make_item(make_section(make_digest()), body="<p>Source A spoke.</p>")
    assert client.get("/people/source-a/").status_code == 200
    assert client.get("/people/real-name-withheld/").status_code == 404


def test_an_address_readers_have_seen_keeps_working_after_a_rename(client):
    """A public page renamed keeps its old address as a 301 to the new one."""
    person = make_person("Pavel Latushka")
    make_item(make_section(make_digest()), body="<p>Pavel Latushka spoke.</p>")
    person.slug = "pavel-latushka-2"
    person.save()
    response = client.get("/people/pavel-latushka/")
    assert response.status_code == 301 and response["Location"] == "/people/pavel-latushka-2/"


def test_a_drafts_first_address_does_not_redirect(client):
    """A draft renamed before publication leaves no redirect behind: its first title stays
    unknown to readers."""
    digest = make_digest(status=Status.DRAFT, slug="first-title")
    digest.slug = "published-title"
    digest.status = Status.PUBLISHED
    digest.save()
    assert client.get("/digests/published-title/").status_code == 200
    assert client.get("/digests/first-title/").status_code == 404
