"""Optimistic locking for admin forms: the second of two concurrent saves is refused.

The form carries the record's `updated_at` as it was when the editor opened it. If the record
has been saved since, the save is refused with a message naming who saved it, when and what
they changed (from the admin's change history); everything the editor typed stays in the form.
The check locks the record's row until the transaction ends, so two saves arriving together
cannot both pass it: the form must be validated and saved in one transaction, as the admin's
change view does.
"""

import json

from django import forms
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models import Q
from django.db.transaction import TransactionManagementError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext


class LoadedAtField(forms.CharField):
    """When the editor opened the record; bookkeeping, never a change to the record."""

    widget = forms.HiddenInput

    def has_changed(self, initial, data):
        return False


class ConcurrentEditForm(forms.ModelForm):
    loaded_at = LoadedAtField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded_at"] = self.instance.updated_at.isoformat()

    def clean(self):
        cleaned = super().clean()
        loaded = parse_datetime(cleaned.get("loaded_at") or "")
        if self.instance.pk and loaded:
            current = self.lock_record()
            if current and current > loaded:
                raise forms.ValidationError(self.conflict_message(loaded, current), code="conflict")
        return cleaned

    def rows_to_lock_first(self) -> list:
        """Querysets of rows that saving this form also writes and that other forms lock:
        they are locked before the record, so that every save takes its locks in the same
        order (parent before child) and two saves never wait for each other."""
        return []

    def lock_record(self):
        """Lock the record's row until the current transaction ends; return its `updated_at`
        as committed by any save that finished first."""
        model = type(self.instance)
        using = router.db_for_write(model, instance=self.instance)
        connection = transaction.get_connection(using)
        if not connection.in_atomic_block:
            raise TransactionManagementError(
                f"{type(self).__name__} must be validated and saved inside one "
                "transaction.atomic() block, as the admin's change view does: otherwise two "
                "concurrent saves can both pass the check."
            )
        # NO KEY UPDATE (PostgreSQL) is the lock an UPDATE takes: it excludes other editors
        # but lets rows that point to this one (mentions, aliases) be written meanwhile.
        options = {"no_key": connection.features.has_select_for_no_key_update}
        for queryset in self.rows_to_lock_first():
            list(queryset.using(using).select_for_update(**options).order_by("pk").values("pk"))
        return (
            model._default_manager.using(using)
            .select_for_update(**options)
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )

    def history_records(self) -> list:
        """The records whose admin history may say who changed this one: itself, and any
        page that also edits it (an item is edited on its digest's page too)."""
        return [self.instance]

    def conflict_message(self, loaded, current) -> str:
        records = Q()
        for obj in self.history_records():
            content_type = ContentType.objects.get_for_model(type(obj))
            records |= Q(content_type=content_type, object_id=str(obj.pk))
        entry = (
            LogEntry.objects.filter(records, action_time__gt=loaded)
            .select_related("user", "content_type")
            .order_by("-action_time")
            .first()
        )
        when = date_format(timezone.localtime(current), "H:i:s, j E")
        if entry is not None:
            facts = {
                "who": entry.user.get_full_name() or entry.user.get_username(),
                "when": when,
                "page": entry.content_type.name,
                "record": entry.object_repr,
                "what": self.describe_change(entry),
            }
            elsewhere = entry.content_type.model_class() is not type(self.instance)
            if facts["what"]:
                since = (
                    gettext(
                        "%(who)s changed it on the page of the %(page)s “%(record)s” at "
                        "%(when)s: %(what)s"
                    )
                    if elsewhere
                    else gettext("%(who)s changed it at %(when)s: %(what)s")
                ) % facts
            else:
                since = (
                    gettext(
                        "%(who)s saved it on the page of the %(page)s “%(record)s” at %(when)s."
                    )
                    if elsewhere
                    else gettext("%(who)s saved it at %(when)s.")
                ) % facts
        else:
            since = gettext("it was changed at %(when)s (by an import or another tool)") % {
                "when": when
            }
        return gettext(
            "This %(record)s was saved by someone else while you were editing: %(since)s Your "
            "changes have NOT been saved, and they are still in this form. Copy what you wrote, "
            "open the page again to see the current version, and apply your changes there."
        ) % {"record": self.instance._meta.verbose_name, "since": since}

    def describe_change(self, entry: LogEntry) -> str:
        """The history's description of `entry`, in the labels editors see, without the
        form's bookkeeping field (which older entries list as changed)."""
        try:
            messages = json.loads(entry.change_message)
        except json.JSONDecodeError:
            return entry.get_change_message()
        if not isinstance(messages, list):
            return entry.get_change_message()
        hidden = str(self["loaded_at"].label)
        kept = []
        for message in messages:
            changed = message.get("changed") if isinstance(message, dict) else None
            if isinstance(changed, dict) and "fields" in changed:
                fields = [f for f in changed["fields"] if f not in {hidden, "loaded_at"}]
                if not fields and "name" not in changed:
                    continue
                message = {"changed": {**changed, "fields": fields}}
            kept.append(message)
        return LogEntry(change_message=json.dumps(kept)).get_change_message()
