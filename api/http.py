"""Headers every API and export response carries."""

from functools import wraps

from ninja import renderers


def open_data(view):
    """`Access-Control-Allow-Origin: *` (read-only public data, no cookies or credentials).

    No `Last-Modified`: the only date an answer could carry is when it was rendered, and the
    page cache renders answers afresh after every write, drafts and scheduled digests
    included, so that date would be a clock of the newsroom's unpublished work. Clients
    revalidate by the `ETag` (a hash of the body, set by the page cache), which changes only
    when the answer does."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
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
