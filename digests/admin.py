"""The admin of digests: one page per digest with its sections, items (nested) and figures;
the publishing workflow's actions and permissions, history and recovery, and the links to
import, pending changes and previews."""

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget
from reversion_compare.admin import CompareVersionAdmin
from taggit.forms import TagField

from digests import (
    admin_names,  # noqa: F401  (registers "Names to review")
    comparison,
    moderation,
)
from digests.admin_import import import_view
from digests.admin_moderation import ModeratedAdmin, review_url, review_view
from digests.models import (
    Digest,
    Item,
    Language,
    Mention,
    PendingChange,
    PreviewLink,
    Section,
    SocialMetric,
    Status,
)
from digestsite.cache import content_changed
from digestsite.concurrency import ConcurrentEditForm
from digestsite.richtext import RichTextFormField, strip_disallowed_characters


class TopicsForm(ConcurrentEditForm):
    """Topics typed with a character no text keeps (a pasted control character) are read
    without it, so they name the topic they look like."""

    def clean_tags(self):
        names = (strip_disallowed_characters(name).strip() for name in self.cleaned_data["tags"])
        return sorted({name for name in names if name})


class ItemForm(TopicsForm):
    class Meta:
        model = Item
        fields = "__all__"
        widgets = {"body": CKEditor5Widget(config_name="default")}
        field_classes = {"body": RichTextFormField}

    def rows_to_lock_first(self):
        # Saving an item touches its digest (before and after a move): lock the digest first,
        # as the digest's own page does, so the two pages never wait for each other.
        sections = {self.instance.section_id, getattr(self.cleaned_data.get("section"), "pk", None)}
        return [Digest.objects.filter(pk__in=Section.objects.filter(pk__in=sections - {None})
                                      .values("digest_id"))]  # fmt: skip

    def history_records(self):
        return [self.instance, self.instance.section.digest]


class InlineItemForm(ItemForm):
    """An item in the digest form. Its tags come from the items' prefetched tags
    (ItemInline.get_queryset): taggit's own form field asks the database once per item."""

    tags = TagField(
        required=False, label=_("Tags"), help_text=Item._meta.get_field("tags").help_text
    )
    # On the digest's page the digest's own check covers its items.
    loaded_at = None

    class Meta(ItemForm.Meta):
        # The model's own tags field must stay out (it would be read per item); the admin
        # passes every field to the form factory, so only `exclude` can keep it out.
        exclude = ["tags"]
        # Dragging sets the order; nobody retypes numbers.
        widgets = {**ItemForm.Meta.widgets, "order": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "tags" not in self.initial:
            self.initial["tags"] = list(self.instance.tags.all())

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit:
            self.save_tags()
        else:
            save_m2m = self.save_m2m

            def save_m2m_and_tags():
                save_m2m()
                self.save_tags()

            self.save_m2m = save_m2m_and_tags
        return instance

    def save_tags(self):
        self.instance.tags.set(self.cleaned_data["tags"])


ITEM_FIELDS = [
    "title",
    "body",
    ("image", "image_alt", "image_decorative"),
    ("caption", "credit"),
    "source_url",
    "tags",
]


class ItemFormSet(nested_admin.formsets.NestedInlineFormSet):
    """A section's items, read from the sections' prefetch (SectionInline.get_queryset) when
    the form is opened: one query for the items of every section, not one a section."""

    def get_queryset(self):
        if not self.is_bound and hasattr(self.instance, "inline_items"):
            return self.instance.inline_items
        return super().get_queryset()


class ItemInline(nested_admin.NestedStackedInline):
    model = Item
    form = InlineItemForm
    formset = ItemFormSet
    extra = 0
    sortable_field_name = "order"
    fields = ["order", *ITEM_FIELDS]
    show_change_link = True
    classes = ["digest-items"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = "__all__"
        widgets = {"order": forms.HiddenInput}

    def clean_anchor(self):
        # Blank means "make one from the title" (Section.save); None keeps several new
        # sections with blank anchors out of the formset's uniqueness check.
        return self.cleaned_data["anchor"] or None


class SectionInline(nested_admin.NestedStackedInline):
    model = Section
    form = SectionForm
    extra = 0
    sortable_field_name = "order"
    fields = ["order", ("title", "anchor")]
    inlines = [ItemInline]

    def get_queryset(self, request):
        items = Item.objects.prefetch_related("tags")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("items", queryset=items, to_attr="inline_items"))
        )


class SocialMetricInline(nested_admin.NestedTabularInline):
    model = SocialMetric
    extra = 0
    # URL, people and organizations are on each figure's own page (the pencil link), which
    # keeps this table narrow enough for a laptop screen.
    fields = ["platform", "views", "topic", "period_start", "period_end", "item"]
    show_change_link = True
    verbose_name_plural = _("Social media figures")

    def get_formset(self, request, obj=None, **kwargs):
        """A figure's item is chosen among this digest's items (the only ones it may name),
        listed once for every row: no query per figure."""
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["item"]
        items = Item.objects.none()
        if obj is not None and obj.pk:
            items = Item.objects.filter(section__digest=obj).order_by(
                "section__order", "section__pk", "order", "pk"
            )
        field.queryset = items
        field.choices = [("", field.empty_label), *((item.pk, str(item)) for item in items)]
        return formset


class DigestForm(TopicsForm):
    class Meta:
        model = Digest
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:
            # A form posted without it (older pages, scripts) keeps the digest's language.
            self.fields["language"].required = False

    def clean_language(self):
        return self.cleaned_data.get("language") or self.instance.language or Language.ENGLISH


class PreviewLinkInline(nested_admin.NestedTabularInline):
    model = PreviewLink
    extra = 0
    fields = ["note", "expires_at", "revoked", "address"]
    readonly_fields = ["address"]
    verbose_name_plural = _("Preview links for outside reviewers (no account needed)")

    @admin.display(description=_("Link to send"))
    def address(self, obj):
        if not obj.pk:
            return gettext("Save to create the link.")
        if obj.revoked or obj.expires_at <= timezone.now():
            return gettext("No longer works.")
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())


@admin.register(Digest)
class DigestAdmin(ModeratedAdmin, CompareVersionAdmin, nested_admin.NestedModelAdmin):
    form = DigestForm
    change_list_template = "admin/digests/digest/change_list.html"
    change_form_template = "admin/digests/digest/change_form.html"
    list_display = [
        "title", "date", "language", "state", "awaiting", "publish_at", "updated_at", "view_link",
    ]  # fmt: skip
    list_filter = ["status", "language", "date", "tags"]
    autocomplete_fields = ["translation_of"]
    date_hierarchy = "date"
    search_fields = ["title", "slug", "lead"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [SectionInline, SocialMetricInline, PreviewLinkInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "lead", "tags", "loaded_at"]}),
        (_("Language"), {"fields": ["language", "translation_of"]}),
        (_("Cover image"), {"fields": ["cover_image", "cover_alt", "cover_decorative"]}),
        (_("Publishing"), {"fields": ["status", "publish_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        awaiting = PendingChange.objects.awaiting().filter(digest=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .prefetch_related("tags")
            .annotate(has_pending_change=Exists(awaiting))
        )

    @admin.display(description=_("Changes"), boolean=False, ordering="has_pending_change")
    def awaiting(self, obj):
        if not getattr(obj, "has_pending_change", False):
            return ""
        return format_html(
            '<a href="{}">{}</a>', review_url(obj.pk), gettext("Changes awaiting approval")
        )

    def digest_id_of(self, object_id):
        return object_id

    compare_template = "admin/digests/digest/compare.html"

    def compare_view(self, request, object_id, extra_context=None):
        """History's comparison of two versions also lists what changed in the sections,
        items and figures: added, removed, moved, reordered, text changed."""
        from reversion.models import Version

        ids = sorted(int(v) for v in request.GET.getlist("version_id1")[:1]
                     + request.GET.getlist("version_id2")[:1] if v.isdigit())  # fmt: skip
        versions = list(
            Version.objects.filter(pk__in=ids, object_id=str(object_id))
            .select_related("revision")
            .order_by("pk")
        )
        if len(versions) == 2:
            old, new = (comparison.revision_rows(v.revision) for v in versions)
            extra_context = {
                **(extra_context or {}),
                "structure_changes": comparison.compare(old, new),
            }
        return super().compare_view(request, object_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not moderation.may_publish(request.user):
            fields += ["status", "publish_at"]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not moderation.may_publish(request.user):
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        return actions

    @admin.display(description=_("Status"), ordering="status")
    def state(self, obj):
        return format_html('<span class="digest-state digest-state--{}">{}</span>',
                           obj.state, obj.state_label)  # fmt: skip

    @admin.display(description=_("On site"))
    def view_link(self, obj):
        label = gettext("View") if obj.is_public else gettext("Preview")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    @admin.action(description=_("Publish the selected digests now"), permissions=["publish"])
    def publish(self, request, queryset):
        now = timezone.now()
        count = 0
        for digest in queryset.exclude(status=Status.PUBLISHED, publish_at__lte=now):
            digest.status = Status.PUBLISHED
            if digest.publish_at is None:
                digest.publish_at = now
            digest.save(update_fields=["status", "publish_at", "updated_at"])
            count += 1
        message = ngettext(
            "%(count)d digest(s) published.", "%(count)d digest(s) published.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Unpublish the selected digests (back to draft)"),
                  permissions=["publish"])  # fmt: skip
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Status.PUBLISHED).update(
            status=Status.DRAFT, publish_at=None, updated_at=timezone.now()
        )
        content_changed(schedule=True)
        message = ngettext(
            "%(count)d digest(s) returned to draft.",
            "%(count)d digest(s) returned to draft.",
            count,
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    def has_publish_permission(self, request):
        return moderation.may_publish(request.user)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        review = self.admin_site.admin_view(self.review_view)
        return [
            path("import/", view, name="digests_digest_import"),
            path("<path:object_id>/pending/", review, name="digests_digest_pending"),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        return review_view(self, request, object_id)

    def import_view(self, request):
        return self._moderated(request, self._import_view)

    def _import_view(self, request):
        return import_view(self, request)


class MentionInline(admin.TabularInline):
    """Who the item names. Staff add someone the text does not spell out, or suppress a
    wrong match; relinking never overrides either choice."""

    model = Mention
    extra = 0
    fields = ["person", "organization", "source", "occurrences", "snippet"]
    readonly_fields = ["occurrences", "snippet"]
    autocomplete_fields = ["person", "organization"]
    verbose_name_plural = _("People and organizations named in this item")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person", "organization")


@admin.register(Item)
class ItemAdmin(ModeratedAdmin, CompareVersionAdmin):
    form = ItemForm
    inlines = [MentionInline]
    list_display = ["__str__", "section", "digest"]
    list_select_related = ["section__digest"]
    list_filter = ["section__digest__status"]
    search_fields = ["title", "body", "section__title", "section__digest__title"]
    fields = ["section", "order", *ITEM_FIELDS, "loaded_at"]
    autocomplete_fields = ["section"]

    def digest_id_of(self, object_id):
        item = Item.objects.filter(pk=object_id)
        return item.values_list("section__digest_id", flat=True).first()

    @admin.display(description=_("Digest"), ordering="section__digest__date")
    def digest(self, obj):
        return obj.section.digest

    def save_related(self, request, form, formsets, change):
        """Relink after staff changed the item's mentions, so that links follow their choice."""
        from digests.relinking import relink_items

        super().save_related(request, form, formsets, change)
        relink_items(Item.objects.filter(pk=form.instance.pk))


@admin.register(Section)
class SectionAdmin(ModeratedAdmin, admin.ModelAdmin):
    def digest_id_of(self, object_id):
        return Section.objects.filter(pk=object_id).values_list("digest_id", flat=True).first()

    list_display = ["title", "digest", "order"]
    list_select_related = ["digest"]
    search_fields = ["title", "digest__title"]
    autocomplete_fields = ["digest"]


@admin.register(SocialMetric)
class SocialMetricAdmin(ModeratedAdmin, admin.ModelAdmin):
    def digest_id_of(self, object_id):
        metric = SocialMetric.objects.filter(pk=object_id)
        return metric.values_list("digest_id", flat=True).first()

    list_display = ["platform", "views", "topic", "period_end", "digest"]
    list_select_related = ["digest"]
    list_filter = ["platform"]
    search_fields = ["topic", "digest__title"]
    autocomplete_fields = ["digest", "item", "people", "organizations"]
