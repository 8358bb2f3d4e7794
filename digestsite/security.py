"""Staff sign-in throttling (django-axes): who an attempt came from, and under which name.

The full rules and the proxy chain are in README "Security".
"""

from django.conf import settings
from django.contrib.auth import get_user_model

# Every attempt naming no staff account is counted under this name, never the name typed.
NOT_STAFF = "(not a staff account)"


def client_ip(request) -> str:
    """The address a sign-in attempt came from, as the outermost of TRUSTED_PROXIES proxies
    saw it. Each proxy appends the address it was reached from to X-Forwarded-For, so with N
    proxies in front of gunicorn the client is the N-th entry from the right; anything further
    left was written by the client and is ignored. With no proxies: the connection's address."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            # Fewer entries than proxies: the request skipped a proxy; take the first one set.
            return forwarded[-min(proxies, len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")


def staff_username(request, credentials) -> str:
    """The name an attempt is recorded and locked under: the username when it belongs to a
    staff account, NOT_STAFF otherwise — so a name a reader typed is never stored, and the
    lockout does not tell which names are staff accounts."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    username = (credentials or getattr(request, "POST", None) or {}).get(field) or ""
    if not username or "\x00" in username:
        return NOT_STAFF
    staff = user_model._default_manager.filter(**{field: username}, is_staff=True, is_active=True)
    return username if staff.exists() else NOT_STAFF
