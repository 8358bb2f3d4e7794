"""`/healthz`: is this web node able to serve? For load balancers and container health checks."""

import logging
import os
import secrets

from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def check_database():
    for alias in connections:  # the primary, and the replica when there is one
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def check_cache():
    token = secrets.token_hex(4)
    cache.set("healthz", token, 10)
    if cache.get("healthz") != token:
        raise RuntimeError("the cache did not return what was stored")


def check_storage():
    # Object storage: one HEAD request, which fails when the bucket is unreachable or refuses us.
    default_storage.exists("healthz")
    if isinstance(default_storage, FileSystemStorage) and not os.path.isdir(
        default_storage.location
    ):
        raise FileNotFoundError("the media folder is missing")


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage}


@require_safe
@never_cache
def healthz(request):
    """{"status": "ok"|"error", "database": …, "cache": …, "storage": …}, with 200 when every
    check passes and 503 otherwise. Cheap (one SELECT 1, one tiny cache key, one existence
    check), unauthenticated, never cached, and it says nothing but "ok" or "error": no
    versions, host names or messages (those go to the log)."""
    result = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            logger.warning("health check %s failed: %s", name, type(exc).__name__)
            result[name] = "error"
        else:
            result[name] = "ok"
    healthy = all(value == "ok" for value in result.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **result}, status=200 if healthy else 503
    )
