"""RSS and Atom feeds: new digests, and new mentions of one person or organization.

Feeds carry plain text (no links inside titles or descriptions) and no tracking parameters;
everything in them comes through `published()`.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from digests.models import Digest, Mention
from people.models import Organization, Person

FEED_LENGTH = 30


class DigestFeed(Feed):
    title = "News digests"
    description = "Dated digests of news about Belarus’s democratic movement."

    def link(self):
        return reverse("digests:archive")

    def items(self):
        return Digest.objects.published().order_by("-publish_at")[:FEED_LENGTH]

    def item_title(self, digest):
        return digest.title

    def item_description(self, digest):
        return digest.lead or digest.title

    def item_pubdate(self, digest):
        return digest.publish_at

    def item_updateddate(self, digest):
        return digest.updated_at


class DigestAtomFeed(DigestFeed):
    feed_type = Atom1Feed
    subtitle = DigestFeed.description


class EntityMentionFeed(Feed):
    """Every published item that names one person or organization, newest first."""

    model = None

    def get_object(self, request, slug):
        entity = self.model.objects.public().filter(slug=slug).first()
        if entity is None:
            raise Http404("No such page.")
        return entity

    def title(self, entity):
        return f"{entity.name} in the news digests"

    def link(self, entity):
        return entity.get_absolute_url()

    def description(self, entity):
        return f"Every published item that names {entity.name}."

    def items(self, entity):
        return (
            Mention.objects.published()
            .filter(**{entity._meta.model_name: entity})
            .select_related("item__section__digest")
            .order_by("-item__section__digest__publish_at", "item__section__order", "item__order")[
                :FEED_LENGTH
            ]
        )

    def item_title(self, mention):
        return f"{mention.item.section.digest.title}: {mention.item.section.title}"

    def item_description(self, mention):
        return mention.snippet

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
