"""Every admin change form, opened and saved back unchanged, saves and changes nothing.

The forms are found by walking the admin registry, so an admin registered tomorrow is covered
the day it is registered. The data is the demo plus the imported sample digest: what staff
meet on a fresh site.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core import serializers
from django.urls import NoReverseMatch, reverse

from digests.demo import load_demo
from digests.importing import parse_digest, save_digest
from digests.models import PreviewLink
from tests.browser import change_form_data

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "fixtures" / "import" / "news-digest-2025-12-31.txt"
PER_MODEL = 3
# Stored values that may move on an unchanged save: when a row was saved.
VOLATILE = {"updated_at"}


def stored_content():
    """Every row of the project's content apps, as comparable plain data."""
    rows = {}
    for app in ("digests", "people", "taggit"):
        for model in apps.get_app_config(app).get_models():
            for row in serializers.serialize("python", model._default_manager.order_by("pk")):
                fields = {k: v for k, v in row["fields"].items() if k not in VOLATILE}
                rows[(row["model"], row["pk"])] = fields
    return rows


@pytest.fixture
def newsroom_content():
    load_demo()
    result = save_digest(
        parse_digest(SAMPLE.read_bytes(), filename=SAMPLE.name), source=SAMPLE.name, publish=True
    )
    PreviewLink.objects.create(digest=result.digest, note="legal review")


def change_urls():
    for model in admin.site._registry:
        opts = model._meta
        for pk in model._default_manager.order_by("-pk").values_list("pk", flat=True)[:PER_MODEL]:
            try:
                yield model, reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])
            except NoReverseMatch:  # pragma: no cover - an admin without change views
                break


def has_change_form(model) -> bool:
    """False for an admin page that shows something other than stored rows (Names to
    review): it has no change form to save back."""
    opts = model._meta
    try:
        reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[1])
    except NoReverseMatch:
        return False
    return True


def test_every_admin_form_saves_back_unchanged(newsroom_content, staff_client):
    """Staff open any record in the admin and press Save without touching anything: it
    saves (no error page, no form returned with errors) and no stored value changes."""
    before = stored_content()
    tried, failures = set(), []
    for model, url in change_urls():
        tried.add(model)
        response = staff_client.post(url, change_form_data(staff_client, url))
        if response.status_code != 302:
            errors = response.context and [
                str(e) for e in response.context.get("errors") or []
            ]  # fmt: skip
            failures.append(f"{url} answered {response.status_code} {errors or ''}")
    assert not failures, "\n".join(failures)
    assert set(admin.site._registry) - tried <= {
        m for m in admin.site._registry if not m._default_manager.exists() or not has_change_form(m)
    }
    after = stored_content()
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert not changed, {
        key: {
            field: (before[key].get(field), value)
            for field, value in after.get(key, {}).items()
            if key in before and before[key].get(field) != value
        }
        or "added or removed"
        for key in sorted(changed)
    }


def test_every_registered_model_has_a_record_to_try(newsroom_content):
    """The round trip above tries every admin that has records; the demo and sample give
    records to the newsroom's own admins, so none of them is skipped unseen."""
    empty = [
        m._meta.label
        for m in admin.site._registry
        if m._meta.app_label in {"digests", "people"}
        and has_change_form(m)
        and not m._default_manager.exists()
    ]
    assert not empty
