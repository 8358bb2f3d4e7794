"""Mentions: which person or organization an item names, found by the linker or set by staff.

Each mention also carries its item's digest (`Mention.digest`, kept equal to
`item.section.digest`): entity pages, indexes and feeds ask "published mentions of X, by digest"
through one join instead of three (docs/architecture.md, "Mentions carry their digest").
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from digests.models.content import Item
from digests.models.digest import Digest, published_q
from people.models import Organization, Person, listed_q


class MentionQuerySet(models.QuerySet):
    def published(self, *, now=None):
        """Mentions readers may see: in published digests, never suppressed by staff."""
        return self.filter(published_q("digest__", now=now)).exclude(
            source=Mention.Source.SUPPRESSED
        )

    def bulk_create(self, objs, *args, **kwargs):
        """`save()` is not called: mentions given without their digest get their item's."""
        objs = list(objs)
        missing = {m.item_id for m in objs if m.digest_id is None}
        if missing:
            digests = dict(
                Item.objects.filter(pk__in=missing).values_list("pk", "section__digest_id")
            )
            for mention in objs:
                if mention.digest_id is None:
                    mention.digest_id = digests.get(mention.item_id)
        return super().bulk_create(objs, *args, **kwargs)


class Mention(models.Model):
    """A person or organization named in an item. Found by the linker, or set by staff."""

    class Source(models.TextChoices):
        AUTOMATIC = "auto", _("Found in the text")
        STAFF = "staff", _("Added by staff")
        SUPPRESSED = "suppressed", _("Suppressed by staff")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("item")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mentions",
        verbose_name=_("organization"),
    )
    source = models.CharField(
        max_length=12,
        choices=Source.choices,
        default=Source.STAFF,
        help_text=_(
            "“Added by staff” names someone the text does not spell out; “Suppressed” "
            "removes a wrong match. Relinking never overrides either."
        ),
        verbose_name=_("source"),
    )
    # Always the item's digest (set on save; moved with the item or its section: see
    # `digests.signals.keep_mentions_with_their_digest` and `moderation.apply`).
    digest = models.ForeignKey(
        Digest, on_delete=models.CASCADE, null=True, editable=False, related_name="+"
    )
    occurrences = models.PositiveIntegerField(
        default=0, editable=False, verbose_name=_("occurrences")
    )
    snippet = models.TextField(blank=True, editable=False, verbose_name=_("snippet"))

    objects = MentionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
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
        indexes = [
            # An entity's mentions by digest, read from the index alone (entity pages, the
            # indexes' "has a public page" probe, feeds).
            models.Index(
                fields=["person", "digest", "source", "item"],
                condition=Q(person__isnull=False),
                name="mention_person_digest",
            ),
            models.Index(
                fields=["organization", "digest", "source", "item"],
                condition=Q(organization__isnull=False),
                name="mention_organization_digest",
            ),
            # An entity's mentions newest item first (search reads a person's latest 500).
            models.Index(fields=["person", "item"], name="mention_person_item"),
            models.Index(fields=["organization", "item"], name="mention_organization_item"),
        ]

    def __str__(self):
        return f"{self.entity} in {self.item}"

    def save(self, *args, **kwargs):
        if self.digest_id is None and self.item_id is not None:
            self.digest_id = self.item.section.digest_id
        super().save(*args, **kwargs)

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
    # EXISTS, probed per entity in the mention's (entity, digest) index, stops at the first
    # published mention; `pk IN (…)` under the OR would hash every published mention. The
    # digests readers may not see (drafts, scheduled: a handful) are hashed once and the probe
    # reads the index alone; joining the published digests instead cost a merge per entity.
    hidden = Digest.objects.exclude(published_q()).values("pk")
    named = Exists(
        Mention.objects.filter(**{field: OuterRef(f"{path}pk")}, digest__isnull=False)
        .exclude(source=Mention.Source.SUPPRESSED)
        .exclude(digest__in=hidden)
    )
    return listed_q(model, path) & (Q(**{f"{path}public_profile": True}) | named)


def public_entities(entities):
    """The people or organizations of `entities` (a queryset or manager of either) that have a
    public page: named in a published item, or given a public profile by staff; never a
    sensitive person (`listed()`). Drafts and scheduled digests never count."""
    return entities.filter(public_q(entities.model))


def public_family(organization) -> tuple:
    """The parent of `organization` and its parts, A–Z, that have a public page (None and []
    for those readers may not see), in one query: the rule is applied once for all of them."""
    family = list(
        public_entities(Organization.objects)
        .filter(Q(parent=organization) | Q(pk=organization.parent_id))
        .order_by("name", "pk")
    )
    parent = next((o for o in family if o.pk == organization.parent_id), None)
    return parent, [o for o in family if o.parent_id == organization.pk]
