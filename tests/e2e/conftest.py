"""Browser tests: Playwright drives Debian's chromium against Django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("DELPHI_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags chromium tries to reach Google's hosts, which this
# network refuses (slow starts, noisy logs).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
# The common phone of the expert pages' tests, with a touch screen.
TOUCH_PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, live_server, viewport, **context_options):
    """A page in a fresh context that records every request leaving our own server."""
    context = browser.new_context(viewport=viewport, base_url=live_server.url, **context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Every request must stay on our own server: pages load nothing from another host.
    foreign = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else foreign.append(request.url)
        ),
    )
    page.foreign_requests = foreign
    # A script, style or font the Content-Security-Policy blocked is a broken page for the user.
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_violations = blocked
    return page


def close_page(page) -> None:
    """Close the page's context; the policy must not have blocked anything on the way."""
    violations = list(page.csp_violations)
    page.context.close()
    assert violations == [], f"blocked by the Content-Security-Policy: {violations}"


@pytest.fixture
def page(browser, live_server):
    page = new_page(browser, live_server, {"width": 1280, "height": 900})
    yield page
    close_page(page)


@pytest.fixture
def phone_page(browser, live_server):
    page = new_page(browser, live_server, PHONE)
    yield page
    close_page(page)


@pytest.fixture
def phone(browser, live_server):
    page = new_page(browser, live_server, TOUCH_PHONE, has_touch=True)
    yield page
    close_page(page)


def sign_in(page, username: str, password: str) -> None:
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_url("**/studies/")


def has_no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
