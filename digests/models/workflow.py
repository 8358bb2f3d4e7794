"""Staff workflow around a digest: changes awaiting a Publisher and preview links for
outside reviewers."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from digests.models.digest import Digest


class PendingChangeQuerySet(models.QuerySet):
    def awaiting(self):
        """Changes still waiting for a Publisher."""
        return self.filter(state=PendingChange.State.PENDING)


class PendingChange(models.Model):
    """A change to a published or scheduled digest by someone who may not publish: the whole
    digest as it would be, waiting for a Publisher's approval (see digests/moderation.py)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SUPERSEDED = "superseded", _("Replaced by a later change")

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="pending_changes", verbose_name=_("digest")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    data = models.JSONField(
        help_text=_("The digest as it would be, with its sections and items."),
        verbose_name=_("data"),
    )
    base_updated_at = models.DateTimeField(
        help_text=_("When the published digest was last saved as this change was made."),
        verbose_name=_("based on the version of"),
    )
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.PENDING, verbose_name=_("state")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    review_note = models.TextField(blank=True, verbose_name=_("review note"))

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        constraints = [
            models.UniqueConstraint(
                fields=["digest"],
                condition=Q(state="pending"),
                name="one_pending_change_per_digest",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "approved", "rejected", "superseded"]),
                name="pending_change_state_valid",
            ),
        ]

    def __str__(self):
        return gettext("Changes to “%(digest)s” (%(state)s)") % {
            "digest": self.digest,
            "state": self.get_state_display().lower(),
        }


def default_preview_expiry():
    return (timezone.now() + timedelta(days=7)).replace(microsecond=0)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self, *, now=None):
        """Links that still open their draft: not revoked, not expired."""
        return self.filter(revoked=False, expires_at__gt=now or timezone.now())


class PreviewLink(models.Model):
    """A link that shows one draft to an outside reviewer without an account.

    The address carries a signed token naming the link; the link itself records its expiry
    and whether it was revoked, so staff can cut it off at any time.
    """

    SALT = "digests.preview-link"

    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="preview_links", verbose_name=_("digest")
    )
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Who it is for, e.g. “legal review, A. K.”"),
        verbose_name=_("note"),
    )
    expires_at = models.DateTimeField(
        default=default_preview_expiry,
        help_text=_("After this the link shows nothing."),
        verbose_name=_("expires at"),
    )
    revoked = models.BooleanField(
        default=False, help_text=_("Tick to cut the link off now."), verbose_name=_("revoked")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")

    def __str__(self):
        return self.note or gettext("Preview link %(number)s") % {"number": self.pk}

    @property
    def token(self) -> str:
        """The signed link id: the same for the link's whole life (expiry is stored)."""
        return signing.Signer(salt=self.SALT).sign_object(self.pk)

    @classmethod
    def from_token(cls, token: str):
        """The usable link named by `token`, or None (bad signature, revoked, expired)."""
        try:
            pk = signing.Signer(salt=cls.SALT).unsign_object(token)
        except signing.BadSignature:
            return None
        return cls.objects.usable().select_related("digest").filter(pk=pk).first()

    def get_absolute_url(self):
        return reverse("digests:preview", kwargs={"token": self.token})
