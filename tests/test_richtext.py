import pytest

from digestsite.richtext import RichTextFormField, html_to_text, sanitize_html


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert(1)</script>",
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="x">',
        '<svg onload="alert(1)"><circle r="1"/></svg>',
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<style>body{display:none}</style>",
        '<iframe src="https://example.org"></iframe>',
        '<p onmouseover="alert(1)">x',
        "<<script>script>alert(1)<</script>/script>",
        '<form action="https://example.org"><input name="q"></form>',
    ],
)
def test_dangerous_markup_never_survives(dirty):
    """Scripts, event handlers, unsafe URLs and active elements never reach a reader."""
    clean = sanitize_html(dirty).lower()
    for needle in ("<script", "onerror", "onload", "onmouseover", "javascript:", "data:",
                   "<svg", "<style", "style=", "<iframe", "<form", "<input"):  # fmt: skip
        assert needle not in clean


def test_allowed_markup_is_kept():
    """The formatting editors use survives sanitising unchanged."""
    html = (
        "<p>Text with <strong>bold</strong>, <em>italic</em> and "
        '<a href="https://example.org/page">a link</a>.</p>'
        "<h4>Subheading</h4><ul><li>one</li></ul><ol><li>two</li></ol>"
        "<blockquote><p>Quote</p></blockquote>"
        '<figure class="image"><img src="/media/editor/a.png" alt="A photo">'
        "<figcaption>Caption</figcaption></figure>"
        "<table><tbody><tr><td>cell</td></tr></tbody></table>"
    )
    clean = sanitize_html(html)
    for fragment in ("<strong>bold</strong>", "<em>italic</em>", "<h4>Subheading</h4>",
                     "<ul><li>one</li></ul>", "<ol><li>two</li></ol>", "<blockquote>",
                     '<figure class="image">', 'alt="A photo"', "<figcaption>Caption</figcaption>",
                     "<td>cell</td>"):  # fmt: skip
        assert fragment in clean


def test_links_keep_safe_schemes_and_get_noopener():
    """Links to http, https and mailto stay, and never pass the referrer on."""
    clean = sanitize_html('<a href="mailto:desk@example.org">mail</a> <a href="http://x.org">x</a>')
    assert 'href="mailto:desk@example.org"' in clean
    assert 'href="http://x.org"' in clean
    assert clean.count('rel="noopener noreferrer"') == 2


def test_other_headings_become_subheadings():
    """A pasted h2 cannot break the digest page's heading order: it becomes an h4."""
    assert sanitize_html("<h2>Big</h2><h1 class='x'>Bigger</h1>") == "<h4>Big</h4><h4>Bigger</h4>"


def test_sanitising_is_idempotent_and_keeps_nbsp():
    """Saving an item twice does not change its text; non-breaking spaces stay."""
    once = sanitize_html("<p>Pavel\u00a0Latushka’s «quote»</p>")
    assert sanitize_html(once) == once
    assert html_to_text(once) == "Pavel\u00a0Latushka’s «quote»"


def test_unknown_classes_dropped():
    """Staff cannot smuggle the mention style or other classes into a body."""
    assert sanitize_html('<a class="mention" href="https://x.org">x</a>').count("class") == 0


@pytest.mark.parametrize(
    "stored, from_editor",
    [
        ("<p>a</p>\n<p>b</p>", "<p>a</p><p>b</p>"),
        ("<p>a&nbsp;b</p>", "<p>a\u00a0b</p>"),
        ("<p>a&#160;b</p>", "<p>a&nbsp;b</p>"),
        ("<p>a<br/>\nb</p>", "<p>a<br>b</p>"),
        ("<ul>\n  <li>x</li>\n  <li>y</li>\n</ul>", "<ul><li>x</li><li>y</li></ul>"),
        ("<p>\n  Some\n  text.\n</p>", "<p>Some text.</p>"),
        ("<blockquote>\n<p>q</p>\n</blockquote>", "<blockquote><p>q</p></blockquote>"),
        ("<table><tr><td>a</td> <td>b</td></tr></table>",
         "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"),
    ],
)  # fmt: skip
def test_equal_content_is_stored_byte_equal(stored, from_editor):
    """Text the editor merely re-serialised (whitespace between blocks, entities, void tags)
    is stored exactly as before, so it never shows as a change."""
    assert sanitize_html(stored) == sanitize_html(from_editor)
    assert sanitize_html(sanitize_html(stored)) == sanitize_html(stored)
    assert not RichTextFormField().has_changed(sanitize_html(stored), from_editor)


@pytest.mark.parametrize(
    "html",
    [
        "<p><strong>a</strong> <em>b</em></p>",
        '<p>see <a href="https://x.org">this</a> page</p>',
        "<p>a&nbsp; b</p>",
    ],
)
def test_whitespace_that_shows_is_kept(html):
    """Spaces between words and inline formatting stay: only invisible whitespace goes."""
    assert html_to_text(sanitize_html(html)) == html_to_text(html)
    assert RichTextFormField().has_changed(sanitize_html(html), html.replace(" ", ""))


def test_characters_xml_does_not_allow_are_dropped():
    """Control characters, noncharacters and lone surrogates never reach stored HTML (they
    break feeds); tabs and line breaks are text like any other."""
    from digestsite.richtext import strip_disallowed_characters

    dirty = "a\x00\x01\x08\x0b\x0c\x0e\x1f\x7f\x80\x85\x9f\ufffe\uffff\ud800\udfffb\t\n\r"
    assert strip_disallowed_characters(dirty) == "ab\t\n\r"
    assert strip_disallowed_characters("Ünïcode ✓ \u00a0 \ufeff") == "Ünïcode ✓ \u00a0 \ufeff"
    assert sanitize_html("<p>a\x0bb\x1b</p>") == "<p>ab</p>"


@pytest.mark.parametrize(
    "src",
    [
        "https://other.host/pixel.png",
        "http://other.host/media/pixel.png",
        "//other.host/media/pixel.png",
        "///other.host/pixel.png",
        "/\\other.host/pixel.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "pixel.png",
        "media/pixel.png",
        "/static/pixel.png",
        "/media/../admin/pixel.png",
        "/media/%2e%2e/admin/pixel.png",
        "",
    ],
)
def test_images_from_anywhere_but_the_sites_media_are_dropped(src):
    """An image in a body loads only from the site's own media: one from another host would
    tell that host who reads the page."""
    clean = sanitize_html(f'<p>Before <img src="{src}" alt="pixel"> after</p>')
    assert clean == "<p>Before after</p>"


def test_images_from_the_sites_media_are_kept():
    """Images uploaded through the editor stay where they are."""
    html = '<figure class="image"><img src="/media/editor/2026/01/ab12.png" alt="A photo"></figure>'
    assert sanitize_html(html) == html


def test_foreign_images_are_dropped_from_linked_html_stored_before():
    """Bodies stored before the rule lose images from elsewhere (the migration's rule), and
    keep their mention links and the site's own images."""
    from digestsite.richtext import drop_foreign_images

    linked = (
        '<p>Before <img src="https://other.host/p.png" alt="p"> '
        '<a class="mention" href="/people/x/">X</a></p>'
        '<figure class="image"><img src="/media/editor/a.png" alt="A"></figure>'
    )
    assert drop_foreign_images(linked) == (
        '<p>Before  <a class="mention" href="/people/x/">X</a></p>'
        '<figure class="image"><img src="/media/editor/a.png" alt="A"></figure>'
    )


def test_noncharacters_and_separators_are_dropped_too():
    """Text pasted with Unicode noncharacters or line separators (HTML parse errors) is stored
    without them."""
    from digestsite.richtext import strip_disallowed_characters

    assert strip_disallowed_characters("a\ufdd0b\U0001fffec\u2028d\uffffé") == "abcdé"


@pytest.mark.django_db
def test_topic_names_drop_control_characters():
    """A topic typed with a control character shows without it on every page."""
    from tests.factories import make_digest

    digest = make_digest()
    digest.tags.add("tag\x0bB\x1bC\x85D\ufffeE\x7f")
    assert list(digest.tags.names()) == ["tagBCDE"]
