import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.industry.models import IndustryChain
from zhaoshang.policies import actions
from zhaoshang.stats import actions as stats_actions

TODAY = dt.date(2025, 6, 30)


@pytest.fixture
def chain(zone):
    return IndustryChain.objects.get(zone=zone, name="新能源电池及材料")


@pytest.fixture
def battery_maker(zone, unit, park, chain, make_project):
    """A 专精特新 battery-materials maker: 2024 revenue 2,600万元, 120 employees, in the
    statistics, one started fixed-asset project of 3亿 in 新材料产业园 since 2022-03-01."""
    company = create_enterprise(zone=zone, name="常州锂源新能源科技有限公司", tags=["专精特新", "高新技术企业"])
    stats_actions.update_profile(company, industry_code="C", in_statistics=True)
    stats_actions.record_annual_figures(company, year=2023, revenue=Decimal("1800"), employees=90)
    stats_actions.record_annual_figures(company, year=2024, revenue=Decimal("2600"), employees=120)
    make_project(
        name="年产5万吨磷酸铁锂正极材料项目", amount="30000", investor=company, responsible_unit=unit, park=park,
        chain=chain, signed_on="2022-01-10", started_on="2022-03-01", stage="started",
    )
    return company


@pytest.fixture
def small_shop(zone, unit, make_project):
    """A young company without tags or figures, behind a negotiating project of the unit."""
    company = create_enterprise(zone=zone, name="阳泉小微科技有限公司")
    make_project(name="小微项目", amount="800", investor=company, responsible_unit=unit, stage="negotiating")
    return company


@pytest.fixture
def make_policy(zone):
    def make(title, conditions, **fields):
        # open-ended, so a policy stays in force on TODAY and on whatever day the pages
        # (which use the real date) are tested
        fields.setdefault("valid_from", dt.date(2024, 1, 1))
        fields.setdefault("valid_to", None)
        return actions.create_policy(zone=zone, title=title, conditions=conditions, **fields)

    return make


@pytest.fixture
def growth_policy(make_policy):
    """专精特新 manufacturers in the battery chain with revenue ≥ 2000万 and ≥ 100 staff."""
    return make_policy("专精特新企业成长奖励", [
        ("chain", "in", "新能源电池及材料"),
        ("tag", "in", "专精特新、小巨人"),
        ("revenue", "gte", "2000"),
        ("employees", "gte", "100"),
    ], benefit_kind="reward", benefit="一次性奖励50万元", max_amount=Decimal("50"))
