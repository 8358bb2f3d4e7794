"""Merging duplicate people or organizations into one."""

from django.db import transaction
from django.utils import timezone

from digestsite.cache import content_changed
from people.signals import registry_batch, send_names_changed


@transaction.atomic
def merge_entities(*, survivor, duplicates) -> None:
    """Move the duplicates' names, mentions, affiliations, links and figures to `survivor`,
    delete the duplicates, and make their page addresses answer with a 301 to the survivor.

    A duplicate's name becomes one of the survivor's aliases, so text that names it keeps
    linking, now to the survivor. Where both were mentioned in the same item the survivor's
    mention is kept. All or nothing.
    """
    model = type(survivor)
    kind = model._meta.model_name
    # Explicit managers throughout: a related manager with a prefetch cache would update only
    # the prefetched subset (e.g. the admin prefetches non-primary aliases).
    alias_model = model._meta.get_field("aliases").related_model
    mention_model = model.objects.mention_model()
    affiliation_model = model._meta.get_field("affiliations").related_model
    redirect_model = model.redirect_model()
    names, keys = set(), {survivor.key}
    with registry_batch():
        for duplicate in duplicates:
            if type(duplicate) is not model or duplicate.pk == survivor.pk:
                raise ValueError("Merge people with people and organizations with organizations.")
            keys.add(duplicate.key)
            aliases = alias_model.objects.filter(**{kind: duplicate})
            names.update(aliases.values_list("text", flat=True))
            mentions = mention_model.objects.filter(**{kind: duplicate})
            shared = mention_model.objects.filter(**{kind: survivor}).values("item")
            mentions.filter(item__in=shared).delete()
            mentions.update(**{kind: survivor})
            survivor.social_metrics.add(*model.objects.get(pk=duplicate.pk).social_metrics.all())
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
        content_changed()
        send_names_changed(names=names, entities=keys)
