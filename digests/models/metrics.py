"""Social-media figures a digest reports (views of a post or topic over a period)."""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from digests.models.content import Item
from digests.models.digest import Digest, published_q
from digestsite.fields import HttpsURLField
from people.models import Organization, Person


class Platform(models.TextChoices):
    X = "x", _("X (Twitter)")
    YOUTUBE = "youtube", _("YouTube")
    YOUTUBE_SHORTS = "youtube_shorts", _("YouTube Shorts")
    TIKTOK = "tiktok", _("TikTok")
    INSTAGRAM = "instagram", _("Instagram")
    FACEBOOK = "facebook", _("Facebook")
    TELEGRAM = "telegram", _("Telegram")
    OTHER = "other", _("Other")


def is_whole_year(start, end) -> bool:
    """A period from 1 January to 31 December of one year: its figure is a yearly total."""
    return (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and (
        start.year == end.year
    )


_WHOLE_YEAR = Q(
    period_start__month=1,
    period_start__day=1,
    period_end__month=12,
    period_end__day=31,
    period_start__year=models.F("period_end__year"),
)


class SocialMetricQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Figures reported in published digests only."""
        return self.filter(published_q("digest__", now=now))

    def whole_year(self):
        """Yearly totals: figures whose period is one whole calendar year."""
        return self.filter(_WHOLE_YEAR)

    def dated(self):
        """Every figure but the yearly totals: what charts over time may place at a date."""
        return self.exclude(_WHOLE_YEAR)

    def marked_yearly(self):
        """Every figure with `yearly`: whether it is a yearly total (as `whole_year()` tells),
        so that one pass over the figures can keep the yearly totals apart."""
        return self.annotate(
            yearly=models.ExpressionWrapper(_WHOLE_YEAR, output_field=models.BooleanField())
        )


@reversion.register()
class SocialMetric(models.Model):
    """Views of one post or topic on one platform over a period, as a digest reports them."""

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("digest")
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
        help_text=_("The item that reports this figure, if any."),
        verbose_name=_("item"),
    )
    platform = models.CharField(max_length=20, choices=Platform.choices, verbose_name=_("platform"))
    views = models.PositiveBigIntegerField(
        help_text=_("A whole number: 2M is 2000000."), verbose_name=_("views")
    )
    topic = models.CharField(
        max_length=500, help_text=_("What the post was about."), verbose_name=_("topic")
    )
    topic_html = models.TextField(blank=True, editable=False)
    url = HttpsURLField(
        max_length=500,
        blank=True,
        help_text=_("The post itself, if public."),
        verbose_name=_("post"),
    )
    period_start = models.DateField(
        blank=True,
        help_text=_("First day the figure covers. Empty: the digest's date."),
        verbose_name=_("period start"),
    )
    period_end = models.DateField(
        blank=True,
        help_text=_("Last day the figure covers. Empty: the same as the first day."),
        verbose_name=_("period end"),
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="social_metrics", verbose_name=_("people")
    )
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="social_metrics", verbose_name=_("organizations")
    )

    objects = SocialMetricQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-views", "pk"]
        indexes = [
            # The most viewed posts (the figures page) read in this order until twenty are
            # found in published digests, rather than every figure sorted.
            models.Index(fields=["-views", "id"], name="metric_most_viewed"),
        ]
        verbose_name = _("social media figure")
        verbose_name_plural = _("social media figures")
        constraints = [
            models.CheckConstraint(condition=Q(views__gte=0), name="metric_views_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="metric_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(platform__in=Platform.values), name="metric_platform_valid"
            ),
        ]

    def __str__(self):
        return gettext("%(platform)s: %(views)s views — %(topic)s") % {
            "platform": self.get_platform_display(),
            "views": number_format(self.views, force_grouping=True),
            "topic": self.topic[:60],
        }

    def clean(self):
        super().clean()
        if self.item_id and self.digest_id and self.item.section.digest_id != self.digest_id:
            raise ValidationError({"item": _("This item belongs to another digest.")})
        self._fill_period()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The digest it was read in: a figure moved away leaves that digest's page too.
        if "digest_id" in instance.__dict__:  # read, not deferred: else unknown
            instance._loaded_digest_id = instance.digest_id
        return instance

    def save(self, *args, **kwargs):
        self._fill_period()  # `topic_html` is rendered on the way (`digests.signals`)
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        """ "2025" for a whole year, one date for a day, otherwise "start – end"."""
        start, end = self.period_start, self.period_end
        if start == end:
            return date_format(end, "j M Y")
        if self.is_whole_year:
            return str(end.year)
        return f"{date_format(start, 'j M Y')} – {date_format(end, 'j M Y')}"

    @property
    def is_whole_year(self) -> bool:
        """A yearly total, kept apart from dated figures in charts over time."""
        return is_whole_year(self.period_start, self.period_end)

    def _fill_period(self):
        if self.period_start is None and self.digest_id:
            self.period_start = self.period_end or self.digest.date
        if self.period_end is None:
            self.period_end = self.period_start
