"""Import people and organizations from a CSV file (`import_entities` and the admin upload):
all or nothing, creating or updating and never duplicating. The file format and every rule are
in docs/importing.md."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from people.csv_rows import (
    DESCRIPTION_FIELDS,
    KINDS,
    EntityImportError,
    Row,
    _decode,
    _read_rows,
)
from people.models import Alias, Organization, Person, normalize_name
from people.signals import registry_batch


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

    def _counts(self) -> dict[str, int]:
        return {
            "people": self.count("create", "person"),
            "organizations": self.count("create", "organization"),
            "updated": self.count("update"),
            "aliases": self.aliases_added,
        }

    @property
    def outlook(self) -> str:
        """What saving the plan will do, for the preview (in the active language)."""
        return (
            gettext(
                "Importing this file creates %(people)s people and %(organizations)s "
                "organizations, updates %(updated)s and adds %(aliases)s aliases."
            )
            % self._counts()
        )

    def summary(self, *, dry_run: bool = False) -> str:
        if dry_run:
            return (
                gettext(
                    "Dry run, nothing was written: would create %(people)s people, "
                    "%(organizations)s organizations; update %(updated)s; add %(aliases)s "
                    "aliases."
                )
                % self._counts()
            )
        return (
            gettext(
                "Created %(people)s people, %(organizations)s organizations; updated %(updated)s; "
                "added %(aliases)s aliases."
            )
            % self._counts()
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
        problem = gettext(
            "the names changed while the file was imported (someone else edited them); nothing "
            "was written, import the file again"
        )
        raise EntityImportError([f"{plan.filename}: {problem}"]) from None
    return plan


def import_entities(data: bytes | str, *, filename: str, dry_run: bool = False) -> ImportPlan:
    """Check the file and, unless `dry_run`, save it; raises EntityImportError on any error."""
    plan = check_entities(data, filename=filename)
    if plan.errors:
        raise EntityImportError(plan.errors)
    if not dry_run:
        save_entities(plan)


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
            problem = _already_imported(row, target) % {
                "line": seen[identity],
                "name": target.name if target else "",
                "slug": row.slug,
            }
            errors.append(f"{filename}:{row.line}: {problem}")
            continue
        seen[identity] = row.line

        for text in texts:
            key = normalize_name(text)
            alias = owners.get(key)
            if alias is not None and alias.entity_key != target_key:
                message = Alias.clash(text, owner=target) or (
                    gettext("“%(name)s” already belongs to another person.")
                    if alias.entity_key[0] == "person"
                    else gettext("“%(name)s” already belongs to another organization.")
                ) % {"name": text}
                owner = entities.get(alias.entity_key)
                if row.slug and target is None and owner is not None and owner.key[0] == row.kind:
                    slugs = (
                        gettext("Its slug is “%(slug)s”, and no person has the slug “%(given)s”.")
                        if row.kind == "person"
                        else gettext(
                            "Its slug is “%(slug)s”, and no organization has the slug “%(given)s”."
                        )
                    )
                    message += " " + slugs % {"slug": owner.slug, "given": row.slug}
                row_errors.append(message.rstrip("."))
                continue
            claim = claims.get(key)
            if claim is not None and claim[1] != identity:
                other = claim[2]
                also = (
                    gettext("“%(text)s” is also a name on line %(line)s (person “%(name)s”)")
                    if other.kind == "person"
                    else gettext(
                        "“%(text)s” is also a name on line %(line)s (organization “%(name)s”)"
                    )
                )
                row_errors.append(also % {"text": text, "line": claim[0], "name": other.name})
        change = _change(row, target, names_of.get(target_key, set()))
        if change.action == "update" and row.kind not in updatable:
            refused = (
                gettext("this would change person “%(name)s”, and you may not change people")
                if row.kind == "person"
                else gettext(
                    "this would change organization “%(name)s”, and you may not change "
                    "organizations"
                )
            )
            row_errors.append(refused % {"name": target.name})
        if row_errors:
            errors.extend(f"{filename}:{row.line}: {e}" for e in row_errors)
            continue
        for text in texts:
            claims.setdefault(normalize_name(text), (row.line, identity, row))
        changes.append(change)
    return changes


def _already_imported(row: Row, target) -> str:
    """Why a second row about one entity is refused: a template for `line`, `name`, `slug`."""
    if target is not None:
        if row.kind == "person":
            return gettext(
                "line %(line)s already imports person “%(name)s”; put everything about it on "
                "one row"
            )
        return gettext(
            "line %(line)s already imports organization “%(name)s”; put everything about it on "
            "one row"
        )
    if row.kind == "person":
        return gettext(
            "line %(line)s already imports the person with slug “%(slug)s”; put everything "
            "about it on one row"
        )
    return gettext(
        "line %(line)s already imports the organization with slug “%(slug)s”; put everything "
        "about it on one row"
    )


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
