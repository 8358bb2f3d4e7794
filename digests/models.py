"""Digests, their sections and items, and the social-media figures they report.

Visibility has one rule, said once per model by `published()`: a digest is public when its
status is *published* and its `publish_at` has passed. Every public path goes through it.
"""

import re
import secrets
from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from taggit.managers import TaggableManager

from digestsite.cache import content_changed
from digestsite.fields import HttpsURLField
from digestsite.images import Picture, RenditionsField, SafeImageField
from digestsite.richtext import html_to_text, sanitize_html
from people.models import Organization, Person

_IMAGE_WITHOUT_ALT = re.compile(r'<img(?![^>]*\balt="[^"]*\S[^"]*")[^>]*>')

# PostgreSQL text-search configuration for items (English stemming; names pass unchanged).
SEARCH_CONFIG = "english"
# Control characters (but line breaks and tabs) kept out of the searched text: it is quoted in
# search snippets, and HTML does not allow them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ALT_HELP = "Describe the image for readers who cannot see it. Required unless decorative."


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def may_preview(user) -> bool:
    """Staff who may see digests readers cannot: drafts, schedules, changes awaiting approval."""
    return user.is_authenticated and user.is_staff and user.has_perm("digests.view_digest")


class DigestQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Digests the public may see: published, with `publish_at` passed. Never a draft."""
        return self.filter(status=Status.PUBLISHED, publish_at__lte=now or timezone.now())

    def touch(self):
        """Mark these digests changed (a section or item was saved): concurrent edits are
        detected on the digest's `updated_at`."""
        count = self.update(updated_at=timezone.now())
        content_changed()
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

    def visible_to(self, user):
        """`published()` for readers; every digest for staff who may edit digests."""
        return self.all() if may_preview(user) else self.published()


@reversion.register(follow=["sections", "metrics"])
class Digest(models.Model):
    title = models.CharField(max_length=200, help_text="e.g. News digest 31 December 2025")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The page address: lowercase letters, digits and hyphens. Changing it "
        "changes the public link.",
    )
    date = models.DateField(help_text="The day the digest covers, as in its title.")
    lead = models.TextField(blank=True, help_text="One or two sentences shown in lists and feeds.")
    lead_html = models.TextField(
        blank=True, editable=False, help_text="The lead with names linked, for the digest page."
    )
    cover_image = SafeImageField(upload_to="covers/%Y/", blank=True)
    cover_renditions = RenditionsField(source="cover_image")
    cover_alt = models.CharField(max_length=300, blank=True, help_text=ALT_HELP)
    cover_decorative = models.BooleanField(
        default=False,
        help_text="Tick when the image adds nothing a reader needs (alt stays empty).",
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are never shown to the public.",
    )
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a published digest becomes public. Empty means now, when published; "
        "a future time schedules it.",
    )
    tags = TaggableManager(blank=True, help_text="Comma-separated topics.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    import_source = models.CharField(
        max_length=255, blank=True, editable=False, help_text="The file it was imported from."
    )
    imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-publish_at", "-pk"]
        get_latest_by = "date"
        permissions = [("publish_digest", "Can publish and unpublish digests")]
        indexes = [models.Index(fields=["status", "publish_at"], name="digest_visibility")]
        constraints = [
            models.CheckConstraint(
                condition=Q(cover_image="") | ~Q(cover_alt="") | Q(cover_decorative=True),
                name="digest_cover_has_alt",
                violation_error_message="A cover image needs alt text, or tick “decorative”.",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(publish_at__isnull=False),
                name="digest_published_has_time",
                violation_error_message="A published digest needs a publication time.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="digest_status_valid"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("digests:digest-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.cover_image and not self.cover_alt.strip() and not self.cover_decorative:
            raise ValidationError({"cover_alt": "Describe the cover image, or tick “decorative”."})
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()

    def save(self, *args, **kwargs):
        from digests.mentions import relink_digest, render_title

        if not self.slug:
            self.slug = slugify(self.title)[:200] or f"digest-{self.date:%Y-%m-%d}"
        if self.status == Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()
        if self.publish_at is not None:
            # Whole seconds, as the admin's form shows and posts them back: saving the form
            # unchanged keeps the stored time.
            self.publish_at = self.publish_at.replace(microsecond=0)
        stored = (
            Digest.objects.filter(pk=self.pk).values_list("slug", "lead").first()
            if self.pk
            else None
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "lead" in update_fields:
            self.lead_html = render_title(self.lead)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "lead_html"}
        super().save(*args, **kwargs)
        self.remember_slug(stored[0] if stored else None)
        if stored and stored[1] != self.lead:
            relink_digest(self)  # the lead comes first: surnames below may depend on it

    def remember_slug(self, old_slug: str | None) -> None:
        """After a save: the old address keeps working (301); the new one is no longer a
        redirect."""
        if old_slug and old_slug != self.slug:
            DigestRedirect.objects.update_or_create(old_slug=old_slug, defaults={"digest": self})
        DigestRedirect.objects.filter(old_slug=self.slug).delete()

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
    def state_label(self) -> str:
        if self.status == Status.DRAFT:
            return "Draft"
        return "Scheduled" if self.is_scheduled else "Published"


class DigestRedirect(models.Model):
    """An address a digest had before its slug changed; it answers with a 301."""

    old_slug = models.SlugField(max_length=200, unique=True)
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.digest.slug}"


class PendingChangeQuerySet(models.QuerySet):
    def awaiting(self):
        """Changes still waiting for a Publisher."""
        return self.filter(state=PendingChange.State.PENDING)


class PendingChange(models.Model):
    """A change to a published or scheduled digest by someone who may not publish: the whole
    digest as it would be, waiting for a Publisher's approval (see digests/moderation.py)."""

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Replaced by a later change"

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="pending_changes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    data = models.JSONField(help_text="The digest as it would be, with its sections and items.")
    base_updated_at = models.DateTimeField(
        help_text="When the published digest was last saved as this change was made."
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
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
        return f"Changes to “{self.digest}” ({self.get_state_display().lower()})"


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

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="preview_links")
    note = models.CharField(
        max_length=200, blank=True, help_text="Who it is for, e.g. “legal review, A. K.”"
    )
    expires_at = models.DateTimeField(
        default=default_preview_expiry, help_text="After this the link shows nothing."
    )
    revoked = models.BooleanField(default=False, help_text="Tick to cut the link off now.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.note or f"Preview link {self.pk}"

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


@reversion.register(follow=["items"])
class Section(models.Model):
    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=300, help_text="e.g. Crucial meetings and activities")
    order = models.PositiveIntegerField(default=0, help_text="Position in the digest.")
    anchor = models.SlugField(
        max_length=80,
        blank=True,
        allow_unicode=True,
        help_text="The #link to this section. Filled in from the title when left empty.",
    )
    title_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "anchor"],
                name="section_anchor_unique_in_digest",
                violation_error_message="Another section of this digest has this anchor.",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        from digests.mentions import names_people, relink_digest, render_title

        if not self.anchor:
            self.anchor = self.unique_anchor()
        old_title = (
            Section.objects.filter(pk=self.pk).values_list("title", flat=True).first()
            if self.pk
            else None
        )
        self.title_html = render_title(self.title)
        super().save(*args, **kwargs)
        Digest.objects.filter(pk=self.digest_id).touch()
        if old_title != self.title and (names_people(self.title) or names_people(old_title)):
            relink_digest(self.digest)  # a full name here lets surnames below link

    def unique_anchor(self) -> str:
        base = slugify(self.title, allow_unicode=True)[:70].strip("-") or "section"
        if base.startswith("item-") or base in {"top", "content", "contents", "main"}:
            base = f"s-{base}"
        taken = set(
            Section.objects.filter(digest_id=self.digest_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        return anchor

    def get_absolute_url(self):
        return f"{self.digest.get_absolute_url()}#{self.anchor}"


class ItemQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Items of published digests only (see `DigestQuerySet.published`)."""
        return self.filter(
            section__digest__status=Status.PUBLISHED,
            section__digest__publish_at__lte=now or timezone.now(),
        )


ANCHOR_LETTERS = "abcdefghijkmnpqrstuvwxyz"


def new_item_anchor() -> str:
    """A random item anchor: letters only, so it can never be taken for an old `item-<id>`."""
    return "item-" + "".join(secrets.choice(ANCHOR_LETTERS) for _ in range(10))


@reversion.register(exclude=["search_vector"])
class Item(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    anchor = models.CharField(
        max_length=20,
        unique=True,
        default=new_item_anchor,
        editable=False,
        help_text="The item's place in its digest page (#anchor): random, so it says nothing "
        "about other items; kept for good across edits and re-imports.",
    )
    legacy_anchor = models.CharField(
        max_length=30,
        blank=True,
        default="",
        editable=False,
        help_text="The anchor links used before anchors were random (item-<id>), for items "
        "that existed then; those links keep working.",
    )
    order = models.PositiveIntegerField(default=0, help_text="Position in the section.")
    title = models.CharField(max_length=300, blank=True, help_text="Optional.")
    title_html = models.TextField(blank=True, editable=False)
    body = models.TextField(blank=True, help_text="The text of the item.")
    body_html = models.TextField(blank=True, editable=False)
    image = SafeImageField(upload_to="items/%Y/%m/", blank=True)
    image_renditions = RenditionsField(source="image")
    image_alt = models.CharField(max_length=300, blank=True, help_text=ALT_HELP)
    image_decorative = models.BooleanField(
        default=False,
        help_text="Tick when the image adds nothing a reader needs (alt stays empty).",
    )
    caption = models.CharField(max_length=500, blank=True, help_text="Shown under the image.")
    caption_html = models.TextField(blank=True, editable=False)
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer or source.")
    source_url = HttpsURLField(
        max_length=500, blank=True, help_text="Where the story comes from, if online."
    )
    tags = TaggableManager(blank=True, help_text="Comma-separated topics.")
    search_text = models.TextField(
        blank=True, editable=False, help_text="The body as plain text, for search."
    )
    # Kept in the row on PostgreSQL (storage MAIN, migration 0010): searches test the newest
    # items' vectors one by one.
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="Title (weight A) and text (weight B) for full-text search; PostgreSQL only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt="") | Q(image_decorative=True),
                name="item_image_has_alt",
                violation_error_message="An image needs alt text, or tick “decorative”.",
            ),
        ]

    def __str__(self):
        if self.title:
            return self.title
        text = html_to_text(self.body_html or self.body)
        return (text[:80] + "…") if len(text) > 80 else (text or f"Item {self.pk or ''}".strip())

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip() and not self.image_decorative:
            raise ValidationError({"image_alt": "Describe the image, or tick “decorative”."})
        if _IMAGE_WITHOUT_ALT.search(sanitize_html(self.body)):
            raise ValidationError(
                {
                    "body": "An image in the text has no description. Select the image and use "
                    "the “Change image alternative text” button to describe it."
                }
            )

    def save(self, *args, **kwargs):
        """Sanitise the body, link every name in it, and record the item's mentions."""
        from digests.mentions import link_item, relink_digest, sync_mentions

        self.body = sanitize_html(self.body)
        self.search_text = plain_search_text(self.body)
        hits = link_item(self)
        super().save(*args, **kwargs)
        sync_mentions(self, hits)
        Digest.objects.filter(sections=self.section_id).touch()
        # Surnames alone link after the full name earlier in the digest: relink it in order.
        relink_digest(self.section.digest, item=self)

    @property
    def picture(self) -> Picture:
        return Picture(self.image, self.image_renditions)

    def get_absolute_url(self):
        return f"{self.section.digest.get_absolute_url()}#{self.anchor}"


def plain_search_text(html: str) -> str:
    """The text of an item body as it is searched and quoted in snippets."""
    return _CONTROL_CHARACTERS.sub("", html_to_text(html))


def item_search_vector():
    """The weighted document of an item: its title above its text."""
    return SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
        "search_text", weight="B", config=SEARCH_CONFIG
    )


@receiver(pre_save, sender=Item, dispatch_uid="digests.item_anchor")
def keep_item_anchor(sender, instance, using, **kwargs):
    """An item's anchor never changes once stored, also when a revision saved before anchors
    existed is restored (a raw save that would bring a fresh default)."""
    if instance.pk is not None:
        stored = (
            Item.objects.using(using)
            .filter(pk=instance.pk)
            .values_list("anchor", "legacy_anchor")
            .first()
        )
        if stored is not None:
            instance.anchor, instance.legacy_anchor = stored


@receiver(post_save, sender=Item, dispatch_uid="digests.item_search_vector")
def index_item(sender, instance, using, **kwargs):
    """Keep the stored search vector in step with the item, also when a revision is
    restored (a raw save); PostgreSQL only, SQLite searches the stored text."""
    if connections[using].vendor == "postgresql":
        Item.objects.using(using).filter(pk=instance.pk).update(search_vector=item_search_vector())


class Platform(models.TextChoices):
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    YOUTUBE_SHORTS = "youtube_shorts", "YouTube Shorts"
    TIKTOK = "tiktok", "TikTok"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    TELEGRAM = "telegram", "Telegram"
    OTHER = "other", "Other"


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
        return self.filter(
            digest__status=Status.PUBLISHED, digest__publish_at__lte=now or timezone.now()
        )

    def whole_year(self):
        """Yearly totals: figures whose period is one whole calendar year."""
        return self.filter(_WHOLE_YEAR)

    def dated(self):
        """Every figure but the yearly totals: what charts over time may place at a date."""
        return self.exclude(_WHOLE_YEAR)


@reversion.register()
class SocialMetric(models.Model):
    """Views of one post or topic on one platform over a period, as a digest reports them."""

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="metrics")
    item = models.ForeignKey(
        Item,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
        help_text="The item that reports this figure, if any.",
    )
    platform = models.CharField(max_length=20, choices=Platform.choices)
    views = models.PositiveBigIntegerField(help_text="A whole number: 2M is 2000000.")
    topic = models.CharField(max_length=500, help_text="What the post was about.")
    topic_html = models.TextField(blank=True, editable=False)
    url = HttpsURLField(max_length=500, blank=True, help_text="The post itself, if public.")
    period_start = models.DateField(
        blank=True, help_text="First day the figure covers. Empty: the digest's date."
    )
    period_end = models.DateField(
        blank=True, help_text="Last day the figure covers. Empty: the same as the first day."
    )
    people = models.ManyToManyField(Person, blank=True, related_name="social_metrics")
    organizations = models.ManyToManyField(Organization, blank=True, related_name="social_metrics")

    objects = SocialMetricQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-views", "pk"]
        verbose_name = "social media figure"
        constraints = [
            models.CheckConstraint(condition=Q(views__gte=0), name="metric_views_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="metric_period_ordered",
                violation_error_message="The period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(platform__in=Platform.values), name="metric_platform_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_platform_display()}: {self.views:,} views — {self.topic[:60]}"

    def clean(self):
        super().clean()
        if self.item_id and self.digest_id and self.item.section.digest_id != self.digest_id:
            raise ValidationError({"item": "This item belongs to another digest."})
        self._fill_period()

    def save(self, *args, **kwargs):
        from digests.mentions import render_title

        self._fill_period()
        self.topic_html = render_title(self.topic)
        super().save(*args, **kwargs)

    @property
    def period_label(self) -> str:
        """ "2025" for a whole year, one date for a day, otherwise "start – end"."""
        start, end = self.period_start, self.period_end
        if start == end:
            return f"{end.day} {end:%b %Y}"
        if self.is_whole_year:
            return str(end.year)
        return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"

    @property
    def is_whole_year(self) -> bool:
        """A yearly total, kept apart from dated figures in charts over time."""
        return is_whole_year(self.period_start, self.period_end)

    def _fill_period(self):
        if self.period_start is None and self.digest_id:
            self.period_start = self.period_end or self.digest.date
        if self.period_end is None:
            self.period_end = self.period_start


class MentionQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Mentions readers may see: in published digests, never suppressed by staff."""
        return self.filter(
            item__section__digest__status=Status.PUBLISHED,
            item__section__digest__publish_at__lte=now or timezone.now(),
        ).exclude(source=Mention.Source.SUPPRESSED)


class Mention(models.Model):
    """A person or organization named in an item. Found by the linker, or set by staff."""

    class Source(models.TextChoices):
        AUTOMATIC = "auto", "Found in the text"
        STAFF = "staff", "Added by staff"
        SUPPRESSED = "suppressed", "Suppressed by staff"

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="mentions")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    source = models.CharField(
        max_length=12,
        choices=Source.choices,
        default=Source.STAFF,
        help_text="“Added by staff” names someone the text does not spell out; “Suppressed” "
        "removes a wrong match. Relinking never overrides either.",
    )
    occurrences = models.PositiveIntegerField(default=0, editable=False)
    snippet = models.TextField(blank=True, editable=False)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="mention_has_exactly_one_entity",
                violation_error_message="Choose a person or an organization, not both.",
            ),
            models.UniqueConstraint(
                fields=["item", "person"],
                condition=Q(person__isnull=False),
                name="mention_person_once_per_item",
                violation_error_message="This person is already listed for this item.",
            ),
            models.UniqueConstraint(
                fields=["item", "organization"],
                condition=Q(organization__isnull=False),
                name="mention_organization_once_per_item",
                violation_error_message="This organization is already listed for this item.",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["auto", "staff", "suppressed"]),
                name="mention_source_valid",
            ),
        ]

    def __str__(self):
        return f"{self.entity} in {self.item}"

    @property
    def entity(self):
        return self.person if self.person_id else self.organization

    @property
    def key(self) -> tuple[str, int]:
        return (
            ("person", self.person_id) if self.person_id else ("organization", self.organization_id)
        )
