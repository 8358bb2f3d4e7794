"""Reading a CSV file of people and organizations into clean rows (`people.entity_csv` checks
them against the registry); every bad row is reported with its line."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils.translation import gettext, ngettext, pgettext

from digestsite.deferred_messages import N_, Message, localize
from digestsite.textfiles import UnreadableText, decode_text
from people.models import Organization, Person, normalize_name

KINDS = {"person": Person, "organization": Organization}
DESCRIPTION_FIELDS = {"person": "short_description", "organization": "description"}
COLUMNS = ("kind", "name", "aliases", "slug", "description")
REQUIRED_COLUMNS = ("kind", "name")
MAX_NAME_LENGTH = 200  # Alias.text, Alias.normalized and Entity.name
MAX_SLUG_LENGTH = 200
MAX_PERSON_DESCRIPTION = 200  # Person.short_description
ERRORS_SHOWN = 20

_SPACES = re.compile(r"\s+")


class EntityImportError(ValueError):
    """The import was refused; `errors` holds one "FILE:LINE: reason" message per problem, in
    the language active when the file was read (the staff member's in the admin)."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(format_errors(self.errors))


def _quoted(text: str) -> str:
    return pgettext("quoted text", "“%(text)s”") % {"text": text}


def format_errors(errors: list[str], *, limit: int = ERRORS_SHOWN) -> str:
    """The errors one per line (at most `limit`), then how many there are in all."""
    lines = errors[:limit]
    if len(errors) > limit:
        lines.append(gettext("… and %(count)s more.") % {"count": len(errors) - limit})
    lines.append(
        ngettext(
            "%(count)s error: nothing was written.",
            "%(count)s errors: nothing was written.",
            len(errors),
        )
        % {"count": len(errors)}
    )
    return "\n".join(lines)


@dataclass
class Row:
    """One data row as read from the file, cleaned."""

    line: int
    kind: str
    name: str
    aliases: list[str]
    slug: str
    description: str


def _decode(data: bytes | str, *, filename: str) -> str:
    try:
        return decode_text(
            data, kind=Message(N_("a CSV file")), save_as=Message(N_("save it again as CSV UTF-8"))
        )
    except UnreadableText as exc:
        reason = localize(exc.reason, gettext)
        raise EntityImportError([f"{filename}:{exc.line}: {reason}"]) from None


def _records(text: str, *, filename: str):
    """Yield (first physical line, fields) for each non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    while True:
        start = previous + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if reason == "unexpected end of data":
                reason = gettext("a quoted field starting on this line is never closed")
            problem = gettext("the file cannot be read as CSV here (%(reason)s)")
            raise EntityImportError(
                [f"{filename}:{start}: {problem % {'reason': reason}}"]
            ) from None
        previous = reader.line_num
        if any(f.strip() for f in fields):
            yield start, fields


def _read_rows(text: str, *, filename: str, errors: list[str]) -> list[Row]:
    if not text.strip():
        raise EntityImportError([f"{filename}: {gettext('the file is empty')}"])
    records = _records(text, filename=filename)
    first = next(records, None)
    if first is None:
        raise EntityImportError([f"{filename}: {gettext('the file is empty')}"])
    line, header = first
    columns = [h.strip().casefold() for h in header]
    problems = []
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        names = ", ".join(_quoted(c) if c else gettext("(unnamed)") for c in unknown)
        problems.append(
            ngettext(
                "unknown column %(names)s; the columns are %(columns)s",
                "unknown columns %(names)s; the columns are %(columns)s",
                len(unknown),
            )
            % {"names": names, "columns": ", ".join(COLUMNS)}
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        problems.append(
            ngettext("repeated column %(names)s", "repeated columns %(names)s", len(repeated))
            % {"names": ", ".join(_quoted(c) for c in repeated)}
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        problems.append(
            ngettext(
                "missing required column %(names)s (the first line must be the header, e.g. "
                "kind,name,aliases,slug,description)",
                "missing required columns %(names)s (the first line must be the header, e.g. "
                "kind,name,aliases,slug,description)",
                len(missing),
            )
            % {"names": ", ".join(_quoted(c) for c in missing)}
        )
    if problems:
        raise EntityImportError([f"{filename}:{line}: {p}" for p in problems])

    rows = []
    for line, fields in records:
        if len(fields) != len(columns):
            problem = ngettext(
                "the row has %(fields)s field but the header has %(columns)s (a comma in a name "
                "needs the field in double quotes)",
                "the row has %(fields)s fields but the header has %(columns)s (a comma in a name "
                "needs the field in double quotes)",
                len(fields),
            ) % {"fields": len(fields), "columns": len(columns)}
            errors.append(f"{filename}:{line}: {problem}")
            continue
        values = dict(zip(columns, fields, strict=True))
        row, row_errors = _clean_row(line, values)
        errors.extend(f"{filename}:{line}: {e}" for e in row_errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        raise EntityImportError([f"{filename}: {gettext('the file has a header but no rows')}"])
    return rows


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value.replace("\u00a0", " ")).strip()


def _clean_row(line: int, values: dict[str, str]) -> tuple[Row | None, list[str]]:
    errors = []
    kind = values["kind"].strip().casefold()
    if kind not in KINDS:
        if values["kind"].strip():
            errors.append(
                gettext("kind is “%(kind)s”; it must be “person” or “organization”")
                % {"kind": values["kind"].strip()}
            )
        else:
            errors.append(gettext("kind is empty; it must be “person” or “organization”"))
    name = _one_line(values["name"])
    if not normalize_name(name):
        errors.append(gettext("the name is empty"))
    names = [name] if name else []
    aliases = []
    for part in values.get("aliases", "").split("|"):
        alias = _one_line(part)
        if alias and normalize_name(alias) not in {normalize_name(n) for n in names}:
            names.append(alias)
            aliases.append(alias)
    for index, text in enumerate(names):
        length = max(len(text), len(normalize_name(text)))
        if length > MAX_NAME_LENGTH:
            if index == 0:
                problem = ngettext(
                    "the name is too long (%(length)s character; at most %(limit)s)",
                    "the name is too long (%(length)s characters; at most %(limit)s)",
                    length,
                )
            else:
                problem = ngettext(
                    "the alias “%(alias)s…” is too long (%(length)s character; at most %(limit)s)",
                    "the alias “%(alias)s…” is too long (%(length)s characters; at most %(limit)s)",
                    length,
                )
            errors.append(
                problem % {"alias": text[:40], "length": length, "limit": MAX_NAME_LENGTH}
            )
    slug = values.get("slug", "").strip()
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            errors.append(
                gettext("“%(slug)s” is not a valid slug (only letters a-z, digits, “-” and “_”)")
                % {"slug": slug}
            )
        if len(slug) > MAX_SLUG_LENGTH:
            errors.append(
                ngettext(
                    "the slug is too long (%(length)s character; at most %(limit)s)",
                    "the slug is too long (%(length)s characters; at most %(limit)s)",
                    len(slug),
                )
                % {"length": len(slug), "limit": MAX_SLUG_LENGTH}
            )
    description = values.get("description", "")
    if kind == "person":
        description = _one_line(description)
    else:  # the same text whether it came from a file or from a browser's form (CR LF)
        description = description.replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind == "person" and len(description) > MAX_PERSON_DESCRIPTION:
        errors.append(
            gettext(
                "a person's description is at most %(limit)s characters (this one has %(length)s)"
            )
            % {"limit": MAX_PERSON_DESCRIPTION, "length": len(description)}
        )
    if errors:
        return None, errors
    return Row(line, kind, name, aliases, slug, description), []
