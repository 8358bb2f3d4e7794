"""import_entities and the admin CSV upload: what gets written, and what is refused."""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from people.entity_csv import import_entities
from people.models import Alias, Organization, Person
from people.signals import names_changed
from tests.factories import make_digest, make_item, make_person, make_section

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "entities"
REGISTRY = FIXTURES / "registry.csv"


def run(path, *args):
    """Run import_entities; return its output lines."""
    out = StringIO()
    call_command("import_entities", str(path), *args, stdout=out)
    return out.getvalue().splitlines()


def counts():
    return [Person.objects.count(), Organization.objects.count(), Alias.objects.count()]


def names(entity):
    return [a.text for a in entity.aliases.all()]


@pytest.fixture
def signals_sent():
    """Every names_changed notification sent while the test runs, as (names, entities)."""
    calls = []

    def handler(sender, names, entities, **kwargs):
        calls.append((set(names), set(entities)))

    names_changed.connect(handler)
    try:
        yield calls
    finally:
        names_changed.disconnect(handler)


# Creating and updating


def test_valid_file_creates_people_and_organizations():
    """A registry file creates its people and organizations with every spelling and acronym."""
    lines = run(REGISTRY)
    assert lines[-1] == "Created 3 people, 2 organizations; updated 0; added 10 aliases."
    lukashenko = Person.objects.get(slug="alexander-lukashenko")
    assert names(lukashenko) == [
        "Alexander Lukashenko",
        "Lukashenko",
        "Lukashenka",
        "Лукашенко",
        "Лукашэнка",
    ]
    assert lukashenko.short_description == "Head of the regime in Minsk"
    tsikhanouskaya = Person.objects.get(name="Sviatlana Tsikhanouskaya")
    assert tsikhanouskaya.slug == "sviatlana-tsikhanouskaya"
    assert tsikhanouskaya.short_description == "Leader of democratic Belarus, in exile"
    assert "Святлана Ціханоўская" in names(tsikhanouskaya)
    nam = Organization.objects.get(slug="national-anti-crisis-management")
    assert names(nam) == [
        "National Anti-Crisis Management",
        "NAM",
        "NAU",
        "National Anti-Crisis Administration",
    ]
    assert nam.description == "Democratic institution headed by Pavel Latushka"
    assert Organization.objects.filter(name="Coordination Council").exists()
    assert any("Created person “Alexander Lukashenko”" in line for line in lines)


def test_importing_the_same_file_again_creates_nothing():
    """Importing a registry twice leaves exactly one copy of everyone and reports 0 created."""
    run(REGISTRY)
    before = counts()
    stamps = list(Alias.objects.order_by("pk").values_list("updated_at", flat=True))
    lines = run(REGISTRY)
    assert lines[-1] == "Created 0 people, 0 organizations; updated 0; added 0 aliases."
    assert counts() == before
    assert list(Alias.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_second_file_adds_new_alias_to_existing_person():
    """A later file with a new spelling adds it to the person already there, keeping the rest."""
    run(REGISTRY)
    latushka = Person.objects.get(name="Pavel Latushka")
    lines = run(FIXTURES / "update.csv")
    assert lines[-1] == "Created 0 people, 0 organizations; updated 2; added 2 aliases."
    assert Person.objects.filter(name="Pavel Latushka").count() == 1
    assert names(Person.objects.get(pk=latushka.pk)) == [
        "Pavel Latushka",
        "Павел Латушка",
        "Latushka",
    ]
    assert "KR" in names(Organization.objects.get(name="Coordination Council"))


def test_row_found_by_alias_renames_and_keeps_old_name(tmp_path):
    """A row matching a person by an alias renames them; the old name keeps linking as an alias."""
    run(REGISTRY)
    csv = tmp_path / "rename.csv"
    csv.write_text("kind,name,aliases,description\nperson,Aliaksandr Lukashenka,Лукашенко,\n")
    lines = run(csv)
    assert lines[-1] == "Created 0 people, 0 organizations; updated 1; added 1 aliases."
    person = Person.objects.get(slug="alexander-lukashenko")
    assert person.name == "Aliaksandr Lukashenka"
    assert person.short_description == "Head of the regime in Minsk"  # empty cell: kept
    assert "Alexander Lukashenko" in names(person)
    assert "Lukashenka" in names(person)


def test_slug_picks_the_entity_and_sets_description(tmp_path):
    """A row with a slug updates that entity, and its description replaces the old one."""
    run(REGISTRY)
    csv = tmp_path / "slug.csv"
    csv.write_text(
        "kind,slug,name,description\n"
        "organization,coordination-council,Coordination Council,Belarus's representative body\n"
    )
    assert run(csv)[-1] == "Created 0 people, 0 organizations; updated 1; added 0 aliases."
    council = Organization.objects.get(slug="coordination-council")
    assert council.description == "Belarus's representative body"


def test_person_and_organization_may_share_a_slug(tmp_path):
    """Slugs are per kind: a person's slug never matches, or blocks, an organization's."""
    make_person("Zianon Pazniak", slug="pazniak")
    csv = tmp_path / "slugs.csv"
    csv.write_text("kind,name,slug\norganization,Pazniak Foundation,pazniak\n")
    run(csv)
    assert Organization.objects.get(slug="pazniak").name == "Pazniak Foundation"
    assert Person.objects.get(slug="pazniak").name == "Zianon Pazniak"


def test_slug_given_in_the_file_is_never_taken_by_another_row(tmp_path):
    """A slug the file gives one row is not handed to an earlier row's generated slug."""
    csv = tmp_path / "slugs.csv"
    csv.write_text(
        "kind,name,slug\nperson,Pavel Latushka,\nperson,Pavel Latushka Sr.,pavel-latushka\n"
    )
    run(csv)
    assert Person.objects.get(slug="pavel-latushka").name == "Pavel Latushka Sr."
    assert Person.objects.get(name="Pavel Latushka").slug == "pavel-latushka-2"


def test_organization_description_keeps_its_paragraphs():
    """A multi-line description is saved with its line breaks, the same from any source."""
    good = (FIXTURES / "multiline.csv").read_text().replace("persona", "person")
    import_entities(good.replace("\n", "\r\n"), filename="browser.csv")
    center = Organization.objects.get(name="Belarusian Solidarity Center")
    assert center.description == "Community centre in Warsaw.\nOpen every day;\nalso online."


# Refusals: every problem with its line, and nothing written


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        (
            "clash-existing.csv",
            ":2:",
            "“Лукашенко” already belongs to person “Alexander Lukashenko”",
        ),
        (
            "clash-rows.csv",
            ":4:",
            "“BAJ” is also a name on line 2 (organization “Belarusian Association of Journalists”)",
        ),
        ("multiline.csv", ":5:", "kind is “persona”"),
        ("unknown-kind.csv", ":3:", "kind is “people”"),
        ("missing-column.csv", ":1:", "missing required column “name”"),
        ("empty.csv", ": ", "the file is empty"),
    ],
    ids=["clash-existing", "clash-rows", "multiline", "unknown-kind", "missing-column", "empty"],
)
def test_bad_file_names_the_line_and_writes_nothing(name, where, words):
    """A bad row is reported as FILE:LINE with the reason, and the registry is left untouched."""
    run(REGISTRY)
    before = counts()
    path = FIXTURES / name
    with pytest.raises(CommandError) as excinfo:
        run(path)
    message = str(excinfo.value)
    assert message.startswith(f"{path}{where}"), message
    assert words in message
    assert message.endswith("nothing was written.")
    assert counts() == before


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        (b"kind,name\nperson,Maksim Znak\nperson,Bad \xff\xfe name\n", ":3:", "not UTF-8"),
        (b"kind,name\nperson,Maksim Znak\n\x00\x01\x02", ":3:", "binary"),
        (b"kind,name,aliases,notes\nperson,Maksim Znak,,\n", ":1:", "unknown column “notes”"),
        (b"kind,name\n", ": ", "no rows"),
        (b"kind,name,slug\nperson,Maksim Znak,maksim znak\n", ":2:", "not a valid slug"),
        (b"kind,name\nperson,\n", ":2:", "the name is empty"),
        (b"kind,name\nperson," + b"x" * 201 + b"\n", ":2:", "too long"),
        (b"kind,name\nperson,Maksim Znak,extra\n", ":2:", "3 fields"),
        (b'kind,name\nperson,"Maksim Znak\n', ":2:", "never closed"),
        (
            b"kind,name,aliases\nperson,Maksim Znak,Znak\nperson,Maksim Znak,M. Znak\n",
            ":3:",
            "also a name on line 2",
        ),
        (
            b"kind,name,slug\nperson,Maksim Znak,znak\nperson,M. Znak,znak\n",
            ":3:",
            "line 2 already imports the person with slug “znak”",
        ),
        (
            b"kind,name,slug\nperson,Alexander Lukashenko,\nperson,Lukashenka,\n",
            ":3:",
            "line 2 already imports person “Alexander Lukashenko”",
        ),
        (
            b"kind,name,description\nperson,Maksim Znak," + b"y" * 201 + b"\n",
            ":2:",
            "a person's description is at most 200 characters",
        ),
        (
            b"kind,name\norganization,Lukashenko\n",
            ":2:",
            "“Lukashenko” already belongs to person “Alexander Lukashenko”",
        ),
        (
            b"kind,name,slug\nperson,Lukashenko,lukashenko\n",
            ":2:",
            "Its slug is “alexander-lukashenko”",
        ),
    ],
    ids=[
        "not-utf8",
        "binary",
        "extra-column",
        "header-only",
        "bad-slug",
        "empty-name",
        "name-too-long",
        "too-many-fields",
        "unclosed-quote",
        "same-name-twice",
        "same-slug-twice",
        "same-entity-twice",
        "description-too-long",
        "name-of-other-kind",
        "slug-that-does-not-match",
    ],
)
def test_bad_content_names_the_line_and_writes_nothing(tmp_path, content, where, words):
    """Each kind of broken file gets a FILE:LINE message saying what is wrong; nothing written."""
    run(REGISTRY)
    before = counts()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        run(bad)
    message = str(excinfo.value)
    assert message.startswith(f"{bad}{where}"), message
    assert words in message
    assert counts() == before


def test_every_bad_row_is_listed_in_file_order(tmp_path):
    """All problems in a file are reported at once, in line order, not just the first."""
    run(REGISTRY)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,name,aliases\n"
        "person,Somebody New,NAM\n"  # 2: clash with an existing organization
        "thing,Something,\n"  # 3: unknown kind
        "person,Fine Person,\n"  # 4: fine
        "person,,\n"  # 5: empty name
    )
    before = counts()
    with pytest.raises(CommandError) as excinfo:
        run(bad)
    lines = str(excinfo.value).splitlines()
    assert [line.split(":")[1] for line in lines[:-1]] == ["2", "3", "5"]
    assert lines[-1] == "3 errors: nothing was written."
    assert counts() == before


def test_long_error_list_is_cut_short(tmp_path):
    """A file with hundreds of bad rows shows the first twenty and how many more there are."""
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,name\n" + "thing,Name\n" * 50)
    with pytest.raises(CommandError) as excinfo:
        run(bad)
    lines = str(excinfo.value).splitlines()
    assert len(lines) == 22
    assert lines[-2] == "… and 30 more."
    assert lines[-1] == "50 errors: nothing was written."


def test_dry_run_writes_nothing():
    """--dry-run says what would change and leaves the registry untouched."""
    lines = run(REGISTRY, "--dry-run")
    assert counts() == [0, 0, 0]
    assert any(line.startswith("Would create person “Alexander Lukashenko”") for line in lines)
    assert lines[-1] == (
        "Dry run, nothing was written: would create 3 people, 2 organizations; "
        "update 0; add 10 aliases."
    )


def test_missing_file_is_a_clear_error(tmp_path):
    """A mistyped path is reported as such."""
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.csv")


# Relinking


def test_names_changed_is_sent_once_for_the_whole_import(signals_sent):
    """Items naming imported people are relinked once after the import, not once per name."""
    run(REGISTRY)
    assert len(signals_sent) == 1
    sent_names, entities = signals_sent[0]
    assert {"Alexander Lukashenko", "Лукашенко", "NAM", "NAU", "Coordination Council"} <= sent_names
    assert ("organization", Organization.objects.get(name="Coordination Council").pk) in entities
    assert len(entities) == 5

    signals_sent.clear()
    run(FIXTURES / "update.csv")
    assert len(signals_sent) == 1
    assert {"Latushka", "KR"} <= signals_sent[0][0]


def test_no_names_changed_when_nothing_is_written(signals_sent):
    """A refused file, a dry run or an unchanged re-import relinks nothing."""
    run(REGISTRY, "--dry-run")
    with pytest.raises(CommandError):
        run(FIXTURES / "clash-rows.csv")
    assert signals_sent == []
    run(REGISTRY)
    signals_sent.clear()
    run(REGISTRY)
    assert signals_sent == []


def test_existing_items_link_the_imported_names():
    """An item written before the import links the names the import brings in."""
    item = make_item(make_section(make_digest()), body="<p>The NAU met Лукашенко's envoy.</p>")
    assert "mention" not in item.body_html
    run(REGISTRY)
    item.refresh_from_db()
    assert '<a class="mention" href="/organizations/national-anti-crisis-management/">NAU</a>' in (
        item.body_html
    )
    assert "/people/alexander-lukashenko/" in item.body_html


# Admin upload

IMPORT_URL = "/admin/people/person/import/"


def upload(client, content, name="registry.csv", url=IMPORT_URL):
    return client.post(url, {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_admin_upload_preview_then_confirm(staff_client):
    """Staff upload a CSV, see what will be created with the aliases, then save it."""
    changelist = staff_client.get("/admin/people/person/").content.decode()
    assert "Import from CSV" in changelist and IMPORT_URL in changelist
    preview = upload(staff_client, REGISTRY.read_bytes())
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Sviatlana Tsikhanouskaya" in html and "Лукашенко" in html and "NAM, NAU" in html
    assert "creates 3 people and 2 organizations" in html
    assert counts() == [0, 0, 0]  # nothing saved yet
    confirm = {k: preview.context["confirm"].initial[k] for k in ("source", "filename")}
    response = staff_client.post(IMPORT_URL, confirm, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/people/person/"
    assert "Created 3 people, 2 organizations; updated 0; added 10 aliases." in (
        response.content.decode()
    )
    assert counts() == [3, 2, 15]


def test_admin_upload_from_organizations_returns_there(staff_client):
    """The organization list has the same upload, and returns to the organization list."""
    url = "/admin/people/organization/import/"
    assert url in staff_client.get("/admin/people/organization/").content.decode()
    preview = upload(staff_client, REGISTRY.read_bytes(), url=url)
    confirm = {k: preview.context["confirm"].initial[k] for k in ("source", "filename")}
    response = staff_client.post(url, confirm)
    assert response["Location"] == "/admin/people/organization/"
    assert Organization.objects.count() == 2


def test_admin_preview_shows_updates(staff_client):
    """The preview of a file that changes existing entries says which and how."""
    run(REGISTRY)
    html = upload(staff_client, (FIXTURES / "update.csv").read_bytes()).content.decode()
    assert "updates 2 and adds 2 aliases" in html
    assert "Latushka" in html and "KR" in html


def test_admin_bad_file_shows_line_errors_and_creates_nothing(staff_client):
    """A bad file is refused with each problem and its line; nothing is saved, no confirm."""
    run(REGISTRY)
    before = counts()
    response = upload(staff_client, (FIXTURES / "multiline.csv").read_bytes(), name="m.csv")
    html = response.content.decode()
    assert response.status_code == 200
    assert "m.csv:5: kind is “persona”" in html
    assert "confirm" not in response.context
    assert counts() == before


def test_admin_confirm_revalidates(staff_client):
    """If the registry changed between preview and confirm, the confirm refuses and says why."""
    preview = upload(staff_client, REGISTRY.read_bytes())
    confirm = {k: preview.context["confirm"].initial[k] for k in ("source", "filename")}
    make_person("Somebody Else", slug="somebody-else").aliases.create(text="NAU")
    response = staff_client.post(IMPORT_URL, confirm)
    assert response.status_code == 200
    assert "registry.csv:5: “NAU” already belongs to person “Somebody Else”" in (
        response.content.decode()
    )
    assert counts() == [1, 0, 2]


def test_admin_upload_rejects_non_utf8(staff_client):
    """A file saved in a legacy encoding is refused with the line of the first bad byte."""
    response = upload(staff_client, "kind,name\nperson,Лукашенко\n".encode("cp1251"))
    assert "registry.csv:2: the file is not UTF-8" in response.content.decode()
    assert counts() == [0, 0, 0]


def test_admin_upload_larger_than_1mb_is_refused(staff_client):
    """A file over 1 MB is refused before it is read."""
    response = upload(staff_client, b"kind,name\n" + b"person,x\n" * 120_000)
    assert "larger than 1 MB" in response.content.decode()
    assert counts() == [0, 0, 0]


def test_admin_import_needs_add_permission_for_both_kinds(client, django_user_model):
    """Staff who may not add people and organizations cannot import, and see no link."""
    user = django_user_model.objects.create_user("viewer", password="pw-12345678", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_person"),
        Permission.objects.get(codename="add_person"),
    )
    client.force_login(user)
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, REGISTRY.read_bytes()).status_code == 403
    assert "Import from CSV" not in client.get("/admin/people/person/").content.decode()
    assert counts() == [0, 0, 0]


def test_admin_import_without_change_permission_only_adds(client, django_user_model):
    """Staff who may add but not change entries can import new ones, never alter existing ones."""
    run(REGISTRY)
    user = django_user_model.objects.create_user("adder", password="pw-12345678", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_person", "add_organization"])
    )
    client.force_login(user)
    update = (FIXTURES / "update.csv").read_bytes()
    html = upload(client, update, name="update.csv").content.decode()
    assert "update.csv:2: this would change person “Pavel Latushka”" in html
    preview = upload(client, REGISTRY.read_bytes())  # unchanged rows are fine
    assert preview.context["confirm"] is not None
