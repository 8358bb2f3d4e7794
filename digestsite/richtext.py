"""Sanitising of rich text from the editor.

Every rich-text value is passed through `sanitize_html` before it is stored, so stored HTML is
always safe to render. The allowlist is the editor's toolbar: paragraphs, subheadings (h4 only:
the digest page itself uses h1-h3, so deeper or shallower headings are turned into h4), bold and
italic, links (http, https, mailto), lists, quotes, figures with images and captions, tables.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p", "br", "h4", "strong", "b", "em", "i", "a", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "caption", "colgroup", "col",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
}
ALLOWED_CLASSES = {"figure": {"image", "table", "image-style-side"}}
URL_SCHEMES = {"http", "https", "mailto"}

_OTHER_HEADING = re.compile(r"<(/?)h[1-35-6](?=[\s/>])", re.IGNORECASE)


def sanitize_html(value: str) -> str:
    """Return `value` reduced to the allowlist; scripts, event handlers, styles and unsafe URLs
    never survive. Plain text comes back HTML-escaped. Idempotent."""
    if not value:
        return ""
    value = _OTHER_HEADING.sub(r"<\1h4", value)
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, for snippets, meta tags and search."""
    from html import unescape

    from django.utils.html import strip_tags

    text = re.sub(r"</(p|li|h4|blockquote|figcaption|tr)>|<br\s*/?>", "\n", value or "")
    return re.sub(r"[ \t]+", " ", unescape(strip_tags(text))).strip()
