"""Who belongs to which organization, in which role and when."""

import reversion
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


@reversion.register()
class Affiliation(models.Model):
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organization"),
    )
    role = models.CharField(
        max_length=200, blank=True, help_text=_("e.g. Head, Deputy Head"), verbose_name=_("role")
    )
    start_date = models.DateField(null=True, blank=True, verbose_name=_("start date"))
    end_date = models.DateField(
        null=True, blank=True, help_text=_("Empty while it lasts."), verbose_name=_("end date")
    )

    class Meta:
        ordering = ["-start_date", "pk"]
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_ends_after_start",
                violation_error_message=_("An affiliation cannot end before it starts."),
            ),
        ]

    def __str__(self):
        role = f" ({self.role})" if self.role else ""
        return f"{self.person} – {self.organization}{role}"
