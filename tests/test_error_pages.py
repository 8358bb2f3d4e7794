"""Error pages in the site's look that cannot fail themselves."""

import pytest
from django.test import RequestFactory

from digestsite.views import server_error


def test_server_error_page_in_site_look_without_database(settings):
    """A reader who hits an error sees the site's header, name and styles, not a bare page
    (no database: this test is not allowed one)."""
    settings.SITE_NAME = "Test Digest"
    response = server_error(RequestFactory().get("/boom/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "<title>Something went wrong · Test Digest</title>" in html
    assert 'class="site-header"' in html and 'href="/static/css/site.css"' in html
    assert '<meta name="robots" content="noindex">' in html


@pytest.mark.django_db
def test_not_found_page_has_title_and_is_not_indexed(client):
    """A dead link shows a titled page in the site's look that search engines skip."""
    html = client.get("/no-such-page/").content.decode()
    assert "<title>Page not found · " in html and 'class="site-footer"' in html
    assert '<meta name="robots" content="noindex">' in html and 'rel="canonical"' not in html
