"""The sitemap per language: published digests and the people and organizations with a public
page."""

from django.contrib.sitemaps import Sitemap

from digests.models import Digest, public_entities
from people.models import Organization, Person


class DigestSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        # The sitemap of the language of its address: /sitemap.xml, /be/sitemap.xml, …
        return Digest.objects.published().in_language().order_by("-date")

    def lastmod(self, digest):
        return digest.updated_at


class EntitySitemap(Sitemap):
    changefreq = "weekly"
    model = None

    def items(self):
        return public_entities(self.model.objects).order_by("name")

    def lastmod(self, entity):
        return entity.updated_at


class PersonSitemap(EntitySitemap):
    model = Person


class OrganizationSitemap(EntitySitemap):
    model = Organization


SITEMAPS = {"digests": DigestSitemap, "people": PersonSitemap, "organizations": OrganizationSitemap}
