"""Search for published items: by full text, and through the mentions of the people and
organizations whose name the query is (in any spelling).

On PostgreSQL a stored weighted vector (title above text, GIN-indexed), ranked; on SQLite a
case-insensitive scan of the stored text of the newest items. Only published items
(`published()`) are ever returned or counted, in a fixed number of queries bounded by the
page size, whatever the size of the archive.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Case, F, FloatField, IntegerField, Q, Subquery, TextField, Value, When
from django.db.models.functions import Cast
from django.utils.translation import get_language

from digests.models import Digest, Item, Mention, search_config
from digests.search.words import is_postgres, latin, terms

MAX_RESULTS = 500  # items; pages beyond MAX_RESULTS / PAGE_SIZE are not offered
RECENT_ITEMS = 10_000  # full text looks for the newest matches among these first
# SQLite has no full-text index: its fallback scans only the newest items.
SQLITE_SCAN_LIMIT = 20_000


def _filtered(items, filters: dict):
    if "date_from" in filters:
        items = items.filter(section__digest__date__gte=filters["date_from"])
    if "date_to" in filters:
        items = items.filter(section__digest__date__lte=filters["date_to"])
    for kind in ("person", "organization"):
        if kind in filters:
            named = Mention.objects.published().filter(**{kind: filters[kind]}).values("item")
            items = items.filter(pk__in=named)
    if "tag" in filters:
        tag = filters["tag"]
        items = items.filter(
            Q(pk__in=Item.objects.filter(tags__slug=tag).values("pk"))
            | Q(section__digest__in=Digest.objects.filter(tags__slug=tag).values("pk"))
        )
    return items


class Ranked:
    """Ranked matches for the paginator: the ids in order are known, so their number is too,
    and each page (a slice) is one query for its items (again limited to published ones)."""

    def __init__(self, ids: list[int], items):
        self.ids, self.items = ids, items

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, page: slice):
        ids = self.ids[page]
        found = {item.pk: item for item in self.items.filter(pk__in=ids)} if ids else {}
        return [found[pk] for pk in ids if pk in found]


def _newest_matches(matches):
    """The ids of the newest MAX_RESULTS of `matches` (published items only, so that nothing
    unpublished takes a place or is counted), as a subquery: those among the latest
    RECENT_ITEMS items, then, only if there are fewer, those among the older ones.

    PostgreSQL answers "newest matches" in one of two ways, and its estimate of how many items
    a set of words matches is often off by five times: reading every match through the index
    (30 ms for a phrase found in 13,000 items) or reading items newest first until enough
    match (80 ms for a rare word: every item is read). Split in two, each part is cheap: a
    frequent word fills the results from the recent items alone and the older part is never
    read; a rare word has few matches anywhere."""
    latest = Item.objects.order_by("-pk").values("pk")[:1]
    boundary = Subquery(latest) - RECENT_ITEMS
    recent = matches.filter(pk__gt=boundary).order_by("-pk").values("pk")
    # Compared as an expression, so that PostgreSQL tests the matches found through the text
    # index against it rather than reading the primary key index over the whole older range.
    older = matches.alias(position=F("pk") + 0).filter(position__lte=boundary)
    older = older.order_by("-pk").values("pk")
    return recent[:MAX_RESULTS].union(older[:MAX_RESULTS], all=True)[:MAX_RESULTS]


def _naming_mentions(entities):
    """Published mentions of the `entities` (those whose name the query is: see
    `EntityHit.named`); None if there are none."""
    people = [hit.pk for hit in entities if hit.kind == "person"]
    organizations = [hit.pk for hit in entities if hit.kind == "organization"]
    if not people and not organizations:
        return None
    return Mention.objects.published().filter(
        Q(person_id__in=people) | Q(organization_id__in=organizations)
    )


def _named_first(naming: Q | None) -> Case:
    if naming is None:
        return Value(0, output_field=IntegerField())
    return Case(When(naming, then=Value(1)), default=Value(0), output_field=IntegerField())


def search_items(query: str, filters: dict | None = None, entities=()):
    """Published items matching `query`, best first, at most MAX_RESULTS; each with
    `search_text` (and on PostgreSQL the query's `lexemes`) for `snippet()`.

    Items that name one of the `entities` found for the query (`search_entities`) whose name
    the query is, in whatever spelling, are results too and come first: “Lukashenka” finds
    the items naming Alexander Lukashenko however their text spells him."""
    entities_named = [hit for hit in entities if hit.named]
    mentions = _naming_mentions(entities_named)
    # Items of the page's language, searched with that language's configuration.
    language = get_language()
    items = _filtered(Item.objects.published(), filters or {}).filter(
        section__digest__language=language
    )
    if is_postgres():
        config = search_config(language)
        text_query = SearchQuery(query, search_type="websearch", config=config)
        in_latin = latin(query)
        if in_latin != query:
            text_query |= SearchQuery(in_latin, search_type="websearch", config=config)

        # Bounded work: only the newest MAX_RESULTS matches are ranked. A word found in a
        # quarter of the archive would otherwise rank tens of thousands of rows per request.
        # One query finds and ranks them (their number is the result count); a second loads
        # and highlights the page's items.
        # Publication is tested before the matches are limited and counted: an unpublished
        # match must never take a result's place, or the count would tell whether a draft
        # or scheduled item holds a word.
        # The text's matches, ranked by the words; then the items naming the entities found,
        # newest first (ranking them by the words would read the text of every one, and a
        # name rarely is the words of the text), read from the mentions through the entities'
        # own index, not by walking every mention newest first looking for theirs (200 ms for
        # a surname that nine people share). The two parts are united (as one OR, PostgreSQL
        # reads every item); an item in both comes once, among those named.
        matches = (
            Item.objects.filter(pk__in=_newest_matches(items.filter(search_vector=text_query)))
            .annotate(
                named=Value(0, output_field=IntegerField()),
                rank=SearchRank(F("search_vector"), text_query),
                date=F("section__digest__date"),
            )
            .values_list("pk", "named", "rank", "date")
        )
        # Each entity's mentions newest first, from its (entity, item) index: it stops after
        # MAX_RESULTS published ones, however often the entity is named.
        parts = []
        for hit in entities_named:
            named = Mention.objects.published().filter(
                item__section__digest__language=language, **{f"{hit.kind}_id": hit.pk}
            )
            if filters:
                named = named.filter(item__in=items)
            named = (
                named.order_by("-item_id")
                .annotate(
                    named=Value(1, output_field=IntegerField()),
                    rank=Value(0.0, output_field=FloatField()),
                    date=F("item__section__digest__date"),
                )
                .values_list("item_id", "named", "rank", "date")[:MAX_RESULTS]
            )
            parts.append(named)
        if parts:
            matches = matches.union(*parts, all=True)
        rows = matches.order_by("-named", "-rank", "-date", "pk")[
            : (len(entities_named) + 1) * MAX_RESULTS
        ]
        order = list(dict.fromkeys(pk for pk, *_ in rows))[:MAX_RESULTS]
        page = (
            Item.objects.published()
            .select_related("section__digest")
            # The query's lexemes (stemmed words, as PostgreSQL matched them) for `snippet()`.
            .annotate(lexemes=Cast(text_query, output_field=TextField()))
            .only(
                "title",
                "anchor",
                "search_text",
                "section__title",
                "section__digest__title",
                "section__digest__slug",
                "section__digest__language",
                "section__digest__date",
            )
            .order_by()
        )
        return Ranked(order, page)
    naming = None if mentions is None else Q(pk__in=mentions.values("item_id"))
    words = terms(query)
    if not words and naming is None:
        return Item.objects.none()
    in_title, anywhere = Q(), Q()
    for term in words:
        variants = {term, latin(term)}
        term_title = Q()
        term_anywhere = Q()
        for variant in variants:
            term_title |= Q(title__icontains=variant)
            term_anywhere |= Q(title__icontains=variant) | Q(search_text__icontains=variant)
        in_title &= term_title
        anywhere &= term_anywhere
    if naming is not None:
        anywhere = (anywhere | naming) if words else naming
    newest = Item.objects.published().order_by("-pk").values("pk")[:SQLITE_SCAN_LIMIT]
    items = (
        items.select_related("section__digest")
        .filter(pk__in=newest)
        .filter(anywhere)
        .annotate(
            named=_named_first(naming),
            title_match=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .defer("search_vector", "body", "body_html")
        .order_by("-named", "-title_match", "-section__digest__date", "pk")
    )
    return items[:MAX_RESULTS]
