"""The figures of a fund, on a hand-checked case (see conftest.fund_case)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.funds import actions, figures


def test_a_sub_fund(fund_case):
    f = figures.compute(fund_case["a"])
    assert f["committed"] == Decimal("50000")
    assert f["paid_in"] == Decimal("30000")
    assert f["invested"] == Decimal("12000")
    assert f["local"] == Decimal("8000")
    assert f["local_share"] == Decimal("0.6667")
    assert f["projects"] == 2
    assert f["project_capital"] == Decimal("85000")  # 60,000 + 25,000
    assert f["fund_in_projects"] == Decimal("8000")
    assert f["leverage"] == Decimal("10.6250")  # 85,000 ÷ 8,000
    assert f["reinvest"] == Decimal("0.4000")  # 8,000 ÷ 20,000
    assert f["reinvest_met"] is False  # target 1.5×


def test_a_project_counts_once_for_the_mother_fund(fund_case):
    f = figures.compute(fund_case["mother"])
    assert f["invested"] == Decimal("15000")  # 12,000 + 2,000 + 1,000
    assert f["local"] == Decimal("11000")
    assert f["projects"] == 2  # P1 is in both sub-funds
    assert f["project_capital"] == Decimal("85000")
    assert f["fund_in_projects"] == Decimal("10000")
    assert f["leverage"] == Decimal("8.5000")
    assert f["sub_funds"] == 2
    assert f["sub_fund_size"] == Decimal("80000")
    assert f["mother_commitments"] == Decimal("30000")
    assert f["amplification"] == Decimal("2.6667")
    assert f["reinvest"] == Decimal("0.3548")  # 11,000 ÷ (30,000 + 1,000)
    assert f["paid_in"] == Decimal("40000")


def test_the_zone_totals_are_by_mother_fund(fund_case):
    from zhaoshang.funds.models import Fund

    totals = figures.zone_totals(Fund.objects.all())
    assert totals["committed"] == Decimal("100000")
    assert totals["project_capital"] == Decimal("85000")
    assert totals["leverage"] == Decimal("8.5000")


def test_the_brought_projects_carry_the_fund_money(fund_case):
    rows = {p.name: p.fund_amount for p in figures.brought_projects(fund_case["mother"])}
    assert rows == {"储能电池基地项目": Decimal("7000"), "正极材料项目": Decimal("3000")}


def test_paid_in_may_not_exceed_the_commitment(fund_case):
    import datetime as dt

    with pytest.raises(ValidationError, match="实缴合计 50,020万元 将超过认缴规模 50,000万元"):
        actions.add_call(fund_case["a"], date=dt.date(2025, 1, 1), amount=Decimal("20020"))


def test_a_sub_fund_cannot_be_a_mother(zone, fund_case):
    with pytest.raises(ValidationError, match="本身是子基金"):
        actions.create_fund(zone=zone, name="孙基金", size=Decimal("1000"), parent=fund_case["a"])


def test_a_mother_commitment_needs_a_mother(zone):
    with pytest.raises(ValidationError, match="只适用于子基金"):
        actions.create_fund(zone=zone, name="独立基金", size=Decimal("1000"), parent_commitment=Decimal("500"))


def test_an_investment_needs_an_investee(fund_case):
    import datetime as dt

    with pytest.raises(ValidationError, match="请选择招引项目或被投企业"):
        actions.add_investment(fund_case["a"], date=dt.date(2025, 1, 1), amount=Decimal("10"))


def test_a_fund_with_investments_cannot_be_deleted(fund_case):
    with pytest.raises(ValidationError, match="不能删除"):
        actions.delete_fund(fund_case["a"])
