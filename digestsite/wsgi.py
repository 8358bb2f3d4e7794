"""The WSGI entry point gunicorn serves.

Once the application is loaded, what it holds (modules, settings, URL patterns, translations)
lives as long as the process: `settle()` moves it out of the garbage collector's reach.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digestsite.settings")


def settle() -> None:
    """Collect what loading left behind, then freeze everything still alive (`gc.freeze`).
    Python's full collection runs every few dozen requests; without this it walks the whole
    loaded application each time (50–100 ms for the request that meets it), with it only
    what requests left. Under a server that loads the application before forking (gunicorn's
    `--preload`), frozen objects also stay shared between the workers."""
    gc.collect()
    gc.freeze()


application = get_wsgi_application()
settle()
