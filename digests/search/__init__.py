"""Public search: people and organizations by any spelling of their names, then items.

- `words`: the limits, the words of a query, which database answers;
- `names`: people and organizations by any spelling (`search_entities`, `suggest`);
- `items`: published items by full text and through the mentions of the names found;
- `snippets`: the passage shown under each item; `forms`: the form and its filters;
- `views`: the search page and the suggestions.

docs/search.md says how it works and what it costs.
"""

from digests.search.forms import SearchForm
from digests.search.items import MAX_RESULTS, search_items
from digests.search.names import ENTITY_LIMIT, EntityHit, search_entities, suggest
from digests.search.snippets import snippet
from digests.search.views import PAGE_SIZE, search, search_suggest
from digests.search.words import MAX_QUERY_LENGTH

__all__ = [
    "ENTITY_LIMIT",
    "MAX_QUERY_LENGTH",
    "MAX_RESULTS",
    "PAGE_SIZE",
    "EntityHit",
    "SearchForm",
    "search",
    "search_entities",
    "search_items",
    "search_suggest",
    "snippet",
    "suggest",
]
