"""The search page and the search box's suggestions (JSON)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from taggit.models import Tag

from digests.search import items as item_search
from digests.search.forms import SearchForm
from digests.search.names import search_entities, suggest
from digests.search.snippets import snippet
from digests.search.words import MAX_QUERY_LENGTH
from digestsite.jsontext import html_safe_json
from digestsite.paging import page_or_404

PAGE_SIZE = 20


def search(request):
    """The search page: people and organizations first, then items, with filters."""
    form = SearchForm(request.GET or None)
    query, entities, page, filters = "", [], None, {}
    if form.is_valid():
        query, filters = form.cleaned_data["q"], form.filters
    if query:
        found = search_entities(query)
        items = item_search.search_items(query, filters, found)
        page = page_or_404(items, PAGE_SIZE, request.GET.get("page"))
        if page.number == 1 and not filters:
            entities = found
        for item in page.object_list:
            item.snippet = snippet(item, query)
    context = {
        "form": form,
        "query": query,
        "entities": entities,
        "page": page,
        "filters": filters,
        # The topic filter is a slug; the page names the topic (one query, only when filtered).
        "topic": Tag.objects.filter(slug=filters["tag"]).first() if "tag" in filters else None,
        "max_results": item_search.MAX_RESULTS,
        "nav": "search",
    }
    return render(request, "digests/search.html", context)


def search_suggest(request):
    """Suggestions for the search box, as JSON: names and aliases of public people and
    organizations matching what was typed so far. One query at most."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    # <, > and & as \u escapes, so no sniffing client can read markup here.
    body = html_safe_json({"query": query, "results": suggest(query)})
    response = HttpResponse(body, content_type="application/json")
    patch_cache_control(response, public=True, max_age=300)
    return response
