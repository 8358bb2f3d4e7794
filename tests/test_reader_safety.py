"""Reading the site leaves no trace: checked over every public URL pattern."""

import logging
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from digestsite.privacy import ACCESS_LOG_FORMAT, PrivateLogger, scrub, scrub_sentry_event
from tests.public_urls import (
    PREVIEWS,
    PROBES,
    PUBLIC_URLS,
    REDIRECTS,
    public_pattern_names,
    sample_site,
)

pytestmark = pytest.mark.django_db

SITE_HOSTS = {"", "testserver"}
TRACKING = re.compile(r"[?&](utm_[a-z]+|fbclid|gclid|mc_eid|ref|yclid)=", re.I)


class Resources(HTMLParser):
    """Collects every URL a browser would fetch by itself, and every outbound link."""

    FETCHED = {
        "img": "src", "script": "src", "iframe": "src", "embed": "src", "source": "src",
        "video": "src", "audio": "src", "track": "src", "object": "data", "input": "src",
    }  # fmt: skip

    def __init__(self):
        super().__init__()
        self.fetched, self.links, self.scripts = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.FETCHED and attrs.get(self.FETCHED[tag]):
            self.fetched.append(attrs[self.FETCHED[tag]])
        for candidate in (attrs.get("srcset") or "").split(","):
            if candidate.strip():
                self.fetched.append(candidate.split()[0])
        if tag == "link" and attrs.get("href"):
            self.fetched.append(attrs["href"])
        if tag == "a" and attrs.get("href"):
            self.links.append((attrs["href"], attrs.get("rel") or ""))
        if tag == "script":
            self.scripts.append(attrs)
        style = attrs.get("style") or ""
        self.fetched += re.findall(r"url\(['\"]?([^'\")]+)", style)


@pytest.fixture
def site():
    return sample_site()


def fetch(client, site, name):
    response = client.get(PUBLIC_URLS[name](site))
    assert response.status_code == 200, name
    return response


def test_every_public_url_pattern_is_covered():
    """A new public page cannot escape the reader-safety and leak checks: it must be listed."""
    assert public_pattern_names() == set(PUBLIC_URLS) | REDIRECTS | PREVIEWS | PROBES


def test_preview_page_is_as_safe_for_readers(client, site):
    """A reviewer's preview page sets no cookie, loads nothing from elsewhere, leaks no
    referrer, and is neither cached nor indexed."""
    from digests.models import Digest, PreviewLink

    draft = Digest.objects.get(title__startswith="Draft digest")
    response = client.get(PreviewLink.objects.create(digest=draft).get_absolute_url())
    assert response.status_code == 200
    assert response.cookies == {}
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in response["Cache-Control"] and "noindex" in response["X-Robots-Tag"]
    parser = Resources()
    parser.feed(response.content.decode())
    assert [url for url in parser.fetched if urlsplit(url).netloc not in SITE_HOSTS] == []


def test_favicon_redirect_sets_no_cookie(client):
    """The icon address browsers request redirects to the site's own icon, cookie-free."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert response.cookies == {}


@pytest.mark.parametrize("name", sorted(PUBLIC_URLS))
def test_no_cookies_for_readers(client, site, name):
    """Anonymous readers get no cookie from any public page."""
    response = fetch(client, site, name)
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("name", sorted(PUBLIC_URLS))
def test_no_third_party_requests(client, site, name):
    """A page makes the reader's browser fetch nothing from any other host."""
    parser = Resources()
    parser.feed(fetch(client, site, name).content.decode())
    foreign = [url for url in parser.fetched if urlsplit(url).netloc not in SITE_HOSTS]
    assert foreign == []
    # Inline code is refused; JSON-LD is a data block that browsers never run.
    code = [attrs for attrs in parser.scripts if attrs.get("type") != "application/ld+json"]
    assert all(attrs.get("src") for attrs in code), "no inline scripts"


@pytest.mark.parametrize("name", sorted(PUBLIC_URLS))
def test_no_referrer_leaks(client, site, name):
    """Leaving the site tells the next site nothing: no-referrer, and rel=noreferrer on links."""
    response = fetch(client, site, name)
    assert response["Referrer-Policy"] == "no-referrer"
    parser = Resources()
    parser.feed(response.content.decode())
    for href, rel in parser.links:
        if urlsplit(href).netloc not in SITE_HOSTS:
            assert {"noopener", "noreferrer"} <= set(rel.split()), href


def test_outbound_links_present_in_sample(client, site):
    """The sample really has outbound links, so the referrer test above checks something."""
    parser = Resources()
    parser.feed(client.get(site["digest"].get_absolute_url()).content.decode())
    assert sum(urlsplit(h).netloc not in SITE_HOSTS for h, _ in parser.links) >= 3


@pytest.mark.parametrize("name", sorted(PUBLIC_URLS))
def test_links_carry_no_tracking(client, site, name):
    """Links and share URLs are plain addresses without tracking parameters."""
    parser = Resources()
    parser.feed(fetch(client, site, name).content.decode())
    assert [href for href, _ in parser.links if TRACKING.search(href)] == []


@pytest.mark.parametrize("name", sorted(PUBLIC_URLS))
def test_onion_location_header(client, site, settings, name):
    """With an onion address configured, Tor Browser is offered the same page there."""
    settings.ONION_LOCATION = "http://digestexampleonionaddress.onion"
    response = fetch(client, site, name)
    path = PUBLIC_URLS[name](site)
    assert response["Onion-Location"] == f"http://digestexampleonionaddress.onion{path}"


def test_no_onion_location_by_default(client, site):
    """Without an onion address no Onion-Location header is sent."""
    assert "Onion-Location" not in client.get("/").headers


def test_onion_host_can_be_allowed(client, site, settings):
    """The site answers on its onion host name when it is listed in ALLOWED_HOSTS."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "digestexampleonionaddress.onion"]
    assert client.get("/", HTTP_HOST="digestexampleonionaddress.onion").status_code == 200


def test_app_logs_keep_no_reader_address(client, site, caplog):
    """The application's own logs never contain the reader's IP address."""
    caplog.set_level(logging.DEBUG)
    client.get("/no-such-page/", REMOTE_ADDR="203.0.113.77")
    client.get("/", REMOTE_ADDR="2001:db8::77")
    assert "203.0.113.77" not in caplog.text and "2001:db8::77" not in caplog.text


def test_gunicorn_access_log_has_no_address():
    """The web server's access log format leaves out address, user agent and referrer."""
    for atom in ("%(h)s", "%(a)s", "%(f)s", "%({x-forwarded-for}i)s"):
        assert atom not in ACCESS_LOG_FORMAT
    from pathlib import Path

    conf = (Path(__file__).resolve().parent.parent / "gunicorn.conf.py").read_text()
    assert "access_log_format = ACCESS_LOG_FORMAT" in conf
    assert "logger_class = PrivateLogger" in conf


def test_gunicorn_error_log_scrubs_addresses(capsys):
    """gunicorn's own warnings (e.g. a malformed request) are logged without the address."""
    from gunicorn.config import Config

    config = Config()
    config.set("errorlog", "-")
    logger = PrivateLogger(config)
    logger.warning("Invalid request from ip=%s: %s", "198.51.100.23", "bad request line")
    logger.error("Error handling request from %s", "2001:db8:85a3::8a2e:370:7334")
    err = capsys.readouterr().err
    assert "198.51.100.23" not in err and "2001:db8:85a3" not in err
    assert "Invalid request from ip=[address]: bad request line" in err
    assert scrub("10.0.0.1 and ::1 fine") == "[address] and [address] fine"


def test_error_reports_carry_no_address_or_body():
    """Error reports sent to Sentry (when configured) contain no IP, cookies or request body."""
    event = {
        "request": {
            "data": "q=secret",
            "cookies": {"sessionid": "x"},
            "headers": {"X-Forwarded-For": "203.0.113.5", "Accept": "text/html"},
            "env": {"REMOTE_ADDR": "203.0.113.5"},
        },
        "user": {"ip_address": "203.0.113.5"},
    }
    scrubbed = scrub_sentry_event(event, None)
    assert "203.0.113.5" not in repr(scrubbed) and "secret" not in repr(scrubbed)
    assert scrubbed["request"]["headers"] == {"Accept": "text/html"}


def test_privacy_page_says_it_plainly(client):
    """Readers find a plain statement of what is (not) kept, linked from every page."""
    html = client.get("/privacy/").content.decode()
    for promise in ("No cookies", "No IP addresses", "No referrer", "Only to this site"):
        assert promise in html
    assert 'href="/privacy/"' in client.get("/").content.decode()
