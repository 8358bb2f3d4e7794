"""Two-factor sign-in for staff: the rule, the middleware that applies it outside the admin,
the sign-in form, and the page where staff enrol their own authenticator app.

The rule, `signed_in(user)`: with `REQUIRE_2FA` on, a session counts as signed in only once
its second factor was passed. The admin site asks it in `has_permission`; every other address
(staff preview of drafts, the editor's upload, anything added later) sees a session that
has not passed it as an anonymous reader.
"""

import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice


def signed_in(user) -> bool:
    """Whether this user's sign-in is complete: a password session without the setting; with
    `REQUIRE_2FA`, only a session verified by a confirmed device."""
    if not user.is_authenticated:
        return False
    return not settings.REQUIRE_2FA or user.is_verified()


def may_enrol(user) -> bool:
    """Active staff may add an authenticator once fully signed in, or, before they have any,
    with their password alone (the only page such a session reaches)."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return signed_in(user) or not user_has_device(user, confirmed=True)


class TwoFactorMiddleware:
    """Outside the admin, a session that has not passed the second factor is an anonymous
    reader. Goes after django-otp's OTPMiddleware; the user stays lazy, so that pages which
    never ask about the user do not touch the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_2FA and not request.path_info.startswith(reverse("admin:index")):
            user = request.user
            request.user = SimpleLazyObject(lambda: user if signed_in(user) else AnonymousUser())
        return self.get_response(request)


class SignInForm(OTPAdminAuthenticationForm):
    """The admin's sign-in with a code. Staff who have no authenticator yet sign in with their
    password alone and are taken to the enrolment page, the only one that session opens."""

    def clean_otp(self, user):
        if user is not None and not user_has_device(user, confirmed=True):
            return
        super().clean_otp(user)


class ConfirmDeviceForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("The six digits the app shows now."),
    )


def qr_svg(text: str) -> str:
    """The QR code for `text` as inline SVG markup: drawn in the page, never fetched."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def enrol_view(admin_site, request):
    """Add an authenticator app: scan the QR code (or type the key), then confirm with a
    code. A confirmed device verifies this session, so the admin opens at once."""
    if request.method == "POST" and "sign_out" in request.POST and request.user.is_authenticated:
        auth.logout(request)
        return redirect("admin:login")
    if not may_enrol(request.user):
        return redirect(f"{reverse('admin:login')}?next={request.path}")
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").last()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip().replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            otp_login(request, device)
            messages.success(request, gettext("Your authenticator app is set up. Sign in with it."))
            return redirect("admin:index")
        form.add_error(
            "token", gettext("That code is not right. Check the phone's clock and try again.")
        )
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        **admin_site.each_context(request),
        "title": gettext("Set up two-factor sign-in"),
        "form": form,
        "qr_code": qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "confirmed_devices": TOTPDevice.objects.filter(user=user, confirmed=True),
        "required": settings.REQUIRE_2FA,
        "signed_in": signed_in(user),
    }
    if not context["signed_in"]:
        # This session opens nothing else: no list of the admin's pages.
        context.update(available_apps=[], is_nav_sidebar_enabled=False)
    return TemplateResponse(request, "admin/two_factor.html", context)
