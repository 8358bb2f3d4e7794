"""Site-wide response headers that Django's SecurityMiddleware does not set."""

import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy everywhere; public pages also get the
    strict referrer policy.

    Staff pages (the admin and the editor's upload endpoint) get a CSP that allows the inline
    styles CKEditor 5 sets, and keep `same-origin` referrers so that CSRF checks pass.
    """

    staff_prefixes = ("/admin/", "/editor/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        staff = request.path_info.startswith(self.staff_prefixes)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = (
                settings.ADMIN_CONTENT_SECURITY_POLICY
                if staff
                else settings.CONTENT_SECURITY_POLICY
            )
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if not staff:
            response["Referrer-Policy"] = settings.PUBLIC_REFERRER_POLICY
            if settings.ONION_LOCATION:
                # Tor Browser offers readers the onion address of the same page.
                response["Onion-Location"] = settings.ONION_LOCATION + request.get_full_path()
        return response


class RejectMalformedInputMiddleware:
    """Answers 400, with a page saying why, to requests no page can serve safely: a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE (files included: one limit for the whole request, as nginx's
    client_max_body_size), a NUL character in the query string or a submitted form value
    (PostgreSQL cannot store or compare it), or an admin action on a selection that names no
    valid row. Empty entries in an admin action's selection are dropped, so an empty selection
    gets the admin's own "Items must be selected" message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return self.refuse(
                request,
                gettext(
                    "The request is too large: at most %(size)s may be sent at once, images "
                    "included. Nothing was changed."
                )
                % {"size": filesizeformat(limit)},
            )
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items())
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return self.refuse(
                request,
                gettext(
                    "The address or form contains a NUL character, which is not allowed. "
                    "Nothing was changed."
                ),
            )
        if request.method == "POST" and "_selected_action" in request.POST:
            selected = [v for v in request.POST.getlist("_selected_action") if v.strip()]
            # Every model in the admin has whole-number ids (DEFAULT_AUTO_FIELD, 64 bits).
            if not all(is_row_id(v.strip()) for v in selected):
                return self.refuse(
                    request, gettext("The selection is not valid. Nothing was changed.")
                )
            post = request.POST.copy()
            post.setlist("_selected_action", selected)
            request.POST = post
        if any(_DATE_PART.search(k) and not _is_date_part(v) for k, v in request.GET.items()):
            return self.refuse(request, gettext("The date in the address is not valid."))
        return self.get_response(request)

    @staticmethod
    def refuse(request, message):
        return HttpResponseBadRequest(render_to_string("400.html", {"message": message}, request))


_DATE_PART = re.compile(r"__(year|month|day)$")


def is_row_id(value: str) -> bool:
    """A whole number a 64-bit id column can hold: ASCII digits, at most 18 of them."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def _is_date_part(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) <= 4


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
