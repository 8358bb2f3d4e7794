"""The figures page, tag pages and the home page's most-mentioned lists."""

import datetime

import pytest
from django.utils import timezone

from digests.models import Platform, Status
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
DEC = datetime.date(2025, 12, 10)


def monthly(response):
    """The figures page's monthly chart as {month label: total}."""
    return {column.label: column.total for column in response.context["monthly"].columns}


# /metrics/


def test_figures_page_adds_up_views_per_month_from_published_digests_only(client):
    """Monthly totals count published figures and nothing from drafts or scheduled digests."""
    published = make_digest()
    make_metric(published, views=1_000, period_end=DEC)
    make_metric(published, views=500, platform=Platform.TIKTOK, period_end=DEC)
    make_metric(make_digest(status=Status.DRAFT), views=70_000, period_end=DEC)
    make_metric(make_digest(publish_at=FUTURE), views=80_000, period_end=DEC)
    response = client.get("/metrics/")
    assert response.status_code == 200
    assert monthly(response) == {"Dec 2025": 1_500}
    html = response.content.decode()
    assert "70,000" not in html and "80,000" not in html


def test_figures_page_never_adds_yearly_totals_to_months(client):
    """A whole-year figure is shown apart; December's bar holds only December's figures."""
    digest = make_digest()
    make_metric(digest, views=1_000, period_end=DEC)
    make_metric(
        digest,
        views=9_000_000,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    response = client.get("/metrics/")
    assert monthly(response) == {"Dec 2025": 1_000}
    assert [bar.value for bar in response.context["yearly"].bars] == [9_000_000]


def test_figure_counts_in_the_month_its_period_ends(client):
    """A figure for 25 November–3 December is December's."""
    make_metric(
        make_digest(),
        views=42,
        period_start=datetime.date(2025, 11, 25),
        period_end=datetime.date(2025, 12, 3),
    )
    assert monthly(client.get("/metrics/")) == {"Dec 2025": 42}


def test_top_posts_link_to_the_item_and_to_the_post(client):
    """Top posts are the 20 most viewed, largest first, linking to the item that reports
    each and to the post itself without leaking the reader's address."""
    digest = make_digest()
    item = make_item(make_section(digest))
    for n in range(25):
        make_metric(digest, views=1_000 + n, topic=f"Post number {n}")
    make_metric(digest, item=item, views=99_999, url="https://video.example.com/watch?v=9")
    response = client.get("/metrics/")
    top = list(response.context["top"])
    assert len(top) == 20 and top[0].views == 99_999
    assert [m.views for m in top] == sorted((m.views for m in top), reverse=True)
    html = response.content.decode()
    assert f'href="{item.get_absolute_url()}"' in html
    assert '<a href="https://video.example.com/watch?v=9" rel="noopener noreferrer">' in html
    assert "Post number 0<" not in html  # the 21st and smaller are left out


def test_filter_by_person_and_organization_narrows_the_figures(client):
    """Choosing a person or an organization shows only the figures involving them."""
    person = make_person("Pavel Latushka", public_profile=True)
    organization = make_organization("Office of Someone", public_profile=True)
    digest = make_digest()
    mine = make_metric(digest, views=1_111, period_end=DEC, topic="About Latushka")
    mine.people.add(person)
    theirs = make_metric(digest, views=2_222, period_end=DEC, topic="About the office")
    theirs.organizations.add(organization)
    make_metric(digest, views=3_333, period_end=DEC, topic="About nobody")
    assert monthly(client.get("/metrics/")) == {"Dec 2025": 6_666}
    response = client.get(f"/metrics/?person={person.slug}")
    assert monthly(response) == {"Dec 2025": 1_111}
    assert [m.topic for m in response.context["top"]] == ["About Latushka"]
    assert "Pavel Latushka" in response.content.decode()
    response = client.get(f"/metrics/?organization={organization.slug}")
    assert [m.topic for m in response.context["top"]] == ["About the office"]
    both = client.get(f"/metrics/?person={person.slug}&organization={organization.slug}")
    assert list(both.context["top"]) == []


def test_filter_form_offers_only_public_people_with_figures(client):
    """The person list names public people with published figures, never a sensitive one."""
    digest = make_digest()
    shown = make_person("Shown Person", public_profile=True)
    hidden = make_person("Hidden Person", sensitive=True)
    draft_only = make_person("Draft Only", public_profile=True)
    metric = make_metric(digest)
    metric.people.add(shown, hidden)
    make_metric(make_digest(status=Status.DRAFT)).people.add(draft_only)
    html = client.get("/metrics/").content.decode()
    assert f'<option value="{shown.slug}">Shown Person</option>' in html
    assert "Hidden Person" not in html and "Draft Only" not in html


@pytest.mark.parametrize("query", ["person=nobody", "organization=nothing", "person=secret"])
def test_unknown_or_hidden_entity_in_filter_is_404(client, query):
    """A mistyped, sensitive or never-published name in the filter is not found, not an error."""
    make_person("Secret", sensitive=True, public_profile=True)
    assert client.get(f"/metrics/?{query}").status_code == 404


def test_figures_page_without_figures(client):
    """A site with no figures yet says so instead of drawing an empty chart."""
    response = client.get("/metrics/")
    assert response.status_code == 200
    assert b"No social media figures" in response.content and b"<svg" not in response.content


def test_main_navigation_links_to_figures(client):
    """Every page's main navigation offers the figures page, marked current on it."""
    assert '<a href="/metrics/">Figures</a>' in client.get("/").content.decode()
    assert 'href="/metrics/" aria-current="page"' in client.get("/metrics/").content.decode()


def figures(n):
    person = make_person("Counted Person", public_profile=True)
    organization = make_organization("Counted Org", public_profile=True)
    for i in range(n):
        digest = make_digest()
        item = make_item(make_section(digest))
        metric = make_metric(
            digest,
            item=item,
            views=100 + i,
            platform=list(Platform)[i % len(Platform)],
            period_end=datetime.date(2024 + i // 12, i % 12 + 1, 5),
        )
        metric.people.add(person)
        metric.organizations.add(organization)
        make_metric(digest, period_start=datetime.date(2025, 1, 1), period_end=DEC.replace(day=31))
    return person, organization


@pytest.mark.parametrize("n", [1, 20])
def test_figures_page_query_count(client, django_assert_num_queries, n):
    """The figures page costs the same queries however many figures exist."""
    person, organization = figures(n)
    # people and organizations to choose from, months and years (one pass), top posts
    with django_assert_num_queries(4):
        assert client.get("/metrics/").status_code == 200
    # + the chosen person, the chosen organization
    with django_assert_num_queries(6):
        url = f"/metrics/?person={person.slug}&organization={organization.slug}"
        assert client.get(url).status_code == 200


# /tags/<slug>/


def test_tag_page_lists_published_digests_and_items_only(client):
    """A topic's page lists the published digests and items tagged with it, nothing else."""
    digest = make_digest(title="Tagged digest")
    digest.tags.add("prisoners")
    item = make_item(make_section(make_digest(title="Other digest")), title="Tagged item")
    item.tags.add("prisoners")
    make_digest(title="Draft tagged", status=Status.DRAFT).tags.add("prisoners")
    make_digest(title="Scheduled tagged", publish_at=FUTURE).tags.add("prisoners")
    hidden_item = make_item(make_section(make_digest(status=Status.DRAFT)), title="Hidden item")
    hidden_item.tags.add("prisoners")
    response = client.get("/tags/prisoners/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{digest.get_absolute_url()}"' in html
    assert f'href="{item.get_absolute_url()}"' in html
    for hidden in ("Draft tagged", "Scheduled tagged", "Hidden item"):
        assert hidden not in html
    assert "<h1>prisoners</h1>" in html.replace("Topic: ", "")


def test_tag_only_on_unpublished_work_is_404(client):
    """A topic used only by drafts or scheduled digests has no public page."""
    make_digest(status=Status.DRAFT).tags.add("secret-topic")
    make_digest(publish_at=FUTURE).tags.add("secret-topic")
    assert client.get("/tags/secret-topic/").status_code == 404
    assert client.get("/tags/no-such-topic/").status_code == 404


def test_tag_page_is_paginated(client):
    """A busy topic is split into pages."""
    for _ in range(25):
        make_digest().tags.add("busy")
    first = client.get("/tags/busy/")
    assert len(first.context["digests"]) == 20
    assert 'rel="next"' in first.content.decode()
    assert len(client.get("/tags/busy/?page=2").context["digests"]) == 5


def test_tag_page_lists_are_paged_independently(client):
    """Paging through a topic's items keeps the page of its digests, and the other way round."""
    for _ in range(25):
        digest = make_digest()
        digest.tags.add("busy")
        make_item(make_section(digest), body="<p>Tagged item.</p>").tags.add("busy")
    html = client.get("/tags/busy/?page=2").content.decode()
    assert 'href="?page=2&amp;items=2"' in html
    html = client.get("/tags/busy/?page=2&items=2").content.decode()
    assert 'href="?page=1&amp;items=2"' in html  # back to newer digests, items stay on page 2


def test_digest_page_links_its_tags(client):
    """The topics under a digest lead to their pages."""
    digest = make_digest()
    digest.tags.add("Political prisoners")
    html = client.get(digest.get_absolute_url()).content.decode()
    assert '<a href="/tags/political-prisoners/">Political prisoners</a>' in html


@pytest.mark.parametrize("n", [1, 20])
def test_tag_page_query_count(client, django_assert_num_queries, n):
    """A tag page costs the same queries however many digests and items carry the tag."""
    for _ in range(n):
        digest = make_digest()
        digest.tags.add("counted")
        make_item(make_section(digest)).tags.add("counted")
    # tag, digests count and page, items count and page
    with django_assert_num_queries(5):
        assert client.get("/tags/counted/").status_code == 200


# Home: most mentioned in the last 30 days


def mentioned(names, *, days_ago, **digest_fields):
    date = timezone.localdate() - datetime.timedelta(days=days_ago)
    section = make_section(make_digest(date=date, **digest_fields))
    return make_item(section, body=f"<p>{' and '.join(names)} met.</p>")


def test_home_lists_most_mentioned_of_the_last_30_days(client):
    """Home shows who was named most in published digests of the last 30 days, with counts."""
    anna = make_person("Anna Example")
    boris = make_person("Boris Example")
    make_person("Hidden Witness", sensitive=True)
    council = make_organization("Example Council")
    mentioned(["Anna Example", "Example Council", "Hidden Witness"], days_ago=1)
    mentioned(["Anna Example", "Boris Example"], days_ago=10)
    mentioned(["Boris Example"], days_ago=45)  # too old
    mentioned(["Boris Example"], days_ago=2, status=Status.DRAFT)
    mentioned(["Boris Example"], days_ago=2, publish_at=FUTURE)
    response = client.get("/")
    people = [(p.name, p.count) for p in response.context["top_people"]]
    assert people == [("Anna Example", 2), ("Boris Example", 1)]
    assert [(o.name, o.count) for o in response.context["top_organizations"]] == [
        ("Example Council", 1)
    ]
    html = response.content.decode()
    assert f'href="{anna.get_absolute_url()}"' in html
    assert f'href="{council.get_absolute_url()}"' in html
    assert "Hidden Witness" not in html and boris.name in html


def test_home_most_mentioned_falls_back_to_the_latest_digests(client):
    """With nothing published in the last 30 days, home still shows who was named most, in
    the 30 days up to the latest digest, and says so."""
    make_person("Old Name")
    mentioned(["Old Name"], days_ago=60)
    mentioned(["Old Name"], days_ago=100)  # outside the 30 days to the latest digest
    response = client.get("/")
    assert [(p.name, p.count) for p in response.context["top_people"]] == [("Old Name", 1)]
    until = timezone.localdate() - datetime.timedelta(days=60)
    assert f"Most mentioned in the 30 days to {until.day} {until:%B %Y}" in (
        response.content.decode()
    )


@pytest.mark.parametrize("n", [1, 20])
def test_home_query_count_with_mentions(client, django_assert_num_queries, n):
    """Home costs the same queries however many people and organizations were named lately."""
    for i in range(n):
        make_person(f"Named Person {i}")
        make_organization(f"Named Org {i}")
        mentioned([f"Named Person {i}", f"Named Org {i}"], days_ago=i % 30)
    # digests, their sections, most-mentioned people and organizations, names per digest,
    # topics
    with django_assert_num_queries(6):
        response = client.get("/")
    assert len(response.context["top_people"]) == min(n, 5)


@pytest.mark.parametrize("query", ["?person={person}", "?organization={organization}"])
def test_filtered_figures_page_leaks_nothing_unpublished(client, query):
    """Filtering by someone also named in drafts shows their published figures only."""
    from tests.public_urls import HIDDEN_MARKERS, sample_site

    site = sample_site()
    url = "/metrics/" + query.format(
        person=site["person"].slug, organization=site["organization"].slug
    )
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert [marker for marker in HIDDEN_MARKERS if marker in html] == []
    assert "1,000" in html  # the published figure is there
    assert client.get(f"/metrics/?person={site['secret'].slug}").status_code == 404
