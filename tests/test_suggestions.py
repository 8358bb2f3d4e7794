"""The "Names to review" extraction and ranking (digests/suggestions.py), without a database."""

from digests.suggestions import Entry, Registry, Tally, find_names, guess_kind, ranked
from people.spelling import plain_name, search_key, skeleton


def names(text, **kwargs):
    return [f.text for f in find_names(text, **kwargs) if not f.weak]


def registry(*entries):
    """entries: (kind, name, [aliases])."""
    rows = []
    for pk, (kind, name, aliases) in enumerate(entries, start=1):
        slug = name.lower().replace(" ", "-")
        for text in [name, *aliases]:
            key = search_key(text)
            rows.append((text, key, skeleton(key), kind, slug, name, pk))
    return Registry.from_rows(rows)


def test_particles_stay_inside_organisation_names():
    """Staff would see "Council" and "Europe" as two names instead of the Council of Europe."""
    text = (
        "A case was opened by the Office of the Prosecutor General. She spoke at the Council "
        "of Europe and the Congress of Local and Regional Authorities of the Council of Europe."
    )
    assert names(text) == [
        "Office of the Prosecutor General",
        "Council of Europe",
        "Congress of Local and Regional Authorities of the Council of Europe",
    ]


def test_particles_do_not_join_two_names():
    """ "Pavel Latushka and NAU" would be offered as one name."""
    assert names("We met Pavel Latushka and NAU in Vilnius.") == [
        "Pavel Latushka",
        "NAU",
        "Vilnius",
    ]


def test_places_titles_and_lone_organisation_words_are_cut_off():
    """ "Embassy in Warsaw", "the Polish Minister" or "the Office" would be offered as names."""
    text = (
        "The Czech Embassy in Warsaw wrote to the Polish Minister. The Office replied to the "
        "Congress of Local and Regional Authorities of the Council of Europe and Rapporteur "
        "Smith."
    )
    assert names(text) == [
        "Czech Embassy",
        "Warsaw",
        "Congress of Local and Regional Authorities of the Council of Europe",
        "Smith",
    ]


def test_office_of_a_person_is_one_name():
    """The Office of Sviatlana Tsikhanouskaya would be split into an office and a person."""
    assert names("A letter from the Office of Sviatlana Tsikhanouskaya arrived.") == [
        "Office of Sviatlana Tsikhanouskaya"
    ]


def test_possessive_is_dropped():
    """ "Tsikhanouskaya's" would be listed apart from "Tsikhanouskaya"."""
    assert names("We read Tsikhanouskaya's letter and Lukashenko’s speech.") == [
        "Tsikhanouskaya",
        "Lukashenko",
    ]


def test_acronyms_are_names_of_their_own():
    """NAU, SAC and the ICC would be missed or glued to the next word."""
    assert names("Sources in NAU, the SAC and the ICC Prosecutor confirmed it.") == [
        "NAU",
        "SAC",
        "ICC",
    ]


def test_cyrillic_names():
    """Names written in Belarusian or Russian would never reach the queue."""
    assert names("Учора Ціханоўская адказала. Заява: Лукашэнка маўчыць.") == [
        "Ціханоўская",
        "Лукашэнка",
    ]


def test_a_place_before_a_person_is_not_part_of_the_name():
    """“У Вільні Алесь Бяляцкі…”: a place in the locative, then a person. A capitalised word
    before a first name starts another name, unless the run names an organisation."""
    assert names("У Вільні Алесь Бяляцкі сустрэўся з дыяспарай.") == ["Вільні", "Алесь Бяляцкі"]
    assert names("In Warsaw Pavel Latushka spoke.") == ["Warsaw", "Pavel Latushka"]
    assert names("Anna Maria Kowalska spoke.") == ["Anna Maria Kowalska"]
    assert names("The Kastus Kalinouski Regiment fought.") == ["Kastus Kalinouski Regiment"]


def test_a_name_does_not_change_script():
    """A Cyrillic word and a Latin one next to each other are two names, not one."""
    assert names("У Бруселі Igor Losik выступіў.") == ["Бруселі", "Igor Losik"]
    assert names("Паводле Council of Europe, у турмах…") == ["Council of Europe"]


def test_sentence_initial_word_alone_is_weak():
    """Every sentence's first word ("Meanwhile", "Lukashenko") would be offered as a name."""
    found = list(find_names("Lukashenko spoke. Protesters gathered in Minsk."))
    assert [(f.text, f.weak) for f in found] == [
        ("Lukashenko", True),
        ("Protesters", True),
        ("Minsk", False),
    ]


def test_openers_titles_and_calendar_words_are_cut():
    """ "The", "On Monday" or "President" would be listed as part of names."""
    text = "On Monday President Lukashenko and Foreign Minister Sybiha met in December."
    assert names(text) == ["Lukashenko", "Sybiha"]
    assert names("In Vilnius the Coordination Council met.") == ["Vilnius", "Coordination Council"]


def test_months_and_ordinary_words_never_stand_alone():
    """Months, weekdays and headline words would fill the queue."""
    assert names("Released on 13 December, on Sunday. The Belarusian side agreed.") == []


def test_headline_capitals_are_weak_but_acronyms_count():
    """Title Case headlines would put "Statements Submitted" in the queue."""
    found = list(
        find_names("Lukashenko’s Statements Submitted as Evidence to the ICC", headline=True)
    )
    assert [(f.text, f.weak) for f in found if not f.weak] == [("ICC", False)]


def test_registered_names_and_their_parts_are_left_out():
    """A registered name, even without diacritics or inside a longer run, would be listed."""
    registered = {plain_name("Pavel Latushka"), plain_name("Łukašenka")}
    text = "Spokesman Pavel Latushka's note and Lukasenka. NAU Head Pavel Latushka spoke."
    assert names(text, registered=registered) == ["NAU"]


def test_tally_counts_occurrences_and_digests_and_keeps_weak_only_names_out():
    """Counts per digest would be wrong, or names seen only sentence-initially listed."""
    tally = Tally()
    for digest, text in [(1, "We met Latushko. Latushko said."), (2, "Then Latushko spoke.")]:
        for found in find_names(text):
            tally.add(found, digest=digest, source=("item", digest))
    for found in find_names("Alone here."):
        tally.add(found, digest=3, source=("item", 3))
    (entry,) = tally.names()
    assert (entry.text, entry.count, entry.digests) == ("Latushko", 3, 2)
    assert entry.example == "We met Latushko." and entry.source == ("item", 1)
    assert list(tally.names(min_count=4)) == []
    assert list(tally.names(ignored={"latushko"})) == []


def test_suggestions_by_spelling_skeleton_surname_and_acronym():
    """Staff would have to find the entity a variant spelling belongs to by hand."""
    known = registry(
        ("person", "Pavel Latushka", []),
        ("person", "Alexander Lukashenko", []),
        ("person", "Sviatlana Tsikhanouskaya", []),
        (
            "organization",
            "Narodnaye Antykryzisnaye Upravleniye",
            ["National Anti-Crisis Management"],
        ),
    )
    assert known.suggest("Latushko").name == "Pavel Latushka"
    assert known.suggest("Lukashenka").name == "Alexander Lukashenko"
    assert known.suggest("Sviatlana Tsikhanovskaya").name == "Sviatlana Tsikhanouskaya"
    assert known.suggest("Ціханоўская").name == "Sviatlana Tsikhanouskaya"
    assert known.suggest("NAU").name == "Narodnaye Antykryzisnaye Upravleniye"
    assert known.suggest("NAM").slug == "narodnaye-antykryzisnaye-upravleniye"
    assert known.suggest("Kalesnikava") is None


def test_ambiguous_surname_suggests_nothing():
    """A surname shared by two people would be attached to one of them at random."""
    known = registry(("person", "Maria Kalesnikava", []), ("person", "Anna Kalesnikava", []))
    assert known.suggest("Kalesnikava") is None


def test_kind_guess():
    """The queue would not say whether a name is probably a person or an organization."""
    assert guess_kind("NAU") == "organization"
    assert guess_kind("Coordination Council") == "organization"
    assert guess_kind("Office of the Prosecutor General") == "organization"
    assert guess_kind("Pavel Latushko") == "person"
    assert guess_kind("Sybiha") is None


def test_ranking_puts_likely_entities_first_and_places_last():
    """Places and one-off words would crowd out the names staff need to register."""
    known = registry(("person", "Pavel Latushka", []))
    entries = [
        Entry("Vilnius", count=40, digests=20, strong=True),
        Entry("Sybiha", count=2, digests=1, strong=True),
        Entry("Latushko", count=2, digests=1, strong=True),
        Entry("Coordination Council", count=2, digests=2, strong=True),
    ]
    order = [c.text for c in ranked(entries, known)]
    assert order == ["Coordination Council", "Latushko", "Sybiha", "Vilnius"]
