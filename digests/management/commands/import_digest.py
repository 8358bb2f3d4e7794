"""`manage.py import_digest`: import digests from the newsroom's text export (digests.parsing,
digests.importing), one file, several or a folder; --dry-run, --json, --replace."""

import argparse
import datetime
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from digests.importing import DigestConflict, DigestImportError, parse_digest, save_digest

MAX_BYTES = 2 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Import digests exported as text from the newsroom's old site builder. Each file creates "
        "a draft (or updates the digest imported from the same file). Refuses to overwrite edits "
        "made in the admin since the last import unless --replace is given. The parsing rules are "
        "in digests/parsing.py. With one file, prints the digest's structure and its public URL "
        "path on the last line. With several files or a folder (every *.txt in it, in name "
        "order), prints one line per file and a summary; each file is saved whole or not at "
        "all, a refused file does not stop the others, and the exit status is 1 when any file "
        "was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="PATH", help="Exported .txt files, or folders of them."
        )
        parser.add_argument("--publish", action="store_true", help="Publish them now.")
        parser.add_argument(
            "--language",
            choices=["en", "be", "ru"],
            help="The language the text is written in; read from the text when not given.",
        )
        parser.add_argument(
            "--translation-of",
            metavar="SLUG",
            help="The address (slug) of the digest this one translates. Without it a digest "
            "joins the versions of the same date in other languages when there is exactly one "
            "such group without a version in its language.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Parse and report; write nothing."
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print the parsed structure as one JSON object (with the URL when written). "
            "One file only.",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite a digest even if staff edited it since the last import.",
        )
        parser.add_argument(
            "--title",
            help="The digest's title, for a text whose first line is not a dated title. It "
            "replaces a dated first line; otherwise the first line is read as content. "
            "One file only.",
        )
        parser.add_argument(
            "--date",
            type=_iso_date,
            help="The digest's date as YYYY-MM-DD; it wins over a date in the first line. "
            "One file only.",
        )

    def handle(self, *args, paths, json: bool, title, date, **options):
        if len(paths) == 1 and not Path(paths[0]).is_dir():
            return self.import_one(paths[0], json=json, title=title, date=date, **options)
        if json:
            raise CommandError("--json prints one digest: give a single file.")
        if options.get("translation_of"):
            raise CommandError("--translation-of names one digest's original: give one file.")
        if title or date:
            raise CommandError(
                "--title and --date name one digest: give them with a single file (several "
                "files would all become that one digest)."
            )
        self.import_many(paths, **options)

    def import_one(
        self, path, *, publish, dry_run, json, replace, title, date, language, translation_of,
        **options,
    ):  # fmt: skip
        try:
            parsed = _parse(Path(path), title=title, date=date, language=language)
        except DigestImportError as exc:
            raise CommandError(str(exc)) from None

        result = None
        if not dry_run:
            try:
                result = save_digest(parsed, source=Path(path).name, publish=publish,
                                     replace=replace, translation_of=translation_of)  # fmt: skip
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

    def import_many(self, paths, *, publish, dry_run, replace, verbosity, language, **options):
        entries = _expand(paths)
        tally = {"created": 0, "updated": 0, "unchanged": 0, "readable": 0}
        refused: list[_Refusal] = []
        for number, (path, problem) in enumerate(entries, start=1):
            refusal = None
            try:
                if problem:
                    raise DigestImportError(problem, filename=str(path))
                parsed = _parse(path, language=language)
                outcome, detail = "readable", _shape(parsed)
                if not dry_run:
                    result = save_digest(parsed, source=path.name, publish=publish,
                                         replace=replace)  # fmt: skip
                    outcome, detail = _outcome(result)
            except DigestImportError as exc:
                refusal = _Refusal(str(path), exc.line, exc.message)
            except (DigestConflict, DatabaseError, OSError) as exc:
                refusal = _Refusal(str(path), None, str(exc).splitlines()[0])
            else:
                tally[outcome] += 1
                for note in parsed.notes if verbosity >= 2 else ():
                    self.stderr.write(f"note: {path}: {note}")
            if refusal is not None:
                refused.append(refusal)
                where = f" at line {refusal.line}" if refusal.line else ""
                detail = self.style.ERROR(f"refused{where}: {refusal.message}")
            self.stdout.write(f"[{number}/{len(entries)}] {path}: {detail}")
            self.stdout.flush()

        files = f"{len(entries)} file{'s' if len(entries) != 1 else ''}"
        if dry_run:
            self.stdout.write(
                f"Dry run: nothing was written. {files}: {tally['readable']} readable, "
                f"{len(refused)} refused."
            )
        else:
            self.stdout.write(
                f"{files}: {tally['created']} created, {tally['updated']} updated, "
                f"{tally['unchanged']} unchanged, {len(refused)} refused."
            )
        if refused:
            self.stdout.write("Refused:")
            for refusal in refused:
                self.stdout.write(f"  {refusal}")
            raise CommandError(
                f"{len(refused)} of {len(entries)} files were refused (listed above); "
                "the others were read."
            )


@dataclass
class _Refusal:
    path: str
    line: int | None
    message: str

    def __str__(self):
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def _expand(paths) -> list[tuple[Path, str | None]]:
    """Every file to import, in order, each with the reason it cannot be read, if known."""
    entries = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            # Hidden files are skipped: macOS leaves binary "._name.txt" twins in archives.
            found = sorted(
                child
                for child in path.iterdir()
                if child.suffix.lower() == ".txt" and child.is_file()
                and not child.name.startswith(".")
            )  # fmt: skip
            entries.extend((child, None) for child in found)
            if not found:
                entries.append((path, "no .txt files in this folder"))
        elif path.is_file():
            entries.append((path, None))
        else:
            entries.append((path, "no such file or folder"))
    return entries


def _parse(path: Path, *, title=None, date=None, language=None):
    if not path.is_file():
        raise DigestImportError("no such file.", filename=str(path))
    if path.stat().st_size > MAX_BYTES:
        raise DigestImportError(
            f"the file is larger than {MAX_BYTES // 1024} KB.", filename=str(path)
        )
    return parse_digest(
        path.read_bytes(), filename=str(path), title=title, date=date, language=language
    )


def _shape(parsed) -> str:
    items = sum(len(section.items) for section in parsed.sections)
    return f"read: {len(parsed.sections)} sections, {items} items, {len(parsed.metrics)} figures"


def _outcome(result) -> tuple[str, str]:
    """What happened to one file's digest, as a tally key and a progress line."""
    if result.created:
        outcome = "created"
    else:
        outcome = "updated" if result.changed else "unchanged"
    state = "" if outcome == "unchanged" else f" {result.digest.state_label.lower()}"
    return outcome, f"{outcome}{state} “{result.digest.title}” {result.url}"


def _iso_date(value: str) -> datetime.date:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"“{value}” is not a date written as YYYY-MM-DD")


def _dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
