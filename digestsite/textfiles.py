"""Reading an uploaded text file (a digest export, a CSV of names): UTF-8 or refused with the
line where it goes wrong, so that staff know what to fix."""

import re

from digestsite.deferred_messages import N_, Message

LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
LINE_BREAK_BYTES_RE = re.compile(rb"\r\n|\r|\n")


class UnreadableText(ValueError):
    """The file is binary or not UTF-8: `reason` says which (a Message: said in the staff
    member's language where shown), `line` where (1-based)."""

    def __init__(self, reason: Message, *, line: int):
        self.reason = reason
        self.line = line
        super().__init__(f"line {line}: {reason}")


def decode_text(data: bytes | str, *, kind: Message, save_as: Message) -> str:
    """`data` as text without a byte-order mark. `kind` names what the file should be ("a
    CSV file"), `save_as` how to save it again ("save it again as CSV UTF-8") when it is not
    UTF-8: Messages, so that staff read them in their language."""
    if isinstance(data, str):
        nul = data.find("\0")
        if nul != -1:
            raise UnreadableText(
                Message(
                    N_("this is a binary file (it contains NUL characters), not %(kind)s"),
                    kind=kind,
                ),
                line=line_of(data[:nul]),
            )
        return data.removeprefix("\ufeff")
    nul = data.find(b"\0")
    if nul != -1:
        raise UnreadableText(
            Message(N_("this is a binary file (it contains NUL bytes), not %(kind)s"), kind=kind),
            line=line_of(data[:nul]),
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableText(
            Message(
                N_("the file is not UTF-8 text (byte %(byte)s cannot be read); %(save_as)s"),
                byte=f"0x{data[exc.start]:02x}",
                save_as=save_as,
            ),
            line=line_of(data[: exc.start]),
        ) from None
    return text.removeprefix("\ufeff")


def line_of(prefix: bytes | str) -> int:
    """The line number at the end of `prefix` (any of \\r\\n, \\r, \\n ends a line)."""
    pattern = LINE_BREAK_BYTES_RE if isinstance(prefix, bytes) else LINE_BREAK_RE
    return len(pattern.findall(prefix)) + 1
