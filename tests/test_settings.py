import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings module in a fresh interpreter with exactly `env` set."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    code = (
        "import json, digestsite.settings as s; print(json.dumps({'debug': s.DEBUG, "
        "'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'cookie': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE, "
        "'db': s.DATABASES['default']['ENGINE'], 'hosts': s.ALLOWED_HOSTS}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True
    )


def test_production_refuses_default_secret_key():
    """With DEBUG off the site will not start on the development key, and says what to set."""
    result = load_settings(DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_refuses_empty_allowed_hosts():
    """With DEBUG off the site will not start without its host names, and says what to set."""
    result = load_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is empty" in result.stderr


def test_production_defaults_are_https():
    """Production turns on the SSL redirect, HSTS and secure cookies by default."""
    result = load_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert '"ssl": true' in result.stdout and '"hsts": 31536000' in result.stdout
    assert '"cookie": true' in result.stdout and '"csrf": true' in result.stdout
    assert "sqlite3" in result.stdout


def test_https_settings_switchable_by_environment():
    """Behind a TLS-terminating proxy the redirect can be switched off by environment."""
    result = load_settings(
        DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org",
        DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_HSTS_SECONDS="0",
    )  # fmt: skip
    assert '"ssl": false' in result.stdout and '"hsts": 0' in result.stdout


def test_debug_mode_runs_without_configuration():
    """`make run` works on a fresh machine with nothing configured."""
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert '"debug": true' in result.stdout and '"ssl": false' in result.stdout


def test_database_url_selects_postgres():
    """DATABASE_URL switches the site to PostgreSQL."""
    result = load_settings(DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@db:5432/digest")
    assert '"db": "django.db.backends.postgresql"' in result.stdout


def test_bad_boolean_is_a_clear_error():
    """A typo in a switch fails loudly instead of silently meaning 'off'."""
    result = load_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be" in result.stderr


@pytest.mark.django_db
def test_system_check_is_clean():
    """`manage.py check` reports no issues."""
    from django.core.management import call_command

    call_command("check", fail_level="WARNING")
