"""The language switcher and `hreflang` alternates: the same page in the other languages.

A digest's page offers its published versions in other languages (`versions` in the context,
one query in the view) and, where a language has none, that language's home. Every other page
exists in every language at the same address under the other prefix; a topic's page, whose
digests differ per language, offers the other languages' topic lists.
"""

from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language, override

from digests.templatetags.seo import absolute_url

register = template.Library()

# Pages whose content differs per language: the other languages get this page instead.
OTHER_LANGUAGE_PAGE = {"digests:tag": "digests:tag-list"}


def _home(code: str) -> str:
    with override(code):
        return reverse("digests:home")


def _same_page(request, code: str) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return _home(code)
    with override(code):
        if match.view_name in OTHER_LANGUAGE_PAGE:
            return reverse(OTHER_LANGUAGE_PAGE[match.view_name])
        return reverse(match.view_name, args=match.args, kwargs=match.kwargs)


def _versions(context) -> list[dict]:
    """Each language with the address of this page in it; `exists` is False where only that
    language's home could be offered (a digest without a version in it). An error page (its
    context has Django's `exception`) offers the homes: the address asked for is not a page,
    and is never written back into this one. Worked out once per page (the switcher and the
    alternates both ask)."""
    rows = context.render_context.get(_ROWS)
    if rows is None:
        rows = context.render_context[_ROWS] = _language_rows(context)
    return rows


_ROWS = "languages:rows"


def _language_rows(context) -> list[dict]:
    request = context.get("request")
    current = get_language()
    digest = context.get("digest")
    by_language = None
    if digest is not None and "versions" in context:
        by_language = {v.language: v.get_absolute_url() for v in context["versions"]}
        by_language[digest.language] = digest.get_absolute_url()
    rows = []
    for code, name in settings.LANGUAGES:
        if by_language is not None:
            url, exists = by_language.get(code), code in by_language
            url = url or _home(code)
        elif request is not None and "exception" not in context:
            url, exists = _same_page(request, code), True
        else:
            url, exists = _home(code), True
        rows.append(
            {"code": code, "name": name, "url": url, "exists": exists, "current": code == current}
        )
    return rows


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    return {"languages": _versions(context)}


@register.inclusion_tag("includes/hreflang.html", takes_context=True)
def hreflang_links(context):
    """`<link rel="alternate" hreflang>` for every language this page exists in (none on a
    page that is not for readers to find: drafts, previews, errors)."""
    request = context.get("request")
    if request is None or context.get("noindex"):
        return {"links": []}
    links = [
        {"code": row["code"], "url": absolute_url(request, row["url"])}
        for row in _versions(context)
        if row["exists"]
    ]
    if len(links) < 2:
        return {"links": []}
    default = next((link for link in links if link["code"] == settings.LANGUAGE_CODE), None)
    return {"links": links, "default": default}
