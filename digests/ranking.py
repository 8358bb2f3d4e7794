"""Who is named most: mentions counted per person or organization (grouped on their ids, never
on their names), then only the leaders' names read, for both kinds in one query. Used by the
home page (most named in 30 days, the names on each card) and the entity pages ("often named
with"). Ties are broken A–Z by the name in the page's language.
"""

import copy

from django.db.models import Count, Exists, OuterRef, Value, Window
from django.db.models.functions import Rank

from people.models import Organization, Person

# The Belarusian and Russian names, beside the English `name` (`Entity.local_name` reads them).
LOCALIZED_NAMES = ("name_be", "name_ru")
NAME_FIELDS = ("name", "slug", *LOCALIZED_NAMES)

# A key: (person pk, None) or (None, organization pk), as `values_list("person", "organization")`
# gives them.


def unsensitive(mentions):
    """`mentions` without those of a sensitive person: NOT EXISTS among the few sensitive
    people (a hash of a handful of rows), rather than every person joined to every mention."""
    return mentions.exclude(Exists(Person.objects.filter(pk=OuterRef("person"), sensitive=True)))


def per_entity(mentions) -> dict:
    """{key: number of `mentions`} per person and organization, grouped on their ids."""
    rows = (
        mentions.values("person", "organization")
        .annotate(n=Count("*"))
        .order_by()
        .values_list("person", "organization", "n")
    )
    return {(person, organization): n for person, organization, n in rows}


def leading(mentions, k: int) -> dict:
    """{key: number of `mentions`} for the people and organizations among the `k` named most
    in `mentions`, every one tied with the k-th included (as `leaders` chooses): ranked by
    the database, so a row comes back per leader, not per entity named."""
    rows = (
        mentions.values("person", "organization")
        .annotate(n=Count("*"), rank=Window(Rank(), order_by=Count("*").desc()))
        .order_by()
        .filter(rank__lte=k)
        .values_list("person", "organization", "n")
    )
    return {(person, organization): n for person, organization, n in rows}


def leaders(counts: dict, k: int) -> set:
    """The keys of `counts` ({key: n}) among its `k` largest, every key tied with the k-th
    included (its name decides its place)."""
    if not counts:
        return set()
    values = sorted(counts.values(), reverse=True)
    floor = values[min(k, len(values)) - 1]
    return {key for key, n in counts.items() if n >= floor}


def named(keys, *, images: bool = False) -> dict:
    """{key: an unsaved Person or Organization with its names (and photo or logo)} for the
    listed entities of `keys` (never a sensitive person), in one query."""
    keys = set(keys)
    people = [person for person, _ in keys if person]
    organizations = [organization for _, organization in keys if organization]
    person_fields = ("pk", *NAME_FIELDS, *(["photo"] if images else []))
    organization_fields = ("pk", *NAME_FIELDS, *(["logo"] if images else []))
    rows = (
        Person.objects.listed()
        .filter(pk__in=people)
        .order_by()
        .values_list(Value(True), *person_fields)
        .union(
            Organization.objects.listed()
            .filter(pk__in=organizations)
            .order_by()
            .values_list(Value(False), *organization_fields)
        )
    )
    found = {}
    for is_person, pk, *values in rows:
        if is_person:
            model, fields, key = Person, person_fields, (pk, None)
        else:
            model, fields, key = Organization, organization_fields, (None, pk)
        found[key] = model(pk=pk, **dict(zip(fields[1:], values, strict=True)))
    return found


def ranked(counts: dict, found: dict, k: int) -> list:
    """The `k` entities of `found` named most in `counts`, most first, then A–Z in the page's
    language; each carries its `count`."""
    keys = sorted(
        (key for key in counts if key in found),
        key=lambda key: (-counts[key], found[key].local_name.casefold()),
    )
    entities = []
    for key in keys[:k]:  # only those shown are copied (an entity may rank in several lists)
        entity = copy.copy(found[key])
        entity.count = counts[key]
        entities.append(entity)
    return entities
