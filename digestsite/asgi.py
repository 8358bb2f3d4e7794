"""The ASGI entry point (the site is served by gunicorn's WSGI workers in production)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digestsite.settings")

application = get_asgi_application()
