"""`manage.py load_demo`: the demo content of a first `make run` (digests.demo), loaded once."""

from django.core.management.base import BaseCommand

from digests.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo digest, people and organizations once (does nothing if present)."

    def handle(self, *args, **options):
        if load_demo():
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        else:
            self.stdout.write("Demo content already present; nothing changed.")
