"""Staff compose a digest in the admin with the rich-text editor, publish it, and readers see
it with the names linked."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from digests.demo import load_demo

PASSWORD = "correct-horse-battery-e2e"
PERSON_URL = "/people/sviatlana-tsikhanouskaya/"
SOURCE = "https://www.coe.int/en/web/portal"


def editor_of(page, section, item=0):
    """The CKEditor 5 body of an item in the digest form."""
    return page.locator(f"#sections-{section}-items-{item} .ck-editor")


def type_bold(page, editor, word):
    """Type `word` in bold, switched on and off with the toolbar's Bold button."""
    bold = editor.locator('.ck-toolbar button[data-cke-tooltip-text^="Bold"]')
    bold.click()
    page.keyboard.type(word)
    bold.click()


def type_link(page, editor, label, url, after):
    """Type `label` and the text `after` it, select `label` and make it a link with the
    toolbar's Link button and the URL field of its balloon."""
    page.keyboard.type(label + after)
    for _ in after:
        page.keyboard.press("ArrowLeft")
    for _ in label:
        page.keyboard.press("Shift+ArrowLeft")
    editor.locator('.ck-toolbar button[data-cke-tooltip-text^="Link"]').click()
    url_field = page.locator(".ck-link-form").get_by_label("Link URL")
    url_field.fill(url)
    url_field.press("Enter")
    expect(editor.locator(f'.ck-editor__editable a[href="{url}"]')).to_have_text(label)


def add_section_with_item(page, index, title):
    """Add a section and one item in it with the nested inlines' buttons; returns the item's
    editor, focused."""
    page.click("a.djn-add-handler.djn-model-digests-section")
    page.fill(f"#id_sections-{index}-title", title)
    page.locator(f"#sections-{index} a.djn-add-handler.djn-model-digests-item").click()
    editor = editor_of(page, index)
    editor.locator(".ck-editor__editable").click()
    return editor


def test_staff_compose_publish_and_readers_see_mentions_linked(page, new_page, screenshot):
    """Log in → a digest with two sections, bold and a link made with the editor's toolbar →
    publish → the public page has both sections, the bold text, the link and the name linked."""
    load_demo()
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)

    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Newsroom")).to_be_visible()

    page.goto("/admin/digests/digest/add/")
    page.locator("#id_title").press_sequentially("News digest 15 January 2026")
    expect(page.locator("#id_slug")).to_have_value("news-digest-15-january-2026")
    page.fill("#id_date", "2026-01-15")
    page.fill("#id_lead", "Two sections composed in the browser.")

    editor = add_section_with_item(page, 0, "Statements")
    page.keyboard.type("Sviatlana Tsikhanouskaya called for the release of ")
    type_bold(page, editor, "every")
    page.keyboard.type(" political prisoner.")

    editor = add_section_with_item(page, 1, "Meetings")
    page.keyboard.type("A delegation met in Strasbourg; see the ")
    type_link(page, editor, "Council of Europe portal", SOURCE, after=" for the record.")
    screenshot(page, "admin-digest-form", public=False)

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")

    page.goto("/admin/digests/digest/")
    page.get_by_role("row", name=re.compile("News digest 15 January 2026")).get_by_role(
        "checkbox"
    ).check()
    page.get_by_label("Action:").select_option("publish")
    page.get_by_title("Run the selected action").click()
    expect(page.locator(".messagelist .success")).to_have_text("1 digest(s) published.")

    reader = new_page()
    reader.goto("/digests/news-digest-15-january-2026/")
    expect(reader.get_by_role("heading", level=1)).to_have_text("News digest 15 January 2026")
    expect(reader.locator("article.digest section.section h2")).to_have_text(
        ["Statements", "Meetings"]
    )
    expect(reader.locator(".item__body strong")).to_have_text("every")
    expect(reader.locator(f'.item__body a[href="{SOURCE}"]')).to_have_text(
        "Council of Europe portal"
    )
    mention = reader.locator(f'.item__body a.mention[href="{PERSON_URL}"]')
    expect(mention).to_have_text("Sviatlana Tsikhanouskaya")
    screenshot(reader, "staff-digest")
    mention.click()
    # The demo names her too; the new digest's mentions are listed under its own title.
    new_digest = reader.get_by_role("region", name="News digest 15 January 2026")
    expect(new_digest.locator(".mentions")).to_contain_text("Statements")
