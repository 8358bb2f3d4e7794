"""The figures page's tables: views per month and platform, and the most viewed posts."""

import datetime

import pytest

from digests.models import Language, Platform
from tests.factories import make_digest, make_item, make_metric, make_section

pytestmark = pytest.mark.django_db

NONE = '<span aria-hidden="true">–</span><span class="visually-hidden">{}</span>'


def test_months_list_every_platform_and_a_dash_where_there_is_none(client):
    digest = make_digest()
    make_metric(digest, views=1_500, period_end=datetime.date(2025, 12, 10))
    make_metric(
        digest, views=2_000_000, platform=Platform.TIKTOK, period_end=datetime.date(2025, 10, 3)
    )
    html = client.get("/metrics/").content.decode()
    assert (
        '<tr><th scope="row">Dec 2025</th><td class="num">1,500</td>'
        f'<td class="num">{NONE.format("none")}</td><td class="num">1,500</td></tr>'
    ) in html
    empty = f'<td class="num">{NONE.format("none")}</td>'
    assert f'<tr><th scope="row">Nov 2025</th>{empty * 3}</tr>' in html
    assert (
        '<tr><th scope="row">Oct 2025</th><td class="num">'
        f'{NONE.format("none")}</td><td class="num">2,000,000</td>'
        '<td class="num">2,000,000</td></tr>'
    ) in html


def test_months_in_the_page_language(client):
    digest = make_digest(title="Дайджест", slug="daidzhest", language=Language.RUSSIAN)
    make_metric(digest, views=1_500, period_end=datetime.date(2025, 12, 10))
    make_metric(digest, views=7, platform=Platform.TIKTOK, period_end=datetime.date(2025, 11, 3))
    html = client.get("/ru/metrics/").content.decode()
    assert f'<td class="num">1\xa0500</td><td class="num">{NONE.format("нет")}</td>' in html


def test_most_viewed_posts_escape_what_they_show(client):
    digest = make_digest()
    item = make_item(make_section(digest))
    make_metric(
        digest,
        item=item,
        views=12_345,
        topic="Q&A <live>",
        url="https://video.example.com/watch?v=9&t=1",
        period_start=datetime.date(2025, 12, 1),
        period_end=datetime.date(2025, 12, 7),
    )
    make_metric(digest, views=10, topic="Plain", period_end=datetime.date(2025, 12, 9))
    html = client.get("/metrics/").content.decode()
    assert (
        '<tr><td class="num" data-label="Views">12,345</td><td data-label="Platform">'
        '<a href="https://video.example.com/watch?v=9&amp;t=1" rel="noopener noreferrer">'
        'YouTube</a></td><td data-label="Topic">'
        f'<a href="{item.get_absolute_url()}">Q&amp;A &lt;live&gt;</a></td>'
        '<td data-label="Period">1 Dec 2025 – 7 Dec 2025</td></tr>'
    ) in html
    assert (
        '<tr><td class="num" data-label="Views">10</td><td data-label="Platform">YouTube</td>'
        f'<td data-label="Topic"><a href="{digest.get_absolute_url()}">Plain</a></td>'
        '<td data-label="Period">9 Dec 2025</td></tr>'
    ) in html
