"""The readers' addresses of the content app (under each language's prefix)."""

from django.urls import path, register_converter

from digests import digest_page, entity_pages, feeds, search, views


class TopicSlugConverter:
    """A topic's slug as django-taggit writes it: letters of any script (Belarusian and
    Russian topics keep theirs), digits, hyphens and underscores."""

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TopicSlugConverter, "topic")

app_name = "digests"

urlpatterns = [
    path("", views.home, name="home"),
    path("digests/", views.archive, name="archive"),
    path("digests/<int:year>/", views.archive, name="archive-year"),
    path("digests/<int:year>/<int:month>/", views.archive, name="archive-month"),
    path("digests/<slug:slug>/", digest_page.digest_detail, name="digest-detail"),
    path("privacy/", views.privacy, name="privacy"),
    path("search/", search.search, name="search"),
    path("search/suggest/", search.search_suggest, name="search-suggest"),
    path("metrics/", views.metrics, name="metrics"),
    path("tags/", views.tag_list, name="tag-list"),
    path("tags/<topic:slug>/", views.tag_detail, name="tag"),
    path("feeds/digests/", feeds.DigestFeed(), name="feed-rss"),
    path("feeds/digests/atom/", feeds.DigestAtomFeed(), name="feed-atom"),
    path(
        "people/<slug:slug>/feed/",
        entity_pages.entity_feed(feeds.PersonFeed(), "digests:person-feed"),
        name="person-feed",
    ),
    path(
        "organizations/<slug:slug>/feed/",
        entity_pages.entity_feed(feeds.OrganizationFeed(), "digests:organization-feed"),
        name="organization-feed",
    ),
    path("robots.txt", views.robots, name="robots"),
    path("preview/<str:token>/", digest_page.preview, name="preview"),
]
