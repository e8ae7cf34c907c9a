"""In Chromium: the bureau raises a ticket from a project page, the department acknowledges
and resolves it, the bureau records the enterprise's rating, and the department's 办结率
on the statistics page changes."""

import pytest

from zhaoshang.tickets import actions
from zhaoshang.tickets.models import Status, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def dept_row(page, department):
    return page.locator(f"#zs-dept-stats tr[data-name='{department.name}']")


def figure(page, department, code):
    return dept_row(page, department).locator(f"td[data-figure={code}]").inner_text()


@pytest.fixture
def project(make_project, unit, park):
    return make_project(name="储能电池项目", responsible_unit=unit, park=park)


def test_raise_resolve_rate_and_the_closing_rate_changes(
    browser, browser_page, live_server, login, project, department, department_user, make_user, zone  # noqa: F811
):
    chief = make_user("chief", zone, "bureau")
    # An open ticket of the department already: 办结率 0.00% before we start.
    actions.raise_ticket(zone=zone, category="税务", title="留抵退税进度", actor=chief, project=project, department=department)

    page = browser_page
    login(page, live_server, "chief", next_path="/tickets/stats/")
    page.goto(live_server.url + "/tickets/stats/")
    assert figure(page, department, "received") == "1"
    assert figure(page, department, "closed_rate") == "0.00%"

    # Raise a ticket from the project page, naming the department (分派 at once).
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.click("#zs-raise-ticket")
    page.wait_for_url("**/tickets/new/?project=*")
    page.fill("#id_title", "蒸汽管网未接通")
    page.select_option("#id_category", label="水电热气")
    page.fill("#id_description", "新厂房年底投产，需接通园区蒸汽")
    page.select_option("#id_department", label=department.name)
    page.click("#zs-ticket-form button[type=submit]")
    page.wait_for_url("**/tickets/*/")
    ticket = Ticket.objects.get(title="蒸汽管网未接通")
    assert ticket.status == Status.ASSIGNED and ticket.project == project
    assert page.locator("#zs-ticket-status").inner_text() == "待受理"

    # The department signs in, finds it in its inbox (and its bell), acknowledges and resolves it.
    other = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    other.set_default_timeout(10_000)
    dept_page = other.new_page()
    login(dept_page, live_server, department_user.username, next_path="/tickets/")
    dept_page.goto(live_server.url + "/tickets/")
    dept_page.wait_for_selector("#zs-bell [data-unread]")
    assert dept_page.locator("#zs-bell [data-unread]").inner_text() == "2"
    dept_page.click("text=蒸汽管网未接通 >> visible=true")
    dept_page.click("button[data-action=acknowledge]")
    dept_page.locator("#zs-action-acknowledge button[type=submit]").click()
    dept_page.wait_for_selector("#zs-ticket-status:has-text('办理中')")
    dept_page.click("button[data-action=resolve]")
    dept_page.fill("#id_resolve-resolution", "已协调热力公司接通蒸汽管网")
    dept_page.locator("#zs-action-resolve button[type=submit]").click()
    dept_page.wait_for_selector("#zs-ticket-status:has-text('已办结')", timeout=30_000)
    other.close()

    # The bureau records the enterprise's rating.
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    page.click("button[data-action=rate]")
    page.check("#zs-action-rate input[value=satisfied]")
    page.locator("#zs-action-rate button[type=submit]").click()
    page.wait_for_selector("#zs-ticket-status:has-text('已评价')", timeout=30_000)

    # One of the department's two tickets is closed now.
    page.goto(live_server.url + "/tickets/stats/")
    assert figure(page, department, "received") == "2"
    assert figure(page, department, "closed_rate") == "50.00%"
    assert figure(page, department, "satisfaction_rate") == "100.00%"
    # The figure links to its rows.
    dept_row(page, department).locator("td[data-figure=closed] a").click()
    page.wait_for_url("**/tickets/?*figure=closed*")
    rows = page.locator("table.zs-ticket-table tbody tr")
    assert rows.count() == 1 and "蒸汽管网未接通" in rows.first.inner_text()
    assert page.js_errors == []
