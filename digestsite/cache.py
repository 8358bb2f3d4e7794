"""What keeps readers' pages fresh: the counters every cached page and kept part is keyed by,
moved by every write to content (`content_changed`), and the time of the next scheduled
publication. The middleware that serves pages from the cache is digestsite.cache_middleware.

How it stays fresh: entries are keyed by a content *generation* and by the time of the next
scheduled publication.

- The generation moves on every write to a model of the `digests`, `people` or `taggit` apps
  (preview links excepted) — post_save, post_delete and m2m_changed, connected per model at
  start-up — and wherever code writes around those signals (`QuerySet.update()`), which calls
  `content_changed()` after writing. Drafts are included on purpose: whether a write touches
  only a draft can be decided safely only against the committed state (a concurrent publish
  may make it public), and a draft save costs at most one fresh render per page.
- The generation moves at once and again when the transaction commits: readers who rendered
  between the write and the commit stored their page under a generation that is then gone.
- The earliest future `publish_at` of a published digest is part of the key, so when it
  passes every page is rendered afresh; entries also expire then. It is looked up when a
  digest is written (under its own counter, so that the last write wins) and on a request only
  once it has passed. `Cache-Control` does not depend on it, so that headers never tell readers
  when the next digest comes out: browsers and CDNs keep a page for the same fixed, short
  time after a scheduled publication as after an edit, then revalidate by ETag.
- Parts of pages kept rendered (a digest's heading and body: `fragment_version`) are keyed
  by counters of their own: a write moves the counter of each *scope* it is known to touch
  (one digest), or, when the signal's receiver cannot tell (people, topics, `update()`), the
  counter every part's key carries. Moved at once and again at commit, as the generation.
- In production the shared cache is Redis or, on one machine, files that all of gunicorn's
  worker processes share; each process also keeps copies of pages in its own memory
  (`pages-local`) and trusts the counters it read for PUBLIC_CACHE_COUNTER_SECONDS (1 s):
  its own edits show at once, other processes' within that second.
"""

import logging
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

logger = logging.getLogger(__name__)

# Writes to these apps' models can change public pages (preview links cannot).
CONTENT_APPS = ("digests", "people", "taggit")
PRIVATE_MODELS = {"digests.previewlink", "digests.pendingchange"}

GENERATION_KEY = "public-pages:generation"
FRAGMENTS_KEY = "public-pages:parts"
LOCAL_ALIAS = "pages-local"
SCHEDULE_KEY = "public-pages:schedule"


def _setting(name: str, default: int) -> int:
    return getattr(settings, name, default)


# The generation and the schedule

# The counters as this process last read them, and until when (time.monotonic()) it may use
# them without reading again (see `counters`).
_remembered: tuple[float, tuple[int, int]] | None = None
# The last number this process bumped a counter to (see `_bump`).
_last_bump: int | None = None
# Where the time of the next scheduled publication comes from (see `connect_signals`).
_next_publication_source = None
# The next publication time as this process last read it, with the schedule counter it was
# read for (see `next_publication_time`).
_publication: tuple[int, float] | None = None


def forget_counters() -> None:
    """Read the counters from the shared cache on the next request (after clearing it)."""
    global _remembered, _publication
    _remembered = _publication = None


def _counter(key: str) -> int:
    value = cache.get(key)
    if value is None:
        # A fresh number, never one used before, if the key was lost.
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def _bump(*keys: str) -> int:
    """Move counters to a number never used before, on any cache backend: a plain `set()` of
    the clock in nanoseconds, so two processes bumping at once (a file cache has no atomic
    increment) still each retire what was keyed by the old number."""
    global _last_bump
    forget_counters()  # this process sees its own changes at once
    value = _last_bump = max(time.time_ns(), (_last_bump or 0) + 1)
    cache.set_many(dict.fromkeys(keys, value), timeout=None)
    return value


def _store_next_publication(schedule: int, now=None) -> float:
    at = _next_publication_source(now=now) if _next_publication_source else None
    value = at.timestamp() if at else 0
    cache.set(f"{SCHEDULE_KEY}:{schedule}", value, timeout=_setting("PUBLIC_CACHE_TIMEOUT", 600))
    return value


# Where a connection (one per thread) notes the scopes written to in its open transaction,
# whose parts are retired again when that transaction commits: never another thread's.
_PENDING_SCOPES = "_kept_parts_pending_scopes"


def _content_changed_now() -> None:
    _bump(GENERATION_KEY)


def _schedule_changed_now() -> None:
    _store_next_publication(_bump(SCHEDULE_KEY))


def _scope_keys(scopes) -> list[str]:
    return [FRAGMENTS_KEY if s is None else f"{FRAGMENTS_KEY}:{s}" for s in scopes]


def _parts_changed_now() -> None:
    scopes = transaction.get_connection().__dict__.pop(_PENDING_SCOPES, set())
    _bump(*_scope_keys(scopes))


def content_changed(*, schedule: bool = False, scopes=None) -> None:
    """Retire every cached public page. Called on every write to a content model; call it
    after any such write that sends no model signal (QuerySet.update(), raw SQL), with
    `schedule=True` when digests' status or publication time may have changed. `scopes`: the
    kept parts the write can change (see `fragment_version`), if known; by default all."""
    schedule = schedule or cache.get(SCHEDULE_KEY) is None
    scopes = {None} if scopes is None else set(scopes)
    _bump(GENERATION_KEY, *_scope_keys(scopes))
    if schedule:
        _schedule_changed_now()
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        pending = {entry[1] for entry in connection.run_on_commit}
        if _content_changed_now not in pending:
            transaction.on_commit(_content_changed_now, robust=True)
        if schedule and _schedule_changed_now not in pending:
            transaction.on_commit(_schedule_changed_now, robust=True)
        if scopes and _parts_changed_now not in pending:
            transaction.on_commit(_parts_changed_now, robust=True)
        connection.__dict__.setdefault(_PENDING_SCOPES, set()).update(scopes)


# The scopes a model signal's write touches (see `connect_signals`).
_scopes_of = None


def _model_saved_or_deleted(sender, **kwargs):
    scopes = _scopes_of(sender, **kwargs) if _scopes_of else None
    content_changed(schedule=sender._meta.label_lower == "digests.digest", scopes=scopes)


def _relation_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        scopes = _scopes_of(sender, action=action, **kwargs) if _scopes_of else None
        content_changed(scopes=scopes)


def _migrated(sender, **kwargs):
    # A deploy migrates: pages rendered by the previous release's templates are retired.
    try:
        content_changed(schedule=True)
    except Exception:
        logger.warning("the page cache could not be cleared after migrating", exc_info=True)


def connect_signals(*, next_publication=None, scopes_of=None) -> None:
    """Retire cached pages on every write to a content model (called from the content app's
    AppConfig). `next_publication(now=…)` answers the earliest time still to come at which
    public pages change by themselves (a scheduled publication), or None. `scopes_of(sender,
    **signal_kwargs)` answers the scopes of kept parts a write touches, or None for all."""
    global _next_publication_source, _scopes_of
    _next_publication_source, _scopes_of = next_publication, scopes_of
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in PRIVATE_MODELS:
                continue
            uid = f"public-pages:{model._meta.label_lower}"
            post_save.connect(_model_saved_or_deleted, sender=model, dispatch_uid=uid)
            post_delete.connect(_model_saved_or_deleted, sender=model, dispatch_uid=uid)
            m2m_changed.connect(_relation_changed, sender=model, dispatch_uid=uid)
    post_migrate.connect(_migrated, dispatch_uid="public-pages:migrate")


def local_copies():
    """This process's copies of pages held in the shared cache (`CACHES["pages-local"]`, set
    when the shared cache is Redis), or None. Pages are keyed by generation and schedule, so a
    copy can never be stale: a change makes new keys. Each hit then costs one small round trip
    for the counters instead of fetching the whole page from Redis."""
    return caches[LOCAL_ALIAS] if LOCAL_ALIAS in settings.CACHES else None


def counters() -> tuple[int, int]:
    """The content generation and the schedule counter, in one read of the shared cache.

    When this process keeps its own copies of pages (`pages-local`: production, with Redis or
    files) the answer is remembered for PUBLIC_CACHE_COUNTER_SECONDS: changes made by this
    process show at once (`_bump` forgets it), changes made by another process or web node
    within that time. Browsers and CDNs may keep a page for max-age / s-maxage seconds anyway,
    so a second here costs readers nothing and saves a round trip on every hit."""
    global _remembered
    seconds = _setting("PUBLIC_CACHE_COUNTER_SECONDS", 1) if local_copies() else 0
    now = time.monotonic()
    remembered = _remembered
    if seconds > 0 and remembered is not None and remembered[0] > now:
        return remembered[1]
    values = cache.get_many([GENERATION_KEY, SCHEDULE_KEY])
    counters = (
        values.get(GENERATION_KEY) or _counter(GENERATION_KEY),
        values.get(SCHEDULE_KEY) or _counter(SCHEDULE_KEY),
    )
    if seconds > 0:
        _remembered = (now + seconds, counters)
    return counters


def content_generation() -> int:
    """A number that changes on every write to content (see above): a key for anything else
    computed from the content, such as the admin's names-to-review queue."""
    return counters()[0]


def parts_cache_alias() -> str:
    """Where kept parts live: each process's own memory when it keeps copies of pages (a part
    is keyed by its version, so a copy is never stale, and storing one costs no file or network
    write), else the shared cache."""
    return LOCAL_ALIAS if local_copies() else "default"


def fragment_version(*scopes: str) -> str:
    """The version of the parts of pages kept rendered for `scopes` (say, one digest and its
    original): it moves with every write to any of them and with every write whose scope is
    not known, so a part kept under it can never be stale. One read of the shared cache."""
    keys = _scope_keys([None, *dict.fromkeys(scopes)])
    values = cache.get_many(keys)
    return ".".join(str(values.get(key) or _counter(key)) for key in keys)


def next_publication_time(now, schedule: int | None = None) -> float:
    """Timestamp of the earliest future `publish_at` of a published digest, 0 if none. Kept
    up to date by the writes that change it (under the schedule counter, remembered by this
    process for that counter); looked up here only once it has passed (or if the cache lost
    it)."""
    global _publication
    if schedule is None:
        schedule = _counter(SCHEDULE_KEY)
    remembered = _publication
    if remembered is not None and remembered[0] == schedule:
        value = remembered[1]
    else:
        value = cache.get(f"{SCHEDULE_KEY}:{schedule}")
    if value is None or 0 < value <= now.timestamp():
        value = _store_next_publication(schedule, now=now)
    _publication = (schedule, value)
    return value
