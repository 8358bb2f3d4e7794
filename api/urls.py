"""The API's addresses: the endpoints (with their OpenAPI description), the documentation
page and the CSV and JSON downloads."""

from django.urls import path, re_path

from api import docs, exports
from api.endpoints import api

app_name = "api"

FORMAT = r"\.(?P<fmt>csv|json)$"

urlpatterns = [
    path("", docs.documentation, name="docs"),
    re_path(
        r"^export/people/(?P<slug>[-a-zA-Z0-9_]+)/mentions" + FORMAT,
        exports.entity_mentions,
        {"kind": "person"},
        name="person-mentions-export",
    ),
    re_path(
        r"^export/organizations/(?P<slug>[-a-zA-Z0-9_]+)/mentions" + FORMAT,
        exports.entity_mentions,
        {"kind": "organization"},
        name="organization-mentions-export",
    ),
    re_path(r"^export/figures" + FORMAT, exports.figures, name="figures-export"),
    *api.urls[0],
]
