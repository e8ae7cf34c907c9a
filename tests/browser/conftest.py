"""Fixtures for browser tests: Debian's Chromium driven by Playwright's sync API.

`browser_page` gives a fresh page (own cookies) per test; `login(page, live_server,
username, password)` signs in through the login form. Without /usr/bin/chromium the tests
are skipped with the reason, unless ZHAOSHANG_REQUIRE_BROWSER=1 (CI), where that fails.
"""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM would refuse to
# run next to it. The test thread never runs async code of its own, so this is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZHAOSHANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _require_browser() -> bool:
    return os.environ.get("ZHAOSHANG_REQUIRE_BROWSER", "") not in ("", "0", "false", "no")


def _missing_reason() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing_reason()
    if reason:
        if _require_browser():
            pytest.fail(f"ZHAOSHANG_REQUIRE_BROWSER is set but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def browser_page(browser_context):
    page = browser_context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    page.close()


@pytest.fixture
def phone_page(browser):
    """A page on a narrow, touch screen (a phone after a visit)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _has_login_page() -> bool:
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("registration/login.html")
    except TemplateDoesNotExist:
        return False
    return True


def _session_login(page, url, username):
    """Sign in without the form (only while the login page does not exist yet)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": url}])


def do_login(page, live_server, username, password="pass-for-tests-1", next_path="/"):
    """Sign in through /accounts/login/ and wait for the page behind it."""
    url = live_server.url if hasattr(live_server, "url") else str(live_server)
    if not _has_login_page():
        _session_login(page, url, username)
        page.goto(url + next_path)
        return page
    page.goto(f"{url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state("domcontentloaded")
    if "/accounts/login/" in page.url:
        raise AssertionError(f"login as {username!r} failed: {page.url}")
    return page


@pytest.fixture
def login():
    return do_login
