"""Every public page costs the same number of queries whatever the amount of published data.

Iterates `PUBLIC_URLS`, so a page added later is covered too. The exact numbers live in each
view's own test; here only the comparison: the sample site, then the sample site with twenty
more published digests, items, mentions and figures naming the same people.
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.signals import registry_batch
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)
from tests.public_urls import PUBLIC_URLS, sample_site

pytestmark = pytest.mark.django_db

MORE = 20


def grow(site, n=MORE):
    """`n` more published digests in the same month as the sample's, each with sections,
    items naming the sample's person and organization, tags, figures and new entities."""
    person, organization = site["person"], site["organization"]
    with registry_batch():  # one relink for all the new names, as a bulk import does
        colleagues = [make_person(f"Colleague Number{i}") for i in range(n)]
        partners = [
            make_organization(f"Partner Body{i}", website=f"https://example.org/p{i}")
            for i in range(n)
        ]
        for i in range(n):
            person.aliases.create(text=f"Latushka Variant{i}")
            person.links.create(title=f"Profile {i}", url=f"https://example.org/profile/{i}")
            person.affiliations.create(organization=partners[i])
    for i in range(n):
        digest = make_digest(title=f"Extra digest {i}", date=datetime.date(2025, 12, 1 + i))
        digest.tags.add("prisoners", f"topic-{i}")
        section = make_section(digest, title=f"Section {i}")
        item = make_item(
            section,
            title=f"Story {i}",
            body=f"<p>Pavel Latushka, Colleague Number{i} and the National Anti-Crisis "
            f"Management with Partner Body{i}.</p>",
        )
        item.tags.add(f"topic-{i}")
        metric = make_metric(digest, item=item, views=1000 + i, url=f"https://v.example.com/{i}")
        metric.people.add(person, colleagues[i])
        metric.organizations.add(organization, partners[i])


def count_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_public_page_queries_do_not_grow_with_data(client):
    """Every public page stays as fast with many published digests as with one."""
    site = sample_site()
    for url in PUBLIC_URLS.values():  # warm process-wide caches (content types, linker)
        count_queries(client, url(site))
    before = {name: count_queries(client, url(site)) for name, url in PUBLIC_URLS.items()}
    grow(site)
    after = {name: count_queries(client, url(site)) for name, url in PUBLIC_URLS.items()}
    grown = {name: (before[name], after[name]) for name in before if after[name] != before[name]}
    assert grown == {}, f"queries with the sample vs with {MORE} more digests: {grown}"
