"""Render at save time: the receivers that link names whenever a digest's lead, a section, an
item or a figure is saved; relink what a change of the registry's names touches; and move
mentions and figures when people or organizations are merged.

Models know nothing of the linker (`digests.mentions` builds on them); these receivers join the
two. Raw saves (a revision restored, fixtures) are left as stored, as `save()` would leave them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from digests.mentions import (
    heading_entities,
    link_item,
    names_people,
    render_title,
    sync_mentions,
)
from digests.models import Digest, Item, Mention, Section, SocialMetric
from digests.relinking import (
    headings_batch,
    mentions_changed,
    relink_digest,
    relink_for_names,
    relink_headings_for_names,
)
from people.models import Organization, Person
from people.signals import entities_merged, names_changed


@receiver(pre_save, sender=Digest, dispatch_uid="digests.link_lead")
def link_lead(sender, instance, raw, update_fields, **kwargs):
    if raw or (update_fields is not None and "lead" not in update_fields):
        return
    stored = (
        Digest.objects.filter(pk=instance.pk).values_list("lead", flat=True).first()
        if instance.pk
        else None
    )
    # Only what the digest's items mention (or a public profile) may link: see `mentions`.
    allowed = heading_entities([instance.pk])[instance.pk]
    instance.lead_html = render_title(instance.lead, allowed=allowed)
    instance._relink_after_save = stored is not None and stored != instance.lead


@receiver(pre_save, sender=Section, dispatch_uid="digests.link_section_title")
def link_section_title(sender, instance, raw, **kwargs):
    if raw:
        return
    old_title = (
        Section.objects.filter(pk=instance.pk).values_list("title", flat=True).first()
        if instance.pk
        else None
    )
    allowed = heading_entities([instance.digest_id])[instance.digest_id]
    instance.title_html = render_title(instance.title, allowed=allowed)
    # A full name in a section title lets surnames below it link.
    instance._relink_after_save = old_title != instance.title and (
        names_people(instance.title) or names_people(old_title)
    )


@receiver(pre_save, sender=Item, dispatch_uid="digests.link_item")
def link_item_text(sender, instance, raw, **kwargs):
    if not raw:
        instance._mention_hits = link_item(instance)


@receiver(pre_save, sender=SocialMetric, dispatch_uid="digests.link_topic")
def link_topic(sender, instance, raw, **kwargs):
    if not raw:
        allowed = heading_entities([instance.digest_id])[instance.digest_id]
        instance.topic_html = render_title(instance.topic, allowed=allowed)


@receiver(post_save, sender=Digest, dispatch_uid="digests.relink_after_lead")
@receiver(post_save, sender=Section, dispatch_uid="digests.relink_after_section")
def relink_after_save(sender, instance, raw, **kwargs):
    if not raw and getattr(instance, "_relink_after_save", False):
        instance._relink_after_save = False
        # The lead and section titles come before items: surnames below may depend on them.
        relink_digest(instance if sender is Digest else instance.digest)


@receiver(post_save, sender=Item, dispatch_uid="digests.item_mentions")
def record_item_mentions(sender, instance, raw, **kwargs):
    hits = instance.__dict__.pop("_mention_hits", None)
    if raw or hits is None:
        return
    with headings_batch():
        sync_mentions(instance, hits)
        # Surnames alone link after the full name earlier in the digest: relink it in order
        # (its lead, section titles and topics too: they link what its items mention).
        relink_digest(instance.section.digest, item=instance)


@receiver(post_save, sender=Mention, dispatch_uid="digests.mention_saved")
@receiver(post_delete, sender=Mention, dispatch_uid="digests.mention_deleted")
def relink_headings_after_mention(sender, instance, raw=False, origin=None, **kwargs):
    """A mention added, suppressed or removed (by staff or by relinking) changes what the
    digest's lead, section titles and topics may link. A mention deleted with its item,
    digest or entity is left to that deletion's own relinking."""
    if raw or (origin is not None and not isinstance(origin, Mention)):
        return
    digest_id = (
        Item.objects.filter(pk=instance.item_id)
        .values_list("section__digest_id", flat=True)
        .first()
    )
    if digest_id is not None:
        mentions_changed(digest_id)


@receiver(pre_save, sender=Person, dispatch_uid="digests.person_profile_before")
@receiver(pre_save, sender=Organization, dispatch_uid="digests.organization_profile_before")
def remember_public_profile(sender, instance, raw, **kwargs):
    stored = (
        sender.objects.filter(pk=instance.pk).values_list("public_profile", flat=True).first()
        if instance.pk and not raw
        else None
    )
    instance._public_profile_changed = stored is not None and stored != instance.public_profile


@receiver(post_save, sender=Person, dispatch_uid="digests.person_profile_after")
@receiver(post_save, sender=Organization, dispatch_uid="digests.organization_profile_after")
def relink_headings_after_public_profile(sender, instance, raw, **kwargs):
    """A public profile given or taken back: the leads, section titles and topics that name
    the entity may link it now, or must not any more."""
    if not raw and getattr(instance, "_public_profile_changed", False):
        instance._public_profile_changed = False
        relink_headings_for_names(instance.aliases.values_list("text", flat=True))


@receiver(post_save, sender=Item, dispatch_uid="digests.item_mentions_follow")
@receiver(post_save, sender=Section, dispatch_uid="digests.section_mentions_follow")
def keep_mentions_with_their_digest(sender, instance, raw, created, **kwargs):
    """An item moved to another section, or a section to another digest, takes its mentions'
    digest along (`Mention.digest`). Changes applied by moderation (raw saves) are put right
    there, for the whole digest at once."""
    if raw or created:
        return
    if sender is Item:
        loaded = instance.__dict__.get("_loaded_section_id")
        if loaded is not None and loaded != instance.section_id:
            Mention.objects.filter(item=instance).update(digest_id=instance.section.digest_id)
        instance._loaded_section_id = instance.section_id
    else:
        loaded = instance.__dict__.get("_loaded_digest_id")
        if loaded is not None and loaded != instance.digest_id:
            Mention.objects.filter(item__section=instance).update(digest_id=instance.digest_id)
        instance._loaded_digest_id = instance.digest_id


@receiver(names_changed, dispatch_uid="digests.relink_on_names_changed")
def relink_on_names_changed(sender, names, entities, **kwargs):
    relink_for_names(names, entities)


@receiver(entities_merged, dispatch_uid="digests.move_merged_mentions")
def move_merged_mentions(sender, survivor, duplicate, **kwargs):
    """A merged duplicate's mentions and figures become the survivor's. Where both were
    mentioned in the same item the survivor's mention is kept."""
    field, figures_field = (
        ("person", "people") if sender is Person else ("organization", "organizations")
    )
    mentions = Mention.objects.filter(**{field: duplicate})
    mentions.filter(item__in=Mention.objects.filter(**{field: survivor}).values("item")).delete()
    mentions.update(**{field: survivor})
    survivor.social_metrics.add(*SocialMetric.objects.filter(**{figures_field: duplicate}))


def _relink_after_commit(**digest) -> None:
    """Relink the digest (`pk=…`, or `sections=…` for the digest of a section) once the
    deletion is committed: a rolled-back one changes nothing, and nothing is done when the
    digest (or the section) went with it."""

    def relink():
        found = Digest.objects.filter(**digest).first()
        if found is not None:
            relink_digest(found)

    transaction.on_commit(relink)


@receiver(post_delete, sender=Item, dispatch_uid="digests.relink_after_item_deleted")
def relink_after_item_deleted(sender, instance, **kwargs):
    """A surname alone links only after the full name earlier in the digest: when the item
    (or section) that named someone in full goes, the digest is relinked."""
    _relink_after_commit(sections=instance.section_id)


@receiver(post_delete, sender=Section, dispatch_uid="digests.relink_after_section_deleted")
def relink_after_section_deleted(sender, instance, **kwargs):
    _relink_after_commit(pk=instance.digest_id)
