"""The admin in Belarusian and Russian: a staff member who chose a language sees the digest
import, pending changes and comparisons, the digest form's banner, two-factor enrolment,
"Names to review" and the CSV import of people and organizations in it, and the problems an
uploaded file has too. The command line stays English."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from reversion.models import Version

from digests.models import Item
from tests.browser import change_form_data
from tests.factories import make_item, make_section
from tests.test_moderation import live, staff_in  # noqa: F401  (`live` is a fixture)
from tests.test_two_factor import code_for, make_staff, verified_session

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "import" / "news-digest-2025-12-31.txt"
REGISTRY = FIXTURES / "entities" / "registry.csv"
DIGEST_IMPORT = "/admin/digests/digest/import/"
CSV_IMPORT = "/admin/people/person/import/"


def speaking(client, language):
    """`client` after its staff member chose `language` for the admin."""
    response = client.post("/admin/language/", {"language": language, "next": "/admin/"})
    assert response.status_code == 302
    return client


def upload(client, url, content, name):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def confirm_data(preview, *names):
    return {name: preview.context["confirm"].initial[name] for name in names}


def assert_none_of(html, *english):
    for words in english:
        assert words not in html, words


# Digest import


def test_digest_import_in_belarusian(staff_client):
    """The upload page, the preview with every judgement the importer made, and the message
    after saving are Belarusian."""
    speaking(staff_client, "be")
    page = staff_client.get(DIGEST_IMPORT).content.decode()
    assert "Загрузіце дайджэст, экспартаваны тэкстам" in page and "Прачытаць файл" in page
    assert_none_of(page, "Upload a digest exported", "Read the file")

    preview = upload(staff_client, DIGEST_IMPORT, SAMPLE.read_bytes(), "news.txt")
    html = preview.content.decode()
    assert "Раздзелы і матэрыялы" in html and "Як прачытаны файл" in html
    assert "радок 15: «Crucial meetings and activities» — загаловак раздзела" in html
    assert "застаецца ў матэрыяле (уводзіць спіс, што ідзе далей)" in html
    assert "Захаваць як чарнавік" in html and "Выбраць іншы файл" in html
    assert_none_of(
        html, "How the file was read", "taken as a section heading", "kept inside the item",
        "Sections and items", "Save as draft", "Choose another file", "social media figures",
    )  # fmt: skip

    saved = staff_client.post(
        DIGEST_IMPORT, confirm_data(preview, "source", "filename"), follow=True
    )
    assert (
        "імпартаваны: 6 раздзелаў, 10 матэрыялаў, 11 лічбаў сацыяльных сетак."
        in saved.content.decode()
    )


@pytest.mark.parametrize(
    ("content", "belarusian", "english"),
    [
        (
            b"Just some words\n\nMore words.\n",
            "notes.txt:1: няма радка з загалоўкам: першы радок «Just some words» не змяшчае "
            "даты (чакаецца, напрыклад, «Дайджэст навін 31 снежня 2025»)",
            "no title line",
        ),
        (
            b"News digest 31 December 2025\n\0\n",
            "notes.txt:2: гэта двайковы файл (у ім ёсць байты NUL), а не тэкставы экспарт",
            "binary file",
        ),
        (
            b"News digest 31 December 2025\n\xff\n",
            "notes.txt:2: файл не ў кадзіроўцы UTF-8 (байт 0xff немагчыма прачытаць); "
            "экспартуйце яго яшчэ раз у UTF-8",
            "not UTF-8",
        ),
        (b"\n  \n\n", "notes.txt: файл пусты", "is empty"),
    ],
)
def test_digest_import_errors_in_belarusian(staff_client, content, belarusian, english):
    """A file that cannot be read is refused with its line, in the staff member's language."""
    speaking(staff_client, "be")
    html = upload(staff_client, DIGEST_IMPORT, content, "notes.txt").content.decode()
    assert belarusian in html
    assert english not in html


def test_digest_import_conflict_in_russian(staff_client):
    """A file whose digest was edited since is shown with the warning and the overwrite box
    in Russian."""
    call_command("import_digest", str(SAMPLE), stdout=None)
    item = Item.objects.order_by("pk").first()
    item.body = "<p>Edited.</p>"
    item.save()
    speaking(staff_client, "ru")
    html = upload(staff_client, DIGEST_IMPORT, SAMPLE.read_bytes(), "news.txt").content.decode()
    assert "редактировали в админке после импорта" in html
    assert "Перезаписать правки, сделанные в админке" in html
    assert "Обновить дайджест" in html
    assert_none_of(html, "was edited in the admin", "Update the digest")


def test_import_command_stays_english(tmp_path):
    """The command line reads the same file's problem in English."""
    bad = tmp_path / "notes.txt"
    bad.write_bytes(b"Just some words\n\nMore words.\n")
    with pytest.raises(CommandError, match="no title line: the first line “Just some words”"):
        call_command("import_digest", str(bad))


# Pending changes, comparison and the digest form's banner


def test_pending_change_in_belarusian(django_user_model, live):  # noqa: F811
    """An Editor's change to a published digest: the Editor's form says it waits, the
    Publisher's form says it is the published version, and the review page is Belarusian."""
    editor = speaking(staff_in(django_user_model, "Editor", full_name="Elena Editor"), "be")
    publisher = speaking(
        staff_in(django_user_model, "Publisher", full_name="Piotr Publisher"), "be"
    )
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "A waiting lead"
    saved = editor.post(url, form, follow=True).content.decode()
    assert "чакаюць ухвалы выдаўца" in saved

    waiting = editor.get(url).content.decode()
    assert "У гэтай форме — версія, што чакае ўхвалы выдаўца" in waiting
    assert "Паглядзець змены" in waiting
    published = publisher.get(url).content.decode()
    assert "Змены ад Elena Editor" in published and "апублікаваная версія" in published
    assert_none_of(waiting + published, "This form shows", "are waiting for approval")

    review = publisher.get(f"/admin/digests/digest/{live.pk}/pending/").content.decode()
    assert "Змены ад <strong>Elena Editor</strong>" in review
    assert "Што мяняецца" in review and "Уводзіны:" in review and "зменена" in review
    assert "Ухваліць і апублікаваць гэтыя змены" in review and "Адхіліць" in review
    assert_none_of(review, "What changes", "Approve and publish", "Readers still see", "Lead:")


def test_pending_change_in_russian(django_user_model, live):  # noqa: F811
    """The same review page in Russian, and the Editor is told who reviews."""
    editor = speaking(staff_in(django_user_model, "Editor", full_name="Elena Editor"), "ru")
    publisher = speaking(staff_in(django_user_model, "Publisher"), "ru")
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(editor, url)
    form["lead"] = "A waiting lead"
    editor.post(url, form)
    pending = f"/admin/digests/digest/{live.pk}/pending/"
    assert "Эти изменения рассмотрит издатель." in editor.get(pending).content.decode()
    review = publisher.get(pending).content.decode()
    assert "Одобрить и опубликовать эти изменения" in review and "Что меняется" in review
    assert_none_of(review, "Approve and publish", "What changes")


def test_comparison_in_belarusian(staff_client, live):  # noqa: F811
    """History's comparison of two versions lists sections, items and figures in Belarusian."""
    speaking(staff_client, "be")
    url = f"/admin/digests/digest/{live.pk}/change/"
    form = change_form_data(staff_client, url)
    form["sections-0-items-0-body"] = "<p>Corrected wording.</p>"
    form["metrics-0-DELETE"] = "on"
    assert staff_client.post(url, form).status_code == 302
    first, second = Version.objects.get_for_object(live).order_by("pk")[:2]
    page = staff_client.get(
        f"/admin/digests/digest/{live.pk}/history/compare/",
        {"version_id1": first.pk, "version_id2": second.pk},
    ).content.decode()
    assert "Раздзелы, матэрыялы і лічбы" in page and "Палі самога дайджэста" in page
    assert "Матэрыял: " in page and "Тэкст:" in page and "зменена" in page
    assert "Лічба: YouTube: Published topic" in page and "выдалена" in page
    assert_none_of(page, "Sections, items and figures", "own fields", "Item: ", "Figure: ")


# Two-factor enrolment


def test_two_factor_enrolment_in_belarusian(staff_client):
    """The enrolment page, its wrong-code error and its success message are Belarusian."""
    speaking(staff_client, "be")
    page = staff_client.get("/admin/two-factor/").content.decode()
    assert "Наладка двухфактарнага ўваходу" in page
    assert "У праграме дадайце ўліковы запіс і адскануйце гэты код" in page
    assert "Пацвердзіць" in page
    assert_none_of(page, "Set up", "scan this code", "Enter the code")
    wrong = staff_client.post("/admin/two-factor/", {"token": "000000"}).content.decode()
    assert "Код няправільны." in wrong and "not right" not in wrong


def test_staff_choose_the_language_before_enrolling(client, django_user_model, settings):
    """Staff who must set up two-factor sign-in first can switch that page to Belarusian
    (it is the only page their session opens); someone signed out cannot choose."""
    settings.REQUIRE_2FA = True
    user = make_staff(django_user_model, "new-be")
    anonymous = Client()
    anonymous.post("/admin/language/", {"language": "be", "next": "/admin/"})
    assert "admin_language" not in anonymous.session
    client.force_login(user)
    page = client.get("/admin/two-factor/").content.decode()
    assert 'id="admin-language"' in page and "Staff sign in with their password" in page
    speaking(client, "be")
    page = client.get("/admin/two-factor/").content.decode()
    assert "Супрацоўнікі ўваходзяць з паролем і кодам з праграмы-аўтэнтыфікатара" in page
    assert "Выйсці" in page and "Staff sign in" not in page


def test_adding_an_authenticator_in_russian(client, django_user_model, settings):
    """Staff with an authenticator who add another read how many they have, in Russian."""
    settings.REQUIRE_2FA = True
    user = make_staff(django_user_model, "ed-ru", role="Publisher")
    verified_session(client, user)
    speaking(client, "ru")
    page = client.get("/admin/two-factor/").content.decode()
    assert "Вы уже входите с 1 приложением-аутентификатором." in page
    assert "already sign in" not in page
    device = user.totpdevice_set.get(confirmed=False)
    done = client.post("/admin/two-factor/", {"token": code_for(device)}, follow=True)
    assert "Приложение-аутентификатор настроено." in done.content.decode()


# Names to review


def test_names_to_review_in_belarusian(staff_client, live):  # noqa: F811
    """The queue, its actions and the message after ignoring a name are Belarusian."""
    make_item(
        make_section(live, title="Meetings"),
        body="<p>Ivan Unknownovich met Zmitser Newname in Vilnius.</p>",
    )
    speaking(staff_client, "be")
    page = staff_client.get("/admin/people/nametoreview/").content.decode()
    assert "Ivan Unknownovich" in page
    assert "Імёны з тэксту дайджэстаў" in page and "Сустракаецца" in page
    assert "Новы чалавек" in page and "Ігнараваць выбраныя імёны" in page
    assert_none_of(page, "Names found in digest text", "New person", "Ignore the selected")
    done = staff_client.post(
        "/admin/people/nametoreview/", {"ignore": "Ivan Unknownovich"}, follow=True
    )
    assert "Праігнараваны «Ivan Unknownovich»" in done.content.decode()
    alias = staff_client.get("/admin/people/nametoreview/alias/?text=Zmitser+Newname")
    assert "Дадаць як іншае імя" in alias.content.decode()
    assert "The name becomes" not in alias.content.decode()


# CSV import of people and organizations


def test_csv_import_in_belarusian(staff_client):
    """The upload page, the preview of what the file does and the message after saving."""
    speaking(staff_client, "be")
    page = staff_client.get(CSV_IMPORT).content.decode()
    assert "Загрузіце файл CSV (UTF-8)" in page and "Upload a CSV file" not in page
    preview = upload(staff_client, CSV_IMPORT, REGISTRY.read_bytes(), "registry.csv")
    html = preview.content.decode()
    assert "Імпарт гэтага файла створыць: людзей — 3, арганізацый — 2" in html
    assert "Што зробіць імпарт" in html and "новы запіс" in html and "Імпартаваць" in html
    assert_none_of(html, "Importing this file creates", "What the import does", ">new<")
    saved = staff_client.post(CSV_IMPORT, confirm_data(preview, "source", "filename"), follow=True)
    assert (
        "Створана людзей — 3, арганізацый — 2; абноўлена — 0; дададзена іншых імёнаў — 10."
        in saved.content.decode()
    )


def test_csv_import_problems_in_belarusian(staff_client):
    """Each problem of a bad file is listed with its line, in Belarusian."""
    speaking(staff_client, "be")
    bad = (FIXTURES / "entities" / "multiline.csv").read_bytes()
    html = upload(staff_client, CSV_IMPORT, bad, "m.csv").content.decode()
    assert "Файл немагчыма імпартаваць:" in html and "Нічога не захавана." in html
    assert "m.csv:5: у калонцы kind — «persona»; там павінна быць «person» або «organization»" in (
        html
    )
    assert_none_of(html, "cannot be imported", "must be “person”")
    unreadable = upload(staff_client, CSV_IMPORT, b"kind,name\n\xff\n", "x.csv").content.decode()
    assert (
        "x.csv:2: файл не ў кадзіроўцы UTF-8 (байт 0xff немагчыма прачытаць); "
        "захавайце яго яшчэ раз як CSV UTF-8" in unreadable
    )


def test_csv_import_problems_in_russian(staff_client):
    """A header with an unknown column, and a row with too many fields, in Russian."""
    speaking(staff_client, "ru")
    header = upload(staff_client, CSV_IMPORT, b"kind,name,wrong\n", "h.csv").content.decode()
    assert "h.csv:1: неизвестный столбец «wrong»; столбцы: kind, name" in header
    rows = upload(
        staff_client, CSV_IMPORT, b"kind,name\nperson,A,B\nperson,C\n", "r.csv"
    ).content.decode()
    assert "r.csv:2: в строке 3 поля, а в заголовке 2" in rows
    assert "the row has" not in rows


def test_csv_command_stays_english(tmp_path):
    """`import_entities` reports the same problem in English."""
    bad = tmp_path / "m.csv"
    bad.write_bytes((FIXTURES / "entities" / "multiline.csv").read_bytes())
    with pytest.raises(CommandError, match="kind is “persona”"):
        call_command("import_entities", str(bad))
