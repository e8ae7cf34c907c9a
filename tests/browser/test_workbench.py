"""The workbench in Chromium: log in, filter the list, create a project, move it on the
board, add a follow-up from the detail page, and watch the totals change."""

import re

import pytest
from playwright.sync_api import expect

from zhaoshang.projects.models import FollowUp, Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(make_project, unit, other_unit, make_user, zone):
    make_project(name="光伏组件", amount="50000", responsible_unit=unit, signed_on="2025-03-05")
    make_project(name="储能电池", amount="120000", responsible_unit=other_unit, signed_on="2025-01-10", started_on="2025-04-01")
    make_project(name="氢能线索", amount="3000", responsible_unit=unit)
    return make_user("chief", zone, "bureau")


def totals(page):
    return page.locator("[data-total=count]").first.inner_text(), page.locator("[data-total=investment]").first.inner_text()


def test_filter_create_move_follow_up_and_totals(browser_page, live_server, login, seeded, unit, park):
    page = browser_page
    login(page, live_server, "chief", next_path="/projects/")
    page.goto(live_server.url + "/projects/")
    assert totals(page) == ("3", "17.30亿元")

    # Filter the list (htmx swaps the results in place and pushes the URL).
    page.fill("input[name=q]", "光伏")
    page.click("#zs-filter button[type=submit]")
    page.wait_for_url(re.compile(r"q=%E5%85%89%E4%BC%8F"))
    page.wait_for_function("document.querySelector('[data-total=count]').innerText === '1'")
    assert page.locator("table.zs-project-table tbody tr").count() == 1
    assert "光伏组件" in page.locator("table.zs-project-table").inner_text()

    # Create a project.
    page.goto(live_server.url + "/projects/new/")
    page.fill("#id_total_investment", "27000")
    page.click("#zs-project-form button[type=submit]")
    assert page.locator("#id_name_error").inner_text() == "请填写项目名称"
    page.fill("#id_name", "智能制造示范项目")
    page.select_option("#id_stage", "signed")
    page.fill("#id_signed_on", "2025-05-08")
    page.select_option("#id_responsible_unit", str(unit.pk))
    # What 签约 and 开工 need (projects/requirements.py).
    page.fill("#id_investor_name", "智能制造科技有限公司")
    page.select_option("#id_park", str(park.pk))
    page.click("#zs-project-form button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))
    project = Project.objects.get(name="智能制造示范项目")
    assert project.stage == "signed"

    page.goto(live_server.url + "/projects/")
    assert totals(page) == ("4", "20.00亿元")

    # Move it on the board: the dialog asks for the date; the stage rules speak in the form.
    page.goto(live_server.url + "/projects/board/")
    started_count = int(page.locator("[data-count=started]").inner_text())
    page.drag_and_drop(f"#card-{project.pk}", "section.zs-board-col[data-stage=started]")
    dialog = page.locator("#zs-stage-form")
    dialog.wait_for(state="visible")
    assert dialog.locator("#id_to_stage").input_value() == "started"
    dialog.locator("button[type=submit]").click()
    page.locator("#id_on_error").wait_for()
    assert page.locator("#id_on_error").inner_text() == "请填写阶段变更日期"
    page.fill("#zs-stage-form #id_on", "2025-04-01")
    page.click("#zs-stage-form button[type=submit]")
    expect(page.locator("#id_on_error")).to_contain_text("不能早于项目最近日期（2025-05-08）")
    page.fill("#zs-stage-form #id_on", "2025-06-18")
    with page.expect_navigation():
        page.click("#zs-stage-form button[type=submit]")
    assert int(page.locator("[data-count=started]").inner_text()) == started_count + 1
    project.refresh_from_db()
    assert project.stage == "started" and project.started_on.isoformat() == "2025-06-18"

    # Add a follow-up from the detail page without leaving it.
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    url = page.url
    page.fill("#zs-follow-up-form #id_date", "2025-06-20")
    page.fill("#zs-follow-up-form #id_summary", "现场查看设备安装")
    page.fill("#zs-follow-up-form #id_next_step", "协调电力接入")
    page.click("#zs-follow-up-form button[type=submit]")
    page.locator("#zs-follow-up-form .alert-success").wait_for()
    assert page.url == url
    assert "现场查看设备安装" in page.locator("#zs-timeline").inner_text()
    assert FollowUp.objects.filter(project=project, summary="现场查看设备安装").exists()

    # A fund arrival changes the facts in place.
    page.click("button[data-bs-target='#tab-fund']")
    page.fill("#zs-fund-form #id_date", "2025-06-21")
    page.fill("#zs-fund-form #id_amount", "5400")
    page.click("#zs-fund-form button[type=submit]")
    page.locator("#zs-fund-form .alert-success").wait_for()
    assert "5,400.00万元（20.00%）" in page.locator("[data-fact=arrivals]").inner_text()

    # Totals of a filtered list follow the change of stage.
    page.goto(live_server.url + "/projects/?stage=started")
    assert totals(page) == ("2", "14.70亿元")
    assert page.js_errors == []


def test_follow_up_from_a_phone(browser, live_server, login, seeded, make_user, zone, unit):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    make_user("walker", zone, "unit", unit=unit)
    project = Project.objects.get(name="光伏组件")
    login(page, live_server, "walker", next_path=f"/projects/{project.pk}/")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    # No sideways scrolling on a phone: the page fits the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    form = page.locator("#zs-follow-up-form")
    form.scroll_into_view_if_needed()
    assert form.is_visible()
    page.fill("#zs-follow-up-form #id_summary", "走访后当场记录")
    page.tap("#zs-follow-up-form button[type=submit]")
    page.locator("#zs-follow-up-form .alert-success").wait_for()
    assert FollowUp.objects.filter(project=project, summary="走访后当场记录").exists()
    # The navigation opens from the menu button.
    page.tap("button[aria-controls=zs-sidebar]")
    page.locator("#zs-sidebar a[href='/projects/']").wait_for(state="visible")
    context.close()
