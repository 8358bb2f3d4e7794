"""Names in Belarusian and Russian texts linked whatever their grammatical case, from a registry
of nominative forms (people/inflection.py feeding digests/linker.py), with no false link."""

import pytest

from benchmarks.mentions import CYRILLIC_REGISTRY, TRANSLATIONS, measure_pure
from digests.linker import Alias, Linker, Reading
from digests.models import Mention
from people.inflection import with_inflections
from people.spelling import romanisation_key
from tests.factories import make_digest, make_item, make_organization, make_person, make_section

REGISTRY = [
    ("Павел Латушка", "latushka", True),
    ("Аляксандр Лукашэнка", "lukashenka", True),
    ("Святлана Ціханоўская", "tsikhanouskaya", True),
    ("Светлана Тихановская", "tsikhanouskaya", True),
    ("Сяргей Ціханоўскі", "tsikhanouski", True),
    ("Віктар Бабарыка", "viktar", True),
    ("Эдуард Бабарыка", "eduard", True),
    ("Максім Знак", "znak", True),
    ("Мария Колесникова", "kalesnikava", True),
    ("Алесь Беляцкий", "bialiatski", True),
    ("Нацыянальнае антыкрызіснае ўпраўленне", "nam", False),
    ("Национальное антикризисное управление", "nam", False),
    ("Офіс Святланы Ціханоўскай", "office", False),
    ("Праваабарончы цэнтр «Вясна»", "viasna", False),
]


@pytest.fixture(scope="module")
def linker():
    aliases = [Alias(text, key, f"/{key}/", person=person) for text, key, person in REGISTRY]
    return Linker(with_inflections(aliases), spelling_key=romanisation_key)


def linked(linker, html, reading=None):
    """(linked text, entity key) pairs in reading order."""
    result = linker.link(html, reading=reading or Reading())
    out, rest = [], result.html
    while '<a class="mention" href="/' in rest:
        rest = rest.split('<a class="mention" href="/', 1)[1]
        key, rest = rest.split('/">', 1)
        text, rest = rest.split("</a>", 1)
        out.append((text, key))
    return out


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Сустрэча Паўла Латушкі з журналістамі.</p>", [("Паўла Латушкі", "latushka")]),
        ("<p>Ліст Аляксандру Лукашэнку.</p>", [("Аляксандру Лукашэнку", "lukashenka")]),
        ("<p>Разам з Паўлам Латушкам.</p>", [("Паўлам Латушкам", "latushka")]),
        ("<p>Падзяка Святлане Ціханоўскай.</p>", [("Святлане Ціханоўскай", "tsikhanouskaya")]),
        ("<p>Бачылі Святлану Ціханоўскую.</p>", [("Святлану Ціханоўскую", "tsikhanouskaya")]),
        ("<p>Встреча Светланы Тихановской.</p>", [("Светланы Тихановской", "tsikhanouskaya")]),
        ("<p>Рядом с Марией Колесниковой.</p>", [("Марией Колесниковой", "kalesnikava")]),
        ("<p>Освобождение Алеся Беляцкого.</p>", [("Алеся Беляцкого", "bialiatski")]),
        (
            "<p>Падтрымка Нацыянальнага антыкрызіснага ўпраўлення.</p>",
            [("Нацыянальнага антыкрызіснага ўпраўлення", "nam")],
        ),
        (
            "<p>Кіруе Нацыянальным антыкрызісным упраўленнем.</p>",
            [("Нацыянальным антыкрызісным упраўленнем", "nam")],
        ),
        (
            "<p>Руководство Национального антикризисного управления.</p>",
            [("Национального антикризисного управления", "nam")],
        ),
    ],
)
def test_a_name_links_in_every_case(linker, html, expected):
    """A reader of a Belarusian or Russian digest would find the name unlinked."""
    assert linked(linker, html) == expected


def test_a_declined_surname_links_after_the_full_name(linker):
    """ "Латушкам" alone, after "Павел Латушка", is the same person (surname rule)."""
    reading = Reading()
    html = "<p>Павел Латушка выступіў. З Латушкам пагадзіліся. Латушку падзякавалі.</p>"
    assert linked(linker, html, reading) == [
        ("Павел Латушка", "latushka"),
        ("Латушкам", "latushka"),
        ("Латушку", "latushka"),
    ]


def test_a_surname_after_a_declined_full_name(linker):
    """The full name given in an oblique case counts as named in full."""
    html = "<p>Сустрэча Святланы Ціханоўскай. Ціханоўская выступіла.</p>"
    assert linked(linker, html) == [
        ("Святланы Ціханоўскай", "tsikhanouskaya"),
        ("Ціханоўская", "tsikhanouskaya"),
    ]


def test_a_surname_that_is_a_common_word_stays_plain(linker):
    """ "знака" (a sign) after "Максім Знак" is a word, not the man."""
    html = "<p>Максім Знак сказаў, што не бачыць ніякага знака перамен.</p>"
    assert linked(linker, html) == [("Максім Знак", "znak")]


def test_two_people_sharing_a_surname_leave_it_unlinked(linker):
    """With Viktar and Eduard Babaryka both named, "Бабарыку" alone could be either."""
    html = (
        "<p>Віктар Бабарыка і Эдуард Бабарыка доўга не бачыліся. Журналісты пыталіся "
        "пра Бабарыку.</p>"
    )
    assert linked(linker, html) == [
        ("Віктар Бабарыка", "viktar"),
        ("Эдуард Бабарыка", "eduard"),
    ]


def test_a_person_inside_an_organization_in_the_genitive_does_not_nest(linker):
    """ "Офіса Святланы Ціханоўскай" links the office once; she is recorded, not linked."""
    html = "<p>Супрацоўнікі Офіса Святланы Ціханоўскай.</p>"
    result = linker.link(html, reading=Reading())
    assert linked(linker, html) == [("Офіса Святланы Ціханоўскай", "office")]
    assert set(result.hits) == {"office", "tsikhanouskaya"}


def test_a_name_that_is_an_ordinary_word_is_not_declined(linker):
    """ "вясной" (in spring) never links to the Viasna centre; its full name still does."""
    assert linked(linker, "<p>Вясной ён плануе адпачыць.</p>") == []
    assert linked(linker, "<p>Сустрэча з Праваабарончым цэнтрам «Вясна».</p>") == [
        ("Праваабарончым цэнтрам «Вясна»", "viasna")
    ]


@pytest.mark.parametrize("language", ["be", "ru"])
def test_the_sample_digest_translated_links_from_nominative_names(language):
    """The sample digest in Belarusian and Russian: at least 95 % of the mentions linked from
    a registry of nominative forms, none falsely, none nested."""
    score = measure_pure(TRANSLATIONS[language], CYRILLIC_REGISTRY)
    assert score.expected >= 90
    assert score.false_links == [] and score.nested == 0, score.report()
    assert score.recall >= 0.95, score.report()


@pytest.mark.django_db
def test_saved_items_link_declined_names_of_the_registry():
    """build_linker adds the declined forms: a saved Belarusian item links them."""
    person = make_person("Павел Латушка", slug="pavel-latushka")
    council = make_organization("Каардынацыйная рада", slug="coordination-council")
    item = make_item(
        make_section(make_digest()),
        body="<p>Паўлу Латушку і Каардынацыйнай радзе падзякавалі.</p>",
    )
    assert '<a class="mention" href="/people/pavel-latushka/">Паўлу Латушку</a>' in item.body_html
    assert (
        '<a class="mention" href="/organizations/coordination-council/">Каардынацыйнай радзе</a>'
        in item.body_html
    )
    mentions = Mention.objects.filter(item=item)
    assert {(m.person, m.organization) for m in mentions} == {(person, None), (None, council)}
