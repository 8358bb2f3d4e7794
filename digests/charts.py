"""Charts drawn on the server as plain data for `templates/includes/chart.html` to render as
inline SVG: no JavaScript, no inline styles (colours come from classes in site.css).

Every chart has a title and a description for screen readers; pages show the same figures
in a table beside it. Charts over time place a figure in the month its period ends and never
add a yearly total to dated figures: those go to a chart of their own.
"""

import datetime
import math
from dataclasses import dataclass, field
from itertools import groupby

from digests.models import Platform, is_whole_year

__all__ = [
    "Row",
    "bar_chart",
    "compact",
    "digest_charts",
    "is_whole_year",
    "monthly_chart",
    "yearly_chart",
]

WIDTH = 400  # viewBox units; the SVG scales to its container (width 100%)
FONT = 13
LABEL_CHARS = 52
PLATFORMS = list(Platform.values)


def compact(n: int) -> str:
    """950, 1.5K, 2M, 1.2B: short enough for a bar label."""
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if abs(n) >= size:
            return f"{n / size:.1f}".removesuffix(".0") + suffix
    return str(n)


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


@dataclass
class Text:
    text: str
    x: int
    y: int
    sub: str = ""


@dataclass
class Segment:
    platform: str
    value: int
    y: float
    height: float


@dataclass
class Column:
    label: str
    total: int
    x: float
    width: float
    y: float
    height: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class Chart:
    """What the template draws. `kind` is "bars" (horizontal, one per row) or "columns"
    (stacked, one per month)."""

    id: str
    kind: str
    title: str
    desc: str
    width: int
    height: int
    legend: list[tuple[str, str]]
    bars: list[Bar] = field(default_factory=list)
    headings: list[Text] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    ticks: list[Text] = field(default_factory=list)
    x_labels: list[Text] = field(default_factory=list)
    plot_left: int = 0
    plot_right: int = 0
    baseline: int = 0
    table: list[dict] = field(default_factory=list)


def _legend(platforms) -> list[tuple[str, str]]:
    present = set(platforms)
    return [(p, _platform_label(p)) for p in PLATFORMS if p in present]


def bar_chart(rows: list[Row], *, chart_id: str, title: str, desc: str) -> Chart:
    """Horizontal bars, one per row, listed under a heading per group, in the order given.
    The longest bar is the largest value; every bar carries its value as text."""
    row_height, bar_height, heading_height = 38, 14, 24
    value_room = 8 * 6  # "999.9M" at the chart's font size
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


def _nice_step(largest: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 × 10ⁿ) giving about `ticks` gridlines up to `largest`."""
    raw = max(largest / ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover


def _months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


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
    months = _months(min(totals), max(totals)) if totals else []
    height, left, right, top, bottom = 240, 44, WIDTH - 4, 10, 240 - 34
    largest = max((sum(v.values()) for v in totals.values()), default=0)
    step = _nice_step(largest)
    top_value = step * max(math.ceil(largest / step), 1)
    scale = (bottom - top) / top_value
    slot = (right - left) / max(len(months), 1)
    every = math.ceil(len(months) / 8) or 1
    platforms = _legend(p for v in totals.values() for p in v)
    columns, x_labels, table = [], [], []
    for i, month in enumerate(months):
        values = totals.get(month, {})
        total = sum(values.values())
        column_width = min(slot * 0.7, 48)
        x = left + i * slot + (slot - column_width) / 2
        column = Column(
            label=f"{month:%b %Y}",
            total=total,
            x=round(x, 1),
            width=round(column_width, 1),
            y=round(bottom - total * scale, 1),
            height=round(total * scale, 1),
        )
        base = bottom
        for platform, _ in platforms:
            if values.get(platform):
                segment_height = values[platform] * scale
                base -= segment_height
                column.segments.append(
                    Segment(platform, values[platform], round(base, 1), round(segment_height, 1))
                )
        columns.append(column)
        if i % every == 0:
            sub = f"{month:%Y}" if i == 0 or month.month <= every else ""
            x_labels.append(Text(f"{month:%b}", round(x + column_width / 2), bottom + 16, sub))
        table.append(
            {
                "label": column.label,
                "values": [values.get(p, 0) for p, _ in platforms],
                "total": total,
            }
        )
    ticks = [
        Text(compact(value), left - 6, round(bottom - value * scale))
        for value in range(0, top_value + 1, step)
    ]
    if not desc and columns:
        peak = max(columns, key=lambda c: c.total)
        desc = (
            f"Stacked columns, one per month from {columns[0].label} to {columns[-1].label}, "
            f"split by platform. Most views: {peak.label}, {peak.total:,}. "
            "The table below gives every figure."
        )
    return Chart(
        id=chart_id,
        kind="columns",
        title=title,
        desc=desc,
        width=WIDTH,
        height=height,
        legend=platforms,
        columns=columns,
        ticks=ticks,
        x_labels=x_labels,
        plot_left=left,
        plot_right=right,
        baseline=bottom,
        table=table,
    )


def _bars_desc(rows: list[Row], what: str) -> str:
    top = max(rows, key=lambda r: r.value)
    return (
        f"Horizontal bars, {what}, grouped by platform. Most views: "
        f"{top.value:,} on {_platform_label(top.platform)} ({_shorten(top.label, 80)}). "
        "The table below lists every figure."
    )


def digest_charts(metrics) -> list[Chart]:
    """A digest's figures as bars per post grouped by platform: one chart for dated figures,
    another for yearly totals, so a year is never drawn against a day."""
    dated, yearly = [], []
    for metric in metrics:
        row = Row(metric.topic, metric.views, metric.platform)
        (yearly if metric.is_whole_year else dated).append(row)
    charts = []
    for rows, chart_id, title, what in (
        (dated, "chart-posts", "Views per post", "one per post"),
        (yearly, "chart-year-posts", "Views per post over a whole year", "one per yearly total"),
    ):
        if rows:
            rows.sort(key=lambda r: (PLATFORMS.index(r.platform), -r.value))
            charts.append(
                bar_chart(rows, chart_id=chart_id, title=title, desc=_bars_desc(rows, what))
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
        desc = (
            f"Horizontal bars, one per platform and year, for figures covering a whole year. "
            f"Most views: {top.value:,} on {top.label} in {top.group}. "
            "The table below lists every figure."
        )
    return bar_chart(bars, chart_id="chart-years", title="Views over whole years", desc=desc)
