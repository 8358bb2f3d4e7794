from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests"

    def ready(self):
        from digests import (
            moderation,
            signals,  # noqa: F401  (connects the save-time linking receivers)
        )
        from digestsite import cache, richtext

        cache.connect_signals(next_publication=self.get_model("Digest").objects.next_publication)
        richtext.strip_text_fields_on_save(self)
        # Topics (taggit's tags) are shown on digest pages and in their JSON-LD too.
        richtext.strip_text_fields_on_save(self.apps.get_app_config("taggit"))
        moderation.connect_signals()
        connect_public_pages()


def connect_public_pages() -> None:
    """Tell the registry which people and organizations readers can see (what published
    digests say: `public_entities`), for the addresses it keeps after a rename."""
    from digests.models import public_entities
    from people.models import Entity

    def has_public_page(entity) -> bool:
        return public_entities(type(entity).objects).filter(pk=entity.pk).exists()

    Entity.has_public_page = staticmethod(has_public_page)
