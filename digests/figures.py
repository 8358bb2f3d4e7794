"""Social-media figures read from a bullet of an exported digest (rule 10 in digests.parsing).

Pure Python, no Django: ``read_figures`` turns "YouTube: 254K views — topic; 219K views — topic"
into figures, ``period_of`` reads a section title's "in 2025" / "in December 2025".
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from digestsite.deferred_messages import N_, Message

PLATFORMS = {
    "x": "x",
    "twitter": "x",
    "x (twitter)": "x",
    "twitter (x)": "x",
    "x/twitter": "x",
    "youtube": "youtube",
    "youtube shorts": "youtube_shorts",
    "tiktok": "tiktok",
    "instagram": "instagram",
    "facebook": "facebook",
    "telegram": "telegram",
}

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
MONTHS["sept"] = 9
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))

NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
FIGURE = rf"(?P<number>{NUMBER})\s*(?P<suffix>[KMB])?\s*views\b"
FIGURE_START_RE = re.compile(r"\s*" + FIGURE, re.IGNORECASE)
FIGURE_SEGMENT_RE = re.compile(
    r"\s*" + FIGURE + r"\s*(?:(?:[—–]|\s-)\s*(?P<topic>.*))?", re.IGNORECASE | re.DOTALL
)
FIGURE_SPLIT_RE = re.compile(rf";(?=\s*(?:{NUMBER})\s*[KMB]?\s*views\b)", re.IGNORECASE)
METRIC_LABEL_RE = re.compile(r"(?P<label>[^:]{1,40}):(?P<rest>.*)", re.DOTALL)
MULTIPLIERS = {"": 1, "K": 1_000, "M": 1_000_000, "B": 1_000_000_000}

PERIOD_MONTH_RE = re.compile(rf"\bin\s+({MONTH_PATTERN})\.?\s+(\d{{4}})\b", re.IGNORECASE)
PERIOD_YEAR_RE = re.compile(r"\bin\s+(\d{4})\b", re.IGNORECASE)

Note = Callable[[int, Message], None]


@dataclass
class Figure:
    platform: str
    views: int
    topic: str
    label: str


def read_figures(text: str, *, line: int, note: Note) -> list[Figure]:
    """The figures one bullet states, in order; none when it is not a figure bullet.

    Every judgement (unknown platform, rounding, a ";" kept in a topic) is passed to `note`,
    a Message (digestsite.deferred_messages).
    """
    match = METRIC_LABEL_RE.fullmatch(text)
    if match is None:
        return []
    label = match["label"].strip()
    key = " ".join(label.casefold().split())
    if not FIGURE_START_RE.match(match["rest"]):
        if key in PLATFORMS:
            note(
                line,
                Message(
                    N_(
                        "bullet names %(platform)s but no “<number> views” figure could be "
                        "read: no figure recorded"
                    ),
                    platform=label,
                ),
            )
        return []

    platform = PLATFORMS.get(key, "other")
    if platform == "other":
        note(
            line,
            Message(
                N_("platform “%(platform)s” is not a known one: recorded as “other”"),
                platform=clip(label),
            ),
        )
    figures = []
    for segment in FIGURE_SPLIT_RE.split(match["rest"]):
        figure = FIGURE_SEGMENT_RE.fullmatch(segment)
        if figure is None:
            note(
                line,
                Message(N_("“%(text)s” could not be read as a figure"), text=clip(segment.strip())),
            )
            continue
        topic = (figure["topic"] or "").strip()
        if ";" in topic:
            note(
                line,
                Message(
                    N_(
                        "“;” inside the topic “%(topic)s” is not followed by a figure: kept as "
                        "part of the topic"
                    ),
                    topic=clip(topic),
                ),
            )
        views = _views(figure["number"], figure["suffix"], line, note)
        figures.append(Figure(platform, views, topic.rstrip(";.").strip(), label))
    return figures


def period_of(title: str) -> tuple[datetime.date | None, datetime.date | None]:
    """The period a section title states: "in 2025" → the year, "in December 2025" → the month."""
    if match := PERIOD_MONTH_RE.search(title):
        year, month = int(match[2]), MONTHS[match[1].lower()]
        last_day = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last_day)
    if match := PERIOD_YEAR_RE.search(title):
        year = int(match[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return None, None


def clip(text: str, limit: int = 80) -> str:
    """`text` cut to at most `limit` characters, "…" marking a cut."""
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def quote(text: str, limit: int = 80) -> str:
    return f"“{clip(text, limit)}”"


def _views(number: str, suffix: str | None, line: int, note: Note) -> int:
    value = Decimal(number.replace(",", "")) * MULTIPLIERS[(suffix or "").upper()]
    rounded = value.to_integral_value(rounding=ROUND_HALF_UP)
    if rounded != value:
        note(
            line,
            Message(
                N_("%(figure)s views is not a whole number: rounded"),
                figure=f"{number}{suffix or ''}",
            ),
        )
    return int(rounded)
