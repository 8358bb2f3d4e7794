import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from digests.models import Item, Status
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

FUTURE = timezone.now() + datetime.timedelta(days=1)


def digest_with_items(n_items, n_sections=2, **fields):
    digest = make_digest(**fields)
    for s in range(n_sections):
        section = make_section(digest, title=f"Section {s}", order=s)
        for i in range(n_items):
            make_item(section, order=i, body=f"<p>Story {s}.{i}</p>")
    make_metric(digest)
    digest.tags.add("prisoners")
    return digest


def test_home_shows_latest_and_earlier_digests(client):
    """Readers land on the newest digest with its contents and links to earlier ones."""
    older = digest_with_items(1, title="Older digest", date=datetime.date(2025, 11, 1))
    latest = digest_with_items(1, title="Latest digest", date=datetime.date(2025, 12, 31))
    make_digest(title="Secret draft", status=Status.DRAFT, date=datetime.date(2026, 1, 1))
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["latest"] == latest
    assert list(response.context["recent"]) == [older]
    assert b"Secret draft" not in response.content
    assert f'href="{latest.get_absolute_url()}#section-0"'.encode() in response.content


def test_home_without_digests(client):
    """A fresh site says no digest is out yet rather than failing."""
    response = client.get("/")
    assert response.status_code == 200
    assert b"No digests yet" in response.content


def test_digest_page_shows_toc_sections_items_and_metrics(client):
    """The digest page lists its sections in the table of contents and shows every item."""
    digest = digest_with_items(2)
    response = client.get(digest.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#section-0">Section 0</a>' in html
    assert 'id="section-1"' in html
    for s in range(2):
        for i in range(2):
            assert f"Story {s}.{i}" in html
    item = digest.sections.first().items.first()
    assert f'id="{item.anchor}"' in html
    assert "1,000" in html  # the metric's views
    assert "Draft" not in html


def test_empty_section_is_left_out_for_readers(client):
    """A section with no items is not published: neither on the page nor in its contents."""
    digest = make_digest()
    make_item(make_section(digest, title="Meetings", order=0))
    make_section(digest, title="Interviews", order=1)
    response = client.get(digest.get_absolute_url())
    assert b"Meetings" in response.content
    assert b"Interviews" not in response.content


@pytest.mark.parametrize(
    "fields",
    [{"status": Status.DRAFT}, {"status": Status.PUBLISHED, "publish_at": FUTURE}],
    ids=["draft", "scheduled"],
)
def test_unpublished_digests_are_404_for_readers(client, fields):
    """Readers cannot open a draft or a digest scheduled for later."""
    digest = make_digest(**fields)
    assert client.get(digest.get_absolute_url()).status_code == 404


def test_unpublished_digests_missing_from_lists(client):
    """Drafts and scheduled digests appear in no listing."""
    make_digest(title="Visible digest")
    make_digest(title="Draft digest", status=Status.DRAFT)
    make_digest(title="Scheduled digest", publish_at=FUTURE)
    for url in ("/", "/digests/", "/digests/2025/"):
        content = client.get(url).content
        assert b"Draft digest" not in content
        assert b"Scheduled digest" not in content
    assert b"Visible digest" in client.get("/digests/").content


def test_staff_preview_draft_with_banner_and_no_cache(staff_client):
    """Staff can read a draft at its public address, clearly marked and never cached."""
    digest = make_digest(status=Status.DRAFT)
    response = staff_client.get(digest.get_absolute_url())
    assert response.status_code == 200
    assert b"draft-banner" in response.content
    assert "no-cache" in response["Cache-Control"]
    assert b'name="robots" content="noindex, nofollow"' in response.content


def test_archive_paginates_and_filters_by_year_and_month(client):
    """The archive pages through all digests and narrows to a year or a month."""
    for day in range(1, 23):
        make_digest(title=f"Dec {day}", date=datetime.date(2025, 12, day))
    make_digest(title="Early one", date=datetime.date(2024, 3, 5))
    first = client.get("/digests/")
    assert len(first.context["page"]) == 20
    assert first.context["years"] == [2025, 2024]
    assert len(client.get("/digests/?page=2").context["page"]) == 3
    assert [d.title for d in client.get("/digests/2024/").context["page"]] == ["Early one"]
    assert len(client.get("/digests/2025/12/").context["page"]) == 20
    assert client.get("/digests/2025/13/").status_code == 404
    assert client.get("/digests/2025/11/").context["page"].paginator.count == 0


def test_people_and_organization_pages(client):
    """Person and organization pages show names, other spellings and affiliations."""
    organization = make_organization("National Anti-Crisis Management", public_profile=True)
    organization.aliases.create(text="NAM")
    person = make_person("Pavel Latushka", short_description="Head of the NAM", public_profile=True)
    person.aliases.create(text="Latushka")
    person.affiliations.create(organization=organization, role="Head")
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Also written as: Latushka" in html
    assert organization.get_absolute_url() in html
    html = client.get(organization.get_absolute_url()).content.decode()
    assert "Also written as: NAM" in html
    assert person.get_absolute_url() in html
    assert "Pavel Latushka" in client.get("/people/").content.decode()
    assert "National Anti-Crisis Management" in client.get("/organizations/").content.decode()


def test_sensitive_person_has_no_public_page(client):
    """A person at risk has no public page and is not listed anywhere."""
    person = make_person("Hidden Person", sensitive=True, public_profile=True)
    organization = make_organization("Some Org", public_profile=True)
    person.affiliations.create(organization=organization)
    assert client.get(person.get_absolute_url()).status_code == 404
    assert b"Hidden Person" not in client.get("/people/").content
    assert b"Hidden Person" not in client.get(organization.get_absolute_url()).content


def test_public_pages_send_security_headers(client):
    """Every public page carries a CSP without inline scripts, and no referrer leaves it."""
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_public_pages_set_no_cookies(client):
    """Anonymous readers get no cookie from any public page."""
    digest = digest_with_items(1)
    person = make_person(public_profile=True)
    organization = make_organization(public_profile=True)
    urls = ["/", "/digests/", digest.get_absolute_url(), "/people/", person.get_absolute_url()]
    urls += ["/organizations/", organization.get_absolute_url()]
    for url in urls:
        assert client.get(url).cookies == {}, url


# Query budgets: the same number of queries with 1 row as with 20.


@pytest.mark.parametrize("n_items", [1, 20])
def test_digest_page_query_count(client, django_assert_num_queries, n_items):
    """The digest page costs the same few queries however many items it holds."""
    digest = digest_with_items(n_items)
    with django_assert_num_queries(6):  # digest, versions, sections, items, tags, metrics
        assert client.get(digest.get_absolute_url()).status_code == 200
    # Rendered again (an address with a parameter no page reads is never stored) from the
    # parts kept for the digest's version, its versions in other languages with them: its row.
    with django_assert_num_queries(1):
        assert client.get(digest.get_absolute_url() + "?utm_source=x").status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_home_query_count(client, django_assert_num_queries, n):
    """The home page costs the same queries however many digests (and names) exist."""
    make_person("Pavel Latushka")
    make_organization("Viasna")
    for _ in range(n):
        digest = digest_with_items(1)
        make_item(digest.sections.first(), order=9, body="<p>Pavel Latushka and Viasna.</p>")
    # digests, their sections, who was named most (people and organizations, counted on their
    # ids), the cards' names (likewise), the names of both lists, topics
    with django_assert_num_queries(6):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_archive_query_count(client, django_assert_num_queries, n):
    """The archive costs the same queries however many digests exist."""
    for _ in range(n):
        make_digest()
    with django_assert_num_queries(3):  # count, page, years
        assert client.get("/digests/").status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_people_index_query_count(client, django_assert_num_queries, n):
    """The people index is one query however many people exist."""
    for _ in range(n):
        make_person(public_profile=True)
    with django_assert_num_queries(1):
        assert client.get("/people/").status_code == 200
    for _ in range(n):
        make_organization(public_profile=True)
    with django_assert_num_queries(1):
        assert client.get("/organizations/").status_code == 200


@pytest.mark.parametrize("n", [1, 20])
def test_entity_pages_query_count(client, django_assert_num_queries, n):
    """Person and organization pages cost the same queries however many relations they have."""
    person = make_person("Central Person", public_profile=True)
    organization = make_organization("Central Org", public_profile=True)
    for i in range(n):
        person.aliases.create(text=f"Alias {i}")
        person.links.create(title=f"Link {i}", url=f"https://example.org/{i}")
        other = make_organization(public_profile=True)
        person.affiliations.create(organization=other)
        make_person(public_profile=True).affiliations.create(organization=organization)
        make_organization(parent=organization, public_profile=True)
    # person, aliases, links, affiliations+orgs, mentions per digest, figures (named in no
    # item: no page of mentions to read, no items to find others named in)
    with django_assert_num_queries(6):
        assert client.get(person.get_absolute_url()).status_code == 200
    # organization, aliases, affiliations, parent and parts, mentions per digest, figures
    with django_assert_num_queries(6):
        assert client.get(organization.get_absolute_url()).status_code == 200


def test_unknown_slug_is_404(client):
    """A mistyped address gives a not-found page, not an error."""
    assert client.get(reverse("digests:digest-detail", args=["nope"])).status_code == 404
    assert client.get("/people/nope/").status_code == 404


def test_not_found_page_in_site_look(client):
    """A reader who follows a dead link gets the site's own page with ways onward."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'class="site-header"' in html
    assert 'href="/digests/"' in html


def test_server_error_page_needs_nothing_that_can_fail():
    """The 500 page renders even when static files or the database are broken."""
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html and "{%" not in html


def test_item_anchors_reveal_no_database_ids(client):
    """Item links carry no sequential number from which readers could count unpublished items."""
    digest = digest_with_items(2)
    html = client.get(digest.get_absolute_url()).content.decode()
    items = list(Item.objects.filter(section__digest=digest))
    anchors = {item.anchor for item in items}
    assert len(anchors) == len(items)
    for item in items:
        assert str(item.pk) not in item.anchor
        assert f'id="{item.anchor}"' in html
        assert f'href="#{item.anchor}"' in html
        assert f"item-{item.pk}" not in html


def test_item_anchor_stays_the_same_across_edits(client):
    """A link to an item keeps working after the item is edited and moved."""
    digest = digest_with_items(1)
    item = Item.objects.filter(section__digest=digest).first()
    anchor = item.anchor
    item.body, item.order = "<p>Edited.</p>", 5
    item.save()
    item.refresh_from_db()
    assert item.anchor == anchor
    stale = Item.objects.get(pk=item.pk)
    stale.anchor = "item-somethingelse"  # e.g. a revision saved before anchors existed
    stale.save_base(raw=True)
    item.refresh_from_db()
    assert item.anchor == anchor
    assert item.get_absolute_url().endswith(f"#{anchor}")


def test_links_to_items_made_before_anchors_changed_keep_working(client):
    """Old links (#item-<number>) to items published before the change still land on the item."""
    digest = digest_with_items(1)
    item = Item.objects.filter(section__digest=digest).first()
    Item.objects.filter(pk=item.pk).update(legacy_anchor=f"item-{item.pk}")
    html = client.get(digest.get_absolute_url()).content.decode()
    assert f'id="item-{item.pk}"' in html
    assert f'id="{item.anchor}"' in html


def test_organization_page_names_no_parent_readers_cannot_see(client):
    """An organization's page does not name, or link to, a parent organization that has no
    public page (named only in drafts)."""
    from digests.models import Status
    from tests.factories import make_digest, make_item, make_organization, make_section

    hidden = make_organization("Secret Parent Bureau")
    shown = make_organization("Visible Committee", parent=hidden)
    make_item(make_section(make_digest()), body="<p>The Visible Committee met.</p>")
    make_item(make_section(make_digest(status=Status.DRAFT)), body="<p>Secret Parent Bureau.</p>")
    page = client.get(shown.get_absolute_url()).content.decode()
    assert "Visible Committee" in page and "Secret Parent Bureau" not in page


def test_organization_page_lists_its_public_parts_a_to_z_and_its_public_parent(client):
    """An organization's page links to the parent it is part of and lists its parts A–Z, each
    with a link, leaving out every part readers cannot see (named only in a draft)."""
    from digests.models import Status
    from tests.factories import make_digest, make_item, make_organization, make_section

    parent = make_organization("Coordination Council", public_profile=True)
    shown = make_organization("Council Working Group", parent=parent, public_profile=True)
    make_organization("Zubr Legal Team", parent=shown, public_profile=True)
    make_organization("Aid Fund Desk", parent=shown, public_profile=True)
    secret = make_organization("Secret Liaison Cell", parent=shown)
    make_item(make_section(make_digest(status=Status.DRAFT)), body="<p>Secret Liaison Cell.</p>")
    page = client.get(shown.get_absolute_url()).content.decode()
    assert f'part of <a href="{parent.get_absolute_url()}">Coordination Council</a>' in page
    parts = page.split('id="parts-title"')[1].split("</section>")[0]
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', parts) == ["Aid Fund Desk", "Zubr Legal Team"]
    assert secret.name not in page and secret.get_absolute_url() not in page
