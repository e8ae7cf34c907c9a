"""Open an enterprise, see its matching policies, record a claim — in Chromium."""

import datetime as dt
from decimal import Decimal

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_enterprise_shows_its_policies_and_a_claim_is_recorded(browser_page, live_server, login, make_user, zone, unit, park, make_project):
    from zhaoshang.enterprises.actions import create_enterprise
    from zhaoshang.industry.models import IndustryChain
    from zhaoshang.policies import actions
    from zhaoshang.policies.models import Claim
    from zhaoshang.stats import actions as stats_actions

    company = create_enterprise(zone=zone, name="常州锂源新能源科技有限公司", tags=["专精特新"])
    stats_actions.update_profile(company, industry_code="C")
    stats_actions.record_annual_figures(company, year=2025, revenue=Decimal("2600"), employees=120)
    chain = IndustryChain.objects.get(zone=zone, name="新能源电池及材料")
    make_project(name="磷酸铁锂正极材料项目", investor=company, responsible_unit=unit, park=park, chain=chain,
                 signed_on="2024-01-10", started_on="2024-03-01", stage="started")
    today = dt.date.today()
    actions.create_policy(zone=zone, title="专精特新企业培育奖励", conditions=[("tag", "in", "专精特新")],
                          valid_from=today - dt.timedelta(days=365), max_amount=Decimal("50"), benefit="奖励50万元")
    actions.create_policy(zone=zone, title="规上工业扩产奖励", conditions=[("sector", "in", "C"), ("revenue", "gte", "5000")],
                          valid_from=today - dt.timedelta(days=365))
    make_user("alice", zone, "unit", unit=unit)

    page = browser_page
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/policies/enterprises/{company.pk}/")
    qualifies = page.locator(".zs-match")
    assert qualifies.count() == 1
    assert "专精特新企业培育奖励" in qualifies.first.inner_text()
    assert "上年度主营业务收入 ≥ 5000万元（现为：2600万元）" in page.locator(".zs-near").first.inner_text()

    qualifies.first.get_by_role("link", name="登记申报").click()
    page.wait_for_load_state("domcontentloaded")
    form = page.locator("#claim-form")
    assert form.locator("select[name=policy]").input_value() != ""
    form.locator("input[name=amount_claimed]").fill("50")
    form.get_by_role("button", name="登记申报").click()
    page.wait_for_load_state("domcontentloaded")

    assert "已登记“专精特新企业培育奖励”的申报" in page.locator(".zs-messages").inner_text()
    assert "已申报" in page.locator(".zs-match").first.inner_text()
    claim = Claim.objects.get()
    assert (claim.enterprise_id, claim.amount_claimed) == (company.pk, Decimal("50"))
    assert "\t50\t" in page.locator("#claims ~ div table").inner_text()  # 万元 without ".00" when whole
    assert page.js_errors == []
