"""Charts drawn on the server as plain data for `templates/includes/chart.html` to render as
inline SVG: no JavaScript, no inline styles (colours come from classes in site.css).

Every chart has a title and a description for screen readers; pages show the same figures
in a table beside it. Charts over time place a figure in the month its period ends and never
add a yearly total to dated figures: those go to a chart of their own.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from digests.models import Platform, is_whole_year
from digestsite.charts import FONT, WIDTH, Chart, Text, column_chart, compact, figure, month_name

__all__ = [
    "Row",
    "bar_chart",
    "compact",
    "digest_charts",
    "is_whole_year",
    "month_rows",
    "monthly_chart",
    "yearly_chart",
]

LABEL_CHARS = 44
PLATFORMS = list(Platform.values)


def _shorten(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _platform_label(platform: str) -> str:
    return Platform(platform).label if platform in PLATFORMS else str(platform)


@dataclass(frozen=True)
class Row:
    """One figure to draw: a label, its value, its platform, and the group it is listed under
    (the platform's name when left empty)."""

    label: str
    value: int
    platform: str
    group: str = ""


@dataclass
class Bar:
    label: str
    value: int
    platform: str
    group: str
    x: int
    y: int
    width: int
    height: int
    text_y: int
    value_x: int
    value_y: int

    @property
    def short_label(self) -> str:
        return _shorten(self.label)

    @property
    def value_text(self) -> str:
        return compact(self.value)


def _legend(platforms) -> list[tuple[str, str]]:
    present = set(platforms)
    return [(p, _platform_label(p)) for p in PLATFORMS if p in present]


def bar_chart(rows: list[Row], *, chart_id: str, title: str, desc: str) -> Chart:
    """Horizontal bars, one per row, listed under a heading per group, in the order given.
    The longest bar is the largest value; every bar carries its value as text."""
    row_height, bar_height, heading_height = 40, 14, 26
    value_room = 60  # "999.9M" at the chart's font size
    largest = max((row.value for row in rows), default=0) or 1
    scale = (WIDTH - value_room) / largest
    bars, headings, y = [], [], 0
    for group, members in groupby(rows, key=lambda r: r.group or _platform_label(r.platform)):
        headings.append(Text(group, 0, y + FONT + 4))
        y += heading_height
        for row in members:
            width = round(row.value * scale)
            bars.append(
                Bar(
                    label=row.label,
                    value=row.value,
                    platform=row.platform,
                    group=group,
                    x=0,
                    y=y + 18,
                    width=width,
                    height=bar_height,
                    text_y=y + FONT,
                    value_x=width + 4,
                    value_y=y + 18 + bar_height - 2,
                )
            )
            y += row_height
    return Chart(
        id=chart_id,
        kind="bars",
        title=title,
        desc=desc,
        width=WIDTH,
        height=max(y + 4, 1),
        legend=_legend(row.platform for row in rows),
        bars=bars,
        headings=headings,
    )


def monthly_chart(rows, *, chart_id: str, title: str, desc: str = "") -> Chart:
    """Stacked columns of views per month, split by platform, from aggregated rows
    `{"month": date, "platform": str, "views": int}` (months without figures show empty).
    Also fills `table` (one dict per month: label, values per platform, total; its columns
    are the platforms of `legend`), so the page can list exactly what is drawn."""
    totals: dict[datetime.date, dict[str, int]] = {}
    for row in rows:
        month = row["month"].replace(day=1)
        by_platform = totals.setdefault(month, {})
        by_platform[row["platform"]] = by_platform.get(row["platform"], 0) + row["views"]
    platforms = _legend(p for v in totals.values() for p in v)
    chart = column_chart(totals, platforms, chart_id=chart_id, title=title, desc=desc)
    if not desc and chart.columns:
        months = sorted(totals)
        peak = max(months, key=lambda month: sum(totals[month].values()))
        chart.desc = gettext(
            "Stacked columns, one per month from %(first)s to %(last)s, split by platform. "
            "Most views: %(peak)s, %(views)s. The table below gives every figure."
        ) % {
            "first": month_name(months[0]),
            "last": month_name(months[-1]),
            "peak": month_name(peak),
            "views": figure(sum(totals[peak].values())),
        }
    return chart


def month_rows(chart: Chart) -> str:
    """The rows of the table beside a monthly chart (its `table`): the month, its views per
    platform of the legend, its total; a dash, read as "none", where there are none. Written
    here rather than by the template language: two years of eight platforms are hundreds of
    cells (a third of the figures page's rendering). Every text escaped as the template would."""
    none = (
        '<span aria-hidden="true">–</span>'
        f'<span class="visually-hidden">{escape(gettext("none"))}</span>'
    )

    def cell(views: int) -> str:
        return f'<td class="num">{escape(figure(views)) if views else none}</td>'

    return mark_safe(  # every text escaped
        "".join(
            f'<tr><th scope="row">{escape(row["label"])}</th>'
            f"{''.join(cell(views) for views in row['values'])}{cell(row['total'])}</tr>\n"
            for row in chart.table
        )
    )


def _bars_desc(rows: list[Row], template: str) -> str:
    """`template` (one of the two below, translated) filled in with the largest figure."""
    top = max(rows, key=lambda r: r.value)
    return template % {
        "views": figure(top.value),
        "platform": _platform_label(top.platform),
        "label": _shorten(top.label, 80),
    }


def digest_charts(metrics) -> list[Chart]:
    """A digest's figures as bars per post grouped by platform: one chart for dated figures,
    another for yearly totals, so a year is never drawn against a day."""
    dated, yearly = [], []
    for metric in metrics:
        row = Row(metric.topic, metric.views, metric.platform)
        (yearly if metric.is_whole_year else dated).append(row)
    charts = []
    for rows, chart_id, title, desc in (
        (
            dated,
            "chart-posts",
            gettext("Views per post"),
            gettext(
                "Horizontal bars, one per post, grouped by platform. Most views: %(views)s on "
                "%(platform)s (%(label)s). The table below lists every figure."
            ),
        ),
        (
            yearly,
            "chart-year-posts",
            gettext("Views per post over a whole year"),
            gettext(
                "Horizontal bars, one per yearly total, grouped by platform. Most views: "
                "%(views)s on %(platform)s (%(label)s). The table below lists every figure."
            ),
        ),
    ):
        if rows:
            rows.sort(key=lambda r: (PLATFORMS.index(r.platform), -r.value))
            charts.append(
                bar_chart(rows, chart_id=chart_id, title=title, desc=_bars_desc(rows, desc))
            )
    return charts


def yearly_chart(rows) -> Chart:
    """Yearly totals per platform, from aggregated rows `{"year", "platform", "views"}`,
    listed under each year, newest first."""
    bars = [
        Row(_platform_label(r["platform"]), r["views"], r["platform"], group=str(r["year"]))
        for r in sorted(rows, key=lambda r: (-r["year"], PLATFORMS.index(r["platform"])))
    ]
    desc = ""
    if bars:
        top = max(bars, key=lambda r: r.value)
        desc = gettext(
            "Horizontal bars, one per platform and year, for figures covering a whole year. "
            "Most views: %(views)s on %(platform)s in %(year)s. The table below lists every "
            "figure."
        ) % {"views": figure(top.value), "platform": top.label, "year": top.group}
    return bar_chart(
        bars, chart_id="chart-years", title=gettext("Views over whole years"), desc=desc
    )
