"""A freshly seeded demo looks alive whatever day it is: seeded on a faked "today" in three
different years, the cockpit and the workbench show non-zero figures for that year.

How "today" is faked: the demo is seeded with `seed_demo(today=...)` (its injectable
today), and for the server `django.utils.timezone.now` is replaced for the test by a clock
running at the faked date (the real time of day, the real seconds ticking). Every page asks
`timezone.now()` / `timezone.localdate()` (which reads `timezone.now`) for its today, and
the live server runs in a thread of this process, so it sees the faked clock; the browser's
own clock is left alone (session cookies are timed by Django with time.time(), which is
not faked, so signing in works).
"""

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def fake_today(monkeypatch, today: dt.date) -> None:
    from django.utils import timezone

    real_now = timezone.now
    shift = dt.datetime.combine(today, dt.time()) - dt.datetime.combine(timezone.localdate(real_now()), dt.time())
    monkeypatch.setattr(timezone, "now", lambda: real_now() + shift)
    assert timezone.localdate() == today


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("today", [dt.date(2026, 12, 3), dt.date(2027, 3, 15), dt.date(2029, 1, 1)])
def test_the_demo_seeded_on_any_day_shows_that_years_figures(browser_page, live_server, login, monkeypatch, today):
    from zhaoshang.core import demo

    fake_today(monkeypatch, today)
    demo.seed_demo(today=today)
    page = browser_page
    page.set_default_timeout(60_000)  # the cockpit of a zone with years of data, on a busy machine
    page.set_viewport_size({"width": 1440, "height": 1000})

    login(page, live_server, "demo-bureau", password=demo.DEMO_PASSWORD, next_path="/cockpit/")
    page.goto(f"{live_server.url}/cockpit/")

    def cockpit_figure(code):
        return page.locator(f'[data-figure="{code}"] .zs-figure-value').inner_text().strip()

    assert str(today.year) in page.locator("body").inner_text()
    assert int(cockpit_figure("signed_count")) > 0, f"{today}: no signing this year on the cockpit"
    assert cockpit_figure("signed_investment") not in ("0.00亿元", "—")
    assert cockpit_figure("funds_in_place") not in ("0.00亿元", "—")
    page.wait_for_function("document.querySelectorAll('#chart-funnel canvas').length > 0")
    assert page.locator("#chart-funnel[data-empty]").count() == 0
    assert page.js_errors == []

    page.goto(f"{live_server.url}/")
    page.wait_for_selector('.zs-figures [data-figure="signed_count"]')
    labels = page.locator(".zs-figures").inner_text()
    assert f"{today.year}年" in labels, f"{today}: the workbench shows another year: {labels}"
    signed = page.locator('.zs-figures [data-figure="signed_count"]').inner_text().strip()
    assert signed not in ("0", "0个", "—"), f"{today}: the workbench shows {signed} signed"
