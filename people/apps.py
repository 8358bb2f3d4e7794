"""The registry app: people and organizations and the names they are known by."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and organizations")

    def ready(self):
        from digestsite import richtext

        richtext.strip_text_fields_on_save(self)
