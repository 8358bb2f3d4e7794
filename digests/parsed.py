"""What the parser returns: a digest read from an export, or the error that stopped it.

Plain dataclasses, no Django; digests.parsing fills them, digests.importing saves them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from digestsite.deferred_messages import Gettext, localize


class DigestImportError(ValueError):
    """The file cannot be read as a digest; names the file and, where it helps, the line.
    `message` is in English (a Message); `localize(gettext)` says it in another language."""

    def __init__(self, message: str, *, filename: str, line: int | None = None):
        self.message = message
        self.filename = filename
        self.line = line
        self.where = filename if line is None else f"{filename}:{line}"
        super().__init__(f"{self.where}: {message}")

    def localize(self, gettext: Gettext) -> str:
        return f"{self.where}: {localize(self.message, gettext)}"


@dataclass
class ParsedItem:
    title: str
    text: str
    html: str
    line: int


@dataclass
class ParsedSection:
    title: str
    line: int
    items: list[ParsedItem]


@dataclass
class ParsedMetric:
    """One platform figure; section_index and item_index count from 0."""

    platform: str
    views: int
    topic: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    section_index: int
    item_index: int
    line: int
    label: str


@dataclass
class ParsedDigest:
    title: str
    date: datetime.date
    sections: list[ParsedSection]
    metrics: list[ParsedMetric]
    notes: list[str]  # "line N: …", each a Message (digestsite.deferred_messages)
    lead: str = ""
    # "en", "be" or "ru": read from the text (`parsing.detect_language`) or given.
    language: str = "en"

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "date": self.date.isoformat(),
            "language": self.language,
            "lead": self.lead,
            "sections": [
                {
                    "title": section.title,
                    "items": [{"title": item.title, "text": item.text} for item in section.items],
                }
                for section in self.sections
            ],
            "metrics": [
                {
                    "platform": metric.platform,
                    "views": metric.views,
                    "topic": metric.topic,
                    "period_start": _iso(metric.period_start),
                    "period_end": _iso(metric.period_end),
                }
                for metric in self.metrics
            ],
        }


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None
