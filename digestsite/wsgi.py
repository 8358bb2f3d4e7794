"""The WSGI entry point gunicorn serves.

What the application holds once loaded and once it has served its first request (modules,
settings, URL patterns, compiled templates, translations) lives as long as the process:
`settle()` moves it out of the garbage collector's reach, at both moments.
"""

import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digestsite.settings")


def settle() -> None:
    """Collect what is garbage, then freeze everything still alive (`gc.freeze`). Python's
    full collection runs every few dozen requests; without this it walks the whole loaded
    application each time (50–100 ms for the request that meets it), with it only what
    requests left since. Under a server that loads the application before forking
    (gunicorn's `--preload`), frozen objects also stay shared between the workers."""
    gc.collect()
    gc.freeze()


def _settle_after_first_request(**kwargs) -> None:
    """Once, after the first response is sent: Django loads the URL patterns, templates and
    translations a page needs when it first renders one."""
    request_finished.disconnect(_settle_after_first_request)
    settle()


application = get_wsgi_application()
settle()
request_finished.connect(_settle_after_first_request)
