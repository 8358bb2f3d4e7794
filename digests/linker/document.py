"""One HTML document as the linker scans it: its text nodes (outside links, code and the
like), decoded character references, and the offsets that map matches back to the source."""

from __future__ import annotations

import html as htmllib
import re
from bisect import bisect_right

from digests.linker.text import (
    _BLOCKS,
    _CHARREF,
    _IGNORED,
    _MARKUP,
    _RAW_TEXT,
    _VOID,
    BLOCK,
    INLINE,
)


class _Document:
    """The text of an HTML fragment as one string (`text`), with a map back to the source.

    Text nodes are decoded and joined with INLINE/BLOCK separators standing for the markup
    between them. `linkable` lists the ranges of `text` that may be scanned for names.
    """

    def __init__(self, source: str):
        self.source = source
        pieces: list[str] = []
        self.starts: list[int] = []  # text offset of each text node
        self.origins: list[int] = []  # source offset of each text node
        self.refs: list[tuple[list[int], list[int], list[int]] | None] = []
        self.linkable: list[tuple[int, int]] = []
        length = 0
        depth: dict[str, int] = {}
        ignored = 0
        position = text_start = 0
        size = len(source)
        while position < size:
            lt = source.find("<", position)
            if lt == -1:
                break
            tag = _MARKUP.match(source, lt)
            if tag is None:
                position = lt + 1
                continue
            if lt > text_start:
                length = self._add_text(pieces, length, text_start, lt, ignored == 0)
            position = text_start = tag.end()
            name = (tag.group(2) or "").lower()
            closing = bool(tag.group(1))
            pieces.append(BLOCK if name in _BLOCKS else INLINE)
            length += 1
            if not name or name in _VOID:
                continue
            if name in _RAW_TEXT and not closing:
                end = re.compile(rf"</{re.escape(name)}[\s/>]", re.I).search(source, position)
                position = text_start = end.start() if end else size
                continue
            if name in _IGNORED:
                if closing:
                    if depth.get(name):
                        depth[name] -= 1
                        ignored -= 1
                else:
                    depth[name] = depth.get(name, 0) + 1
                    ignored += 1
        if text_start < size:
            self._add_text(pieces, length, text_start, size, ignored == 0)
        self.text = "".join(pieces)

    def _add_text(self, pieces: list[str], length: int, start: int, end: int, linkable: bool):
        raw = self.source[start:end]
        refs = None
        if "&" in raw:
            decoded, refs = self._decode(raw, start)
        else:
            decoded = raw
        self.starts.append(length)
        self.origins.append(start)
        self.refs.append(refs)
        pieces.append(decoded)
        if linkable:
            self.linkable.append((length, length + len(decoded)))
        return length + len(decoded)

    @staticmethod
    def _decode(raw: str, origin: int) -> tuple[str, tuple[list[int], list[int], list[int]]]:
        """`html.unescape(raw)`, and for each piece its decoded offset, source offset and
        source length (-1 for literal text, where offsets map one to one)."""
        pieces: list[str] = []
        at: list[int] = []
        src: list[int] = []
        src_len: list[int] = []
        length = last = 0
        for ref in _CHARREF.finditer(raw):
            text = ref.group(0)
            decoded = htmllib.unescape(text)
            if decoded == text:
                continue
            if ref.start() > last:
                at.append(length)
                src.append(origin + last)
                src_len.append(-1)
                pieces.append(raw[last : ref.start()])
                length += ref.start() - last
            at.append(length)
            src.append(origin + ref.start())
            src_len.append(len(text))
            pieces.append(decoded)
            length += len(decoded)
            last = ref.end()
        if last < len(raw):
            at.append(length)
            src.append(origin + last)
            src_len.append(-1)
            pieces.append(raw[last:])
        return "".join(pieces), (at, src, src_len)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Source range of text[start:end] (which lies within one text node)."""
        node = bisect_right(self.starts, start) - 1
        base, origin, refs = self.starts[node], self.origins[node], self.refs[node]
        if refs is None:
            return origin + start - base, origin + end - base
        at, src, src_len = refs
        i = bisect_right(at, start - base) - 1
        j = bisect_right(at, end - 1 - base) - 1
        source_start = src[i] + (start - base - at[i] if src_len[i] < 0 else 0)
        if src_len[j] < 0:
            source_end = src[j] + end - base - at[j]
        else:
            source_end = src[j] + src_len[j]
        return source_start, source_end
