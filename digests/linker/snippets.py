"""Snippets: the sentence around a name's first occurrence, as plain text, cut to length."""

from __future__ import annotations

import re

from digests.linker.text import (
    _OPENERS,
    _SENTENCE_END,
    _SNIPPET_SPACE,
    ABBREVIATIONS,
    BLOCK,
    INLINE,
    SNIPPET_LENGTH,
)


class _Sentences:
    """Sentence boundaries of a document text, computed per block on demand."""

    def __init__(self, text: str):
        self.text = text
        self._blocks: dict[int, tuple[int, int, list[tuple[int, int]]]] = {}

    def _block(self, position: int) -> tuple[int, int, list[tuple[int, int]]]:
        text = self.text
        left = text.rfind(BLOCK, 0, position) + 1
        cached = self._blocks.get(left)
        if cached is not None:
            return cached
        right = text.find(BLOCK, position)
        right = len(text) if right == -1 else right
        ends = []  # (end of a sentence, start of the next)
        for match in _SENTENCE_END.finditer(text, left, right):
            if self._ends_sentence(match, right):
                ends.append((match.end(1), match.end()))
        self._blocks[left] = block = (left, right, ends)
        return block

    def _ends_sentence(self, match: re.Match, right: int) -> bool:
        text = self.text
        following = match.end()
        while following < right and text[following] == INLINE:
            following += 1
        if following >= right:
            return False
        char = text[following]
        if char not in _OPENERS and not char.isupper():
            return False
        if not match.group(1).startswith(".") or match.group(1).startswith(".."):
            return True
        stop = match.start()
        begin = stop
        while begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] == "."):
            begin -= 1
        word = text[begin:stop]
        return not (
            word.lower() in ABBREVIATIONS or "." in word or (len(word) == 1 and word.isupper())
        )

    def snippet(self, start: int, end: int) -> str:
        """The sentence around text[start:end] as plain text, trimmed around the name."""
        left, right, ends = self._block(start)
        sentence_start, sentence_end = left, right
        for stop, following in ends:
            if following <= start:
                sentence_start = following
            elif stop > end:
                sentence_end = stop
                break
        text = self.text
        before = _plain(text[sentence_start:start]).lstrip()
        name = _plain(text[start:end])
        after = _plain(text[end:sentence_end]).rstrip()
        return _trim(before, name, after, SNIPPET_LENGTH)


def _plain(text: str) -> str:
    return _SNIPPET_SPACE.sub(" ", text.replace(INLINE, ""))


def _trim(before: str, name: str, after: str, limit: int) -> str:
    """before + name + after in at most `limit` characters, cutting at spaces, with "…" where
    text was cut; the name is kept whole unless it alone is longer than the limit."""
    if len(before) + len(name) + len(after) <= limit:
        return before + name + after
    room = limit - len(name)
    if room < 2:
        return name[: limit - 1] + "…"
    if len(before) + 1 <= room:
        return before + name + _cut_right(after, room - len(before) - 1) + "…"
    if len(after) + 1 <= room:
        return "…" + _cut_left(before, room - len(after) - 1) + name + after
    left_room = (room - 2) // 2
    return "…" + _cut_left(before, left_room) + name + _cut_right(after, room - 2 - left_room) + "…"


def _cut_right(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    cut = text[:size]
    if not text[size].isspace():
        space = cut.rfind(" ")
        if space >= 0:
            cut = cut[:space]
    return cut.rstrip()


def _cut_left(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    cut = text[len(text) - size :] if size else ""
    if size and not text[len(text) - size - 1].isspace():
        space = cut.find(" ")
        if space >= 0:
            cut = cut[space + 1 :]
    return cut.lstrip()
