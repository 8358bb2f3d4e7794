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
   abbreviated), or with a Belarusian or Russian month name, in the genitive as a date is
   written or in the nominative ("31 снежня 2025", "31 декабря 2025 г."); the digest's date is
   taken from it. A title and a date given with the file
   (`--title`, `--date`, the upload form's fields) always win: a given date replaces the title
   line's; a given title replaces the first line when that line contains a date, and otherwise
   the first line is content like any other (lead or heading), so a text without a title line
   can be imported. A title given without a date still needs a dated first line.
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
8. Paragraphs and lists between the title (or the start, when there is no title line) and the
   first section heading form the digest's lead.
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

The parser knows no Django: its notes and errors are English Messages whose templates are
marked with N_, said in the staff member's language by the admin
(digestsite.deferred_messages).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html import escape

from digests.figures import clip, period_of, read_figures
from digests.parsed import (
    DigestImportError,
    ParsedDigest,
    ParsedItem,
    ParsedMetric,
    ParsedSection,
)
from digests.text_clues import detect_language, find_date
from digestsite.deferred_messages import N_, Message
from digestsite.textfiles import LINE_BREAK_RE, UnreadableText, decode_text

__all__ = [
    "DigestImportError",
    "ParsedDigest",
    "ParsedItem",
    "ParsedMetric",
    "ParsedSection",
    "detect_language",
    "parse_digest",
]

MAX_HEADING_LENGTH = 120

ARTEFACTS = frozenset({"top of page", "bottom of page", "comments"})
IMAGE_MARKER = "ree"
BULLET_MARKERS = "•◦▪●"
SENTENCE_END = ".!?…;,"
CLOSING_MARKS = "\"'”’»)]"
QUOTES = "\"'“‘„«"

NUMBERED_RE = re.compile(r"(\d{1,3})[.)]\s+(\S.*)", re.DOTALL)


def parse_digest(
    data: bytes | str,
    *,
    filename: str = "<input>",
    title: str | None = None,
    date: datetime.date | None = None,
    language: str | None = None,
) -> ParsedDigest:
    """Parse one exported digest; raise DigestImportError when it cannot be read.

    `title` and `date`, when given, are the digest's title and date whatever the text says
    (rule 5): they let a text whose first line carries no date be imported. `language`
    ("en", "be", "ru"), when given, is the digest's language; otherwise it is read from the
    text (`detect_language`).
    """
    text = _decode(data, filename)
    given = ((title or "").strip() or None, date)
    parsed = _Parser(_read_lines(text, filename), filename, given).parse()
    parsed.language = language or detect_language(text)
    return parsed


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
    try:
        return decode_text(
            data, kind=Message(N_("a text export")), save_as=Message(N_("export it again as UTF-8"))
        )
    except UnreadableText as exc:
        raise DigestImportError(exc.reason, filename=filename, line=exc.line) from None


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
                Message(
                    N_(
                        "the file holds only site-builder artefacts (“top of page”, “ree”, …) "
                        "and no digest"
                    )
                ),
                filename=filename,
            )
        raise DigestImportError(Message(N_("the file is empty")), filename=filename)
    return lines


class _Parser:
    def __init__(
        self, lines: list[_Line], filename: str, given: tuple[str | None, datetime.date | None]
    ):
        self.lines = lines
        self.filename = filename
        self.given = given
        self.notes: list[str] = []
        self.lead: list[_Block] = []
        self.sections: list[_Section] = []
        self.image_pending: _Line | None = None

    def note(self, line: int, message: Message) -> None:
        self.notes.append(Message(N_("line %(line)s: %(note)s"), line=line, note=message))

    def parse(self) -> ParsedDigest:
        first = next(line for line in self.lines if line.kind != "image")
        title, date, first_is_title = self._title_and_date(first)

        for index, line in enumerate(self.lines):
            if line.number < first.number or (first_is_title and line is first):
                continue
            if line.kind == "image":
                self.image_pending = line
            elif line.kind == "text" and self._is_heading(line, self._next_content(index)):
                self._start_section(line)
            else:
                self._add_content(line)

        if self.lead:
            self.note(
                self.lead[0].entries[0].number,
                Message(N_("text before the first heading is the lead")),
            )
        if not self.sections:
            self.note(first.number, Message(N_("no section heading found")))
        for section in self.sections:
            if not section.items:
                self.note(
                    section.line,
                    Message(N_("section “%(title)s” is empty"), title=clip(section.title)),
                )

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

    def _title_and_date(self, first: _Line) -> tuple[str, datetime.date, bool]:
        """Title, date, and whether the first line is the title line (rule 5)."""
        given_title, given_date = self.given
        written = find_date(first.raw)
        if given_title is None or written is not None:
            if given_date is None:
                if written is None:
                    raise self._error(
                        first,
                        N_(
                            "no title line: the first line “%(line)s” does not contain a date "
                            "(expected e.g. “News digest 31 December 2025”)"
                        ),
                    )
                if written[1] is None:
                    raise DigestImportError(
                        Message(
                            N_("the title's date “%(date)s” is not a real date"), date=written[0]
                        ),
                        filename=self.filename,
                        line=first.number,
                    )
            elif written is not None and written[1] != given_date:
                self.note(
                    first.number,
                    Message(
                        N_(
                            "the date given (%(given)s) is used instead of “%(written)s” in the "
                            "title line"
                        ),
                        given=given_date.isoformat(),
                        written=written[0],
                    ),
                )
            if given_title is not None:
                self.note(
                    first.number,
                    Message(N_("“%(line)s” replaced by the title given"), line=clip(first.raw)),
                )
            return given_title or first.raw, given_date or written[1], True
        if given_date is None:
            raise self._error(
                first,
                N_(
                    "no title line: the first line “%(line)s” does not contain a date; give the "
                    "digest's date as well (expected e.g. “News digest 31 December 2025”)"
                ),
            )
        return given_title, given_date, False

    def _error(self, first: _Line, template: str) -> DigestImportError:
        return DigestImportError(
            Message(template, line=clip(first.raw)), filename=self.filename, line=first.number
        )

    def _is_heading(self, line: _Line, following: _Line | None) -> bool:
        text = line.text
        if _ends_sentence(text) or not text.rstrip(":").strip():
            return False
        if len(text) > MAX_HEADING_LENGTH:
            self.note(
                line.number,
                Message(
                    N_(
                        "“%(text)s” has no closing punctuation but is longer than %(limit)s "
                        "characters: taken as a paragraph"
                    ),
                    text=clip(text),
                    limit=MAX_HEADING_LENGTH,
                ),
            )
            return False
        if not text.endswith(":"):
            self.note(line.number, _about(N_("“%(text)s” taken as a section heading"), text))
            return True
        if following is not None and following.kind == "bullet":
            self.note(
                line.number,
                _about(
                    N_("“%(text)s” kept inside the item (it introduces the list that follows)"),
                    text,
                ),
            )
            return False
        if following is not None and following.kind == "text" and following.text[0] in QUOTES:
            self.note(
                line.number,
                _about(
                    N_(
                        "“%(text)s” kept inside the item (it introduces the quotation that follows)"
                    ),
                    text,
                ),
            )
            return False
        self.note(
            line.number,
            _about(N_("“%(text)s” taken as a section heading (trailing colon dropped)"), text),
        )
        return True

    def _start_section(self, line: _Line) -> None:
        if self.image_pending is not None and self.sections:
            self.note(
                self.image_pending.number,
                Message(
                    N_(
                        "image marker before the heading on line %(line)s belongs to that "
                        "section's first item"
                    ),
                    line=line.number,
                ),
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
                    Message(
                        N_(
                            "numbering jumps from %(last)s to %(next)s: a new numbered list "
                            "starts here"
                        ),
                        last=last.entries[-1].position,
                        next=line.position,
                    ),
                )
            blocks.append(_Block("ol", [line], start=line.position))

    def _metrics(self) -> list[ParsedMetric]:
        metrics: list[ParsedMetric] = []
        for section_index, section in enumerate(self.sections):
            period = period_of(section.title)
            count = len(metrics)
            for item_index, item in enumerate(section.items):
                for block in item.blocks:
                    if block.kind != "ul":
                        continue
                    for entry in block.entries:
                        for figure in read_figures(entry.text, line=entry.number, note=self.note):
                            metrics.append(
                                ParsedMetric(
                                    platform=figure.platform,
                                    views=figure.views,
                                    topic=figure.topic,
                                    period_start=period[0],
                                    period_end=period[1],
                                    section_index=section_index,
                                    item_index=item_index,
                                    line=entry.number,
                                    label=figure.label,
                                )
                            )
            if len(metrics) > count and period == (None, None):
                self.note(
                    section.line,
                    Message(
                        N_(
                            "section “%(title)s” states no period for its figures; the "
                            "digest's date applies"
                        ),
                        title=clip(section.title),
                    ),
                )
        return metrics


def _ends_sentence(text: str) -> bool:
    core = text.rstrip(CLOSING_MARKS)
    return not core or core[-1] in SENTENCE_END


def _about(template: str, text: str) -> Message:
    return Message(template, text=clip(text))


def _escape(text: str) -> str:
    return escape(text, quote=False)


def _note_line(note: str) -> int:
    return int(note.split(":", 1)[0].removeprefix("line "))
