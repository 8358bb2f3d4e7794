"""The linker's matching rules, each on its own (pure functions, no database)."""

import pytest

from digests.linker import STOPWORDS, Alias, Linker, names_in

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
