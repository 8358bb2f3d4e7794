from django.conf import settings


def client_ip(request) -> str:
    """The address a staff sign-in attempt came from (for lockouts). Behind the reverse proxy
    (DJANGO_BEHIND_PROXY) that is the last address the proxy appended to X-Forwarded-For."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
