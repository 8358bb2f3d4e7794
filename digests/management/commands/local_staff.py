"""`manage.py local_staff`: an Editor and a Publisher to sign in with under `make run`
(DEBUG only)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create the local staff account (a superuser) if missing, give it a new generated "
        "password and print both. Refuses to run unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--port", default="8000", help="Shown in the admin address.")

    def handle(self, *args, username, port, **options):
        if not settings.DEBUG:
            raise CommandError("local_staff only runs with DJANGO_DEBUG=1 (local development).")
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()
        self.stdout.write(
            self.style.SUCCESS(f"Local staff account for http://127.0.0.1:{port}/admin/\n")
            + f"  username: {username}\n  password: {password}"
        )
