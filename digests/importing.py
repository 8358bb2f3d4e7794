"""Read a digest exported as text from the newsroom's site builder.

How the text is read (every rule below is applied in this order, one line at a time):

1. The file must be UTF-8 (a byte-order mark is allowed) and must not contain NUL bytes.
   Windows (CR LF) and old Mac (CR) line endings are accepted. Line numbers in messages count
   lines the way a text editor does.
2. Blank lines only separate; every other line is one block. Spaces at either end of a line are
   dropped; everything inside it is kept exactly as written (non-breaking spaces, typographic
   quotes and apostrophes included).
3. The site builder's lines "top of page", "bottom of page" and "Comments" are not content and
   are dropped wherever they stand.
4. A lone "ree" line marks where an image stood. The next content starts a new item. A "ree"
   directly before a section heading belongs to that section's first item, so it never leaves
   an empty item behind; a "ree" before the first heading carries nothing.
5. The first remaining line is the digest's title, kept whole. It must contain the date, written
   as "31 December 2025", "December 31, 2025" or "2025-12-31" (English month names, full or
   abbreviated); the digest's date is taken from it.
6. A line starting with "•" (also "◦", "▪", "●"), possibly indented, is a bullet. A line
   starting with a number followed by "." or ")" and a space ("1. ", "3) ") is a numbered entry.
   Consecutive bullets make one list; consecutive numbered entries make one list while the
   numbers follow on (1, 2, 3 ...), and a list whose numbering does not start at 1 keeps its
   first number.
7. Any other line is a section heading when all of these hold:
   - it is at most 120 characters long;
   - it does not end a sentence: its last character, after any closing quotes and brackets,
     is not one of . ! ? … ; ,
   - if it ends with ":", the next content line is neither a bullet nor a line opening with a
     quotation mark (then the line introduces that list or quotation and stays in its item).
   A heading's trailing ":" is dropped from its title. Every other line is a paragraph.
8. Paragraphs and lists between the title and the first section heading form the digest's lead.
   When the line after the title is a heading (as in every export seen so far), there is no lead.
9. Within a section, content up to the next "ree" or heading is one item. Items have no titles;
   an item can hold several paragraphs and lists. A heading with nothing after it before the next
   heading is an empty section.
10. A bullet of the form "Platform: 254K views — topic" records social-media figures. Several
    figures may share one bullet, separated by ";": a ";" starts a new figure only when the text
    after it begins with a number and "views" ("219K views — ..."); any other ";" stays part of
    the topic. The dash may be "—", "–" or " - ". Numbers may carry K (thousand), M (million) or
    B (billion) and decimals ("1.02M"), or thousands separators ("12,500"). Platform names known
    here: X (also "Twitter", "X (Twitter)"), YouTube, YouTube Shorts, TikTok, Instagram,
    Facebook, Telegram; any other name is recorded as "other". The period is read from the
    section title: "in 2025" means 1 January - 31 December 2025, "in December 2025" that month;
    with neither, no period is set (the digest's date applies). The bullet stays in the item's
    text as written.

Every judgement the rules make (each heading, each ":" line kept in its item, each figure whose
platform is unknown, ...) is reported in ``ParsedDigest.notes`` as "line N: ...".
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from html import escape

MAX_HEADING_LENGTH = 120

ARTEFACTS = frozenset({"top of page", "bottom of page", "comments"})
IMAGE_MARKER = "ree"
BULLET_MARKERS = "•◦▪●"
SENTENCE_END = ".!?…;,"
CLOSING_MARKS = "\"'”’»)]"
QUOTES = "\"'“‘„«"

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

DATE_PATTERNS = (
    ("ymd", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
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

NUMBERED_RE = re.compile(r"(\d{1,3})[.)]\s+(\S.*)", re.DOTALL)
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
LINE_BREAK_BYTES_RE = re.compile(rb"\r\n|\r|\n")

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


class DigestImportError(ValueError):
    """The file cannot be read as a digest; names the file and, where it helps, the line."""

    def __init__(self, message: str, *, filename: str, line: int | None = None):
        self.message = message
        self.filename = filename
        self.line = line
        where = filename if line is None else f"{filename}:{line}"
        super().__init__(f"{where}: {message}")


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
    notes: list[str]
    lead: str = ""

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "date": self.date.isoformat(),
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


def parse_digest(data: bytes | str, *, filename: str = "<input>") -> ParsedDigest:
    """Parse one exported digest; raise DigestImportError when it cannot be read."""
    text = _decode(data, filename)
    return _Parser(_read_lines(text, filename), filename).parse()


@dataclass
class _Line:
    number: int
    kind: str  # "text", "bullet", "numbered" or "image"
    text: str
    raw: str
    position: int | None = None


@dataclass
class _Block:
    kind: str  # "p", "ul" or "ol"
    entries: list[_Line]
    start: int = 1

    def plain(self) -> str:
        if self.kind == "p":
            return self.entries[0].text
        if self.kind == "ul":
            return "\n".join(f"• {entry.text}" for entry in self.entries)
        return "\n".join(f"{entry.position}. {entry.text}" for entry in self.entries)

    def html(self) -> str:
        if self.kind == "p":
            return f"<p>{_escape(self.entries[0].text)}</p>"
        entries = "".join(f"<li>{_escape(entry.text)}</li>" for entry in self.entries)
        start = f' start="{self.start}"' if self.kind == "ol" and self.start != 1 else ""
        return f"<{self.kind}{start}>{entries}</{self.kind}>"


@dataclass
class _Item:
    line: int
    blocks: list[_Block] = field(default_factory=list)


@dataclass
class _Section:
    title: str
    line: int
    items: list[_Item] = field(default_factory=list)


def _decode(data: bytes | str, filename: str) -> str:
    if isinstance(data, str):
        text = data
        nul = text.find("\0")
        if nul != -1:
            raise DigestImportError(
                "this is a binary file (it contains NUL characters), not a text export",
                filename=filename,
                line=_line_of(text[:nul]),
            )
    else:
        nul = data.find(b"\0")
        if nul != -1:
            raise DigestImportError(
                "this is a binary file (it contains NUL bytes), not a text export",
                filename=filename,
                line=_line_of(data[:nul]),
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DigestImportError(
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be read); "
                "export it again as UTF-8",
                filename=filename,
                line=_line_of(data[: exc.start]),
            ) from None
    return text.removeprefix("\ufeff")


def _line_of(prefix: bytes | str) -> int:
    pattern = LINE_BREAK_BYTES_RE if isinstance(prefix, bytes) else LINE_BREAK_RE
    return len(pattern.findall(prefix)) + 1


def _read_lines(text: str, filename: str) -> list[_Line]:
    lines: list[_Line] = []
    saw_artefact = False
    for number, raw in enumerate(LINE_BREAK_RE.split(text), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        if stripped.casefold() in ARTEFACTS:
            saw_artefact = True
        elif stripped.casefold() == IMAGE_MARKER:
            lines.append(_Line(number, "image", stripped, stripped))
        elif stripped[0] in BULLET_MARKERS:
            entry = stripped[1:].strip()
            if entry:
                lines.append(_Line(number, "bullet", entry, stripped))
        elif match := NUMBERED_RE.fullmatch(stripped):
            lines.append(_Line(number, "numbered", match[2], stripped, int(match[1])))
        else:
            lines.append(_Line(number, "text", stripped, stripped))
    if not any(line.kind != "image" for line in lines):
        if saw_artefact or lines:
            raise DigestImportError(
                "the file holds only site-builder artefacts (“top of page”, “ree”, …) "
                "and no digest",
                filename=filename,
            )
        raise DigestImportError("the file is empty", filename=filename)
    return lines


class _Parser:
    def __init__(self, lines: list[_Line], filename: str):
        self.lines = lines
        self.filename = filename
        self.notes: list[str] = []
        self.lead: list[_Block] = []
        self.sections: list[_Section] = []
        self.image_pending: _Line | None = None

    def note(self, line: int, message: str) -> None:
        self.notes.append(f"line {line}: {message}")

    def parse(self) -> ParsedDigest:
        title_index = next(i for i, line in enumerate(self.lines) if line.kind != "image")
        title_line = self.lines[title_index]
        title = title_line.raw
        date = self._date_from_title(title, title_line.number)

        for index in range(title_index + 1, len(self.lines)):
            line = self.lines[index]
            if line.kind == "image":
                self.image_pending = line
            elif line.kind == "text" and self._is_heading(line, self._next_content(index)):
                self._start_section(line)
            else:
                self._add_content(line)

        if self.lead:
            self.note(self.lead[0].entries[0].number, "text before the first heading is the lead")
        if not self.sections:
            self.note(title_line.number, "no section heading found")
        for section in self.sections:
            if not section.items:
                self.note(section.line, f"section {_quote(section.title)} is empty")

        sections = [
            ParsedSection(
                title=section.title,
                line=section.line,
                items=[
                    ParsedItem(
                        title="",
                        text="\n\n".join(block.plain() for block in item.blocks),
                        html="\n".join(block.html() for block in item.blocks),
                        line=item.line,
                    )
                    for item in section.items
                ],
            )
            for section in self.sections
        ]
        return ParsedDigest(
            title=title,
            date=date,
            sections=sections,
            metrics=self._metrics(),
            notes=sorted(self.notes, key=_note_line),
            lead="\n\n".join(block.plain() for block in self.lead),
        )

    def _next_content(self, index: int) -> _Line | None:
        for later in range(index + 1, len(self.lines)):
            if self.lines[later].kind != "image":
                return self.lines[later]
        return None

    def _date_from_title(self, title: str, number: int) -> datetime.date:
        for style, pattern in DATE_PATTERNS:
            match = pattern.search(title)
            if not match:
                continue
            if style == "ymd":
                year, month, day = (int(part) for part in match.groups())
            elif style == "dmy":
                day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
            else:
                month, day, year = MONTHS[match[1].lower()], int(match[2]), int(match[3])
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise DigestImportError(
                    f"the title's date “{match[0]}” is not a real date",
                    filename=self.filename,
                    line=number,
                ) from None
        raise DigestImportError(
            f"no title line: the first line {_quote(title)} does not contain a date "
            "(expected e.g. “News digest 31 December 2025”)",
            filename=self.filename,
            line=number,
        )

    def _is_heading(self, line: _Line, following: _Line | None) -> bool:
        text = line.text
        if _ends_sentence(text) or not text.rstrip(":").strip():
            return False
        if len(text) > MAX_HEADING_LENGTH:
            self.note(
                line.number,
                f"{_quote(text)} has no closing punctuation but is longer than "
                f"{MAX_HEADING_LENGTH} characters: taken as a paragraph",
            )
            return False
        if not text.endswith(":"):
            self.note(line.number, f"{_quote(text)} taken as a section heading")
            return True
        if following is not None and following.kind == "bullet":
            self.note(
                line.number,
                f"{_quote(text)} kept inside the item (it introduces the list that follows)",
            )
            return False
        if following is not None and following.kind == "text" and following.text[0] in QUOTES:
            self.note(
                line.number,
                f"{_quote(text)} kept inside the item (it introduces the quotation that follows)",
            )
            return False
        self.note(
            line.number, f"{_quote(text)} taken as a section heading (trailing colon dropped)"
        )
        return True

    def _start_section(self, line: _Line) -> None:
        if self.image_pending is not None and self.sections:
            self.note(
                self.image_pending.number,
                f"image marker before the heading on line {line.number} "
                "belongs to that section's first item",
            )
        self.image_pending = None
        self.sections.append(_Section(line.text.rstrip(":").strip(), line.number))

    def _add_content(self, line: _Line) -> None:
        if not self.sections:
            blocks = self.lead
        else:
            items = self.sections[-1].items
            if not items or self.image_pending is not None:
                items.append(_Item(line.number))
            blocks = items[-1].blocks
        self.image_pending = None

        last = blocks[-1] if blocks else None
        if line.kind == "text":
            blocks.append(_Block("p", [line]))
        elif line.kind == "bullet":
            if last is not None and last.kind == "ul":
                last.entries.append(line)
            else:
                blocks.append(_Block("ul", [line]))
        elif (
            last is not None
            and last.kind == "ol"
            and line.position == last.entries[-1].position + 1
        ):
            last.entries.append(line)
        else:
            if last is not None and last.kind == "ol":
                self.note(
                    line.number,
                    f"numbering jumps from {last.entries[-1].position} to {line.position}: "
                    "a new numbered list starts here",
                )
            blocks.append(_Block("ol", [line], start=line.position))

    def _metrics(self) -> list[ParsedMetric]:
        metrics: list[ParsedMetric] = []
        for section_index, section in enumerate(self.sections):
            period = _period(section.title)
            found = False
            for item_index, item in enumerate(section.items):
                for block in item.blocks:
                    if block.kind != "ul":
                        continue
                    for entry in block.entries:
                        found_here = self._metrics_in(entry, period, section_index, item_index)
                        metrics.extend(found_here)
                        found = found or bool(found_here)
            if found and period == (None, None):
                self.note(
                    section.line,
                    f"section {_quote(section.title)} states no period for its figures; "
                    "the digest's date applies",
                )
        return metrics

    def _metrics_in(
        self,
        entry: _Line,
        period: tuple[datetime.date | None, datetime.date | None],
        section_index: int,
        item_index: int,
    ) -> list[ParsedMetric]:
        match = METRIC_LABEL_RE.fullmatch(entry.text)
        if match is None:
            return []
        label = match["label"].strip()
        key = " ".join(label.casefold().split())
        if not FIGURE_START_RE.match(match["rest"]):
            if key in PLATFORMS:
                self.note(
                    entry.number,
                    f"bullet names {label} but no “<number> views” figure could be read: "
                    "no figure recorded",
                )
            return []

        platform = PLATFORMS.get(key, "other")
        if platform == "other":
            self.note(
                entry.number, f"platform {_quote(label)} is not a known one: recorded as “other”"
            )
        metrics = []
        for segment in FIGURE_SPLIT_RE.split(match["rest"]):
            figure = FIGURE_SEGMENT_RE.fullmatch(segment)
            if figure is None:
                self.note(entry.number, f"{_quote(segment.strip())} could not be read as a figure")
                continue
            topic = (figure["topic"] or "").strip()
            if ";" in topic:
                self.note(
                    entry.number,
                    f"“;” inside the topic {_quote(topic)} is not followed by a figure: "
                    "kept as part of the topic",
                )
            metrics.append(
                ParsedMetric(
                    platform=platform,
                    views=self._views(figure["number"], figure["suffix"], entry.number),
                    topic=topic.rstrip(";.").strip(),
                    period_start=period[0],
                    period_end=period[1],
                    section_index=section_index,
                    item_index=item_index,
                    line=entry.number,
                    label=label,
                )
            )
        return metrics

    def _views(self, number: str, suffix: str | None, line: int) -> int:
        value = Decimal(number.replace(",", "")) * MULTIPLIERS[(suffix or "").upper()]
        rounded = value.to_integral_value(rounding=ROUND_HALF_UP)
        if rounded != value:
            self.note(line, f"{number}{suffix or ''} views is not a whole number: rounded")
        return int(rounded)


def _period(title: str) -> tuple[datetime.date | None, datetime.date | None]:
    if match := PERIOD_MONTH_RE.search(title):
        year, month = int(match[2]), MONTHS[match[1].lower()]
        last_day = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last_day)
    if match := PERIOD_YEAR_RE.search(title):
        year = int(match[1])
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return None, None


def _ends_sentence(text: str) -> bool:
    core = text.rstrip(CLOSING_MARKS)
    return not core or core[-1] in SENTENCE_END


def _escape(text: str) -> str:
    return escape(text, quote=False)


def _quote(text: str, limit: int = 80) -> str:
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"


def _note_line(note: str) -> int:
    return int(note.split(":", 1)[0].removeprefix("line "))


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


# Saving -------------------------------------------------------------------------------------
#
# Re-importing a file updates the digest it created (matched on its slug, or on date and
# title) in place: sections and items are matched by position, so item anchors (Item.anchor)
# stay stable. A fingerprint of the digest's content is stored at import time; if the content
# differs on the next import, staff have edited it in the admin, and the import refuses unless
# `replace=True` is passed explicitly. Nothing is ever written partly: one transaction.


class DigestConflict(Exception):
    """Importing would overwrite work that did not come from the file."""


@dataclass
class ImportResult:
    digest: object
    created: bool
    changed: bool
    sections: int
    items: int
    metrics: int
    notes: list[str]

    @property
    def url(self) -> str:
        return self.digest.get_absolute_url()


def content_fingerprint(digest) -> str:
    """A hash of what the importer writes: title, date, lead, sections, items and figures."""
    import hashlib
    import json

    sections = [
        [section.title, [[item.title, item.body] for item in section.items.all()]]
        for section in digest.sections.all()
    ]
    metrics = sorted(
        [m.platform, m.views, m.topic, str(m.period_start), str(m.period_end)]
        for m in digest.metrics.all()
    )
    payload = [digest.title, str(digest.date), digest.lead, sections, metrics]
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def find_existing(parsed: ParsedDigest):
    """The digest a file would update: same slug, or same date and title."""
    from django.db.models import Q
    from django.utils.text import slugify

    from digests.models import Digest

    return (
        Digest.objects.filter(
            Q(slug=slugify(parsed.title)) | Q(date=parsed.date, title=parsed.title)
        )
        .order_by("pk")
        .first()
    )


def check_conflict(parsed: ParsedDigest, existing) -> str | None:
    """Why importing `parsed` over `existing` would destroy staff work, or None."""
    if existing is None:
        return None
    if not existing.imported_at:
        return (
            f"A digest “{existing.title}” ({existing.get_absolute_url()}) already exists and was "
            "written in "
            "the admin, not imported. Rename or delete it first, or import with replace."
        )
    if content_fingerprint(existing) != existing.import_fingerprint:
        when = existing.imported_at.strftime("%Y-%m-%d %H:%M")
        return (
            f"The digest “{existing.title}” was edited in the admin after it was imported on "
            f"{when}. Importing again would overwrite those edits; nothing was changed. Import "
            "with replace to overwrite them."
        )
    return None


def save_digest(
    parsed: ParsedDigest, *, source: str, publish: bool = False, replace: bool = False
) -> ImportResult:
    """Create or update the digest described by `parsed`, all or nothing.

    Raises DigestConflict when staff edits would be overwritten and `replace` is False.
    A digest that is already published stays published; `publish` publishes it now.
    Imports of one file running at once: one creates the digest, the others then find it and
    update it (or leave it unchanged); one that still collides raises DigestConflict.
    """
    from django.db import IntegrityError

    try:
        return _save_digest(parsed, source=source, publish=publish, replace=replace)
    except IntegrityError:
        # Another import created the same digest between our look-up and our insert; it has
        # committed by now (the insert waited for it), so look again.
        pass
    try:
        return _save_digest(parsed, source=source, publish=publish, replace=replace)
    except IntegrityError:
        raise DigestConflict(
            "Another import of this digest ran at the same time and this one was rolled back; "
            "nothing was changed by it. Run it again to check."
        ) from None


def _save_digest(parsed: ParsedDigest, *, source: str, publish: bool, replace: bool):
    import reversion
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from digests import mentions
    from digests.models import Digest, Item, Section, SocialMetric, Status

    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Imported from {source}")
        existing = find_existing(parsed)
        if existing is not None:
            existing = Digest.objects.select_for_update().get(pk=existing.pk)
        conflict = check_conflict(parsed, existing)
        if conflict and not replace:
            raise DigestConflict(conflict)
        created = existing is None
        digest = existing or Digest(slug=slugify(parsed.title)[:200] or f"digest-{parsed.date}")
        before = "" if created else content_fingerprint(digest)
        digest.title, digest.date, digest.lead = parsed.title, parsed.date, parsed.lead
        if publish and not digest.is_public:
            digest.status, digest.publish_at = Status.PUBLISHED, timezone.now()
        digest.save()

        sections = list(digest.sections.prefetch_related("items")) if not created else []
        items_by_position = {}
        for s_index, parsed_section in enumerate(parsed.sections):
            if s_index < len(sections):
                section = sections[s_index]
                if (section.title, section.order) != (parsed_section.title, s_index):
                    section.title, section.order = parsed_section.title, s_index
                    section.save()
                old_items = list(section.items.all())
            else:
                section = Section.objects.create(
                    digest=digest, title=parsed_section.title, order=s_index
                )
                old_items = []
            for i_index, parsed_item in enumerate(parsed_section.items):
                if i_index < len(old_items):
                    item = old_items[i_index]
                    item.title, item.body, item.order = parsed_item.title, parsed_item.html, i_index
                    item.save()
                else:
                    item = Item.objects.create(
                        section=section, title=parsed_item.title, body=parsed_item.html,
                        order=i_index,
                    )  # fmt: skip
                items_by_position[(s_index, i_index)] = item
            for stale in old_items[len(parsed_section.items) :]:
                stale.delete()
        for stale in sections[len(parsed.sections) :]:
            stale.delete()

        # Figures are matched by position too, so people and organizations that staff linked
        # to a figure survive a re-import of the same file.
        old_metrics = list(digest.metrics.order_by("pk"))
        for index, m in enumerate(parsed.metrics):
            metric = old_metrics[index] if index < len(old_metrics) else SocialMetric(digest=digest)
            metric.item = items_by_position.get((m.section_index, m.item_index))
            metric.platform, metric.views, metric.topic = m.platform, m.views, m.topic[:500]
            metric.period_start = m.period_start or digest.date
            metric.period_end = m.period_end or metric.period_start
            metric.save()
        for stale in old_metrics[len(parsed.metrics) :]:
            stale.delete()
        mentions.link_metric_entities(digest.metrics.all())

        fingerprint = content_fingerprint(digest)
        digest.import_source = source[:255]
        digest.imported_at = timezone.now()
        digest.import_fingerprint = fingerprint
        digest.save(update_fields=["import_source", "imported_at", "import_fingerprint"])

    return ImportResult(
        digest=digest,
        created=created,
        changed=created or fingerprint != before,
        sections=len(parsed.sections),
        items=sum(len(s.items) for s in parsed.sections),
        metrics=len(parsed.metrics),
        notes=parsed.notes,
    )
