"""The project's own views: the editor's image upload, the favicon and the 500 page."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from digestsite.images import strip_metadata, validate_image


@require_POST
def editor_image_upload(request):
    """Image upload for the rich-text editor: staff only, through the same checks as every
    image field, stored without metadata under a random name (the original name may say
    too much)."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return JsonResponse(
            {"error": {"message": gettext("Only staff may upload images.")}}, status=403
        )
    upload = request.FILES.get("upload")
    if upload is None:
        return JsonResponse({"error": {"message": gettext("No file was sent.")}}, status=400)
    try:
        validate_image(upload)
    except ValidationError as exc:
        return JsonResponse({"error": {"message": " ".join(exc.messages)}}, status=400)
    cleaned = strip_metadata(upload)  # named at random
    stored = default_storage.save(f"editor/{timezone.now():%Y/%m}/{cleaned.name}", cleaned)
    return JsonResponse({"url": default_storage.url(stored)})


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's). The static
    URL is looked up per request: at import time the manifest may not exist yet."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def server_error(request):
    """The 500 page in the site's look, rendered from settings alone: no database, no context
    processors, and a fixed stylesheet address if the static manifest is what failed."""
    try:
        stylesheet = static("css/site.css")
    except Exception:
        stylesheet = None
    html = loader.get_template("500.html").render(
        {"site_name": settings.SITE_NAME, "stylesheet": stylesheet}
    )
    return HttpResponseServerError(html)
