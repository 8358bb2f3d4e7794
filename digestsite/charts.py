"""Chart geometry shared by the apps' pages: plain data that `templates/includes/chart.html`
draws as inline SVG (no JavaScript, no inline styles; colours come from classes in site.css).

Sizes are in viewBox units. The SVG is drawn `WIDTH` units wide and shown at most about as
wide on a phone (358 CSS px at 390 px), so `FONT` units are at least 12 CSS px there.

Labels, figures and descriptions are written in the active language (the page's): month
names, decimal and thousands separators, "1.02M" / "1,02 млн".
"""

import datetime
import math
from dataclasses import dataclass, field

from django.utils import dateformat, formats
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

WIDTH = 360
FONT = 14


def compact(n: int) -> str:
    """A short figure with three significant digits: 950, 48.3K, 965K, 1.02M, 2M, 1.2B
    (in Belarusian and Russian "48,3 тыс.", "1,02 млн"). Two different figures never read as
    equal or in the wrong order because of rounding to one decimal (1,020,000 is "1.02M",
    not "1M" beside "965K")."""
    rounded = float(f"{n:.3g}")
    for size, suffix in ((10**9, "B"), (10**6, "M"), (10**3, "K")):
        if abs(rounded) >= size:
            number = f"{rounded / size:.2f}".rstrip("0").rstrip(".")
            number = number.replace(".", formats.get_format("DECIMAL_SEPARATOR"))
            return _SUFFIXES[suffix]() % {"number": number}
    return str(n)


# "%(number)s" followed by the short word for thousands, millions, billions.
_SUFFIXES = {
    "K": lambda: pgettext("a short figure: thousands", "%(number)sK"),
    "M": lambda: pgettext("a short figure: millions", "%(number)sM"),
    "B": lambda: pgettext("a short figure: billions", "%(number)sB"),
}


def figure(n: int) -> str:
    """A whole figure with the active language's thousands separator: 12,345 / 12 345."""
    return formats.number_format(n, force_grouping=True)


def month_label(month: datetime.date) -> str:
    """A month as a chart labels it: "Dec 2025", "Снеж 2025"."""
    return dateformat.format(month, "M Y")


def month_name(month: datetime.date) -> str:
    """A month as a description says it: "December 2025", "снежань 2025"."""
    return dateformat.format(month, "F Y")


def nice_step(largest: int, ticks: int = 4) -> int:
    """A round step (1, 2 or 5 × 10ⁿ) giving about `ticks` gridlines up to `largest`."""
    raw = max(largest / ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(factor * magnitude)
    return int(10 * magnitude)  # pragma: no cover


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from `first`'s to `last`'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


@dataclass
class Text:
    text: str
    x: int
    y: int
    sub: str = ""


@dataclass
class Segment:
    platform: str  # the colour class: a platform, or "mentions"
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
    (one per month, stacked when a month has several series)."""

    id: str
    kind: str
    title: str
    desc: str
    width: int
    height: int
    legend: list[tuple[str, str]]
    bars: list = field(default_factory=list)
    headings: list[Text] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    ticks: list[Text] = field(default_factory=list)
    x_labels: list[Text] = field(default_factory=list)
    plot_left: int = 0
    plot_right: int = 0
    baseline: int = 0
    table: list[dict] = field(default_factory=list)

    def marks(self) -> str:
        """The chart's shapes and labels as SVG elements, every text escaped. Written here
        rather than by the template language: a figures page draws hundreds of them (a third
        of its rendering time). Coordinates are written with a full stop whatever the
        language (SVG knows no decimal comma)."""
        parts = []
        if self.kind == "bars":
            for heading in self.headings:
                parts.append(
                    f'<text class="chart__group" x="{heading.x}" y="{heading.y}" '
                    f'font-weight="700">{escape(heading.text)}</text>\n'
                )
            for bar in self.bars:
                parts.append(
                    f'<text class="chart__text" x="{bar.x}" y="{bar.text_y}">'
                    f"{escape(bar.short_label)}</text>\n"
                    f'<rect class="chart__fill chart__fill--{escape(bar.platform)}" x="{bar.x}" '
                    f'y="{bar.y}" width="{bar.width}" height="{bar.height}"/>\n'
                    f'<text class="chart__text" x="{bar.value_x}" y="{bar.value_y}" '
                    f'font-weight="700">{escape(bar.value_text)}</text>\n'
                )
        else:
            for tick in self.ticks:
                parts.append(
                    f'<line class="chart__grid" x1="{self.plot_left}" x2="{self.plot_right}" '
                    f'y1="{tick.y}" y2="{tick.y}" stroke-width="1"/>\n'
                    f'<text class="chart__muted" x="{tick.x}" y="{tick.y}" dy="4" '
                    f'text-anchor="end">{escape(tick.text)}</text>\n'
                )
            for column in self.columns:
                for segment in column.segments:
                    parts.append(
                        f'<rect class="chart__fill chart__fill--{escape(segment.platform)}" '
                        f'x="{column.x}" y="{segment.y}" width="{column.width}" '
                        f'height="{segment.height}" stroke-width="1"/>\n'
                    )
            parts.append(
                f'<line class="chart__axis" x1="{self.plot_left}" x2="{self.plot_right}" '
                f'y1="{self.baseline}" y2="{self.baseline}" stroke-width="1.5"/>\n'
            )
            for label in self.x_labels:
                sub = (
                    f'<tspan x="{label.x}" dy="16">{escape(label.sub)}</tspan>' if label.sub else ""
                )
                parts.append(
                    f'<text class="chart__text" x="{label.x}" y="{label.y}" '
                    f'text-anchor="middle">{escape(label.text)}{sub}</text>\n'
                )
        return mark_safe("".join(parts))  # every text escaped above


def column_chart(
    totals: dict[datetime.date, dict[str, int]],
    series: list[tuple[str, str]],
    *,
    chart_id: str,
    title: str,
    desc: str = "",
    height: int = 240,
) -> Chart:
    """Columns, one per month from the first month of `totals` to the last (months without
    figures show empty), each stacked from the `series` (key, label) it has values for.
    `table` holds one dict per month (label, values in the order of `series`, total), so a
    page can list exactly what is drawn."""
    months = month_range(min(totals), max(totals)) if totals else []
    left, right, top, bottom = 50, WIDTH - 4, 10, height - 38
    largest = max((sum(v.values()) for v in totals.values()), default=0)
    step = nice_step(largest)
    top_value = step * max(math.ceil(largest / step), 1)
    scale = (bottom - top) / top_value
    slot = (right - left) / max(len(months), 1)
    every = math.ceil(len(months) / 7) or 1
    columns, x_labels, table = [], [], []
    for i, month in enumerate(months):
        values = totals.get(month, {})
        total = sum(values.values())
        column_width = min(slot * 0.7, 48)
        x = left + i * slot + (slot - column_width) / 2
        column = Column(
            label=month_label(month),
            total=total,
            x=round(x, 1),
            width=round(column_width, 1),
            y=round(bottom - total * scale, 1),
            height=round(total * scale, 1),
        )
        base = bottom
        for key, _ in series:
            if values.get(key):
                segment_height = values[key] * scale
                base -= segment_height
                column.segments.append(
                    Segment(key, values[key], round(base, 1), round(segment_height, 1))
                )
        columns.append(column)
        if i % every == 0:
            sub = f"{month:%Y}" if i == 0 or month.month <= every else ""
            label = dateformat.format(month, "M")
            x_labels.append(Text(label, round(x + column_width / 2), bottom + 17, sub))
        table.append(
            {"label": column.label, "values": [values.get(k, 0) for k, _ in series], "total": total}
        )
    ticks = [
        Text(compact(value), left - 6, round(bottom - value * scale))
        for value in range(0, top_value + 1, step)
    ]
    return Chart(
        id=chart_id,
        kind="columns",
        title=title,
        desc=desc,
        width=WIDTH,
        height=height,
        legend=series,
        columns=columns,
        ticks=ticks,
        x_labels=x_labels,
        plot_left=left,
        plot_right=right,
        baseline=bottom,
        table=table,
    )


TIMELINE_SPAN = 36  # months: a timeline never draws more columns than this

# What a timeline may count: its legend, and "N items" said in the active language.
COUNTED = {
    "item": (
        lambda: gettext("Items"),
        lambda n: ngettext("%(count)s item", "%(count)s items", n) % {"count": figure(n)},
    ),
}


def timeline_chart(counts: dict[datetime.date, int], *, chart_id: str, title: str, noun: str):
    """One column per month of how many `noun`s (one of COUNTED: "item") there were, from the
    first month in `counts` to the last, at most the last TIMELINE_SPAN months."""
    legend, how_many = COUNTED[noun]
    totals = {month.replace(day=1): {"mentions": n} for month, n in counts.items() if n}
    if totals:
        last = max(totals)
        first = datetime.date(
            last.year + (last.month - TIMELINE_SPAN) // 12, (last.month - TIMELINE_SPAN) % 12 + 1, 1
        )
        totals = {month: v for month, v in totals.items() if month >= first}
    chart = column_chart(
        totals, [("mentions", legend())], chart_id=chart_id, title=title, height=200
    )
    if chart.columns:
        months = sorted(totals)
        peak = max(months, key=lambda month: sum(totals[month].values()))
        chart.desc = gettext(
            "Columns, one per month from %(first)s to %(last)s. Most: %(peak)s, %(count)s. "
            "The table below gives every month."
        ) % {
            "first": month_name(months[0]),
            "last": month_name(months[-1]),
            "peak": month_name(peak),
            "count": how_many(sum(totals[peak].values())),
        }
    return chart
