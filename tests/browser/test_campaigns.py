"""A task-force member records, on their unit's approved trip, a visit that turns into a
lead, and follows it to the new project's page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from zhaoshang.campaigns import actions
from zhaoshang.projects.models import Project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trip(zone, unit, unit_user):
    trip = actions.create_trip(
        zone=zone, title="赴深圳招商", unit=unit, start_on=dt.date(2026, 5, 10), end_on=dt.date(2026, 5, 12),
        province="广东省", city="深圳市", purpose="对接储能企业",
    )
    return actions.approve_trip(trip)


def test_a_visit_becomes_a_lead(browser_page, live_server, login, trip, unit):
    page = browser_page
    login(page, live_server, "alice", next_path=f"/campaigns/trips/{trip.pk}/")
    page.goto(f"{live_server.url}/campaigns/trips/{trip.pk}/")
    form = page.locator("#visit-form")
    form.locator("input[name=date]").fill("2026-05-11")
    form.locator("input[name=company_name]").fill("深圳云岭算力科技有限公司")
    form.locator("input[name=met_with]").fill("董事长")
    form.locator("textarea[name=discussion]").fill("洽谈边缘数据中心，约定来区考察")
    form.locator("select[name=outcome]").select_option("lead")
    form.locator("input[name=lead_name]").fill("云岭边缘算力中心项目")
    form.locator("input[name=lead_amount]").fill("18000")
    form.locator("button[type=submit]").click()
    expect(page.locator("body")).to_contain_text("已记录拜访，并形成新线索“云岭边缘算力中心项目”")
    expect(page.locator("#visits")).to_contain_text("形成新线索")
    expect(page.locator("#trip-brought")).to_contain_text("形成线索")

    page.locator("#visits a", has_text="云岭边缘算力中心项目").click()
    page.wait_for_url(f"**/projects/{Project.objects.get(name='云岭边缘算力中心项目').pk}/")
    expect(page.locator("[data-fact=source]")).to_contain_text("外出招商：赴深圳招商")
    project = Project.objects.get(name="云岭边缘算力中心项目")
    assert project.responsible_unit == unit and project.stage == "lead"
    assert project.follow_ups.get().date == dt.date(2026, 5, 11)
    assert page.js_errors == []
