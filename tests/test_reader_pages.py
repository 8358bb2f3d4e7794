"""What a reader meets on the public pages: the faults found reading the site as a reader
would (figures page, merged feeds, topic filter, page numbers, topic index, empty sections,
demo dates), and the newsroom layout's promises (cards without a query each, timelines,
item anchors, reading time, plain share links)."""

import datetime
import re

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from digests.demo import DEMO_SOURCE, latest_demo_date, load_demo
from digests.models import Digest, Item, Platform, Status
from digestsite.charts import FONT, WIDTH
from people.merging import merge_entities
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)

pytestmark = pytest.mark.django_db

PHONE_CHART_WIDTH = 390 - 2 * 16  # a 390 px screen less the page's side padding


def whole_year_figures():
    digest = make_digest(date=datetime.date(2025, 12, 31))
    item = make_item(make_section(digest))
    for platform, views in ((Platform.TIKTOK, 1_020_000), (Platform.INSTAGRAM, 965_000)):
        make_metric(
            digest,
            item=item,
            platform=platform,
            views=views,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 12, 31),
        )
    return digest


# /metrics/


def test_whole_year_table_names_the_year_in_every_row(client):
    """Each row of "Whole-year totals" says which year it is (the cell was empty)."""
    whole_year_figures()
    html = client.get("/metrics/").content.decode()
    table = html[html.index("Views over whole years, per platform") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]  # after the header row
    assert len(rows) == 2
    for row in rows:
        assertInHTML('<th scope="row">2025</th>', row)


def test_chart_labels_keep_close_figures_in_order(client):
    """1,020,000 beside 965,000 is labelled 1.02M and 965K, never "1M" next to "965K"."""
    whole_year_figures()
    html = client.get("/metrics/").content.decode()
    assert ">1.02M</text>" in html and ">965K</text>" in html
    assert ">1M</text>" not in html


def test_top_posts_caption_promises_links_only_where_there_are_some(client):
    """The caption says the platform links to the post only when a platform cell is a link."""
    digest = whole_year_figures()
    response = client.get("/metrics/")
    assertNotContains(response, "leads to the post itself")
    make_metric(digest, views=5, url="https://video.example.com/watch?v=7")
    response = client.get("/metrics/")
    assertContains(response, "where a platform is a link, it leads to the post itself")
    assertContains(
        response,
        '<a href="https://video.example.com/watch?v=7" rel="noopener noreferrer">YouTube</a>',
        html=True,
    )


# Feeds after a merge


@pytest.mark.parametrize("kind", ["person", "organization"])
def test_old_feed_of_a_merged_entity_redirects_to_the_survivors_feed(client, kind):
    """A follower's feed reader keeps working after a merge: the old feed answers 301."""
    make = make_person if kind == "person" else make_organization
    survivor, duplicate = make("Viktar Babaryka"), make("Viktor Babariko")
    make_item(make_section(make_digest()), body="<p>Viktor Babariko and Viktar Babaryka.</p>")
    old_feed = duplicate.get_absolute_url() + "feed/"
    assert client.get(old_feed).status_code == 200
    merge_entities(survivor=survivor, duplicates=[duplicate])
    response = client.get(old_feed)
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url() + "feed/"
    assert client.get(response["Location"]).status_code == 200


def test_feed_of_an_unknown_or_hidden_entity_is_still_not_found(client):
    """Only old addresses redirect; anything else stays a 404 (no one is revealed)."""
    assert client.get("/people/nobody-at-all/feed/").status_code == 404
    hidden = make_person("Hidden Witness", sensitive=True)
    make_item(make_section(make_digest()), body="<p>Hidden Witness spoke.</p>")
    assert client.get(hidden.get_absolute_url() + "feed/").status_code == 404


# Search


def test_search_filtered_by_a_topic_names_the_topic(client):
    """The filter reads "on the topic “political prisoners”", not its address slug."""
    digest = make_digest()
    make_item(make_section(digest), body="<p>Prisoners were freed.</p>")
    digest.tags.add("Political prisoners")
    response = client.get("/search/", {"q": "freed", "tag": "political-prisoners"})
    assertContains(response, "on the topic “Political prisoners”")
    assertNotContains(response, "“political-prisoners”")


def test_search_page_has_one_search_box(client):
    """The search page's own form is the only search box on it."""
    response = client.get("/search/", {"q": "freed"})
    assert response.content.decode().count('type="search"') == 1


# Page numbers


@pytest.mark.parametrize("query", ["?page=99", "?page=abc", "?page=0"])
def test_archive_page_out_of_range_is_not_found(client, query):
    """/digests/?page=99 is a 404, as Django's paginator has it, not an empty 200."""
    make_digest()
    assert client.get("/digests/" + query).status_code == 404


def test_archive_first_and_last_pages_answer(client):
    """Page 1 (also of an empty archive) and "last" are pages."""
    assert client.get("/digests/?page=1").status_code == 200
    make_digest()
    assert client.get("/digests/?page=last").status_code == 200


def test_out_of_range_pages_of_topic_and_person_are_not_found(client):
    """The same rule on every paginated public page."""
    person = make_person("Pavel Latushka")
    digest = make_digest()
    make_item(make_section(digest), body="<p>Pavel Latushka spoke.</p>")
    digest.tags.add("prisoners")
    assert client.get("/tags/prisoners/?page=99").status_code == 404
    assert client.get("/tags/prisoners/?items=99").status_code == 404
    assert client.get(person.get_absolute_url() + "?page=99").status_code == 404
    assert client.get(person.get_absolute_url() + "?page=1").status_code == 200


# Topic index


def test_topic_index_lists_published_topics_a_to_z_with_counts(client):
    """/tags/ lists every topic of published digests or items, A–Z, each linking to its
    page; topics only drafts carry are not shown."""
    first, second = make_digest(), make_digest()
    first.tags.add("Prisoners", "Diplomacy")
    second.tags.add("Prisoners")
    make_item(make_section(second)).tags.add("Courts")
    make_digest(status=Status.DRAFT).tags.add("Secret plans")
    response = client.get("/tags/")
    html = response.content.decode()
    assert [t.name for t in response.context["tags"]] == ["Courts", "Diplomacy", "Prisoners"]
    assertInHTML('<a href="/tags/prisoners/">Prisoners</a>', html)
    assertInHTML('<span class="count">2 digests</span>', html)
    assert "Secret plans" not in html
    assert client.get("/tags/secret-plans/").status_code == 404


@pytest.mark.parametrize("n", [1, 20])
def test_topic_index_query_count(client, django_assert_num_queries, n):
    """The topic index is one query however many topics and digests there are."""
    for i in range(n):
        make_digest().tags.add(f"topic {i}", "shared")
    with django_assert_num_queries(1):
        assert client.get("/tags/").status_code == 200


# Empty sections


def test_empty_section_is_left_out_of_page_contents_and_home(client):
    """Readers never see "nothing in this section": not on the page, in its contents or in
    the home page's list of sections."""
    digest = make_digest(title="Only digest")
    make_item(make_section(digest, title="Meetings", order=0))
    make_section(digest, title="Interviews", order=1)
    page = client.get(digest.get_absolute_url()).content.decode()
    home = client.get("/").content.decode()
    for html in (page, home):
        assert "Meetings" in html and "Interviews" not in html


def test_staff_see_an_empty_section_marked(staff_client):
    """Staff still see an empty section, marked as hidden from readers."""
    digest = make_digest()
    make_item(make_section(digest, title="Meetings", order=0))
    make_section(digest, title="Interviews", order=1)
    response = staff_client.get(digest.get_absolute_url())
    assertContains(response, "Interviews")
    assertContains(response, "readers do not see it")


# Demo content and the home page


def test_demo_is_dated_relative_to_today_and_home_has_names(client):
    """On a first `make run` the latest demo digest is yesterday's, and home lists the most
    mentioned of the last 30 days."""
    load_demo()
    latest = Digest.objects.published().order_by("-date").first()
    assert latest.date == latest_demo_date() == timezone.localdate() - datetime.timedelta(1)
    assert Digest.objects.published().filter(import_source=DEMO_SOURCE).count() == 3
    response = client.get("/")
    assertContains(response, "Most mentioned in the last 30 days")
    assert response.context["top_people"] and response.context["top_organizations"]


def test_home_cards_show_each_digests_most_named(client):
    """Each earlier digest's card names who its items name most; no sensitive person."""
    make_person("Anna Example")
    make_person("Hidden Witness", sensitive=True)
    older = make_digest(title="Older digest", date=datetime.date(2025, 12, 1))
    make_item(make_section(older), body="<p>Anna Example met Hidden Witness.</p>")
    make_digest(title="Newer digest", date=datetime.date(2025, 12, 20))
    html = client.get("/").content.decode()
    card = html[html.index("Older digest") :]
    card = card[: card.index("</article>")]
    assert "Anna Example" in card and "Hidden Witness" not in card


# Digest page


def test_item_anchor_is_an_icon_link_with_a_name_not_a_line_of_text(client):
    """Each item's link to itself is an icon with an accessible name, reachable by keyboard,
    instead of a "Link to this item" line after the text."""
    digest = make_digest()
    item = make_item(make_section(digest))
    html = client.get(digest.get_absolute_url()).content.decode()
    anchor = re.search(rf'<a class="item__anchor" href="#{item.anchor}">(.*?)</a>', html, re.S)
    assert anchor, "the item has its anchor link"
    # Its only text is for screen readers; the icon is drawn by the stylesheet.
    assert anchor.group(1) == '<span class="visually-hidden">Link to this item</span>'
    assert "Link to this item</a>" not in html.replace(anchor.group(0), "")


def test_digest_page_gives_reading_time(client):
    """The digest says about how long it takes to read (words / 220 a minute, at least 1)."""
    digest = make_digest()
    section = make_section(digest)
    make_item(section, body="<p>" + "word " * 660 + "</p>")
    assertContains(client.get(digest.get_absolute_url()), "3 min read")


def test_share_links_are_plain_links_and_no_outside_script(client):
    """Sharing needs no one else's script: plain links, and only the site's own scripts."""
    digest = make_digest(title="News digest 1 December 2025")
    make_item(make_section(digest))
    html = client.get(digest.get_absolute_url()).content.decode()
    url = "http%3A%2F%2Ftestserver" + digest.get_absolute_url().replace("/", "%2F")
    assert f'href="https://t.me/share/url?url={url}' in html
    assert "mailto:?subject=News%20digest%201%20December%202025" in html
    assert re.findall(r"<script[^>]* src=\"([^\"]+)\"", html) == [
        "/static/js/search.js",
        "/static/js/share.js",
    ]
    assert re.search(r'<button type="button" class="share__copy" data-copy="[^"]+" hidden>', html)


def test_drafts_offer_no_share_links(staff_client):
    """A draft seen by staff is not for sharing."""
    digest = make_digest(status=Status.DRAFT)
    make_item(make_section(digest))
    assertNotContains(staff_client.get(digest.get_absolute_url()), "t.me/share")


def test_chart_text_is_at_least_12_px_on_a_phone():
    """Charts are drawn so that their text is 12 px or more on a 390 px screen."""
    assert FONT * PHONE_CHART_WIDTH / WIDTH >= 12


# Person and organization pages


@pytest.mark.parametrize("kind", ["person", "organization"])
def test_entity_page_has_a_timeline_of_items_per_month_with_a_table(client, kind):
    """The page shows how often the entity was named each month, as a chart and a table;
    months in between show as empty, drafts never count."""
    entity = (make_person if kind == "person" else make_organization)("Anna Example")
    for date in (datetime.date(2025, 10, 3), datetime.date(2025, 12, 1)):
        section = make_section(make_digest(date=date))
        make_item(section, body="<p>Anna Example spoke.</p>")
        make_item(section, body="<p>Anna Example again.</p>")
    draft = make_digest(status=Status.DRAFT, date=datetime.date(2025, 12, 2))
    make_item(make_section(draft), body="<p>Anna Example in a draft.</p>")
    response = client.get(entity.get_absolute_url())
    timeline = response.context["timeline"]
    assert [(row["label"], row["total"]) for row in timeline.table] == [
        ("Oct 2025", 2),
        ("Nov 2025", 0),
        ("Dec 2025", 2),
    ]
    html = response.content.decode()
    assert 'id="chart-timeline-title"' in html and 'role="img"' in html
    assertInHTML('<tr><th scope="row">Dec 2025</th><td class="num">2</td></tr>', html)


def test_entity_without_portrait_shows_initials(client):
    """A person without a photo gets their initials in its place (hidden from screen
    readers, which read the name)."""
    person = make_person("Pavel Latushka", public_profile=True)
    assertContains(
        client.get(person.get_absolute_url()),
        '<span class="avatar avatar--large" aria-hidden="true">PL</span>',
        html=True,
    )


def test_affiliations_show_their_dates(client):
    """A person's affiliations say when: "2019–2021", "since 2020"."""
    person = make_person("Pavel Latushka", public_profile=True)
    organization = make_organization("National Anti-Crisis Management", public_profile=True)
    other = make_organization("United Transitional Cabinet", public_profile=True)
    person.affiliations.create(
        organization=organization,
        role="Head",
        start_date=datetime.date(2019, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    person.affiliations.create(organization=other, start_date=datetime.date(2020, 5, 1))
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Head, 2019–2021" in html and "since 2020" in html


def test_timeline_counts_items_not_mentions(client):
    """Two mentions in one item count once in the timeline."""
    person = make_person("Anna Example")
    make_item(
        make_section(make_digest(date=datetime.date(2025, 12, 1))),
        body="<p>Anna Example, and again Anna Example.</p>",
    )
    assert Item.objects.count() == 1
    timeline = client.get(person.get_absolute_url()).context["timeline"]
    assert [row["total"] for row in timeline.table] == [1]


def test_timeline_spans_at_most_three_years():
    """A long career is drawn as its last three years, not hundreds of hairline columns."""
    from digestsite.charts import TIMELINE_SPAN, timeline_chart

    counts = {
        datetime.date(2015, 1, 1): 4,
        datetime.date(2022, 12, 1): 1,
        datetime.date(2023, 1, 1): 3,
        datetime.date(2025, 12, 1): 2,
    }
    chart = timeline_chart(counts, chart_id="t", title="Items", noun="item")
    assert len(chart.columns) == TIMELINE_SPAN
    assert chart.table[0] == {"label": "Jan 2023", "values": [3], "total": 3}
    assert chart.table[-1]["label"] == "Dec 2025"


def test_home_most_named_counts_only_what_readers_may_see(client):
    """Who was named most: never a sensitive person however often named, a suppressed mention
    or a draft's items do not count, and people named as often are listed A–Z."""
    from digests.models import Mention, Status

    make_person("Zoya Example")
    make_person("Anna Example")
    make_person("Hidden Witness", sensitive=True)
    suppressed = make_person("Boris Example")
    digest = make_digest(title="Latest digest", date=datetime.date(2025, 12, 20))
    section = make_section(digest)
    for _ in range(3):
        make_item(section, body="<p>Hidden Witness spoke.</p>")
    make_item(section, body="<p>Zoya Example and Anna Example.</p>")
    item = make_item(section, body="<p>Boris Example and Boris Example again.</p>")
    Mention.objects.filter(item=item, person=suppressed).update(source=Mention.Source.SUPPRESSED)
    draft = make_digest(status=Status.DRAFT, date=datetime.date(2025, 12, 19))
    make_item(make_section(draft), body="<p>Zoya Example, Zoya Example.</p>")
    html = client.get("/").content.decode()
    assert "Hidden Witness" not in html and "Boris Example" not in html
    listed = re.findall(r'<a href="/people/[^"]+/">([^<]+)</a> <span class="count">', html)
    assert listed == ["Anna Example", "Zoya Example"]
