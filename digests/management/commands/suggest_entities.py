"""`manage.py suggest_entities`: the "Names to review" queue on the command line."""

import json

from django.core.management.base import BaseCommand, CommandError

from digests.models import Digest
from digests.review_names import names_to_review


class Command(BaseCommand):
    help = (
        "List names found in digest text (drafts included) that no person or organization has "
        "yet, likeliest real entities first, with a suggested entity where one fits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print a JSON list.")
        parser.add_argument("--digest", metavar="SLUG", help="Only this digest's text.")
        parser.add_argument(
            "--min-count", type=int, default=1, metavar="N", help="Only names seen N times."
        )

    def handle(self, *args, **options):
        digest = None
        if options["digest"]:
            digest = Digest.objects.filter(slug=options["digest"]).first()
            if digest is None:
                raise CommandError(f"No digest with the slug “{options['digest']}”.")
        candidates = names_to_review(digest=digest, min_count=max(1, options["min_count"]))
        if options["json"]:
            rows = [c.as_dict() for c in candidates]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for c in candidates:
            kind = c.kind or "?"
            hint = f"  → {c.suggested.kind} {c.suggested.name}" if c.suggested else ""
            self.stdout.write(f"{c.count:6} ×  {c.digests:4} digest(s)  {kind:12} {c.text}{hint}")
            self.stdout.write(f"{'':8}{c.example}")
        self.stdout.write(f"{len(candidates)} name(s) to review.")
