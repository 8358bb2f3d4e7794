"""The admin as the newsroom uses it: its work first, clear times, phones, fixed query costs."""

import re

import pytest
from django.contrib.auth.models import Group
from django.contrib.staticfiles import finders

from digests.models import Item
from tests.factories import make_digest, make_item, make_metric, make_person, make_section
from tests.test_admin import management

pytestmark = pytest.mark.django_db


def captions(html):
    return re.findall(r'<caption>\s*<a href="[^"]*" class="section"[^>]*>([^<]+)</a>', html)


def test_index_shows_the_newsroom_work_first(client, django_user_model):
    """An editor's admin home lists digests, people and organizations, figures and imports,
    in that order, and none of the technical apps."""
    editor = django_user_model.objects.create_user("ed", password="pw-12345678", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert captions(html) == ["Digests", "People and organizations", "Figures", "Import"]
    assert "Technical" not in html
    assert "/admin/digests/digest/import/" in html
    assert "/admin/people/person/import/" in html


def test_index_offers_imports_only_to_who_may_import(client, django_user_model):
    """Staff who may only read see no import links."""
    from django.contrib.auth.models import Permission

    reader = django_user_model.objects.create_user("rd", password="pw-12345678", is_staff=True)
    reader.user_permissions.set(
        Permission.objects.filter(codename__in=["view_digest", "view_person"])
    )
    client.force_login(reader)
    html = client.get("/admin/").content.decode()
    assert captions(html) == ["Digests", "People and organizations"]
    assert "/import/" not in html


def test_superusers_see_technical_apps_apart(staff_client):
    """Superusers find authentication, lockouts, devices, tags and history after the
    newsroom's work, under their own heading."""
    html = staff_client.get("/admin/").content.decode()
    names = captions(html)
    assert names[:4] == ["Digests", "People and organizations", "Figures", "Import"]
    technical = html.index("Technical (superusers only)")
    for app in [
        "Authentication and Authorization",
        "Sign-in attempts and lockouts",
        "Topics (tags)",
        "Two-factor: authenticator apps",
    ]:
        assert app in names[4:], names
        assert html.index(f">{app}</a>") > technical


def test_app_pages_are_unchanged(staff_client):
    """An app's own admin page still lists that app's models."""
    response = staff_client.get("/admin/digests/")
    assert response.status_code == 200
    assert "Social media figures" in response.content.decode()


def test_sections_and_items_show_drag_handles(staff_client):
    """Section and item headers in the digest form carry a visible grip for dragging."""
    digest = make_digest()
    make_item(make_section(digest))
    html = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/").content.decode()
    assert "css/admin.css" in html
    assert 'class=" djn-drag-handler"' in html
    css = open(finders.find("css/admin.css"), encoding="utf-8").read()
    assert re.search(r"h3\.djn-drag-handler::before\s*{[^}]*content:", css)


def test_admin_states_the_site_time_zone(staff_client, settings):
    """Staff read once, on every admin page, which time zone dates and times are in, instead of
    a note about their browser under every date field."""
    settings.TIME_ZONE = "Europe/Warsaw"
    html = staff_client.get("/admin/digests/digest/add/").content.decode()
    assert "All dates and times are Europe/Warsaw time" in html
    css = open(finders.find("css/admin.css"), encoding="utf-8").read()
    assert re.search(r"\.timezonewarning\s*{\s*display:\s*none", css)


def test_lockout_page_carries_the_site_name(client, django_user_model, settings):
    """A locked-out staff member sees the newsroom's site name, not Django's."""
    from axes.handlers.proxy import AxesProxyHandler

    settings.AXES_ENABLED = True
    settings.SITE_NAME = "Belarus News Digest"
    AxesProxyHandler.implementation = None
    django_user_model.objects.create_superuser("chief9", "c@x.org", "right-password-1")
    for _ in range(6):
        response = client.post("/admin/login/", {"username": "chief9", "password": "wrong"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "Belarus News Digest" in html
    assert "Django administration" not in html and "Django site admin" not in html


def test_item_tags_are_kept_and_changed_in_the_digest_form(staff_client):
    """Topics typed on an item in the digest form are saved, shown again and changeable."""
    digest = make_digest(title="Tagged", slug="tagged")
    section = make_section(digest, title="Releases")
    item = make_item(section, order=0)
    item.tags.add("prisoners")
    html = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/").content.decode()
    assert 'name="sections-0-items-0-tags" value="prisoners"' in html
    form = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/").context["adminform"]
    data = {
        **{k: v for k, v in form.form.initial.items() if isinstance(v, str)},
        "title": digest.title,
        "slug": digest.slug,
        "date": digest.date.isoformat(),
        "status": digest.status,
        "publish_at_0": "",
        "publish_at_1": "",
        "tags": "",
        **management("sections", 1, 1),
        "sections-0-id": str(section.pk),
        "sections-0-digest": str(digest.pk),
        "sections-0-title": "Releases",
        "sections-0-order": "0",
        "sections-0-anchor": section.anchor,
        **management("sections-0-items", 1, 1),
        "sections-0-items-0-id": str(item.pk),
        "sections-0-items-0-section": str(section.pk),
        "sections-0-items-0-order": "0",
        "sections-0-items-0-title": "",
        "sections-0-items-0-body": item.body,
        "sections-0-items-0-tags": "prisoners, minsk",
        **management("metrics", 0),
        **management("preview_links", 0),
    }
    response = staff_client.post(f"/admin/digests/digest/{digest.pk}/change/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert sorted(Item.objects.get(pk=item.pk).tags.names()) == ["minsk", "prisoners"]


# Query budgets: the same cost whatever the size (as Wagtail's admin tests assert).

# Session, user, a change awaiting approval, savepoint and its release, the digest, its tags
# (twice: the prefetch, then the form's field), sections, their items, the items' tags, the items
# a figure may name, figures, preview links.
DIGEST_FORM_QUERIES = 14


def digest_with_items(count, sections=5):
    digest = make_digest()
    sections = [make_section(digest, order=n) for n in range(sections)]
    for n in range(count):
        item = make_item(sections[n % len(sections)], order=n)
        item.tags.add("prisoners", f"topic {n % 3}")
    make_metric(digest)
    return digest


@pytest.mark.parametrize("items", [5, 50])
def test_digest_form_costs_the_same_with_5_or_50_items(
    staff_client, django_assert_num_queries, items
):
    """Opening a long digest in the admin is as quick, in database work, as a short one."""
    digest = digest_with_items(items)
    with django_assert_num_queries(DIGEST_FORM_QUERIES):
        response = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/")
    assert response.status_code == 200


@pytest.mark.parametrize("sections", [1, 10])
def test_digest_form_costs_the_same_with_1_or_10_sections(
    staff_client, django_assert_num_queries, sections
):
    """A digest with many sections opens with the same database work as one with a single
    section."""
    digest = digest_with_items(20, sections=sections)
    with django_assert_num_queries(DIGEST_FORM_QUERIES):
        response = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/")
    assert response.status_code == 200


@pytest.mark.parametrize("figures", [1, 8])
def test_digest_form_costs_the_same_with_1_or_8_figures_naming_items(
    staff_client, django_assert_num_queries, figures
):
    """Figures that name the item reporting them do not each cost a query."""
    digest = digest_with_items(10)
    items = list(Item.objects.filter(section__digest=digest))
    for item in items[: figures - 1]:
        make_metric(digest, item=item)
    with django_assert_num_queries(DIGEST_FORM_QUERIES):
        response = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/")
    assert response.status_code == 200


def test_figure_names_an_item_of_its_own_digest(staff_client):
    """The item a figure reports is picked from this digest's items only, in reading order."""
    digest = make_digest()
    first = make_item(make_section(digest, order=0), title="First story", order=0)
    make_item(make_section(digest, order=1), title="Second story", order=0)
    make_item(make_section(make_digest()), title="Another digest's story")
    make_metric(digest, item=first)
    html = staff_client.get(f"/admin/digests/digest/{digest.pk}/change/").content.decode()
    select = re.search(r'<select name="metrics-0-item".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option [^>]*>([^<]+)</option>", select) == [
        "---------",
        "First story",
        "Second story",
    ]
    assert f'<option value="{first.pk}" selected>First story' in select


@pytest.mark.parametrize("people", [10, 200])
def test_person_list_costs_the_same_with_10_or_200_people(
    staff_client, django_assert_num_queries, people
):
    """The people list costs the same whether the registry is small or large."""
    for _ in range(people):
        person = make_person(short_description="Politician")
        person.aliases.create(text=f"{person.name} alias")
    with django_assert_num_queries(8):
        response = staff_client.get("/admin/people/person/")
    assert response.status_code == 200
