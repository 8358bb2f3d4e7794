"""The linker's matching rules, each on its own (pure functions, no database)."""

import pytest

from digests.linker import STOPWORDS, Alias, Linker, Reading, names_in
from people.spelling import romanisation_key, search_key

LUKASHENKO = ("person", 1)
LATUSHKA = ("person", 2)
NAM = ("organization", 1)
CONGRESS = ("organization", 2)
COE = ("organization", 3)
OFFICE = ("organization", 4)
TSIKHANOUSKAYA = ("person", 3)
COALE = ("person", 4)


def registry(*extra):
    return Linker(
        [
            Alias("Alexander Lukashenko", LUKASHENKO, "/people/lukashenko/"),
            Alias("Lukashenko", LUKASHENKO, "/people/lukashenko/"),
            Alias("Lukashenka", LUKASHENKO, "/people/lukashenko/"),
            Alias("Лукашенко", LUKASHENKO, "/people/lukashenko/"),
            Alias("Pavel Latushka", LATUSHKA, "/people/latushka/"),
            Alias("National Anti-Crisis Management", NAM, "/organizations/nam/"),
            Alias("NAM", NAM, "/organizations/nam/"),
            Alias(
                "Congress of Local and Regional Authorities of the Council of Europe",
                CONGRESS,
                "/organizations/congress/",
            ),
            Alias("Council of Europe", COE, "/organizations/coe/"),
            Alias("Office of Sviatlana Tsikhanouskaya", OFFICE, "/organizations/office/"),
            Alias("Sviatlana Tsikhanouskaya", TSIKHANOUSKAYA, "/people/tsikhanouskaya/"),
            Alias("Coale", COALE, "/people/coale/"),
            *extra,
        ]
    )


def a(text, url):
    return f'<a class="mention" href="{url}">{text}</a>'


def test_whole_words_only():
    """A name inside a longer word is not linked ("Lukashenkos" is not "Lukashenko")."""
    html = "<p>Lukashenkos and Lukashenko.</p>"
    assert (
        registry().link(html).html
        == f"<p>Lukashenkos and {a('Lukashenko', '/people/lukashenko/')}.</p>"
    )


def test_nbsp_inside_a_name_as_character_and_entity():
    """A name split by a non-breaking space still links, and the NBSP stays inside the link."""
    linker = registry()
    assert (
        a("Pavel\u00a0Latushka", "/people/latushka/")
        in linker.link("<p>Pavel\u00a0Latushka</p>").html
    )
    assert (
        a("Pavel&nbsp;Latushka", "/people/latushka/")
        in linker.link("<p>Pavel&nbsp;Latushka</p>").html
    )
    assert a("Pavel\nLatushka", "/people/latushka/") in linker.link("<p>Pavel\nLatushka</p>").html


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_possessive_links_the_name_only(apostrophe):
    """ "Lukashenko’s" links "Lukashenko" and leaves the possessive outside the link."""
    html = registry().link(f"<p>Lukashenko{apostrophe}s prisons</p>").html
    assert html == f"<p>{a('Lukashenko', '/people/lukashenko/')}{apostrophe}s prisons</p>"


def test_short_form_only_where_registered():
    """ "Mr. Coale" links "Coale" (registered); "Mr. Smith" links nothing (not registered)."""
    html = registry().link("<p>Mr. Coale and Mr. Smith.</p>").html
    assert html == f"<p>Mr. {a('Coale', '/people/coale/')} and Mr. Smith.</p>"


def test_acronyms_are_case_sensitive_and_whole_word():
    """ "NAM" links only as NAM: never inside "NAMe", never as "nam" or "Nam"."""
    result = registry().link("<p>The NAM, the NAMe, nam, Nam, (NAM).</p>")
    assert result.html.count("mention") == 2
    assert result.hits[NAM].occurrences == 2


def test_other_names_match_in_any_case():
    """A name typed in capitals or lower case still links."""
    assert (
        registry().link("<p>PAVEL LATUSHKA and pavel latushka</p>").hits[LATUSHKA].occurrences == 2
    )


def test_cyrillic_names_and_boundaries():
    """Cyrillic names link on Cyrillic word boundaries, and not inside longer words."""
    html = registry().link("<p>Сказаў Лукашенко, але не Лукашенкоўскі.</p>").html
    assert html == f"<p>Сказаў {a('Лукашенко', '/people/lukashenko/')}, але не Лукашенкоўскі.</p>"


def test_longest_match_wins_across_entities():
    """The full Congress name is one link; the Council of Europe inside it is not linked."""
    result = registry().link(
        "<p>The Congress of Local and Regional Authorities of the Council of Europe met.</p>"
    )
    assert result.html.count('class="mention"') == 1
    assert "/organizations/congress/" in result.html
    assert result.hits[COE].occurrences == 1  # recorded as mentioned


def test_person_inside_organization_name_recorded_not_nested():
    """A person named inside an organization's name is recorded, and links never nest."""
    result = registry().link("<p>The Office of Sviatlana Tsikhanouskaya helped.</p>")
    assert result.html == (
        f"<p>The {a('Office of Sviatlana Tsikhanouskaya', '/organizations/office/')} helped.</p>"
    )
    assert set(result.hits) == {OFFICE, TSIKHANOUSKAYA}


def test_full_name_is_one_link_not_two():
    """ "Alexander Lukashenko" is one link, not a link plus a nested "Lukashenko"."""
    result = registry().link("<p>Alexander Lukashenko spoke.</p>")
    assert result.html == f"<p>{a('Alexander Lukashenko', '/people/lukashenko/')} spoke.</p>"
    assert result.hits[LUKASHENKO].occurrences == 1


def test_existing_links_code_and_attributes_untouched():
    """Text inside links, code and attributes is never rewritten."""
    html = (
        '<p><a href="https://example.org/Lukashenko">Lukashenko</a> <code>NAM</code> '
        '<img src="x.png" alt="Pavel Latushka"> <pre>Lukashenka</pre></p>'
    )
    result = registry().link(html)
    assert result.html == html
    assert result.hits == {}


def test_output_differs_only_by_the_links():
    """Everything around the links is copied byte for byte."""
    html = '<p class="x">It&#8217;s <strong>Pavel Latushka</strong> &amp; co.<br/>NAM</p>'
    linked = registry().link(html).html
    assert (
        linked.replace(a("Pavel Latushka", "/people/latushka/"), "Pavel Latushka").replace(
            a("NAM", "/organizations/nam/"), "NAM"
        )
        == html
    )


def test_no_match_across_tags():
    """A name split by a tag is not linked (a link cannot span markup)."""
    assert registry().link("<p>Pavel <em>Latushka</em></p>").hits == {}


def test_suppressed_entity_neither_linked_nor_reported():
    """An entity staff suppressed stays plain text; a longer name still wins over it."""
    result = registry().link(
        "<p>Council of Europe; the Congress of Local and Regional Authorities of the Council of "
        "Europe.</p>",
        suppressed={COE},
    )
    assert "/organizations/coe/" not in result.html
    assert COE not in result.hits
    assert "/organizations/congress/" in result.html


def test_sensitive_person_never_linked():
    """A name marked not to be linked automatically is neither linked nor reported."""
    linker = Linker([Alias("Hidden Person", ("person", 9), "/people/hidden/", autolink=False)])
    result = linker.link("<p>Hidden Person spoke.</p>")
    assert result.html == "<p>Hidden Person spoke.</p>" and result.hits == {}
    assert linker.find_keys("Hidden Person") == set()


def test_common_word_alias_needs_staff():
    """A one-word alias that is a common word or builder artefact matches only if staff added it."""
    assert "ree" in STOPWORDS and "comments" in STOPWORDS
    automatic = Linker([Alias("Mark", ("person", 5), "/people/mark/", staff_added=False)])
    assert automatic.link("<p>Mark the date.</p>").hits == {}
    staff = Linker([Alias("Mark", ("person", 5), "/people/mark/", staff_added=True)])
    assert staff.link("<p>Mark the date.</p>").hits


def test_snippet_is_the_sentence_of_the_first_occurrence():
    """The snippet is the sentence naming the entity first, not cut at "Mr." or "U.S."."""
    result = registry().link(
        "<p>It was cold. The U.S. envoy Mr. Coale met Pavel Latushka in Warsaw. Later he left.</p>"
        "<p>Pavel Latushka spoke again.</p>"
    )
    assert result.hits[LATUSHKA].snippet == "The U.S. envoy Mr. Coale met Pavel Latushka in Warsaw."
    assert result.hits[LATUSHKA].occurrences == 2


def test_snippet_of_long_sentence_is_trimmed_around_the_name():
    """A very long sentence is cut to a readable length with the name still visible."""
    words = " ".join(["word"] * 120)
    result = registry().link(f"<p>{words} Pavel Latushka {words}.</p>")
    snippet = result.hits[LATUSHKA].snippet
    assert len(snippet) <= 242 and "Pavel Latushka" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


def test_find_keys_and_names_in():
    """Plain-text look-ups follow the same rules (used to pick items to relink)."""
    linker = registry()
    assert linker.find_keys("Lukashenko’s trip; the NAM and the NAMe") == {LUKASHENKO, NAM}
    assert names_in("The Lukashenka regime", ["Lukashenka"])
    assert not names_in("The Lukashenkas", ["Lukashenka"])


def test_empty_registry_and_empty_text():
    """With no names registered, or no text, nothing changes."""
    assert Linker([]).link("<p>Anything</p>").html == "<p>Anything</p>"
    assert registry().link("").html == ""


# Beyond the registered forms (issue 15): folded spellings, surnames in context, romanisations.

BLAZEK = ("person", 10)
WORKERS = ("organization", 10)
WALESA = ("person", 11)
IVAN_KALESNIK = ("person", 12)
MARYIA_KALESNIK = ("person", 13)
THERESA_MAY = ("person", 14)
BIALIATSKI = ("person", 15)


def spelling_registry():
    return Linker(
        [
            Alias("Alexander Lukashenko", LUKASHENKO, "/people/lukashenko/", person=True),
            Alias("Pavel Latushka", LATUSHKA, "/people/latushka/", person=True),
            Alias("Sviatlana Tsikhanouskaya", TSIKHANOUSKAYA, "/people/tsikhanouskaya/", person=1),
            Alias("Office of Sviatlana Tsikhanouskaya", OFFICE, "/organizations/office/"),
            Alias("Jan Blažek", BLAZEK, "/people/blazek/", person=True),
            Alias("Lech Wałęsa", WALESA, "/people/walesa/", person=True),
            Alias("Belarusian Workers' Union", WORKERS, "/organizations/workers/"),
            Alias("Ivan Kalesnik", IVAN_KALESNIK, "/people/ivan-kalesnik/", person=True),
            Alias("Maryia Kalesnik", MARYIA_KALESNIK, "/people/maryia-kalesnik/", person=True),
            Alias("Theresa May", THERESA_MAY, "/people/may/", person=True),
            Alias("Ales Bialiatski", BIALIATSKI, "/people/bialiatski/", person=True),
            Alias("National Anti-Crisis Management", NAM, "/organizations/nam/"),
        ]
    )


def linked_keys(result):
    return [key for key in result.hits]


def test_name_without_its_diacritics_links():
    """ "Jan Blazek" and "Lech Walesa" link to Jan Blažek and Lech Wałęsa, and the other way
    round: diacritics (and ł, ø, đ) are folded on both sides, offsets stay on the original."""
    linker = spelling_registry()
    html = linker.link("<p>Jan Blazek met Lech Walesa and LECH WAŁĘSA.</p>").html
    assert html == (
        f"<p>{a('Jan Blazek', '/people/blazek/')} met {a('Lech Walesa', '/people/walesa/')}"
        f" and {a('LECH WAŁĘSA', '/people/walesa/')}.</p>"
    )
    plain = Linker([Alias("Jan Blazek", BLAZEK, "/b/")])
    assert plain.link("<p>Jan Blažek</p>").html == f"<p>{a('Jan Blažek', '/b/')}</p>"


def test_cyrillic_letters_keep_their_identity():
    """Folding leaves Cyrillic й and ў alone ("Мой" is not "Мои"); ё and е are one letter."""
    linker = Linker([Alias("Мои", "x", "/x/"), Alias("Алёна Коваль", "y", "/y/")])
    assert linker.link("<p>Мой</p>").hits == {}
    assert "y" in linker.link("<p>Алена Коваль</p>").hits


@pytest.mark.parametrize("quote", ["’", "'", "ʼ", "`", "′"])
def test_other_quote_characters_link(quote):
    """ "Workers’" and "Workers'" (and other apostrophe characters) are the same name."""
    result = spelling_registry().link(f"<p>The Belarusian Workers{quote} Union</p>")
    assert WORKERS in result.hits


@pytest.mark.parametrize("dash", ["-", "\u2010", "\u2011", "\u2012", "–", "—", "\u2212"])
def test_other_dash_characters_link(dash):
    """ "Anti–Crisis" with any dash is "Anti-Crisis"."""
    result = spelling_registry().link(f"<p>The National Anti{dash}Crisis Management</p>")
    assert NAM in result.hits


def test_surname_alone_after_the_full_name_links():
    """Once "Pavel Latushka" has been named, "Latushka" and "Mr. Latushka" link to him."""
    result = spelling_registry().link(
        "<p>Pavel Latushka spoke first. Then Latushka left, and Mr. Latushka returned.</p>",
        reading=Reading(),
    )
    assert result.html.count('href="/people/latushka/"') == 3
    assert result.hits[LATUSHKA].occurrences == 3


def test_surname_before_the_full_name_is_not_linked():
    """A surname seen before the full name (or without it) stays plain text."""
    result = spelling_registry().link(
        "<p>Latushka came. Later Pavel Latushka spoke.</p>", reading=Reading()
    )
    assert result.html.count("mention") == 1
    assert spelling_registry().link("<p>Then Latushka left.</p>", reading=Reading()).hits == {}


def test_surname_rule_needs_a_reading_context():
    """Without digest context (a lone text), surnames alone are never linked."""
    result = spelling_registry().link("<p>Pavel Latushka spoke. Then Latushka left.</p>")
    assert result.hits[LATUSHKA].occurrences == 1


def test_surname_carried_across_texts_of_one_reading():
    """The full name in an earlier item makes the surname link in a later one."""
    linker, reading = spelling_registry(), Reading()
    linker.link("<p>Sviatlana Tsikhanouskaya met envoys.</p>", reading=reading)
    result = linker.link("<p>Later, Tsikhanouskaya said more.</p>", reading=reading)
    assert result.hits[TSIKHANOUSKAYA].occurrences == 1


def test_shared_surname_is_never_linked_alone():
    """Two Kalesniks named in one digest: "Kalesnik" alone links to neither."""
    linker = spelling_registry()
    reading = Reading(named=frozenset({IVAN_KALESNIK, MARYIA_KALESNIK}))
    result = linker.link("<p>Ivan Kalesnik was released. Then Kalesnik spoke.</p>", reading=reading)
    assert result.hits[IVAN_KALESNIK].occurrences == 1
    assert MARYIA_KALESNIK not in result.hits
    # With only one of them named in the digest the surname is his.
    result = linker.link(
        "<p>Ivan Kalesnik was released. Then Kalesnik spoke.</p>", reading=Reading()
    )
    assert result.hits[IVAN_KALESNIK].occurrences == 2


def test_surname_that_is_a_common_word_or_lower_case_is_not_linked():
    """ "May" after "Theresa May" is not linked as a word ("May 2025", "may"), nor is a
    surname written in lower case; after a title ("Ms. May") it is a name."""
    result = spelling_registry().link(
        "<p>Theresa May spoke. May brought rain. In May they met. Ms. May agreed.</p>",
        reading=Reading(),
    )
    assert result.hits[THERESA_MAY].occurrences == 2
    result = spelling_registry().link(
        "<p>Ales Bialiatski spoke; bialiatski then.</p>", reading=Reading()
    )
    assert result.hits[BIALIATSKI].occurrences == 1


def test_surname_inside_a_longer_registered_name_is_not_linked_again():
    """ "Tsikhanouskaya" inside "Office of Sviatlana Tsikhanouskaya" stays inside that link."""
    result = spelling_registry().link(
        "<p>Sviatlana Tsikhanouskaya and the Office of Sviatlana Tsikhanouskaya.</p>",
        reading=Reading(),
    )
    assert result.html.count("<a ") == 2
    assert "/people/tsikhanouskaya/" in result.html


def test_surname_alone_at_a_sentence_start_links_unless_a_common_word():
    """ "Bialiatski said" at a sentence start links; "Will" or "May" there never do."""
    result = spelling_registry().link(
        "<p>Ales Bialiatski was freed. Bialiatski said thanks.</p>", reading=Reading()
    )
    assert result.hits[BIALIATSKI].occurrences == 2


def test_romanisation_with_a_unique_key_links():
    """ "Lukashenka", "Tsikhanouskaia" and "Kalesnikava"-style spellings whose spelling key
    belongs to exactly one registered name link to it."""
    linker = Linker(
        [
            Alias("Alexander Lukashenko", LUKASHENKO, "/people/lukashenko/", person=True),
            Alias("Lukashenko", LUKASHENKO, "/people/lukashenko/", person=True),
            Alias("Sviatlana Tsikhanouskaya", TSIKHANOUSKAYA, "/people/tsikhanouskaya/", person=1),
        ],
        spelling_key=search_key,
    )
    result = linker.link("<p>Sviatlana Tsikhanouskaia and Aleksandr Lukashenka.</p>")
    assert set(result.hits) == {TSIKHANOUSKAYA}  # "lukasenka" is not "lukasenko"
    assert a("Sviatlana Tsikhanouskaia", "/people/tsikhanouskaya/") in result.html
    result = linker.link("<p>The words of Lukashenko and of Lukashenka.</p>")
    assert result.hits[LUKASHENKO].occurrences == 1


def test_romanisation_shared_by_two_names_is_not_linked():
    """A spelling key shared by two registered names links to neither."""
    linker = Linker(
        [
            Alias("Ivan Kalesnik", IVAN_KALESNIK, "/a/", person=True),
            Alias("Iwan Kalesnik", MARYIA_KALESNIK, "/b/", person=True),
        ],
        spelling_key=search_key,
    )
    assert linker.link("<p>Ivan Kalesnikk</p>").hits == {}


@pytest.mark.parametrize(
    ("registered", "written"),
    [
        ("Lukashenko", "Lukashenka"),
        ("Latushka", "Latushko"),
        ("Kalesnikava", "Kolesnikova"),
        ("Tsikhanouskaya", "Tikhanovskaya"),
        ("Sviatlana Tsikhanouskaya", "Svetlana Tikhanovskaya"),
        ("Maryia Kalesnikava", "Maria Kolesnikova"),
        ("Dzmitry Dashkevich", "Dmitry Dashkevich"),
    ],
)
def test_romanisation_key_joins_belarusian_and_russian_spellings(registered, written):
    """The Belarusian and Russian romanisations of one name share a romanisation key."""
    assert romanisation_key(registered) == romanisation_key(written)


@pytest.mark.parametrize(("one", "other"), [("Latushka", "Latushkin"), ("Maria", "Marek")])
def test_romanisation_key_keeps_different_names_apart(one, other):
    """Different names keep different keys."""
    assert romanisation_key(one) != romanisation_key(other)


def test_surname_in_another_romanisation_links_in_context():
    """After "Maryia Kalesnikava", "Kolesnikova" links to her; "Maria Kolesnikova" links
    even first, as the one registered name with that key."""
    linker = Linker(
        [
            Alias("Maryia Kalesnikava", ("person", 5), "/people/kalesnikava/", person=True),
            Alias("Alexander Lukashenko", LUKASHENKO, "/people/lukashenko/", person=True),
        ],
        spelling_key=romanisation_key,
    )
    reading = Reading()
    result = linker.link(
        "<p>Maria Kolesnikova spoke. Lukashenka was silent; Kolesnikova was not.</p>",
        reading=reading,
    )
    assert result.hits[("person", 5)].occurrences == 2
    assert LUKASHENKO not in result.hits  # his full name was not given first


# A surname alone and the namesakes named in the digest: registered or not, sensitive or not.

PETR = ("person", 30)
MARIA = ("person", 31)
ALES = ("person", 32)
STATKEVICH = ("person", 33)


def ivanov_registry(*extra):
    return Linker(
        [
            Alias("Petr Ivanov", PETR, "/people/petr-ivanov/", person=True),
            Alias("Ales Viktaravich Bialiatski", ALES, "/people/bialiatski/", person=True),
            Alias("Mikalai Statkevich", STATKEVICH, "/people/statkevich/", person=True),
            *extra,
        ],
        spelling_key=romanisation_key,
    )


def link_digest(linker, *texts):
    """Link texts as one digest in reading order, the way `relink_digest` does."""
    named = set()
    for text in texts:
        named |= linker.persons_named(text)
    reading = Reading(named=frozenset(named))
    return [linker.link(text, reading=reading).html for text in texts]


NAMESAKE_DIGEST = (
    "<p>Petr Ivanov spoke.</p><p>Later Maria Ivanov spoke too.</p>",
    "<p>Ivanov said more.</p>",
)


def test_unregistered_namesake_keeps_the_surname_from_linking():
    """ "Maria Ivanov" is named in the digest, unregistered: "Ivanov" alone may be either of
    them, so it links to neither (not inside her name, not after it, not before it)."""
    first, second = link_digest(ivanov_registry(), *NAMESAKE_DIGEST)
    assert first.count("<a ") == 1 and a("Petr Ivanov", "/people/petr-ivanov/") in first
    assert second == NAMESAKE_DIGEST[1]
    # With a lone text (no digest context given) the namesake in it counts too.
    result = ivanov_registry().link(
        "<p>Petr Ivanov spoke. Ivanov left. Maria Ivanov stayed.</p>", reading=Reading()
    )
    assert result.html.count("<a ") == 1


def test_namesake_in_an_earlier_text_of_a_reading_counts():
    """A namesake in an item's title keeps the surname in its body plain (one `Reading`)."""
    linker, reading = ivanov_registry(), Reading()
    linker.link("<p>Petr Ivanov and Maria Ivanov</p>", reading=reading)
    assert linker.link("<p>Ivanov spoke.</p>", reading=reading).hits == {}


def test_sensitive_namesake_counts_exactly_like_an_unregistered_one():
    """Registering "Maria Ivanov" as sensitive changes nothing in any text: she is treated as
    an unregistered name, never as a registered person."""
    plain = link_digest(ivanov_registry(), *NAMESAKE_DIGEST)
    sensitive = Alias("Maria Ivanov", MARIA, "/people/maria-ivanov/", autolink=False, person=True)
    assert link_digest(ivanov_registry(sensitive), *NAMESAKE_DIGEST) == plain
    # Without a namesake in the text, a registered sensitive Ivanov changes nothing either.
    texts = ("<p>Petr Ivanov spoke.</p>", "<p>Ivanov said more.</p>")
    linked = link_digest(ivanov_registry(), *texts)
    assert a("Ivanov", "/people/petr-ivanov/") in linked[1]
    assert link_digest(ivanov_registry(sensitive), *texts) == linked
    assert ivanov_registry(sensitive).persons_named(texts[0]) == {PETR}


@pytest.mark.parametrize(
    "before",
    [
        "President",  # a title
        "On Monday",  # a weekday, a month
        "In December",
        "Then",  # a word that opens sentences
        "Yesterday",
        "Belarusian",  # a nationality, a place
        "Minsk",
        "NAM",  # an acronym
        "Ms.",
    ],
)
def test_words_that_are_not_first_names_make_no_namesake(before):
    """Titles, calendar words, sentence openers, nationalities, places and acronyms before a
    surname do not name another person: the surname still links."""
    texts = ("<p>Petr Ivanov spoke.</p>", f"<p>{before} Ivanov said more.</p>")
    linked = link_digest(ivanov_registry(), *texts)
    assert a("Ivanov", "/people/petr-ivanov/") in linked[1]


def test_the_persons_own_names_make_no_namesake():
    """A word of the person's own registered name before the surname ("Viktaravich
    Bialiatski" for Ales Viktaravich Bialiatski) is that person, not a namesake."""
    texts = (
        "<p>Ales Viktaravich Bialiatski was freed.</p>",
        "<p>Viktaravich Bialiatski thanked them. Bialiatski left.</p>",
    )
    linked = link_digest(ivanov_registry(), *texts)
    assert linked[1].count('href="/people/bialiatski/"') == 2


def test_the_persons_first_name_in_another_language_makes_no_namesake():
    """ "Nikolai Statkevich" is Mikalai Statkevich's name in Russian: not a namesake, so
    "Statkevich" still links (inside it, too, after the full name)."""
    texts = (
        "<p>Mikalai Statkevich was taken away.</p>",
        "<p>Nikolai Statkevich refused. Statkevich stayed.</p>",
    )
    linked = link_digest(ivanov_registry(), *texts)
    assert linked[1].count('href="/people/statkevich/"') == 2


def test_only_allowed_entities_link_the_others_read_as_unregistered():
    """With `allowed`, another entity's name stays plain as if it were not registered (a
    name inside it may link); a sensitive name still shields what lies inside it."""
    html = "<p>The Office of Sviatlana Tsikhanouskaya and Pavel Latushka.</p>"
    result = registry().link(html, allowed={TSIKHANOUSKAYA})
    assert set(result.hits) == {TSIKHANOUSKAYA}
    assert result.html.count("<a ") == 1
    assert registry().link(html, allowed=set()).html == html
    hidden = Linker(
        [
            Alias("Office of Sviatlana Tsikhanouskaya", OFFICE, "/o/", autolink=False),
            Alias("Sviatlana Tsikhanouskaya", TSIKHANOUSKAYA, "/t/"),
        ]
    )
    assert hidden.link(html, allowed={TSIKHANOUSKAYA}).html == html
