"""Read replica routing, active when DATABASE_REPLICA_URL is set (see settings).

The rule, kept simple so that nobody reads stale data they just wrote:

- Readers' page views (GET or HEAD without a session cookie: public pages set none) read from
  the replica. `ReplicaReadsMiddleware` marks those requests.
- Everything else reads from the primary ("default"): staff (they carry a session cookie, so
  the admin always shows what they just saved), any POST, management commands, the shell.
- Inside a transaction on the primary, reads stay on the primary.
- Writes always go to the primary; migrations run only on the primary.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_reader_request = ContextVar("reader_request", default=False)


class ReplicaReadsMiddleware:
    """Lets the router send this request's reads to the replica when it is a reader's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reader = request.method in {"GET", "HEAD"} and (
            settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        token = _reader_request.set(reader)
        try:
            return self.get_response(request)
        finally:
            _reader_request.reset(token)


class PrimaryReplicaRouter:
    """Readers' reads → replica; all other reads, every write and migrations → primary."""

    def db_for_read(self, model, **hints):
        if _reader_request.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
