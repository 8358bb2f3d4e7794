"""Rows as the API answers them: plain dicts that `api.schemas` describes. Addresses are
absolute, so that a row copied elsewhere still leads back to the page it came from."""

from django.urls import reverse

from digests.models import Platform


class Addresses:
    """Absolute addresses for one request (scheme and host as the client used them)."""

    def __init__(self, request):
        self.base = request.build_absolute_uri("/").removesuffix("/")

    def __call__(self, path: str) -> str:
        return self.base + path

    def api(self, name: str, **kwargs) -> str:
        return self.base + reverse(f"api:{name}", kwargs=kwargs)


def topic(tag, urls) -> dict:
    return {
        "slug": tag.slug,
        "name": tag.name,
        "url": urls(reverse("digests:tag", args=[tag.slug])),
    }


def entity(obj, urls) -> dict:
    kind = obj._meta.model_name
    return {
        "kind": kind,
        "slug": obj.slug,
        "name": obj.name,
        "url": urls(obj.get_absolute_url()),
        "api_url": urls.api("person" if kind == "person" else "organization", slug=obj.slug),
    }


def digest_ref(digest, urls) -> dict:
    return {
        "slug": digest.slug,
        "title": digest.title,
        "date": digest.date,
        "url": urls(digest.get_absolute_url()),
        "api_url": urls.api("digest", slug=digest.slug),
    }


def digest(digest, urls) -> dict:
    return {
        **digest_ref(digest, urls),
        "published_at": digest.publish_at,
        "lead": digest.lead,
        "topics": [topic(t, urls) for t in digest.tags.all()],
    }


def item(item, urls, *, digest_url: str) -> dict:
    picture = item.picture
    return {
        "anchor": item.anchor,
        "url": f"{digest_url}#{item.anchor}",
        "api_url": urls.api("item", anchor=item.anchor),
        "title": item.title,
        "title_html": item.title_html,
        "body_html": item.body_html,
        "text": item.search_text,
        "caption": item.caption,
        "credit": item.credit,
        "image": {"url": urls(picture.src), "alt": item.image_alt} if picture else None,
        "source_url": item.source_url,
        "topics": [topic(t, urls) for t in item.tags.all()],
        "mentions": [
            {"entity": entity(m.entity, urls), "occurrences": m.occurrences, "sentence": m.snippet}
            for m in item.public_mentions
        ],
    }


def item_in_digest(obj, urls) -> dict:
    section = obj.section
    digest_url = urls(section.digest.get_absolute_url())
    return {
        **item(obj, urls, digest_url=digest_url),
        "digest": digest_ref(section.digest, urls),
        "section": section.title,
        "section_anchor": section.anchor,
    }


def figure(metric, urls) -> dict:
    digest_url = urls(metric.digest.get_absolute_url())
    return {
        "platform": metric.platform,
        "platform_label": str(Platform(metric.platform).label),
        "views": metric.views,
        "topic": metric.topic,
        "post_url": metric.url,
        "period_start": metric.period_start,
        "period_end": metric.period_end,
        "whole_year": metric.is_whole_year,
        "digest": digest_ref(metric.digest, urls),
        "item_url": f"{digest_url}#{metric.item.anchor}" if metric.item_id else None,
        "people": [entity(p, urls) for p in metric.people.all()],
        "organizations": [entity(o, urls) for o in metric.organizations.all()],
    }


def digest_detail(obj, urls) -> dict:
    digest_url = urls(obj.get_absolute_url())
    return {
        **digest(obj, urls),
        "lead_html": obj.lead_html,
        "sections": [
            {
                "title": section.title,
                "anchor": section.anchor,
                "url": f"{digest_url}#{section.anchor}",
                "items": [item(i, urls, digest_url=digest_url) for i in section.items.all()],
            }
            for section in obj.sections.all()
        ],
        "figures": [figure(f, urls) for f in obj.figures],
    }


def mention(obj, urls) -> dict:
    section = obj.item.section
    digest_url = urls(section.digest.get_absolute_url())
    return {
        "entity": entity(obj.entity, urls),
        "digest": digest_ref(section.digest, urls),
        "section": section.title,
        "item_anchor": obj.item.anchor,
        "item_url": f"{digest_url}#{obj.item.anchor}",
        "occurrences": obj.occurrences,
        "sentence": obj.snippet,
    }


def exports(obj, urls) -> dict:
    kind = obj._meta.model_name
    figures = urls.api("figures-export", fmt="csv")
    figures_json = urls.api("figures-export", fmt="json")
    return {
        "mentions_csv": urls.api(f"{kind}-mentions-export", slug=obj.slug, fmt="csv"),
        "mentions_json": urls.api(f"{kind}-mentions-export", slug=obj.slug, fmt="json"),
        "figures_csv": f"{figures}?{kind}={obj.slug}",
        "figures_json": f"{figures_json}?{kind}={obj.slug}",
    }


def person(obj, urls) -> dict:
    return {
        "slug": obj.slug,
        "name": obj.name,
        "short_description": obj.short_description,
        "url": urls(obj.get_absolute_url()),
        "api_url": urls.api("person", slug=obj.slug),
    }


def affiliation_dates(a) -> dict:
    return {"role": a.role, "start_date": a.start_date, "end_date": a.end_date}


def person_detail(obj, urls) -> dict:
    return {
        **person(obj, urls),
        "other_names": obj.other_names,
        "bio_html": obj.bio,
        "links": [{"title": link.title, "url": link.url} for link in obj.links.all()],
        "affiliations": [
            {"organization": entity(a.organization, urls), **affiliation_dates(a)}
            for a in obj.affiliations.all()
        ],
        "exports": exports(obj, urls),
    }


def organization(obj, urls) -> dict:
    return {
        "slug": obj.slug,
        "name": obj.name,
        "kind": obj.kind,
        "kind_label": str(obj.get_kind_display()),
        "url": urls(obj.get_absolute_url()),
        "api_url": urls.api("organization", slug=obj.slug),
    }


def organization_detail(obj, parent, parts, urls) -> dict:
    """`obj` with its `parent` and `parts` readers may see (`digests.models.public_family`)."""
    return {
        **organization(obj, urls),
        "other_names": obj.other_names,
        "description": obj.description,
        "website": obj.website,
        "parent": entity(parent, urls) if parent else None,
        "children": [entity(c, urls) for c in parts],
        "affiliations": [
            {"person": entity(a.person, urls), **affiliation_dates(a)}
            for a in obj.affiliations.all()
        ],
        "exports": exports(obj, urls),
    }
