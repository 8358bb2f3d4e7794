"""The mention linker: finds every registered name in HTML and links it to its entity's page.

Pure Python plus pyahocorasick; no Django. A `Linker` is built once for the whole registry and
is read-only afterwards (safe to share between threads); `Linker.link()` makes one pass over
the text, so its cost grows with the length of the text, not with the size of the registry.
Its guarantees (word boundaries, longest match, what is never rewritten, which other spellings
link) are listed in docs/mentions.md.
"""

from digests.linker.context import COMMON_WORDS, NOT_FIRST_NAMES, TITLES, names_in
from digests.linker.core import Linker
from digests.linker.text import (
    ABBREVIATIONS,
    SNIPPET_LENGTH,
    STOPWORDS,
    Alias,
    Hit,
    LinkResult,
    Namesake,
    Reading,
)

__all__ = [
    "ABBREVIATIONS",
    "COMMON_WORDS",
    "NOT_FIRST_NAMES",
    "SNIPPET_LENGTH",
    "STOPWORDS",
    "TITLES",
    "Alias",
    "Hit",
    "LinkResult",
    "Linker",
    "Namesake",
    "Reading",
    "names_in",
]
