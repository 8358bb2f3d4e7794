"""Cursor pagination over a fixed, unique ordering (keyset): a page costs the same at the
ten-thousandth row as at the first, and rows published meanwhile never shift a page.

The cursor holds only what the answers already show: the last row's keys (dates, slugs,
names: `api.data.Order`) and how many rows with exactly those keys were given, never a primary
key (the gaps between the ids of two public rows would count the hidden rows created in
between). Rows with equal keys (the items of one digest, the figures of one digest with equal
period and views) keep their fixed order among themselves (`Order.within`, ending in the
primary key), and the next page skips the ones already given. The cursor is signed with the
site's secret key, so a client can only hand back what the API gave it: anything else is a
clear 400.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


def _value(obj, lookup: str):
    return reduce(getattr, lookup.split("__"), obj)


def _dump(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _at_or_after(keys: tuple[str, ...], values: list) -> Q:
    """Rows at `values` or after them in the order of `keys`:
    (a > x) or (a = x and b > y) or … or (a = x and b = y and …)."""
    condition = Q()
    equal: dict[str, Any] = {}
    for field, value in zip(keys, values, strict=True):
        name = field.removeprefix("-")
        condition |= Q(**equal, **{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value})
        equal[name] = value
    return condition | Q(**equal)


@dataclass
class Rows:
    """What a paginated route returns: its rows, and how one row is answered."""

    queryset: Any
    shape: Callable[[Any], dict]


class KeysetPagination(PaginationBase):
    """`?limit=&cursor=`; answers `{"next": url or null, "results": [...]}` in the fixed
    order `order` (an `api.data.Order`)."""

    class Input(Schema):
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"Rows per page, 1–{MAX_LIMIT}.",
        )
        cursor: str | None = Field(
            None,
            description="Where the page starts: copy it from the previous page's `next`.",
        )

    class Output(Schema):
        next: str | None = Field(description="The next page's address; null on the last page.")
        results: list[Any]

    items_attribute = "results"

    def __init__(self, *, order, name: str, **kwargs):
        assert order.within[-1] in ("pk", "-pk"), "the order must end in a unique field"
        self.order = order
        self.salt = f"api.cursor.{name}.2"  # .2: cursors hold keys and a count, no ids
        super().__init__(**kwargs)

    def _position(self, cursor: str) -> tuple[list, int]:
        """The keys of the last row given and how many rows with those keys were given."""
        try:
            position = signing.loads(cursor, salt=self.salt)
        except signing.BadSignature:
            position = None
        if (
            not isinstance(position, dict)
            or not isinstance(position.get("keys"), list)
            or len(position["keys"]) != len(self.order.keys)
            or not isinstance(position.get("given"), int)
            or position["given"] < 1
        ):
            raise HttpError(
                400, "The cursor is not valid: use the `next` address of a previous page."
            )
        return position["keys"], position["given"]

    def _keys(self, row) -> list:
        return [_dump(_value(row, field.removeprefix("-"))) for field in self.order.keys]

    def paginate_queryset(self, rows: Rows, pagination, request, **params):
        queryset = rows.queryset.order_by(*self.order.fields)
        keys, given = None, 0
        if pagination.cursor:
            keys, given = self._position(pagination.cursor)
            # The rows with the same keys come first: skip those already given.
            queryset = queryset.filter(_at_or_after(self.order.keys, keys))
        page = list(queryset[given : given + pagination.limit + 1])
        next_url = None
        if len(page) > pagination.limit:
            page = page[: pagination.limit]
            last = self._keys(page[-1])
            same = 0
            for row in reversed(page):
                if self._keys(row) != last:
                    break
                same += 1
            if same == len(page) and last == keys:  # the whole page continued one group
                same += given
            query = request.GET.dict()
            query["cursor"] = signing.dumps(
                {"keys": last, "given": same}, salt=self.salt, compress=True
            )
            next_url = request.build_absolute_uri(
                f"{request.path}?{urlencode(sorted(query.items()))}"
            )
        return {"next": next_url, "results": [rows.shape(row) for row in page]}
