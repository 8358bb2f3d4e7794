"""Pending changes: what staff without `publish_digest` change in a published or scheduled
digest waits for a Publisher instead of reaching readers.

Every admin door that writes content runs inside `moderate(request)`. For a user who may not
publish, the writes run as usual inside a transaction while the digests they touch are noted;
if any of those digests was published or scheduled (or would become so, as a restore or a
recover does), the whole digest as it would be is recorded as a `PendingChange` and the
transaction is rolled back, so the live page stays as it was. A Publisher approves (the
recorded version is applied and goes live at once) or rejects with a note.

A recorded version is the digest's rows (digest, sections, items, figures, mentions) in
Django's serialization format, with the tags by name and the primary keys that already existed
when it was recorded. Rows created by the change are created again, with new keys, when it is
applied, so nothing that came into the database meanwhile is overwritten.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core import serializers
from django.db import transaction
from django.db.models.signals import pre_delete, pre_save

PUBLISH_PERMISSION = "digests.publish_digest"

_collector: contextvars.ContextVar[_Collector | None] = contextvars.ContextVar(
    "digest_moderation", default=None
)


def may_publish(user) -> bool:
    return user.has_perm(PUBLISH_PERMISSION)


@dataclass
class _Collector:
    """The digests a request's writes touch, with each one's status before the first write."""

    original: dict[int, str | None] = field(default_factory=dict)
    # {digest: {model label: {pk: new parent}}}: sections and items moved to another digest.
    moved: dict[int, dict] = field(default_factory=dict)
    # Changes build on the version already waiting for approval; a restore replaces it.
    build_on_pending: bool = True

    def note(self, digest_id):
        from digests.models import Digest, PendingChange

        if digest_id is None or digest_id in self.original:
            return
        self.original[digest_id] = (
            Digest.objects.filter(pk=digest_id).values_list("status", flat=True).first()
        )
        if self.build_on_pending:
            change = PendingChange.objects.awaiting().filter(digest_id=digest_id).first()
            if change is not None:
                apply(change.data)

    def affected(self) -> list[int]:
        """Touched digests that readers see or would see: published or scheduled before the
        change, or published after it."""
        from digests.models import Digest, Status

        now = dict(
            Digest.objects.filter(pk__in=self.original).values_list("pk", "status")
        )  # fmt: skip
        return sorted(
            pk for pk, before in self.original.items() if Status.PUBLISHED in (before, now.get(pk))
        )


def _digest_of(model_label: str, pk) -> int | None:
    """The digest that the stored row `pk` of a content model belongs to."""
    from digests.models import Item, Mention, Section, SocialMetric

    if pk is None:
        return None
    lookups = {
        "digests.section": (Section, "digest_id"),
        "digests.item": (Item, "section__digest_id"),
        "digests.socialmetric": (SocialMetric, "digest_id"),
        "digests.mention": (Mention, "item__section__digest_id"),
    }
    model, path = lookups[model_label]
    return model.objects.filter(pk=pk).values_list(path, flat=True).first()


def _on_write(sender, instance, **kwargs):
    collector = _collector.get()
    if collector is None:
        return
    from digests.models import Item, Section

    label = sender._meta.label_lower
    if label == "digests.digest":
        collector.note(instance.pk)
        return
    # Where the row is going, and where it was (an item moved between digests is both).
    going = None
    if label in ("digests.section", "digests.socialmetric"):
        going = instance.digest_id
    elif label == "digests.item":
        section = Section.objects.filter(pk=instance.section_id)
        going = section.values_list("digest_id", flat=True).first()
    elif label == "digests.mention":
        going = (
            Item.objects.filter(pk=instance.item_id)
            .values_list("section__digest_id", flat=True)
            .first()
        )
    was = _digest_of(label, instance.pk)
    collector.note(going)
    collector.note(was)
    if was is not None and going is not None and was != going and kwargs.get("signal") is pre_save:
        # Moved out: the digest it leaves records where it went, so that approving its
        # change moves the row rather than deleting it.
        parent = "section_id" if label == "digests.item" else "digest_id"
        collector.moved.setdefault(was, {}).setdefault(label, {})[instance.pk] = getattr(
            instance, parent
        )


def connect_signals() -> None:
    from digests.models import Digest, Item, Mention, Section, SocialMetric

    for model in (Digest, Section, Item, SocialMetric, Mention):
        uid = f"moderation:{model._meta.label_lower}"
        pre_save.connect(_on_write, sender=model, dispatch_uid=uid)
        pre_delete.connect(_on_write, sender=model, dispatch_uid=uid)


class Moderation:
    """What `moderate()` found: the pending changes it recorded (empty when the writes went
    through as usual)."""

    def __init__(self):
        self.pending: list = []

    def __bool__(self):
        return bool(self.pending)


def is_moderating(request) -> bool:
    """True while a change by `request.user` to a live digest is being held back (the admin
    words its messages accordingly)."""
    collector = _collector.get()
    return collector is not None and bool(collector.affected())


def build_on_pending(digest_id) -> None:
    """Inside `moderate()`: bring in the change waiting for `digest_id` now (before a form is
    read), so that what follows builds on it."""
    collector = _collector.get()
    if collector is not None:
        collector.note(int(digest_id))


@contextmanager
def moderate(request, *, restoring: bool = False):
    """Run an admin view's writes; hold them back as pending changes when `request.user` may
    not publish and they touch a digest readers see. Writes build on a change already waiting
    for the same digest, except a restore (`restoring`), which replaces it. Re-entrant: an
    inner use does nothing."""
    result = Moderation()
    if may_publish(request.user) or _collector.get() is not None:
        yield result
        return
    collector = _Collector(build_on_pending=not restoring)
    token = _collector.set(collector)
    snapshots = {}
    try:
        with transaction.atomic():
            yield result
            affected = collector.affected()
            if affected:
                snapshots = {pk: snapshot(pk) for pk in affected}
                for pk, data in snapshots.items():
                    data["moved_out"] = collector.moved.get(pk, {})
                transaction.set_rollback(True)
    finally:
        _collector.reset(token)
    if snapshots:
        _rolled_back()
        result.pending = _record(request.user, snapshots, collector.original)


def _record(user, snapshots, original):
    from digests.models import Digest, PendingChange, Status

    recorded = []
    with transaction.atomic():
        for pk, data in snapshots.items():
            data["existing"] = _existing(data["objects"])
            current = PendingChange.objects.awaiting().filter(digest_id=pk).first()
            if current is not None and _same_content(current.data, data):
                recorded.append(current)  # saved again without a change: nothing new
                continue
            if original.get(pk) != Status.PUBLISHED:
                # A restore or recover that would publish: the content comes back as a draft
                # now; publishing it waits for a Publisher.
                data = _as_draft_now(data)
            digest = Digest.objects.get(pk=pk)
            PendingChange.objects.filter(digest=digest, state=PendingChange.State.PENDING).update(
                state=PendingChange.State.SUPERSEDED
            )
            recorded.append(
                PendingChange.objects.create(
                    digest=digest, author=user, data=data, base_updated_at=digest.updated_at
                )
            )
    return recorded


def _as_draft_now(data: dict) -> dict:
    """Store `data` as a draft; returns what publishing it would record, under the keys
    the rows have now."""
    apply(data, as_draft=True)
    recorded = next(r for r in data["objects"] if r["model"] == "digests.digest")
    now = snapshot(recorded["pk"])
    row = next(r for r in now["objects"] if r["model"] == "digests.digest")
    for name in ("status", "publish_at"):
        row["fields"][name] = recorded["fields"][name]
    now["existing"] = _existing(now["objects"])
    return now


def _same_content(a: dict, b: dict) -> bool:
    def content(data):
        rows = [
            {**row, "fields": {k: v for k, v in row["fields"].items() if k != "updated_at"}}
            for row in data["objects"]
        ]
        return rows, data.get("tags")

    return content(a) == content(b)


CONTENT_MODELS = (
    "digests.digest",
    "digests.section",
    "digests.item",
    "digests.socialmetric",
    "digests.mention",
)
# Derived from the rest and recomputed when an item is saved.
_NOT_RECORDED = {"search_vector"}


def snapshot(digest_id: int) -> dict:
    """The digest `digest_id` as stored now (inside the current transaction), as data."""
    from digests.models import Digest, Item, Mention, Section, SocialMetric

    digest = Digest.objects.get(pk=digest_id)
    items = list(Item.objects.filter(section__digest=digest).prefetch_related("tags"))
    rows = [
        digest,
        *Section.objects.filter(digest=digest),
        *items,
        *SocialMetric.objects.filter(digest=digest).prefetch_related("people", "organizations"),
        *Mention.objects.filter(item__section__digest=digest),
    ]
    objects = serializers.serialize("python", rows)
    for row in objects:
        for name in _NOT_RECORDED & row["fields"].keys():
            del row["fields"][name]
    return {
        "objects": _jsonable(objects),
        "tags": {
            "digest": sorted(digest.tags.names()),
            "items": {str(i.pk): sorted(t.name for t in i.tags.all()) for i in items},
        },
    }


def _jsonable(objects):
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    return json.loads(json.dumps(objects, cls=DjangoJSONEncoder))


def _existing(objects) -> dict[str, list]:
    """The primary keys of the recorded rows that exist in the database now."""
    from django.apps import apps

    found = {}
    for label in CONTENT_MODELS:
        pks = [row["pk"] for row in objects if row["model"] == label]
        model = apps.get_model(label)
        found[label] = sorted(model.objects.filter(pk__in=pks).values_list("pk", flat=True))
    return found


def apply(data: dict, *, as_draft: bool = False):
    """Make the stored digest what `data` records: its rows saved (created again under new
    keys where they did not exist when recorded, or no longer do), everything of the digest
    not in it deleted, tags set. Returns the digest. Run inside a transaction."""
    from django.apps import apps

    from digests.models import Digest, Item, Mention, Section, SocialMetric, Status

    by_model: dict[str, list] = {label: [] for label in CONTENT_MODELS}
    for obj in serializers.deserialize("python", data["objects"]):
        by_model[obj.object._meta.label_lower].append(obj)
    recorded_existing = {label: set(pks) for label, pks in data.get("existing", {}).items()}
    new_keys: dict[str, dict] = {label: {} for label in CONTENT_MODELS}

    def save(label, obj, **foreign):
        instance = obj.object
        for attname, target in foreign.items():
            old = getattr(instance, attname)
            setattr(instance, attname, new_keys[target].get(old, old))
        old_pk = instance.pk
        model = apps.get_model(label)
        if (
            old_pk not in recorded_existing.get(label, set())
            or not model.objects.filter(pk=old_pk).exists()
        ) and label != "digests.digest":
            instance.pk = None
        obj.save()
        new_keys[label][old_pk] = instance.pk

    (digest_obj,) = by_model["digests.digest"]
    digest = digest_obj.object
    if as_draft:
        digest.status, digest.publish_at = Status.DRAFT, None
    old_slug = Digest.objects.filter(pk=digest.pk).values_list("slug", flat=True).first()
    digest_obj.save()
    if old_slug:
        digest.remember_slug(old_slug)
    for obj in by_model["digests.section"]:
        save("digests.section", obj)
    for obj in by_model["digests.item"]:
        save("digests.item", obj, section_id="digests.section")
    people, organizations = _entities_still_there(by_model)
    for obj in by_model["digests.socialmetric"]:
        # People and organizations deleted or merged since the change was made drop out.
        obj.m2m_data = {
            "people": [pk for pk in obj.m2m_data.get("people", []) if pk in people],
            "organizations": [
                pk for pk in obj.m2m_data.get("organizations", []) if pk in organizations
            ],
        }
        save("digests.socialmetric", obj, item_id="digests.item")
    kept = {label: set(keys.values()) for label, keys in new_keys.items()}
    items = Item.objects.filter(pk__in=kept["digests.item"])
    Mention.objects.filter(item__in=items).exclude(
        pk__in=[
            o.object.pk
            for o in by_model["digests.mention"]
            if o.object.pk in recorded_existing.get("digests.mention", set())
        ]
    ).delete()
    for obj in by_model["digests.mention"]:
        mention = obj.object
        if mention.person_id in people or mention.organization_id in organizations:
            save("digests.mention", obj, item_id="digests.item")
    SocialMetric.objects.filter(digest=digest).exclude(pk__in=kept["digests.socialmetric"]).delete()
    # Raw saves skip Mention.save(): the digest's mentions carry the digest (Mention.digest).
    Mention.objects.filter(item__section__digest=digest).exclude(digest=digest).update(
        digest=digest
    )
    _move_out(data.get("moved_out", {}), digest)
    Item.objects.filter(section__digest=digest).exclude(pk__in=kept["digests.item"]).delete()
    Section.objects.filter(digest=digest).exclude(pk__in=kept["digests.section"]).delete()
    tags = data.get("tags", {})
    digest.tags.set(tags.get("digest", []))
    for old_pk, names in tags.get("items", {}).items():
        new_pk = new_keys["digests.item"].get(int(old_pk))
        if new_pk is not None:
            Item.objects.get(pk=new_pk).tags.set(names)
    return digest


def _move_out(moved_out: dict, digest) -> None:
    """Sections and items the change moved to another digest go there (if it still exists)
    instead of being deleted with what the change removed."""
    from digests.models import Digest, Item, Mention, Section

    for pk, section_id in moved_out.get("digests.item", {}).items():
        target = Section.objects.filter(pk=section_id).exclude(digest=digest).first()
        if target is not None:
            if Item.objects.filter(pk=pk, section__digest=digest).update(section_id=section_id):
                Mention.objects.filter(item_id=pk).update(digest_id=target.digest_id)
    for pk, digest_id in moved_out.get("digests.section", {}).items():
        if Digest.objects.filter(pk=digest_id).exclude(pk=digest.pk).exists():
            if Section.objects.filter(pk=pk, digest=digest).update(digest_id=digest_id):
                Mention.objects.filter(item__section_id=pk).update(digest_id=digest_id)


def _entities_still_there(by_model) -> tuple[set, set]:
    """The people and organizations named in the recorded figures and mentions that still
    exist."""
    from people.models import Organization, Person

    people, organizations = set(), set()
    for obj in by_model["digests.socialmetric"]:
        people.update(obj.m2m_data.get("people", []))
        organizations.update(obj.m2m_data.get("organizations", []))
    for obj in by_model["digests.mention"]:
        people.add(obj.object.person_id)
        organizations.add(obj.object.organization_id)
    return (
        set(Person.objects.filter(pk__in=people - {None}).values_list("pk", flat=True)),
        set(
            Organization.objects.filter(pk__in=organizations - {None}).values_list("pk", flat=True)
        ),
    )


def approve(change, *, user, note: str = ""):
    """Apply a pending change: it goes live at once, recorded as a revision naming the author
    and the approver."""
    import reversion
    from django.utils import timezone

    from digests.models import Digest, PendingChange
    from digests.relinking import relink_digest
    from digestsite.cache import content_changed

    with transaction.atomic(), reversion.create_revision():
        Digest.objects.select_for_update().filter(pk=change.digest_id).first()
        digest = apply(change.data)
        relink_digest(digest, always_sync=True)
        Digest.objects.filter(pk=digest.pk).touch()
        digest.refresh_from_db()
        author = display_name(change.author)
        reversion.set_user(user)
        reversion.set_comment(
            f"Changes by {author} approved by {display_name(user)}" + (f": {note}" if note else "")
        )
        reversion.add_to_revision(digest)
        PendingChange.objects.filter(pk=change.pk).update(
            state=PendingChange.State.APPROVED,
            reviewed_by=user,
            reviewed_at=timezone.now(),
            review_note=note,
        )
        content_changed(schedule=True)
    return digest


def reject(change, *, user, note: str):
    from django.utils import timezone

    from digests.models import PendingChange

    PendingChange.objects.filter(pk=change.pk).update(
        state=PendingChange.State.REJECTED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        review_note=note,
    )


def display_name(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


@contextmanager
def applied(data: dict):
    """Inside this block the database shows the digest as `data` records it; everything is
    rolled back when the block ends (staff previews and the change form)."""
    try:
        with transaction.atomic():
            yield apply(data)
            transaction.set_rollback(True)
    finally:
        _rolled_back()


def _rolled_back():
    """The page cache noted the rolled-back writes as they happened, the time of the next
    publication among them: look it up again from what is committed."""
    from digestsite.cache import content_changed

    content_changed(schedule=True)


def live_rows(digest_id: int):
    return snapshot(digest_id)["objects"]
