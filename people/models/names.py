"""The names people and organizations are known by (`Alias`: every spelling in one table with
a unique normalised form, so the database refuses a name that would point at two entities), and
the names staff told the "Names to review" queue to leave out."""

import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.signals import send_names_changed
from people.spelling import normalize_name, plain_name, search_key, skeleton, tidy_spaces


@reversion.register()
class Alias(models.Model):
    """A name or other spelling of exactly one person or organization.

    The entity's own name is kept here too (`is_primary`), so the unique `normalized` column
    makes every name and alias unique across all people and organizations.
    """

    text = models.CharField(
        max_length=200,
        help_text=_("Another spelling, short form, acronym or transliteration, as written."),
        verbose_name=_("name"),
    )
    normalized = models.CharField(max_length=200, unique=True, editable=False)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        "people.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="aliases",
        verbose_name=_("organization"),
    )
    is_primary = models.BooleanField(default=False, editable=False)
    search_key = models.CharField(
        max_length=400,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The name in one Latin spelling, for search (see people.spelling)."),
    )
    search_skeleton = models.CharField(
        max_length=400,
        blank=True,
        editable=False,
        help_text=_("The consonants of the search key, for spellings that sound alike."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_primary", "pk"]
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="alias_has_exactly_one_entity",
            ),
            models.CheckConstraint(condition=~Q(normalized=""), name="alias_not_empty"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_primary=True),
                name="one_primary_name_per_person",
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_primary=True),
                name="one_primary_name_per_organization",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def entity(self):
        return self.person if self.person_id else self.organization

    @property
    def entity_key(self) -> tuple[str, int]:
        return (
            ("person", self.person_id) if self.person_id else ("organization", self.organization_id)
        )

    @classmethod
    def clash(cls, text: str, *, owner=None, alias=None) -> str | None:
        """Why `text` cannot be a name of `owner`, naming the entity that has it, or None.

        With `alias` the text is checked as that alias row; without, as the owner's own name
        (an owner may take one of its own aliases as its name).
        """
        existing = (
            cls.objects.filter(normalized=normalize_name(text))
            .select_related("person", "organization")
            .first()
        )
        if existing is None or (alias is not None and existing.pk == alias.pk):
            return None
        if owner is not None and owner.pk and existing.entity == owner:
            if alias is None:
                return None
            if owner.entity_type == "person":
                return gettext("“%(text)s” is already a name of this person.") % {"text": text}
            return gettext("“%(text)s” is already a name of this organization.") % {"text": text}
        other = existing.entity
        if other.entity_type == "person":
            clash = gettext("“%(text)s” already belongs to person “%(name)s”.")
        else:
            clash = gettext("“%(text)s” already belongs to organization “%(name)s”.")
        return clash % {"text": text, "name": other.name}

    def clean(self):
        super().clean()
        self.text = tidy_spaces(self.text or "")
        if not normalize_name(self.text):
            raise ValidationError({"text": gettext("An alias cannot be empty.")})
        message = self.clash(self.text, owner=self.entity, alias=self)
        if message:
            raise ValidationError({"text": message})

    def save(self, *args, **kwargs):
        self.normalized = normalize_name(self.text)
        self.search_key = search_key(self.text)[:400]
        self.search_skeleton = skeleton(self.search_key)[:400]
        old = (
            Alias.objects.filter(pk=self.pk).values_list("text", flat=True).first()
            if self.pk
            else None
        )
        super().save(*args, **kwargs)
        if old != self.text:
            send_names_changed(names=[old, self.text], entities=[self.entity_key])


@receiver(post_delete, sender=Alias, dispatch_uid="people.alias_deleted")
def alias_deleted(sender, instance, **kwargs):
    """Also sent for aliases deleted with their person or organization (cascade)."""
    send_names_changed(names=[instance.text], entities=[instance.entity_key])


class IgnoredName(models.Model):
    """A name staff have told the "Names to review" queue to leave out, for good."""

    text = models.CharField(
        max_length=200, help_text=_("The name as it was found in the text."), verbose_name=_("name")
    )
    normalized = models.CharField(
        max_length=200,
        unique=True,
        editable=False,
        help_text=_("The name without case, diacritics or possessive 's (people.spelling)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["text"]
        verbose_name = _("ignored name")
        verbose_name_plural = _("ignored names")

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.normalized = plain_name(self.text)[:200]
        super().save(*args, **kwargs)

    @classmethod
    def ignore(cls, texts) -> int:
        """Remember `texts` as ignored; returns how many were new."""
        new = 0
        for text in texts:
            if plain_name(text):
                new += cls.objects.get_or_create(
                    normalized=plain_name(text)[:200], defaults={"text": text[:200]}
                )[1]
        return new


class NameToReview(IgnoredName):
    """The admin's "Names to review" queue: names in digest text not registered yet. Its rows
    are found in the text (digests side); only the names staff ignore are stored."""

    class Meta:
        proxy = True
        verbose_name = _("name to review")
        verbose_name_plural = _("names to review")
