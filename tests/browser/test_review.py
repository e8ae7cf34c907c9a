"""联合会审 in Chromium, as the demo bureau: the month's claims with their evidence, certify
two in one pass, return one with a reason, and the figure takes in what was certified."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from zhaoshang.core.demo import DEMO_PASSWORD
from zhaoshang.projects import kpi
from zhaoshang.review import demo as review_demo
from zhaoshang.review.models import Claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_bureau_certifies_the_months_claims_with_their_evidence(browser_page, live_server, login, demo_zone):
    today = dt.date.today()
    review_demo.seed(demo_zone, today=today)
    # The demo picks its claims from the projects standing in the right stage.
    first, second = (claim.project.name for claim in Claim.objects.filter(kind="signed", status="pending").order_by("pk"))
    started = Claim.objects.get(kind="started", status="pending").project.name
    page = browser_page
    login(page, live_server, "demo-bureau", password=DEMO_PASSWORD, next_path="/review/")
    page.goto(live_server.url + "/review/")
    rows = page.locator("table.zs-claims tbody tr[data-claim]")
    expect(rows).to_have_count(4)
    expect(page.locator("[data-count=pending]")).to_have_text("4")

    # Each claim shows its evidence, and the file opens.
    signing = rows.filter(has_text=first)
    link = signing.locator(".zs-evidence a").first
    expect(link).to_have_text(f"{first}投资合同.pdf")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")

    # Certify the two signings in one pass.
    period = kpi.Period.year(today.year, as_of=today)
    before = kpi.compute(kpi.scope(demo_zone), period)["signed_count"]
    signing.locator("input[name=claim]").check()
    rows.filter(has_text=second).locator("input[name=claim]").check()
    page.click("#zs-certify")
    expect(page.locator("body")).to_contain_text("已认定2项")
    assert kpi.compute(kpi.scope(demo_zone), period)["signed_count"] == before + 2

    # Return the start with a reason.
    start = page.locator("table.zs-claims tbody tr[data-claim]").filter(has_text=started)
    start.locator("summary").click()
    start.locator("input[name=reason]").fill("施工许可证照片不清晰，请补充现场照片")
    start.get_by_role("button", name="退回").click()
    expect(page.locator("body")).to_contain_text("已退回")
    start = page.locator("table.zs-claims tbody tr[data-claim]").filter(has_text=started)
    expect(start.locator("[data-return-reason]")).to_have_text("施工许可证照片不清晰，请补充现场照片")
    assert Claim.objects.filter(project__zone=demo_zone, status="pending").count() == 1
    assert not page.js_errors
