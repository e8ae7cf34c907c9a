"""A unit member creates a project in Chromium: the unit is fixed to theirs, the history
part takes the real past, and they land on the new project's page."""

import re

import pytest

from zhaoshang.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_unit_member_creates_a_project_and_lands_on_it(browser_page, live_server, login, make_user, zone, unit, other_unit):
    page = browser_page
    make_user("walker", zone, "unit", unit=unit)
    login(page, live_server, "walker", next_path="/projects/new/")
    page.goto(live_server.url + "/projects/new/")
    unit_field = page.locator("#id_responsible_unit")
    assert unit_field.is_disabled()
    assert unit_field.locator("option:checked").inner_text() == unit.name
    assert "签约需填写：投资主体、计划总投资、责任单位、签约日期" in page.locator("#zs-stage-needs").inner_text()

    page.fill("#id_name", "高纯石英砂项目")
    page.fill("#id_total_investment", "24000")
    page.select_option("#id_stage", "negotiating")
    page.fill("#id_lead_on", "2024-01-05")
    page.fill("#id_negotiating_on", "2024-02-01")
    page.click("#zs-project-form button[type=submit]")
    page.wait_for_url(re.compile(r"/projects/\d+/$"))

    project = Project.objects.get(name="高纯石英砂项目")
    assert page.url.endswith(f"/projects/{project.pk}/")
    assert project.responsible_unit == unit and project.stage == "negotiating"
    assert "高纯石英砂项目" in page.locator("h1").inner_text()
    timeline = page.locator("#zs-timeline").inner_text()
    assert "2024-01-05" in timeline and "2024-02-01" in timeline
    assert "进入签约还需：投资主体" in page.locator("#zs-next-needs").inner_text()
    assert page.js_errors == []
