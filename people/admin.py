from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django_ckeditor_5.widgets import CKEditor5Widget

from people.models import Affiliation, Alias, Organization, Person, PersonLink, normalize_name


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
                form.add_error("text", f"“{text}” is already a name of this entry.")
            seen.add(key)


class AliasInline(admin.TabularInline):
    model = Alias
    formset = AliasFormSet
    fields = ["text"]
    extra = 1
    verbose_name = "other name"
    verbose_name_plural = "Other names (spellings, short forms, acronyms, transliterations)"

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


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = "__all__"
        widgets = {"bio": CKEditor5Widget(config_name="default")}


class EntityAdmin(admin.ModelAdmin):
    search_fields = ["name", "aliases__text"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        others = Alias.objects.filter(is_primary=False)
        return super().get_queryset(request).prefetch_related(Prefetch("aliases", queryset=others))

    @admin.display(description="Other names")
    def other_names(self, obj):
        return ", ".join(a.text for a in obj.aliases.all())


@admin.register(Person)
class PersonAdmin(EntityAdmin):
    form = PersonForm
    list_display = ["name", "short_description", "other_names", "sensitive", "updated_at"]
    list_filter = ["sensitive"]
    inlines = [PersonAliasInline, PersonAffiliationInline, PersonLinkInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "short_description", "bio"]}),
        ("Photo", {"fields": ["photo", "photo_alt"]}),
        ("Safety", {"fields": ["sensitive"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Organization)
class OrganizationAdmin(EntityAdmin):
    list_display = ["name", "kind", "other_names", "parent", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [OrganizationAliasInline, OrganizationAffiliationInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent", "description", "website"]}),
        ("Logo", {"fields": ["logo", "logo_alt"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "role", "start_date", "end_date"]
    list_select_related = ["person", "organization"]
    autocomplete_fields = ["person", "organization"]
    search_fields = ["person__name", "organization__name", "role"]
