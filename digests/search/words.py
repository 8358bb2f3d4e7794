"""What search makes of the words typed: the limits, the possessive dropped, the words and
their Latin spellings, and which database answers (PostgreSQL's full text and trigrams, or
SQLite's portable fallback)."""

import re

from anyascii import anyascii
from django.db import connections, router

from digests.models import Item

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8


def is_postgres(model=Item) -> bool:
    return connections[router.db_for_read(model)].vendor == "postgresql"


_POSSESSIVE = re.compile(r"(?<=\w)['’](?:s\b|(?=\s|$))", re.IGNORECASE)


def without_possessives(query: str) -> str:
    """The query with English possessive endings dropped (“Tsikhanouskaya's”, “Workers’”):
    a name in the possessive finds what the name alone finds."""
    return _POSSESSIVE.sub("", query)


def terms(query: str) -> list[str]:
    """Words of the query for the SQLite fallback and for snippets (their Latin spellings
    with `latin`)."""
    query = without_possessives(query)
    words = [w for w in re.findall(r"\w[\w'’-]*", query) if len(w) > 1 or w.isdigit()]
    return words[:MAX_TERMS]


def latin(word: str) -> str:
    return anyascii(word) if not word.isascii() else word
