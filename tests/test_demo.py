import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from digests.demo import SAMPLE_FILES, SAMPLE_TEXTS, load_demo
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


def test_demo_has_belarusian_and_russian_versions(client):
    """`make run` shows a digest on /be/ and /ru/: the sample digest's versions, published and
    linked as one group, each offering the others; local names on the local pages."""
    load_demo()
    versions = {}
    for language in ("be", "ru"):
        latest = client.get(f"/{language}/").context["latest"]
        assert latest is not None and latest.language == language and latest.is_public
        versions[language] = latest
    original = versions["be"].translation_of
    assert original is not None and original.language == "en" and original.is_public
    assert versions["ru"].translation_of == original
    for digest in (original, *versions.values()):
        html = client.get(digest.get_absolute_url()).content.decode()
        also = re.search(r'<p class="meta also-in">(.*?)</p>', html).group(1)
        for other in {original, *versions.values()} - {digest}:
            assert f'href="{other.get_absolute_url()}" hreflang="{other.language}"' in also
    be = client.get("/be/people/pavel-latushka/").content.decode()
    assert "<h1>Павел Латушка</h1>" in be and ">Нацыянальнае антыкрызіснае ўпраўленне</a>" in be
    assert "<h1>Павел Латушко</h1>" in client.get("/ru/people/pavel-latushka/").content.decode()


def test_demo_texts_are_the_sample_fixtures():
    """The demo ships the sample digest's three texts (the Docker image has no tests/): they
    stay the very texts the tests import."""
    fixtures = Path(__file__).parent / "fixtures" / "import"
    for name in SAMPLE_FILES:
        assert (SAMPLE_TEXTS / name).read_bytes() == (fixtures / name).read_bytes(), name
