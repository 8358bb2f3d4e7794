"""The admin's upload → preview → confirm flow, shared by every import (digests, names).

Staff upload a file; the preview shows how it was read and what saving it would change; a
confirm form carries the text back in hidden fields, so nothing is stored until staff confirm.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    """A file upload (field `file`) refused above `max_bytes`, with `too_large` as the message."""

    max_bytes = 1024 * 1024
    too_large = _("The file is larger than 1 MB.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large)
        return upload


def upload_preview_confirm(
    request, *, upload_form, confirm_form, preview, confirm, template, context, restart
):
    """One admin view for the whole flow.

    A POST carrying `source` is the confirmation: `confirm(cleaned_data)` saves and returns the
    response (an incomplete form sends staff back to `restart`, a URL name). Otherwise a valid
    upload goes to `preview(form)`, which returns the preview page, or None when it added
    errors to the form; the upload form (`template`) is shown again then, and on a GET.
    """
    if request.method == "POST" and "source" in request.POST:
        form = confirm_form(request.POST)
        if not form.is_valid():
            messages.error(
                request, gettext("The import form was incomplete; upload the file again.")
            )
            return redirect(restart)
        return confirm(form.cleaned_data)
    upload = upload_form(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload.is_valid():
        response = preview(upload)
        if response is not None:
            return response
    return TemplateResponse(request, template, {**context, "form": upload})
