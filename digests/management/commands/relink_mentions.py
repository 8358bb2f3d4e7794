"""`manage.py relink_mentions`: relink every digest's stored text against the registry, with
progress (after a bulk change made outside the admin)."""

import time

from django.core.management.base import BaseCommand
from django.db.models import Count

from digests.models import Digest, SocialMetric
from digests.relinking import relink_digest, relink_topics


class Command(BaseCommand):
    help = (
        "Relink every digest (lead, section titles, items in reading order) and figure topic "
        "against the current registry of names, with progress. Staff-added and suppressed "
        "mentions are kept."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        digests = Digest.objects.annotate(items=Count("sections__items")).order_by("pk")
        counts = dict(digests.values_list("pk", "items"))
        total = sum(counts.values())
        changed = done = reported = 0
        for pk, items in counts.items():
            changed += relink_digest(Digest(pk=pk), always_sync=True)
            done += items
            if done - reported >= 500 or done == total:
                reported = done
                elapsed = time.monotonic() - started
                self.stdout.write(f"  {done}/{total} items ({done / max(elapsed, 1e-6):.0f}/s)")
        topics = relink_topics(SocialMetric.objects.all())
        self.stdout.write(
            self.style.SUCCESS(
                f"Relinked: {changed} lead(s), section title(s) and item(s) and {topics} "
                f"figure topic(s) changed in {time.monotonic() - started:.1f}s."
            )
        )
