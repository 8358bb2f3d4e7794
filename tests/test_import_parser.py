import datetime
import json
from pathlib import Path

import pytest

from digests.parsing import DigestImportError, ParsedDigest, parse_digest

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SAMPLE = FIXTURES / "news-digest-2025-12-31.txt"
NBSP = "\u00a0"

SAMPLE_SECTIONS = [
    "Release of political prisoners on 13 December",
    "Crucial meetings and activities",
    "Lukashenko’s Statements Submitted as Evidence to the ICC",
    "Top topics that garnered the most attention on Pavel Latushka and NAU social media in 2025",
    "Analytical and reading materials",
    "Interviews and articles in international media",
]
SAMPLE_METRICS = [
    ("x", 2_000_000),
    ("youtube", 254_000),
    ("youtube", 219_000),
    ("youtube_shorts", 333_000),
    ("tiktok", 1_020_000),
    ("tiktok", 965_000),
    ("instagram", 701_000),
    ("instagram", 600_000),
    ("instagram", 578_000),
    ("instagram", 406_000),
    ("facebook", 520_000),
]


def parse_fixture(name: str) -> ParsedDigest:
    path = FIXTURES / name
    return parse_digest(path.read_bytes(), filename=path.name)


@pytest.fixture(scope="module")
def sample() -> ParsedDigest:
    return parse_digest(SAMPLE.read_bytes(), filename=SAMPLE.name)


def test_sample_title_and_date(sample):
    """The imported digest would get a wrong title or publication date."""
    assert sample.title == "News digest 31 December 2025"
    assert sample.date == datetime.date(2025, 12, 31)
    assert sample.lead == ""


def test_sample_sections_in_order(sample):
    """Sections would be missing, merged, misnamed or out of order after an import."""
    assert [section.title for section in sample.sections] == SAMPLE_SECTIONS
    assert [section.line for section in sample.sections] == [5, 15, 53, 61, 83, 89]


def test_sample_item_counts(sample):
    """Stories would be split or glued together differently from the published page."""
    assert [len(section.items) for section in sample.sections] == [1, 6, 1, 1, 1, 0]
    first = sample.sections[0].items[0]
    assert first.text.count("\n\n") == 2
    assert first.html.count("<p>") == 3
    assert [item.line for item in sample.sections[1].items] == [19, 27, 31, 37, 43, 49]


def test_sample_image_before_heading_starts_next_section(sample):
    """An empty story would appear at the end of "Crucial meetings and activities"."""
    assert sample.sections[1].items[-1].text.startswith("Pavel Latushka")
    icc = sample.sections[2].items[0]
    assert icc.line == 55
    assert icc.text.startswith("The National Anti-Crisis Management")
    assert icc.text.count("\n\n") == 2
    assert any(note.startswith("line 51: image marker") for note in sample.notes)


def test_sample_yalinka_story_is_two_items(sample):
    """The Yalinka story would not be split at its photo as the newsroom laid it out."""
    event, thanks = sample.sections[1].items[4:6]
    assert "“Yalinka at the Museum of Free Belarus”" in event.text
    assert "“Kupalinka”" in event.text
    assert thanks.text.startswith(f"Pavel Latushka{NBSP}thanked all")
    assert "\n\n" not in thanks.text


def test_sample_list_intro_stays_in_social_media_item(sample):
    """'Record-breaking posts in 2025 included:' would become a bogus section heading."""
    (item,) = sample.sections[3].items
    paragraphs = item.text.split("\n\n")
    assert paragraphs[1] == "Record-breaking posts in 2025 included:"
    bullets = paragraphs[2].split("\n")
    assert len(bullets) == 6
    assert bullets[0].startswith(f"• X (Twitter):{NBSP}2M views{NBSP}— ")
    assert all(line.startswith("• ") for line in bullets)
    assert "<p>Record-breaking posts in 2025 included:</p>\n<ul><li>X (Twitter):" in item.html
    assert item.html.count("<li>") == 6
    assert any("line 65:" in note and "kept inside the item" in note for note in sample.notes)
    assert any("line 83:" in note and "trailing colon dropped" in note for note in sample.notes)


def test_sample_reading_materials_numbered_list(sample):
    """The reading list would lose its numbering or keep the "1." markers twice."""
    (item,) = sample.sections[4].items
    assert item.html.startswith("<ol><li>The text")
    assert item.html.count("<li>") == 2
    assert item.text.startswith("1. The text")
    assert "\n2. Pavel Latushka Submitted" in item.text


def test_sample_eleven_platform_figures(sample):
    """Social-media figures would be missing, duplicated or have wrong view counts."""
    assert [(metric.platform, metric.views) for metric in sample.metrics] == SAMPLE_METRICS
    assert all(type(metric.views) is int for metric in sample.metrics)
    assert {(metric.section_index, metric.item_index) for metric in sample.metrics} == {(3, 0)}
    assert [metric.line for metric in sample.metrics] == [67, 69, 69, 71, 73, 73] + [75] * 4 + [77]
    assert sample.metrics[0].label == "X (Twitter)"
    assert sample.metrics[3].label == "YouTube Shorts"


def test_sample_metric_topics_and_period(sample):
    """Figure topics would be cut at the wrong ";" or carry stray punctuation."""
    x = sample.metrics[0]
    assert x.topic == (
        f"Lukashenko’s private trip to Oman{NBSP}and personal enrichment; international "
        f"response{NBSP}by John Coale, Special Representative of U.S. President Donald Trump, "
        "on the release of Ales Bialiatski"
    )
    assert (
        sample.metrics[1].topic
        == "regime unsuccessfully challenged Kazakhstan’s flight restrictions"
    )
    assert sample.metrics[-1].topic == (
        "public acknowledgment by Lukashenko that he lost the 2020 elections"
    )
    for metric in sample.metrics:
        assert metric.period_start == datetime.date(2025, 1, 1)
        assert metric.period_end == datetime.date(2025, 12, 31)


def test_sample_text_kept_byte_for_byte(sample):
    """Non-breaking spaces or typographic quotes would be altered in the imported text."""
    raw_lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    headings = {f"{title}:" for title in SAMPLE_SECTIONS} | set(SAMPLE_SECTIONS)
    artefacts = {"top of page", "bottom of page", "Comments", "ree", sample.title}
    body = "\n".join(item.text for section in sample.sections for item in section.items)
    html = "\n".join(item.html for section in sample.sections for item in section.items)
    for raw in raw_lines:
        line = raw.strip().removeprefix("• ").removeprefix("•")
        line = line.removeprefix("1. ").removeprefix("2. ").strip()
        if line and line not in artefacts and line not in headings:
            assert line in body
    assert f"Mr. Smith{NBSP}for their effective efforts" in body
    assert "labeling them as “enemies.” Pavel Latushka" in body
    assert NBSP in html
    assert "&nbsp;" not in html


def test_sample_as_json_shape(sample):
    """The JSON preview and the --json output would have a different shape or string views."""
    data = sample.as_json()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"title", "date", "language", "lead", "sections", "metrics"}
    assert data["date"] == "2025-12-31"
    assert [section["title"] for section in data["sections"]] == SAMPLE_SECTIONS
    assert set(data["sections"][0]["items"][0]) == {"title", "text"}
    assert data["sections"][5]["items"] == []
    assert data["metrics"][0] == {
        "platform": "x",
        "views": 2_000_000,
        "topic": sample.metrics[0].topic,
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
    }
    assert all(type(metric["views"]) is int for metric in data["metrics"])


def test_parsing_is_deterministic():
    """Re-importing the same file would give a different digest or reordered notes."""
    data = SAMPLE.read_bytes()
    assert parse_digest(data, filename="a.txt") == parse_digest(data, filename="a.txt")
    assert parse_digest(data) == parse_digest(data.decode("utf-8"))


def test_several_figures_in_one_bullet():
    """Second and later figures in a bullet would be lost or glued into the first topic."""
    digest = parse_fixture("several-metrics.txt")
    assert digest.date == datetime.date(2025, 12, 5)
    assert [section.title for section in digest.sections] == [
        "Campaign results",
        "Most watched videos in November 2025",
    ]
    figures = [(m.platform, m.views, m.topic) for m in digest.metrics]
    assert figures == [
        ("instagram", 48_000, "the exhibition of prison letters in Vilnius"),
        ("instagram", 12_500, "a short interview with a volunteer doctor"),
        ("instagram", 3_500, "an archive clip of the 2020 marches"),
        ("telegram", 1_500_000_000, "a figure only a test would ever see"),
        ("x", 905, "a reply thread about visa rules; costs; and queues"),
    ]
    for metric in digest.metrics:
        assert (metric.section_index, metric.item_index) == (1, 0)
        assert metric.period_start == datetime.date(2025, 11, 1)
        assert metric.period_end == datetime.date(2025, 11, 30)


def test_empty_section_in_the_middle():
    """A section with no stories would vanish or swallow the next section's heading."""
    digest = parse_fixture("empty-middle-section.txt")
    assert [(s.title, len(s.items)) for s in digest.sections] == [
        ("Solidarity events", 1),
        ("Statements", 0),
        ("Court reports", 2),
    ]
    assert "line 9: section “Statements” is empty" in digest.notes
    assert "Comments" not in digest.sections[2].items[1].text


def test_cyrillic_sections_and_paragraphs():
    """Belarusian or Russian digests would be garbled or mis-split."""
    digest = parse_fixture("cyrillic.txt")
    assert digest.title == "Дайджэст навін 2025-11-30"
    assert digest.date == datetime.date(2025, 11, 30)
    assert [(s.title, len(s.items)) for s in digest.sections] == [
        ("Сустрэчы і мерапрыемствы", 1),
        ("Аналітычныя матэрыялы", 1),
        ("Новости на русском", 1),
    ]
    meeting = digest.sections[0].items[0]
    assert meeting.text == (
        f"У Вільні адбылася сустрэча з прадстаўнікамі беларускай{NBSP}дыяспары.\n\n"
        "Удзельнікі абмеркавалі «падтрымку палітвязняў» і планы на наступны год."
    )
    assert digest.sections[1].items[0].text == (
        "1. Агляд рэпрэсій за кастрычнік.\n2. Інтэрв’ю з праваабаронцай."
    )


def test_windows_and_old_mac_line_endings():
    """Files saved on Windows or an old Mac would import differently or with wrong line numbers."""
    raw = (FIXTURES / "windows-line-endings.txt").read_bytes()
    assert b"\r\n" in raw
    digest = parse_digest(raw, filename="w.txt")
    assert [(s.title, s.line) for s in digest.sections] == [("Diaspora news", 5)]
    (item,) = digest.sections[0].items
    assert item.line == 9
    assert "\r" not in item.text + item.html + digest.title
    assert item.text.endswith("by the autumn.")
    assert parse_digest(raw.replace(b"\r\n", b"\r"), filename="w.txt") == digest
    assert parse_digest(raw.replace(b"\r\n", b"\n"), filename="w.txt") == digest


def test_byte_order_mark_is_ignored():
    """A file saved by Notepad with a BOM would be refused or get a corrupted title."""
    raw = (FIXTURES / "byte-order-mark.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    digest = parse_digest(raw, filename="bom.txt")
    assert digest.title == "Digest of 1 June 2025"
    assert digest.date == datetime.date(2025, 6, 1)
    assert [s.title for s in digest.sections] == ["Culture"]


def test_numbered_list_starting_at_three():
    """A list continuing from an earlier digest would be renumbered from 1."""
    digest = parse_fixture("numbered-from-three.txt")
    (item,) = digest.sections[0].items
    assert item.html == (
        '<ol start="3"><li>A report on the conditions in the women’s colonies.</li>'
        "<li>A chronology of forced exiles since 2020.</li></ol>\n"
        '<ol start="7"><li>A glossary of terms used in political trials.</li></ol>'
    )
    assert item.text.splitlines()[0] == "3. A report on the conditions in the women’s colonies."
    assert any(note.startswith("line 9: numbering jumps") for note in digest.notes)


def test_unknown_platform_recorded_as_other():
    """A figure for a platform the site does not know would be dropped silently."""
    digest = parse_fixture("unknown-platform.txt")
    assert [(m.platform, m.label, m.views) for m in digest.metrics] == [
        ("other", "Threads", 7_000),
        ("x", "Twitter", 15_000),
        ("youtube_shorts", "YouTube Shorts", 2_200_000),
    ]
    assert any(note.startswith("line 7:") and "“other”" in note for note in digest.notes)
    assert all(m.period_start is None and m.period_end is None for m in digest.metrics)


def test_lead_before_first_heading():
    """A paragraph between the title and the first heading would be lost."""
    digest = parse_digest("News digest 3 May 2025\n\nA calm week overall.\n\nNews\n\nOne story.\n")
    assert digest.lead == "A calm week overall."
    assert [s.title for s in digest.sections] == ["News"]


def test_colon_line_before_quotation_stays_in_item():
    """'He said:' before a quotation would become a section of its own."""
    text = "News digest 3 May 2025\n\nNews\n\nThe minister said:\n\n“We will not give up.”\n"
    (section,) = parse_digest(text).sections
    assert section.items[0].text == "The minister said:\n\n“We will not give up.”"


def test_html_is_escaped():
    """Markup in an export would run as script on the public site."""
    text = "News digest 3 May 2025\n\nNews\n\nA <script>alert(1)</script> & more.\n\n• <b>x</b>\n"
    (item,) = parse_digest(text).sections[0].items
    assert item.html == (
        "<p>A &lt;script&gt;alert(1)&lt;/script&gt; &amp; more.</p>\n"
        "<ul><li>&lt;b&gt;x&lt;/b&gt;</li></ul>"
    )
    assert item.text == "A <script>alert(1)</script> & more.\n\n• <b>x</b>"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("News digest 31 December 2025", datetime.date(2025, 12, 31)),
        ("News digest December 31, 2025", datetime.date(2025, 12, 31)),
        ("News digest 2025-12-31", datetime.date(2025, 12, 31)),
        ("Digest 3 Sept 2024", datetime.date(2024, 9, 3)),
    ],
)
def test_title_date_formats(title, expected):
    """A digest titled with another common date style would be refused."""
    assert parse_digest(f"{title}\n").date == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Дайджэст навін 31 снежня 2025", datetime.date(2025, 12, 31)),
        ("Дайджэст навін 1 студзеня 2026", datetime.date(2026, 1, 1)),
        ("Дайджэст навін 15 жніўня 2025 года", datetime.date(2025, 8, 15)),
        ("Дайджэст 3 лютага 2025", datetime.date(2025, 2, 3)),
        ("Дайджест новостей 31 декабря 2025", datetime.date(2025, 12, 31)),
        ("Дайджест новостей 9 мая 2025 г.", datetime.date(2025, 5, 9)),
        ("Дайджест новостей 1 июня 2025", datetime.date(2025, 6, 1)),
        ("ДАЙДЖЕСТ 28 ФЕВРАЛЯ 2025", datetime.date(2025, 2, 28)),
    ],
)
def test_title_dates_in_belarusian_and_russian(title, expected):
    """A Belarusian or Russian digest would be refused for want of a date, or dated wrong."""
    digest = parse_digest(f"{title}\n\nНавіны\n\nАдна навіна.\n")
    assert (digest.title, digest.date) == (title, expected)


def test_a_cyrillic_title_with_an_impossible_date_is_refused():
    """ "31 лютага" would otherwise become some other day."""
    with pytest.raises(DigestImportError, match="not a real date"):
        parse_digest("Дайджэст навін 31 лютага 2025\n")


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", None, "empty"),
        (b"  \n\r\n\t\n", None, "empty"),
        (b"top of page\n\nA digest without any date\n\nNews\n", 3, "does not contain a date"),
        (b"News digest 31 February 2025\n", 1, "not a real date"),
        (b"News digest 1 May 2025\n\nNews\n\x00\x01\x02", 4, "binary"),
        (b"News digest 1 May 2025\r\n\r\nNews\r\n\r\nBad \xff byte\r\n", 5, "UTF-8"),
        (b"top of page\n\nree\n\nComments\n\nbottom of page\n", None, "artefacts"),
    ],
    ids=["empty", "whitespace", "no-title", "bad-date", "binary", "not-utf8", "artefacts"],
)
def test_bad_input_is_refused_with_location(data, line, words):
    """Staff would get a crash or a vague error instead of the file and line to fix."""
    with pytest.raises(DigestImportError) as caught:
        parse_digest(data, filename="upload.txt")
    error = caught.value
    assert error.filename == "upload.txt"
    assert error.line == line
    assert words in error.message
    where = "upload.txt" if line is None else f"upload.txt:{line}"
    assert str(error) == f"{where}: {error.message}"
    assert isinstance(error, ValueError)


def test_parser_runs_without_django():
    """The parser could not be reused or tested outside the site (it would need Django set up)."""
    import subprocess
    import sys

    code = (
        "import sys, digests.parsing as p; "
        "p.parse_digest(open(sys.argv[1], 'rb').read()); "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'"
    )
    root = Path(__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)], cwd=root, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


UNDATED = "top of page\n\nA calm week overall.\n\n• One\n• Two\n\nNews\n\nOne story.\n"


def test_title_and_date_given_for_a_text_without_a_title_line():
    """An archived text whose first line carries no date could not be imported at all."""
    digest = parse_digest(UNDATED, title="Weekly digest", date=datetime.date(2024, 3, 8))
    assert (digest.title, digest.date) == ("Weekly digest", datetime.date(2024, 3, 8))
    assert digest.lead == "A calm week overall.\n\n• One\n• Two"
    assert [(s.title, s.line, len(s.items)) for s in digest.sections] == [("News", 8, 1)]
    assert "line 3: text before the first heading is the lead" in digest.notes


def test_first_line_may_be_a_heading_when_title_and_date_are_given():
    """A text starting straight with a section would lose that section to the title."""
    digest = parse_digest("News\n\nOne story.\n", title="Digest", date=datetime.date(2024, 3, 8))
    assert digest.lead == ""
    assert [(s.title, len(s.items)) for s in digest.sections] == [("News", 1)]


def test_given_title_and_date_win_over_a_dated_first_line(sample):
    """A dated first line would be imported as content, or its date would beat the one given."""
    digest = parse_digest(
        SAMPLE.read_bytes(), title="Year-end digest", date=datetime.date(2025, 12, 30)
    )
    assert (digest.title, digest.date) == ("Year-end digest", datetime.date(2025, 12, 30))
    assert digest.sections == sample.sections
    assert digest.lead == ""
    assert any(n.startswith("line 3:") and "replaced by the title given" in n for n in digest.notes)


def test_date_alone_keeps_the_first_line_as_title():
    """With only a date given, the first line would no longer be the title."""
    digest = parse_digest("Weekly digest\n\nNews\n\nOne story.\n", date=datetime.date(2024, 3, 8))
    assert (digest.title, digest.date) == ("Weekly digest", datetime.date(2024, 3, 8))
    assert [s.title for s in digest.sections] == ["News"]
    dated = parse_digest("News digest 31 December 2025\n", date=datetime.date(2025, 12, 30))
    assert dated.date == datetime.date(2025, 12, 30)
    assert any("2025-12-30" in note and "instead of" in note for note in dated.notes)


def test_title_alone_still_needs_a_date():
    """A text with neither a dated first line nor a date given would get a made-up date."""
    with pytest.raises(DigestImportError) as caught:
        parse_digest("Weekly digest\n\nNews\n", filename="w.txt", title="Weekly digest")
    assert caught.value.line == 1
    assert "give the digest's date" in caught.value.message
    digest = parse_digest("Digest 3 May 2025\n\nNews\n\nStory.\n", title="May digest")
    assert (digest.title, digest.date) == ("May digest", datetime.date(2025, 5, 3))
