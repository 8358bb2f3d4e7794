"""The admin's side of pending changes: every door that writes content is moderated, and
Publishers review, approve or reject (the rules are in digests/moderation.py)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from digests import comparison, moderation
from digests.models import Digest, PendingChange
from digestsite.middleware import is_row_id


def review_url(digest_id) -> str:
    return reverse("admin:digests_digest_pending", args=[digest_id])


class ModeratedAdmin:
    """Mixin for the ModelAdmins of content: the change and add form, delete, bulk actions,
    and django-reversion's history restore and recover all run inside `moderate()`."""

    def digest_id_of(self, object_id):
        """The digest the object `object_id` belongs to (None: none, or not found)."""
        return None

    def _moderated(self, request, view, *args, object_id=None, restoring=False):
        """Run `view` moderated; with `object_id`, the change waiting for that object's digest
        is brought in first, so that the form is read against it."""
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return view(request, *args)
        with moderation.moderate(request, restoring=restoring) as result:
            if object_id is not None and request.method == "POST" and is_row_id(str(object_id)):
                moderation.build_on_pending(self.digest_id_of(object_id))
            response = view(request, *args)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # while the database still shows the change
        for change in result.pending:
            _log(request, change.digest, "Submitted changes for approval.")
            messages.warning(
                request,
                format_html(
                    gettext(
                        "Your changes to “{}” are waiting for a Publisher’s approval; readers "
                        'still see the published version. <a href="{}">See the changes</a>.'
                    ),
                    change.digest,
                    review_url(change.digest_id),
                ),
            )
        return response

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # "… was changed successfully" would not be true while the change waits.
        if level == messages.SUCCESS and moderation.is_moderating(request):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def add_view(self, request, form_url="", extra_context=None):
        return self._moderated(request, super().add_view, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Staff who may not publish see and edit the version waiting for approval, if there
        is one; Publishers see the live version and a link to review the waiting one.

        Wraps django-reversion's own wrapping of this view, so that its revision is held back
        with everything else, and a version shown for editing never reaches History."""
        view = super().change_view
        digest_id = self.digest_id_of(object_id) if is_row_id(str(object_id)) else None
        change = awaiting_change(digest_id)
        if change is not None:
            extra_context = {
                **(extra_context or {}),
                "pending_change": change,
                "pending_review_url": review_url(digest_id),
            }
        args = (object_id, form_url, extra_context)
        if change is None or moderation.may_publish(request.user) or request.method == "POST":
            return self._moderated(request, view, *args, object_id=object_id)
        with moderation.applied(change.data):
            response = view(request, *args)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def delete_view(self, request, object_id, extra_context=None):
        return self._moderated(request, super().delete_view, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        return self._moderated(request, super().changelist_view, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        view = super().revision_view
        return self._moderated(request, view, object_id, version_id, extra_context, restoring=True)

    def recover_view(self, request, version_id, extra_context=None):
        view = super().recover_view
        return self._moderated(request, view, version_id, extra_context, restoring=True)


class ReviewForm(forms.Form):
    """Approve or reject exactly the change the Publisher saw, against the live digest as it
    was shown: a newer change, or a live edit since, is refused and shown again."""

    note = forms.CharField(
        required=False,
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the author. Required when you reject."),
    )
    change = forms.IntegerField(widget=forms.HiddenInput)
    live_updated_at = forms.DateTimeField(widget=forms.HiddenInput)

    def __init__(self, *args, change, digest, **kwargs):
        super().__init__(*args, **kwargs)
        self.current, self.digest = change, digest
        if change is not None:
            self.initial.update(change=change.pk, live_updated_at=digest.updated_at.isoformat())

    def clean(self):
        cleaned = super().clean()
        if "reject" in self.data and not cleaned.get("note", "").strip():
            self.add_error("note", gettext("Say why, so the author can put it right."))
        if self.current is None or cleaned.get("change") != self.current.pk:
            raise forms.ValidationError(
                gettext(
                    "These changes were replaced by newer ones while you were reviewing them. "
                    "Nothing was approved or rejected: review what is waiting now, below."
                )
            )
        seen = cleaned.get("live_updated_at")
        if seen is not None and self.digest.updated_at > seen:
            raise forms.ValidationError(
                gettext(
                    "The published digest was changed after you opened this page. Nothing was "
                    "approved or rejected: the comparison below is with the digest as it is now."
                )
            )
        return cleaned


def review_view(model_admin, request, object_id):
    """The pending change of one digest beside what readers see now: Publishers approve or
    reject; everyone who may view digests sees it."""
    if not is_row_id(str(object_id)):
        raise Http404("No such digest.")
    digest = get_object_or_404(Digest, pk=object_id)
    if not model_admin.has_view_permission(request, digest):
        raise PermissionDenied
    change = PendingChange.objects.awaiting().select_related("author").filter(digest=digest).first()
    may_review = moderation.may_publish(request.user)
    form = ReviewForm(request.POST or None, change=change, digest=digest)
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        if change is None:
            messages.error(request, gettext("These changes were already reviewed."))
            return redirect("admin:digests_digest_change", digest.pk)
        if form.is_valid():
            note = form.cleaned_data["note"].strip()
            who = moderation.display_name(change.author)
            if "approve" in request.POST:
                moderation.approve(change, user=request.user, note=note)
                _log(request, digest, f"Approved changes by {who}.")
                messages.success(
                    request, gettext("The changes by %(who)s are live.") % {"who": who}
                )
            else:
                moderation.reject(change, user=request.user, note=note)
                _log(request, digest, f"Rejected changes by {who}: {note}")
                messages.success(
                    request, gettext("The changes by %(who)s were rejected.") % {"who": who}
                )
            return redirect("admin:digests_digest_change", digest.pk)
    opts = Digest._meta
    recent = (
        PendingChange.objects.filter(digest=digest)
        .exclude(state=PendingChange.State.PENDING)
        .select_related("author", "reviewed_by")[:5]
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "original": digest,
        "title": gettext("Changes awaiting approval: %(digest)s") % {"digest": digest},
        "change": change,
        "changes": (
            comparison.compare(moderation.live_rows(digest.pk), change.data["objects"])
            if change
            else []
        ),
        "live_changed_since": change is not None and digest.updated_at > change.base_updated_at,
        "may_review": may_review,
        "form": form,
        "recent": recent,
        "preview_url": f"{digest.get_absolute_url()}?pending=1",
    }
    return TemplateResponse(request, "admin/digests/digest/pending.html", context)


def _log(request, digest, message):
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=[digest],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


def awaiting_change(object_id):
    if object_id is None:
        return None
    return (
        PendingChange.objects.awaiting()
        .select_related("author")
        .filter(digest_id=object_id)
        .first()
    )
