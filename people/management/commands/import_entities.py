"""`manage.py import_entities`: register people and organizations from a CSV file
(people.entity_csv); --dry-run shows what would change."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from people.csv_rows import EntityImportError, format_errors
from people.entity_csv import check_entities, save_entities

MAX_BYTES = 10 * 1024 * 1024
LIST_AT_MOST = 100


class Command(BaseCommand):
    help = (
        "Create or update people and organizations from a CSV file with the columns kind, name, "
        "aliases (separated by |), slug and description. Never duplicates an entity and never "
        "deletes a name. The whole file is checked first: any bad row is reported as FILE:LINE "
        "and nothing is written. The last line of output is a summary. The rules are in "
        "people/entity_csv.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV file (UTF-8).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report; write nothing."
        )

    def handle(self, *args, path, dry_run, verbosity, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file.")
        if file.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: the file is larger than {MAX_BYTES // 1024 // 1024} MB.")
        plan = check_entities(file.read_bytes(), filename=str(path))
        if plan.errors:
            raise CommandError(format_errors(plan.errors))
        if not dry_run:
            try:
                save_entities(plan)
            except EntityImportError as exc:
                raise CommandError(str(exc)) from None

        changed = [c for c in plan.changes if c.action != "unchanged"]
        if verbosity >= 2 or (verbosity >= 1 and len(changed) <= LIST_AT_MOST):
            shown = plan.changes if verbosity >= 2 else changed
            for change in shown:
                self.stdout.write(change.describe(dry_run=dry_run))
        elif verbosity >= 1:
            self.stdout.write(f"{len(changed)} entities changed (use -v 2 to list them).")
        unchanged = plan.count("unchanged")
        if unchanged and verbosity >= 1:
            self.stdout.write(f"{unchanged} rows already match the registry.")
        self.stdout.write(self.style.SUCCESS(plan.summary(dry_run=dry_run)))
