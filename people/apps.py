from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "People and organizations"

    def ready(self):
        from digestsite import richtext

        richtext.strip_text_fields_on_save(self)
