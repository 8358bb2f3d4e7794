"""Site-wide response headers that Django's SecurityMiddleware does not set."""

from django.conf import settings


class SecurityHeadersMiddleware:
    """Content-Security-Policy everywhere; public pages also get the strict referrer policy.

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
        if not staff:
            response["Referrer-Policy"] = settings.PUBLIC_REFERRER_POLICY
            if settings.ONION_LOCATION:
                # Tor Browser offers readers the onion address of the same page.
                response["Onion-Location"] = settings.ONION_LOCATION + request.get_full_path()
        return response
