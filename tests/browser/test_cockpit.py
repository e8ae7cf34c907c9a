"""The cockpit in a real browser: the demo zone's 2024 figures, and a click on one of them
landing on the 31 projects behind it."""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# Screenshots are written only by `make screenshots`, which names the folder.
SCREENSHOTS = Path(os.environ["ZHAOSHANG_SCREENSHOTS"]) if os.environ.get("ZHAOSHANG_SCREENSHOTS") else None


@pytest.mark.django_db(transaction=True)
def test_the_cockpit_shows_2024_and_drills_into_the_signed_investment(browser_page, live_server, login, make_user):
    from zhaoshang.core import demo

    zone = demo.seed_demo()
    make_user("leader", zone, "leadership")
    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    login(page, live_server, "leader", next_path="/cockpit/?kind=year&year=2024")
    page.goto(f"{live_server.url}/cockpit/?kind=year&year=2024")

    def figure(code):
        return page.locator(f'[data-figure="{code}"] .zs-figure-value').inner_text().strip()

    assert figure("signed_count") == "31"
    assert figure("signed_investment") == "141.34亿元"
    assert figure("start_rate") == "80.65%"
    page.wait_for_function("document.querySelectorAll('#chart-months canvas').length > 0")
    assert page.js_errors == []
    if SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "cockpit.png"), full_page=True)

    page.locator('[data-figure="signed_investment"]').click()
    page.wait_for_url("**/projects/?figure=signed_investment*")
    assert page.locator('[data-total="count"]').inner_text().strip() == "31"
    assert page.locator('[data-total="investment"]').inner_text().strip() == "141.34亿元"


@pytest.mark.django_db(transaction=True)
def test_the_big_screen_fits_1920_by_1080_without_scrolling(browser_page, live_server, login, make_user):
    from zhaoshang.core import demo

    zone = demo.seed_demo()
    make_user("screen", zone, "bureau")
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 1080})
    login(page, live_server, "screen")
    page.goto(f"{live_server.url}/cockpit/screen/?kind=year&year=2024")
    page.wait_for_function("document.querySelectorAll('#chart-units canvas').length > 0")
    width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert (width, height) == (1920, 1080)
    assert page.js_errors == []
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "cockpit-screen.png"))
