"""The admin site: two-factor sign-in for staff when DJANGO_REQUIRE_2FA is on.

With the setting on (the default in production) a staff member must present a code from a
registered device (TOTP app, or a one-time backup code) at sign-in; a session signed in with a
password alone does not reach the admin. The setting is read per request.
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class DigestAdminSite(OTPAdminSite):
    site_header = "Digest CMS"
    site_title = "Digest CMS"
    index_title = "Newsroom"

    def __init__(self, name="admin"):
        AdminSite.__init__(self, name)

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.REQUIRE_2FA else AdminAuthenticationForm

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.REQUIRE_2FA else None

    def has_permission(self, request):
        if settings.REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
