"""A digest's sections and items: the text readers see, sanitised and indexed for search."""

import re
import secrets

import reversion
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import Q
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from digests.models.digest import ALT_HELP, Digest, published_q
from digestsite.fields import HttpsURLField
from digestsite.images import Picture, RenditionsField, SafeImageField
from digestsite.richtext import html_to_text, sanitize_html

_IMAGE_WITHOUT_ALT = re.compile(r'<img(?![^>]*\balt="[^"]*\S[^"]*")[^>]*>')

# PostgreSQL text-search configuration for items, by the language of their digest: English and
# Russian stemming; Belarusian has no stemmer in PostgreSQL, so its words are matched as written
# (lowercased). Names pass unchanged.
SEARCH_CONFIGS = {"en": "english", "be": "simple", "ru": "russian"}
SEARCH_CONFIG = SEARCH_CONFIGS["en"]


def search_config(language: str | None) -> str:
    """The text-search configuration for items of a digest in `language`."""
    return SEARCH_CONFIGS.get(language or "", SEARCH_CONFIG)


# Control characters (but line breaks and tabs) kept out of the searched text: it is quoted in
# search snippets, and HTML does not allow them.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@reversion.register(follow=["items"])
class Section(models.Model):
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, related_name="sections", verbose_name=_("digest")
    )
    title = models.CharField(
        max_length=300, help_text=_("e.g. Crucial meetings and activities"), verbose_name=_("title")
    )
    order = models.PositiveIntegerField(
        default=0, help_text=_("Position in the digest."), verbose_name=_("order")
    )
    anchor = models.SlugField(
        max_length=80,
        blank=True,
        allow_unicode=True,
        help_text=_("The #link to this section. Filled in from the title when left empty."),
        verbose_name=_("link anchor"),
    )
    title_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "anchor"],
                name="section_anchor_unique_in_digest",
                violation_error_message=_("Another section of this digest has this anchor."),
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The digest it was read in: its items' mentions follow a move (`digests.signals`).
        if "digest_id" in instance.__dict__:  # read, not deferred: else unknown
            instance._loaded_digest_id = instance.digest_id
        return instance

    def save(self, *args, **kwargs):
        """Give the section its anchor; `title_html` is rendered on the way (`digests.signals`)."""
        if not self.anchor:
            self.anchor = self.unique_anchor()
        super().save(*args, **kwargs)
        Digest.objects.filter(pk=self.digest_id).touch()

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
        return self.filter(published_q("section__digest__", now=now))


ANCHOR_LETTERS = "abcdefghijkmnpqrstuvwxyz"


def new_item_anchor() -> str:
    """A random item anchor: letters only, so it can never be taken for an old `item-<id>`."""
    return "item-" + "".join(secrets.choice(ANCHOR_LETTERS) for _i in range(10))


@reversion.register(exclude=["search_vector"])
class Item(models.Model):
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section")
    )
    anchor = models.CharField(
        max_length=20,
        unique=True,
        default=new_item_anchor,
        editable=False,
        help_text=_(
            "The item's place in its digest page (#anchor): random, so it says nothing "
            "about other items; kept for good across edits and re-imports."
        ),
    )
    legacy_anchor = models.CharField(
        max_length=30,
        blank=True,
        default="",
        editable=False,
        help_text=_(
            "The anchor links used before anchors were random (item-<id>), for items "
            "that existed then; those links keep working."
        ),
    )
    order = models.PositiveIntegerField(
        default=0, help_text=_("Position in the section."), verbose_name=_("order")
    )
    title = models.CharField(
        max_length=300, blank=True, help_text=_("Optional."), verbose_name=_("title")
    )
    title_html = models.TextField(blank=True, editable=False)
    body = models.TextField(
        blank=True, help_text=_("The text of the item."), verbose_name=_("text")
    )
    body_html = models.TextField(blank=True, editable=False)
    image = SafeImageField(upload_to="items/%Y/%m/", blank=True, verbose_name=_("image"))
    image_renditions = RenditionsField(source="image")
    image_alt = models.CharField(
        max_length=300, blank=True, help_text=ALT_HELP, verbose_name=_("image description")
    )
    image_decorative = models.BooleanField(
        default=False,
        help_text=_("Tick when the image adds nothing a reader needs (alt stays empty)."),
        verbose_name=_("decorative image"),
    )
    caption = models.CharField(
        max_length=500, blank=True, help_text=_("Shown under the image."), verbose_name=_("caption")
    )
    caption_html = models.TextField(blank=True, editable=False)
    credit = models.CharField(
        max_length=200, blank=True, help_text=_("Photographer or source."), verbose_name=_("credit")
    )
    source_url = HttpsURLField(
        max_length=500,
        blank=True,
        help_text=_("Where the story comes from, if online."),
        verbose_name=_("source"),
    )
    tags = TaggableManager(blank=True, help_text=_("Comma-separated topics."))
    search_text = models.TextField(
        blank=True, editable=False, help_text=_("The body as plain text, for search.")
    )
    # Kept in the row on PostgreSQL (storage MAIN, migration 0010): searches test the newest
    # items' vectors one by one.
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text=_("Title (weight A) and text (weight B) for full-text search; PostgreSQL only."),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt="") | Q(image_decorative=True),
                name="item_image_has_alt",
                violation_error_message=_("An image needs alt text, or tick “decorative”."),
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
            raise ValidationError({"image_alt": _("Describe the image, or tick “decorative”.")})
        if _IMAGE_WITHOUT_ALT.search(sanitize_html(self.body)):
            raise ValidationError(
                {
                    "body": _(
                        "An image in the text has no description. Select the image and use the "
                        "“Change image alternative text” button to describe it."
                    )
                }
            )

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The section it was read in: its mentions follow a move (`digests.signals`).
        if "section_id" in instance.__dict__:  # read, not deferred: else unknown
            instance._loaded_section_id = instance.section_id
        return instance

    def save(self, *args, **kwargs):
        """Sanitise the body; names in it are linked and its mentions recorded on the way
        (`digests.signals`)."""
        self.body = sanitize_html(self.body)
        self.search_text = plain_search_text(self.body)
        super().save(*args, **kwargs)
        Digest.objects.filter(sections=self.section_id).touch()

    @property
    def picture(self) -> Picture:
        return Picture(self.image, self.image_renditions)

    def get_absolute_url(self):
        return f"{self.section.digest.get_absolute_url()}#{self.anchor}"


def plain_search_text(html: str) -> str:
    """The text of an item body as it is searched and quoted in snippets."""
    return _CONTROL_CHARACTERS.sub("", html_to_text(html))


def item_search_vector(config: str = SEARCH_CONFIG):
    """The weighted document of an item: its title above its text."""
    return SearchVector("title", weight="A", config=config) + SearchVector(
        "search_text", weight="B", config=config
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


@receiver(post_save, sender=Digest, dispatch_uid="digests.digest_language_search_vectors")
def reindex_digest_items(sender, instance, using, **kwargs):
    """A digest's items are searched with its language's configuration: when its language
    changes, their stored vectors are rebuilt (PostgreSQL only)."""
    if getattr(instance, "language_changed", False) and connections[using].vendor == "postgresql":
        Item.objects.using(using).filter(section__digest=instance).update(
            search_vector=item_search_vector(search_config(instance.language))
        )


@receiver(post_save, sender=Item, dispatch_uid="digests.item_search_vector")
def index_item(sender, instance, using, **kwargs):
    """Keep the stored search vector in step with the item, also when a revision is
    restored (a raw save); PostgreSQL only, SQLite searches the stored text."""
    if connections[using].vendor == "postgresql":
        item = Item.objects.using(using).filter(pk=instance.pk)
        language = item.values_list("section__digest__language", flat=True).first()
        item.update(search_vector=item_search_vector(search_config(language)))
