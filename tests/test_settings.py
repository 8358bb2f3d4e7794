import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_settings(code=None, /, **env):
    """Import the settings module in a fresh interpreter with exactly `env` set, and run `code`
    (by default: print the main settings as JSON)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "AWS_", "REDIS_URL", "SENTRY_DSN"))
    }
    code = code or (
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


def fake_packages(tmp_path, *names):
    """A PYTHONPATH on which `names` (dotted) import as empty modules."""
    for name in names:
        folder = tmp_path.joinpath(*name.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("")
    return str(tmp_path)


MEDIA = "import json, digestsite.settings as s; print(json.dumps(s.STORAGES['default']))"
PRODUCTION = {"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_ALLOWED_HOSTS": "digest.example.org"}


def test_media_on_local_disk_by_default():
    """Without object storage settings uploads go to the media folder."""
    result = load_settings(MEDIA, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "FileSystemStorage" in result.stdout


def test_bucket_switches_media_to_object_storage(tmp_path):
    """Naming a bucket stores media in S3-compatible storage, served under the site's own host."""
    result = load_settings(
        MEDIA, **PRODUCTION, PYTHONPATH=fake_packages(tmp_path, "storages", "boto3"),
        AWS_STORAGE_BUCKET_NAME="digest-media", AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_CUSTOM_DOMAIN="digest.example.org/media", AWS_ACCESS_KEY_ID="key",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "digest-media"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["custom_domain"] == "digest.example.org/media"
    assert options["access_key"] == "key"
    assert options["file_overwrite"] is False and options["querystring_auth"] is False


def test_media_url_is_the_sites_own_media_host_with_a_bucket(tmp_path):
    """With object storage, images in item bodies are still accepted from the site's own
    media address (the custom domain), the address the editor's uploads get."""
    result = load_settings(
        "import digestsite.settings as s; print(s.MEDIA_URL)",
        **PRODUCTION, PYTHONPATH=fake_packages(tmp_path, "storages", "boto3"),
        AWS_STORAGE_BUCKET_NAME="digest-media", AWS_S3_CUSTOM_DOMAIN="digest.example.org/media",
        AWS_LOCATION="uploads",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://digest.example.org/media/uploads/"


def test_bucket_without_the_package_is_a_clear_error(tmp_path):
    """A bucket configured on an install without django-storages fails at start, saying what to
    install, rather than silently writing uploads to the container's disk."""
    result = load_settings(
        MEDIA, **PRODUCTION, PYTHONPATH=fake_packages(tmp_path, "boto3"),
        AWS_STORAGE_BUCKET_NAME="digest-media", AWS_S3_CUSTOM_DOMAIN="digest.example.org/media",
    )  # fmt: skip
    if "storages.backends.s3" in result.stdout:
        pytest.skip("django-storages is installed here")
    assert result.returncode != 0
    assert "django-storages with boto3 is not installed" in result.stderr
    assert "pip install '.[s3]'" in result.stderr


def test_bucket_needs_the_sites_own_media_host(tmp_path):
    """Readers never load media from the storage provider's host, which would see them."""
    result = load_settings(
        MEDIA, **PRODUCTION, PYTHONPATH=fake_packages(tmp_path, "storages", "boto3"),
        AWS_STORAGE_BUCKET_NAME="digest-media",
    )  # fmt: skip
    assert result.returncode != 0
    assert "AWS_S3_CUSTOM_DOMAIN" in result.stderr


LOG_FORMAT = "import digestsite.settings as s; print(s.LOGGING['handlers']['console']['formatter'])"


def test_logs_are_json_in_production_and_text_locally():
    """Production logs are JSON lines for a log collector; `make run` prints readable text."""
    assert load_settings(LOG_FORMAT, **PRODUCTION).stdout.strip() == "json"
    assert load_settings(LOG_FORMAT, DJANGO_DEBUG="1").stdout.strip() == "text"
    assert (
        load_settings(LOG_FORMAT, **PRODUCTION, DJANGO_LOG_FORMAT="text").stdout.strip() == "text"
    )
    result = load_settings(LOG_FORMAT, **PRODUCTION, DJANGO_LOG_FORMAT="xml")
    assert result.returncode != 0 and "DJANGO_LOG_FORMAT must be json or text" in result.stderr


def test_worker_processes_share_the_cache_without_redis(tmp_path, request):
    """Without Redis, gunicorn's worker processes on one machine share one cache (files),
    so an edit handled by one worker retires the pages every worker serves; each process
    also keeps its own copies. With REDIS_URL, Redis is the shared cache."""
    database = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    write = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.core.cache import cache; cache.set('probe', 'written by one worker'); "
        "print(settings.CACHES['default']['BACKEND'], 'pages-local' in settings.CACHES, "
        "settings.CACHES['default']['LOCATION'])"
    )
    read = (
        "import django; django.setup(); from django.core.cache import cache; "
        "print(cache.get('probe'))"
    )
    env = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "digestsite.settings",
    }
    first = load_settings(write, **env)
    assert first.returncode == 0, first.stderr
    backend, local_copies, location = first.stdout.split()
    request.addfinalizer(lambda: shutil.rmtree(location, ignore_errors=True))
    assert backend == "django.core.cache.backends.filebased.FileBasedCache"
    assert local_copies == "True"
    second = load_settings(read, **env)
    assert second.stdout.strip() == "written by one worker"

    other_site = load_settings(read, **{**env, "DATABASE_URL": database + "-other"})
    assert other_site.stdout.strip() == "None"  # another site on the machine has its own

    with_redis = load_settings(
        "import digestsite.settings as s; print(s.CACHES['default']['BACKEND'])",
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert with_redis.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_postgres_sessions_run_page_queries_without_jit_or_parallel_workers():
    """Page views are many short queries at once: PostgreSQL's JIT compiler and parallel
    workers cost more than they save on them, on the primary and on a replica."""
    code = (
        "import digestsite.settings as s; "
        "print(s.DATABASES['default']['OPTIONS']['options']); "
        "print(s.DATABASES['replica']['OPTIONS']['options'])"
    )
    result = load_settings(
        code,
        DJANGO_DEBUG="1",
        DATABASE_URL="postgres://digest@db.example/digest",
        DATABASE_REPLICA_URL="postgres://digest@replica.example/digest",
    )
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        assert "-c jit=off" in line and "-c max_parallel_workers_per_gather=0" in line
