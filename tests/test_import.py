"""The import command and the admin upload: what gets written, and what is refused."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from digests.models import Digest, Item, Mention, Section, SocialMetric, Status
from tests.factories import make_digest, make_person
from tests.test_import_parser import SAMPLE_METRICS, SAMPLE_SECTIONS

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SAMPLE = FIXTURES / "news-digest-2025-12-31.txt"


def run(*args):
    """Run import_digest; return (stdout, stderr)."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_digest", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return [m.objects.count() for m in (Digest, Section, Item, SocialMetric)]


def test_sample_imports_as_draft_with_structure_and_figures():
    """Staff get the whole sample digest — sections, items, figures as numbers — in one step."""
    out, err = run(SAMPLE)
    digest = Digest.objects.get()
    assert out.strip().splitlines()[-1] == "/digests/news-digest-31-december-2025/"
    assert (digest.title, str(digest.date), digest.status) == (
        "News digest 31 December 2025",
        "2025-12-31",
        Status.DRAFT,
    )
    assert [s.title for s in digest.sections.all()] == SAMPLE_SECTIONS
    assert [s.items.count() for s in digest.sections.all()] == [1, 6, 1, 1, 1, 0]
    views = list(digest.metrics.order_by("pk").values_list("platform", "views"))
    assert views == SAMPLE_METRICS
    social_item = digest.sections.get(order=3).items.get()
    assert set(digest.metrics.values_list("item", flat=True)) == {social_item.pk}
    assert {
        (m.period_start.isoformat(), m.period_end.isoformat()) for m in digest.metrics.all()
    } == {("2025-01-01", "2025-12-31")}
    assert "taken as a section heading" in err


def test_imported_digest_reads_like_the_original(client):
    """The published import shows the sample's sections, lists and typography on the site."""
    out, _ = run(SAMPLE, "--publish")
    html = client.get(out.strip().splitlines()[-1]).content.decode()
    assert (
        '<h2 id="analytical-and-reading-materials-title">Analytical and reading materials</h2>'
        in html
    )
    assert "<p>Record-breaking posts in 2025 included:</p>" in html
    assert "<li>YouTube Shorts:&nbsp;333K views — Zelensky revealed" in html
    assert "<ol><li>The text&nbsp;is about Pavel Latushka’s meeting" in html
    assert "“Yalinka at the Museum of Free Belarus”" in html
    # The empty last section is left out of the page and its contents.
    assert "Interviews and articles in international media" not in html
    assert "top of page" not in html and ">ree<" not in html and "Comments" not in html


def test_reimport_changes_nothing_and_keeps_anchors():
    """Importing the same file twice creates no duplicates and keeps item links stable."""
    run(SAMPLE)
    before = counts()
    ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    anchors = list(Item.objects.order_by("pk").values_list("anchor", flat=True))
    out, _ = run(SAMPLE)
    assert "Unchanged" in out
    assert counts() == before
    assert list(Item.objects.order_by("pk").values_list("pk", flat=True)) == ids
    assert list(Item.objects.order_by("pk").values_list("anchor", flat=True)) == anchors


def test_reimport_of_changed_file_updates_in_place(tmp_path):
    """A corrected export updates the digest it created, keeping item anchors."""
    run(SAMPLE)
    ids = list(Item.objects.order_by("pk").values_list("pk", flat=True))
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(
        SAMPLE.read_text().replace("123 political prisoners", "124 political prisoners")
    )
    out, _ = run(corrected)
    assert "Updated" in out
    assert Digest.objects.count() == 1
    assert list(Item.objects.order_by("pk").values_list("pk", flat=True)) == ids
    assert "124 political prisoners" in Item.objects.get(pk=ids[0]).body


def test_staff_edits_are_never_silently_overwritten():
    """After an editor changes an imported digest, a re-import refuses and says why."""
    run(SAMPLE)
    item = Item.objects.order_by("pk").first()
    item.body = "<p>Rewritten by the editor.</p>"
    item.save()
    with pytest.raises(CommandError, match="edited in the admin after it was imported"):
        run(SAMPLE)
    item.refresh_from_db()
    assert item.body == "<p>Rewritten by the editor.</p>"
    run(SAMPLE, "--replace")
    item.refresh_from_db()
    assert "We are grateful" in item.body


def test_digest_written_in_admin_is_not_overwritten():
    """A digest staff wrote by hand with the same address is never replaced by an import."""
    make_digest(title="News digest 31 December 2025", slug="news-digest-31-december-2025")
    with pytest.raises(CommandError, match="written in the admin, not imported"):
        run(SAMPLE)
    assert Section.objects.count() == 0


def test_figure_links_added_by_staff_survive_reimport():
    """People staff linked to an imported figure stay linked when the file is imported again."""
    run(SAMPLE)
    metric = SocialMetric.objects.order_by("pk").first()
    person = make_person("Pavel Latushka")
    metric.people.add(person)
    run(SAMPLE)
    assert list(SocialMetric.objects.order_by("pk").first().people.all()) == [person]


def test_publish_flag_and_published_digest_stays_published():
    """--publish makes the digest public; a later plain re-import does not unpublish it."""
    run(SAMPLE, "--publish")
    assert Digest.objects.published().count() == 1
    run(SAMPLE)
    assert Digest.objects.published().count() == 1


def test_dry_run_writes_nothing():
    """--dry-run reports what would be imported and leaves the database untouched."""
    out, _ = run(SAMPLE, "--dry-run")
    assert "Dry run: nothing was written." in out
    assert counts() == [0, 0, 0, 0]


def test_json_output_is_one_object():
    """--json prints the parsed structure as one JSON object with numbers as integers."""
    out, _ = run(SAMPLE, "--dry-run", "--json")
    data = json.loads(out)
    assert set(data) >= {"title", "date", "sections", "metrics"}
    assert data["date"] == "2025-12-31"
    assert data["metrics"][0] == {
        "platform": "x",
        "views": 2000000,
        "topic": data["metrics"][0]["topic"],
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
    }
    assert set(data["sections"][0]["items"][0]) == {"title", "text"}
    written = json.loads(run(SAMPLE, "--json")[0])
    assert written["url"] == "/digests/news-digest-31-december-2025/"


@pytest.mark.parametrize(
    ("content", "where", "words"),
    [
        (b"", ":", "empty"),
        (b"top of page\n\nA heading without a date\n\nText.\n", ":3:", "date"),
        (b"News digest 1 May 2025\n\nSection\n\n\x00\x01binary\n", ":", "binary"),
        (b"News digest 1 May 2025\n\nSection\n\nBad " + b"\xff\xfe\n", ":5:", "UTF-8"),
        (b"top of page\n\nree\n\nComments\n\nbottom of page\n", ":", "only"),
    ],
    ids=["empty", "no-title", "binary", "not-utf8", "only-artefacts"],
)
def test_bad_input_one_clear_error_nothing_written(tmp_path, content, where, words):
    """A broken export gets one message naming the file and line, and writes nothing."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError) as excinfo:
        run(bad)
    message = str(excinfo.value)
    assert message.startswith(str(bad) + where), message
    assert words.lower() in message.lower()
    assert counts() == [0, 0, 0, 0]


def test_missing_file_is_a_clear_error(tmp_path):
    """A mistyped path is reported as such."""
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.txt")


@pytest.mark.parametrize(
    "name",
    ["byte-order-mark.txt", "windows-line-endings.txt", "cyrillic.txt", "several-metrics.txt"],
)
def test_edge_case_fixtures_import(name):
    """Exports with a BOM, Windows line endings, Cyrillic text or many figures import cleanly."""
    run(FIXTURES / name)
    digest = Digest.objects.get()
    assert digest.sections.exists()
    assert not digest.title.startswith("\ufeff")


CONTROL_CHARACTERS = ["\x0b", "\x1b", "\x7f", "\x85", "\ufffe"]


def stored_text(*models):
    """Every value of every text field of every row of `models`."""
    for model in models:
        fields = [
            f.attname for f in model._meta.concrete_fields if f.get_internal_type() in TEXT_TYPES
        ]
        for row in model.objects.values_list(*fields):
            yield from row


TEXT_TYPES = {"CharField", "TextField", "SlugField", "URLField"}


def test_import_drops_control_characters(tmp_path):
    """An export with control characters in titles and text imports without them (they
    would break the feeds)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    dirty = [
        line.replace(" ", " \x0b", 1) + "\x1b" if len(line) > 20 else line for line in lines[:40]
    ]
    path = tmp_path / "dirty.txt"
    path.write_text("\n".join(dirty + lines[40:]) + "\n\x7f\x85\ufffe\n", encoding="utf-8")
    run(path)
    assert Item.objects.exists()
    for value in stored_text(Digest, Section, Item, SocialMetric, Mention):
        assert not any(c in value for c in CONTROL_CHARACTERS), repr(value)


# Admin upload


def upload(staff_client, content, name="export.txt", **extra):
    return staff_client.post(
        "/admin/digests/digest/import/", {"file": SimpleUploadedFile(name, content), **extra}
    )


def test_admin_upload_preview_then_confirm(staff_client):
    """Staff upload an export, see sections, figures and decisions, then save it."""
    assert "Import digest" in staff_client.get("/admin/digests/digest/").content.decode()
    preview = upload(staff_client, SAMPLE.read_bytes(), name="news.txt", publish="on")
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Interviews and articles in international media" in html
    assert "1,020,000" in html
    assert "taken as a section heading" in html
    assert counts() == [0, 0, 0, 0]  # nothing saved yet
    confirm = {k: preview.context["confirm"].initial[k] for k in ("source", "filename", "publish")}
    response = staff_client.post("/admin/digests/digest/import/", confirm)
    digest = Digest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/digests/digest/{digest.pk}/change/"
    assert digest.is_public
    assert digest.metrics.count() == 11
    assert digest.import_source == "news.txt"


def test_admin_upload_bad_file_shows_error(staff_client):
    """A broken export is refused in the form with the file and line, and nothing is saved."""
    response = upload(staff_client, b"Just some words\n\nMore words.\n", name="notes.txt")
    assert response.status_code == 200
    assert "notes.txt:1:" in response.content.decode()
    assert counts() == [0, 0, 0, 0]


def test_admin_upload_conflict_needs_explicit_replace(staff_client):
    """When staff edited the imported digest, the preview warns and saving needs a tick."""
    run(SAMPLE)
    item = Item.objects.order_by("pk").first()
    item.body = "<p>Edited.</p>"
    item.save()
    preview = upload(staff_client, SAMPLE.read_bytes())
    assert "edited in the admin after it was imported" in preview.content.decode()
    confirm = {k: preview.context["confirm"].initial[k] for k in ("source", "filename")}
    staff_client.post("/admin/digests/digest/import/", confirm)
    item.refresh_from_db()
    assert item.body == "<p>Edited.</p>"
    staff_client.post("/admin/digests/digest/import/", {**confirm, "replace": "on"})
    item.refresh_from_db()
    assert "We are grateful" in item.body


def test_admin_import_needs_add_permission(client, django_user_model):
    """Staff who may not add digests cannot import them."""
    user = django_user_model.objects.create_user("viewer", password="pw-12345678", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/digests/digest/import/").status_code == 403


def test_concurrent_import_of_one_file_ends_cleanly(monkeypatch):
    """Two imports of the same file at the same moment both end with a plain message: the later
    one finds the digest the earlier one created, and nothing is duplicated."""
    from digests import importing

    run(SAMPLE)
    before = counts()
    real, calls = importing.find_existing, []

    def not_yet_committed(parsed):  # the other run had not committed when this one looked
        calls.append(parsed)
        return None if len(calls) == 1 else real(parsed)

    monkeypatch.setattr(importing, "find_existing", not_yet_committed)
    out, _ = run(SAMPLE)
    assert "Unchanged" in out
    assert counts() == before


def test_import_that_keeps_colliding_gets_one_line(monkeypatch):
    """If an import keeps colliding with another one, it stops with a one-line message and
    writes nothing."""
    from digests import importing

    run(SAMPLE)
    before = counts()
    monkeypatch.setattr(importing, "find_existing", lambda parsed: None)
    with pytest.raises(CommandError) as excinfo:
        run(SAMPLE)
    assert "at the same time" in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
    assert counts() == before


# The whole archive: several files or a folder


def archive(tmp_path, *names, extra=()):
    """A folder holding copies of the named fixtures plus (name, bytes) pairs."""
    folder = tmp_path / "archive"
    folder.mkdir()
    for name in names:
        (folder / name).write_bytes((FIXTURES / name).read_bytes())
    for name, content in extra:
        (folder / name).write_bytes(content)
    return folder


def test_folder_imports_every_txt_file_in_name_order(tmp_path):
    """Staff importing the archive would get files skipped, out of order or without progress."""
    folder = archive(
        tmp_path, "several-metrics.txt", "cyrillic.txt", SAMPLE.name, extra=[("notes.md", b"x")]
    )
    out, _ = run(folder)
    lines = out.splitlines()
    assert lines[0] == (
        f"[1/3] {folder / 'cyrillic.txt'}: created draft “Дайджэст навін 2025-11-30” "
        f"{Digest.objects.get(date='2025-11-30').get_absolute_url()}"
    )
    assert lines[1].startswith(f"[2/3] {folder / SAMPLE.name}: created draft “News digest 31")
    assert lines[2].startswith(f"[3/3] {folder / 'several-metrics.txt'}: created draft")
    assert lines[-1] == "3 files: 3 created, 0 updated, 0 unchanged, 0 refused."
    assert Digest.objects.count() == 3


def test_several_files_again_report_unchanged_and_updated(tmp_path):
    """A second run over the archive would duplicate digests or not say what it changed."""
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(SAMPLE.read_text().replace("123 political", "124 political"))
    run(SAMPLE, FIXTURES / "cyrillic.txt")
    out, _ = run(FIXTURES / "cyrillic.txt", corrected)
    assert out.splitlines()[0].startswith(f"[1/2] {FIXTURES / 'cyrillic.txt'}: unchanged “")
    assert out.splitlines()[1].startswith(f"[2/2] {corrected}: updated draft “News digest")
    assert out.splitlines()[-1] == "2 files: 0 created, 1 updated, 1 unchanged, 0 refused."
    assert Digest.objects.count() == 2


def test_refused_files_do_not_stop_the_others(tmp_path):
    """One broken export would stop the archive import, or pass without a non-zero exit."""
    folder = archive(
        tmp_path,
        "cyrillic.txt",
        SAMPLE.name,
        extra=[
            ("a-empty.txt", b""),
            ("b-binary.txt", b"News digest 1 May 2025\n\n\x00\x01\x02"),
            ("c-latin1.txt", b"News digest 1 May 2025\n\nNews\n\nCaf\xe9\n"),
            ("d-undated.txt", b"A weekly digest\n\nNews\n\nStory.\n"),
        ],
    )
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_digest", str(folder), stdout=out, stderr=StringIO())
    assert excinfo.value.returncode == 1
    assert str(excinfo.value) == "4 of 6 files were refused (listed above); the others were read."
    assert [line[:5] for line in out.getvalue().splitlines()[:6]] == [
        f"[{n}/6]" for n in range(1, 7)
    ]
    assert "6 files: 2 created, 0 updated, 0 unchanged, 4 refused." in out.getvalue()
    assert Digest.objects.count() == 2


def test_refusals_are_listed_with_file_line_and_reason(tmp_path):
    """Staff would not learn which file failed, where, and why."""
    folder = archive(
        tmp_path,
        "cyrillic.txt",
        extra=[
            ("a-empty.txt", b""),
            ("b-binary.txt", b"News digest 1 May 2025\n\n\x00\x01\x02"),
            ("c-latin1.txt", b"News digest 1 May 2025\n\nNews\n\nCaf\xe9\n"),
        ],
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_digest", str(folder), stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0] == f"[1/4] {folder / 'a-empty.txt'}: refused: the file is empty"
    assert lines[1].startswith(f"[2/4] {folder / 'b-binary.txt'}: refused at line 3: this is a")
    assert lines[3].startswith(f"[4/4] {folder / 'cyrillic.txt'}: created draft")
    summary = lines[lines.index("4 files: 1 created, 0 updated, 0 unchanged, 3 refused.") :]
    assert summary[1:] == [
        "Refused:",
        f"  {folder / 'a-empty.txt'}: the file is empty",
        f"  {folder / 'b-binary.txt'}:3: this is a binary file (it contains NUL bytes), "
        "not a text export",
        f"  {folder / 'c-latin1.txt'}:5: the file is not UTF-8 text (byte 0xe9 cannot be read); "
        "export it again as UTF-8",
    ]


def test_folder_without_text_files_is_one_refusal(tmp_path):
    """An empty or wrong folder would import nothing and still look like success."""
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cover.jpg").write_bytes(b"\xff\xd8")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 files were refused"):
        call_command("import_digest", str(folder), stdout=out)
    assert f"  {folder}: no .txt files in this folder" in out.getvalue().splitlines()


def test_missing_file_among_several_is_a_refusal(tmp_path):
    """A mistyped name in a list of files would stop the whole import."""
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 files were refused"):
        call_command("import_digest", str(tmp_path / "nope.txt"), str(SAMPLE), stdout=out)
    assert f"  {tmp_path / 'nope.txt'}: no such file or folder" in out.getvalue()
    assert Digest.objects.count() == 1


def test_conflict_in_one_file_is_a_refusal_and_others_import(tmp_path):
    """A digest edited in the admin would be overwritten by an archive run, or stop it."""
    run(SAMPLE)
    item = Item.objects.order_by("pk").first()
    item.body = "<p>Edited.</p>"
    item.save()
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 2 files were refused"):
        call_command("import_digest", str(SAMPLE), str(FIXTURES / "cyrillic.txt"), stdout=out)
    assert "edited in the admin after it was imported" in out.getvalue()
    item.refresh_from_db()
    assert item.body == "<p>Edited.</p>"
    assert Digest.objects.count() == 2


def test_dry_run_over_several_files_writes_nothing(tmp_path):
    """A trial run over the archive would write digests."""
    out, _ = run(SAMPLE, FIXTURES / "cyrillic.txt", "--dry-run")
    assert out.splitlines()[0].startswith(f"[1/2] {SAMPLE}: read: 6 sections, 10 items")
    assert out.splitlines()[-1] == "Dry run: nothing was written. 2 files: 2 readable, 0 refused."
    assert counts() == [0, 0, 0, 0]


def test_json_and_title_need_a_single_file():
    """Options that describe one digest would silently apply to a whole folder."""
    with pytest.raises(CommandError, match="--json prints one digest"):
        run(SAMPLE, FIXTURES / "cyrillic.txt", "--json")
    with pytest.raises(CommandError, match="--title and --date name one digest"):
        run(SAMPLE, FIXTURES / "cyrillic.txt", "--date", "2025-01-01")
    assert counts() == [0, 0, 0, 0]


# A text without a dated title line

UNDATED = "top of page\n\nA calm week overall.\n\nNews\n\nOne story about Minsk.\n"


def test_title_and_date_options_import_a_text_without_title_line(tmp_path):
    """An archived text whose first line has no date could not be imported at all."""
    text = tmp_path / "week-10.txt"
    text.write_text(UNDATED)
    with pytest.raises(CommandError, match=r"week-10.txt:3: no title line"):
        run(text)
    out, _ = run(text, "--title", "Weekly digest", "--date", "2024-03-08")
    digest = Digest.objects.get()
    assert (digest.title, str(digest.date)) == ("Weekly digest", "2024-03-08")
    assert digest.lead == "A calm week overall."
    assert [s.title for s in digest.sections.all()] == ["News"]
    assert out.strip().splitlines()[-1] == digest.get_absolute_url()


@pytest.mark.parametrize("value", ["31/12/2025", "2025-02-30", "yesterday"])
def test_bad_date_option_is_a_clear_error(tmp_path, value):
    """A mistyped --date would be ignored or crash with a traceback."""
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run(SAMPLE, "--date", value)
    assert counts() == [0, 0, 0, 0]


def test_admin_upload_with_title_and_date(staff_client):
    """Staff could not import a text without a dated first line from the admin."""
    refused = upload(staff_client, UNDATED.encode(), name="week.txt")
    assert "week.txt:3: no title line" in refused.content.decode()
    preview = upload(
        staff_client, UNDATED.encode(), name="week.txt", title="Weekly digest", date="2024-03-08"
    )
    html = preview.content.decode()
    assert "Weekly digest" in html and "A calm week overall." in html
    assert counts() == [0, 0, 0, 0]
    initial = preview.context["confirm"].initial
    confirm = {k: initial[k] for k in ("source", "filename", "title", "date")}
    response = staff_client.post("/admin/digests/digest/import/", confirm)
    digest = Digest.objects.get()
    assert response.status_code == 302
    assert (digest.title, str(digest.date), digest.lead) == (
        "Weekly digest",
        "2024-03-08",
        "A calm week overall.",
    )


def test_admin_upload_bad_date_is_a_form_error(staff_client):
    """A mistyped date in the upload form would be ignored or crash."""
    response = upload(staff_client, UNDATED.encode(), date="08/03/2024x")
    assert response.status_code == 200
    assert "Enter a valid date" in response.content.decode()
    assert counts() == [0, 0, 0, 0]
