"""The declined forms of registered Cyrillic names (people/inflection.py): each rule by the
forms a reader would see in a Belarusian or Russian text."""

import pytest

from people.inflection import declensions, forms, inflected_forms, language


def cases(name, *, person=True):
    names = ("nom", "gen", "dat", "acc", "ins", "loc")
    return dict(zip(names, declensions(name, person=person), strict=True))


def test_language_is_told_by_its_letters():
    """A Belarusian name declined by Russian rules (or the other way) would miss its forms."""
    assert language("Святлана Ціханоўская") == {"be"}
    assert language("Аляксандр Лукашэнка") == {"be"}
    assert language("Светлана Тихановская") == {"ru"}
    assert language("Международный уголовный суд") == {"ru"}
    assert language("Дональд Трамп") == {"be", "ru"}
    assert language("Pavel Latushka") == set()


@pytest.mark.parametrize(
    ("name", "case", "form"),
    [
        # Belarusian masculine surnames in -ка, -а: Лукашэнкі, Лукашэнку, Лукашэнкам
        ("Аляксандр Лукашэнка", "gen", "Аляксандра Лукашэнкі"),
        ("Аляксандр Лукашэнка", "dat", "Аляксандру Лукашэнку"),
        ("Аляксандр Лукашэнка", "acc", "Аляксандра Лукашэнку"),
        ("Аляксандр Лукашэнка", "ins", "Аляксандрам Лукашэнкам"),
        ("Павел Латушка", "ins", "Паўлам Латушкам"),
        ("Аляксандр Федута", "gen", "Аляксандра Федуты"),
        # Павел → Паўла (Belarusian), Павла (Russian); -ец loses its vowel
        ("Павел Латушка", "gen", "Паўла Латушкі"),
        ("Павел Севярынец", "gen", "Паўла Севярынца"),
        ("Павел Латушко", "gen", "Павла Латушко"),
        # -ская / -ская: Ціханоўскай, Ціханоўскую; -ава: Калеснікавай, Калеснікаву
        ("Святлана Ціханоўская", "gen", "Святланы Ціханоўскай"),
        ("Святлана Ціханоўская", "acc", "Святлану Ціханоўскую"),
        ("Святлана Ціханоўская", "ins", "Святланай Ціханоўскай"),
        ("Марыя Калеснікава", "gen", "Марыі Калеснікавай"),
        ("Марыя Калеснікава", "acc", "Марыю Калеснікаву"),
        ("Марына Залатава", "dat", "Марыне Залатавай"),
        # -скі / -цкі: Бяляцкага, Бяляцкім
        ("Алесь Бяляцкі", "gen", "Алеся Бяляцкага"),
        ("Алесь Бяляцкі", "ins", "Алесем Бяляцкім"),
        ("Уладзімір Зяленскі", "gen", "Уладзіміра Зяленскага"),
        # consonant-final masculine names and surnames; -й; -аў
        ("Максім Знак", "gen", "Максіма Знака"),
        ("Максім Знак", "ins", "Максімам Знакам"),
        ("Ігар Карней", "dat", "Ігару Карнею"),
        ("Андрэй Саннікаў", "ins", "Андрэем Саннікавым"),
        ("Дональд Трамп", "dat", "Дональду Трампу"),
        # Russian
        ("Светлана Тихановская", "gen", "Светланы Тихановской"),
        ("Светлана Тихановская", "acc", "Светлану Тихановскую"),
        ("Мария Колесникова", "gen", "Марии Колесниковой"),
        ("Мария Колесникова", "ins", "Марией Колесниковой"),
        ("Алесь Беляцкий", "gen", "Алеся Беляцкого"),
        ("Алесь Беляцкий", "ins", "Алесем Беляцким"),
        ("Андрей Санников", "ins", "Андреем Санниковым"),
        ("Николай Статкевич", "ins", "Николаем Статкевичем"),
        ("Александр Федута", "gen", "Александра Федуты"),
    ],
)
def test_people_decline_word_by_word(name, case, form):
    """A person named in an oblique case would stay unlinked."""
    assert form in cases(name)[case]


@pytest.mark.parametrize(
    ("name", "case", "form"),
    [
        ("Нацыянальнае антыкрызіснае ўпраўленне", "gen", "Нацыянальнага антыкрызіснага ўпраўлення"),
        ("Нацыянальнае антыкрызіснае ўпраўленне", "dat", "Нацыянальнаму антыкрызіснаму ўпраўленню"),
        ("Нацыянальнае антыкрызіснае ўпраўленне", "ins", "Нацыянальным антыкрызісным упраўленнем"),
        ("Каардынацыйная рада", "gen", "Каардынацыйнай рады"),
        ("Каардынацыйная рада", "loc", "Каардынацыйнай радзе"),
        ("Міжнародны крымінальны суд", "gen", "Міжнароднага крымінальнага суда"),
        ("Міжнародны крымінальны суд", "loc", "Міжнародным крымінальным судзе"),
        ("Аб'яднаны пераходны кабінет", "gen", "Аб'яднанага пераходнага кабінета"),
        ("Беларуская асацыяцыя журналістаў", "acc", "Беларускую асацыяцыю журналістаў"),
        ("Офіс Святланы Ціханоўскай", "ins", "Офісам Святланы Ціханоўскай"),
        ("Савет Еўропы", "loc", "Савеце Еўропы"),
        ("Місія дэмакратычных сіл ва Украіне", "ins", "Місіяй дэмакратычных сіл ва Украіне"),
        ("Праваабарончы цэнтр «Вясна»", "ins", "Праваабарончым цэнтрам «Вясна»"),
        ("Национальное антикризисное управление", "gen", "Национального антикризисного управления"),
        ("Национальное антикризисное управление", "ins", "Национальным антикризисным управлением"),
        ("Международный уголовный суд", "gen", "Международного уголовного суда"),
        ("Координационный совет", "loc", "Координационном совете"),
        ("Белорусская ассоциация журналистов", "ins", "Белорусской ассоциацией журналистов"),
        ("Совет Европы", "gen", "Совета Европы"),
    ],
)
def test_organizations_decline_their_adjectives_and_first_noun(name, case, form):
    """An organisation named in an oblique case would stay unlinked; the words after its
    first noun (Еўропы, Святланы Ціханоўскай) stay as they are."""
    assert form in cases(name, person=False)[case]


def test_belarusian_u_follows_the_word_before_it():
    """ў after a vowel, у after a consonant: "…антыкрызіснага ўпраўлення" but
    "…антыкрызісным упраўленнем"; a name starting with у may follow either."""
    name = cases("Нацыянальнае антыкрызіснае ўпраўленне", person=False)
    assert "Нацыянальным антыкрызісным ўпраўленнем" not in name["ins"]
    office = cases("Упраўленне па справах іншаземцаў", person=False)
    assert {"Упраўлення па справах іншаземцаў", "Ўпраўлення па справах іншаземцаў"} <= set(
        office["gen"]
    )


@pytest.mark.parametrize(
    "name",
    ["Павел Латушко", "Александр Лукашенко", "Виктор Бабарико", "Дмитрий Черных"],
)
def test_russian_surnames_in_ko_and_ykh_do_not_decline(name):
    """ "Латушка" is not a Russian form of Латушко: it would be linked where it does not
    belong."""
    surname = name.split()[1]
    assert all(form.endswith(" " + surname) for form in forms(name, person=True))


def test_womens_consonant_surnames_and_foreign_words_stay():
    """Кая Калас is "Каі Калас", never "Каі Каласа"; a Latin name has no Cyrillic forms."""
    assert all(form.endswith(" Калас") for form in forms("Кая Калас", person=True))
    assert forms("Kaja Kallas", person=True) == ["Kaja Kallas"]
    assert forms("НАУ", person=False) == ["НАУ"]


def test_registry_forms_leave_out_clashes_common_words_and_registered_names():
    """A form two entities share, or an ordinary word, would link the wrong page."""
    registry = [
        ("Вясна", "viasna", False),
        ("Аляксандр Лукашэнка", "lukashenka", True),
        ("Лукашэнка", "lukashenka", True),
        ("Віктар Бабарыка", "viktar", True),
        ("Бабарыка", "viktar", True),
        ("Бабарыкі", "other", False),  # a registered name of someone else
        ("Эдуард Бабарыка", "eduard", True),
    ]
    found = dict(inflected_forms(registry))
    assert "Вясны" not in found and "Вясной" not in found
    assert found["Лукашэнкі"] == "lukashenka"
    assert found["Аляксандра Лукашэнкі"] == "lukashenka"
    assert "Бабарыкі" not in found
    assert found["Эдуарда Бабарыкі"] == "eduard"
    assert all(text not in found for text, _, _ in registry)


def test_forms_two_entities_both_give_are_dropped():
    """Two people registered by one surname each: its declined forms name neither."""
    found = dict(inflected_forms([("Бабарыка", "viktar", True), ("Бабарыка ", "eduard", True)]))
    assert "Бабарыку" not in found
