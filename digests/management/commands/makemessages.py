"""Django's `makemessages`, also collecting the templates marked with `N_("…")`: the messages
of code that knows no Django (the digest parser, reading uploaded text files), said in a staff
member's language only when shown (digestsite/deferred_messages.py). `make messages` runs it."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
