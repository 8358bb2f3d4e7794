"""The site's URLs plus a minimal reference view, for the benchmarks only."""

from django.http import HttpResponse
from django.urls import path

from digestsite.urls import urlpatterns as site_urlpatterns

MINIMAL_BODY = ("<!doctype html><title>minimal</title>" + "x" * 5120)[:5120]


def minimal(request):
    """A 5 KB string: the fastest a Django view can answer through the site's middleware."""
    return HttpResponse(MINIMAL_BODY)


urlpatterns = [
    path("bench/minimal/", minimal, name="bench-minimal"),
    # The site's own patterns, not an include: Django allows i18n_patterns only at the root.
    *site_urlpatterns,
]
