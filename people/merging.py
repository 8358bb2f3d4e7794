"""Merging duplicate people or organizations into one."""

from django.db import transaction
from django.utils import timezone

from digestsite.cache import content_changed
from people.signals import entities_merged, registry_batch, send_names_changed


@transaction.atomic
def merge_entities(*, survivor, duplicates) -> None:
    """Move the duplicates' names, affiliations, links and child organizations to
    `survivor` (and, through `entities_merged`, whatever other apps record of them: mentions,
    figures), delete the duplicates, and make their page addresses answer with a 301 to the
    survivor.

    A duplicate's name becomes one of the survivor's aliases, so text that names it keeps
    linking, now to the survivor. A person merged with someone flagged sensitive is sensitive:
    the flag is never lost, or the hidden person's names would become public through the
    survivor. All or nothing.
    """
    model = type(survivor)
    kind = model._meta.model_name
    # Explicit managers throughout: a related manager with a prefetch cache would update only
    # the prefetched subset (e.g. the admin prefetches non-primary aliases).
    alias_model = survivor.aliases.model
    affiliation_model = survivor.affiliations.model
    redirect_model = survivor.redirects.model
    names, keys = set(), {survivor.key}
    with registry_batch():
        for duplicate in duplicates:
            if type(duplicate) is not model or duplicate.pk == survivor.pk:
                raise ValueError("Merge people with people and organizations with organizations.")
            keys.add(duplicate.key)
            aliases = alias_model.objects.filter(**{kind: duplicate})
            names.update(aliases.values_list("text", flat=True))
            entities_merged.send(sender=model, survivor=survivor, duplicate=duplicate)
            affiliation_model.objects.filter(**{kind: duplicate}).update(**{kind: survivor})
            if kind == "person":
                duplicate.links.model.objects.filter(person=duplicate).update(person=survivor)
            else:
                model.objects.filter(parent=duplicate).exclude(pk=survivor.pk).update(
                    parent=survivor
                )
                if survivor.parent_id == duplicate.pk:
                    survivor.parent_id = duplicate.parent_id
                    survivor.save(update_fields=["parent"])
            aliases.update(is_primary=False, updated_at=timezone.now(), **{kind: survivor})
            redirect_model.objects.filter(target=duplicate).update(target=survivor)
            redirect_model.objects.create(old_slug=duplicate.slug, target=survivor)
            model.objects.filter(pk=duplicate.pk).delete()
        if kind == "person" and not survivor.sensitive and any(d.sensitive for d in duplicates):
            survivor.sensitive = True
            survivor.save(update_fields=["sensitive"])
        content_changed()
        send_names_changed(names=names, entities=keys)
