"""Optimistic locking for admin forms: the second of two concurrent saves is refused.

The form carries the record's `updated_at` as it was when the editor opened it. If the record
has been saved since, the save is refused with a message naming who saved it, when and what
they changed (from the admin's change history); everything the editor typed stays in the form.
"""

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class ConcurrentEditForm(forms.ModelForm):
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_at"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        loaded = parse_datetime(self.cleaned_data.get("loaded_at") or "")
        if self.instance.pk and loaded:
            model = type(self.instance)
            current = (
                model._default_manager.filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if current and current > loaded:
                raise forms.ValidationError(self.conflict_message(loaded, current), code="conflict")
        return cleaned

    def conflict_message(self, loaded, current) -> str:
        entry = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(type(self.instance)),
                object_id=str(self.instance.pk),
                action_time__gt=loaded,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        when = timezone.localtime(current).strftime("%H:%M:%S on %d %B")
        if entry is not None:
            who = entry.user.get_full_name() or entry.user.get_username()
            what = entry.get_change_message() or "saved it"
            since = f"{who} changed it at {when}: {what}"
        else:
            since = f"it was changed at {when} (by an import or another tool)"
        name = self.instance._meta.verbose_name
        return (
            f"This {name} was saved by someone else while you were editing: {since} "
            "Your changes have NOT been saved, and they are still in this form. Copy what you "
            "wrote, open the page again to see the current version, and apply your changes there."
        )
