"""The digest form on a phone held upright: nested sections and items keep their fields, help
text and editors inside the screen; the grips and the site's time zone show."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from digests.demo import load_demo
from digests.models import Digest
from tests.e2e.conftest import PHONE

PASSWORD = "correct-horse-battery-e2e"

# Every visible element of an item that ends to the right of the item's own box.
CLIPPED = """item => {
  const edge = item.getBoundingClientRect().right + 1;
  return [...item.querySelectorAll('*')]
    .filter(el => el.offsetParent && el.getBoundingClientRect().right > edge)
    .map(el => el.tagName + '.' + el.className + '#' + el.id);
}"""


def test_digest_form_is_usable_on_a_phone(page, screenshot):
    """At 390 px nothing in an item is cut off at the right, the page does not scroll
    sideways, sections and items show a grip, and no browser-offset note stands under the
    date fields."""
    load_demo()
    get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.set_viewport_size({"width": PHONE, "height": 900})
    page.goto("/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    digest = Digest.objects.order_by("-date").first()
    page.goto(f"/admin/digests/digest/{digest.pk}/change/")
    expect(page.locator("#sections-0-items-0 .ck-editor")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
    assert page.locator("#sections-0-items-0").evaluate(CLIPPED) == []
    grip = page.locator("#sections-0-items-0 > h3.djn-drag-handler").evaluate(
        "h3 => getComputedStyle(h3, '::before').content"
    )
    assert "⠿" in grip
    expect(page.locator(".timezonewarning:visible")).to_have_count(0)
    expect(page.locator(".site-time-zone")).to_contain_text("time")
    screenshot(page, "admin-digest-form-phone", public=False)
