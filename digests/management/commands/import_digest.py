import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from digests.importing import DigestConflict, DigestImportError, parse_digest, save_digest

MAX_BYTES = 2 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import a digest exported as text from the newsroom's old site builder. Creates a draft "
        "(or updates the digest imported from the same file) and prints its public URL path on "
        "the last line. Refuses to overwrite edits made in the admin since the last import "
        "unless --replace is given. The parsing rules are in digests/importing.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The exported .txt file.")
        parser.add_argument("--publish", action="store_true", help="Publish it now.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print the parsed structure as one JSON object (with the URL when written).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a digest even if staff edited it since the last import.",
        )

    def handle(self, *args, path, publish, dry_run, json: bool, replace, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file.")
        if file.stat().st_size > MAX_BYTES:
            raise CommandError(f"{path}: the file is larger than {MAX_BYTES // 1024} KB.")
        try:
            parsed = parse_digest(file.read_bytes(), filename=str(path))
        except DigestImportError as exc:
            raise CommandError(str(exc)) from None

        result = None
        if not dry_run:
            try:
                result = save_digest(parsed, source=file.name, publish=publish, replace=replace)
            except DigestConflict as exc:
                raise CommandError(f"{path}: {exc}") from None

        for note in parsed.notes:
            self.stderr.write(f"note: {note}")
        if json:
            payload = parsed.as_json()
            if result is not None:
                payload["url"] = result.url
            self.stdout.write(_dumps(payload))
            return

        self.stdout.write(f"{parsed.title} ({parsed.date.isoformat()})")
        for section in parsed.sections:
            self.stdout.write(f"  {section.title or '(untitled)'}: {len(section.items)} item(s)")
        self.stdout.write(f"  {len(parsed.metrics)} social media figure(s)")
        if result is None:
            self.stdout.write("Dry run: nothing was written.")
            return
        if result.created:
            verb = "Created"
        else:
            verb = "Updated" if result.changed else "Unchanged (already imported):"
        state = result.digest.state_label.lower()
        self.stdout.write(self.style.SUCCESS(f"{verb} {state} digest “{result.digest.title}”."))
        self.stdout.write(result.url)


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
