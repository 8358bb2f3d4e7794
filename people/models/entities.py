"""People and organizations: what they share (`Entity`: a name, a slug, names in three
languages, the aliases kept in step), `Person` with its links, `Organization`, and the old
addresses that answer with a redirect."""

import reversion
from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from digestsite.fields import HttpsURLField
from digestsite.images import SafeImageField
from digestsite.redirects import SlugRedirect
from digestsite.richtext import sanitize_html
from people import public_pages
from people.models.names import Alias
from people.signals import send_names_changed
from people.spelling import normalize_name, tidy_spaces


def unique_slug(model, value: str, *, instance=None, max_length: int = 200) -> str:
    # Latin letters whatever the script, as digests' addresses: "Святлана Ціханоўская" →
    # svyatlana-tsikhanouskaya.
    base = slugify(anyascii(value))[: max_length - 8].strip("-") or model._meta.model_name
    slug, n = base, 2
    others = model._default_manager.exclude(pk=instance.pk) if instance and instance.pk else None
    others = others if others is not None else model._default_manager.all()
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class EntityQuerySet(models.QuerySet):
    def listed(self):
        """Entities that may appear on public pages at all. Which of them have a page depends
        on what published digests say: `digests.models.public_entities()`."""
        return self.filter(listed_q(self.model))


class PersonQuerySet(EntityQuerySet):
    pass


def listed_q(model, path: str = "") -> Q:
    """The `listed()` rule as a condition on the entity at `path` (e.g. "person__" from an
    alias): never a sensitive person; every organization."""
    return Q(**{f"{path}sensitive": False}) if model is Person else Q()


class Entity(models.Model):
    """What people and organizations share: a name, a slug and their aliases."""

    name = models.CharField(
        max_length=200, help_text=_("The name as the newsroom writes it."), verbose_name=_("name")
    )
    name_be = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "The name in Belarusian, for the Belarusian pages (empty: the name above). "
            "It is also kept as one of the names the linker finds."
        ),
        verbose_name=_("name in Belarusian"),
    )
    name_ru = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "The name in Russian, for the Russian pages (empty: the name above). It is "
            "also kept as one of the names the linker finds."
        ),
        verbose_name=_("name in Russian"),
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("The page address. Filled in from the name when left empty."),
        verbose_name=_("address"),
    )
    public_profile = models.BooleanField(
        default=False,
        help_text=_("Show the page even before a published digest names them."),
        verbose_name=_("public profile"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated"))

    objects = EntityQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    # Per-language fields: `<field>_be`, `<field>_ru` beside the English `<field>`.
    translated_fields = ("name",)

    def localized(self, field: str) -> str:
        """`field` in the active language: its `_be`/`_ru` value where filled in, else the
        English one. A translation not loaded (deferred, `only()`) is never queried for: the
        English value stands in, so templates never cause a query."""
        language = get_language()
        if language and language != settings.LANGUAGE_CODE:
            value = self.__dict__.get(f"{field}_{language}")
            if value:
                return value
        return getattr(self, field)

    @property
    def local_name(self) -> str:
        return self.localized("name")

    def localized_names(self) -> list[str]:
        return [
            getattr(self, f"name_{code}")
            for code, _label in settings.LANGUAGES
            if code != settings.LANGUAGE_CODE and getattr(self, f"name_{code}", "")
        ]

    @property
    def entity_type(self) -> str:
        """ "person" or "organization", in every language (`kind_label` is translated)."""
        return self._meta.model_name

    @property
    def kind_label(self) -> str:
        return self._meta.verbose_name

    @property
    def key(self) -> tuple[str, int]:
        """How mentions and the linker identify this entity."""
        return (self._meta.model_name, self.pk)

    def clean(self):
        super().clean()
        if self.name:
            self.name = tidy_spaces(self.name)
            clash = Alias.clash(self.name, owner=self)
            if clash:
                raise ValidationError({"name": clash})
        errors = {}
        for code, _label in settings.LANGUAGES:
            field = f"name_{code}"
            value = getattr(self, field, None)
            if value:
                value = tidy_spaces(value)
                setattr(self, field, value)
                clash = Alias.clash(value, owner=self)
                if clash:
                    errors[field] = clash
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, instance=self)
        old_slug = (
            type(self)._default_manager.filter(pk=self.pk).values_list("slug", flat=True).first()
            if self.pk
            else None
        )
        # An address readers never saw is never kept as a redirect: trying names must not
        # reveal who is behind a new one.
        if old_slug and old_slug != self.slug:
            if not public_pages.public_entities(type(self).objects).filter(pk=self.pk).exists():
                old_slug = None
        super().save(*args, **kwargs)
        self._sync_primary_alias()
        self._keep_localized_names()
        self.redirects.model.remember(self, old_slug)  # its old address answers with a 301
        if old_slug and old_slug != self.slug:
            # Links carry the page address: relink wherever this entity is named.
            self.aliases.update(updated_at=timezone.now())
            send_names_changed(names=[], entities=[self.key])

    def _sync_primary_alias(self):
        """Keep the entity's name in the alias table; a name taken from one of the entity's
        own aliases replaces that alias, and a name replaced by a new one stays an alias."""
        # Through the table, never `self.aliases`: an instance whose aliases were prefetched
        # with a filter (the admin's list of other names) would answer from that subset.
        own = Alias.objects.filter(**{self._meta.model_name: self})
        primary = own.filter(is_primary=True).first()
        if primary is not None and primary.text == self.name:
            return
        own.filter(is_primary=False, normalized=normalize_name(self.name)).delete()
        if primary is None:
            Alias.objects.create(text=self.name, is_primary=True, **{self._meta.model_name: self})
        else:
            old_name, primary.text = primary.text, self.name
            primary.save()
            if normalize_name(old_name) != normalize_name(self.name):
                # What was written before the rename still names them: the old name stays
                # linked, as another name (staff may delete it).
                Alias.objects.create(text=old_name, **{self._meta.model_name: self})

    def _keep_localized_names(self):
        """The Belarusian and Russian names are names the linker finds: each is kept as an
        alias of the entity (one that belongs to someone else was refused by `clean`)."""
        own = Alias.objects.filter(**{self._meta.model_name: self})
        for name in self.localized_names():
            normalized = normalize_name(name)
            if normalized and not Alias.objects.filter(normalized=normalized).exists():
                own.create(text=name, **{self._meta.model_name: self})

    @property
    def other_names(self) -> list[str]:
        """Aliases other than the name, in the order staff entered them (prefetch `aliases`)."""
        return [a.text for a in self.aliases.all() if not a.is_primary]


@reversion.register(follow=["aliases", "links", "affiliations"])
class Person(Entity):
    short_description = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("A short line shown beside the name, e.g. a role."),
        verbose_name=_("short description"),
    )
    short_description_be = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The short line in Belarusian."),
        verbose_name=_("short description in Belarusian"),
    )
    short_description_ru = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("The short line in Russian."),
        verbose_name=_("short description in Russian"),
    )
    bio = models.TextField(
        blank=True, help_text=_("A longer biography (rich text)."), verbose_name=_("biography")
    )
    bio_be = models.TextField(
        blank=True,
        help_text=_("The biography in Belarusian (rich text)."),
        verbose_name=_("biography in Belarusian"),
    )
    bio_ru = models.TextField(
        blank=True,
        help_text=_("The biography in Russian (rich text)."),
        verbose_name=_("biography in Russian"),
    )
    photo = SafeImageField(
        upload_to="people/%Y/", blank=True, help_text=_("A portrait."), verbose_name=_("photo")
    )
    photo_alt = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Describe the photo for readers who cannot see it."),
        verbose_name=_("photo description"),
    )
    sensitive = models.BooleanField(
        default=False,
        help_text=_(
            "A person at risk: never linked automatically, kept out of public lists, "
            "search and feeds, and their page is not shown to the public."
        ),
        verbose_name=_("sensitive"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""),
                name="person_photo_has_alt",
                violation_error_message=_("A photo needs alt text."),
            ),
        ]
        # Lists are in name order; a short one (the figures page's first 200) reads the index
        # and stops instead of testing every person. The few sensitive people, read from their
        # own small index by every count that leaves them out (`digests.ranking.unsensitive`).
        indexes = [
            models.Index(fields=["name"], name="person_name"),
            models.Index(fields=["id"], condition=Q(sensitive=True), name="person_sensitive"),
        ]

    translated_fields = ("name", "short_description", "bio")

    @property
    def local_short_description(self) -> str:
        return self.localized("short_description")

    @property
    def local_bio(self) -> str:
        return self.localized("bio")

    def save(self, *args, **kwargs):
        self.bio = sanitize_html(self.bio)
        self.bio_be = sanitize_html(self.bio_be)
        self.bio_ru = sanitize_html(self.bio_ru)
        was_sensitive = (
            Person.objects.filter(pk=self.pk).values_list("sensitive", flat=True).first()
            if self.pk
            else False
        )
        super().save(*args, **kwargs)
        if bool(was_sensitive) != self.sensitive:
            # The linker treats a sensitive person's names differently: touch them so that
            # the registry changes, and relink where they are named.
            self.aliases.update(updated_at=timezone.now())
            send_names_changed(names=[a.text for a in self.aliases.all()], entities=[self.key])

    def get_absolute_url(self):
        return reverse("people:person-detail", kwargs={"slug": self.slug})


class PersonRedirect(SlugRedirect):
    target = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="redirects")


@reversion.register()
class PersonLink(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="links", verbose_name=_("person")
    )
    title = models.CharField(
        max_length=100, help_text=_("e.g. Website, Telegram, X"), verbose_name=_("title")
    )
    url = HttpsURLField(
        max_length=500,
        help_text=_("The full address, starting with https://"),
        verbose_name=_("address"),
    )
    order = models.PositiveIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("external link")
        verbose_name_plural = _("external links")

    def __str__(self):
        return f"{self.title}: {self.url}"


@reversion.register(follow=["aliases", "affiliations"])
class Organization(Entity):
    class Kind(models.TextChoices):
        DEMOCRATIC = "democratic", _("Democratic institution")
        GOVERNMENT = "government", _("Government or state body")
        INTERNATIONAL = "international", _("International organization")
        NGO = "ngo", _("Civil society / NGO")
        MEDIA = "media", _("Media")
        PARTY = "party", _("Political party")
        OTHER = "other", _("Other")

    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("What it is."),
        verbose_name=_("kind"),
    )
    description = models.TextField(
        blank=True, help_text=_("What the organization does."), verbose_name=_("description")
    )
    description_be = models.TextField(
        blank=True,
        help_text=_("The description in Belarusian."),
        verbose_name=_("description in Belarusian"),
    )
    description_ru = models.TextField(
        blank=True,
        help_text=_("The description in Russian."),
        verbose_name=_("description in Russian"),
    )
    website = HttpsURLField(
        max_length=500,
        blank=True,
        help_text=_("Its own site, https://…"),
        verbose_name=_("website"),
    )
    logo = SafeImageField(upload_to="organizations/%Y/", blank=True, verbose_name=_("logo"))
    logo_alt = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Describe the logo for readers who cannot see it."),
        verbose_name=_("logo description"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The organization this one belongs to, if any."),
        verbose_name=_("parent organization"),
    )

    translated_fields = ("name", "description")

    @property
    def local_description(self) -> str:
        return self.localized("description")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(logo="") | ~Q(logo_alt=""),
                name="organization_logo_has_alt",
                violation_error_message=_("A logo needs alt text."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="organization_not_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
        ]
        indexes = [models.Index(fields=["name"], name="organization_name")]

    def clean(self):
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": gettext("This would make the organization its own parent.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def get_absolute_url(self):
        return reverse("people:organization-detail", kwargs={"slug": self.slug})


class OrganizationRedirect(SlugRedirect):
    target = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="redirects")
