"""The floor every page is measured against: Django with one view returning 5 KB and only
`CommonMiddleware`, no apps, no database (settings and URLconf in this one module:
DJANGO_SETTINGS_MODULE=benchmarks.bare, served as `digestsite.wsgi`)."""

from django.http import HttpResponse
from django.urls import path

SECRET_KEY = "bench-bare-view-secret-for-local-measurements-only-0123456789"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "benchmarks.bare"
DATABASES: dict = {}
USE_TZ = True

BODY = ("<!doctype html><title>bare</title>" + "x" * 5120)[:5120]


def bare(request):
    return HttpResponse(BODY)


urlpatterns = [path("bench/bare/", bare)]
