"""Public search: people and organizations by any spelling of their names, then items.

Names are matched on the search keys stored with every alias (`people.spelling`): a query in
Cyrillic, with diacritics or in another transliteration has the same key as the alias, or the
same consonant skeleton. On PostgreSQL trigram word similarity (`pg_trgm`, GIN-indexed) also
finds near spellings (a typo). Items are found by full text: on PostgreSQL a stored weighted
vector (title above text, GIN-indexed), ranked, with snippets in which the matched words
are marked; on SQLite a case-insensitive scan of the stored text of the newest items.

Only public entities (`public()`, never a sensitive person) and published items
(`published()`) are ever returned. Every function does a fixed number of queries, bounded by
the query length, the entity limit and the page size, whatever the size of the data.
"""

import json
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

from anyascii import anyascii
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Length
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from taggit.models import Tag

from digests.models import SEARCH_CONFIG, Digest, Item, Mention
from people.models import Alias, Organization, Person
from people.spelling import search_key, skeleton

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
MAX_RESULTS = 500  # items; pages beyond MAX_RESULTS / PAGE_SIZE are not offered
RECENT_ITEMS = 10_000  # full text looks for the newest matches among these first
ENTITY_LIMIT = 10
# Aliases considered per entity shown: an entity has several names (and a few matching aliases
# may belong to people without a public page).
CANDIDATES_PER_ENTITY = 5
SUGGESTION_LIMIT = 10
MIN_SUGGEST_LENGTH = 2
# SQLite has no full-text index: its fallback scans only the newest items.
SQLITE_SCAN_LIMIT = 20_000
MAX_TERMS = 8
SNIPPET_CHARS = 240


def is_postgres(model=Item) -> bool:
    return connections[router.db_for_read(model)].vendor == "postgresql"


class SearchForm(forms.Form):
    """What a reader searches for; bad input becomes a message on the page, never an error."""

    q = forms.CharField(
        label="Search for",
        required=False,
        strip=True,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": f"Search for at most {MAX_QUERY_LENGTH} characters "
            "(this search has %(show_value)d). Try a name or a few words."
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "There is no public page for that person."},
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "There is no public page for that organization."},
    )
    tag = forms.SlugField(
        required=False,
        max_length=100,
        widget=forms.HiddenInput,
        error_messages={"invalid": "That is not a topic address."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Visibility depends on the time of the request, not of the import. Built only for a
        # filter the reader chose: most searches have none.
        for name, model in (("person", Person), ("organization", Organization)):
            if self.data.get(name):
                self.fields[name].queryset = model.objects.public()

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    @property
    def filters(self) -> dict:
        """The valid filters the reader chose (empty while the form has errors)."""
        if not self.is_valid():
            return {}
        keys = ("date_from", "date_to", "person", "organization", "tag")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k)}


@dataclass
class EntityHit:
    name: str
    alias: str  # the name or alias that matched
    kind: str  # "person" or "organization"
    url: str
    slug: str

    @property
    def matched_other_name(self) -> bool:
        return self.alias != self.name


def _name_conditions(key: str) -> list[Q]:
    """Aliases whose key starts with the query's key at a word boundary, or whose skeleton
    does (three consonants at least). The portable test; PostgreSQL's is `_BEST_ALIASES`."""
    conditions = [Q(search_key__startswith=key), Q(search_key__contains=f" {key}")]
    bones = skeleton(key)
    if len(bones.replace(" ", "")) >= 3:
        conditions += [
            Q(search_skeleton__startswith=bones),
            Q(search_skeleton__contains=f" {bones}"),
        ]
    return conditions


def _near_spelling_words(key: str) -> list[str]:
    """What near spellings are looked for: a one-word query whole; in a longer one each word
    of four letters or more (all of them must be near a word of the name, in any order), or
    its longest word if none is that long. Short words (initials, "of", "for") are left to the
    exact and prefix tests, which take the whole query.

    Testing the words one by one is both closer to what a reader means ("Lukashenko
    Alexander" with a typo in either word) and far more selective: the whole phrase is near
    every alias that shares one of its words (a first name shared by 250 people), and
    PostgreSQL reads every alias to compare a long phrase by trigrams."""
    words = key.split()
    if len(words) <= 1:
        return words
    return [w for w in words if len(w) >= 4] or [max(words, key=len)]


# The best aliases of public entities for a search key on PostgreSQL, as a subquery of their
# ids. Each way of matching is its own scan of a trigram (GIN) or text-pattern index, and the
# results are united and ranked (as `_alias_order` ranks them): exact, then prefix, then word
# prefix, then the nearest spellings (`pg_trgm` word similarity), primary names and shorter keys
# first. As one OR, the planner underrates the trigram test and reads every alias (150 ms for a
# long name at 20,000 aliases; 1 ms this way). Written as SQL: the ORM would rank each part
# before uniting them, and building that cost more than running it. Keys and skeletons hold only
# a-z, 0-9 and single spaces (`people.spelling`), so they need no escaping in LIKE patterns.
# Publicness ({public}: a scalar subquery, which PostgreSQL never turns into a join) is tested
# on the ranked matches one by one, best first, until `limit` are found: an alias of someone
# without a public page never takes a place (the names found would tell that such a person is
# in the registry), and a short query matching thousands of aliases probes only a few of them.
# OFFSET 0 keeps the test out of the ranked subquery, where it would run on every match.
_BEST_ALIASES = """
SELECT id FROM (
    SELECT id FROM (
        SELECT id, search_key, is_primary FROM people_alias WHERE search_key LIKE %s
        UNION SELECT id, search_key, is_primary FROM people_alias WHERE search_key LIKE %s
        {skeleton}
        UNION SELECT id, search_key, is_primary FROM people_alias WHERE {near}
    ) AS matched
    ORDER BY {closeness} DESC, {similarity} DESC, is_primary DESC, length(search_key), id
    OFFSET 0
) AS ranked
WHERE ({public}) IS NOT NULL
LIMIT %s
"""
_SKELETON_MATCHES = """
    UNION SELECT id, search_key, is_primary FROM people_alias WHERE search_skeleton LIKE %s
    UNION SELECT id, search_key, is_primary FROM people_alias WHERE search_skeleton LIKE %s
"""


def _closeness(key: str) -> Case:
    return Case(
        When(search_key=key, then=Value(3)),
        When(search_key__startswith=key, then=Value(2)),
        When(search_key__contains=f" {key}", then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )


def _ranking_sql(key: str, column: str) -> tuple[tuple[str, list], tuple[str, list]]:
    """Closeness (3 exact, 2 prefix, 1 word prefix, 0 near spelling) and trigram word
    similarity of `column` to `key`, as SQL with their parameters (PostgreSQL)."""
    closeness = (
        f"CASE WHEN {column} = %s THEN 3 WHEN {column} LIKE %s THEN 2 "
        f"WHEN {column} LIKE %s THEN 1 ELSE 0 END"
    )
    return (closeness, [key, f"{key}%", f"% {key}%"]), (f"word_similarity(%s, {column})", [key])


def _alias_order(key: str, *, trigram: bool) -> list:
    """The order of `_BEST_ALIASES`, for the aliases it found. On PostgreSQL as SQL too: as ORM
    lookups, building these terms cost more than the query they order."""
    if not trigram:
        return [_closeness(key).desc(), "-is_primary", Length("search_key"), "pk"]
    column = '"people_alias"."search_key"'
    closeness, similarity = _ranking_sql(key, column)
    return [
        RawSQL(*closeness).desc(),  # noqa: S611 (the key is a parameter)
        RawSQL(*similarity).desc(),  # noqa: S611 (the key is a parameter)
        "-is_primary",
        RawSQL(f"length({column})", []).asc(),  # noqa: S611 (no input)
        "pk",
    ]


def _public_aliases() -> Q:
    """Aliases of public entities (as `public()` says it): a person who is not sensitive, or an
    organization, with a public profile or named in a published item. Publicness is an EXISTS
    probe on the entity's published mentions, stopping at the first."""
    published = Mention.objects.published()
    return (
        Q(person__isnull=False, person__sensitive=False)
        & (Q(person__public_profile=True) | Exists(published.filter(person=OuterRef("person_id"))))
    ) | (
        Q(organization__isnull=False)
        & (
            Q(organization__public_profile=True)
            | Exists(published.filter(organization=OuterRef("organization_id")))
        )
    )


def _best_aliases(key: str, *, trigram: bool, limit: int):
    """The ids of the `limit` aliases of public entities matching `key` best, as a subquery.
    Only public entities' aliases are counted towards `limit`."""
    if not trigram:
        best = Alias.objects.filter(_public_aliases(), reduce(or_, _name_conditions(key)))
        return best.order_by(*_alias_order(key, trigram=False)).values("pk")[:limit]
    words = _near_spelling_words(key)
    bones = skeleton(key)
    matches_skeleton = len(bones.replace(" ", "")) >= 3
    (closeness, closeness_params), (similarity, similarity_params) = _ranking_sql(key, "search_key")
    # The public test of one ranked match, compiled from the ORM's (one rule, not rewritten).
    probe = Alias.objects.filter(_public_aliases(), pk=RawSQL('"ranked"."id"', []))
    probe, probe_params = probe.order_by().values("pk")[:1].query.sql_with_params()
    params = [f"{key}%", f"% {key}%"]
    if matches_skeleton:
        params += [f"{bones}%", f"% {bones}%"]
    params += [*words, *closeness_params, *similarity_params, *probe_params, limit]
    sql = _BEST_ALIASES.format(
        skeleton=_SKELETON_MATCHES if matches_skeleton else "",
        near=" AND ".join(["search_key %%> %s"] * len(words)),
        closeness=closeness,
        similarity=similarity,
        public=probe,
    )
    # Only the constant fragments above are formatted in; everything the reader typed is a
    # parameter.
    return RawSQL(sql, params)  # noqa: S611


@dataclass
class _Match:
    """An alias that matched, with its entity's name and address (from one row)."""

    pk: int
    alias: str
    person_id: int | None
    organization_id: int | None
    name: str
    slug: str


def _matching_aliases(query: str, *, limit: int) -> list[_Match]:
    """Aliases of public entities matching `query`, best first, with their entity's name and
    address: one query. The best `limit` matching aliases of public entities are found first
    (a subquery, `_best_aliases`), then read with their entity's name and address."""
    key = search_key(query)[:MAX_QUERY_LENGTH]
    if not key:
        return []
    trigram = is_postgres(Alias)
    rows = (
        Alias.objects.filter(pk__in=_best_aliases(key, trigram=trigram, limit=limit))
        .order_by(*_alias_order(key, trigram=trigram))
        .values_list(
            "pk",
            "text",
            "person_id",
            "organization_id",
            Coalesce("person__name", "organization__name"),
            Coalesce("person__slug", "organization__slug"),
        )
    )
    return [_Match(*row) for row in rows]


def _entity_hit(match: _Match) -> EntityHit:
    model = Person if match.person_id else Organization
    return EntityHit(
        name=match.name,
        alias=match.alias,
        kind="person" if match.person_id else "organization",
        url=model(slug=match.slug).get_absolute_url(),
        slug=match.slug,
    )


def _one_per_entity(matches: list[_Match], limit: int) -> list[_Match]:
    seen, hits = set(), []
    for match in matches:
        entity = (match.person_id, match.organization_id)
        if entity not in seen:
            seen.add(entity)
            hits.append(match)
            if len(hits) == limit:
                break
    return hits


def search_entities(query: str, *, limit: int = ENTITY_LIMIT) -> list[EntityHit]:
    """Public people and organizations known by `query` in any spelling, best match first,
    each with the alias that matched. One query. (No mention counts: counting the items of
    someone named 10,000 times costs more than the whole search; their page has the count.)"""
    rows = _one_per_entity(_matching_aliases(query, limit=limit * CANDIDATES_PER_ENTITY), limit)
    return [_entity_hit(a) for a in rows]


def suggest(query: str, *, limit: int = SUGGESTION_LIMIT) -> list[dict]:
    """Names for the search box's suggestions: one query, at most `limit` entities."""
    if len(query.strip()) < MIN_SUGGEST_LENGTH:
        return []
    aliases = _matching_aliases(query[:MAX_QUERY_LENGTH], limit=limit * CANDIDATES_PER_ENTITY)
    rows = _one_per_entity(aliases, limit)
    return [
        {"name": h.name, "alias": h.alias, "kind": h.kind, "url": h.url}
        for h in map(_entity_hit, rows)
    ]


def _terms(query: str) -> list[str]:
    """Words of the query for the SQLite fallback (and their Latin spellings)."""
    words = [w for w in re.findall(r"\w[\w'’-]*", query) if len(w) > 1 or w.isdigit()]
    return words[:MAX_TERMS]


def _latin(word: str) -> str:
    return anyascii(word) if not word.isascii() else word


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


def search_items(query: str, filters: dict | None = None):
    """Published items matching `query`, best first, at most MAX_RESULTS; each with
    `search_text` (and on PostgreSQL the query's `lexemes`) for `snippet()`."""
    if is_postgres():
        text_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        latin = _latin(query)
        if latin != query:
            text_query |= SearchQuery(latin, search_type="websearch", config=SEARCH_CONFIG)
        # Bounded work: only the newest MAX_RESULTS matches are ranked. A word found in a
        # quarter of the archive would otherwise rank tens of thousands of rows per request.
        # One query finds and ranks them (their number is the result count); a second loads
        # and highlights the page's items.
        # Publication is tested before the matches are limited and counted: an unpublished
        # match must never take a result's place, or the count would tell whether a draft
        # or scheduled item holds a word.
        matching = _filtered(Item.objects.published(), filters or {})
        matching = matching.filter(search_vector=text_query)
        order = list(
            Item.objects.filter(pk__in=_newest_matches(matching))
            .annotate(rank=SearchRank(F("search_vector"), text_query))
            .order_by("-rank", "-section__digest__date", "pk")
            .values_list("pk", flat=True)
        )
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
                "section__digest__date",
            )
            .order_by()
        )
        return Ranked(order, page)
    terms = _terms(query)
    if not terms:
        return Item.objects.none()
    items = _filtered(Item.objects.published(), filters or {})
    in_title, anywhere = Q(), Q()
    for term in terms:
        variants = {term, _latin(term)}
        term_title = Q()
        term_anywhere = Q()
        for variant in variants:
            term_title |= Q(title__icontains=variant)
            term_anywhere |= Q(title__icontains=variant) | Q(search_text__icontains=variant)
        in_title &= term_title
        anywhere &= term_anywhere
    newest = Item.objects.published().order_by("-pk").values("pk")[:SQLITE_SCAN_LIMIT]
    items = (
        items.select_related("section__digest")
        .filter(pk__in=newest)
        .filter(anywhere)
        .annotate(
            title_match=Case(
                When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .defer("search_vector", "body", "body_html")
        .order_by("-title_match", "-section__digest__date", "pk")
    )
    return items[:MAX_RESULTS]


_LEXEME = re.compile(r"'((?:[^']|'')+)'")


def snippet(item, query: str) -> SafeString:
    """A short passage of the item's text around the first word searched for, with those
    words marked; everything but the `<mark>` elements is escaped.

    On PostgreSQL the words are the query's lexemes (`lexemes`, the stems full text matched:
    "cooper" for "cooperation"), marked wherever a word starts with one. PostgreSQL's own
    `ts_headline` parses each text again, 7 ms for a page of 20; this is a regular expression
    over text already loaded. On SQLite, which matched substrings, the substrings."""
    text = item.search_text or ""
    words = {v for t in _terms(query) for v in (t, _latin(t))}
    lexemes = getattr(item, "lexemes", None)
    if lexemes is not None:
        words |= {w.replace("''", "'") for w in _LEXEME.findall(lexemes)}
    if not words:
        return escape(text[:SNIPPET_CHARS])
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    if lexemes is not None:
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})\w*", re.IGNORECASE)
    else:
        pattern = re.compile(alternatives, re.IGNORECASE)
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    passage = text[start:end]
    parts, last = [], 0
    for match in pattern.finditer(passage):
        parts.append(escape(passage[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(passage[last:]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # every part is escaped


def search(request):
    """The search page: people and organizations first, then items, with filters."""
    form = SearchForm(request.GET or None)
    query, entities, page, filters = "", [], None, {}
    if form.is_valid():
        query, filters = form.cleaned_data["q"], form.filters
    if query:
        paginator = Paginator(search_items(query, filters), PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        if page.number == 1 and not filters:
            entities = search_entities(query)
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
        "max_results": MAX_RESULTS,
        "nav": "search",
    }
    return render(request, "digests/search.html", context)


def search_suggest(request):
    """Suggestions for the search box, as JSON: names and aliases of public people and
    organizations matching what was typed so far. One query at most."""
    query = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    # Like json_script: <, > and & as \u escapes, so no sniffing client can read markup here.
    body = json.dumps({"query": query, "results": suggest(query)}, cls=DjangoJSONEncoder)
    body = body.translate({ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"})
    response = HttpResponse(body, content_type="application/json")
    patch_cache_control(response, public=True, max_age=300)
    return response
