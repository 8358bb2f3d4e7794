"""What the registry tells other apps: names changed, or duplicates are being merged.

`entities_merged` is sent inside the merge's transaction, for each duplicate before it is
deleted, with `survivor` and `duplicate`: apps that point at people or organizations move
their rows to the survivor then (the digests app moves mentions and figures).

`names_changed` tells other apps that names of people or organizations changed.
Sent after a name or alias is created, changed or deleted, or when a person's sensitivity or
page address changes, with `names` (every spelling affected, old and new) and `entities` (the
people and organizations concerned, as ("person" or "organization", pk) keys). Inside
`registry_batch()` the changes are collected and sent once when the batch ends, so a bulk
import relinks each affected item once.
"""

import threading
from contextlib import contextmanager

from django.dispatch import Signal

names_changed = Signal()
entities_merged = Signal()

_state = threading.local()


def send_names_changed(*, names, entities) -> None:
    batch = getattr(_state, "batch", None)
    if batch is not None:
        batch[0].update(n for n in names if n)
        batch[1].update(entities)
        return
    names = {n for n in names if n}
    if names or entities:
        names_changed.send(sender=None, names=names, entities=set(entities))


@contextmanager
def registry_batch():
    """Collect `names_changed` notifications and send them once, when the block succeeds."""
    if getattr(_state, "batch", None) is not None:
        yield
        return
    _state.batch = (set(), set())
    try:
        yield
        names, entities = _state.batch
    finally:
        _state.batch = None
    if names or entities:
        names_changed.send(sender=None, names=names, entities=entities)
