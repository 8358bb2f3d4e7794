"""/healthz: what a load balancer or container health check sees."""

from unittest import mock

import pytest
from django.db import connections
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_ok(client, django_assert_num_queries):
    """A working node reports every part as ok, as JSON, with 200, for one cheap query."""
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"}


def test_database_failure_is_503(client):
    """When the database is unreachable the probe says so and the balancer takes the node out."""
    broken = OperationalError("could not connect to server db.internal")
    with mock.patch.object(connections["default"], "cursor", side_effect=broken):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error", "database": "error", "cache": "ok", "storage": "ok"
    }  # fmt: skip
    assert "db.internal" not in response.content.decode()


def test_missing_media_folder_is_503(client, settings, tmp_path):
    """Local media storage counts as healthy only when the media folder is there."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "gone")},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["storage"] == "error"
    (tmp_path / "gone").mkdir()
    assert client.get("/healthz").json()["storage"] == "ok"


def test_probe_is_never_cached_and_sets_no_cookie(client):
    """Proxies never serve a stale health answer, and the probe leaves nothing behind."""
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert response.cookies == {} and "Set-Cookie" not in response.headers


def test_probe_needs_no_sign_in_and_tells_no_secrets(client, settings):
    """Anyone may ask, and the answer names no host, version, database or key."""
    body = client.get("/healthz").content.decode()
    for secret in (settings.SECRET_KEY, settings.DATABASES["default"]["NAME"], "Django", "5.2"):
        assert str(secret) not in body


def test_probe_over_plain_http_is_not_redirected(client, settings):
    """Container and balancer probes call it over http even where the site redirects to https."""
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_probe_refuses_posts(client):
    """The probe only reads: a POST changes nothing and is refused."""
    assert client.post("/healthz").status_code == 405
