"""Search for people and organizations by any spelling of their names.

Names are matched on the search keys stored with every alias (`people.spelling`): a query in
Cyrillic, with diacritics, in another transliteration or in the possessive has the same key
as the alias, or the same consonant skeleton. On PostgreSQL trigram word similarity
(`pg_trgm`, GIN-indexed) also finds near spellings (a typo). Only public entities
(`public_entities`, never a sensitive person) are returned, in one query whatever the registry size.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Length

from digests.models import public_q
from digests.search.words import MAX_QUERY_LENGTH, is_postgres, without_possessives
from people.models import Alias, Organization, Person
from people.spelling import romanisation_key, search_key, skeleton

ENTITY_LIMIT = 10
# Aliases considered per entity shown: an entity has several names (and a few matching aliases
# may belong to people without a public page).
CANDIDATES_PER_ENTITY = 5
SUGGESTION_LIMIT = 10
MIN_SUGGEST_LENGTH = 2


@dataclass
class EntityHit:
    name: str
    alias: str  # the name or alias that matched
    kind: str  # "person" or "organization"
    url: str
    slug: str
    pk: int = 0
    # The query is this name in some spelling (`is_the_name`), not only the start of one or
    # a near spelling: the items naming it are results too.
    named: bool = False

    @property
    def matched_other_name(self) -> bool:
        return self.alias != self.name


def is_the_name(key: str, alias: str, *, person: bool) -> bool:
    """Whether the query (its search key `key`) is the name `alias` in another spelling —
    the same `romanisation_key`: “Lukashenka” for “Lukashenko”, “Бабарико” for “Babaryka”,
    “Kolesnikova” for “Kalesnikava” — or, for a person, their surname alone. Not a first name
    or one word of an organisation's name (they name many), and not merely the same
    consonants (“Raneu” is not “Ranava”)."""
    query = romanisation_key(key)
    name = romanisation_key(alias)
    if query == name:
        return True
    return person and " " in name and query == name.rsplit(" ", 1)[1]


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
    """Aliases of public entities, as `public_entities` says it (never a sensitive person): an
    EXISTS probe per alias on its entity's published mentions, which stops at the first."""
    return (Q(person__isnull=False) & public_q(Person, "person__")) | (
        Q(organization__isnull=False) & public_q(Organization, "organization__")
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
    key = search_key(without_possessives(query))[:MAX_QUERY_LENGTH]
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


def _entity_hit(match: _Match, key: str = "") -> EntityHit:
    model = Person if match.person_id else Organization
    return EntityHit(
        name=match.name,
        alias=match.alias,
        kind="person" if match.person_id else "organization",
        url=model(slug=match.slug).get_absolute_url(),
        slug=match.slug,
        pk=match.person_id or match.organization_id,
        named=bool(key) and is_the_name(key, match.alias, person=bool(match.person_id)),
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
    key = search_key(without_possessives(query))[:MAX_QUERY_LENGTH]
    return [_entity_hit(a, key) for a in rows]


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
