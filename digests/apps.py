from django.apps import AppConfig


class DigestsConfig(AppConfig):
    name = "digests"
    verbose_name = "Digests"

    def ready(self):
        from digests import (
            mentions,  # noqa: F401  (connects the relinking receiver)
            moderation,
        )
        from digestsite import cache, richtext

        cache.connect_signals()
        richtext.strip_text_fields_on_save(self)
        moderation.connect_signals()
