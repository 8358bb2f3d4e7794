"""The digests app's models: digests, their sections and items, the social-media figures they
report, the mentions of people and organizations in them, and the staff workflow around them.

Visibility has one rule, `published_q()`: a digest is public when its status is *published*
and its `publish_at` has passed. Every model's `published()` and every public path use it.
"""

from digests.models.content import (
    ANCHOR_LETTERS,
    SEARCH_CONFIG,
    SEARCH_CONFIGS,
    Item,
    ItemQuerySet,
    Section,
    item_search_vector,
    new_item_anchor,
    plain_search_text,
    search_config,
)
from digests.models.digest import (
    ALT_HELP,
    Digest,
    DigestQuerySet,
    DigestRedirect,
    Language,
    Status,
    digest_scope,
    digest_slug,
    may_preview,
    published_q,
)
from digests.models.mention import (
    Mention,
    MentionQuerySet,
    public_entities,
    public_family,
    public_q,
)
from digests.models.metrics import Platform, SocialMetric, SocialMetricQuerySet, is_whole_year
from digests.models.workflow import (
    PendingChange,
    PendingChangeQuerySet,
    PreviewLink,
    PreviewLinkQuerySet,
    default_preview_expiry,
)

__all__ = [
    "ALT_HELP",
    "ANCHOR_LETTERS",
    "SEARCH_CONFIG",
    "SEARCH_CONFIGS",
    "Digest",
    "DigestQuerySet",
    "DigestRedirect",
    "Item",
    "ItemQuerySet",
    "Language",
    "Mention",
    "MentionQuerySet",
    "PendingChange",
    "PendingChangeQuerySet",
    "Platform",
    "PreviewLink",
    "PreviewLinkQuerySet",
    "Section",
    "SocialMetric",
    "SocialMetricQuerySet",
    "Status",
    "default_preview_expiry",
    "digest_scope",
    "digest_slug",
    "is_whole_year",
    "item_search_vector",
    "may_preview",
    "new_item_anchor",
    "plain_search_text",
    "public_entities",
    "public_family",
    "public_q",
    "published_q",
    "search_config",
]
