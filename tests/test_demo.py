import pytest
from django.core.management import CommandError, call_command

from digests.demo import load_demo
from digests.models import Digest, Item, SocialMetric
from people.models import Alias, Organization, Person

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_is_public(client):
    """`make run` shows a published demo digest, and restarting it duplicates nothing."""
    assert load_demo() is True
    counts = [m.objects.count() for m in (Digest, Item, SocialMetric, Person, Organization, Alias)]
    assert load_demo() is False
    assert [
        m.objects.count() for m in (Digest, Item, SocialMetric, Person, Organization, Alias)
    ] == counts
    digest = Digest.objects.published().order_by("-date").first()
    response = client.get("/")
    assert response.context["latest"] == digest
    assert client.get(digest.get_absolute_url()).status_code == 200
    assert SocialMetric.objects.filter(views=2_000_000).exists()


def test_local_staff_refuses_without_debug(settings):
    """The generated local account can never be created on a production site."""
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("local_staff")


def test_local_staff_resets_password_each_start(settings, capsys, client):
    """Each `make run` prints working credentials for the admin."""
    settings.DEBUG = True
    call_command("local_staff")
    call_command("local_staff")
    out = capsys.readouterr().out
    password = out.strip().splitlines()[-1].split("password: ")[1]
    assert client.login(username="editor", password=password)
