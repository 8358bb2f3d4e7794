"""Every door an editor, a publisher or a hostile reader has to the versions a digest page
lists ("Also in", the language switcher, the hreflang links: kept with the page's parts) and
to the page chrome kept between pages (base.html).

The oracle, as in tests/test_attack_kept_parts.py: after any write, and whenever a scheduled
version comes out, the page a reader gets (at its address, and with a query parameter the page
cache never stores) is byte for byte the page rendered with nothing kept; a version that is
not public never shows, by address or by title. The doors that held stay here, compactly.
"""

import datetime

import pytest
import reversion
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone
from reversion.models import Version

from digests.models import Digest, PendingChange, Status
from digests.moderation import approve
from tests.factories import make_digest
from tests.test_attack_kept_parts import JUNK, assert_current, from_scratch, page, post_form
from tests.test_kept_versions import make_family

pytestmark = pytest.mark.django_db


@pytest.fixture
def family():
    """The family of tests/test_kept_versions.py, its revisions recorded, with a Russian
    version of the original kept as a draft and a public one of the other digest."""
    with reversion.create_revision():
        built = make_family()
        original, other = built["original"], built["other"]
        ru = make_digest(
            title="Секретный понедельник",
            slug="sekretnyi",
            language="ru",
            translation_of=original,
            date=original.date,
            status=Status.DRAFT,
        )
        other_ru = make_digest(
            title="Вторник", slug="vtornik", language="ru", translation_of=other, date=other.date
        )
    return {
        "original": original,
        "be": built["translation"],
        "ru": ru,
        "other": other,
        "other_ru": other_ru,
    }


def public(family) -> list:
    return list(Digest.objects.published().filter(pk__in=[d.pk for d in family.values()]))


def warm_all(family):
    for digest in public(family):
        for suffix in ("", JUNK):
            page(digest.get_absolute_url() + suffix)


def assert_all_current(family):
    """Every public page of the family is the page from scratch, and no page a reader gets
    names a version readers may not see."""
    digests = public(family)
    hidden = Digest.objects.exclude(pk__in=Digest.objects.published())
    for suffix in (JUNK, ""):
        assert_current(*digests, suffix=suffix)
        for digest in digests:
            content = page(digest.get_absolute_url() + suffix)
            for secret in hidden:
                assert secret.slug.encode() not in content, (digest.slug, secret.slug)
                assert secret.title.encode() not in content, (digest.slug, secret.title)


def shows(content: bytes, digest) -> bool:
    return f'href="{digest.get_absolute_url()}"'.encode() in content


def make_editor(username="editor") -> Client:
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    editor = Client()
    editor.force_login(user)
    return editor


def digest_form(digest) -> str:
    return f"/admin/digests/digest/{digest.pk}/change/"


# Doors: each writes, then every reader's page of the family is the page from scratch


def publisher_takes_a_version_back_to_draft(family, staff):
    post_form(staff, digest_form(family["be"]), status="draft", publish_at_0="", publish_at_1="")


def publisher_publishes_the_draft_version(family, staff):
    now = timezone.localtime()
    post_form(
        staff,
        digest_form(family["ru"]),
        status="published",
        publish_at_0=now.strftime("%Y-%m-%d"),
        publish_at_1=now.strftime("%H:%M:%S"),
    )


def publisher_schedules_a_public_version(family, staff):
    later = timezone.localtime() + datetime.timedelta(days=1)
    post_form(
        staff,
        digest_form(family["be"]),
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:%S"),
    )


def publisher_moves_a_version_to_another_digest(family, staff):
    post_form(staff, digest_form(family["be"]), translation_of=str(family["other"].pk))


def publisher_moves_a_version_to_a_translation_of_another(family, staff):
    """A translation of a translation joins the original's group (`Digest.clean`)."""
    post_form(staff, digest_form(family["be"]), translation_of=str(family["other_ru"].pk))
    assert Digest.objects.get(pk=family["be"].pk).translation_of_id == family["other"].pk


def publisher_makes_a_version_an_original(family, staff):
    post_form(staff, digest_form(family["be"]), translation_of="")


def publisher_changes_a_version_s_language(family, staff):
    family["ru"].delete()
    post_form(staff, digest_form(family["be"]), language="ru")


def publisher_changes_a_version_s_address_and_title(family, staff):
    post_form(staff, digest_form(family["be"]), slug="panyadzelak-novy", title="Новы загаловак")


def publisher_changes_the_original_s_address(family, staff):
    post_form(staff, digest_form(family["original"]), slug="monday-renamed", title="Renamed")


def publisher_takes_the_original_back_to_draft(family, staff):
    """Its versions stay public, each now listing only the others."""
    post_form(
        staff, digest_form(family["original"]), status="draft", publish_at_0="", publish_at_1=""
    )


def a_reviewer_opens_a_preview_link_to_the_draft_version(family, staff):
    from digests.models import PreviewLink

    link = PreviewLink.objects.create(
        digest=family["ru"], expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert b"sekretnyi" in Client().get(link.get_absolute_url()).content


def publisher_unpublishes_in_bulk(family, staff):
    data = {"action": "unpublish", "_selected_action": [family["be"].pk, family["other"].pk]}
    assert staff.post("/admin/digests/digest/", data).status_code == 302


def publisher_publishes_in_bulk(family, staff):
    data = {"action": "publish", "_selected_action": [family["ru"].pk]}
    assert staff.post("/admin/digests/digest/", data).status_code == 302


def publisher_deletes_a_version(family, staff):
    url = f"/admin/digests/digest/{family['be'].pk}/delete/"
    assert staff.post(url, {"post": "yes"}).status_code == 302


def publisher_deletes_originals_in_bulk(family, staff):
    pks = [family["original"].pk, family["other"].pk]
    data = {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    assert staff.post("/admin/digests/digest/", data).status_code == 302


def publisher_restores_a_version_s_draft_from_history(family, staff):
    """History holds the draft the Russian version was; restoring it after publishing takes it
    back to draft, a raw save."""
    ru = family["ru"]
    with reversion.create_revision():
        ru.status, ru.publish_at = Status.PUBLISHED, timezone.now()
        ru.save()
    warm_all(family)
    old = Version.objects.get_for_object(ru).order_by("pk").first()
    post_form(staff, f"/admin/digests/digest/{ru.pk}/history/{old.pk}/")
    assert not Digest.objects.get(pk=ru.pk).is_public


def publisher_restores_a_version_s_old_original_from_history(family, staff):
    be = family["be"]
    with reversion.create_revision():
        be.translation_of = family["other"]
        be.save()
    warm_all(family)
    old = Version.objects.get_for_object(be).order_by("pk").first()
    post_form(staff, f"/admin/digests/digest/{be.pk}/history/{old.pk}/")
    assert Digest.objects.get(pk=be.pk).translation_of_id == family["original"].pk


def publisher_recovers_a_deleted_version(family, staff):
    with reversion.create_revision():
        Digest.objects.get(pk=family["be"].pk).delete()
    warm_all(family)
    deleted = Version.objects.get_deleted(Digest).get(object_id=str(family["be"].pk))
    post_form(staff, f"/admin/digests/digest/recover/{deleted.pk}/")
    assert Digest.objects.filter(pk=family["be"].pk).exists()


def editor_moves_a_version_and_a_publisher_approves(family, staff):
    """An Editor's change to a public version waits (readers still see the old family), then
    goes live when approved."""
    editor = make_editor()
    post_form(editor, digest_form(family["be"]), translation_of="", title="Адзін")
    assert PendingChange.objects.awaiting().exists()
    assert_all_current(family)
    assert shows(page(family["original"].get_absolute_url() + JUNK), family["be"])
    staff.get(family["be"].get_absolute_url() + "?pending=1")  # the publisher looks first
    for change in PendingChange.objects.awaiting():
        approve(change, user=get_user_model().objects.get(username="chief"))
    assert not shows(page(family["original"].get_absolute_url() + JUNK), family["be"])


def editor_edits_the_draft_version(family, staff):
    """A draft is not moderated: an Editor's edit goes straight in, still a draft."""
    post_form(make_editor(), digest_form(family["ru"]), title="Ещё секретнее", slug="sekret-2")


def staff_previews_then_readers_read(family, staff):
    for digest in family.values():
        staff.get(digest.get_absolute_url())
        staff.get(digest.get_absolute_url() + JUNK)


def import_a_new_version_naming_its_original(family, staff):
    from digests.importing import parse_digest, save_digest

    with open("tests/fixtures/import/several-metrics.txt", "rb") as f:
        parsed = parse_digest(f.read(), filename="x.txt")
    parsed.language = "ru"
    family["ru"].delete()
    save_digest(parsed, source="x.txt", publish=True, translation_of="panyadzelak")


def a_script_saves_a_version_of_a_version(family, staff):
    """No form: a script (or a shell) saves what `Digest.clean` would have refused, a chain."""
    ru = Digest.objects.get(pk=family["ru"].pk)
    ru.translation_of, ru.status = family["be"], Status.PUBLISHED
    ru.publish_at = timezone.now()
    ru.save()
    assert_all_current(family)
    be = Digest.objects.get(pk=family["be"].pk)
    be.title = "Панядзелак, выпраўлены"
    be.save()


def an_update_around_signals_then_content_changed(family, staff):
    from digestsite.cache import content_changed

    Digest.objects.filter(pk=family["be"].pk).update(slug="panyadzelak-3", title="Трэці")
    content_changed(schedule=True)


DOORS = [
    publisher_takes_a_version_back_to_draft,
    publisher_publishes_the_draft_version,
    publisher_schedules_a_public_version,
    publisher_moves_a_version_to_another_digest,
    publisher_moves_a_version_to_a_translation_of_another,
    publisher_makes_a_version_an_original,
    publisher_changes_a_version_s_language,
    publisher_changes_a_version_s_address_and_title,
    publisher_changes_the_original_s_address,
    publisher_takes_the_original_back_to_draft,
    a_reviewer_opens_a_preview_link_to_the_draft_version,
    publisher_unpublishes_in_bulk,
    publisher_publishes_in_bulk,
    publisher_deletes_a_version,
    publisher_deletes_originals_in_bulk,
    publisher_restores_a_version_s_draft_from_history,
    publisher_restores_a_version_s_old_original_from_history,
    publisher_recovers_a_deleted_version,
    editor_moves_a_version_and_a_publisher_approves,
    editor_edits_the_draft_version,
    staff_previews_then_readers_read,
    import_a_new_version_naming_its_original,
    a_script_saves_a_version_of_a_version,
    an_update_around_signals_then_content_changed,
]


@pytest.mark.parametrize("door", DOORS)
def test_doors_to_the_versions_a_page_lists(family, staff_client, door):
    warm_all(family)
    door(family, staff_client)
    assert_all_current(family)


PAGES_LOCAL = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages-local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "attack-kept-versions",
    },
}


@pytest.mark.parametrize(
    "door",
    [
        publisher_takes_a_version_back_to_draft,
        publisher_moves_a_version_to_another_digest,
        publisher_restores_a_version_s_draft_from_history,
        editor_moves_a_version_and_a_publisher_approves,
    ],
)
def test_doors_with_each_process_keeping_its_own_parts(family, staff_client, door):
    """Production keeps parts in each process's memory (`pages-local`), beside its copies of
    pages: the versions a page lists follow every write there too."""
    from django.core.cache import caches

    with override_settings(CACHES=PAGES_LOCAL, PUBLIC_CACHE_COUNTER_SECONDS=0):
        caches["pages-local"].clear()
        warm_all(family)
        door(family, staff_client)
        assert_all_current(family)


@pytest.mark.django_db(transaction=True)
def test_a_version_written_in_a_transaction_moves_its_family_again_at_commit():
    """A reader who renders the original's page while a write to a version is not yet
    committed keeps the versions as committed before it: the original's pages, and those of
    the original it is moved away from, are read again when the write commits."""
    from digestsite.cache import fragment_version

    original = make_digest(title="Monday digest", slug="monday")
    other = make_digest(title="Tuesday digest", slug="tuesday")
    be = make_digest(title="Панядзелак", slug="panyadzelak", language="be", translation_of=original)
    with transaction.atomic():
        be = Digest.objects.get(pk=be.pk)
        be.translation_of, be.status, be.publish_at = other, Status.DRAFT, None
        be.save()
        seen = {d.pk: fragment_version(*d.page_scopes) for d in (original, other)}
    for digest in (original, other):
        assert fragment_version(*digest.page_scopes) != seen[digest.pk], digest.slug


# Scheduled versions coming out with nothing written


def at(moment):
    return lambda: moment


def test_a_write_rolled_back_leaves_a_scheduled_version_to_come_out(family, monkeypatch):
    """A write that never commits (an import refused half-way, a moderated edit, a failed
    save) must not decide when the kept versions are next read: the scheduled version comes
    out at its time all the same."""
    original, ru = family["original"], family["ru"]
    when = timezone.now() + datetime.timedelta(minutes=30)
    Digest.objects.filter(pk=ru.pk).update(status=Status.PUBLISHED, publish_at=when)
    from digestsite.cache import content_changed

    content_changed(schedule=True)
    url = original.get_absolute_url() + JUNK
    assert not shows(page(url), ru)

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        draft = Digest.objects.get(pk=ru.pk)
        draft.status, draft.publish_at = Status.DRAFT, None
        draft.save()
        raise Refused
    assert not shows(page(url), ru) and b"sekretnyi" not in page(url)
    monkeypatch.setattr(timezone, "now", at(when + datetime.timedelta(seconds=1)))
    assert shows(page(url), ru)
    assert_all_current(family)
    # Still there when the time of the next publication was looked up again from scratch.
    monkeypatch.setattr(timezone, "now", at(when + datetime.timedelta(hours=1)))
    assert shows(page(url), ru)


def test_an_import_refused_half_way_leaves_a_scheduled_version_to_come_out(family, monkeypatch):
    """The same through a real door: an import that publishes a scheduled version at once,
    then is refused (its original already has a version in that language), changes nothing,
    and the version still comes out at its time."""
    from digests.importing import DigestConflict, parse_digest, save_digest

    with open("tests/fixtures/import/several-metrics.txt", "rb") as f:
        parsed = parse_digest(f.read(), filename="x.txt")
    parsed.language = "ru"
    family["ru"].delete()
    family["other_ru"].delete()
    imported = save_digest(parsed, source="x.txt").digest
    when = timezone.now() + datetime.timedelta(minutes=30)
    scheduled = Digest.objects.get(pk=imported.pk)
    scheduled.translation_of = family["other"]
    scheduled.status, scheduled.publish_at = Status.PUBLISHED, when
    scheduled.save()
    url = family["other"].get_absolute_url() + JUNK
    assert not shows(page(url), scheduled)
    make_digest(title="Понедельник", language="ru", translation_of=family["original"])
    with pytest.raises(DigestConflict):
        save_digest(parsed, source="x.txt", publish=True, replace=True, translation_of="monday")
    assert not Digest.objects.get(pk=scheduled.pk).is_public
    assert not shows(page(url), scheduled)
    monkeypatch.setattr(timezone, "now", at(when + datetime.timedelta(seconds=1)))
    assert shows(page(url), scheduled)
    assert page(url) == from_scratch(url)


def test_a_scheduled_version_comes_out_on_every_page_of_its_family(family, monkeypatch):
    """Kept under each page's own key: the original's page, the other version's, and at each
    of them with and without a parameter."""
    when = timezone.now() + datetime.timedelta(minutes=5)
    ru = Digest.objects.get(pk=family["ru"].pk)
    ru.status, ru.publish_at = Status.PUBLISHED, when
    ru.save()
    warm_all(family)
    monkeypatch.setattr(timezone, "now", at(when))  # publish_at <= now: public
    for digest in (family["original"], family["be"]):
        for suffix in ("", JUNK):
            assert shows(page(digest.get_absolute_url() + suffix), ru)
    assert_all_current(family)


def test_a_version_scheduled_again_before_its_time_stays_hidden(family, monkeypatch, staff_client):
    """Scheduled for 10:00, moved to 12:00 at 09:00: at 11:00 nothing shows."""
    start = timezone.now()
    ru = Digest.objects.get(pk=family["ru"].pk)
    ru.status, ru.publish_at = Status.PUBLISHED, start + datetime.timedelta(hours=1)
    ru.save()
    warm_all(family)
    ru = Digest.objects.get(pk=ru.pk)
    ru.publish_at = start + datetime.timedelta(hours=3)
    ru.save()
    warm_all(family)
    monkeypatch.setattr(timezone, "now", at(start + datetime.timedelta(hours=2)))
    warm_all(family)
    assert_all_current(family)
    for digest in (family["original"], family["be"]):
        assert b"sekretnyi" not in page(digest.get_absolute_url() + JUNK)


# The kept page chrome


@pytest.mark.parametrize(
    "url, headers",
    [
        ("/", {"HTTP_HOST": "evil.example"}),  # not in ALLOWED_HOSTS: Django's own 400
        ("/digests/?" + "&".join(f"f{n}=1" for n in range(5100)), {}),  # too many fields
    ],
)
def test_a_request_django_refuses_gets_the_400_page_not_a_500(url, headers):
    """Django answers some requests itself with the 400 page, rendered with no request and no
    context processors: the chrome is rendered there as it is, never an error."""
    response = Client(raise_request_exception=False).get(url, **headers)
    assert response.status_code == 400
    assert b"Request refused" in response.content
    assert b'class="site-footer"' in response.content


def test_every_address_prefix_and_error_page_gets_its_own_language_chrome(staff_client):
    """Staff first (their pages are private), then readers in each language, at pages, at 404s
    and at a page asking for a language in a header and a cookie: each is the page rendered
    with nothing kept."""
    from tests.public_urls import sample_site

    sample_site()
    urls = [
        prefix + path
        for prefix in ("", "/be", "/ru")
        for path in ("/", "/people/", "/no-such-page/", "/search/?q=Latushka", "/privacy/")
    ]
    for url in urls:
        staff_client.get(url)
    readers = [
        Client(),
        Client(HTTP_ACCEPT_LANGUAGE="ru"),
        Client(HTTP_COOKIE="django_language=be"),
    ]
    for url in urls:
        for reader_client in readers:
            response = reader_client.get(url)
            cache_kept = response.content
            from_nothing = (from_scratch_any(reader_client, url), response.status_code)
            assert (cache_kept, response.status_code) == from_nothing, url
            assert b"chief" not in cache_kept and b"/admin/" not in cache_kept


def from_scratch_any(client, url) -> bytes:
    from django.core.cache import cache

    from digestsite.cache import forget_counters

    cache.clear()
    forget_counters()
    return client.get(url).content


def test_a_search_box_filled_in_never_reaches_another_page():
    """The search box is kept empty; a page that shows the words asked for renders it."""
    first = page("/search/?q=Tsikhanouskaya")
    assert b'value="Tsikhanouskaya"' in first
    for url in ("/", "/people/", "/search/", "/search/?q=", "/be/search/?q=Лукашэнка"):
        content = Client().get(url).content
        assert b"Tsikhanouskaya" not in content, url
    assert 'value="Лукашэнка"'.encode() in Client().get("/be/search/?q=Лукашэнка").content


def test_each_section_marks_itself_current_after_another():
    """The navigation's current section is its own on each kind of page, in any order."""
    from tests.public_urls import PUBLIC_URLS, sample_site

    site = sample_site()
    names = {
        "people:person-detail": b'href="/people/" aria-current="page"',
        "people:organization-detail": b'href="/organizations/" aria-current="page"',
        "digests:tag": None,
        "digests:digest-detail": b'href="/digests/" aria-current="page"',
        "digests:metrics": b'href="/metrics/" aria-current="page"',
        "digests:privacy": None,
    }
    for _ in range(2):
        for name, current in names.items():
            url = PUBLIC_URLS[name](site)
            response = Client().get(url)
            assert response.status_code == 200, url
            header = response.content.split(b"</header>")[0]
            if current is None:
                assert b'aria-current="page"' not in header.split(b"site-nav")[1], url
            else:
                assert current in header, (url, header[-1500:])
                nav = header.split(b"site-nav")[1]
                assert nav.count(b'aria-current="page"') == 1, url


def test_a_version_read_without_its_original_then_moved_and_taken_back(family):
    """A script reads a version with only some columns (`only()`), then moves it to another
    digest as a draft: the row as read says nothing of the original it left, whose pages must
    not go on listing it."""
    warm_all(family)
    be = Digest.objects.only("pk", "title").get(pk=family["be"].pk)
    be.translation_of, be.status, be.publish_at = family["other"], Status.DRAFT, None
    be.title = "Чарнавік"
    be.save()
    assert_all_current(family)


def test_a_section_read_without_its_digest_then_moved(family):
    """The same for a section read with only some columns and moved to another digest: the
    digest it left shows it no more."""
    from digests.models import Section

    warm_all(family)
    section = Section.objects.only("pk", "title").get(digest=family["original"])
    section.digest = family["other"]
    section.save()
    assert b"A meeting" not in page(family["original"].get_absolute_url() + JUNK)
    assert_all_current(family)
