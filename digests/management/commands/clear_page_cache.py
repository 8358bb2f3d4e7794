"""Retire every cached public page (run by scripts/restore.sh after a restore)."""

from django.core.management.base import BaseCommand

from digestsite.cache import content_changed


class Command(BaseCommand):
    help = (
        "Retire every public page in the page cache, so readers get pages rendered from the "
        "database as it is now (after a restore or any change made outside the site)."
    )

    def handle(self, *args, **options):
        content_changed(schedule=True)
        self.stdout.write("page cache cleared: every public page is rendered afresh")
