"""Headers every API and export response carries."""

from functools import wraps

from django.utils.http import http_date


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
