"""Hostile input entered through the admin never becomes active content on a public page."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings

from digests.models import Digest, Status
from people.models import Organization, Person
from tests.factories import image_upload, make_digest
from tests.public_urls import PUBLIC_URLS
from tests.test_admin import digest_post, management

pytestmark = pytest.mark.django_db

VECTORS = [
    "<script>alert(1)</script>",
    '<img src=x alt="x" onerror="alert(2)">',
    '<a href="javascript:alert(3)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==">d</a>',
    '<svg onload="alert(5)"><script>alert(6)</script></svg>',
    '<p style="background:url(javascript:alert(7))">s</p>',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '"><script>alert(8)</script>',
    "<scr<script>ipt>alert(9)</script>",
    '<math><mtext><table><mglyph><style><img src=x alt="y" onerror="alert(10)">',
    '<form action="https://evil.example/"><button>go</button></form>',
    '<object data="https://evil.example/x.swf"></object>',
    '<img src="https://evil.example/pixel.png" alt="tracker">',
    '<img src="//evil.example/pixel.png" alt="tracker">',
]
PAYLOAD = " ".join(VECTORS)


class ActiveContent(HTMLParser):
    """Collects anything in a page that could run code or load from elsewhere."""

    DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "svg", "math", "style", "form", "base"}

    def __init__(self):
        super().__init__()
        self.found = []

    @staticmethod
    def site_markup(tag, attrs) -> bool:
        """The site's own markup, never made from input: GET forms to its own pages, the
        charts it draws (tests/test_charts.py), its JSON-LD data blocks and its own static
        scripts (the search box's suggestions)."""
        if tag == "form":
            action = attrs.get("action") or ""
            method = (attrs.get("method") or "get").lower()
            return action.startswith("/") and not action.startswith("//") and method == "get"
        if tag == "script" and attrs.get("type") == "application/ld+json":
            return True  # structured data, escaped so text cannot end it (tests/test_seo.py)
        if tag == "script":
            src = attrs.get("src") or ""
            return src.startswith(settings.STATIC_URL) and not src.startswith("//")
        return tag == "svg" and attrs.get("class") == "chart__svg"

    def handle_starttag(self, tag, attrs):
        if tag in self.DANGEROUS_TAGS and not self.site_markup(tag, dict(attrs)):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "formaction", "data"} and value.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.found.append(f"{tag}[{name}={value[:20]}]")
            if (tag, name) == ("img", "src") and not (
                value.startswith((settings.MEDIA_URL, settings.STATIC_URL))
                and not value.startswith("//")
            ):
                self.found.append(f"img[src={value[:30]}]")  # a request to another host


def feed_entries_as_html(content: bytes) -> list[str]:
    """The text of every description, summary and content of a feed: feed readers render it
    as HTML."""
    names = {"description", "summary", "content"}
    return [e.text or "" for e in ET.fromstring(content).iter() if e.tag.split("}")[-1] in names]


def test_xss_vectors_through_admin_never_reach_readers(staff_client):
    """Every classic XSS vector typed into every editable field is inert on every public page."""
    data = digest_post([(f"Section {PAYLOAD}"[:300], [f"<p>Body</p>{PAYLOAD}"])])
    data.update(
        title=f"Digest {PAYLOAD}"[:200],
        lead=f"Lead {PAYLOAD}",
        status=Status.PUBLISHED,
        **{
            "sections-0-items-0-title": f"Item {PAYLOAD}"[:300],
            "sections-0-items-0-caption": f"Caption {PAYLOAD}"[:500],
            "sections-0-items-0-credit": "Credit <script>alert(11)</script>",
            "sections-0-items-0-image": image_upload(),
            "sections-0-items-0-image_alt": '" onerror="alert(16)" x="',
            "sections-0-items-0-source_url": "javascript:alert(12)",
        },
    )
    response = staff_client.post("/admin/digests/digest/add/", data)
    # The javascript: source URL is refused with a message; fix it and save.
    assert response.status_code == 200 and "Enter a valid URL" in response.content.decode()
    data["sections-0-items-0-source_url"] = "https://example.org/story"
    data["sections-0-items-0-image"] = image_upload()
    saved = staff_client.post("/admin/digests/digest/add/", data)
    assert saved.status_code == 302, saved.context["errors"]
    person = {
        "name": "Pavel Latushka",
        "slug": "",
        "short_description": f"Role {PAYLOAD}"[:200],
        "bio": f"<p>Bio</p>{PAYLOAD}",
        "photo_alt": "",
        "public_profile": "on",
        **management("aliases", 1),
        "aliases-0-text": "Latushka <script>alert(13)</script>",
        **management("affiliations", 0),
        **management("links", 1),
        "links-0-title": "Site <script>alert(14)</script>",
        "links-0-url": "https://example.org/p",
        "links-0-order": "0",
    }
    assert staff_client.post("/admin/people/person/add/", person).status_code == 302
    organization = {
        "name": "Organization <b onmouseover=alert(15)>x</b>",
        "slug": "org",
        "kind": "ngo",
        "description": f"Description {PAYLOAD}",
        "website": "https://example.org/o",
        "logo_alt": "",
        "public_profile": "on",
        **management("aliases", 0),
        **management("affiliations", 0),
    }
    assert staff_client.post("/admin/people/organization/add/", organization).status_code == 302

    site = {
        "digest": Digest.objects.get(),
        "person": Person.objects.get(),
        "organization": Organization.objects.get(),
        "tag": "prisoners",
    }
    staff_client.logout()
    for name, url in PUBLIC_URLS.items():
        if name.startswith("digests:archive-"):
            continue  # the digest's own date decides these; the archive covers it
        response = staff_client.get(url(site))
        assert response.status_code == 200, name
        if response["Content-Type"].startswith("text/csv"):
            # A download, never rendered: it must be sent as one.
            assert response["Content-Disposition"].startswith("attachment"), name
            assert response["X-Content-Type-Options"] == "nosniff", name
            continue
        parser = ActiveContent()
        parser.feed(response.content.decode())
        if "feed" in name:
            for html in feed_entries_as_html(response.content):
                parser.feed(html)
        assert parser.found == [], (name, parser.found)


def test_deploy_check_is_clean_under_production_settings():
    """`manage.py check --deploy` reports nothing with production settings, even before
    collectstatic has run."""
    import os
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(50), DJANGO_ALLOWED_HOSTS="example.org")
    env["DJANGO_STATIC_ROOT"] = "/nonexistent-static-root"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_oversize_post_is_refused_clearly(staff_client, settings):
    """A post over the size limit is refused with a page saying why, and nothing is saved."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    data = digest_post([("Releases", ["<p>" + "x" * 5000 + "</p>"])])
    response = staff_client.post("/admin/digests/digest/add/", data)
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Digest.objects.exists()


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.implementation = None  # pick up the setting


def test_staff_sign_in_locks_after_repeated_failures(client, django_user_model, throttled):
    """After five wrong passwords the account is locked from that address with a clear
    message, even for the right password."""
    django_user_model.objects.create_superuser("chief2", "c@x.org", "right-password-1")
    for _ in range(5):
        response = client.post(
            "/admin/login/", {"username": "chief2", "password": "wrong", "next": "/admin/"}
        )
    response = client.post(
        "/admin/login/", {"username": "chief2", "password": "right-password-1", "next": "/admin/"}
    )
    assert response.status_code == 429
    assert "Sign-in temporarily locked" in response.content.decode()
    assert "locked for 30 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_successful_sign_in_resets_failures(client, django_user_model, throttled):
    """A few typos followed by the right password do not lock anyone out later."""
    django_user_model.objects.create_superuser("chief3", "c@x.org", "right-password-1")
    for _ in range(4):
        client.post("/admin/login/", {"username": "chief3", "password": "wrong"})
    response = client.post(
        "/admin/login/", {"username": "chief3", "password": "right-password-1", "next": "/admin/"}
    )
    assert response.status_code == 302


# Two-factor sign-in


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def sign_in(client, username, password, token="", device=None):
    """Sign in as the admin's login form does: the device is chosen, then its code entered."""
    return client.post(
        "/admin/login/?next=/admin/",
        {
            "username": username,
            "password": password,
            "otp_device": device.persistent_id if device else "",
            "otp_token": token,
            "next": "/admin/",
        },
    )


def test_password_alone_does_not_open_the_admin(client, django_user_model, require_2fa):
    """With two-factor sign-in required, a correct password without a code gets nowhere
    (without an authenticator yet, only to the page that sets one up: tests/test_two_factor.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_superuser("chief4", "c@x.org", "right-password-1")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = sign_in(client, "chief4", "right-password-1")
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302
    client.force_login(django_user_model.objects.get(username="chief4"))
    assert client.get("/admin/").status_code == 302  # a session without a verified device


def test_authenticator_code_opens_the_admin(client, django_user_model, require_2fa):
    """The code from the staff member's authenticator app completes sign-in."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = django_user_model.objects.create_superuser("chief5", "c@x.org", "right-password-1")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    assert sign_in(client, "chief5", "right-password-1", "000000", device).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # after a wrong code django-otp makes the device wait a moment
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert sign_in(client, "chief5", "right-password-1", code, device).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_backup_code_works_once(client, django_user_model, require_2fa):
    """A one-time backup code (manage.py addstatictoken) lets a staff member in once, e.g. to
    set up their authenticator app."""
    from io import StringIO

    from django.core.management import call_command
    from django_otp.plugins.otp_static.models import StaticDevice

    django_user_model.objects.create_superuser("chief6", "c@x.org", "right-password-1")
    out = StringIO()
    call_command("addstatictoken", "chief6", stdout=out)
    code = out.getvalue().strip()
    device = StaticDevice.objects.get(user__username="chief6")
    assert sign_in(client, "chief6", "right-password-1", code, device).status_code == 302
    client.logout()
    assert sign_in(client, "chief6", "right-password-1", code, device).status_code == 200


def test_two_factor_is_required_by_default_in_production():
    """Production settings require two-factor sign-in unless switched off explicitly."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org")
    code = "import digestsite.settings as s; print(s.REQUIRE_2FA)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "True", result.stderr


def failed_sign_in(client, username, forwarded_for, password="wrong"):  # noqa: S107
    """A sign-in as it reaches gunicorn through the reverse proxies."""
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded_for,
        HTTP_X_FORWARDED_PROTO="https",
        secure=True,
    )


@pytest.mark.parametrize(
    ("proxies", "forwarded"),
    [
        (0, "203.0.113.{n}"),  # gunicorn faces readers: the header is whatever they send
        (1, "203.0.113.{n}, 198.51.100.9"),  # nginx appends the attacker's address
        (2, "203.0.113.{n}, 198.51.100.9, 10.0.0.1"),  # terminator, then nginx
    ],
)
def test_forged_forwarded_addresses_do_not_dodge_lockout(
    client, django_user_model, throttled, settings, proxies, forwarded
):
    """An attacker who names a new address in every request is still locked out after five
    wrong passwords."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = proxies
    django_user_model.objects.create_superuser("chief5", "c@x.org", "right-password-1")
    for n in range(12):
        failed_sign_in(client, "chief5", forwarded.format(n=n))
    response = failed_sign_in(client, "chief5", forwarded.format(n=99), password="right-password-1")
    assert response.status_code == 429


def test_attacker_behind_the_same_proxies_cannot_lock_out_the_editor(
    client, django_user_model, throttled, settings
):
    """Five wrong passwords from an attacker do not lock the real editor out: behind the TLS
    terminator and nginx each is known by their own address."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = 2
    django_user_model.objects.create_superuser("chief6", "c@x.org", "right-password-1")
    for _ in range(6):
        failed_sign_in(client, "chief6", "198.51.100.9, 10.0.0.1")
    response = failed_sign_in(
        client, "chief6", "203.0.113.5, 10.0.0.1", password="right-password-1"
    )
    assert response.status_code == 302


def test_sign_in_attempts_keep_no_name_that_is_not_a_staff_account(
    client, django_user_model, throttled
):
    """A name typed into the sign-in form that belongs to no staff account is not stored."""
    from axes.models import AccessAttempt

    django_user_model.objects.create_user("reader1", "r@x.org", "right-password-1")
    for name in ("someone@example.org", "reader1"):
        client.post("/admin/login/", {"username": name, "password": "wrong"})
    usernames = set(AccessAttempt.objects.values_list("username", flat=True))
    assert "someone@example.org" not in usernames
    assert "reader1" not in usernames


def test_unknown_names_are_locked_out_like_staff_names(client, throttled):
    """Whether a name is a staff account cannot be found out from the lockout: unknown names
    are locked out after five failures too."""
    for n in range(5):
        client.post("/admin/login/", {"username": f"guess{n}", "password": "wrong"})
    response = client.post("/admin/login/", {"username": "guess9", "password": "wrong"})
    assert response.status_code == 429


# Malformed input


@pytest.mark.parametrize(
    "url",
    ["/metrics/?person=%00", "/search/?q=a%00b", "/people/?x%00=1", "/digests/?page=%00"],
)
def test_nul_in_a_public_address_is_a_clear_400(client, url):
    """A NUL byte in a reader's address gets a page saying the request was malformed, not a
    server error."""
    response = client.get(url)
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/digests/digest/?status=%00",
        "/admin/digests/digest/?q=%00",
        "/admin/people/person/?sensitive__exact=%00",
        "/admin/autocomplete/?term=%00&app_label=digests&model_name=digest&field_name=tags",
    ],
)
def test_nul_in_admin_filters_and_autocomplete_is_a_clear_400(staff_client, url):
    """A NUL byte in an admin filter or autocomplete search is refused with a message."""
    response = staff_client.get(url)
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()


def test_nul_in_a_posted_form_is_a_clear_400(staff_client):
    """A NUL byte in a submitted form is refused and nothing is saved."""
    data = digest_post([("Releases", ["<p>text</p>"])])
    data["title"] = "Bad\x00title"
    response = staff_client.post("/admin/digests/digest/add/", data)
    assert response.status_code == 400
    assert not Digest.objects.exists()


@pytest.mark.parametrize(
    ("selected", "status", "message"),
    [("", 200, "Items must be selected"), (["", "x"], 400, "selection is not valid")],
)
def test_changelist_action_with_empty_or_bad_selection_says_so(
    staff_client, selected, status, message
):
    """Running an admin action on an empty or garbled selection says what is wrong and changes
    nothing."""
    digest = make_digest(status=Status.DRAFT)
    response = staff_client.post(
        "/admin/digests/digest/",
        {"action": "publish", "_selected_action": selected, "index": "0"},
        follow=True,
    )
    assert response.status_code == status
    assert message in response.content.decode()
    digest.refresh_from_db()
    assert digest.status == Status.DRAFT


def test_post_over_the_size_limit_is_refused_even_with_files(staff_client, settings):
    """An upload bigger than the stated request limit is refused with a page that says so,
    whether the bytes are form fields or files."""
    import io
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    out = io.BytesIO()
    Image.frombytes("RGB", (60, 60), os.urandom(60 * 60 * 3)).save(out, format="PNG")
    assert len(out.getvalue()) > 4096
    photo = SimpleUploadedFile("noise.png", out.getvalue(), content_type="image/png")
    response = staff_client.post("/editor/upload/", {"upload": photo})
    assert response.status_code == 400
    assert "too large" in response.content.decode()


def test_every_response_sends_permissions_policy(client, staff_client):
    """Browsers are told the site never uses camera, microphone, location or FLoC, on public
    pages, the admin and errors alike."""
    for c, url in [(client, "/"), (client, "/no-such-page/"), (staff_client, "/admin/")]:
        policy = c.get(url)["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "interest-cohort=()"):
            assert feature in policy


def test_unsafe_next_after_sign_in_goes_to_the_admin(client, django_user_model, settings):
    """Signing in from a link with an off-site `next` lands staff in the admin, not on a 404."""
    django_user_model.objects.create_superuser("chief7", "c@x.org", "right-password-1")
    response = client.post(
        "/admin/login/",
        {"username": "chief7", "password": "right-password-1", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_static_files_send_permissions_policy(client, settings):
    """Stylesheets and icons are answered with the same Permissions-Policy as pages."""
    settings.WHITENOISE_USE_FINDERS = True  # serve from the source folders, as in production
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/digests/digest/abc/change/",
        "/admin/digests/digest/1x/change/",
        "/admin/digests/item/abc/change/",
        "/admin/digests/section/abc/change/",
        "/admin/digests/digest/abc/pending/",
        "/admin/digests/digest/99999999999999999999/change/",
        "/admin/digests/digest/99999999999999999999/pending/",
        "/admin/digests/digest/?date__year=99999999999999999999",
        "/admin/digests/digest/%00/history/",
    ],
)
def test_malformed_admin_addresses_are_never_server_errors(staff_client, url):
    """Staff who mistype or are sent a garbled admin address get a clear page, never a server
    error."""
    staff_client.raise_request_exception = False
    assert staff_client.get(url).status_code in {302, 400, 404}


@pytest.mark.parametrize("selection", ["²", "99999999999999999999"])
def test_odd_admin_selections_are_refused_clearly(staff_client, selection):
    """A selection that names no row is refused with a clear message, not a server error."""
    staff_client.raise_request_exception = False
    response = staff_client.post(
        "/admin/digests/digest/", {"action": "delete_selected", "_selected_action": [selection]}
    )
    assert response.status_code == 400


def test_a_cookie_with_a_nul_is_refused_not_a_server_error(client):
    """A reader whose browser sends a garbled session cookie gets a clear page, not an error."""
    client.raise_request_exception = False
    response = client.get("/", HTTP_COOKIE='sessionid="aaaaaaaaaa\\000bbbb"')
    assert response.status_code == 400
