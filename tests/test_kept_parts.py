"""A digest page's rendered parts are kept between writes that do not touch that digest, and a
reader never sees a kept part that a write has changed.

Every write retires every cached page (tests/test_cache.py); a page rendered afresh then reuses
the digest's kept parts (its heading, body and meta) unless the write touched that digest, or
anything shared by many digests (a person, a topic, a platform). The oracle of every test here:
after a write, the page a reader gets is byte for byte the page rendered with nothing kept.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from digests.models import Digest, Item, Mention, Section, SocialMetric, Status
from digestsite.cache import content_changed, forget_counters
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

ALSO_IN = b'class="meta also-in"'


def fresh(client, url) -> bytes:
    """The page rendered with nothing kept."""
    cache.clear()
    forget_counters()
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def reader(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.content


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def site():
    person = make_person("Pavel Latushka")
    digest = make_digest(title="Monday digest", date=datetime.date(2025, 12, 1))
    section = make_section(digest, title="Meetings")
    item = make_item(section, title="A meeting", body="<p>Pavel Latushka met diplomats.</p>")
    digest.tags.add("diplomacy")
    metric = make_metric(digest, item=item, views=1200, topic="A speech")
    other = make_digest(title="Tuesday digest", date=datetime.date(2025, 12, 2))
    other_section = make_section(other, title="Releases")
    make_item(other_section, title="A release", body="<p>Pavel Latushka welcomed it.</p>")
    return {
        "person": person,
        "digest": digest,
        "section": section,
        "item": item,
        "metric": metric,
        "other": other,
        "other_section": other_section,
    }


def warm(client, *digests):
    for digest in digests:
        reader(client, digest.get_absolute_url())


def assert_current(client, *digests):
    """Each digest's page as a reader gets it now equals the page rendered from scratch."""
    kept = {d.pk: reader(client, d.get_absolute_url()) for d in digests}
    for digest in digests:
        assert kept[digest.pk] == fresh(client, digest.get_absolute_url()), digest.title


def test_parts_of_an_untouched_digest_are_kept(client, site):
    """A write to one digest retires every cached page, but the other digest's page is then
    rendered from its kept parts in one query (the digest; its versions are kept with its
    parts: tests/test_kept_versions.py) instead of six."""
    digest, other = site["digest"], site["other"]
    url = other.get_absolute_url()
    cold = queries(client, url)
    assert cold == 6
    item = site["item"]
    item.body = "<p>Pavel Latushka met ambassadors.</p>"
    item.save()
    assert queries(client, url) == 1
    assert b"met ambassadors" in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)


def test_edits_through_models_show_at_once(client, site):
    digest, other, item = site["digest"], site["other"], site["item"]
    warm(client, digest, other)

    item.title = "A longer meeting"
    item.save()
    assert b"A longer meeting" in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)

    make_item(site["section"], title="Another story", body="<p>Words.</p>")
    assert b"Another story" in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)

    section = site["section"]
    section.title = "Talks"
    section.save()
    assert_current(client, digest, other)

    metric = site["metric"]
    metric.views = 98765
    metric.save()
    assert b"98,765" in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)

    digest.title = "Monday digest, revised"
    digest.save()
    assert_current(client, digest, other)

    digest.tags.add("prisoners")
    assert b"prisoners" in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)
    digest.tags.remove("diplomacy")
    assert_current(client, digest, other)


def test_moves_between_digests_update_both(client, site):
    """An item or a section moved to another digest leaves the first one's page too."""
    digest, other, item = site["digest"], site["other"], site["item"]
    warm(client, digest, other)
    moved = Item.objects.get(pk=item.pk)
    moved.section = site["other_section"]
    moved.save()
    assert b"A meeting" not in reader(client, digest.get_absolute_url())
    assert b"A meeting" in reader(client, other.get_absolute_url())
    assert_current(client, digest, other)

    section = Section.objects.get(pk=site["other_section"].pk)
    section.digest = digest
    section.save()
    assert_current(client, digest, other)

    metric = SocialMetric.objects.get(pk=site["metric"].pk)
    metric.digest = other
    metric.item = None
    metric.save()
    assert_current(client, digest, other)


def test_deletions_show_at_once(client, site):
    digest, other = site["digest"], site["other"]
    warm(client, digest, other)
    SocialMetric.objects.filter(pk=site["metric"].pk).delete()
    assert_current(client, digest, other)
    Item.objects.get(pk=site["item"].pk).delete()
    assert b"A meeting" not in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)
    Section.objects.get(pk=site["other_section"].pk).delete()
    assert_current(client, digest, other)


def test_shared_things_retire_every_digest_s_parts(client, site):
    """A person's name or address, a topic's name: many digests show them."""
    digest, other, person = site["digest"], site["other"], site["person"]
    warm(client, digest, other)
    person.slug = "latushka"
    person.save()
    assert b"/people/latushka/" in reader(client, other.get_absolute_url())
    assert_current(client, digest, other)

    person.aliases.create(text="Latushka")
    assert_current(client, digest, other)

    person.sensitive = True
    person.save()
    assert b"/people/latushka/" not in reader(client, other.get_absolute_url())
    assert_current(client, digest, other)

    tag = Tag.objects.get(name="diplomacy")
    tag.name = "foreign relations"
    tag.save()
    assert b"foreign relations" in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)


def test_writes_around_signals_retire_parts(client, site):
    """QuerySet.update() sends no signal: the code that uses it says so (content_changed)."""
    digest, other = site["digest"], site["other"]
    warm(client, digest, other)
    Item.objects.filter(pk=site["item"].pk).update(title_html="Rewritten title")
    content_changed()
    assert b"Rewritten title" in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)


def test_suppressed_mention_unlinks_the_name(client, site):
    digest, other, person = site["digest"], site["other"], site["person"]
    warm(client, digest, other)
    assert person.get_absolute_url().encode() in reader(client, digest.get_absolute_url())
    mention = Mention.objects.get(item=site["item"], person=person)
    mention.source = Mention.Source.SUPPRESSED
    mention.save()
    assert_current(client, digest, other)
    Item.objects.get(pk=site["item"].pk).save()  # as the item's admin page saves it
    assert person.get_absolute_url().encode() not in reader(client, digest.get_absolute_url())
    assert_current(client, digest, other)


def test_translations_show_in_also_in(client, site):
    digest = site["digest"]
    warm(client, digest)
    version = make_digest(
        title="Панядзелак",
        date=digest.date,
        language="be",
        translation_of=digest,
        status=Status.DRAFT,
    )
    assert ALSO_IN not in reader(client, digest.get_absolute_url())
    version.status = Status.PUBLISHED
    version.save()
    assert ALSO_IN in reader(client, digest.get_absolute_url())
    assert_current(client, digest)


def test_staff_never_read_or_store_kept_parts(staff_client, site):
    """Staff see empty sections (marked) and drafts; readers never get their rendering, and
    staff never get the readers' one."""
    digest = site["digest"]
    make_section(digest, title="Nothing yet")
    url = digest.get_absolute_url()
    page = staff_client.get(url).content
    assert b"section--empty" in page
    anonymous = Client()
    assert b"section--empty" not in reader(anonymous, url)
    assert b"section--empty" in staff_client.get(url).content


@pytest.mark.django_db(transaction=True)
def test_parts_retired_again_when_the_write_commits():
    """A reader rendering between a write and its commit sees the digest as it was, and
    keeps it under the version of that moment: the version moves again at commit."""
    from digestsite.cache import fragment_version

    digest = make_digest(title="Monday digest")
    item = make_item(make_section(digest, title="Meetings"), title="A meeting")
    scope = digest.kept_scope
    before = fragment_version(scope)
    with transaction.atomic():
        item.title = "Changed"
        item.save()
        during = fragment_version(scope)
        assert during != before
    assert fragment_version(scope) not in {before, during}


def test_a_digest_read_before_a_write_never_keeps_its_old_text(client, rf, site):
    """A reader who read the digest's row just before an editor's save, and its version just
    after, renders the old text: it is kept under a key nobody asks for again."""
    from digests.digest_page import _render_digest

    digest = site["digest"]
    url = digest.get_absolute_url()
    read_before = Digest.objects.get(pk=digest.pk)
    digest.title = "Monday digest, corrected"
    digest.lead = "A new lead."
    digest.save()
    request = rf.get(url)
    request.user = AnonymousUser()
    assert b"corrected" not in _render_digest(request, read_before).content
    page = reader(client, url)
    assert b"<h1>Monday digest, corrected</h1>" in page
    assert b'<p class="lead">A new lead.</p>' in page


def test_a_new_release_renders_its_own_parts(client, site, monkeypatch):
    """During a deploy old and new code share the cache: what one release kept rendered is
    never shown by another, whose templates may write it differently."""
    from digestsite import cache_middleware, release

    other = site["other"]
    url = other.get_absolute_url()
    reader(client, url)
    site["item"].save()  # retires the cached pages, keeps the other digest's parts
    assert queries(client, url) == 1
    site["item"].save()
    monkeypatch.setattr(release, "fingerprint", lambda: "a-later-release")
    monkeypatch.setattr(cache_middleware, "_headers_fingerprint", None)
    assert queries(client, url) == 6
    assert queries(client, url) == 0  # then its own page is cached


def test_the_release_follows_the_templates(settings, tmp_path):
    """Changing, adding or renaming a template gives another release; undoing it, the same."""
    from digestsite import release

    page = tmp_path / "page.html"
    page.write_text("<p>{{ digest.title }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    seen = []
    for change in (
        lambda: None,
        lambda: page.write_text("<p>{{ digest.title|upper }}</p>"),
        lambda: (tmp_path / "other.html").write_text("<p></p>"),
        lambda: (tmp_path / "other.html").rename(tmp_path / "another.html"),
        lambda: (tmp_path / "another.html").unlink(),
    ):
        change()
        release.fingerprint.cache_clear()
        seen.append(release.fingerprint())
    release.fingerprint.cache_clear()
    assert len(set(seen[:4])) == 4
    assert seen[4] == seen[1]
