"""Which people and organizations have a public page. The rule depends on what published
digests say, so it lives with the mentions (`digests.models.public_entities`); the digests app
hands it over at start-up (`digests/apps.py`), and the registry only asks (the admin's "What
readers see" line). Without the digests app installed no entity has a page.
"""

_rule = None


def set_rule(rule) -> None:
    """Use `rule(entities) -> queryset` to tell which of `entities` have a public page."""
    global _rule
    _rule = rule


def public_entities(entities):
    """The people or organizations of `entities` (a queryset or manager) with a public page."""
    if _rule is None:
        return entities.none()
    return _rule(entities)
