"""Every public URL pattern with a way to build a real URL for it from sample data.

`tests/test_reader_safety.py` fails when the project defines a public pattern that is missing
here, so every guarantee tested over this list covers new pages too.
"""

import datetime

from django.urls import URLPattern, URLResolver, get_resolver

from digests.models import Item, Mention, Status
from tests.factories import (
    make_digest,
    make_item,
    make_metric,
    make_organization,
    make_person,
    make_section,
)

# Paths that are not for readers: staff pages and uploads, the editor's endpoints.
NON_PUBLIC_PREFIXES = ("admin/", "editor/", "nested_admin/", "media/")


def public_pattern_names() -> set[str]:
    """Names ("namespace:name") of every URL pattern readers can reach."""
    names = set()

    def walk(patterns, prefix="", namespace=None):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if route.startswith(NON_PUBLIC_PREFIXES):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route, entry.namespace or namespace)
            elif isinstance(entry, URLPattern):
                names.add(f"{namespace}:{entry.name}" if namespace else str(entry.name))

    walk(get_resolver().url_patterns)
    return names


def sample_site():
    """A published digest naming a person and an organization, with outbound links and a
    figure; plus a draft and a scheduled digest that must never show."""
    person = make_person("Pavel Latushka")
    person.links.create(title="Website", url="https://example.org/latushka")
    organization = make_organization(
        "National Anti-Crisis Management", website="https://example.org/nam"
    )
    digest = make_digest(title="Public digest", date=datetime.date(2025, 12, 31))
    section = make_section(digest, title="Meetings")
    item = make_item(
        section,
        body='<p>Pavel Latushka of the National Anti-Crisis Management. <a href="https://'
        'news.example.com/story">Read more</a></p>',
        source_url="https://news.example.com/source",
    )
    digest.tags.add("political prisoners")
    figure = make_metric(digest, item=item, url="https://video.example.com/watch?v=1")
    figure.people.add(person)
    figure.organizations.add(organization)
    # Unpublished work: a draft, a scheduled digest and one published then taken back. Each
    # names a person who appears nowhere else, carries text and a figure of its own.
    secret = make_person("Secret Source")
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)
    unpublished = make_digest(title="Unpublished digest HIDDEN-3")
    unpublished.status, unpublished.publish_at = Status.DRAFT, None
    unpublished.save()
    for hidden in (
        make_digest(title="Draft digest HIDDEN-1", status=Status.DRAFT),
        make_digest(title="Scheduled digest HIDDEN-2", publish_at=future),
        unpublished,
    ):
        hidden.tags.add("hiddentag")
        hidden_item = make_item(
            make_section(hidden, title="Hidden section HIDDEN-SECTION"),
            body="<p>Secret Source and Pavel Latushka in HIDDEN-TEXT.</p>",
        )
        hidden_figure = make_metric(
            hidden, item=hidden_item, topic="HIDDEN-FIGURE topic", views=987654321
        )
        hidden_figure.people.add(person, secret)
        hidden_figure.organizations.add(organization)
    assert Mention.objects.filter(person=person).exists()
    return {
        "digest": digest,
        "person": person,
        "organization": organization,
        "secret": secret,
        "tag": "political-prisoners",
    }


# What unpublished digests carry: none of it may appear on any public page.
HIDDEN_MARKERS = [
    "HIDDEN-1", "HIDDEN-2", "HIDDEN-3", "HIDDEN-SECTION", "HIDDEN-TEXT", "HIDDEN-FIGURE",
    "987,654,321", "987654321", "Secret Source", "secret-source", "hiddentag",
]  # fmt: skip


PUBLIC_URLS = {
    "digests:home": lambda s: "/",
    "digests:archive": lambda s: "/digests/",
    "digests:archive-year": lambda s: "/digests/2025/",
    "digests:archive-month": lambda s: "/digests/2025/12/",
    "digests:digest-detail": lambda s: s["digest"].get_absolute_url(),
    "digests:privacy": lambda s: "/privacy/",
    "digests:search": lambda s: "/search/?q=Latushka",
    "digests:search-suggest": lambda s: "/search/suggest/?q=Latushka",
    "digests:metrics": lambda s: "/metrics/",
    "digests:tag-list": lambda s: "/tags/",
    "digests:tag": lambda s: f"/tags/{s['tag']}/",
    "people:person-list": lambda s: "/people/",
    "people:person-detail": lambda s: s["person"].get_absolute_url(),
    "people:organization-list": lambda s: "/organizations/",
    "people:organization-detail": lambda s: s["organization"].get_absolute_url(),
    "digests:feed-rss": lambda s: "/feeds/digests/",
    "digests:feed-atom": lambda s: "/feeds/digests/atom/",
    "digests:person-feed": lambda s: s["person"].get_absolute_url() + "feed/",
    "digests:organization-feed": lambda s: s["organization"].get_absolute_url() + "feed/",
    "digests:robots": lambda s: "/robots.txt",
    "sitemap": lambda s: "/sitemap.xml",
    # The open data API (api/): its documentation, description, routes and downloads.
    "api:docs": lambda s: "/api/",
    # django-ninja's own root pattern at the same address, shadowed by the documentation.
    "api:api-root": lambda s: "/api/",
    "api:openapi-json": lambda s: "/api/openapi.json",
    "api:digests": lambda s: "/api/digests/",
    "api:digest": lambda s: f"/api/digests/{s['digest'].slug}/",
    "api:items": lambda s: "/api/items/",
    "api:item": lambda s: f"/api/items/{first_item(s['digest']).anchor}/",
    "api:people": lambda s: "/api/people/",
    "api:person": lambda s: f"/api/people/{s['person'].slug}/",
    "api:organizations": lambda s: "/api/organizations/",
    "api:organization": lambda s: f"/api/organizations/{s['organization'].slug}/",
    "api:mentions": lambda s: f"/api/mentions/?person={s['person'].slug}",
    "api:figures": lambda s: f"/api/figures/?person={s['person'].slug}",
    "api:topics": lambda s: "/api/topics/",
    "api:person-mentions-export": lambda s: f"/api/export/people/{s['person'].slug}/mentions.csv",
    "api:organization-mentions-export": (
        lambda s: f"/api/export/organizations/{s['organization'].slug}/mentions.json"
    ),
    "api:figures-export": lambda s: f"/api/export/figures.csv?person={s['person'].slug}",
}


def first_item(digest):
    return Item.objects.filter(section__digest=digest).order_by("section__order", "order").first()


# Patterns readers reach that are not pages (checked for cookies and headers only).
REDIRECTS = {"favicon"}

# Probes for load balancers and container health checks, not pages (tests/test_health.py).
PROBES = {"healthz"}

# Pages that show a draft on purpose, to holders of a signed preview link; tested in
# tests/test_workflow.py and for reader safety in tests/test_reader_safety.py.
PREVIEWS = {"digests:preview"}
