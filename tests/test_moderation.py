"""Publishing stays with Publishers through every door: a change by an Editor to a published
or scheduled digest waits for approval and never reaches readers until a Publisher approves."""

import datetime

import pytest
import reversion
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from digests.models import Digest, Item, PendingChange, Section, SocialMetric, Status
from tests.browser import change_form_data
from tests.factories import make_digest, make_item, make_metric, make_section

pytestmark = pytest.mark.django_db


def staff_in(django_user_model, group, username=None, full_name=""):
    first, _, last = full_name.partition(" ")
    user = django_user_model.objects.create_user(
        username or group.lower(), password="pw-12345678", is_staff=True,
        first_name=first, last_name=last,
    )  # fmt: skip
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor(django_user_model):
    return staff_in(django_user_model, "Editor", full_name="Elena Editor")


@pytest.fixture
def publisher(django_user_model):
    return staff_in(django_user_model, "Publisher", full_name="Piotr Publisher")


@pytest.fixture
def live():
    """A published digest with one section, one item and one figure, recorded in History."""
    with reversion.create_revision():
        digest = make_digest(title="Live digest", slug="live-digest", lead="The published lead")
        section = make_section(digest, title="Releases")
        make_item(section, body="<p>Published wording.</p>")
        make_metric(digest, topic="Published topic")
    return digest


def reader_sees(digest) -> str:
    """The public page as an anonymous reader gets it."""
    response = Client().get(f"/digests/{digest.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def review(publisher, digest, **fields):
    """Post the review form as the Publisher's browser would, after opening the page."""
    url = f"/admin/digests/digest/{digest.pk}/pending/"
    form = change_form_data(publisher, url)
    form.update(fields)
    return publisher.post(url, form)


def approve(publisher, digest, note=""):
    assert review(publisher, digest, approve="1", note=note).status_code == 302


def awaiting(digest):
    return PendingChange.objects.awaiting().get(digest=digest)


def test_editor_edit_of_published_digest_waits_then_publisher_approves(editor, publisher, live):
    """An Editor rewrites the lead and an item of a published digest: readers keep the
    published text, the list says "changes awaiting approval", staff preview the new version
    at the public address, and after a Publisher approves readers see it."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "The edited lead"
    form["sections-0-items-0-body"] = "<p>Edited wording.</p>"
    response = editor.post(url, form)
    assert response.status_code == 302
    page = reader_sees(live)
    assert "The published lead" in page and "Published wording." in page
    assert "The edited lead" not in page and "Edited wording." not in page

    listing = editor.get("/admin/digests/digest/").content.decode()
    assert "Changes awaiting approval" in listing
    preview = editor.get(f"/digests/{live.slug}/?pending=1")
    assert "The edited lead" in preview.content.decode()
    assert "Changes awaiting approval" in preview.content.decode()
    assert "no-cache" in preview["Cache-Control"]
    assert "The edited lead" not in reader_sees(live)  # a preview is never served to readers

    review = publisher.get(f"/admin/digests/digest/{live.pk}/pending/").content.decode()
    assert "<del>The published lead</del>" not in review  # words, not whole values
    assert "<del>published</del>" in review and "<ins>edited</ins>" in review
    assert "Edited wording." in review or "<ins>Edited</ins>" in review

    approve(publisher, live, "Checked")
    page = reader_sees(live)
    assert "The edited lead" in page and "Edited wording." in page
    assert not PendingChange.objects.awaiting().exists()
    revision = Version.objects.get_for_object(live).order_by("-pk").first().revision
    assert revision.user.username == "publisher"
    assert "Elena Editor" in revision.comment and "Piotr Publisher" in revision.comment


def test_editor_keeps_working_on_the_waiting_version(editor, live):
    """An Editor who opens the digest again sees the version waiting for approval, and a
    second save builds on it (one waiting change, with both edits)."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "First edit"
    editor.post(url, form)
    form = change_form_data(editor, url)
    assert form["lead"] == ["First edit"]
    form["title"] = "Second edit of the title"
    assert editor.post(url, form).status_code == 302
    change = awaiting(live)
    digest_row = next(r for r in change.data["objects"] if r["model"] == "digests.digest")
    assert digest_row["fields"]["lead"] == "First edit"
    assert digest_row["fields"]["title"] == "Second edit of the title"
    assert PendingChange.objects.filter(state=PendingChange.State.SUPERSEDED).count() == 1
    live.refresh_from_db()
    assert (live.title, live.lead) == ("Live digest", "The published lead")


def test_scheduled_digest_is_moderated_too(editor, publisher):
    """A scheduled digest is as protected as a published one: the schedule keeps the approved
    text."""
    digest = make_digest(publish_at=timezone.now() + datetime.timedelta(days=1), lead="Approved")
    url = f"/admin/digests/digest/{digest.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "Unapproved"
    editor.post(url, form)
    digest.refresh_from_db()
    assert digest.lead == "Approved"
    assert awaiting(digest)


def test_editor_edits_a_draft_directly(editor):
    """Drafts are the Editor's own: saved at once, nothing waits."""
    draft = make_digest(status=Status.DRAFT, lead="Draft lead")
    url = f"/admin/digests/digest/{draft.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "New draft lead"
    assert editor.post(url, form).status_code == 302
    draft.refresh_from_db()
    assert draft.lead == "New draft lead"
    assert not PendingChange.objects.exists()


def test_item_page_edit_of_published_item_waits(editor, publisher, live):
    """An Editor changes a published item's text on the item's own page."""
    item = Item.objects.get()
    url = f"/admin/digests/item/{item.pk}/change/"
    form = change_form_data(editor, url)
    form["body"] = "<p>Rewritten on the item page.</p>"
    assert editor.post(url, form).status_code == 302
    assert "Rewritten" not in reader_sees(live)
    approve(publisher, live)
    assert "Rewritten on the item page." in reader_sees(live)


def test_moving_a_draft_item_into_a_published_digest_waits(editor, publisher, live):
    """An Editor moves an item from a draft into a published digest on the item's page: it
    does not go live until approved, and stays in the draft meanwhile."""
    draft = make_digest(status=Status.DRAFT)
    secret = make_item(make_section(draft), body="<p>Unapproved story.</p>")
    url = f"/admin/digests/item/{secret.pk}/change/"
    form = change_form_data(editor, url)
    form["section"] = str(Section.objects.get(digest=live).pk)
    assert editor.post(url, form).status_code == 302
    assert "Unapproved story." not in reader_sees(live)
    secret.refresh_from_db()
    assert secret.section.digest == draft
    approve(publisher, live)
    assert "Unapproved story." in reader_sees(live)


def test_adding_an_item_to_a_published_section_waits(editor, publisher, live):
    """A new item added on its own page to a published digest's section waits."""
    section = Section.objects.get(digest=live)
    form = change_form_data(editor, "/admin/digests/item/add/")
    form.update(section=str(section.pk), order="5", body="<p>Brand new story.</p>")
    form.update({k: "0" for k in form if k.endswith("TOTAL_FORMS") or k.endswith("INITIAL_FORMS")})
    assert editor.post("/admin/digests/item/add/", form).status_code == 302
    assert "Brand new story." not in reader_sees(live)
    assert Item.objects.count() == 1
    approve(publisher, live)
    assert "Brand new story." in reader_sees(live)
    assert Item.objects.count() == 2


def test_section_and_figure_pages_wait(editor, publisher, live):
    """Renaming a section or changing a figure on their own pages waits too."""
    section = Section.objects.get(digest=live)
    url = f"/admin/digests/section/{section.pk}/change/"
    form = change_form_data(editor, url)
    form["title"] = "Renamed section"
    assert editor.post(url, form).status_code == 302
    assert "Renamed section" not in reader_sees(live)

    metric = SocialMetric.objects.get()
    url = f"/admin/digests/socialmetric/{metric.pk}/change/"
    form = change_form_data(editor, url)
    form["topic"] = "Changed topic"
    assert editor.post(url, form).status_code == 302
    metric.refresh_from_db()
    assert metric.topic == "Published topic"
    approve(publisher, live)
    page = reader_sees(live)
    assert "Changed topic" in page and "Renamed section" in page


def test_deleting_published_items_waits(editor, publisher, live):
    """Deleting an item of a published digest, on its page or with the bulk action, waits."""
    item = Item.objects.get()
    response = editor.post(f"/admin/digests/item/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Item.objects.filter(pk=item.pk).exists()
    response = editor.post(
        "/admin/digests/item/",
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert "Published wording." in reader_sees(live)
    approve(publisher, live)
    assert "Published wording." not in reader_sees(live)


def test_history_restore_by_editor_waits(editor, publisher, live):
    """An Editor restores an older version of a published digest from History: readers keep
    the current version until a Publisher approves."""
    with reversion.create_revision():
        Digest.objects.filter(pk=live.pk).update(lead="Current lead")
        live.refresh_from_db()
        live.save()
    old = Version.objects.get_for_object(live).order_by("pk").first()
    url = f"/admin/digests/digest/{live.pk}/history/{old.pk}/"
    assert editor.post(url, change_form_data(editor, url)).status_code == 302
    assert "Current lead" in reader_sees(live)
    approve(publisher, live)
    assert "The published lead" in reader_sees(live)


def test_restoring_a_published_version_of_a_draft_never_publishes(editor, publisher, live):
    """A digest taken back to draft stays a draft when an Editor restores a version of it that
    was published; publishing it again waits for a Publisher."""
    publisher.post("/admin/digests/digest/", {"action": "unpublish", "_selected_action": [live.pk]})
    old = Version.objects.get_for_object(live).order_by("pk").first()
    url = f"/admin/digests/digest/{live.pk}/history/{old.pk}/"
    assert editor.post(url, change_form_data(editor, url)).status_code == 302
    live.refresh_from_db()
    assert live.status == Status.DRAFT
    assert Client().get(f"/digests/{live.slug}/").status_code == 404
    approve(publisher, live)
    assert "The published lead" in reader_sees(live)


def test_recover_by_editor_comes_back_as_draft(editor, publisher, live):
    """A deleted published digest recovered by an Editor is not public at once: it comes back
    as a draft, and publishing it waits for a Publisher."""
    slug = live.slug
    with reversion.create_revision():
        live.delete()
    deleted = Version.objects.get_deleted(Digest).get()
    url = f"/admin/digests/digest/recover/{deleted.pk}/"
    assert editor.post(url, change_form_data(editor, url)).status_code == 302
    digest = Digest.objects.get(slug=slug)
    assert digest.status == Status.DRAFT
    assert Client().get(f"/digests/{slug}/").status_code == 404
    assert Item.objects.filter(section__digest=digest).count() == 1
    approve(publisher, digest)
    assert "Published wording." in reader_sees(digest)


def test_admin_import_update_of_published_digest_waits(editor, publisher):
    """An Editor uploads a new version of a published digest's file: it waits for approval."""
    from digests.importing import parse_digest, save_digest

    path = "tests/fixtures/import/several-metrics.txt"
    with open(path, "rb") as f:
        raw = f.read()
    result = save_digest(parse_digest(raw, filename="x.txt"), source="x.txt", publish=True)
    digest = result.digest
    before = reader_sees(digest)
    changed = raw.replace(
        b"Campaign results", b"Campaign results\n\nAn extra paragraph about unapproved things.", 1
    )
    upload = editor.post(
        "/admin/digests/digest/import/",
        {"file": SimpleUploadedFile("x.txt", changed, content_type="text/plain")},
    )
    source = upload.context["confirm"].initial["source"]
    response = editor.post(
        "/admin/digests/digest/import/",
        {"source": source, "filename": "x.txt", "replace": "on"},
    )
    assert response.status_code == 302
    assert reader_sees(digest) == before
    assert awaiting(digest)


def test_publisher_rejects_with_a_note(editor, publisher, live):
    """A Publisher rejects a change with a note: nothing changes for readers, the change is
    closed, and the note is kept for the author."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "Unwanted lead"
    editor.post(url, form)
    pending_url = f"/admin/digests/digest/{live.pk}/pending/"
    refused = review(publisher, live, reject="1", note="")
    assert refused.status_code == 200 and awaiting(live)  # a rejection needs a reason
    assert review(publisher, live, reject="1", note="Not sourced").status_code == 302
    change = PendingChange.objects.get()
    assert change.state == PendingChange.State.REJECTED and change.review_note == "Not sourced"
    assert "Unwanted lead" not in reader_sees(live)
    assert "Not sourced" in editor.get(pending_url).content.decode()


def test_editor_cannot_approve(editor, live):
    """Approving is a Publisher's act: an Editor's approval is refused."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "Self-approved lead"
    editor.post(url, form)
    response = editor.post(f"/admin/digests/digest/{live.pk}/pending/", {"approve": "1"})
    assert response.status_code == 403
    assert "Self-approved lead" not in reader_sees(live)


def test_publisher_edits_go_live_at_once(publisher, live):
    """A Publisher's own edit of a published digest is live on saving."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(publisher, url)
    form["lead"] = "Publisher's lead"
    assert publisher.post(url, form).status_code == 302
    assert "Publisher&#x27;s lead" in reader_sees(live)
    assert not PendingChange.objects.exists()


def test_pending_preview_is_staff_only(editor, live):
    """`?pending=1` shows readers the published page, never the waiting version."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "Secret waiting lead"
    editor.post(url, form)
    response = Client().get(f"/digests/{live.slug}/?pending=1")
    assert "Secret waiting lead" not in response.content.decode()


def test_history_compare_shows_items_sections_and_figures(publisher, live):
    """Comparing two versions in History shows an item's text change, a section added and a
    figure removed — not only the digest's own fields."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(publisher, url)
    form["sections-0-items-0-body"] = "<p>Corrected wording.</p>"
    form["metrics-0-DELETE"] = "on"
    form.update(
        {
            "sections-TOTAL_FORMS": "2",
            "sections-1-title": "New section",
            "sections-1-order": "1",
            "sections-1-anchor": "",
            "sections-1-items-TOTAL_FORMS": "0",
            "sections-1-items-INITIAL_FORMS": "0",
        }
    )
    assert publisher.post(url, form).status_code == 302
    first, second = Version.objects.get_for_object(live).order_by("pk")[:2]
    page = publisher.get(
        f"/admin/digests/digest/{live.pk}/history/compare/",
        {"version_id1": first.pk, "version_id2": second.pk},
    ).content.decode()
    assert "<del>Published</del> <ins>Corrected</ins> wording." in page
    assert "New section" in page and "added" in page
    assert "Published topic" in page and "removed" in page


def test_held_back_change_leaves_no_revision_behind(editor, live):
    """History lists what readers saw: a change waiting for approval adds no revision (the
    approval does)."""
    before = Version.objects.get_for_object(live).count()
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "Waiting lead"
    editor.post(url, form)
    item = Item.objects.get()
    url = f"/admin/digests/item/{item.pk}/change/"
    form = change_form_data(editor, url)
    form["body"] = "<p>Waiting text.</p>"
    editor.post(url, form)
    assert Version.objects.get_for_object(live).count() == before
    assert Version.objects.get_for_object(item).count() == 1


def test_approval_survives_a_person_deleted_meanwhile(editor, publisher, live):
    """A person named in a waiting change is deleted before the Publisher approves: the
    approval still goes through, without that person."""
    from people.models import Person

    person = Person.objects.create(name="Ihar Losik")
    metric = SocialMetric.objects.get()
    url = f"/admin/digests/item/{Item.objects.get().pk}/change/"
    form = change_form_data(editor, url)
    form["body"] = "<p>Ihar Losik was released.</p>"
    editor.post(url, form)
    change = awaiting(live)
    for row in change.data["objects"]:
        if row["model"] == "digests.socialmetric":
            row["fields"]["people"] = [person.pk]
    change.save()
    person.delete()
    approve(publisher, live)
    assert "Ihar Losik was released." in reader_sees(live)
    assert not SocialMetric.objects.get(pk=metric.pk).people.exists()


def test_publisher_approves_only_the_change_they_saw(editor, publisher, live, django_user_model):
    """A change replaced while the Publisher reads it is not approved: the approval is refused
    and the newer change shown."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "Harmless lead"
    editor.post(url, form)
    review_url = f"/admin/digests/digest/{live.pk}/pending/"
    seen = change_form_data(publisher, review_url)
    other = staff_in(django_user_model, "Editor", username="ed2")
    form = change_form_data(other, url)
    form["title"] = "Unseen title"
    other.post(url, form)
    response = publisher.post(review_url, {**seen, "approve": "1"})
    assert response.status_code == 200
    assert "replaced by newer ones" in response.content.decode()
    assert "Unseen title" not in reader_sees(live)
    assert awaiting(live)


def test_approval_refused_when_live_digest_changed_meanwhile(editor, publisher, live):
    """A Publisher's correction made while another Publisher reviews is not wiped by the
    approval: it is refused, and the comparison shown again against the live digest."""
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "Editor's lead"
    editor.post(url, form)
    review_url = f"/admin/digests/digest/{live.pk}/pending/"
    seen = change_form_data(publisher, review_url)
    item = Item.objects.get()
    item_url = f"/admin/digests/item/{item.pk}/change/"
    correction = change_form_data(publisher, item_url)
    correction["title"] = "Urgent correction"
    assert publisher.post(item_url, correction).status_code == 302
    response = publisher.post(review_url, {**seen, "approve": "1"})
    assert response.status_code == 200
    assert "changed after you opened this page" in response.content.decode()
    page = reader_sees(live)
    assert "Urgent correction" in page and "Editor&#x27;s lead" not in page


def test_only_publishers_lift_the_at_risk_flag(editor, publisher):
    """An Editor may mark a person at risk but cannot lift the flag or open a public profile:
    a person at risk stays hidden until a Publisher decides."""
    from people.models import Person

    at_risk = Person.objects.create(name="Maria Kalesnikava", sensitive=True)
    url = f"/admin/people/person/{at_risk.pk}/change/"
    form = change_form_data(editor, url)
    form.pop("sensitive", None)
    form["public_profile"] = "on"
    assert editor.post(url, form).status_code == 302
    at_risk.refresh_from_db()
    assert at_risk.sensitive and not at_risk.public_profile

    other = Person.objects.create(name="Ihar Losik")
    url = f"/admin/people/person/{other.pk}/change/"
    form = change_form_data(editor, url)
    form["sensitive"] = "on"
    assert editor.post(url, form).status_code == 302
    other.refresh_from_db()
    assert other.sensitive

    url = f"/admin/people/person/{at_risk.pk}/change/"
    form = change_form_data(publisher, url)
    form.pop("sensitive", None)
    assert publisher.post(url, form).status_code == 302
    at_risk.refresh_from_db()
    assert not at_risk.sensitive


def test_editors_cannot_rename_topics(editor, publisher):
    """A topic's name shows on every published page that carries it: Editors cannot rename
    or re-address it; Publishers can."""
    digest = make_digest()
    digest.tags.add("political prisoners")
    tag = digest.tags.get()
    url = f"/admin/taggit/tag/{tag.pk}/change/"
    assert editor.post(url, {"name": "EDITOR WAS HERE", "slug": "x"}).status_code == 403
    tag.refresh_from_db()
    assert tag.name == "political prisoners"
    assert publisher.post(url, {"name": "Political prisoners", "slug": tag.slug}).status_code == 302


def test_item_moved_out_of_a_published_digest_is_moved_on_approval(editor, publisher, live):
    """An Editor moves a published item into a draft: it stays live until approved, and the
    approval moves it to the draft; it is never deleted."""
    draft_section = make_section(make_digest(status=Status.DRAFT))
    item = Item.objects.get()
    url = f"/admin/digests/item/{item.pk}/change/"
    form = change_form_data(editor, url)
    form["section"] = str(draft_section.pk)
    assert editor.post(url, form).status_code == 302
    assert "Published wording." in reader_sees(live)
    approve(publisher, live)
    item.refresh_from_db()
    assert item.section == draft_section
    assert "Published wording." not in reader_sees(live)
