"""Model fields shared by the apps: a URL field whose form reads an address typed without a
scheme as https."""

from django.db import models


class HttpsURLField(models.URLField):
    """A URLField whose form takes an address typed without a scheme as https://."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
