"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

They run only when named (`make test-e2e`, i.e. `pytest tests/e2e`); the default run ignores
this folder. Screenshots go to test-artifacts/e2e/. A console error on a public page fails
the test.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an event loop in the test's thread; the database calls the tests
# make between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
PHONE, DESKTOP = 390, 1280


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (or set E2E_CHROMIUM).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens a browser tab on the live server, each in its own session (a reader's tab stays
    signed out while staff are signed in). A console error on a public page (a script error,
    a refused resource, a Content-Security-Policy violation) fails the test."""
    contexts, errors = [], []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": DESKTOP, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: message.type == "error" and errors.append((page.url, message.text)),
        )
        page.on("pageerror", lambda error: errors.append((page.url, str(error))))
        return page

    yield open_page
    for context in contexts:
        context.close()
    public_errors = [(url, text) for url, text in errors if "/admin/" not in url]
    assert public_errors == [], "console errors on public pages"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot():
    """screenshot(page, name): full-page screenshots at phone and desktop widths; on a public
    page it also checks that nothing makes the phone layout scroll sideways."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name, *, public=True):
        for width in (PHONE, DESKTOP):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
            if public and width == PHONE:
                wide = page.evaluate("document.documentElement.scrollWidth")
                assert wide <= PHONE, f"{name} is {wide} px wide on a {PHONE} px phone"

    return take
