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
    link_item,
    names_people,
    relink_digest,
    relink_for_names,
    render_title,
    sync_mentions,
)
from digests.models import Digest, Item, Mention, Section, SocialMetric
from people.models import Person
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
    instance.lead_html = render_title(instance.lead)
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
    instance.title_html = render_title(instance.title)
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
        instance.topic_html = render_title(instance.topic)


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
    sync_mentions(instance, hits)
    # Surnames alone link after the full name earlier in the digest: relink it in order.
    relink_digest(instance.section.digest, item=instance)


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
