"""A digest's versions in other languages ("Also in", the language switcher, the hreflang
links) are kept with its rendered parts: after a write elsewhere, a reader's page of an
untouched digest is read in one query, the digest itself.

The rule under test: a reader never sees a version that is not public (a draft's address or
title is news the newsroom has not published), and never misses one that is, whatever door the
write came through and when a scheduled version comes out. The oracle, as in
tests/test_kept_parts.py: the page a reader gets is byte for byte the page rendered with
nothing kept.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from digests.models import Digest, Status
from digestsite.cache import content_changed
from tests.factories import make_digest, make_item, make_section
from tests.test_kept_parts import ALSO_IN, assert_current, queries, reader

pytestmark = pytest.mark.django_db

ALTERNATE_BE = b'<link rel="alternate" hreflang="be"'


def make_family() -> dict:
    """An English original with a Belarusian version, and another digest: all public."""
    original = make_digest(title="Monday digest", slug="monday", date=datetime.date(2025, 12, 1))
    make_item(make_section(original, title="Meetings"), title="A meeting")
    translation = make_digest(
        title="Панядзелак",
        slug="panyadzelak",
        language="be",
        translation_of=original,
        date=original.date,
    )
    make_item(make_section(translation, title="Сустрэчы"), title="Сустрэча")
    other = make_digest(title="Tuesday digest", slug="tuesday", date=datetime.date(2025, 12, 2))
    other_item = make_item(make_section(other, title="Releases"), title="A release")
    return {
        "original": original,
        "translation": translation,
        "other": other,
        "other_item": other_item,
    }


@pytest.fixture
def family():
    return make_family()


def shows(page: bytes, digest) -> bool:
    return f'href="{digest.get_absolute_url()}"'.encode() in page


def test_an_untouched_digest_is_read_in_one_query(client, family):
    """A write to another digest retires every cached page; the page of a digest it did not
    touch is then read in one query, versions and all."""
    original, translation = family["original"], family["translation"]
    url = original.get_absolute_url()
    assert queries(client, url) == 6
    family["other_item"].save()
    assert queries(client, url) == 1
    page = reader(client, url)
    assert ALSO_IN in page and shows(page, translation)
    assert ALTERNATE_BE in page
    assert_current(client, original, translation)


def test_a_version_taken_back_to_draft_leaves_every_page_at_once(client, family):
    original, translation = family["original"], family["translation"]
    reader(client, original.get_absolute_url())
    reader(client, original.get_absolute_url() + "?utm_source=x")  # never stored, parts kept
    translation.status = Status.DRAFT
    translation.save()
    for url in (original.get_absolute_url(), original.get_absolute_url() + "?utm_source=y"):
        page = reader(client, url)
        assert ALSO_IN not in page and ALTERNATE_BE not in page
        assert not shows(page, translation)
        assert "Панядзелак".encode() not in page
    assert_current(client, original)


def test_a_version_s_new_address_shows_at_once(client, family):
    original, translation = family["original"], family["translation"]
    reader(client, original.get_absolute_url())
    old = translation.get_absolute_url()
    translation.slug = "panyadzelak-2"
    translation.save()
    page = reader(client, original.get_absolute_url())
    assert shows(page, translation)
    assert f'href="{old}"'.encode() not in page
    assert_current(client, original)


def test_a_version_moved_to_another_digest_follows(client, family):
    original, translation, other = family["original"], family["translation"], family["other"]
    reader(client, original.get_absolute_url())
    reader(client, other.get_absolute_url())
    translation.translation_of = other
    translation.save()
    assert not shows(reader(client, original.get_absolute_url()), translation)
    assert shows(reader(client, other.get_absolute_url()), translation)
    assert_current(client, original, other, translation)


def test_a_version_or_its_original_deleted_leaves(client, family):
    original, translation = family["original"], family["translation"]
    reader(client, original.get_absolute_url())
    reader(client, translation.get_absolute_url())
    translation_url = translation.get_absolute_url()
    Digest.objects.get(pk=translation.pk).delete()
    assert ALSO_IN not in reader(client, original.get_absolute_url())

    again = make_digest(
        title="Панядзелак", slug="panyadzelak", language="be", translation_of=original
    )
    assert shows(reader(client, original.get_absolute_url()), again)
    assert ALSO_IN in reader(client, translation_url)
    Digest.objects.get(pk=original.pk).delete()  # the translation is left on its own
    page = reader(client, translation_url)
    assert ALSO_IN not in page and b'href="/digests/monday/"' not in page
    assert_current(client, again)


def test_a_version_saved_without_being_read_first(client, family):
    """A row built in memory (a restore, a script) says nothing of the family it was in: every
    kept version is read again."""
    original, translation = family["original"], family["translation"]
    reader(client, original.get_absolute_url())
    values = {f.attname: getattr(translation, f.attname) for f in Digest._meta.concrete_fields}
    Digest(**{**values, "translation_of_id": None}).save()
    assert ALSO_IN not in reader(client, original.get_absolute_url())
    assert_current(client, original)


def test_writes_around_signals_retire_kept_versions(client, family):
    original, translation = family["original"], family["translation"]
    reader(client, original.get_absolute_url())
    Digest.objects.filter(pk=translation.pk).update(status=Status.DRAFT)
    content_changed(schedule=True)
    assert not shows(reader(client, original.get_absolute_url()), translation)


def test_a_scheduled_version_appears_when_its_time_comes(client, family, monkeypatch):
    """Nothing is written when a scheduled version comes out: the kept versions carry the time
    of the next scheduled publication."""
    original = family["original"]
    at = timezone.now() + datetime.timedelta(minutes=30)
    scheduled = make_digest(
        title="Понедельник",
        slug="ponedelnik",
        language="ru",
        translation_of=original,
        publish_at=at,
    )
    url = original.get_absolute_url() + "?utm_source=x"  # never a stored page
    assert not shows(reader(client, url), scheduled)
    monkeypatch.setattr(timezone, "now", lambda: at - datetime.timedelta(seconds=1))
    assert not shows(reader(client, url), scheduled)
    assert b"ponedelnik" not in reader(client, url)
    monkeypatch.setattr(timezone, "now", lambda: at + datetime.timedelta(seconds=1))
    assert shows(reader(client, url), scheduled)


def test_staff_drafts_never_reach_readers(staff_client, family):
    """Staff see draft versions in "Also in"; what they render is never kept for readers, and
    what readers keep is never shown to staff."""
    original = family["original"]
    draft = make_digest(
        title="Понедельник",
        slug="ponedelnik",
        language="ru",
        translation_of=original,
        status=Status.DRAFT,
    )
    url = original.get_absolute_url()
    anonymous = Client()
    assert shows(staff_client.get(url).content, draft)
    page = reader(anonymous, url)
    assert not shows(page, draft) and b"ponedelnik" not in page
    assert not shows(reader(anonymous, url + "?utm_source=x"), draft)
    assert shows(staff_client.get(url).content, draft)
