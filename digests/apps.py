"""The content app: connects the linking signals and the page cache's invalidation at start-up."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = _("Digests")

    def ready(self):
        from digests import (
            kept_parts,
            moderation,
            signals,  # noqa: F401  (connects the save-time linking receivers)
        )
        from digests.models import public_entities
        from digestsite import cache, richtext
        from people import public_pages

        cache.connect_signals(
            next_publication=self.get_model("Digest").objects.next_publication,
            scopes_of=kept_parts.scopes_of,
        )
        richtext.strip_text_fields_on_save(self)
        # Topics (taggit's tags) are shown on digest pages and in their JSON-LD too.
        richtext.strip_text_fields_on_save(self.apps.get_app_config("taggit"))
        moderation.connect_signals()
        # The registry's admin asks which entities have a public page: the mentions' rule.
        public_pages.set_rule(public_entities)
