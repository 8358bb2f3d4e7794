"""Save a parsed digest to the database: create it, or update the one imported before.

The rules for reading an export are in digests.parsing (pure Python, no Django); the names
below are re-exported so callers import the whole importer from here.

Re-importing a file updates the digest it created (matched on its slug, or on date and
title) in place: sections and items are matched by position, so item anchors (Item.anchor)
stay stable. A fingerprint of the digest's content is stored at import time; if the content
differs on the next import, staff have edited it in the admin, and the import refuses unless
`replace=True` is passed explicitly. Nothing is ever written partly: one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from digests.parsing import (
    DigestImportError,
    ParsedDigest,
    ParsedItem,
    ParsedMetric,
    ParsedSection,
    parse_digest,
)
from digestsite.deferred_messages import N_, Message

__all__ = [
    "DigestConflict",
    "DigestImportError",
    "ImportResult",
    "ParsedDigest",
    "ParsedItem",
    "ParsedMetric",
    "ParsedSection",
    "check_conflict",
    "content_fingerprint",
    "find_existing",
    "parse_digest",
    "save_digest",
]


class DigestConflict(Exception):
    """Importing would overwrite work that did not come from the file."""


@dataclass
class ImportResult:
    digest: object
    created: bool
    changed: bool
    sections: int
    items: int
    metrics: int
    notes: list[str]

    @property
    def url(self) -> str:
        return self.digest.get_absolute_url()


def content_fingerprint(digest) -> str:
    """A hash of what the importer writes: title, date, lead, sections, items and figures."""
    import hashlib
    import json

    sections = [
        [section.title, [[item.title, item.body] for item in section.items.all()]]
        for section in digest.sections.all()
    ]
    metrics = sorted(
        [m.platform, m.views, m.topic, str(m.period_start), str(m.period_end)]
        for m in digest.metrics.all()
    )
    payload = [digest.title, str(digest.date), digest.lead, sections, metrics]
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()


def find_existing(parsed: ParsedDigest):
    """The digest a file would update: same slug, or same date and title."""
    from django.db.models import Q

    from digests.models import Digest, digest_slug

    return (
        Digest.objects.filter(
            Q(slug=digest_slug(parsed.title)) | Q(date=parsed.date, title=parsed.title)
        )
        .order_by("pk")
        .first()
    )


def find_original(parsed: ParsedDigest, digest, *, translation_of: str | None = None):
    """The digest `digest` (just imported from `parsed`) translates: the one named by slug in
    `translation_of`, or else the only version group with a digest of the same date in
    another language and none yet in this one. None when there is none, or more than one
    (a note says so: staff link it in the admin)."""
    from django.db.models import Q
    from django.utils.translation import gettext

    from digests.models import Digest

    if translation_of:
        original = Digest.objects.filter(slug=translation_of).first()
        if original is None:
            raise DigestConflict(
                gettext("No digest has the address “%(slug)s”.") % {"slug": translation_of}
            )
        return original.translation_of or original
    others = (
        Digest.objects.filter(date=parsed.date)
        .exclude(language=parsed.language)
        .exclude(pk=digest.pk)
        .exclude(translation_of=digest)
    )
    groups = {other.translation_of_id or other.pk for other in others}
    candidates = [
        group
        for group in groups
        if not Digest.objects.filter(Q(pk=group) | Q(translation_of=group))
        .filter(language=parsed.language)
        .exclude(pk=digest.pk)
        .exists()
    ]
    if len(candidates) == 1:
        return Digest.objects.get(pk=candidates[0])
    if len(candidates) > 1:
        parsed.notes.append(
            Message(
                N_(
                    "several digests of this date in other languages: link the translation in "
                    "the admin"
                )
            )
        )
    return None


def check_conflict(parsed: ParsedDigest, existing) -> str | None:
    """Why importing `parsed` over `existing` would destroy staff work, or None (in the active
    language)."""
    from django.utils.translation import gettext

    if existing is None:
        return None
    if not existing.imported_at:
        return gettext(
            "A digest “%(title)s” (%(url)s) already exists and was written in the admin, not "
            "imported. Rename or delete it first, or import with replace."
        ) % {"title": existing.title, "url": existing.get_absolute_url()}
    if content_fingerprint(existing) != existing.import_fingerprint:
        when = existing.imported_at.strftime("%Y-%m-%d %H:%M")
        return gettext(
            "The digest “%(title)s” was edited in the admin after it was imported on %(when)s. "
            "Importing again would overwrite those edits; nothing was changed. Import with "
            "replace to overwrite them."
        ) % {"title": existing.title, "when": when}
    return None


def save_digest(
    parsed: ParsedDigest,
    *,
    source: str,
    publish: bool = False,
    replace: bool = False,
    translation_of: str | None = None,
) -> ImportResult:
    """Create or update the digest described by `parsed`, all or nothing.

    Raises DigestConflict when staff edits would be overwritten and `replace` is False.
    A digest that is already published stays published; `publish` publishes it now.
    Imports of one file running at once: one creates the digest, the others then find it and
    update it (or leave it unchanged); one that still collides raises DigestConflict.
    The digest gets the language of `parsed` and joins the version group of its original
    (`find_original`) when it is not in one yet.
    """
    from django.db import IntegrityError
    from django.utils.translation import gettext

    try:
        return _save_digest(parsed, source=source, publish=publish, replace=replace,
                            translation_of=translation_of)  # fmt: skip
    except IntegrityError:
        # Another import created the same digest between our look-up and our insert; it has
        # committed by now (the insert waited for it), so look again.
        pass
    try:
        return _save_digest(parsed, source=source, publish=publish, replace=replace,
                            translation_of=translation_of)  # fmt: skip
    except IntegrityError:
        raise DigestConflict(
            gettext(
                "Another import of this digest ran at the same time and this one was rolled "
                "back; nothing was changed by it. Run it again to check."
            )
        ) from None


def _save_digest(
    parsed: ParsedDigest, *, source: str, publish: bool, replace: bool, translation_of=None
):
    import reversion
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from digests import relinking
    from digests.models import Digest, Item, Section, SocialMetric, Status, digest_slug

    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(f"Imported from {source}")
        existing = find_existing(parsed)
        if existing is not None:
            existing = Digest.objects.select_for_update().get(pk=existing.pk)
        conflict = check_conflict(parsed, existing)
        if conflict and not replace:
            raise DigestConflict(conflict)
        created = existing is None
        digest = existing or Digest(slug=digest_slug(parsed.title) or f"digest-{parsed.date}")
        before = "" if created else content_fingerprint(digest)
        digest.title, digest.date, digest.lead = parsed.title, parsed.date, parsed.lead
        digest.language = parsed.language
        if publish and not digest.is_public:
            digest.status, digest.publish_at = Status.PUBLISHED, timezone.now()
        digest.save()
        if translation_of or (
            digest.translation_of_id is None and not digest.translations.exists()
        ):
            original = find_original(parsed, digest, translation_of=translation_of)
            if original is not None and original.pk != digest.pk:
                digest.translation_of = original
                try:
                    digest.full_clean(validate_unique=False, validate_constraints=False)
                except ValidationError as error:
                    raise DigestConflict(" ".join(error.messages)) from None
                digest.save(update_fields=["translation_of"])

        sections = list(digest.sections.prefetch_related("items")) if not created else []
        items_by_position = {}
        for s_index, parsed_section in enumerate(parsed.sections):
            if s_index < len(sections):
                section = sections[s_index]
                if (section.title, section.order) != (parsed_section.title, s_index):
                    section.title, section.order = parsed_section.title, s_index
                    section.save()
                old_items = list(section.items.all())
            else:
                section = Section.objects.create(
                    digest=digest, title=parsed_section.title, order=s_index
                )
                old_items = []
            for i_index, parsed_item in enumerate(parsed_section.items):
                if i_index < len(old_items):
                    item = old_items[i_index]
                    item.title, item.body, item.order = parsed_item.title, parsed_item.html, i_index
                    item.save()
                else:
                    item = Item.objects.create(
                        section=section, title=parsed_item.title, body=parsed_item.html,
                        order=i_index,
                    )  # fmt: skip
                items_by_position[(s_index, i_index)] = item
            for stale in old_items[len(parsed_section.items) :]:
                stale.delete()
        for stale in sections[len(parsed.sections) :]:
            stale.delete()

        # Figures are matched by position too, so people and organizations that staff linked
        # to a figure survive a re-import of the same file.
        old_metrics = list(digest.metrics.order_by("pk"))
        for index, m in enumerate(parsed.metrics):
            metric = old_metrics[index] if index < len(old_metrics) else SocialMetric(digest=digest)
            metric.item = items_by_position.get((m.section_index, m.item_index))
            metric.platform, metric.views, metric.topic = m.platform, m.views, m.topic[:500]
            metric.period_start = m.period_start or digest.date
            metric.period_end = m.period_end or metric.period_start
            metric.save()
        for stale in old_metrics[len(parsed.metrics) :]:
            stale.delete()
        relinking.link_metric_entities(digest.metrics.all())
        relinking.relink_digest(digest)  # stale items removed: surnames follow what is left

        fingerprint = content_fingerprint(digest)
        digest.import_source = source[:255]
        digest.imported_at = timezone.now()
        digest.import_fingerprint = fingerprint
        digest.save(update_fields=["import_source", "imported_at", "import_fingerprint"])

    return ImportResult(
        digest=digest,
        created=created,
        changed=created or fingerprint != before,
        sections=len(parsed.sections),
        items=sum(len(s.items) for s in parsed.sections),
        metrics=len(parsed.metrics),
        notes=parsed.notes,
    )
