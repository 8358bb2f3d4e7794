"""Two-factor sign-in covers every staff door, and staff enrol their own authenticator."""

import pytest
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from digests.models import PreviewLink, Status
from tests.factories import image_upload, make_digest, make_item, make_section
from tests.test_admin import digest_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def require_2fa(settings):
    settings.REQUIRE_2FA = True


def make_staff(django_user_model, username, role="Editor"):
    user = django_user_model.objects.create_user(username, password="right-password-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=role))
    return user


def code_for(device, later=0):
    """The code the app shows now, or `later` steps (30 seconds each) from now."""
    device.refresh_from_db()
    device.throttle_reset()
    drift = device.drift + later
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def sign_in(client, username, token="", device=None):
    return client.post(
        "/admin/login/?next=/admin/",
        {
            "username": username,
            "password": "right-password-1",
            "otp_device": device.persistent_id if device else "",
            "otp_token": token,
            "next": "/admin/",
        },
    )


def verified_session(client, user):
    """Signed in with password and a confirmed authenticator, as after a full sign-in."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def draft():
    digest = make_digest(status=Status.DRAFT, title="Secret draft")
    make_item(make_section(digest), body="<p>Not yet.</p>")
    return digest


# The doors: public addresses (staff preview), the editor's upload, the admin.


def test_password_only_session_reads_no_drafts(client, django_user_model, require_2fa, draft):
    """A session that skipped the second factor sees a draft's address as a reader does: 404."""
    user = make_staff(django_user_model, "ed1")
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_verified_staff_preview_drafts(client, django_user_model, require_2fa, draft):
    """Staff who passed the second factor preview drafts at their public address."""
    user = make_staff(django_user_model, "ed2")
    verified_session(client, user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Secret draft" in response.content.decode()


def test_password_only_session_cannot_upload(client, django_user_model, require_2fa):
    """The editor's image upload refuses a session that skipped the second factor."""
    user = make_staff(django_user_model, "ed3")
    client.force_login(user)
    response = client.post("/editor/upload/", {"upload": image_upload()})
    assert response.status_code == 403
    verified_session(client, user)
    response = client.post("/editor/upload/", {"upload": image_upload()})
    assert response.status_code == 200


def test_password_only_session_is_no_staff_at_staff_endpoints(
    client, django_user_model, require_2fa
):
    """Staff-only addresses outside /admin/ refuse a session that skipped the second factor."""
    user = make_staff(django_user_model, "ed3b")
    client.force_login(user)
    assert client.get("/nested_admin/server-data.js").status_code == 403
    verified_session(client, user)
    assert client.get("/nested_admin/server-data.js").status_code == 200


def test_password_only_session_reaches_no_admin_page(client, django_user_model, require_2fa):
    """Without the second factor every admin page sends the visitor to sign in."""
    user = make_staff(django_user_model, "ed4")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    for url in ["/admin/", "/admin/digests/digest/", "/admin/digests/digest/import/"]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_without_the_setting_staff_keep_every_door(client, django_user_model, draft):
    """With two-factor sign-in switched off, a password session works as before."""
    user = make_staff(django_user_model, "ed5")
    client.force_login(user)
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get("/admin/").status_code == 200


# Self-service enrolment


def test_staff_enrol_their_own_authenticator(client, django_user_model, require_2fa):
    """An editor without an authenticator signs in with a password, can reach only the
    enrolment page, scans the code, confirms it, and from then on signs in with the code."""
    user = make_staff(django_user_model, "ed6")
    assert sign_in(client, "ed6").status_code == 302
    assert client.get("/admin/", follow=True).redirect_chain[-1][0] == "/admin/two-factor/"
    assert client.get("/admin/digests/digest/").status_code == 302
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code, drawn in the page: no request elsewhere
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert page.context["secret"] in html  # for typing in when the camera cannot scan

    wrong = client.post("/admin/two-factor/", {"token": "000000"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    response = client.post("/admin/two-factor/", {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    client.logout()
    assert sign_in(client, "ed6").status_code == 200  # the password alone no longer does
    # A code is used once: the next one the app shows signs in.
    assert sign_in(client, "ed6", code_for(device, later=1), device).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_password_session_cannot_add_a_device_to_a_protected_account(
    client, django_user_model, require_2fa
):
    """Someone with only the password of an account that has an authenticator cannot enrol
    a second one: they are sent to sign in with the code."""
    user = make_staff(django_user_model, "ed7")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    response = client.get("/admin/two-factor/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.post("/admin/two-factor/", {"token": "123456"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_enrolment_page_is_for_staff_only(client, django_user_model, require_2fa):
    """Readers and signed-out visitors never reach the enrolment page."""
    assert client.get("/admin/two-factor/").status_code == 302
    reader = django_user_model.objects.create_user("reader", password="right-password-1")
    client.force_login(reader)
    assert client.get("/admin/two-factor/").status_code == 302
    assert not TOTPDevice.objects.exists()


def test_signed_in_staff_may_add_an_authenticator(client, django_user_model, require_2fa):
    """A verified staff member can add another authenticator (e.g. a new phone)."""
    user = make_staff(django_user_model, "ed8", role="Publisher")
    verified_session(client, user)
    response = client.get("/admin/two-factor/")
    assert response.status_code == 200
    assert "already" in response.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/admin/two-factor/", {"token": code_for(device)}).status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 2


def test_enrolment_page_can_sign_out(client, django_user_model, require_2fa):
    """Someone stopped at the enrolment page can sign out from it."""
    make_staff(django_user_model, "ed9")
    sign_in(client, "ed9")
    assert "Sign out" in client.get("/admin/two-factor/").content.decode()
    response = client.post("/admin/two-factor/", {"sign_out": "1"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# Preview links


@pytest.mark.parametrize("role", ["Editor", "Publisher"])
def test_editors_and_publishers_create_preview_links(client, django_user_model, role):
    """Editors and Publishers see the preview-link table on the digest form and add a link."""
    user = make_staff(django_user_model, f"pl-{role}", role=role)
    client.force_login(user)
    form = client.get("/admin/digests/digest/add/").content.decode()
    assert "preview_links-TOTAL_FORMS" in form
    data = digest_post([("Releases", ["<p>x</p>"])])
    data.update(
        {
            "preview_links-TOTAL_FORMS": "1",
            "preview_links-0-note": "legal review",
            "preview_links-0-expires_at_0": "2099-01-01",
            "preview_links-0-expires_at_1": "12:00:00",
        }
    )
    response = client.post("/admin/digests/digest/add/", data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert PreviewLink.objects.get().note == "legal review"


def test_password_only_session_sees_no_waiting_change(client, django_user_model, require_2fa):
    """`?pending=1` shows a change awaiting approval only to a session that passed the second
    factor; a password-only session reads the published page like any reader."""
    from digests.models import PendingChange
    from digests.moderation import snapshot

    digest = make_digest(title="Live", lead="Published lead")
    data = snapshot(digest.pk)
    next(r for r in data["objects"] if r["model"] == "digests.digest")["fields"]["lead"] = (
        "Waiting lead"
    )
    PendingChange.objects.create(digest=digest, data=data, base_updated_at=digest.updated_at)
    user = make_staff(django_user_model, "elena", role="Publisher")
    client.force_login(user)
    page = client.get(f"/digests/{digest.slug}/?pending=1").content.decode()
    assert "Waiting lead" not in page and "Published lead" in page
    verified_session(client, user)
    page = client.get(f"/digests/{digest.slug}/?pending=1").content.decode()
    assert "Waiting lead" in page
