"""On a phone (390×844): the project, ticket and enterprise lists are cards, not squeezed
tables, and a unit user's project page opens on the next step and 记跟进."""

import datetime as dt

import pytest

pytestmark = pytest.mark.browser

NO_SIDEWAYS = "document.documentElement.scrollWidth <= window.innerWidth"


def _cards(page, selector):
    """(rows shown, rows that are not cards within the screen, header shown?)"""
    return page.evaluate("""(sel) => {
      const table = document.querySelector(sel);
      const rows = [...table.querySelectorAll("tbody tr")];
      const bad = rows.filter((tr) => { const r = tr.getBoundingClientRect();
        return getComputedStyle(tr).display !== "block" || r.left < 0 || r.right > window.innerWidth; });
      const head = table.querySelector("thead");
      return [rows.length, bad.length, head ? getComputedStyle(head).display !== "none" : false];
    }""", selector)


@pytest.mark.django_db(transaction=True)
def test_lists_are_cards_and_the_project_page_starts_with_the_work(phone_page, live_server, login, make_user):
    from zhaoshang.core import demo
    from zhaoshang.core.models import OrgUnit
    from zhaoshang.projects.models import Project
    from zhaoshang.tickets.demo import seed_demo_tickets

    zone = demo.seed_demo(extras=False)
    seed_demo_tickets(zone, today=dt.date(2025, 3, 31))
    unit = OrgUnit.objects.get(zone=zone, name="新能源新材料专班")
    make_user("phone-unit", zone, "unit", unit=unit)
    make_user("phone-bureau", zone, "bureau")
    page = phone_page

    login(page, live_server, "phone-bureau", next_path="/projects/")
    for path, selector in [("/projects/", ".zs-project-table"), ("/tickets/", ".zs-ticket-table"), ("/enterprises/", "table.zs-cards")]:
        page.goto(live_server.url + path)
        page.wait_for_selector(selector)
        rows, bad, header = _cards(page, selector)
        assert rows > 3 and bad == 0 and not header, f"{path}: {rows} rows, {bad} not cards, header shown: {header}"
        assert page.evaluate(NO_SIDEWAYS), f"{path} scrolls sideways on a phone"
    # A card names the project at its head and labels each value.
    page.goto(live_server.url + "/projects/")
    first = page.locator(".zs-project-table tbody tr").first
    assert first.locator(".zs-card-head").is_visible()
    labels = first.evaluate("tr => [...tr.querySelectorAll('td[data-label]')].map(td => getComputedStyle(td, '::before').content)")
    assert '"阶段"' in labels and '"计划总投资（万元）"' in labels, labels

    page.context.clear_cookies()
    login(page, live_server, "phone-unit", next_path="/")
    # A project whose latest follow-up has an open next step (a stage change closes it).
    project = next(p for p in Project.objects.filter(zone=zone, responsible_unit=unit).order_by("pk")
                   if (latest := p.follow_ups.first()) and latest.next_step and not latest.next_step_closed_on)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    top = {name: page.locator(selector).first.bounding_box()["y"] for name, selector in
           [("next", "#zs-next-step"), ("write", "#zs-write-card"), ("facts", "[data-fact=investment]"), ("timeline", ".zs-timeline")]}
    assert top["next"] < top["write"] < top["facts"] < top["timeline"], top
    assert top["write"] < 844, "记跟进 is not on the first screen"
    assert page.evaluate(NO_SIDEWAYS)
