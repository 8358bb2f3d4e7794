"""The benchmark's bulk-written dataset must be what the application itself would save."""

import pytest
from django.urls import Resolver404, resolve

from benchmarks.generate import generate
from digests.models import Digest, Item, Mention, plain_search_text
from people.models import Alias, normalize_name
from people.spelling import search_key, skeleton


@pytest.fixture
def dataset(db):
    return generate(0.002, seed=3, log=lambda *args, **kwargs: None)


def test_generated_items_match_what_saving_them_produces(dataset):
    """Re-saving a generated item changes neither its linked HTML nor its mentions."""
    assert dataset["items"] == 200
    for item in Item.objects.order_by("pk")[:25]:
        before = (item.title_html, item.body_html, item.search_text)
        mentions = set(
            Mention.objects.filter(item=item).values_list(
                "person_id", "organization_id", "occurrences", "snippet"
            )
        )
        assert mentions, "every generated item names someone"
        item.save()
        item.refresh_from_db()
        assert (item.title_html, item.body_html, item.search_text) == before
        assert before[2] == plain_search_text(item.body)
        assert (
            set(
                Mention.objects.filter(item=item).values_list(
                    "person_id", "organization_id", "occurrences", "snippet"
                )
            )
            == mentions
        )


def test_generated_aliases_carry_the_columns_save_computes(dataset):
    """Bulk-written aliases have the normalised form and search keys that save() sets."""
    for alias in Alias.objects.all():
        assert alias.normalized == normalize_name(alias.text)
        assert alias.search_key == search_key(alias.text)[:400]
        assert alias.search_skeleton == skeleton(alias.search_key)[:400]
    assert Alias.objects.filter(text__regex=r"[а-яА-Яіў]").exists()


def test_generated_digests_are_public_and_the_busiest_person_is_named_most(dataset, client):
    """Every generated digest is public, and the most-named person's page lists mentions."""
    assert Digest.objects.published().count() == dataset["digests"]
    response = client.get(f"/people/{dataset['star_slug']}/")
    assert response.status_code == 200
    assert dataset["star_mentions"] >= dataset["items"] // 10


def test_the_minimal_benchmark_view_is_not_a_production_address():
    """/bench/minimal/ exists only under the benchmark settings' URLs."""
    with pytest.raises(Resolver404):
        resolve("/bench/minimal/")
    assert resolve("/bench/minimal/", urlconf="benchmarks.urls").url_name == "bench-minimal"
