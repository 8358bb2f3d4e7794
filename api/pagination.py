"""Cursor pagination over a fixed, unique ordering (keyset): a page costs the same at the
ten-thousandth row as at the first, and rows published meanwhile never shift a page.

The cursor is the last row's ordering values, signed with the site's secret key, so a client
can only hand back what the API gave it: anything else is a clear 400.
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


def _after(ordering: tuple[str, ...], values: list) -> Q:
    """Rows after `values` in `ordering`: (a > x) or (a = x and b > y) or …"""
    condition = Q()
    equal: dict[str, Any] = {}
    for field, value in zip(ordering, values, strict=True):
        name = field.removeprefix("-")
        condition |= Q(**equal, **{f"{name}__{'lt' if field.startswith('-') else 'gt'}": value})
        equal[name] = value
    return condition


@dataclass
class Rows:
    """What a paginated route returns: its rows, and how one row is answered."""

    queryset: Any
    shape: Callable[[Any], dict]


class KeysetPagination(PaginationBase):
    """`?limit=&cursor=`; answers `{"next": url or null, "results": [...]}`. The ordering must
    end in a unique field (`pk`)."""

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

    def __init__(self, *, ordering: tuple[str, ...], name: str, **kwargs):
        assert ordering[-1] in ("pk", "-pk"), "the ordering must end in a unique field"
        self.ordering = ordering
        self.salt = f"api.cursor.{name}"
        super().__init__(**kwargs)

    def paginate_queryset(self, rows: Rows, pagination, request, **params):
        queryset = rows.queryset.order_by(*self.ordering)
        if pagination.cursor:
            try:
                values = signing.loads(pagination.cursor, salt=self.salt)
            except signing.BadSignature:
                raise HttpError(
                    400, "The cursor is not valid: use the `next` address of a previous page."
                ) from None
            queryset = queryset.filter(_after(self.ordering, values))
        page = list(queryset[: pagination.limit + 1])
        next_url = None
        if len(page) > pagination.limit:
            page = page[: pagination.limit]
            last = [_dump(_value(page[-1], f.removeprefix("-"))) for f in self.ordering]
            query = request.GET.dict()
            query["cursor"] = signing.dumps(last, salt=self.salt, compress=True)
            next_url = request.build_absolute_uri(
                f"{request.path}?{urlencode(sorted(query.items()))}"
            )
        return {"next": next_url, "results": [rows.shape(row) for row in page]}
