"""The mention linker engine (digests.linker): pure functions, no database."""

import html
import re
from pathlib import Path

import pytest

from digests.linker import SNIPPET_LENGTH, STOPWORDS, Alias, Linker, names_in

NBSP = "\u00a0"
SAMPLE = Path(__file__).parent / "fixtures" / "import" / "news-digest-2025-12-31.txt"

LUKASHENKO = ("person", 1)
LATUSHKA = ("person", 2)
TSIKHANOUSKAYA = ("person", 3)
COALE = ("person", 4)
KALESNIKAVA = ("person", 5)
BABARYKA = ("person", 6)
NAM = ("organization", 1)
CONGRESS = ("organization", 2)
COE = ("organization", 3)
OFFICE = ("organization", 4)
ICC = ("organization", 5)

URLS = {
    LUKASHENKO: "/people/lukashenko/",
    LATUSHKA: "/people/latushka/",
    TSIKHANOUSKAYA: "/people/tsikhanouskaya/",
    COALE: "/people/coale/",
    KALESNIKAVA: "/people/kalesnikava/",
    BABARYKA: "/people/babaryka/",
    NAM: "/organizations/nam/",
    CONGRESS: "/organizations/congress/",
    COE: "/organizations/council-of-europe/",
    OFFICE: "/organizations/office-of-sviatlana-tsikhanouskaya/",
    ICC: "/organizations/icc/",
}

NAMES = {
    LUKASHENKO: ["Lukashenka", "Lukashenko", "Alexander Lukashenko", "Лукашенко"],
    LATUSHKA: ["Pavel Latushka"],
    TSIKHANOUSKAYA: ["Sviatlana Tsikhanouskaya"],
    COALE: ["John Coale", "Coale"],
    KALESNIKAVA: ["Maria Kalesnikava"],
    BABARYKA: ["Viktar Babaryka"],
    NAM: ["National Anti-Crisis Management", "National Anti-Crisis Administration", "NAM", "NAU"],
    CONGRESS: ["Congress of Local and Regional Authorities of the Council of Europe"],
    COE: ["Council of Europe"],
    OFFICE: ["Office of Sviatlana Tsikhanouskaya"],
    ICC: ["International Criminal Court", "ICC"],
}


def registry(*extra):
    aliases = [Alias(name, key, URLS[key]) for key, names in NAMES.items() for name in names]
    return Linker([*aliases, *extra])


def a(text, key):
    return f'<a class="mention" href="{URLS[key]}">{text}</a>'


def linked(html_text, **kwargs):
    return registry().link(html_text, **kwargs).html


def unlink(html_text):
    """The HTML with every mention link replaced by its content."""
    return re.sub(r'<a class="mention" href="[^"]*">(.*?)</a>', r"\1", html_text, flags=re.S)


# Word boundaries


def test_name_inside_a_longer_word_is_not_linked():
    """Readers would see "Lukashenkos" or "NAMe" half-linked."""
    assert linked("<p>Lukashenkos, NAMe, _Lukashenko, Lukashenko2</p>") == (
        "<p>Lukashenkos, NAMe, _Lukashenko, Lukashenko2</p>"
    )
    assert linked("<p>(Lukashenko)</p>") == f"<p>({a('Lukashenko', LUKASHENKO)})</p>"


def test_cyrillic_word_boundaries():
    """A Cyrillic name would be missed, or linked inside a longer Cyrillic word."""
    assert linked("<p>сказаў Лукашенко, а не Лукашенкоўскі рэжым</p>") == (
        f"<p>сказаў {a('Лукашенко', LUKASHENKO)}, а не Лукашенкоўскі рэжым</p>"
    )


# Whitespace, apostrophes, case


def test_nbsp_inside_a_name():
    """A name typed with a non-breaking space (as the sample does) would stay unlinked."""
    assert linked("<p>Pavel\u00a0Latushka said</p>") == (
        f"<p>{a(NBSP.join(['Pavel', 'Latushka']), LATUSHKA)} said</p>"
    )


def test_any_whitespace_run_inside_a_name():
    """Names broken over lines or with doubled spaces would stay unlinked."""
    for gap in ["  ", "\n", "\n    ", "\u00a0 ", "\t"]:
        assert (
            linked(f"<p>Pavel{gap}Latushka</p>") == f"<p>{a(f'Pavel{gap}Latushka', LATUSHKA)}</p>"
        )


def test_whitespace_runs_before_a_name_keep_offsets():
    """After collapsed whitespace the link would land a few characters off."""
    html_text = "<p>Met   with \n\n  Pavel   Latushka  and\u00a0\u00a0Lukashenko.</p>"
    assert unlink(linked(html_text)) == html_text
    assert linked(html_text) == (
        f"<p>Met   with \n\n  {a('Pavel   Latushka', LATUSHKA)}  and\u00a0\u00a0"
        f"{a('Lukashenko', LUKASHENKO)}.</p>"
    )


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_possessive_links_the_name_only(apostrophe):
    """ "Lukashenko’s prisons" would be unlinked or the link would swallow "’s"."""
    assert linked(f"<p>Lukashenko{apostrophe}s prisons</p>") == (
        f"<p>{a('Lukashenko', LUKASHENKO)}{apostrophe}s prisons</p>"
    )


def test_apostrophe_inside_a_name_matches_either_form():
    """A name with an apostrophe would only link when typed with the same apostrophe."""
    linker = Linker([Alias("People’s Assembly", "assembly", "/a/")])
    for form in ["People's Assembly", "People’s Assembly", "people&#8217;s assembly"]:
        assert (
            linker.link(f"<p>{form}</p>").html == f'<p><a class="mention" href="/a/">{form}</a></p>'
        )


def test_registered_short_form_after_a_title():
    """ "Mr. Coale" would not link although staff registered "Coale"."""
    assert linked("<p>Mr. Coale</p>") == f"<p>Mr. {a('Coale', COALE)}</p>"


def test_unregistered_short_form_is_not_linked():
    """ "Mr. Smith" would be linked to somebody although no one is registered as "Smith"."""
    result = registry().link("<p>Mr. Smith and Mr.\u00a0Smith</p>")
    assert result.html == "<p>Mr. Smith and Mr.\u00a0Smith</p>" and result.hits == {}


def test_acronyms_match_only_in_their_case():
    """ "nam" or "Icc" in ordinary text would be linked to an organization."""
    result = registry().link("<p>NAM, nam, Nam, ICC, icc, Icc, NAU.</p>")
    assert result.html == (
        f"<p>{a('NAM', NAM)}, nam, Nam, {a('ICC', ICC)}, icc, Icc, {a('NAU', NAM)}.</p>"
    )


def test_acronyms_not_inside_words():
    """An acronym would be linked inside "NAMe", "ICCs" or "xICC"."""
    result = registry().link("<p>NAMe ICCs xICC ICC_ 2NAM NAM2</p>")
    assert result.hits == {}


def test_other_names_match_in_any_case():
    """A name typed in capitals or lower case would stay unlinked."""
    result = registry().link("<p>LUKASHENKO, lukashenka, pavel latushka, ЛУКАШЕНКО</p>")
    assert result.hits[LUKASHENKO].occurrences == 3
    assert result.hits[LATUSHKA].occurrences == 1
    assert a("ЛУКАШЕНКО", LUKASHENKO) in result.html


def test_case_folding_never_shifts_offsets():
    """A character whose lower case is longer ("İ") would push later links off their names."""
    html_text = "<p>İİİ İstanbul: Pavel Latushka met Lukashenko’s envoy</p>"
    result = linked(html_text)
    assert a("Pavel Latushka", LATUSHKA) in result
    assert a("Lukashenko", LUKASHENKO) + "’s" in result
    assert unlink(result) == html_text


# Longest match, nesting, overlaps


def test_longest_match_wins_across_organizations():
    """The Congress's full name would be split into a Council of Europe link."""
    result = registry().link(
        "<p>the Congress of Local and Regional Authorities of the Council of Europe met</p>"
    )
    congress = "Congress of Local and Regional Authorities of the Council of Europe"
    assert result.html == f"<p>the {a(congress, CONGRESS)} met</p>"
    assert result.hits[COE].occurrences == 1
    assert result.hits[CONGRESS].occurrences == 1


def test_person_inside_organization_name_is_recorded_not_linked():
    """The person's page would miss this mention, or links would nest inside each other."""
    result = registry().link("<p>The Office of Sviatlana Tsikhanouskaya helped.</p>")
    office = "Office of Sviatlana Tsikhanouskaya"
    assert result.html == f"<p>The {a(office, OFFICE)} helped.</p>"
    assert list(result.hits) == [OFFICE, TSIKHANOUSKAYA]
    assert result.hits[TSIKHANOUSKAYA].occurrences == 1
    assert "Office of Sviatlana Tsikhanouskaya helped" in result.hits[TSIKHANOUSKAYA].snippet


def test_full_name_is_one_link_and_one_occurrence():
    """ "Alexander Lukashenko" would become two links or count twice."""
    result = registry().link("<p>Alexander Lukashenko spoke.</p>")
    assert result.html == f"<p>{a('Alexander Lukashenko', LUKASHENKO)} spoke.</p>"
    assert result.hits[LUKASHENKO].occurrences == 1


def test_overlapping_names_leftmost_wins_and_loser_is_dropped():
    """Two overlapping names would both be linked (broken HTML) or the wrong one recorded."""
    linker = Linker(
        [
            Alias("Belarusian Association", "ba", "/ba/"),
            Alias("Association of Journalists", "aj", "/aj/"),
        ]
    )
    result = linker.link("<p>Belarusian Association of Journalists</p>")
    assert result.html == (
        '<p><a class="mention" href="/ba/">Belarusian Association</a> of Journalists</p>'
    )
    assert list(result.hits) == ["ba"]


# What is never touched


def test_existing_links_are_untouched():
    """A name inside an existing link would get a second, nested link."""
    source = '<p><a href="https://example.org/">Pavel Latushka on Lukashenko</a> Lukashenko</p>'
    result = registry().link(source)
    assert result.html == (
        '<p><a href="https://example.org/">Pavel Latushka on Lukashenko</a> '
        f"{a('Lukashenko', LUKASHENKO)}</p>"
    )
    assert LATUSHKA not in result.hits and result.hits[LUKASHENKO].occurrences == 1


def test_code_pre_script_and_style_are_untouched():
    """Code samples or scripts would be rewritten."""
    source = (
        "<p><code>Lukashenko</code></p><pre>NAM <b>Pavel Latushka</b></pre>"
        "<script>var s = '<p>Lukashenko</p>';</script><style>.NAM{}</style>"
        "<textarea>NAM</textarea><p>NAM</p>"
    )
    result = registry().link(source)
    assert result.html == source.replace("<p>NAM</p>", f"<p>{a('NAM', NAM)}</p>")
    assert set(result.hits) == {NAM}


def test_attributes_and_comments_are_untouched():
    """A name inside an attribute or a comment would be rewritten and break the markup."""
    source = (
        '<p title="Lukashenko" data-x=\'NAM > ICC\'><img alt="Pavel Latushka" '
        'src="/Lukashenko.png"><a href="/Lukashenko">x</a><!-- NAM --></p>'
    )
    result = registry().link(source)
    assert result.html == source and result.hits == {}


def test_character_references_are_decoded_and_kept():
    """A name written with &nbsp; would stay unlinked, or the reference would be lost."""
    source = "<p>Pavel&nbsp;Latushka &amp; Lukashenko&#8217;s NAM&#x2C; &NAMe &Lukashenko</p>"
    assert linked(source) == (
        f"<p>{a('Pavel&nbsp;Latushka', LATUSHKA)} &amp; {a('Lukashenko', LUKASHENKO)}&#8217;s "
        f"{a('NAM', NAM)}&#x2C; &NAMe &{a('Lukashenko', LUKASHENKO)}</p>"
    )


def test_reference_inside_a_name_stays_inside_the_link():
    """A name spelled with a reference for one of its letters would be cut in the middle."""
    assert linked("<p>Lukashenk&#111; and &#76;ukashenko</p>") == (
        f"<p>{a('Lukashenk&#111;', LUKASHENKO)} and {a('&#76;ukashenko', LUKASHENKO)}</p>"
    )


def test_no_match_across_tags():
    """A link spanning markup would produce invalid HTML."""
    result = registry().link("<p>Pavel <em>Latushka</em></p>")
    assert result.html == "<p>Pavel <em>Latushka</em></p>" and result.hits == {}


def test_markup_is_a_word_boundary():
    """A name right next to a tag would not be linked."""
    assert linked("<p><b>NAM</b>s</p>") == f"<p><b>{a('NAM', NAM)}</b>s</p>"


def test_output_is_byte_identical_outside_the_links():
    """Editors would find their markup reformatted after saving."""
    source = (
        "<!DOCTYPE html><P CLASS=intro>a &lt; b, a < b; Pavel Latushka</P>\n"
        "<ul>\n  <li>NAM&#160;&amp;&#xA0;ICC</li>\n</ul><br/><BR>"
        "<img alt='it&apos;s > Lukashenko' src=x>Lukashenka&unknown; &amp</p>"
    )
    result = linked(source)
    assert result.count('class="mention"') == 4
    assert unlink(result) == source


def test_linking_twice_changes_nothing():
    """Relinking stored output would nest links."""
    once = linked("<p>Pavel Latushka and the NAM.</p>")
    assert linked(once) == once


def test_url_is_escaped():
    """A URL with a quote or ampersand would break out of the href attribute."""
    linker = Linker([Alias("NAM", "nam", '/o/?a=1&b="x"')])
    assert linker.link("<p>NAM</p>").html == (
        '<p><a class="mention" href="/o/?a=1&amp;b=&quot;x&quot;">NAM</a></p>'
    )


# Staff choices


def test_suppressed_entity_is_neither_linked_nor_reported():
    """An entity staff suppressed would come back as a link after the next save."""
    result = registry().link("<p>Pavel Latushka and Lukashenko</p>", suppressed={LATUSHKA})
    assert result.html == f"<p>Pavel Latushka and {a('Lukashenko', LUKASHENKO)}</p>"
    assert list(result.hits) == [LUKASHENKO]


def test_longer_name_wins_over_a_suppressed_one():
    """Suppressing the Council of Europe would also break the Congress's link."""
    congress = "Congress of Local and Regional Authorities of the Council of Europe"
    result = registry().link(f"<p>{congress}; Council of Europe</p>", suppressed=[COE])
    assert result.html == f"<p>{a(congress, CONGRESS)}; Council of Europe</p>"
    assert list(result.hits) == [CONGRESS]


def test_suppressing_an_outer_name_frees_the_inner_one():
    """Suppressing the Office would hide Tsikhanouskaya, whom the text still names."""
    result = registry().link("<p>Office of Sviatlana Tsikhanouskaya</p>", suppressed={OFFICE})
    assert result.html == (f"<p>Office of {a('Sviatlana Tsikhanouskaya', TSIKHANOUSKAYA)}</p>")


def test_sensitive_person_is_never_linked_nor_reported():
    """A person at risk would get a public link and mention."""
    hidden = ("person", 99)
    linker = registry(
        Alias("Anna Hidden", hidden, "/people/anna/", autolink=False),
        Alias("Hidden Council of Europe Fund", hidden, "/people/anna/", autolink=False),
    )
    result = linker.link("<p>Anna Hidden met Lukashenko.</p>")
    assert result.html == f"<p>Anna Hidden met {a('Lukashenko', LUKASHENKO)}.</p>"
    assert hidden not in result.hits
    assert hidden not in linker.find_keys("Anna Hidden")


def test_sensitive_name_is_not_replaced_by_a_name_inside_it():
    """Part of a sensitive name would be linked to another page in its place."""
    hidden = ("person", 99)
    linker = registry(Alias("Hidden Council of Europe Fund", hidden, "/h/", autolink=False))
    result = linker.link("<p>The Hidden Council of Europe Fund</p>")
    assert result.html == "<p>The Hidden Council of Europe Fund</p>"
    assert list(result.hits) == [COE]


def test_common_word_alias_needs_staff():
    """A one-word common-word alias added automatically would link every "Hope" in the text."""
    automatic = Linker([Alias("Hope", "hope", "/hope/", staff_added=False)])
    assert automatic.link("<p>Hope remains.</p>").hits == {}
    staff = Linker([Alias("Hope", "hope", "/hope/", staff_added=True)])
    assert list(staff.link("<p>Hope remains.</p>").hits) == ["hope"]


def test_builder_artefacts_are_stopwords():
    """Builder leftovers ("ree", "Comments", "top of page") would become names."""
    assert {"ree", "comments", "top", "bottom", "page", "home", "news", "digest"} <= STOPWORDS
    assert {"may", "will", "mark", "rose", "hope"} <= STOPWORDS
    assert len(STOPWORDS) >= 100
    linker = Linker([Alias("Comments", "c", "/c/", staff_added=False)])
    assert linker.link("<p>Comments</p>").hits == {}


def test_multi_word_alias_of_common_words_is_kept():
    """A multi-word name made of common words would be dropped by the stopword rule."""
    linker = Linker([Alias("Free Belarus", "fb", "/fb/", staff_added=False)])
    assert list(linker.link("<p>Museum of Free Belarus</p>").hits) == ["fb"]


def test_first_alias_wins_a_shared_spelling():
    """Two entities sharing a spelling would make the link target unpredictable."""
    linker = Linker([Alias("Smith", "a", "/a/"), Alias("SMITH", "b", "/b/")])
    assert linker.link("<p>Smith SMITH</p>").html == (
        '<p><a class="mention" href="/a/">Smith</a> <a class="mention" href="/b/">SMITH</a></p>'
    )
    linker = Linker([Alias("Smith", "a", "/a/"), Alias("smith", "b", "/b/")])
    assert linker.link("<p>smith</p>", suppressed={"a"}).html == (
        '<p><a class="mention" href="/b/">smith</a></p>'
    )


# Results: counts, order, snippets


def test_occurrence_counts_include_contained_names():
    """Entity pages would show wrong mention counts."""
    result = registry().link(
        "<p>Lukashenko, Lukashenka and Alexander Lukashenko.</p><p>NAM (NAM) and the "
        "Congress of Local and Regional Authorities of the Council of Europe, Council of "
        "Europe.</p>"
    )
    counts = {key: hit.occurrences for key, hit in result.hits.items()}
    assert counts == {LUKASHENKO: 3, NAM: 2, CONGRESS: 1, COE: 2}


def test_hits_are_in_order_of_first_occurrence():
    """Mentions would be listed in an arbitrary order."""
    result = registry().link("<p>NAM and Lukashenko</p><p>Pavel Latushka, NAM</p>")
    assert list(result.hits) == [NAM, LUKASHENKO, LATUSHKA]


def test_keys_are_opaque():
    """The caller's own entity keys would be rejected or altered."""
    key = ("organization", "some-uuid")
    result = Linker([Alias("NAM", key, "/x/")]).link("<p>NAM</p>")
    assert result.hits[key].key == key


def test_snippet_is_the_sentence_around_the_first_occurrence():
    """Entity pages would quote the wrong sentence, or cut it at "Mr." or "U.S."."""
    result = registry().link(
        "<p>It was cold. The U.S. envoy Mr. Coale met Pavel Latushka in Warsaw! Later he "
        "left.</p><p>Pavel Latushka spoke again.</p>"
    )
    assert result.hits[LATUSHKA].snippet == (
        "The U.S. envoy Mr. Coale met Pavel Latushka in Warsaw!"
    )
    assert result.hits[COALE].snippet == result.hits[LATUSHKA].snippet


def test_snippet_sentence_ends_before_quotes_and_capitals_only():
    """Snippets would stop at "i.e. the" or include the next quoted sentence."""
    result = registry().link(
        "<p>He said “enough.” Pavel Latushka answered, i.e. he was clear. “Next,” said he.</p>"
    )
    assert result.hits[LATUSHKA].snippet == "Pavel Latushka answered, i.e. he was clear."


def test_snippet_stops_at_block_boundaries():
    """A snippet would run on into the next paragraph, list item or line."""
    result = registry().link(
        "<h4>Statements</h4><ul><li>Lukashenko spoke</li><li>Then NAM</li></ul>"
        "<p>Line one<br>Pavel Latushka on line two<br>line three</p>"
    )
    assert result.hits[LUKASHENKO].snippet == "Lukashenko spoke"
    assert result.hits[NAM].snippet == "Then NAM"
    assert result.hits[LATUSHKA].snippet == "Pavel Latushka on line two"


def test_snippet_is_plain_text():
    """Snippets would show tags, references or stray line breaks on entity pages."""
    result = registry().link(
        "<p>The <strong>NAM</strong> &amp; <em>partners</em>\n   met\u00a0in  Warsaw.</p>"
    )
    assert result.hits[NAM].snippet == "The NAM & partners met\u00a0in Warsaw."


def test_long_snippet_is_trimmed_around_the_name():
    """A long sentence would overflow the entity page or cut the name away."""
    words = " ".join(["word"] * 100)
    cases = {
        f"Pavel Latushka {words}.": (False, True),
        f"{words} Pavel Latushka.": (True, False),
        f"{words} Pavel Latushka {words}.": (True, True),
    }
    for sentence, (cut_left, cut_right) in cases.items():
        snippet = registry().link(f"<p>{sentence}</p>").hits[LATUSHKA].snippet
        assert "Pavel Latushka" in snippet
        assert len(snippet) <= SNIPPET_LENGTH
        assert snippet.startswith("…") == cut_left
        assert snippet.endswith("…") == cut_right
        assert " wor…" not in snippet and "…ord " not in snippet


# Plain-text look-ups


def test_find_keys_follows_the_same_rules():
    """Items naming a changed entity would not be relinked, or unrelated ones would be."""
    linker = registry()
    text = "Lukashenko’s trip; the NAMe; nam; Office of Sviatlana\u00a0Tsikhanouskaya"
    assert linker.find_keys(text) == {LUKASHENKO, OFFICE, TSIKHANOUSKAYA}
    assert linker.find_keys("") == set()


def test_names_in_follows_the_same_rules():
    """Adding an alias would miss items that use it, or select ones that do not."""
    assert names_in("the Lukashenka\u00a0regime", ["Lukashenka regime"])
    assert names_in("Pavel   Latushka’s", ["pavel latushka"])
    assert names_in("the NAM.", ["NAM"])
    assert not names_in("the nam.", ["NAM"])
    assert not names_in("Lukashenkas", ["Lukashenka"])
    assert not names_in("anything", [])
    assert names_in(html.unescape("<p>Pavel&nbsp;Latushka</p>"), ["Pavel Latushka"])


def test_empty_registry_and_empty_text():
    """Saving an empty item or running with an empty registry would fail."""
    assert Linker([]).link("<p>NAM</p>").html == "<p>NAM</p>"
    assert Linker([Alias("   ", "x", "/x/")]).link("<p> </p>").hits == {}
    assert registry().link("").html == ""
    assert registry().link("no markup, just Lukashenko").html == (
        f"no markup, just {a('Lukashenko', LUKASHENKO)}"
    )


# The real sample digest


def sample_html():
    artefacts = {"top of page", "bottom of page", "Comments", "ree"}
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return "\n".join(
        f"<p>{html.escape(line.strip(), quote=False)}</p>"
        for line in lines
        if line.strip() and line.strip() not in artefacts
    )


def independent_count(text, names):
    """Occurrences of one entity's names in plain text, by regular expressions."""
    alternatives = []
    for name in sorted(names, key=len, reverse=True):
        words = r"\s+".join(re.escape(word) for word in name.split())
        alternatives.append(f"(?:{words})" if name.isupper() else f"(?i:{words})")
    return len(re.findall(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", text))


def test_sample_digest_every_occurrence_is_linked():
    """A name in the real digest would be left unlinked, or counted wrongly."""
    source = sample_html()
    result = registry().link(source)
    assert unlink(result.html) == source
    outside_links = re.sub(r'<a class="mention" href="[^"]*">.*?</a>', "\x00", result.html)
    plain = html.unescape(source)
    for key, names in NAMES.items():
        assert independent_count(html.unescape(outside_links), names) == 0, names
        expected = independent_count(plain, names)
        assert (result.hits[key].occurrences if key in result.hits else 0) == expected, names
    links = re.findall(r'<a class="mention" href="([^"]*)">(.*?)</a>', result.html)
    assert ("/people/lukashenko/", "Alexander Lukashenko\u00a0") not in links
    assert links.count(("/people/lukashenko/", "Alexander Lukashenko")) == 1
    assert links.count(("/people/latushka/", "Pavel Latushka\u00a0")) == 0
    assert links.count(("/organizations/congress/", NAMES[CONGRESS][0])) == 3
    assert ("/organizations/council-of-europe/", "Council of Europe") not in links
    assert links.count(("/people/coale/", "Coale")) == 1
    assert links.count(("/people/coale/", "John Coale")) == 1
    assert "Mr. Smith" in result.html and "Smith</a>" not in result.html
    assert result.hits[COE].occurrences == 3
    assert result.hits[TSIKHANOUSKAYA].occurrences == 1
    assert a("Office of Sviatlana Tsikhanouskaya", OFFICE) in result.html
    assert result.hits[LATUSHKA].occurrences == 15
    assert result.hits[COALE].snippet.startswith("We are grateful to U.S. President Donald Trump")
    assert list(result.hits)[:3] == [COALE, BABARYKA, KALESNIKAVA]
