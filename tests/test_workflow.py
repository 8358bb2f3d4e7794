"""Editorial roles and concurrent edits."""

import pytest
from django.contrib.auth.models import Group

from digests.models import Digest, Status
from tests.factories import make_digest
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
