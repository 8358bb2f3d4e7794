"""Sanitising of rich text from the editor.

Every rich-text value is passed through `sanitize_html` before it is stored, so stored HTML is
always safe to render. The allowlist is the editor's toolbar: paragraphs, subheadings (h4 only:
the digest page itself uses h1-h3, so deeper or shallower headings are turned into h4), bold and
italic, links (http, https, mailto), lists, quotes, figures with images and captions, tables.
Images are kept only from the site's own media (MEDIA_URL): one from another host would tell
that host who reads the page.
The result is also canonical: the same content as the editor re-serialises it (whitespace
between paragraphs, `&nbsp;` or U+00A0, `<br>` or `<br/>`) comes out byte-equal, so an
unchanged text is never recorded as a change.
"""

import posixpath
import re
from html import unescape
from urllib.parse import unquote, urlsplit

import nh3
from django import forms
from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save

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
# Tags at whose edges whitespace is never rendered: every allowed tag but the inline ones.
_BLOCK_TAGS = ALLOWED_TAGS - {"strong", "b", "em", "i", "a", "img"}
_TAG = re.compile(r"(<[^>]*>)")  # safe on nh3's output: it escapes < and > in text and attributes
_TAG_NAME = re.compile(r"</?([a-z0-9]+)")
_SPACES = re.compile(r"[ \t\n\r\f]+")
# On HTML written by nh3 (as _TAG): attribute values are double-quoted, with `"`, < and > escaped.
_IMAGE = re.compile(r"<img\s[^>]*>|<img>")
_SOURCE = re.compile(r'\ssrc="([^"]*)"')
# Characters XML 1.0 or HTML does not allow in text: the C0 controls but tab, line feed and
# carriage return; DEL and the C1 controls; lone surrogates (no UTF-8 text holds one, but a
# Python string can); the line and paragraph separators; Unicode's noncharacters (U+FDD0–FDEF
# and the last two code points of every plane).
_DISALLOWED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
    + "]"
)


def strip_disallowed_characters(value: str) -> str:
    """`value` without the characters XML and HTML do not allow (a vertical tab, ESC…):
    text with them breaks every feed that carries it."""
    return _DISALLOWED.sub("", value)


def strip_text_fields(sender, instance, **kwargs):
    """Before any save (form, inline, import, revision restore): drop the characters XML and
    HTML do not allow from every text field of `instance`."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, strip_disallowed_characters(value))


def strip_text_fields_on_save(app_config) -> None:
    """Connect `strip_text_fields` to every model of `app_config` (from its `ready()`)."""
    for model in app_config.get_models():
        pre_save.connect(
            strip_text_fields, sender=model, dispatch_uid=f"strip_text_fields.{model._meta.label}"
        )


def is_media_url(url: str) -> bool:
    """Whether `url` names a file of the site's own media (under MEDIA_URL, with no way out
    of it through `..`, a backslash or an encoded character): an image from anywhere else
    would tell that host who reads the page."""
    media = urlsplit(settings.MEDIA_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (media.scheme, media.netloc) or "\\" in url:
        return False
    path = unquote(parts.path)
    return (
        path.startswith(media.path)
        and path != media.path
        and posixpath.normpath(path).startswith(media.path)
        and path == parts.path  # nothing encoded, so what is checked is what is requested
    )


def drop_foreign_images(html: str) -> str:
    """`html` (as `sanitize_html` writes it, linked or not) without the images whose source is
    not the site's own media."""

    def media_only(image: re.Match) -> str:
        source = _SOURCE.search(image.group())
        return image.group() if source and is_media_url(unescape(source.group(1))) else ""

    return _IMAGE.sub(media_only, html)


def sanitize_html(value: str) -> str:
    """Return `value` reduced to the allowlist; scripts, event handlers, styles, unsafe URLs
    and images from anywhere but the site's own media never survive. Plain text comes back
    HTML-escaped. Idempotent, and canonical: values that render the same (differing only in
    whitespace a browser does not show, or in how entities and void tags are written) come
    back byte-equal."""
    if not value:
        return ""
    value = _OTHER_HEADING.sub(r"<\1h4", strip_disallowed_characters(value))
    clean = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _canonical_whitespace(drop_foreign_images(clean))


def _is_block_edge(tag: str | None) -> bool:
    """Whether whitespace beside `tag` is invisible: the start or end of the text, or a block
    tag (or `<br>`), where the browser drops it."""
    if tag is None:
        return True
    name = _TAG_NAME.match(tag)
    return bool(name) and name.group(1).lower() in _BLOCK_TAGS


def _canonical_whitespace(html: str) -> str:
    """Collapse runs of whitespace in text to one space and drop it at block edges, as the
    browser renders it and as the editor writes it (`<p>a</p><p>b</p>`)."""
    parts = _TAG.split(html)  # text, tag, text, tag, ..., text
    for i in range(0, len(parts), 2):
        text = _SPACES.sub(" ", parts[i])
        if _is_block_edge(parts[i - 1] if i else None):
            text = text.lstrip(" ")
        if _is_block_edge(parts[i + 1] if i + 1 < len(parts) else None):
            text = text.rstrip(" ")
        parts[i] = text
    return "".join(parts)


class RichTextFormField(forms.CharField):
    """A form field for rich text that counts as changed only when its content changed: the
    editor's re-serialisation of the stored HTML is not a change."""

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        return sanitize_html(initial or "") != sanitize_html(data or "")


def html_to_text(value: str) -> str:
    """Plain text of sanitised HTML, for snippets, meta tags and search."""
    from django.utils.html import strip_tags

    text = re.sub(r"</(p|li|h4|blockquote|figcaption|tr)>|<br\s*/?>", "\n", value or "")
    return re.sub(r"[ \t]+", " ", unescape(strip_tags(text))).strip()
