"""Import people and organizations from a CSV file (`import_entities` and the admin upload).

The file:

- UTF-8 (a byte-order mark is allowed), no NUL bytes, with a header row on line 1. Column names
  are case-insensitive and may come in any order: `kind` and `name` are required; `aliases`,
  `slug` and `description` are optional. Any other column is an error naming it.
- `kind` is `person` or `organization` (any case). `name` is the name as the newsroom writes it.
  `aliases` holds other names separated by `|`; spaces around each are trimmed, empty parts are
  ignored, and an alias repeating the row's name (or another alias) is dropped. `slug` is the
  page address (letters, digits, "-" and "_"). `description` becomes a person's short
  description (at most 200 characters) or an organization's description.
- Blank lines are skipped. A quoted field may span lines; every message names the physical line
  on which its row starts, counting the header as line 1.

What an import does:

- It creates or updates, and never duplicates. A row with a slug is the entity of that kind with
  that slug (created with that slug when there is none; slugs are per kind, so a person and an
  organization may share one). A row without a slug is the entity of that kind that already has
  one of the row's names, as its name or an alias (compared as `normalize_name` compares them),
  or else a new entity with a slug made from its name.
- Updating sets the name when it differs, adds the aliases the entity does not have yet and sets
  the description when the row has one (an empty cell leaves it as it is). It never deletes
  anything: existing aliases stay, and a renamed entity keeps its old name as an alias so that
  text already linked under it stays linked. A row that changes nothing writes nothing.
- All or nothing. The whole file is checked first and every bad row is reported as
  "FILE:LINE: reason": an unknown kind; an empty name; a name, alias, slug or description that
  is too long; a slug that is not a valid slug; a name or alias that belongs to another entity
  (the message names it), including one claimed by two rows of the file; two rows for the same
  entity; a row with more or fewer fields than the header. The file as a whole is refused when it
  is empty or has no rows, misses a required column, has an unknown or repeated column, is not
  UTF-8 (the line of the first bad byte is named) or is binary (NUL bytes). With any error nothing
  is written; otherwise everything is written in one transaction, and the items that name the
  affected names are relinked once, at the end (`people.signals.registry_batch`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction

from digestsite.textfiles import UnreadableText, decode_text
from people.models import Alias, Organization, Person, normalize_name
from people.signals import registry_batch

KINDS = {"person": Person, "organization": Organization}
PLURALS = {"person": "people", "organization": "organizations"}
DESCRIPTION_FIELDS = {"person": "short_description", "organization": "description"}
COLUMNS = ("kind", "name", "aliases", "slug", "description")
REQUIRED_COLUMNS = ("kind", "name")
MAX_NAME_LENGTH = 200  # Alias.text, Alias.normalized and Entity.name
MAX_SLUG_LENGTH = 200
MAX_PERSON_DESCRIPTION = 200  # Person.short_description
ERRORS_SHOWN = 20

_SPACES = re.compile(r"\s+")


class EntityImportError(ValueError):
    """The import was refused; `errors` holds one "FILE:LINE: reason" message per problem."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__(format_errors(self.errors))


def format_errors(errors: list[str], *, limit: int = ERRORS_SHOWN) -> str:
    """The errors one per line (at most `limit`), then how many there are in all."""
    lines = errors[:limit]
    if len(errors) > limit:
        lines.append(f"… and {len(errors) - limit} more.")
    count = "1 error" if len(errors) == 1 else f"{len(errors)} errors"
    lines.append(f"{count}: nothing was written.")
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


@dataclass
class Change:
    """What importing one row does to the registry."""

    line: int
    kind: str
    name: str
    slug: str = ""
    entity: Person | Organization | None = None  # the existing entity; None creates one
    aliases: list[str] = field(default_factory=list)  # names to add as aliases
    renamed_from: str | None = None
    description: str | None = None  # the new description; None leaves it as it is

    @property
    def action(self) -> str:
        if self.entity is None:
            return "create"
        if self.renamed_from is not None or self.aliases or self.description is not None:
            return "update"
        return "unchanged"

    def describe(self, *, dry_run: bool = False) -> str:
        """One line for the command's output."""
        verbs = {
            "create": ("Would create", "Created"),
            "update": ("Would update", "Updated"),
            "unchanged": ("Unchanged", "Unchanged"),
        }
        verb = verbs[self.action][0 if dry_run else 1]
        text = f"{verb} {self.kind} “{self.name}”"
        details = []
        aliases = self.aliases
        if self.renamed_from is not None:
            kept = self.renamed_from in aliases
            details.append(
                f"renamed from “{self.renamed_from}”" + (", kept as an alias" if kept else "")
            )
            aliases = [a for a in aliases if a != self.renamed_from]
        if aliases:
            details.append("aliases added: " + ", ".join(aliases))
        if self.description is not None and self.entity is not None:
            details.append("description set")
        return text + (f" ({'; '.join(details)})" if details else "")


@dataclass
class ImportPlan:
    """The checked file: what it will change, or why it cannot be imported."""

    filename: str
    text: str = ""  # the decoded file, without a byte-order mark
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str, kind: str | None = None) -> int:
        return sum(
            1 for c in self.changes if c.action == action and (kind is None or c.kind == kind)
        )

    @property
    def aliases_added(self) -> int:
        return sum(len(c.aliases) for c in self.changes)

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def outlook(self) -> str:
        """What saving the plan will do, for the preview."""
        people, orgs = self.count("create", "person"), self.count("create", "organization")
        return (
            f"Importing this file creates {people} people and {orgs} organizations, updates "
            f"{self.count('update')} and adds {self.aliases_added} aliases."
        )

    def summary(self, *, dry_run: bool = False) -> str:
        people, orgs = self.count("create", "person"), self.count("create", "organization")
        updated, aliases = self.count("update"), self.aliases_added
        if dry_run:
            return (
                f"Dry run, nothing was written: would create {people} people, {orgs} "
                f"organizations; update {updated}; add {aliases} aliases."
            )
        return (
            f"Created {people} people, {orgs} organizations; updated {updated}; "
            f"added {aliases} aliases."
        )


def check_entities(data: bytes | str, *, filename: str, updatable=tuple(KINDS)) -> ImportPlan:
    """Read and check the whole file against the registry; write nothing.

    Problems are returned in `plan.errors`, never raised. Rows that would update an existing
    entity whose kind is not in `updatable` are errors (the admin passes the kinds the user may
    change).
    """
    plan = ImportPlan(filename=filename)
    try:
        plan.text = _decode(data, filename=filename)
        rows = _read_rows(plan.text, filename=filename, errors=plan.errors)
    except EntityImportError as exc:
        plan.errors.extend(exc.errors)
        return plan
    plan.changes = _plan(rows, filename=filename, errors=plan.errors, updatable=updatable)
    plan.errors.sort(key=lambda error: _line_in(error, filename))
    return plan


def _line_in(error: str, filename: str) -> int:
    """The line an error names (0 for the file as a whole), to list errors in file order."""
    number = error[len(filename) + 1 :].partition(":")[0]
    return int(number) if number.isdigit() else 0


def save_entities(plan: ImportPlan) -> ImportPlan:
    """Write a checked plan in one transaction; relink once at the end. Refuses a plan with
    errors. Rows with a slug are written first, so a slug made from a name never takes one the
    file gives to another row."""
    if plan.errors:
        raise EntityImportError(plan.errors)
    pending = [c for c in plan.changes if c.action != "unchanged"]
    pending.sort(key=lambda c: not c.slug)
    try:
        with transaction.atomic(), registry_batch():
            for change in pending:
                _save(change)
    except IntegrityError:
        raise EntityImportError(
            [
                f"{plan.filename}: the names changed while the file was imported "
                "(someone else edited them); nothing was written, import the file again"
            ]
        ) from None
    return plan


def import_entities(data: bytes | str, *, filename: str, dry_run: bool = False) -> ImportPlan:
    """Check the file and, unless `dry_run`, save it; raises EntityImportError on any error."""
    plan = check_entities(data, filename=filename)
    if plan.errors:
        raise EntityImportError(plan.errors)
    if not dry_run:
        save_entities(plan)
    return plan


# Reading


def _decode(data: bytes | str, *, filename: str) -> str:
    try:
        return decode_text(data, kind="a CSV file", save_as="save it again as CSV UTF-8")
    except UnreadableText as exc:
        raise EntityImportError([f"{filename}:{exc.line}: {exc.reason}"]) from None


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
                reason = "a quoted field starting on this line is never closed"
            raise EntityImportError(
                [f"{filename}:{start}: the file cannot be read as CSV here ({reason})"]
            ) from None
        previous = reader.line_num
        if any(f.strip() for f in fields):
            yield start, fields


def _read_rows(text: str, *, filename: str, errors: list[str]) -> list[Row]:
    if not text.strip():
        raise EntityImportError([f"{filename}: the file is empty"])
    records = _records(text, filename=filename)
    first = next(records, None)
    if first is None:
        raise EntityImportError([f"{filename}: the file is empty"])
    line, header = first
    columns = [h.strip().casefold() for h in header]
    problems = []
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        names = ", ".join(f"“{c}”" if c else "(unnamed)" for c in unknown)
        problems.append(
            f"unknown column{'s' if len(unknown) > 1 else ''} {names}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        problems.append("repeated column " + ", ".join(f"“{c}”" for c in repeated))
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        problems.append(
            f"missing required column{'s' if len(missing) > 1 else ''} "
            + ", ".join(f"“{c}”" for c in missing)
            + " (the first line must be the header, e.g. kind,name,aliases,slug,description)"
        )
    if problems:
        raise EntityImportError([f"{filename}:{line}: {p}" for p in problems])

    rows = []
    for line, fields in records:
        if len(fields) != len(columns):
            errors.append(
                f"{filename}:{line}: the row has {len(fields)} fields but the header has "
                f"{len(columns)} (a comma in a name needs the field in double quotes)"
            )
            continue
        values = dict(zip(columns, fields, strict=True))
        row, row_errors = _clean_row(line, values)
        errors.extend(f"{filename}:{line}: {e}" for e in row_errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        raise EntityImportError([f"{filename}: the file has a header but no rows"])
    return rows


def _one_line(value: str) -> str:
    return _SPACES.sub(" ", value.replace("\u00a0", " ")).strip()


def _clean_row(line: int, values: dict[str, str]) -> tuple[Row | None, list[str]]:
    errors = []
    kind = values["kind"].strip().casefold()
    if kind not in KINDS:
        shown = f"“{values['kind'].strip()}”" if values["kind"].strip() else "empty"
        errors.append(f"kind is {shown}; it must be “person” or “organization”")
    name = _one_line(values["name"])
    if not normalize_name(name):
        errors.append("the name is empty")
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
            what = "the name" if index == 0 else f"the alias “{text[:40]}…”"
            errors.append(f"{what} is too long ({length} characters; at most {MAX_NAME_LENGTH})")
    slug = values.get("slug", "").strip()
    if slug:
        try:
            validate_slug(slug)
        except ValidationError:
            errors.append(f"“{slug}” is not a valid slug (only letters a-z, digits, “-” and “_”)")
        if len(slug) > MAX_SLUG_LENGTH:
            errors.append(f"the slug is too long ({len(slug)} characters; at most 200)")
    description = values.get("description", "")
    if kind == "person":
        description = _one_line(description)
    else:  # the same text whether it came from a file or from a browser's form (CR LF)
        description = description.replace("\r\n", "\n").replace("\r", "\n").strip()
    if kind == "person" and len(description) > MAX_PERSON_DESCRIPTION:
        errors.append(
            f"a person's description is at most {MAX_PERSON_DESCRIPTION} characters "
            f"(this one has {len(description)})"
        )
    if errors:
        return None, errors
    return Row(line, kind, name, aliases, slug, description), []


# Checking against the registry


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _plan(rows: list[Row], *, filename: str, errors: list[str], updatable) -> list[Change]:
    keys = sorted({normalize_name(t) for row in rows for t in (row.name, *row.aliases)})
    owners: dict[str, Alias] = {}
    for chunk in _chunks(keys):
        for alias in Alias.objects.filter(normalized__in=chunk):
            owners[alias.normalized] = alias

    # The entity each row is about, loaded once per entity.
    wanted_slugs = {
        kind: sorted({r.slug for r in rows if r.kind == kind and r.slug}) for kind in KINDS
    }
    entities: dict[tuple[str, int], Person | Organization] = {}
    by_slug: dict[tuple[str, str], tuple[str, int]] = {}
    wanted_pks = {
        kind: {a.entity_key[1] for a in owners.values() if a.entity_key[0] == kind}
        for kind in KINDS
    }
    for kind, model in KINDS.items():
        found = []
        for chunk in _chunks(sorted(wanted_pks[kind])):
            found += model._default_manager.filter(pk__in=chunk)
        for chunk in _chunks(wanted_slugs[kind]):
            found += model._default_manager.filter(slug__in=chunk)
        for entity in found:
            entities[entity.key] = entity
            by_slug[(kind, entity.slug)] = entity.key
    names_of: dict[tuple[str, int], set[str]] = {key: set() for key in entities}
    for kind in KINDS:
        pks = [key[1] for key in entities if key[0] == kind]
        for chunk in _chunks(pks):
            for key, normalized in Alias.objects.filter(**{f"{kind}__in": chunk}).values_list(
                kind, "normalized"
            ):
                names_of[(kind, key)].add(normalized)

    changes = []
    claims: dict[str, tuple[int, tuple, Row]] = {}  # normalized name -> (line, entity id, row)
    seen: dict[tuple, int] = {}  # entity id -> line
    for row in rows:
        row_errors = []
        texts = [row.name, *row.aliases]
        if row.slug:
            target_key = by_slug.get((row.kind, row.slug))
        else:
            target_key = next(
                (
                    owners[k].entity_key
                    for k in map(normalize_name, texts)
                    if k in owners and owners[k].entity_key[0] == row.kind
                ),
                None,
            )
        target = entities.get(target_key) if target_key else None
        identity = target_key or (
            ("new " + row.kind, row.slug) if row.slug else ("new row", row.line)
        )

        if identity in seen:
            what = (
                f"{row.kind} “{target.name}”"
                if target
                else f"the {row.kind} with slug “{row.slug}”"
            )
            errors.append(
                f"{filename}:{row.line}: line {seen[identity]} already imports {what}; "
                "put everything about it on one row"
            )
            continue
        seen[identity] = row.line

        for text in texts:
            key = normalize_name(text)
            alias = owners.get(key)
            if alias is not None and alias.entity_key != target_key:
                message = Alias.clash(text, owner=target) or (
                    f"“{text}” already belongs to another {alias.entity_key[0]}."
                )
                owner = entities.get(alias.entity_key)
                if row.slug and target is None and owner is not None and owner.key[0] == row.kind:
                    message += (
                        f" Its slug is “{owner.slug}”, and no {row.kind} has the slug “{row.slug}”."
                    )
                row_errors.append(message.rstrip("."))
                continue
            claim = claims.get(key)
            if claim is not None and claim[1] != identity:
                other = claim[2]
                row_errors.append(
                    f"“{text}” is also a name on line {claim[0]} ({other.kind} “{other.name}”)"
                )
        change = _change(row, target, names_of.get(target_key, set()))
        if change.action == "update" and row.kind not in updatable:
            row_errors.append(
                f"this would change {row.kind} “{target.name}”, and you may not change "
                f"{PLURALS[row.kind]}"
            )
        if row_errors:
            errors.extend(f"{filename}:{row.line}: {e}" for e in row_errors)
            continue
        for text in texts:
            claims.setdefault(normalize_name(text), (row.line, identity, row))
        changes.append(change)
    return changes


def _change(row: Row, target, existing: set[str]) -> Change:
    change = Change(line=row.line, kind=row.kind, name=row.name, slug=row.slug, entity=target)
    if target is None:
        change.aliases = list(row.aliases)
        change.description = row.description or None
        return change
    added = {normalize_name(row.name)}
    if row.name != target.name:
        change.renamed_from = target.name
        if normalize_name(target.name) not in added:
            # The old name stays registered, as an alias (saving the rename keeps it).
            change.aliases.append(target.name)
            added.add(normalize_name(target.name))
    for alias in row.aliases:
        key = normalize_name(alias)
        if key not in existing and key not in added:
            change.aliases.append(alias)
            added.add(key)
    current = getattr(target, DESCRIPTION_FIELDS[row.kind])
    if row.description and row.description != current:
        change.description = row.description
    return change


def _save(change: Change) -> None:
    entity = change.entity
    if entity is None:
        entity = KINDS[change.kind](slug=change.slug)
    entity.name = change.name
    if change.description is not None:
        setattr(entity, DESCRIPTION_FIELDS[change.kind], change.description)
    if change.entity is None or change.renamed_from is not None or change.description is not None:
        entity.save()
    for text in change.aliases:
        if change.renamed_from is not None and text == change.renamed_from:
            continue  # saving the rename kept the old name as an alias (Entity.save)
        Alias.objects.create(text=text, **{change.kind: entity})
