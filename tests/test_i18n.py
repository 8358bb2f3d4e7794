"""The site in Belarusian, Russian and English: the language comes from the address."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from digests.models import Digest, Language
from tests.factories import make_digest, make_item, make_organization, make_person, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    """One digest in three languages: English original, Belarusian and Russian translations."""
    person = make_person("Pavel Latushka", name_be="Павел Латушка", name_ru="Павел Латушко")
    en = make_digest(
        title="News digest 31 December 2025",
        slug="news-digest-31-december-2025",
        date=datetime.date(2025, 12, 31),
    )
    be = make_digest(
        title="Дайджэст навін 31 снежня 2025",
        slug="daidzhest-31-12-2025",
        date=datetime.date(2025, 12, 31),
        language=Language.BELARUSIAN,
        translation_of=en,
    )
    ru = make_digest(
        title="Дайджест новостей 31 декабря 2025",
        slug="daidzhest-novostei-31-12-2025",
        date=datetime.date(2025, 12, 31),
        language=Language.RUSSIAN,
        translation_of=en,
    )
    make_item(make_section(en, title="Meetings"), body="<p>Pavel Latushka met them.</p>")
    make_item(make_section(be, title="Сустрэчы"), body="<p>Павел Латушка сустрэўся з імі.</p>")
    make_item(make_section(ru, title="Встречи"), body="<p>Павел Латушко встретился с ними.</p>")
    return {"en": en, "be": be, "ru": ru, "person": person}


def test_language_comes_from_the_address(client, versions):
    """/be/ is Belarusian, /ru/ Russian, the root English, whatever the browser asks for."""
    for path, lang, word in (("/", "en", "Digests"), ("/be/", "be", "Дайджэсты"),
                             ("/ru/", "ru", "Дайджесты")):  # fmt: skip
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="ru" if lang == "en" else "en")
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html
        assert f">{word}</a>" in html
        assert response["Content-Language"] == lang
        assert "Accept-Language" not in response.get("Vary", "")
        assert response.cookies == {}


def test_old_addresses_keep_working(client, versions):
    """The English pages stay where they were; /en/ is not a second address for them."""
    assert client.get("/digests/").status_code == 200
    assert client.get(versions["en"].get_absolute_url()).status_code == 200
    assert versions["en"].get_absolute_url() == "/digests/news-digest-31-december-2025/"
    assert client.get("/en/digests/").status_code == 404


def test_a_digest_lives_under_its_own_language(client, versions):
    """A Belarusian digest asked for at an English or Russian address answers with a 301 to
    its Belarusian address."""
    be = versions["be"]
    assert be.get_absolute_url() == "/be/digests/daidzhest-31-12-2025/"
    response = client.get("/digests/daidzhest-31-12-2025/")
    assert response.status_code == 301
    assert response["Location"] == be.get_absolute_url()


def test_versions_link_to_one_another(client, versions):
    """Each version says "also in" with links to the other two, marked with their language,
    and announces them as hreflang alternates."""
    html = client.get(versions["be"].get_absolute_url()).content.decode()
    also = re.search(r'<p class="meta also-in">(.*?)</p>', html).group(1)
    assert 'href="/digests/news-digest-31-december-2025/" hreflang="en" lang="en">English<' in also
    assert 'hreflang="ru" lang="ru">Русский<' in also
    assert "Беларуская" not in also
    assert (
        'hreflang="ru" href="http://testserver/ru/digests/daidzhest-novostei-31-12-2025/"' in html
    )
    assert (
        'hreflang="x-default" href="http://testserver/digests/news-digest-31-december-2025/"'
        in html
    )
    assert 'hreflang="en" href="http://testserver/digests/news-digest-31-december-2025/"' in html


def test_switcher_offers_home_where_no_version_exists(client, versions):
    """A digest without a Russian version offers the Russian home page in the switcher."""
    versions["ru"].delete()
    html = client.get(versions["en"].get_absolute_url()).content.decode()
    switcher = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    assert 'href="/ru/" hreflang="ru" lang="ru">Русский<' in switcher
    assert 'href="/be/digests/daidzhest-31-12-2025/"' in switcher
    assert 'hreflang="ru"' not in html.split("<body>")[0]


def test_unpublished_versions_are_not_offered(client, versions):
    """A draft translation is never linked from a published version."""
    versions["ru"].status = "draft"
    versions["ru"].save()
    html = client.get(versions["en"].get_absolute_url()).content.decode()
    assert "daidzhest-novostei" not in html


def test_switcher_links_the_same_page(client, versions):
    """On a person's page the switcher links the person's page in each language, and the
    Belarusian page shows the Belarusian name."""
    url = versions["person"].get_absolute_url()
    html = client.get("/be" + url).content.decode()
    assert f'href="/ru{url}" hreflang="ru"' in html
    assert f'href="{url}" hreflang="en"' in html
    assert "<h1>Павел Латушка</h1>" in html
    assert "<h1>Павел Латушко</h1>" in client.get("/ru" + url).content.decode()
    assert "<h1>Pavel Latushka</h1>" in client.get(url).content.decode()


def test_entity_page_lists_every_language_marked(client, versions):
    """A person's page lists mentions from the three versions; those in another language
    than the page's carry their language."""
    html = client.get(versions["person"].get_absolute_url()).content.decode()
    assert "News digest 31 December 2025" in html
    assert 'lang="be" hreflang="be">Дайджэст навін 31 снежня 2025</a>' in html
    assert 'lang="ru" hreflang="ru">Дайджест новостей 31 декабря 2025</a>' in html


def test_home_archive_feed_and_sitemap_per_language(client, versions):
    """Each language's home, archive, feed and sitemap carry that language's digests only."""
    for prefix, own, others in (("", "en", ("be", "ru")), ("/be", "be", ("en", "ru")),
                                ("/ru", "ru", ("en", "be"))):  # fmt: skip
        for path in ("/", "/digests/", "/feeds/digests/", "/sitemap.xml"):
            html = client.get(prefix + path).content.decode()
            assert versions[own].title in html or versions[own].slug in html, (prefix, path)
            for other in others:
                assert versions[other].slug not in html, (prefix, path, other)
    feed = client.get("/be/feeds/digests/").content.decode()
    assert "<language>be</language>" in feed
    assert "<title>Дайджэсты навін</title>" in feed


def test_dates_in_each_language(client, versions):
    """Dates are written as each language writes them (genitive month in be and ru)."""
    assert "31 снежня 2025" in client.get(versions["be"].get_absolute_url()).content.decode()
    assert "31 декабря 2025" in client.get(versions["ru"].get_absolute_url()).content.decode()
    assert "31 December 2025" in client.get(versions["en"].get_absolute_url()).content.decode()


def test_robots_lists_every_sitemap(client):
    """Crawlers find the sitemap of each language."""
    text = client.get("/robots.txt").content.decode()
    for url in ("/sitemap.xml", "/be/sitemap.xml", "/ru/sitemap.xml"):
        assert f"Sitemap: http://testserver{url}" in text
    assert "Disallow: /be/preview/" in text


def test_one_version_per_language_in_a_group(versions):
    """A group holds at most one version per language; a translation of a translation joins
    the original's group."""
    extra = Digest(
        title="Another", slug="another", date=versions["en"].date, language="be",
        translation_of=versions["ru"],
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        extra.full_clean()
    assert "translation_of" in error.value.message_dict
    assert extra.translation_of == versions["en"]


def test_localized_names_are_aliases(versions):
    """A person's Belarusian and Russian names are names the linker finds."""
    names = set(versions["person"].aliases.values_list("text", flat=True))
    assert {"Pavel Latushka", "Павел Латушка", "Павел Латушко"} <= names


SAMPLES = Path(__file__).parent / "fixtures" / "import"


def _import(name, *args):
    out = io.StringIO()
    call_command("import_digest", str(SAMPLES / name), "--publish", *args, stdout=out)
    return Digest.objects.get(
        slug=out.getvalue().strip().splitlines()[-1].rstrip("/").split("/")[-1]
    )


def test_three_versions_import_and_link(client):
    """The sample digest imported in English, Belarusian and Russian: each gets its language
    from the text, the translations join the English original, each page offers the other
    two, and each language's feed carries its own version."""
    en = _import("news-digest-2025-12-31.txt")
    be = _import("news-digest-2025-12-31.be.txt")
    ru = _import("news-digest-2025-12-31.ru.txt")
    assert (en.language, be.language, ru.language) == ("en", "be", "ru")
    assert be.slug == "daydzhest-navin-31-snezhnya-2025"
    assert ru.slug == "daydzhest-novostey-31-dekabrya-2025"
    assert en.translation_of is None
    assert be.translation_of == en and ru.translation_of == en
    for digest in (en, be, ru):
        html = client.get(digest.get_absolute_url()).content.decode()
        also = re.search(r'<p class="meta also-in">(.*?)</p>', html).group(1)
        for other in {en, be, ru} - {digest}:
            assert f'href="{other.get_absolute_url()}" hreflang="{other.language}"' in also
    for digest, prefix in ((en, ""), (be, "/be"), (ru, "/ru")):
        feed = client.get(f"{prefix}/feeds/digests/").content.decode()
        assert f"<title>{digest.title}</title>" in feed
        assert all(o.title not in feed for o in {en, be, ru} - {digest})


def test_reimport_keeps_the_group(client):
    """Importing a translation again updates it and leaves it in its group."""
    en = _import("news-digest-2025-12-31.txt")
    be = _import("news-digest-2025-12-31.be.txt")
    again = _import("news-digest-2025-12-31.be.txt")
    assert again.pk == be.pk and again.translation_of == en


def test_language_and_original_given(client):
    """--language overrides what the text says; --translation-of names the original."""
    en = _import("news-digest-2025-12-31.txt")
    ru = _import("news-digest-2025-12-31.ru.txt", "--translation-of", en.slug)
    assert ru.translation_of == en
    digest = _import("news-digest-2025-12-31.txt", "--language", "en")
    assert digest.pk == en.pk


def test_detect_language():
    """The importer tells Belarusian from Russian by the letters only one of them uses."""
    from digests.parsing import detect_language

    assert detect_language("Дайджэст навін 31 снежня 2025. Ціханоўская і Латушка.") == "be"
    assert detect_language("Дайджест новостей 31 декабря 2025. Тихановская и Латушко.") == "ru"
    assert detect_language("News digest 31 December 2025: Лукашэнка") == "en"


LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["be", "ru"])
def test_catalogue_is_complete_and_compiled(language):
    """Every string of the interface has a translation, and the committed .mo file is the
    .po file compiled (`make messages`): the site shows what the catalogue says."""
    import gettext

    import polib

    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert not po.metadata_is_fuzzy
    untranslated = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    assert untranslated == []
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for entry in po.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            assert catalog._catalog[(key, 0)] == entry.msgstr_plural[0], entry.msgid
        else:
            assert catalog._catalog[key] == entry.msgstr, entry.msgid


def test_placeholders_survive_translation():
    """A translation keeps every placeholder of its English string (a lost %(name)s would
    show a raw string or fail)."""
    import polib

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\d*\}")
    for language in ("be", "ru"):
        for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
            wanted = sorted(placeholder.findall(entry.msgid))
            forms = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            for form in forms:
                assert sorted(placeholder.findall(form)) == wanted, (language, entry.msgid)


def test_staff_choose_the_admin_language(admin_client):
    """Staff switch the admin to Belarusian; it stays so in their session, and readers'
    pages keep taking the language from the address."""
    assert 'lang="en"' in admin_client.get("/admin/").content.decode()
    response = admin_client.post("/admin/language/", {"language": "be", "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    html = admin_client.get("/admin/").content.decode()
    assert 'lang="be"' in html and "Рэдакцыя" in html
    assert '<html lang="en">' in admin_client.get("/").content.decode()


def test_admin_language_refuses_other_places(admin_client):
    """The language form sends staff back only into the admin."""
    response = admin_client.post(
        "/admin/language/", {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_readers_get_no_vary_and_no_cookie(client, versions):
    """The same address is the same page for everyone: no Vary on Accept-Language, no cookie,
    in every language."""
    for path in ("/", "/be/", "/ru/", "/be/people/", "/ru/search/?q=x"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="be,ru;q=0.8")
        assert response.status_code == 200, path
        assert "accept-language" not in response.get("Vary", "").lower(), path
        assert response.cookies == {}, path


def test_search_finds_items_of_the_page_language(client, versions):
    """/ru/search/ finds words in Russian digests only; /search/ in English ones."""
    ru = client.get("/ru/search/?q=встретился").content.decode()
    assert versions["ru"].get_absolute_url() in ru
    assert client.get("/search/?q=встретился").context["page"].paginator.count == 0
    en = client.get("/search/?q=met").content.decode()
    assert versions["en"].get_absolute_url() in en
    assert versions["ru"].get_absolute_url() not in en


def test_often_named_with_in_the_page_language(client, versions):
    """ "Often named with" on a person's page names the others as the page's language writes
    them (the English name where none is written)."""
    from tests.factories import make_organization

    make_organization(
        "National Anti-Crisis Management",
        name_be="Нацыянальнае антыкрызіснае ўпраўленне",
        name_ru="Национальное антикризисное управление",
    )
    make_person("Maria Kalesnikava")
    make_item(
        versions["en"].sections.get(),
        body="<p>Pavel Latushka, Maria Kalesnikava and the National Anti-Crisis Management.</p>",
    )
    url = versions["person"].get_absolute_url()

    def often_named(prefix):
        html = client.get(prefix + url).content.decode()
        return re.search(r'<ul class="co-mentioned">(.*?)</ul>', html, re.S).group(1)

    be, ru, en = often_named("/be"), often_named("/ru"), often_named("")
    assert ">Нацыянальнае антыкрызіснае ўпраўленне</a>" in be and ">Maria Kalesnikava</a>" in be
    assert ">Национальное антикризисное управление</a>" in ru
    assert ">National Anti-Crisis Management</a>" in en
    assert "National Anti-Crisis Management" not in be + ru


def test_charts_are_described_in_the_page_language(client, versions):
    """A chart's title, description (with its numbers) and labels are in the page's language:
    screen readers read the Belarusian page's chart in Belarusian. (The person is named in
    three items, one per version: their page counts every language.)"""
    from tests.factories import make_metric

    make_metric(versions["be"], topic="Відэа", views=1_234_567)
    person = client.get("/be" + versions["person"].get_absolute_url()).content.decode()
    title = re.search(r'<title id="chart-timeline-title">(.*?)</title>', person).group(1)
    desc = re.search(r'<desc id="chart-timeline-desc">(.*?)</desc>', person).group(1)
    assert title == "Матэрыялы са згадкай: Павел Латушка, па месяцах"
    assert desc == (
        "Слупкі па месяцах (снежань 2025 — снежань 2025). Найбольш: снежань 2025, "
        "3 матэрыялы. Ніжэй у табліцы — кожны месяц."
    )
    ru = client.get("/ru" + versions["person"].get_absolute_url()).content.decode()
    assert "Столбцы по месяцам (декабрь 2025 — декабрь 2025)" in ru
    english = client.get(versions["person"].get_absolute_url()).content.decode()
    assert "Columns, one per month from December 2025 to December 2025." in english

    digest = client.get(versions["be"].get_absolute_url()).content.decode()
    desc = re.search(r'<desc id="chart-posts-desc">(.*?)</desc>', digest).group(1)
    assert "Найбольш праглядаў: 1\xa0234\xa0567, платформа YouTube (Відэа)." in desc
    assert ">Прагляды кожнай публікацыі</title>" in digest
    assert ">1,23 млн</text>" in digest
    for words in ("Horizontal bars", "Views per post", "Columns, one per month", "Items naming"):
        assert words not in digest + person, words


def test_a_digest_with_a_cyrillic_topic_links_the_topic_page(client):
    """Belarusian and Russian digests carry topics in their own script: the digest's page and
    the topic's page answer, and the one links the other."""
    digest = make_digest(language="be", title="Дайджэст навін", slug="daydzhest-navin")
    make_item(make_section(digest), body="<p>Навіны.</p>").tags.add("рэпрэсіі")
    digest.tags.add("палітвязні")
    page = client.get(digest.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    with translation.override("be"):
        address = reverse("digests:tag", kwargs={"slug": "палітвязні"})
        items_topic = reverse("digests:tag", kwargs={"slug": "рэпрэсіі"})
    assert f'href="{address}"' in html
    topic = client.get(address)
    assert topic.status_code == 200
    assert "Дайджэст навін" in topic.content.decode()
    assert client.get(items_topic).status_code == 200


def test_a_name_registered_in_cyrillic_gets_a_readable_latin_address():
    person = make_person("Святлана Ціханоўская")
    organization = make_organization("Нацыянальнае антыкрызіснае ўпраўленне")
    assert person.slug == "svyatlana-tsikhanouskaya"
    assert organization.slug == "natsyyanalnae-antykryzisnae-upraulenne"


def test_open_data_filters_by_a_cyrillic_topic(client):
    digest = make_digest(language="be", title="Дайджэст навін", slug="daydzhest-navin")
    digest.tags.add("палітвязні")
    make_digest(title="Another digest")
    answer = client.get("/api/digests/", {"topic": "палітвязні"})
    assert answer.status_code == 200
    assert [row["title"] for row in answer.json()["results"]] == ["Дайджэст навін"]


def test_a_refused_request_says_why_in_the_page_language(client):
    """A malformed request at a Belarusian address is refused in Belarusian."""
    answer = client.get("/be/search/", {"q": "a\x00b"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "NUL" in html and "is not allowed" not in html
