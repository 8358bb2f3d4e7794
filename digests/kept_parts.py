"""Which digests a write touches, for the parts of digest pages kept rendered between writes.

A digest page's heading, body and meta are kept rendered under the digest's own version
(`digestsite.cache.fragment_version`), so that a write to one digest, which retires every
cached page, leaves the other digests' pages cheap to render again. `scopes_of` answers, for a
model signal, the digests whose kept parts the write can change: never too few. When it cannot
tell for sure (people, organizations, topics and anything else shared between digests, raw
saves, a row whose former digest is unknown) it answers None, which retires every kept part.

A page also lists the digest's versions in other languages, kept with its parts under the
scope of their original too (`Digest.page_scopes`): a write to a digest's row moves its own
scope, its original's, and the original's it had before (a version moved to another digest,
or made an original), so every page that lists it or listed it is read again.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.dispatch import receiver

from digests.models import Digest, Item, Mention, Section, SocialMetric, digest_scope

# Where a row was in the database before a save: its digest (or an item's section) as it was
# read (the models' `from_db` keep it) or last saved by this instance (`_SAVED`), copied to
# `_BEFORE` before each save (the receivers of `digests.signals` move `from_db`'s on after
# the save, before the cache's receiver asks). `_UNKNOWN` when the instance cannot tell.
_LOADED = {
    Digest: "_loaded_translation_of_id",
    Section: "_loaded_digest_id",
    SocialMetric: "_loaded_digest_id",
    Item: "_loaded_section_id",
}
_PARENT = {
    Digest: "translation_of_id",
    Section: "digest_id",
    SocialMetric: "digest_id",
    Item: "section_id",
}
_SAVED, _BEFORE, _UNKNOWN = "_kept_parts_saved", "_kept_parts_before", "unknown"


@receiver(pre_save, sender=Digest, dispatch_uid="digests.kept_parts_digest")
@receiver(pre_save, sender=Section, dispatch_uid="digests.kept_parts_section")
@receiver(pre_save, sender=SocialMetric, dispatch_uid="digests.kept_parts_metric")
@receiver(pre_save, sender=Item, dispatch_uid="digests.kept_parts_item")
def _remember_parent(sender, instance, **kwargs):
    known = instance.__dict__
    known[_BEFORE] = known.get(_SAVED, known.get(_LOADED[sender], _UNKNOWN))


def _section_digests(*section_ids) -> set | None:
    found = dict(Section.objects.filter(pk__in=section_ids).values_list("pk", "digest_id"))
    return set(found.values()) if len(found) == len(set(section_ids)) else None


def _item_digests(item, *, saved: bool) -> set | None:
    section = item._state.fields_cache.get("section")
    current = {section.digest_id} if section is not None else _section_digests(item.section_id)
    if not saved:
        return current
    before = item.__dict__.get(_BEFORE, _UNKNOWN)
    if before == _UNKNOWN:
        return None
    if before is None or before == item.section_id or current is None:
        return current
    former = _section_digests(before)
    return None if former is None else current | former


def _digests(sender, instance, kwargs) -> set | None:
    saved = "created" in kwargs and not kwargs["created"]  # an existing row saved
    if sender is Digest:
        return _originals(instance, kwargs)
    if sender in (Section, SocialMetric):
        if not saved:
            return {instance.digest_id}
        before = instance.__dict__.get(_BEFORE, _UNKNOWN)
        return None if before == _UNKNOWN else {instance.digest_id, before} - {None}
    if sender is Item:
        return _item_digests(instance, saved=saved)
    if sender is Mention:
        return {instance.digest_id} if instance.digest_id else None
    if sender in (SocialMetric.people.through, SocialMetric.organizations.through):
        metric = instance if isinstance(instance, SocialMetric) else None
        return {metric.digest_id} if metric is not None else None
    if sender is Digest.tags.through:
        if isinstance(instance, Digest):  # digest.tags.add(…), .set(…), .remove(…)
            return {instance.pk}
        if not kwargs.get("action") and instance.content_type_id == _digest_type_id():
            return {instance.object_id}
    return None


def _originals(digest, kwargs) -> set | None:
    """The digest, and the originals whose pages list it as a version, now and before."""
    known = digest.__dict__
    if kwargs.get("created"):
        before = None
    elif "created" in kwargs:  # saved: as it was before this save
        before = known.get(_BEFORE, _UNKNOWN)
    else:  # deleted: as it was last read or saved
        before = known.get(_SAVED, known.get(_LOADED[Digest], _UNKNOWN))
    if before == _UNKNOWN:
        return None
    return {digest.pk, digest.translation_of_id, before} - {None}


def _digest_type_id() -> int:
    return ContentType.objects.get_for_model(Digest).pk


def scopes_of(sender, instance=None, **kwargs) -> set[str] | None:
    """The scopes (`digest_scope`) of the kept parts a write can change, or None for all."""
    if kwargs.get("raw") or instance is None:
        return None
    digests = _digests(sender, instance, kwargs)
    if "created" in kwargs and sender in _PARENT:  # saved: where the row now is
        instance.__dict__[_SAVED] = getattr(instance, _PARENT[sender])
    return None if digests is None else {digest_scope(pk) for pk in digests}
