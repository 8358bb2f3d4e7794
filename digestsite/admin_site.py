"""The admin site: two-factor sign-in for staff when DJANGO_REQUIRE_2FA is on.

With the setting on (the default in production) a staff member must present a code from a
registered device (TOTP app, or a one-time backup code) at sign-in; a session signed in with a
password alone reaches only the page where its owner enrols an authenticator app, and only
while they have none (digestsite/twofactor.py). The setting is read per request.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django_otp.admin import OTPAdminSite

from digestsite import twofactor


class DigestAdminSite(OTPAdminSite):
    site_header = "Digest CMS"
    site_title = "Digest CMS"
    index_title = "Newsroom"

    def __init__(self, name="admin"):
        AdminSite.__init__(self, name)

    @property
    def login_form(self):
        return twofactor.SignInForm if settings.REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.REQUIRE_2FA else None

    def has_permission(self, request):
        return twofactor.signed_in(request.user) and AdminSite.has_permission(self, request)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """Someone signed in with a password who has no authenticator yet is sent to set one
        up; everyone else signs in here."""
        user = request.user
        if request.method == "GET" and user.is_authenticated and not self.has_permission(request):
            if twofactor.may_enrol(user):
                return redirect("admin:two-factor")
        return super().login(request, extra_context)

    def two_factor(self, request):
        return twofactor.enrol_view(self, request)

    def get_urls(self):
        return [
            path("two-factor/", never_cache(self.two_factor), name="two-factor"),
            *super().get_urls(),
        ]
