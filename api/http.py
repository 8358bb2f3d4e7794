"""Headers every API and export response carries."""

from functools import wraps

from django.utils.http import http_date
from ninja import renderers


def open_data(view):
    """`Last-Modified` (when the answer was read from the database: the page cache keeps it
    until the content changes, so a client's If-Modified-Since gets a 304 until then) and
    `Access-Control-Allow-Origin: *` (read-only public data, no cookies or credentials)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapped


# "<", ">" and "&" written as \u escapes: the same JSON to every parser, and never markup to
# anything that would mistake it for HTML (as Django's json_script does).
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def html_safe_json(text: str) -> str:
    return text.translate(_HTML_SAFE)


class JSONRenderer(renderers.JSONRenderer):
    """django-ninja's JSON, with markup characters escaped (see `html_safe_json`)."""

    def render(self, request, data, *, response_status):
        return html_safe_json(super().render(request, data, response_status=response_status))
