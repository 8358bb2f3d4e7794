import time

from django.core.management.base import BaseCommand

from digests.mentions import relink_items, relink_sections
from digests.models import Item, Section


class Command(BaseCommand):
    help = (
        "Relink every item and section title against the current registry of names, with "
        "progress. Staff-added and suppressed mentions are kept."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        sections = relink_sections(Section.objects.all())

        def progress(done, total):
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {done}/{total} items ({done / max(elapsed, 1e-6):.0f}/s)")

        changed = relink_items(Item.objects.all(), progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Relinked: {changed} item(s) and {sections} section title(s) changed "
                f"in {time.monotonic() - started:.1f}s."
            )
        )
