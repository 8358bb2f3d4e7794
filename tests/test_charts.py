"""Charts: inline SVG drawn on the server, with the same figures in a table beside them."""

import datetime
import re
from html.parser import HTMLParser

import pytest

from digests import charts
from digests.models import Platform
from tests.factories import make_digest, make_item, make_metric, make_section

pytestmark = pytest.mark.django_db

YEAR_2025 = {"period_start": datetime.date(2025, 1, 1), "period_end": datetime.date(2025, 12, 31)}


class Svg(HTMLParser):
    """Collects each <svg>'s attributes, its title/desc texts by id, and every attribute
    name used anywhere in the page."""

    def __init__(self):
        super().__init__()
        self.svgs, self.texts, self.attributes, self._open = [], {}, set(), None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.attributes |= set(attrs)
        if tag == "svg":
            self.svgs.append(attrs)
        if tag in {"title", "desc"} and attrs.get("id"):
            self._open = attrs["id"]
            self.texts[self._open] = ""

    def handle_data(self, data):
        if self._open:
            self.texts[self._open] += data

    def handle_endtag(self, tag):
        if tag in {"title", "desc"}:
            self._open = None


def parse(html):
    parser = Svg()
    parser.feed(html)
    return parser


def table_numbers(html):
    """Every whole number shown in a table cell of the page (thousands separators removed)."""
    cells = re.findall(r"<td[^>]*>([\d,]+)</td>", html)
    return {int(cell.replace(",", "")) for cell in cells}


def test_whole_year_is_told_apart_from_dated_periods():
    """A figure for 1 January–31 December is a yearly total; any other period is dated."""
    assert charts.is_whole_year(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert not charts.is_whole_year(datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
    assert not charts.is_whole_year(datetime.date(2024, 1, 1), datetime.date(2025, 12, 31))
    assert not charts.is_whole_year(datetime.date(2025, 1, 2), datetime.date(2025, 12, 31))


def test_compact_numbers_read_naturally():
    """Bar labels say 2M, 1.5K, 950 rather than long digit strings."""
    assert [charts.compact(n) for n in (950, 1500, 2_000_000, 1_234_567_890, 999_999)] == [
        "950",
        "1.5K",
        "2M",
        "1.23B",
        "1M",
    ]


def test_compact_numbers_never_read_in_the_wrong_order():
    """1,020,000 beside 965,000 reads "1.02M" and "965K", never "1M" (as if rounded down)."""
    assert charts.compact(1_020_000) == "1.02M"
    assert charts.compact(965_000) == "965K"
    assert charts.compact(48_300) == "48.3K"
    assert charts.compact(254_000) == "254K"


def test_bars_scale_to_the_largest_value_and_fit_the_view_box():
    """The longest bar is the largest figure; no bar runs outside the drawing."""
    chart = charts.bar_chart(
        [
            charts.Row("First", 100, Platform.YOUTUBE),
            charts.Row("Second", 400, Platform.TIKTOK),
            charts.Row("Third", 0, Platform.X),
        ],
        chart_id="t",
        title="Views",
        desc="Test",
    )
    widths = {bar.label: bar.width for bar in chart.bars}
    assert widths["Second"] == max(widths.values()) and widths["Third"] == 0
    assert widths["First"] == pytest.approx(widths["Second"] / 4, abs=1)
    for bar in chart.bars:
        assert 0 <= bar.x and bar.x + bar.width <= chart.width
        assert 0 <= bar.y and bar.y + bar.height <= chart.height


def test_digest_page_chart_is_accessible_svg_with_the_same_figures_in_a_table(client):
    """Screen readers get a named image with a description, and every figure in the chart
    is also in the table, so nothing depends on seeing the bars."""
    digest = make_digest()
    item = make_item(make_section(digest))
    for views, platform in ((2_000_000, Platform.YOUTUBE), (35_400, Platform.TIKTOK)):
        make_metric(digest, item=item, views=views, platform=platform, topic=f"Post {views}")
    response = client.get(digest.get_absolute_url())
    html = response.content.decode()
    page = parse(html)
    assert len(page.svgs) == 1
    svg = page.svgs[0]
    assert svg["role"] == "img" and "viewbox" in svg and svg["width"] == "100%"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert page.texts[title_id].strip() and page.texts[desc_id].strip()
    chart_values = {
        bar.value for chart in response.context["contents"].charts for bar in chart.bars
    }
    assert chart_values == {2_000_000, 35_400}
    assert chart_values <= table_numbers(html)


def test_charts_use_no_inline_styles(client):
    """The strict content policy forbids inline styles: charts use attributes and classes."""
    digest = make_digest()
    make_metric(digest, views=5000)
    make_metric(digest, views=7000, **YEAR_2025)
    for url in (digest.get_absolute_url(), "/metrics/"):
        html = client.get(url).content.decode()
        assert "<svg" in html, url
        assert "style" not in parse(html).attributes and "<style" not in html, url


def test_yearly_totals_get_their_own_chart_on_the_digest_page(client):
    """A figure for a whole year is never drawn on the same scale as one day's figures."""
    digest = make_digest()
    make_metric(digest, views=1_500, topic="Dated post", period_end=datetime.date(2025, 12, 1))
    make_metric(digest, views=9_000_000, topic="Year post", **YEAR_2025)
    response = client.get(digest.get_absolute_url())
    dated, yearly = response.context["contents"].charts
    assert [bar.value for bar in dated.bars] == [1_500]
    assert [bar.value for bar in yearly.bars] == [9_000_000]
    assert "year" in yearly.title.lower()
    assert len(parse(response.content.decode()).svgs) == 2


def test_digest_without_figures_has_no_chart(client):
    """A digest reporting no figures shows no empty chart."""
    digest = make_digest()
    response = client.get(digest.get_absolute_url())
    assert response.context["contents"].charts == [] and b"<svg" not in response.content


def test_monthly_chart_places_figures_at_period_end_and_keeps_years_apart():
    """A figure counts in the month its period ends; whole-year totals are never added in."""
    rows = [
        {"month": datetime.date(2025, 12, 1), "platform": Platform.YOUTUBE, "views": 100},
        {"month": datetime.date(2025, 12, 1), "platform": Platform.TIKTOK, "views": 50},
        {"month": datetime.date(2026, 2, 1), "platform": Platform.YOUTUBE, "views": 30},
    ]
    chart = charts.monthly_chart(rows, chart_id="m", title="Views by month", desc="d")
    assert [column.label for column in chart.columns] == ["Dec 2025", "Jan 2026", "Feb 2026"]
    assert [column.total for column in chart.columns] == [150, 0, 30]
    december = chart.columns[0]
    assert sum(segment.height for segment in december.segments) == pytest.approx(december.height)
    assert [row["total"] for row in chart.table] == [150, 0, 30]


def test_topic_text_in_charts_is_escaped(client):
    """A topic typed with markup shows as text in the chart, never as live SVG or script."""
    digest = make_digest()
    make_metric(digest, topic='<script>alert(1)</script><a href="x">t</a>')
    html = client.get(digest.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("language", ["en", "be", "ru"])
def test_chart_coordinates_are_svg_numbers_in_every_language(client, language):
    """Belarusian and Russian write 1,5 for 1.5; SVG reads only 1.5: a chart drawn on their
    pages keeps its shapes where they belong."""
    digest = make_digest(language=language)
    for views in (1234567, 45678, 999):
        make_metric(digest, views=views, topic=f"Post <b>{views}</b>")
    html = client.get(digest.get_absolute_url()).content.decode()
    svg = html[html.index("<title", html.index("<svg")) : html.index("</svg>")]
    numbers = re.findall(r'\b(?:x|y|x1|x2|y1|y2|width|height|dy)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers), numbers
    assert "<b>" not in svg  # topics stay text
