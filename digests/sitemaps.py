from django.contrib.sitemaps import Sitemap

from digests.models import Digest, public_entities
from people.models import Organization, Person


class DigestSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Digest.objects.published().order_by("-date")

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
