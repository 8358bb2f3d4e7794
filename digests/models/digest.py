"""Digests and their visibility rule: a digest is public when it is *published* and its
`publish_at` has passed (`published_q`, used by every model's `published()`)."""

import reversion
from anyascii import anyascii
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from digestsite.cache import content_changed
from digestsite.images import Picture, RenditionsField, SafeImageField
from digestsite.redirects import SlugRedirect


def digest_scope(pk) -> str:
    """The scope of a digest's kept page parts (`digestsite.cache.fragment_version`)."""
    return f"digest:{pk}"


ALT_HELP = _("Describe the image for readers who cannot see it. Required unless decorative.")


class Language(models.TextChoices):
    """The languages a digest is written in; each version of a digest is a digest of its own."""

    # Each language's name in itself, whatever the page's language.
    ENGLISH = "en", "English"
    BELARUSIAN = "be", "Беларуская"
    RUSSIAN = "ru", "Русский"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def digest_slug(title: str) -> str:
    """A digest's address from its title; Cyrillic titles are transliterated
    ("Дайджэст навін 31 снежня 2025" → "daidzhest-navin-31-sniezhnia-2025")."""
    return slugify(anyascii(title))[:200].strip("-")


def may_preview(user) -> bool:
    """Staff who may see digests readers cannot: drafts, schedules, changes awaiting approval."""
    return user.is_authenticated and user.is_staff and user.has_perm("digests.view_digest")


def published_q(path: str = "", *, now=None) -> Q:
    """The visibility rule, the one place it is written: the digest at `path` ("" for a
    digest itself, "section__digest__" for an item, …) is published and its `publish_at` has
    passed. Never a draft, never a scheduled digest before its time."""
    return Q(**{f"{path}status": Status.PUBLISHED, f"{path}publish_at__lte": now or timezone.now()})


class DigestQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Digests the public may see: published, with `publish_at` passed. Never a draft."""
        return self.filter(published_q(now=now))

    def touch(self):
        """Mark these digests changed (a section or item was saved): concurrent edits are
        detected on the digest's `updated_at`."""
        ids = list(self.values_list("pk", flat=True))
        count = self.model.objects.filter(pk__in=ids).update(updated_at=timezone.now())
        content_changed(scopes=map(digest_scope, ids))
        return count

    def next_publication(self, *, now=None):
        """The earliest `publish_at` still to come of a published digest, or None: the moment
        public pages next change by themselves."""
        return (
            self.filter(status=Status.PUBLISHED, publish_at__gt=now or timezone.now())
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )

    def in_language(self, language: str | None = None):
        """Digests written in `language` (the active language when not given)."""
        return self.filter(language=language or get_language())

    def versions_of(self, digest):
        """The other versions of `digest` (its original and the original's translations),
        without `digest` itself. No visibility rule: chain `published()`."""
        original = digest.translation_of_id or digest.pk
        return self.filter(Q(pk=original) | Q(translation_of=original)).exclude(pk=digest.pk)

    def visible_to(self, user):
        """`published()` for readers; every digest for staff who may edit digests."""
        return self.all() if may_preview(user) else self.published()


@reversion.register(follow=["sections", "metrics"])
class Digest(models.Model):
    title = models.CharField(
        max_length=200, help_text=_("e.g. News digest 31 December 2025"), verbose_name=_("title")
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text=_(
            "The page address: lowercase letters, digits and hyphens. Changing it "
            "changes the public link."
        ),
        verbose_name=_("address"),
    )
    date = models.DateField(
        help_text=_("The day the digest covers, as in its title."), verbose_name=_("date")
    )
    language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_(
            "The language the digest is written in. It appears on the site in that "
            "language's pages, feeds and search."
        ),
        verbose_name=_("language"),
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_(
            "The digest this one translates (the original: the one the other versions "
            "point to). Readers of each version are offered the others."
        ),
        verbose_name=_("translation of"),
    )
    lead = models.TextField(
        blank=True,
        help_text=_("One or two sentences shown in lists and feeds."),
        verbose_name=_("lead"),
    )
    lead_html = models.TextField(
        blank=True, editable=False, help_text=_("The lead with names linked, for the digest page.")
    )
    cover_image = SafeImageField(upload_to="covers/%Y/", blank=True, verbose_name=_("cover image"))
    cover_renditions = RenditionsField(source="cover_image")
    cover_alt = models.CharField(
        max_length=300, blank=True, help_text=ALT_HELP, verbose_name=_("cover description")
    )
    cover_decorative = models.BooleanField(
        default=False,
        help_text=_("Tick when the image adds nothing a reader needs (alt stays empty)."),
        verbose_name=_("decorative cover"),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Drafts are never shown to the public."),
        verbose_name=_("status"),
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When a published digest becomes public. Empty means now, when published; "
            "a future time schedules it."
        ),
        verbose_name=_("publication time"),
    )
    tags = TaggableManager(blank=True, help_text=_("Comma-separated topics."))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))
    import_source = models.CharField(
        max_length=255, blank=True, editable=False, help_text=_("The file it was imported from.")
    )
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-publish_at", "-pk"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        get_latest_by = "date"
        permissions = [("publish_digest", "Can publish and unpublish digests")]
        indexes = [models.Index(fields=["status", "publish_at"], name="digest_visibility")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_alt="") | Q(cover_decorative=True),
                name="digest_cover_has_alt",
                violation_error_message=_("A cover image needs alt text, or tick “decorative”."),
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(publish_at__isnull=False),
                name="digest_published_has_time",
                violation_error_message=_("A published digest needs a publication time."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="digest_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="digest_language_valid"
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=models.F("pk")), name="digest_not_own_translation"
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="digest_one_translation_per_language",
                violation_error_message=_("That digest already has a version in this language."),
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The original it was read as a version of: a save that moves it to another (or makes
        # it an original) changes what both pages list (`digests.kept_parts`).
        if "translation_of_id" in instance.__dict__:  # read, not deferred: else unknown
            instance._loaded_translation_of_id = instance.translation_of_id
        return instance

    @property
    def kept_scope(self) -> str:
        """What a write to this digest's content moves (`digestsite.cache.fragment_version`)."""
        return digest_scope(self.pk)

    @property
    def page_scopes(self) -> tuple[str, ...]:
        """What its page is kept under: its own scope and its original's, which every write to
        one of its versions moves (the page lists them: `digests.kept_parts`)."""
        return digest_scope(self.pk), digest_scope(self.translation_of_id or self.pk)

    def get_absolute_url(self):
        # In the digest's own language, whatever page links to it.
        with override(self.language):
            return reverse("digests:digest-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        self._clean_translation()
        if self.cover_image and not self.cover_alt.strip() and not self.cover_decorative:
            raise ValidationError(
                {"cover_alt": _("Describe the cover image, or tick “decorative”.")}
            )
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def _clean_translation(self):
        original = self.translation_of
        if original is None:
            return
        if original.translation_of_id is not None:
            # A translation of a translation joins the group of the original.
            original = self.translation_of = original.translation_of
        if self.pk is not None and original.pk == self.pk:
            raise ValidationError({"translation_of": _("A digest cannot be its own translation.")})
        if self.pk is not None and self.translations.exists():
            raise ValidationError(
                {"translation_of": _("Other digests translate this one: it is an original.")}
            )
        versions = Digest.objects.versions_of(self) if self.pk else None
        if versions is None:
            versions = Digest.objects.filter(Q(pk=original.pk) | Q(translation_of=original))
        if versions.filter(language=self.language).exists():
            raise ValidationError(
                {"translation_of": _("That digest already has a version in this language.")}
            )

    def save(self, *args, **kwargs):
        """Fill in the slug and the publication time; `lead_html` is rendered on the way
        (`digests.signals`), and an old address keeps answering with a redirect."""
        if not self.slug:
            self.slug = digest_slug(self.title) or f"digest-{self.date:%Y-%m-%d}"
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.publish_at is not None:
            # Whole seconds, as the admin's form shows and posts them back: saving the form
            # unchanged keeps the stored time.
            self.publish_at = self.publish_at.replace(microsecond=0)
        old_slug, old_language = (
            Digest.objects.filter(pk=self.pk).values_list("slug", "language").first()
            if self.pk
            else None
        ) or (None, None)
        # Only an address readers could see is kept as a redirect: a draft's first title must
        # not be found by trying addresses.
        if old_slug and old_slug != self.slug:
            if not Digest.objects.published().filter(pk=self.pk).exists():
                old_slug = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "lead" in update_fields:
            kwargs["update_fields"] = {*update_fields, "lead_html"}
        # Its items are searched in its language: a change reindexes them (digests.models.content).
        self.language_changed = old_language is not None and old_language != self.language
        super().save(*args, **kwargs)
        self.remember_slug(old_slug)

    def remember_slug(self, old_slug: str | None) -> None:
        """After a save: the old address keeps working (301); the new one is no longer a
        redirect."""
        DigestRedirect.remember(self, old_slug)

    @property
    def cover_picture(self) -> Picture:
        return Picture(self.cover_image, self.cover_renditions)

    @property
    def is_public(self) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def state(self) -> str:
        """ "draft", "scheduled" or "published"."""
        if self.status == Status.DRAFT:
            return "draft"
        return "scheduled" if self.is_scheduled else "published"

    @property
    def state_label(self) -> str:
        return {"draft": _("Draft"), "scheduled": _("Scheduled"), "published": _("Published")}[
            self.state
        ]


class DigestRedirect(SlugRedirect):
    """An address a digest had before its slug changed; it answers with a 301."""

    target_field = "digest"

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="redirects")
