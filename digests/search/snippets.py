"""Snippets: a short passage of an item around the words searched for, with them marked."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from digests.search.words import latin, terms

SNIPPET_CHARS = 240

_LEXEME = re.compile(r"'((?:[^']|'')+)'")


def snippet(item, query: str) -> SafeString:
    """A short passage of the item's text around the first word searched for, with those
    words marked; everything but the `<mark>` elements is escaped.

    On PostgreSQL the words are the query's lexemes (`lexemes`, the stems full text matched:
    "cooper" for "cooperation"), marked wherever a word starts with one. PostgreSQL's own
    `ts_headline` parses each text again, 7 ms for a page of 20; this is a regular expression
    over text already loaded. On SQLite, which matched substrings, the substrings."""
    text = item.search_text or ""
    words = {v for t in terms(query) for v in (t, latin(t))}
    lexemes = getattr(item, "lexemes", None)
    if lexemes is not None:
        words |= {w.replace("''", "'") for w in _LEXEME.findall(lexemes)}
    if not words:
        return escape(text[:SNIPPET_CHARS])
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if lexemes is not None:
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)
    else:
        pattern = re.compile(alternatives, re.IGNORECASE)
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    passage = text[start:end]
    parts, last = [], 0
    for match in pattern.finditer(passage):
        parts.append(escape(passage[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(passage[last:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # every part is escaped
