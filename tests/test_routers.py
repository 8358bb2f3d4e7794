"""Read replica routing (DATABASE_REPLICA_URL): who reads where."""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from digests.models import Digest
from digestsite.routers import PrimaryReplicaRouter, ReplicaReadsMiddleware
from tests.test_settings import load_settings

router = PrimaryReplicaRouter()


def read_db_during(request):
    """The database the router picks for a read while `request` is being served."""
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(Digest)
        return HttpResponse()

    ReplicaReadsMiddleware(view)(request)
    return seen["db"]


def test_readers_page_views_read_from_the_replica():
    """An anonymous reader's page is served from the replica, taking load off the primary."""
    assert read_db_during(RequestFactory().get("/")) == "replica"
    assert read_db_during(RequestFactory().head("/")) == "replica"


def test_staff_read_from_the_primary():
    """Staff (signed in: a session cookie) always see what they just saved, never a lagging copy."""
    request = RequestFactory().get("/admin/")
    request.COOKIES["sessionid"] = "x"
    assert read_db_during(request) == "default"


def test_posts_read_from_the_primary():
    """A request that may write reads from the primary too."""
    assert read_db_during(RequestFactory().post("/admin/login/")) == "default"


def test_outside_requests_read_from_the_primary():
    """Management commands, the shell and the importer never read from the replica."""
    assert router.db_for_read(Digest) == "default"
    read_db_during(RequestFactory().get("/"))
    assert router.db_for_read(Digest) == "default"  # the request's mark does not outlive it


@pytest.mark.django_db
def test_reads_inside_a_transaction_stay_on_the_primary():
    """Inside a transaction the reads see the writes made in it."""

    def view(request):
        with transaction.atomic():
            return HttpResponse(router.db_for_read(Digest))

    assert ReplicaReadsMiddleware(view)(RequestFactory().get("/")).content == b"default"


def test_writes_and_migrations_only_on_the_primary():
    """Nothing is ever written to, or migrated on, the replica."""
    assert router.db_for_write(Digest) == "default"
    assert router.allow_migrate("default", "digests") is True
    assert router.allow_migrate("replica", "digests") is False


def test_replica_url_configures_the_router():
    """DATABASE_REPLICA_URL adds the replica and its router; without it there is neither."""
    code = (
        "import json, digestsite.settings as s; print(json.dumps({'dbs': sorted(s.DATABASES), "
        "'routers': getattr(s, 'DATABASE_ROUTERS', []), 'first': s.MIDDLEWARE[0], "
        "'mirror': s.DATABASES.get('replica', {}).get('TEST')}))"
    )
    result = load_settings(
        code, DJANGO_DEBUG="1", DATABASE_URL="postgres://u:p@primary:5432/digest",
        DATABASE_REPLICA_URL="postgres://u:p@replica:5432/digest",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert '"dbs": ["default", "replica"]' in result.stdout
    assert '"routers": ["digestsite.routers.PrimaryReplicaRouter"]' in result.stdout
    assert '"first": "digestsite.routers.ReplicaReadsMiddleware"' in result.stdout
    assert '"mirror": {"MIRROR": "default"}' in result.stdout
    result = load_settings(code, DJANGO_DEBUG="1")
    assert '"dbs": ["default"]' in result.stdout and '"routers": []' in result.stdout
