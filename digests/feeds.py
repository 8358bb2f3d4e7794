"""RSS and Atom feeds: new digests, and new mentions of one person or organization.

Feeds carry plain text (no links inside titles or descriptions) and no tracking parameters;
everything in them comes through `published()`. Feed readers read descriptions as HTML (RSS
`<description>`, Atom `<summary type="html">`), so the plain text put there is HTML-escaped:
text that looks like markup shows as the characters it is. Characters XML cannot carry are
dropped from every value, also from text stored before they were refused at save.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from digests.models import Digest, Mention, public_entities
from digestsite.richtext import strip_disallowed_characters
from people.models import Organization, Person

FEED_LENGTH = 30


def _xml_text(value):
    return strip_disallowed_characters(value) if isinstance(value, str) else value


class _XMLTextMixin:
    """A feed generator that drops the characters XML does not allow from the feed's and
    every entry's text, so that one bad character never makes the whole feed fail."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_text, args), **{k: _xml_text(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_text, args), **{k: _xml_text(v) for k, v in kwargs.items()})


# The date of a feed with no entries (see `_ContentDatesMixin`).
EMPTY_FEED_DATE = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class _ContentDatesMixin:
    """The feed's date (`lastBuildDate` / `<updated>` and the Last-Modified header) is that of
    its newest entry; with no entry, a fixed date instead of Django's "now". The time a feed
    was rendered is the time of the last write to any content, drafts included (the page
    cache renders pages afresh after every write), which readers must not learn."""

    def latest_post_date(self):
        if not any(item.get("updateddate") or item.get("pubdate") for item in self.items):
            return EMPTY_FEED_DATE
        return super().latest_post_date()


class RssFeed(_ContentDatesMixin, _XMLTextMixin, Rss201rev2Feed):
    pass


class AtomFeed(_ContentDatesMixin, _XMLTextMixin, Atom1Feed):
    pass


class DigestFeed(Feed):
    """The newest published digests in the feed's language (/feeds/digests/ English,
    /be/feeds/digests/ Belarusian, /ru/feeds/digests/ Russian)."""

    feed_type = RssFeed
    title = _("News digests")
    description = _("Dated digests of news about Belarus’s democratic movement.")

    def link(self):
        return reverse("digests:archive")

    def items(self):
        return Digest.objects.published().in_language().order_by("-publish_at")[:FEED_LENGTH]

    def item_title(self, digest):
        return digest.title

    def item_description(self, digest):
        return escape(digest.lead or digest.title)

    def item_pubdate(self, digest):
        return digest.publish_at

    def item_updateddate(self, digest):
        return digest.updated_at


class DigestAtomFeed(DigestFeed):
    feed_type = AtomFeed
    subtitle = DigestFeed.description


class EntityMentionFeed(Feed):
    """Every published item that names one person or organization, newest first."""

    feed_type = RssFeed
    model = None

    def get_object(self, request, slug):
        entity = public_entities(self.model.objects).filter(slug=slug).first()
        if entity is None:
            raise Http404("No such page.")
        return entity

    def title(self, entity):
        return gettext("%(name)s in the news digests") % {"name": entity.local_name}

    def link(self, entity):
        return entity.get_absolute_url()

    def description(self, entity):
        return escape(
            gettext("Every published item that names %(name)s.") % {"name": entity.local_name}
        )

    def items(self, entity):
        return (
            Mention.objects.published()
            .filter(**{entity._meta.model_name: entity})
            .select_related("item__section__digest")
            .order_by("-digest__publish_at", "-digest_id", "item__section__order", "item__order")[
                :FEED_LENGTH
            ]
        )

    def item_title(self, mention):
        return f"{mention.item.section.digest.title}: {mention.item.section.title}"

    def item_description(self, mention):
        return escape(mention.snippet)

    def item_link(self, mention):
        return mention.item.get_absolute_url()

    def item_guid(self, mention):
        return f"mention-{mention.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, mention):
        return mention.item.section.digest.publish_at


class PersonFeed(EntityMentionFeed):
    model = Person


class OrganizationFeed(EntityMentionFeed):
    model = Organization
