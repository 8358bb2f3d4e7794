"""A reader's newsroom in the browser, in light and dark mode: the home page, a digest, a
person's page with its timeline and the topic index read well on a phone, use the site's own
font, ask nothing of any other host, and keep working without scripts."""

import pytest
from playwright.sync_api import expect

from digests.demo import load_demo
from digests.models import Digest

PHONE = 390

# Luminance of the page's background: dark mode is below, light mode above.
BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""
# The smallest text drawn in the page's charts, in CSS px: its font size in the drawing's
# units times the drawing's scale on the screen.
SMALLEST_CHART_TEXT = """() => Math.min(...[...document.querySelectorAll('svg.chart__svg')]
  .flatMap(svg => [...svg.querySelectorAll('text')].map(text =>
    parseFloat(getComputedStyle(text).fontSize)
    * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)))"""


def read(page, path, scheme, requests, origin):
    """Open `path` and check what every page promises: the scheme's colours, the site's
    own font, no sideways scrolling on a phone, no request to any other host."""
    page.set_viewport_size({"width": PHONE, "height": 844})  # screenshots leave it wider
    page.goto(path)
    page.evaluate("document.fonts.ready")
    luminance = page.evaluate(BACKGROUND_LUMINANCE)
    assert luminance < 0.2 if scheme == "dark" else luminance > 0.9, (path, luminance)
    assert page.evaluate("document.fonts.check('16px \"Source Serif 4\"')"), path
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, path
    assert [url for url in requests if not url.startswith(origin)] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reader_pages_in_light_and_dark_mode(new_page, live_server, screenshot, scheme):
    """Home → the latest digest → a person's page with a timeline → the topic index, on a
    phone, in the reader's colour scheme."""
    load_demo()
    page = new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.emulate_media(color_scheme=scheme)
    latest = Digest.objects.published().order_by("-date").first()

    read(page, "/", scheme, requests, live_server.url)
    expect(page.locator(".latest h2")).to_have_text(latest.title)
    # The earlier English digests: two of the demo's and the sample of 31 December 2025.
    expect(page.locator(".cards .card")).to_have_count(3)
    expect(page.locator(".ranked").first.locator("li").first).to_contain_text("item")
    screenshot(page, f"reader-home-{scheme}")

    page.locator(".latest").get_by_role("link", name="Read the digest").click()
    read(page, latest.get_absolute_url(), scheme, requests, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(latest.title)
    expect(page.locator(".digest__header .meta")).to_contain_text("min read")
    expect(page.get_by_role("navigation", name="Contents")).to_be_visible()
    # The item's anchor: an icon that shows when it has the keyboard's focus.
    anchor = page.locator(".item__anchor").first
    anchor.focus()
    expect(anchor).to_have_css("opacity", "1")
    expect(anchor).to_have_accessible_name("Link to this item")
    expect(page.locator(".share").get_by_role("link", name="Telegram")).to_be_visible()
    expect(page.locator(".share__copy")).to_be_visible()  # the script ran
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12
    screenshot(page, f"reader-digest-{scheme}")

    page.locator(".item__body a.mention", has_text="Pavel Latushka").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pavel Latushka")
    read(page, "/people/pavel-latushka/", scheme, requests, live_server.url)
    timeline = page.get_by_role("img", name="Items naming Pavel Latushka, per month")
    expect(timeline).to_be_visible()
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 12
    screenshot(page, f"reader-person-{scheme}")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Topics").click()
    read(page, "/tags/", scheme, requests, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Topics")
    topic = page.locator(".topic-list").get_by_role("link", name="political prisoners")
    expect(topic).to_be_visible()
    screenshot(page, f"reader-topics-{scheme}")


def test_digest_reads_without_javascript(browser, live_server):
    """With scripts off the digest, its contents and share links work; the copy button,
    which needs a script, stays hidden."""
    load_demo()
    latest = Digest.objects.published().order_by("-date").first()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(latest.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(latest.title)
    expect(page.locator(".share").get_by_role("link", name="Email")).to_be_visible()
    expect(page.locator(".share__copy")).to_be_hidden()
    page.get_by_role("navigation", name="Contents").get_by_role("link").first.click()
    assert page.url.endswith("#" + latest.sections.order_by("order").first().anchor)
    context.close()


# Each link of the main navigation and how much of it the menu shows: [text, its width, the
# width of it inside the menu's visible box] in CSS px.
NAVIGATION_LINKS = """() => {
  const menu = document.querySelector('nav.site-nav').getBoundingClientRect();
  return [...document.querySelectorAll('nav.site-nav a')].map(link => {
    const box = link.getBoundingClientRect();
    const shown = Math.min(box.right, menu.right, innerWidth) - Math.max(box.left, menu.left, 0);
    return [link.textContent, box.width, shown];
  });
}"""


@pytest.mark.parametrize("prefix", ["", "/be", "/ru"])
def test_every_section_of_the_menu_shows_on_a_phone(new_page, live_server, screenshot, prefix):
    """On a phone (a narrow one too), in each language, every link of the main navigation is
    on the screen whole: none is cut at the edge or hidden in a sideways scroll of the menu."""
    load_demo()
    page = new_page()
    for width in (360, PHONE):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(prefix + "/")
        page.evaluate("document.fonts.ready")
        links = page.evaluate(NAVIGATION_LINKS)
        assert len(links) == 5
        for text, link_width, shown in links:
            assert shown >= link_width - 0.5, (prefix, width, text, link_width, shown)
    screenshot(page, f"reader-menu-{prefix.strip('/') or 'en'}")
