"""`make screenshots`: the main pages with the demo data, saved as PNGs.

Runs only when ZHAOSHANG_SCREENSHOTS names the directory to write to (the Makefile sets
docs/screenshots); otherwise skipped, so the suite does not rewrite committed images."""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TARGET = os.environ.get("ZHAOSHANG_SCREENSHOTS", "")

PAGES = [
    ("workbench", "/"),
    ("projects", "/projects/"),
    ("projects-filtered", "/projects/?stage=started&sort=-amount"),
    ("projects-figure", "/projects/?figure=signed_count&from=2024-01-01&to=2024-12-31"),
    ("board", "/projects/board/"),
    ("enterprises", "/enterprises/"),
]


@pytest.mark.skipif(not TARGET, reason="set ZHAOSHANG_SCREENSHOTS=<dir> (make screenshots) to take screenshots")
@pytest.mark.django_db(transaction=True)
def test_take_screenshots(browser, live_server, login, make_user):
    from zhaoshang.core import demo
    from zhaoshang.projects.models import Project

    zone = demo.seed_demo()
    make_user("shots", zone, "bureau")
    out = Path(TARGET)
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 960}, device_scale_factor=1)
    page = context.new_page()
    login(page, live_server, "shots")
    project = Project.objects.filter(zone=zone, follow_ups__isnull=False, fund_arrivals__isnull=False).distinct().order_by("-total_investment").first()
    project = project or Project.objects.filter(zone=zone).order_by("-total_investment").first()
    pages = PAGES + [("project-detail", f"/projects/{project.pk}/"), ("project-edit", f"/projects/{project.pk}/edit/")]
    if project.investor_id:
        pages.append(("enterprise-detail", f"/enterprises/{project.investor_id}/"))
    for name, path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out / f"{name}.png"), full_page=False)
    # The cockpit and the big screen on the day the screenshots are taken (the living demo).
    page.goto(live_server.url + "/cockpit/")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(out / "cockpit-now.png"), full_page=False)
    wall = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080}, device_scale_factor=1)
    wall_page = wall.new_page()
    login(wall_page, live_server, "shots")
    wall_page.goto(live_server.url + "/cockpit/screen/")
    wall_page.wait_for_function("document.querySelectorAll('.zs-panel canvas').length >= 6")
    wall_page.wait_for_timeout(500)
    wall_page.screenshot(path=str(out / "screen-now.png"), full_page=False)
    wall.close()
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone_page = phone.new_page()
    login(phone_page, live_server, "shots")
    phone_page.goto(f"{live_server.url}/projects/{project.pk}/")
    phone_page.wait_for_load_state("networkidle")
    phone_page.screenshot(path=str(out / "phone-project-detail.png"), full_page=False)
    phone_page.goto(f"{live_server.url}/projects/")
    phone_page.wait_for_load_state("networkidle")
    phone_page.screenshot(path=str(out / "phone-projects.png"), full_page=False)
    phone.close()
    context.close()
    assert (out / "workbench.png").stat().st_size > 10_000
