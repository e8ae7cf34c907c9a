"""Introducer rewards by a sample policy: 1亿元以下部分3‰, 1亿至5亿元部分2‰, 5亿元以上部分1.5‰,
at most 100万元 a project, only when started within a year of signing."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.campaigns import actions, rewards
from zhaoshang.campaigns.models import Source
from zhaoshang.projects import actions as project_actions

from .conftest import D


@pytest.fixture
def introducer(zone):
    return actions.create_introducer(zone=zone, name="李文博", organisation="在京商会")


@pytest.fixture
def credited(make_project, introducer):
    project = make_project(name="储能基地项目", amount="100000", signed_on="2025-03-01", started_on="2025-09-01")
    actions.set_project_source(project, kind=Source.INTRODUCER, introducer=introducer)
    return project


def _arrive(project, *amounts):
    for index, amount in enumerate(amounts):
        project_actions.add_fund_arrival(project, date=D("2025-10-01") + dt.timedelta(days=index), amount=Decimal(amount))


def test_it_computes_the_marginal_tiers_line_by_line(rule, credited):
    _arrive(credited, "20000", "15000.50")  # 35,000.50万元 in place
    calc = rewards.calculate(rule, credited, as_of=D("2026-06-30"))
    assert calc.eligible
    assert [(line.base, line.permille, line.amount) for line in calc.lines] == [
        (Decimal("10000"), Decimal("3"), Decimal("30.00")),
        (Decimal("25000.50"), Decimal("2"), Decimal("50.00")),
    ]
    assert calc.total == Decimal("80.00") and not calc.capped


def test_the_cap_limits_the_reward(rule, credited):
    _arrive(credited, "60000")  # 30 + 80 + 15 = 125 → 100
    calc = rewards.calculate(rule, credited, as_of=D("2026-06-30"))
    assert calc.uncapped == Decimal("125.00") and calc.total == Decimal("100.00") and calc.capped


def test_funds_after_the_as_of_date_do_not_count(rule, credited):
    _arrive(credited, "20000")
    assert rewards.calculate(rule, credited, as_of=D("2025-09-30")).total == Decimal("0.00")


def test_a_project_started_late_earns_nothing(rule, make_project, introducer):
    late = make_project(name="晚开工项目", amount="50000", signed_on="2024-01-01", started_on="2025-03-01")
    actions.set_project_source(late, kind=Source.INTRODUCER, introducer=introducer)
    _arrive(late, "20000")
    calc = rewards.calculate(rule, late, as_of=D("2026-06-30"))
    assert not calc.eligible and calc.total == 0
    assert "须在签约后365天内（2024-12-31前）开工" in calc.conditions[0]


def test_payments_never_exceed_what_is_due(rule, credited, introducer):
    _arrive(credited, "20000")  # due 30 + 20 = 50
    actions.record_payment(introducer=introducer, project=credited, rule=rule, amount="30", paid_on=D("2026-01-10"), today=D("2026-06-30"))
    with pytest.raises(ValidationError) as error:
        actions.record_payment(introducer=introducer, project=credited, rule=rule, amount="20.01", paid_on=D("2026-02-10"), today=D("2026-06-30"))
    assert "超过尚未支付的应奖金额（20.00万元）" in str(error.value)


def test_a_payment_needs_the_project_to_be_the_introducers(rule, make_project, introducer):
    other = make_project(name="自主上门项目", signed_on="2025-03-01")
    with pytest.raises(ValidationError) as error:
        actions.record_payment(introducer=introducer, project=other, rule=rule, amount="1", paid_on=D("2026-01-10"))
    assert "未登记为“李文博”引荐的项目" in str(error.value)


def test_tiers_must_rise(zone):
    with pytest.raises(ValidationError) as error:
        actions.create_reward_rule(zone=zone, name="错误政策", tiers=[("50000", "2"), ("10000", "3")])
    assert "逐档递增" in str(error.value)


def test_the_introducer_page_shows_the_calculation(client, rule, credited, introducer, bureau_user):
    _arrive(credited, "60000")
    client.force_login(bureau_user)
    page = client.get(f"/campaigns/introducers/{introducer.pk}/").content.decode()
    assert "应奖（按上限）" in page
    assert re.search(r'reward-total">100(\.00)?(万元)?<', page)
    assert "50,000.00万元以上部分" in page or "50,000万元以上部分" in page
