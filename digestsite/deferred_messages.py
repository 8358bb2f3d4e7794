"""Messages from code that knows no Django (the digest parser, reading an uploaded text file):
written in English, and said again in a staff member's language where one is shown.

`N_("…")` marks a message's template for the catalogues without translating it: `make
messages` collects it (digests/management/commands/makemessages.py adds the keyword).
`Message(template, **params)` is the English text itself, a `str`, so the command line, logs
and tests read it as before; it keeps the template and its parameters apart, so the admin says
it in the staff member's language: `localize(message, gettext)`. A parameter may itself be a
Message; it is said in the same language.
"""

from __future__ import annotations

from collections.abc import Callable

Gettext = Callable[[str], str]


def N_(template: str) -> str:
    """Marks `template` for translation; translated only when the message is shown."""
    return template


class Message(str):
    """English text made from a marked template and its parameters (`%(name)s`)."""

    template: str
    params: dict

    def __new__(cls, template: str, /, **params) -> Message:
        self = super().__new__(cls, template % params if params else template)
        self.template = template
        self.params = params
        return self

    def __reduce__(self):
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict) -> Message:
    return Message(template, **params)


def localize(text: str, gettext: Gettext) -> str:
    """`text` in the language of `gettext` when it is a Message; any other text as it is."""
    if not isinstance(text, Message):
        return text
    template = gettext(text.template)
    if not text.params:
        return template
    return template % {name: localize(value, gettext) for name, value in text.params.items()}
