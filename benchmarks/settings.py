"""Settings for the benchmarks: the production settings (DEBUG off) plus a bench-only URL.

The secret key and host names below are for a throwaway local run only.
"""

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "bench-secret-key-for-local-measurements-only-0123456789"
)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_REQUIRE_2FA", "0")

from digestsite.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
