"""Mentions: which person or organization an item names, found by the linker or set by staff."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from digests.models.content import Item
from digests.models.digest import published_q
from people.models import Organization, Person, listed_q


class MentionQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Mentions readers may see: in published digests, never suppressed by staff."""
        return self.filter(published_q("item__section__digest__", now=now)).exclude(
            source=Mention.Source.SUPPRESSED
        )


class Mention(models.Model):
    """A person or organization named in an item. Found by the linker, or set by staff."""

    class Source(models.TextChoices):
        AUTOMATIC = "auto", _("Found in the text")
        STAFF = "staff", _("Added by staff")
        SUPPRESSED = "suppressed", _("Suppressed by staff")

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
        help_text=_(
            "“Added by staff” names someone the text does not spell out; “Suppressed” "
            "removes a wrong match. Relinking never overrides either."
        ),
    )
    occurrences = models.PositiveIntegerField(default=0, editable=False)
    snippet = models.TextField(blank=True, editable=False)

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [
            # An entity's mentions newest item first (search reads a person's latest 500).
            models.Index(fields=["person", "item"], name="mention_person_item"),
            models.Index(fields=["organization", "item"], name="mention_organization_item"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(organization__isnull=True))
                | (Q(person__isnull=True) & Q(organization__isnull=False)),
                name="mention_has_exactly_one_entity",
                violation_error_message=_("Choose a person or an organization, not both."),
            ),
            models.UniqueConstraint(
                fields=["item", "person"],
                condition=Q(person__isnull=False),
                name="mention_person_once_per_item",
                violation_error_message=_("This person is already listed for this item."),
            ),
            models.UniqueConstraint(
                fields=["item", "organization"],
                condition=Q(organization__isnull=False),
                name="mention_organization_once_per_item",
                violation_error_message=_("This organization is already listed for this item."),
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


def public_q(model, path: str = "") -> Q:
    """The rule of `public_entities` as a condition on the person or organization (`model`) at
    `path` ("" for the entity itself, "person__" from an alias, …)."""
    field = "person" if model is Person else "organization"
    # EXISTS, probed per entity through the mention's entity index, stops at the first
    # published mention; `pk IN (…)` under the OR would hash every published mention.
    named = Exists(Mention.objects.published().filter(**{field: OuterRef(f"{path}pk")}))
    return listed_q(model, path) & (Q(**{f"{path}public_profile": True}) | named)


def public_entities(entities):
    """The people or organizations of `entities` (a queryset or manager of either) that have a
    public page: named in a published item, or given a public profile by staff; never a
    sensitive person (`listed()`). Drafts and scheduled digests never count."""
    return entities.filter(public_q(entities.model))
