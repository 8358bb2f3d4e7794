"""A reader follows a name from the latest digest to the person's page and finds them again
by another spelling."""

import re

from playwright.sync_api import expect

from digests.demo import demo_title, latest_demo_date, load_demo
from digests.models import Item

PERSON_URL = "/people/alexander-lukashenko/"


def test_reader_follows_a_name_and_finds_it_by_another_spelling(page, screenshot):
    """Home → latest digest → a name in an item → the person's page lists that item → the
    header search finds the person by a Cyrillic spelling."""
    load_demo()
    item = Item.objects.get(section__title="Evidence for the ICC")

    page.goto("/")
    screenshot(page, "home")
    page.locator(".latest").get_by_role("link", name="Read the digest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo_title(latest_demo_date()))
    screenshot(page, "digest")

    page.locator(f"#{item.anchor} .item__body a.mention", has_text="Lukashenko").first.click()
    expect(page).to_have_url(re.compile(re.escape(PERSON_URL) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Alexander Lukashenko")
    digest_url = item.section.digest.get_absolute_url()
    back = page.locator(f'.mentions a[href$="{digest_url}#{item.anchor}"]')
    expect(back).to_have_text("Evidence for the ICC")
    screenshot(page, "person")

    search = page.locator("header input[name=q]")
    search.fill("Лукашенко")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    found = page.locator(f'main a[href="{PERSON_URL}"]').first
    expect(found).to_have_text("Alexander Lukashenko")
    screenshot(page, "search")

    found.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alexander Lukashenko")
