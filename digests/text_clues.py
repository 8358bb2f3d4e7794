"""What an export's text says besides its structure: the date its title line writes (rule 5
in digests.parsing) and the language it is written in. Pure Python, no Django."""

from __future__ import annotations

import datetime
import re

from digests.figures import MONTH_PATTERN, MONTHS

# Belarusian and Russian month names in the genitive ("31 снежня") and the nominative.
CYRILLIC_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "студзеня студзень января январь",
            "лютага люты февраля февраль",
            "сакавіка сакавік марта март",
            "красавіка красавік апреля апрель",
            "мая май",
            "чэрвеня чэрвень июня июнь",
            "ліпеня ліпень июля июль",
            "жніўня жнівень августа август",
            "верасня верасень сентября сентябрь",
            "кастрычніка кастрычнік октября октябрь",
            "лістапада лістапад ноября ноябрь",
            "снежня снежань декабря декабрь",
        ],
        start=1,
    )
    for name in names.split()
}
CYRILLIC_MONTH_PATTERN = "|".join(sorted(CYRILLIC_MONTHS, key=len, reverse=True))

DATE_PATTERNS = (
    ("ymd", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    (
        "dmy-cyrillic",
        re.compile(rf"\b(\d{{1,2}})\s+({CYRILLIC_MONTH_PATTERN})\s+(\d{{4}})\b", re.IGNORECASE),
    ),
    (
        "dmy",
        re.compile(
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_PATTERN})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
        ),
    ),
    (
        "mdy",
        re.compile(
            rf"\b({MONTH_PATTERN})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
        ),
    ),
)


# Letters only Belarusian writes (і, ў) and only Russian writes (и, щ, ъ) among the Cyrillic
# alphabets of the two languages.
_BELARUSIAN_ONLY = frozenset("іўІЎ")
_RUSSIAN_ONLY = frozenset("ищъИЩЪ")


def detect_language(text: str) -> str:
    """The language of a digest's text: "en" when it is mostly Latin, otherwise "be" or "ru"
    by the letters only one of the two uses (a Belarusian text never has и, a Russian one never
    has і or ў; names quoted from the other language are outnumbered)."""
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cyrillic <= latin:
        return "en"
    belarusian = sum(1 for ch in text if ch in _BELARUSIAN_ONLY)
    russian = sum(1 for ch in text if ch in _RUSSIAN_ONLY)
    return "be" if belarusian > russian else "ru"


def find_date(text: str) -> tuple[str, datetime.date | None] | None:
    """The first date written in `text`: its wording and the date (None when not a real one)."""
    for style, pattern in DATE_PATTERNS:
        if match := pattern.search(text):
            if style == "ymd":
                year, month, day = (int(part) for part in match.groups())
            elif style == "dmy":
                day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
            elif style == "dmy-cyrillic":
                day, year = int(match[1]), int(match[3])
                month = CYRILLIC_MONTHS[match[2].lower()]
            else:
                month, day, year = MONTHS[match[1].lower()], int(match[2]), int(match[3])
            try:
                return match[0], datetime.date(year, month, day)
            except ValueError:
                return match[0], None
    return None
