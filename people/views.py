import string

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from people.models import Affiliation, Organization, Person


def _alphabetical(entities):
    """Group entities under their initial letter, A–Z first, then other alphabets, then '#'."""
    groups: dict[str, list] = {}
    for entity in entities:
        initial = entity.name[:1].upper()
        key = initial if initial.isalpha() else "#"
        groups.setdefault(key, []).append(entity)
    latin = [k for k in string.ascii_uppercase if k in groups]
    other = sorted(k for k in groups if k not in latin and k != "#")
    return [(k, groups[k]) for k in [*latin, *other, *(["#"] if "#" in groups else [])]]


def person_list(request):
    """Every person who may be shown to the public, A–Z."""
    people = Person.objects.listed().only("name", "slug", "short_description")
    return render(
        request, "people/person_list.html", {"groups": _alphabetical(people), "nav": "people"}
    )


def person_detail(request, slug):
    """A person's page. A sensitive person has no public page."""
    affiliations = Affiliation.objects.select_related("organization")
    person = get_object_or_404(
        Person.objects.listed().prefetch_related(
            "aliases", "links", Prefetch("affiliations", queryset=affiliations)
        ),
        slug=slug,
    )
    return render(request, "people/person_detail.html", {"person": person, "nav": "people"})


def organization_list(request):
    """Every organization, A–Z."""
    organizations = Organization.objects.listed().only("name", "slug", "kind")
    return render(
        request,
        "people/organization_list.html",
        {"groups": _alphabetical(organizations), "nav": "organizations"},
    )


def organization_detail(request, slug):
    """An organization's page, with its parent, its parts and the people affiliated with it."""
    affiliations = Affiliation.objects.filter(person__sensitive=False).select_related("person")
    organization = get_object_or_404(
        Organization.objects.listed()
        .select_related("parent")
        .prefetch_related(
            "aliases",
            Prefetch(
                "children", queryset=Organization.objects.listed().only("name", "slug", "parent")
            ),
            Prefetch("affiliations", queryset=affiliations),
        ),
        slug=slug,
    )
    return render(
        request,
        "people/organization_detail.html",
        {"organization": organization, "nav": "organizations"},
    )
