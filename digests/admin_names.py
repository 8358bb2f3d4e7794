"""The admin's "Names to review" page (people › Names to review): names found in digest text
that are not registered, with one-click actions — add as another name of the suggested or a
chosen entity, create a person or organization with that name, or ignore it for good.

It lives on the digests side because it reads the digests' text; it is registered for a
people model so that it is listed with people and organizations.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from digests.models import Digest
from digests.review_names import cached_names_to_review
from people.models import Alias, IgnoredName, NameToReview, Organization, Person

PER_PAGE = 100
# The page reads the latest digests (a page view stays well within a worker's timeout at
# 100,000 items); `?all` or `manage.py suggest_entities` read the whole archive.
RECENT_DIGESTS = 100
ENTITY_MODELS = {"person": Person, "organization": Organization}


def may_add_alias(user, kind: str) -> bool:
    """Adding another name to an entity changes that entity: both permissions are needed."""
    return user.has_perms(["people.add_alias", f"people.change_{kind}"])


def add_alias(request, text: str, entity) -> bool:
    """Make `text` another name of `entity` (every item containing it is relinked at once,
    through people's names_changed signal); report the outcome to the user."""
    alias = Alias(text=text, **{entity._meta.model_name: entity})
    try:
        alias.full_clean(exclude=["normalized"])  # set by save(); clean() checks clashes
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    alias.save()
    messages.success(
        request,
        gettext("“%(name)s” is now another name of “%(entity)s”; items naming it link it.")
        % {"name": alias.text, "entity": entity.name},
    )
    return True


class AliasChoiceForm(forms.Form):
    text = forms.CharField(max_length=200, label=_("Name as found"))
    person = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
    organization = forms.ModelChoiceField(queryset=Organization.objects.all(), required=False)

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in ENTITY_MODELS:
            field = self.fields[kind]
            field.widget = AutocompleteSelect(Alias._meta.get_field(kind), admin_site)
            field.widget.choices = field.choices

    def clean(self):
        data = super().clean()
        if bool(data.get("person")) == bool(data.get("organization")):
            raise ValidationError(gettext("Choose one person or one organization."))
        return data


@admin.register(NameToReview)
class NameToReviewAdmin(admin.ModelAdmin):
    """Not a list of stored rows: the queue is found in the text, then kept in the cache
    until the content changes (`cached_names_to_review`)."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("people.add_alias")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "alias/",
                self.admin_site.admin_view(self.alias_view),
                name="people_nametoreview_alias",
            ),
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="people_nametoreview_changelist",
            ),
        ]

    def _context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
        }

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._act(request)
        digest = None
        if request.GET.get("digest"):
            digest = Digest.objects.filter(slug=request.GET["digest"]).first()
        try:
            min_count = max(1, int(request.GET.get("min", 1)))
        except ValueError:
            min_count = 1
        whole = "all" in request.GET
        candidates = cached_names_to_review(
            digest=digest,
            min_count=min_count,
            recent=None if digest is not None or whole else RECENT_DIGESTS,
        )
        page = Paginator(candidates, PER_PAGE).get_page(request.GET.get("p"))
        user = request.user
        may = {
            "ignore": user.has_perm("people.add_ignoredname"),
            "add_person": user.has_perm("people.add_person"),
            "add_organization": user.has_perm("people.add_organization"),
            "alias_person": may_add_alias(user, "person"),
            "alias_organization": may_add_alias(user, "organization"),
        }
        rows = []
        for candidate in page.object_list:
            kind, pk = candidate.source
            suggested = candidate.suggested
            rows.append(
                {
                    "candidate": candidate,
                    "example_url": reverse(f"admin:digests_{kind}_change", args=[pk]),
                    "suggested_url": suggested
                    and reverse(f"admin:people_{suggested.kind}_change", args=[suggested.pk]),
                    "may_accept": suggested and may[f"alias_{suggested.kind}"],
                    "query": urlencode({"name": candidate.text}),
                    "alias_query": urlencode({"text": candidate.text}),
                }
            )
        context = {
            **self._context(request, gettext("Names to review")),
            "rows": rows,
            "page": page,
            "total": len(candidates),
            "digest": digest,
            "recent": None if digest is not None or whole else RECENT_DIGESTS,
            "min_count": min_count,
            "may": may,
            "may_alias": may["alias_person"] or may["alias_organization"],
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/people/nametoreview/change_list.html", context)

    def _act(self, request):
        here = request.get_full_path()
        if "accept" in request.POST:
            kind, _sep, rest = request.POST["accept"].partition(":")
            pk, _sep, text = rest.partition(":")
            if kind not in ENTITY_MODELS or not pk.isdigit():
                raise PermissionDenied
            if not may_add_alias(request.user, kind):
                raise PermissionDenied
            entity = ENTITY_MODELS[kind].objects.filter(pk=pk).first()
            if entity is None:
                messages.error(request, gettext("That entry no longer exists."))
            else:
                add_alias(request, text, entity)
            return redirect(here)
        if "ignore" in request.POST or "ignore_selected" in request.POST:
            if not request.user.has_perm("people.add_ignoredname"):
                raise PermissionDenied
            texts = (
                [request.POST["ignore"]]
                if "ignore" in request.POST
                else request.POST.getlist("names")
            )
            texts = [t for t in texts if t.strip()]
            if not texts:
                messages.warning(request, gettext("Select the names to ignore first."))
                return redirect(here)
            IgnoredName.ignore(texts)
            messages.success(
                request,
                gettext(
                    "Ignored %(names)s: never suggested again (see Ignored names to take one back)."
                )
                % {
                    "names": ", ".join(
                        pgettext("quoted text", "“%(text)s”") % {"text": t} for t in texts
                    )
                },
            )
            return redirect(here)
        return redirect(here)

    def alias_view(self, request):
        """Add a name as another name of a person or organization chosen by staff."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = AliasChoiceForm(
            request.POST if request.method == "POST" else None,
            initial={"text": request.GET.get("text", "")},
            admin_site=self.admin_site,
        )
        if request.method == "POST" and form.is_valid():
            entity = form.cleaned_data["person"] or form.cleaned_data["organization"]
            if not may_add_alias(request.user, entity._meta.model_name):
                raise PermissionDenied
            if add_alias(request, form.cleaned_data["text"], entity):
                return redirect("admin:people_nametoreview_changelist")
        context = {
            **self._context(request, gettext("Add as another name")),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/people/nametoreview/alias.html", context)
