"""Small helpers of the public pages: initials for a name without a portrait, and share links
that are plain links (no script or request of anyone else's until the reader follows one)."""

from urllib.parse import quote, urlencode

from django import template
from django.utils.translation import gettext as _

from digests.templatetags.seo import absolute_url, plain

register = template.Library()


@register.filter
def initials(name) -> str:
    """Up to two initials of a name: "Pavel Latushka" → "PL", "ICC" → "I"."""
    words = [w for w in str(name or "").replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "#"
    picked = words if len(words) <= 2 else [words[0], words[-1]]
    return "".join(w[0].upper() for w in picked)


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_links(context, title, path):
    """Links sharing `path` (a page address) by e-mail, Telegram, X and Facebook, and the
    address itself for the copy button (shown only where scripts run)."""
    url = absolute_url(context["request"], path)
    title = plain(title, 200)
    return {
        "url": url,
        "links": [
            (_("Email"), "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
            ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title})),
            ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
            ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ],
    }
