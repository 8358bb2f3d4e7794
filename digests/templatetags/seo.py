"""Sharing and discovery tags: canonical address, Open Graph and Twitter card tags, and
schema.org structured data (JSON-LD).

Everything here reads objects the view has already loaded (prefetched aliases, links, tags):
no queries. Structured data is built as a dict and escaped so that no text can close the
script element.
"""

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from digestsite.images import Picture
from digestsite.jsontext import html_safe_json

register = template.Library()


def absolute_url(request, path: str) -> str:
    """`path` as an absolute address: on DJANGO_SITE_URL when set, else the request's host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:
        return path  # the 400 page of a request for a host this site does not serve


def canonical_url(request, path=None, page=None) -> str:
    """The page's one address: its path (or `path`), keeping only a page number past the
    first, never other query parameters."""
    url = absolute_url(request, path or request.path)
    number = getattr(page, "number", 1)
    return f"{url}?page={number}" if number > 1 else url


def plain(text, limit=200) -> str:
    """One line of plain text for a meta tag: no markup, whitespace collapsed, truncated."""
    return Truncator(" ".join(strip_tags(str(text or "")).split())).chars(limit)


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(
    context, title, description="", og_type="website", path=None, image=None, image_alt=""
):
    """Canonical link, Open Graph and Twitter card tags. `image` is a Picture or FieldFile."""
    request = context["request"]
    image_url = width = height = None
    if image:
        picture = isinstance(image, Picture)
        image_url = absolute_url(request, image.src if picture else image.url)
        if picture and image.current:
            width, height = image.width, image.height
    return {
        "canonical": canonical_url(request, path, context.get("page")),
        "title": plain(title, 300),
        "description": plain(description),
        "og_type": og_type,
        "site_name": settings.SITE_NAME,
        "image_url": image_url,
        "image_width": width,
        "image_height": height,
        "image_alt": plain(image_alt, 300),
    }


def json_ld(data: dict) -> str:
    """A `<script type="application/ld+json">` element holding `data`, safely escaped."""
    text = html_safe_json(data)  # text can never end the element or open a comment
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _publisher(request) -> dict:
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute_url(request, reverse("digests:home")),
        "logo": {"@type": "ImageObject", "url": absolute_url(request, static("favicon.svg"))},
    }


@register.simple_tag(takes_context=True)
def digest_json_ld(context, digest, tags):
    """NewsArticle data for a published digest, with its topics (`tags`)."""
    request = context["request"]
    url = absolute_url(request, digest.get_absolute_url())
    modified = max(digest.updated_at, digest.publish_at) if digest.publish_at else None
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": plain(digest.title, 110),
        "description": plain(digest.lead or digest.title),
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": digest.publish_at,
        "dateModified": modified,
        "inLanguage": "en",
        "author": _publisher(request),
        "publisher": _publisher(request),
    }
    if digest.cover_image:
        data["image"] = [absolute_url(request, digest.cover_picture.src)]
    keywords = [tag.name for tag in tags]
    if keywords:
        data["keywords"] = keywords
    return json_ld(data)


def _https(urls) -> list[str]:
    return [url for url in urls if url and url.startswith("https://")]


def _entity_json_ld(request, entity, schema_type, description, image_field, image) -> dict:
    """What Person and Organization data share: name, address, other names, text, picture."""
    data = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "name": entity.name,
        "url": absolute_url(request, entity.get_absolute_url()),
    }
    if entity.other_names:
        data["alternateName"] = entity.other_names
    if description:
        data["description"] = plain(description)
    if image:
        data[image_field] = absolute_url(request, image.url)
    return data


@register.simple_tag(takes_context=True)
def person_json_ld(context, person):
    """Person data (prefetched `aliases`, `links` and public `affiliations`)."""
    request = context["request"]
    data = _entity_json_ld(
        request, person, "Person", person.short_description, "image", person.photo
    )
    same_as = _https(link.url for link in person.links.all())
    if same_as:
        data["sameAs"] = same_as
    affiliations = [
        {
            "@type": "Organization",
            "name": a.organization.name,
            "url": absolute_url(request, a.organization.get_absolute_url()),
        }
        for a in person.affiliations.all()
    ]
    if affiliations:
        data["affiliation"] = affiliations
    return json_ld(data)


@register.simple_tag(takes_context=True)
def organization_json_ld(context, organization):
    """Organization data (prefetched `aliases`)."""
    data = _entity_json_ld(
        context["request"],
        organization,
        "Organization",
        organization.description,
        "logo",
        organization.logo,
    )
    same_as = _https([organization.website])
    if same_as:
        data["sameAs"] = same_as
    return json_ld(data)


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """WebSite data for the home page."""
    request = context["request"]
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": settings.SITE_NAME,
            "url": absolute_url(request, reverse("digests:home")),
            "publisher": _publisher(request),
        }
    )
