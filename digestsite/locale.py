"""The page's language comes from its address: `/be/…` Belarusian, `/ru/…` Russian, English at
the root. Never from a cookie or the Accept-Language header, so a page is the same for every
reader (and cacheable as one), and readers get no cookie. Staff may choose the admin's language;
it is kept in their session (`ADMIN_LANGUAGE_SESSION_KEY`).
"""

from django.conf import settings
from django.utils import translation

ADMIN_LANGUAGE_SESSION_KEY = "admin_language"
STAFF_PREFIXES = ("/admin/", "/editor/", "/nested_admin/")


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


class AddressLanguageMiddleware:
    """Activates the language of the address (Django's LocaleMiddleware would also read
    Accept-Language and mark unprefixed pages `Vary: Accept-Language`, which they are not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info)
        if language is None:
            language = settings.LANGUAGE_CODE
            if request.path_info.startswith(STAFF_PREFIXES) and request.user.is_staff:
                chosen = request.session.get(ADMIN_LANGUAGE_SESSION_KEY)
                if chosen in language_codes():
                    language = chosen
        request.LANGUAGE_CODE = language
        # Restored afterwards: nothing outside the request (a test, a command) inherits it.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
