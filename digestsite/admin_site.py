"""The admin site: the newsroom's work first, and two-factor sign-in for staff when
DJANGO_REQUIRE_2FA is on.

With the setting on (the default in production) a staff member must present a code from a
registered device (TOTP app, or a one-time backup code) at sign-in; a session signed in with a
password alone reaches only the page where its owner enrols an authenticator app, and only
while they have none (digestsite/twofactor.py). The setting is read per request.

The index lists the newsroom's work in the order below; the technical apps are shown to
superusers only, apart. Like the root URLconf, this is where the admin is composed, so it
names apps by label.
"""

import zoneinfo

from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp.admin import OTPAdminSite

from digestsite import locale, twofactor

# The newsroom's work, in the order of the index: ((key, heading), app label, models by object
# name).
# Models of these apps not named here join the first group of their app.
NEWSROOM = [
    (("digests", _("Digests")), "digests", ["Digest", "Section", "Item"]),
    (
        ("people-and-organizations", _("People and organizations")),
        "people",
        ["Person", "Organization", "Affiliation"],
    ),
    (("figures", _("Figures")), "digests", ["SocialMetric"]),
]
# (label, URL name, the permissions its page asks for)
IMPORTS = [
    (
        _("A digest exported from the old site builder"),
        "digests_digest_import",
        ["digests.add_digest"],
    ),
    (
        _("People and organizations from CSV"),
        "people_person_import",
        ["people.add_person", "people.add_organization"],
    ),
]
# Shown to superusers only, after everything else; some under a plainer name.
TECHNICAL_APPS = {"auth", "axes", "otp_totp", "otp_static", "taggit", "reversion"}
TECHNICAL_NAMES = {
    "otp_totp": _("Two-factor: authenticator apps"),
    "otp_static": _("Two-factor: backup codes"),
    "taggit": _("Topics (tags)"),
    "axes": _("Sign-in attempts and lockouts"),
}


class DigestAdminSite(OTPAdminSite):
    site_header = "Digest CMS"
    site_title = "Digest CMS"
    index_title = _("Newsroom")
    index_template = "admin/newsroom_index.html"

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

    def language(self, request):
        """Staff choose the admin's language (POST); kept in their session, also on the
        enrolment page before their second factor is set up. Readers' pages take theirs from
        the address only."""
        allowed = self.has_permission(request) or twofactor.may_enrol(request.user)
        if request.method != "POST" or not allowed:
            return redirect("admin:index")
        chosen = request.POST.get("language")
        if chosen in locale.language_codes():
            request.session[locale.ADMIN_LANGUAGE_SESSION_KEY] = chosen
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ) or not back.startswith(reverse("admin:index")):
            back = reverse("admin:index")
        return redirect(back)

    def get_urls(self):
        return [
            path("two-factor/", never_cache(self.two_factor), name="two-factor"),
            path("language/", never_cache(self.language), name="language"),
            *super().get_urls(),
        ]

    def each_context(self, request):
        context = super().each_context(request)
        context["site_time_zone"] = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        context["admin_languages"] = settings.LANGUAGES
        return context

    def get_app_list(self, request, app_label=None):
        """The newsroom's work first (digests, people and organizations, figures, imports);
        the technical apps after it, for superusers only. An app's own page is unchanged."""
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps
        models = {}
        for app in apps:
            for model in app["models"]:
                models[(app["app_label"], model["object_name"])] = model
        work = []
        for heading, label, names in NEWSROOM:
            chosen = [models.pop((label, name)) for name in names if (label, name) in models]
            if not chosen:
                continue
            # The first group of an app leads to the app's page, a later one to its first list.
            first = not any(group["real_app_label"] == label for group in work)
            url = (
                reverse("admin:app_list", kwargs={"app_label": label}, current_app=self.name)
                if first
                else chosen[0]["admin_url"]
            )
            work.append(
                {
                    "name": heading[1],
                    # The same in every language: the page's anchors and classes use it.
                    "app_label": heading[0],
                    "real_app_label": label,
                    "app_url": url,
                    "has_module_perms": True,
                    "models": chosen,
                    "section": "work",
                }
            )
        for app in apps:
            label = app["app_label"]
            if label in TECHNICAL_APPS:
                continue
            rest = [m for m in app["models"] if (label, m["object_name"]) in models]
            if not rest:
                continue
            first = next((g for g in work if g.get("real_app_label") == label), None)
            if first is None:
                work.append({**app, "models": rest, "real_app_label": label, "section": "work"})
            else:
                first["models"].extend(rest)
        imports = self._imports(request)
        if imports:
            work.append(imports)
        if request.user.is_superuser:
            work += [
                {
                    **app,
                    "name": TECHNICAL_NAMES.get(app["app_label"], app["name"]),
                    "section": "technical",
                }
                for app in apps
                if app["app_label"] in TECHNICAL_APPS
            ]
        return work

    def _imports(self, request):
        rows = []
        for name, url_name, permissions in IMPORTS:
            if not request.user.has_perms(permissions):
                continue
            try:
                url = reverse(f"admin:{url_name}", current_app=self.name)
            except NoReverseMatch:
                continue
            rows.append(
                {
                    "name": name,
                    "object_name": url_name,
                    "admin_url": url,
                    "add_url": None,
                    "view_only": True,
                }
            )
        if not rows:
            return None
        return {
            "name": _("Import"),
            "app_label": "import",
            "app_url": rows[0]["admin_url"],
            "has_module_perms": True,
            "models": rows,
            "section": "import",
        }

    def index(self, request, extra_context=None):
        apps = self.get_app_list(request)
        context = {
            "app_list": [a for a in apps if a.get("section") == "work"],
            "import_apps": [a for a in apps if a.get("section") == "import"],
            "technical_apps": [a for a in apps if a.get("section") == "technical"],
            **(extra_context or {}),
        }
        return super().index(request, context)
