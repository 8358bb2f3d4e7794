"""No leaks: drafts, scheduled and unpublished digests contribute nothing to any public page.

One parametrised test over every public URL pattern (`tests/public_urls.py`, whose coverage
test fails when a new public pattern is not listed), so a new page cannot forget the rule.
"""

import pytest

from tests.public_urls import HIDDEN_MARKERS, PUBLIC_URLS, sample_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return sample_site()


@pytest.mark.parametrize("name", sorted(PUBLIC_URLS))
def test_unpublished_work_is_invisible(client, site, name):
    """No title, text, name, tag or figure of an unpublished digest shows on any public page."""
    response = client.get(PUBLIC_URLS[name](site))
    assert response.status_code == 200
    content = response.content.decode()
    assert [marker for marker in HIDDEN_MARKERS if marker in content] == []


def test_counts_ignore_unpublished_work(client, site):
    """Mention counts on entity pages count published items only."""
    for entity in (site["person"], site["organization"]):
        page = client.get(entity.get_absolute_url()).content.decode()
        assert "Named in 1 published item," in page


def test_person_named_only_in_unpublished_work_has_no_page(client, site):
    """Someone named only in drafts or scheduled digests has no public page."""
    assert client.get(site["secret"].get_absolute_url()).status_code == 404


def test_hidden_digests_are_404(client, site):
    """Unpublished digests themselves are not found by readers."""
    from digests.models import Digest

    for digest in Digest.objects.exclude(pk=site["digest"].pk):
        assert client.get(digest.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/mentions/",
        "/api/figures/",
        "/api/items/",
        "/api/topics/",
        "/api/people/",
        "/api/export/figures.json",
        "/api/figures/?organization=national-anti-crisis-management",
        "/api/mentions/?organization=national-anti-crisis-management",
    ],
)
def test_api_lists_without_filters_hold_no_unpublished_work(client, site, url):
    """The API's whole lists and downloads, unfiltered or filtered otherwise than the matrix
    above, show nothing of an unpublished digest either."""
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert [marker for marker in HIDDEN_MARKERS if marker in content] == []
