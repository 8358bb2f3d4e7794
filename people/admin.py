"""The admin of the registry: people and organizations with their names in three languages,
aliases, links and affiliations; CSV import, merging duplicates, and who may open a page."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget
from reversion_compare.admin import CompareVersionAdmin

from digestsite.admin_upload import UploadForm, upload_preview_confirm
from digestsite.concurrency import ConcurrentEditForm
from digestsite.richtext import RichTextFormField
from people.csv_rows import EntityImportError
from people.entity_csv import check_entities, save_entities
from people.models import (
    Affiliation,
    Alias,
    IgnoredName,
    Organization,
    Person,
    PersonLink,
    normalize_name,
)
from people.public_pages import public_entities


def may_open_pages(user) -> bool:
    """Opening a public page (public profile) or lifting the at-risk flag changes what readers
    see at once: for staff who may publish (the digests' publish permission) only."""
    return user.has_perm("digests.publish_digest")


class AliasFormSet(forms.BaseInlineFormSet):
    """Refuses the same name twice in one submission, or an alias equal to the entity's name."""

    def clean(self):
        super().clean()
        seen = {normalize_name(self.instance.name)} if self.instance.name else set()
        for form in self.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            text = form.cleaned_data.get("text", "")
            key = normalize_name(text)
            if key in seen:
                form.add_error(
                    "text", gettext("“%(name)s” is already a name of this entry.") % {"name": text}
                )
            seen.add(key)


class AliasInline(admin.TabularInline):
    model = Alias
    formset = AliasFormSet
    fields = ["text"]
    extra = 1
    verbose_name = _("other name")
    verbose_name_plural = _("Other names (spellings, short forms, acronyms, transliterations)")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(is_primary=False)


class PersonAliasInline(AliasInline):
    fk_name = "person"


class OrganizationAliasInline(AliasInline):
    fk_name = "organization"


class PersonLinkInline(admin.TabularInline):
    model = PersonLink
    extra = 0
    fields = ["title", "url", "order"]


class PersonAffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "start_date", "end_date"]


class OrganizationAffiliationInline(PersonAffiliationInline):
    fk_name = "organization"
    autocomplete_fields = ["person"]
    fields = ["person", "role", "start_date", "end_date"]


class PersonForm(ConcurrentEditForm):
    class Meta:
        model = Person
        fields = "__all__"
        widgets = {
            field: CKEditor5Widget(config_name="default") for field in ("bio", "bio_be", "bio_ru")
        }
        field_classes = dict.fromkeys(("bio", "bio_be", "bio_ru"), RichTextFormField)


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=None, widget=forms.RadioSelect, empty_label=None, label=_("Keep this one")
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = queryset


class EntityAdmin(CompareVersionAdmin):
    search_fields = ["name", "aliases__text"]
    actions = ["merge"]

    @admin.action(description=_("Merge the selected into one…"), permissions=["change", "delete"])
    def merge(self, request, queryset):
        """Choose which entry survives; the others' names, mentions and links move to it."""
        from people.merging import merge_entities

        if queryset.count() < 2:
            self.message_user(
                request, gettext("Select at least two entries to merge."), messages.WARNING
            )
            return None
        form = MergeForm(request.POST if "survivor" in request.POST else None, queryset=queryset)
        if form.is_valid():
            survivor = self.model.objects.get(pk=form.cleaned_data["survivor"].pk)
            duplicates = list(self.model.objects.filter(pk__in=queryset).exclude(pk=survivor.pk))
            was_sensitive = getattr(survivor, "sensitive", False)
            merge_entities(survivor=survivor, duplicates=duplicates)
            self.message_user(
                request,
                gettext("Merged %(names)s into “%(survivor)s”; their old pages now lead to it.")
                % {"names": ", ".join(d.name for d in duplicates), "survivor": survivor.name},
                messages.SUCCESS,
            )
            if getattr(survivor, "sensitive", False) and not was_sensitive:
                self.message_user(
                    request,
                    gettext(
                        "“%(name)s” is now sensitive, as one of the merged people was: never "
                        "linked or shown to readers. Clear the flag on their page if that is wrong."
                    )
                    % {"name": survivor.name},
                    messages.WARNING,
                )
            return None
        return TemplateResponse(
            request,
            "admin/people/merge.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": gettext("Merge %(entries)s")
                % {"entries": self.model._meta.verbose_name_plural},
                "form": form,
                "entries": queryset,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )

    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not may_open_pages(request.user):
            fields.append("public_profile")
        return fields

    def get_queryset(self, request):
        others = Alias.objects.filter(is_primary=False)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("aliases", queryset=others, to_attr="listed_other_names"))
        )

    @admin.display(description=_("Other names"))
    def other_names(self, obj):
        return ", ".join(a.text for a in obj.listed_other_names)


ENTITY_CSV_MAX_BYTES = 1024 * 1024


class EntityCsvUploadForm(UploadForm):
    max_bytes = ENTITY_CSV_MAX_BYTES
    too_large = _("The file is larger than 1 MB.")

    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, at most 1 MB, with the header row kind,name,aliases,slug,description."),
    )


class EntityCsvConfirmForm(forms.Form):
    # Browsers send line breaks as CR LF, which can make the text longer than the file.
    source = forms.CharField(
        widget=forms.HiddenInput, strip=False, max_length=2 * ENTITY_CSV_MAX_BYTES
    )
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)


class EntityCsvImportMixin:
    """ "Import from CSV" on the change list: upload, preview, confirm (people/entity_csv.py).

    Needs permission to add people and organizations; rows that would change an existing
    entity also need permission to change that kind."""

    def _may_import_csv(self, request) -> bool:
        return all(
            request.user.has_perm(f"{m._meta.app_label}.{get_permission_codename('add', m._meta)}")
            for m in (Person, Organization)
        )

    def _updatable_kinds(self, request) -> tuple[str, ...]:
        return tuple(
            m._meta.model_name
            for m in (Person, Organization)
            if request.user.has_perm(
                f"{m._meta.app_label}.{get_permission_codename('change', m._meta)}"
            )
        )

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.import_csv_view)
        name = f"{opts.app_label}_{opts.model_name}_import"
        return [path("import/", view, name=name), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {"may_import_csv": self._may_import_csv(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def import_csv_view(self, request):
        """Upload a CSV of people and organizations, see what it changes, then confirm."""
        if not self._may_import_csv(request):
            raise PermissionDenied
        opts = self.model._meta
        here = f"admin:{opts.app_label}_{opts.model_name}_import"
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": gettext("Import people and organizations from CSV"),
            "import_url": here,
        }
        updatable = self._updatable_kinds(request)
        template = "admin/people/import_entities.html"

        def confirm(data):
            plan = check_entities(data["source"], filename=data["filename"], updatable=updatable)
            if plan.ok:
                try:
                    save_entities(plan)
                except EntityImportError as exc:
                    plan.errors = exc.errors
                else:
                    messages.success(request, plan.summary())
                    return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            return TemplateResponse(
                request, template, {**context, "plan": plan, "form": EntityCsvUploadForm()}
            )

        def preview(upload):
            file = upload.cleaned_data["file"]
            plan = check_entities(file.read(), filename=file.name, updatable=updatable)
            if not plan.ok:  # the errors, and a fresh form for the corrected file
                return TemplateResponse(
                    request, template, {**context, "plan": plan, "form": EntityCsvUploadForm()}
                )
            confirm_form = EntityCsvConfirmForm(
                initial={"source": plan.text, "filename": file.name}
            )
            return TemplateResponse(
                request,
                template,
                {**context, "plan": plan, "form": upload, "confirm": confirm_form},
            )

        return upload_preview_confirm(
            request,
            upload_form=EntityCsvUploadForm,
            confirm_form=EntityCsvConfirmForm,
            preview=preview,
            confirm=confirm,
            template=template,
            context=context,
            restart=here,
        )

        upload = EntityCsvUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and upload.is_valid():
            file = upload.cleaned_data["file"]
            plan = check_entities(file.read(), filename=file.name, updatable=updatable)
            context["plan"] = plan
            if plan.ok:
                context["confirm"] = EntityCsvConfirmForm(
                    initial={"source": plan.text, "filename": file.name}
                )
            else:
                upload = EntityCsvUploadForm()
        context["form"] = upload
        return TemplateResponse(request, "admin/people/import_entities.html", context)


@admin.register(Person)
class PersonAdmin(EntityCsvImportMixin, EntityAdmin):
    change_list_template = "admin/people/person/change_list.html"

    form = PersonForm
    list_display = ["name", "short_description", "other_names", "sensitive", "updated_at"]
    list_filter = ["sensitive"]
    inlines = [PersonAliasInline, PersonAffiliationInline, PersonLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "short_description", "bio", "loaded_at"]}),
        (
            _("In Belarusian and Russian"),
            {
                "fields": [
                    ("name_be", "name_ru"),
                    ("short_description_be", "short_description_ru"),
                    "bio_be",
                    "bio_ru",
                ],
                "classes": ["collapse"],
            },
        ),
        (_("Photo"), {"fields": ["photo", "photo_alt"]}),
        (_("Visibility and safety"), {"fields": ["reader_view", "public_profile", "sensitive"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "reader_view"]
        if obj is not None and obj.sensitive and not may_open_pages(request.user):
            fields.append("sensitive")  # anyone may protect someone; lifting it is a Publisher's
        return fields

    @admin.display(description=_("What readers see"))
    def reader_view(self, obj):
        if obj is None or not obj.pk:
            return gettext("Nothing until a published item names this person.")
        if obj.sensitive:
            return gettext(
                "Nothing. Marked sensitive (at risk): never linked automatically, no public "
                "page, left out of every public list. Staff may still link them by hand on an "
                "item's page; their page stays closed."
            )
        if public_entities(Person.objects).filter(pk=obj.pk).exists():
            return format_html(gettext('Their page: <a href="{0}">{0}</a>'), obj.get_absolute_url())
        return gettext(
            "No page yet: no published item names this person (tick “public profile” to open it)."
        )


class OrganizationForm(ConcurrentEditForm):
    class Meta:
        model = Organization
        fields = "__all__"


@admin.register(Organization)
class OrganizationAdmin(EntityCsvImportMixin, EntityAdmin):
    change_list_template = "admin/people/organization/change_list.html"
    form = OrganizationForm
    list_display = ["name", "kind", "other_names", "parent", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [OrganizationAliasInline, OrganizationAffiliationInline]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "kind", "parent", "description", "website", "loaded_at"]},
        ),
        (
            _("In Belarusian and Russian"),
            {
                "fields": [("name_be", "name_ru"), "description_be", "description_ru"],
                "classes": ["collapse"],
            },
        ),
        (_("Logo"), {"fields": ["logo", "logo_alt"]}),
        (_("Visibility"), {"fields": ["public_profile"]}),
        (_("History"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "role", "start_date", "end_date"]
    list_select_related = ["person", "organization"]
    autocomplete_fields = ["person", "organization"]
    search_fields = ["person__name", "organization__name", "role"]


@admin.register(IgnoredName)
class IgnoredNameAdmin(admin.ModelAdmin):
    """Names staff told "Names to review" to leave out; delete one to have it suggested again."""

    list_display = ["text", "created_at"]
    search_fields = ["text"]
    fields = ["text"]
