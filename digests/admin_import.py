"""The admin's digest import: upload an export, see how it was read, confirm to save it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from digests import moderation
from digests.importing import (
    DigestConflict,
    DigestImportError,
    check_conflict,
    find_existing,
    parse_digest,
    save_digest,
)
from digests.models import Platform
from digestsite.admin_upload import UploadForm, upload_preview_confirm
from digestsite.deferred_messages import localize

IMPORT_MAX_BYTES = 2 * 1024 * 1024


class ImportUploadForm(UploadForm):
    max_bytes = IMPORT_MAX_BYTES
    too_large = _("The file is larger than 2 MB; is it really a digest?")

    file = forms.FileField(
        label=_("Exported digest (.txt)"),
        help_text=_("A digest exported as text from the old site builder, at most 2 MB."),
    )
    title = forms.CharField(
        required=False,
        max_length=200,
        help_text=_(
            "Optional: the digest's title, for a text whose first line is not a dated "
            "title. It replaces a dated first line; otherwise the first line is read as content."
        ),
    )
    date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional: the digest's date (YYYY-MM-DD); it wins over a date in the text."),
    )
    publish = forms.BooleanField(required=False, help_text=_("Publish it as soon as it is saved."))


class ImportConfirmForm(forms.Form):
    source = forms.CharField(widget=forms.HiddenInput, strip=False, max_length=IMPORT_MAX_BYTES)
    filename = forms.CharField(widget=forms.HiddenInput, max_length=255)
    title = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    date = forms.DateField(required=False, widget=forms.HiddenInput, input_formats=["%Y-%m-%d"])
    publish = forms.BooleanField(required=False, widget=forms.HiddenInput)
    replace = forms.BooleanField(
        required=False,
        label=_("Overwrite the edits made in the admin"),
        help_text=_("Only if you are sure: the text from the file replaces the digest's content."),
    )


def import_view(model_admin, request):
    """Upload an exported digest, see how it was read, then confirm to save it."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    may_publish = model_admin.has_publish_permission(request)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Import a digest"),
        "may_publish": may_publish,
    }

    def confirm(data):
        try:
            parsed = parse_digest(
                data["source"], filename=data["filename"], title=data["title"], date=data["date"]
            )
            result = save_digest(
                parsed,
                source=data["filename"],
                publish=data["publish"] and may_publish,
                replace=data["replace"],
            )
        except DigestImportError as exc:
            messages.error(request, exc.localize(gettext))
            return redirect("admin:digests_digest_import")
        except DigestConflict as exc:
            messages.error(request, str(exc))
            return redirect("admin:digests_digest_import")
        if not moderation.is_moderating(request):
            messages.success(request, _imported(result))
        return redirect("admin:digests_digest_change", result.digest.pk)

    def preview(upload):
        file, given = upload.cleaned_data["file"], upload.cleaned_data
        raw = file.read()
        try:
            parsed = parse_digest(raw, filename=file.name, title=given["title"], date=given["date"])
        except DigestImportError as exc:
            upload.add_error("file", exc.localize(gettext))
            return None
        existing = find_existing(parsed)
        confirm_form = ImportConfirmForm(
            initial={
                "source": raw.decode("utf-8-sig"),
                "filename": file.name,
                "title": given["title"],
                "date": given["date"].isoformat() if given["date"] else "",
                "publish": given["publish"] and may_publish,
            }
        )
        return TemplateResponse(
            request,
            "admin/digests/digest/import_preview.html",
            {
                **context,
                "parsed": parsed,
                "notes": [localize(note, gettext) for note in parsed.notes],
                "existing": existing,
                "conflict": check_conflict(parsed, existing),
                "platforms": dict(Platform.choices),
                "confirm": confirm_form,
            },
        )

    return upload_preview_confirm(
        request,
        upload_form=ImportUploadForm,
        confirm_form=ImportConfirmForm,
        preview=preview,
        confirm=confirm,
        template="admin/digests/digest/import.html",
        context=context,
        restart="admin:digests_digest_import",
    )


def _imported(result) -> str:
    """What the import saved, for the message after it."""
    contents = ", ".join(
        [
            ngettext("%(count)s section", "%(count)s sections", result.sections)
            % {"count": result.sections},
            ngettext("%(count)s item", "%(count)s items", result.items) % {"count": result.items},
            ngettext(
                "%(count)s social media figure", "%(count)s social media figures", result.metrics
            )
            % {"count": result.metrics},
        ]
    )
    if result.created:
        message = gettext("“%(title)s” imported: %(contents)s.")
    else:
        message = gettext("“%(title)s” updated from the file: %(contents)s.")
    return message % {"title": result.digest.title, "contents": contents}
