"""What every template may use: the site's name (translated) and the sign-in lockout time."""

from django.conf import settings
from django.utils.translation import gettext


def site(request):
    return {
        # The default name has translations; a name set in DJANGO_SITE_NAME stays as given.
        "site_name": gettext(settings.SITE_NAME),
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
