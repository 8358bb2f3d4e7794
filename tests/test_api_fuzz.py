"""The API fuzzed from its own OpenAPI description (Schemathesis): generated requests to every
route, valid and not, never get a server error, and every answer matches the description
(status code, content type, headers, body schema).

A bounded, reproducible run (`MAX_EXAMPLES` per route, derandomised), over the sample site
with published, draft and scheduled digests; fast enough for both SQLite and PostgreSQL.
"""

from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from api.endpoints import api
from digests.models import Digest, Item
from tests.public_urls import sample_site

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 30

CONFIG = SchemathesisConfig.from_dict(
    {
        # NUL characters in a query string are refused with a 400 page by the site-wide
        # RejectMalformedInputMiddleware before the API sees them (tests/test_security.py).
        "generation": {"allow-x00": False, "codec": "utf-8", "deterministic": True},
        # A schema-valid request may still be refused on purpose: a slug that names no
        # public person (or a sensitive one), a period that ends before it starts. Those are
        # documented 400s; every other check runs.
        "checks": {"positive_data_acceptance": {"enabled": False}},
    }
)


def described_schema():
    """The description /api/openapi.json serves (test_served_description_is_the_one_fuzzed),
    with requests sent straight to the site's WSGI application: the test's own database."""
    loaded = schemathesis.openapi.from_dict(
        api.get_openapi_schema(path_prefix="/api/"), config=CONFIG
    )
    loaded.app = get_wsgi_application()
    return loaded


schema = described_schema()

# Half of the generated addresses of one digest, item, person or organization are replaced
# by one the sample site has, so that full answers are checked against the description too.
REAL = {
    "slug": {
        "/digests/{slug}/": lambda: Digest.objects.published().values_list("slug", flat=True)[0],
        "/people/{slug}/": lambda: "pavel-latushka",
        "/organizations/{slug}/": lambda: "national-anti-crisis-management",
    },
    "anchor": {
        "/items/{anchor}/": lambda: Item.objects.published().values_list("anchor", flat=True)[0],
    },
}


@schema.hook
def map_path_parameters(ctx, path_parameters):
    for name, value in list((path_parameters or {}).items()):
        real = REAL.get(name, {}).get(ctx.operation.path.removeprefix("/api"))
        if real is not None and len(str(value)) % 2 == 0:
            path_parameters[name] = real()
    return path_parameters


@pytest.fixture(autouse=True)
def site(db):
    return sample_site()


@pytest.fixture(autouse=True)
def test_database_connection_stays_open():
    """As Django's own test client does: a request's end must not close the connection that
    holds the test's transaction (PostgreSQL would lose the sample site)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_served_description_is_the_one_fuzzed(client):
    """The fuzzing below covers exactly what clients read at /api/openapi.json."""
    assert client.get("/api/openapi.json").json() == schema.raw_schema


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_description(case):
    """No generated request, valid or not, gets a server error or an answer the
    description does not promise."""
    response = case.call_and_validate()
    FULL_ANSWERS[case.operation.path] += response.status_code == 200


FULL_ANSWERS = Counter()


def test_fuzzing_reached_real_rows():
    """Runs after the fuzzing: every route answered some requests in full (so the checks
    above saw real rows, not only 404s and 400s)."""
    routes = [
        f"/api{path}" if not path.startswith("/api") else path
        for path in schema.raw_schema["paths"]
    ]
    if FULL_ANSWERS:  # when the fuzzing ran in this session
        assert [route for route in routes if not FULL_ANSWERS[route]] == []
