import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.funds import actions

D = dt.date.fromisoformat


@pytest.fixture
def fund_case(zone, make_project):
    """A hand-checked case (万元):
    mother 阳泉产业母基金, size 100,000, paid in 40,000, one direct local investment of 1,000;
    sub A 新能源子基金: size 50,000, mother commits 20,000, returns target 1.5×, paid in 30,000;
       → P1 (project of 60,000) 5,000 local; → P2 (25,000) 3,000 local; → an outside company 4,000 not local
    sub B 数字经济子基金: size 30,000, mother commits 10,000; → P1 2,000 local."""
    p1 = make_project(name="储能电池基地项目", amount="60000", signed_on="2024-05-01")
    p2 = make_project(name="正极材料项目", amount="25000", signed_on="2024-07-01")
    outside = create_enterprise(zone=zone, name="深圳某电池科技有限公司")
    mother = actions.create_fund(zone=zone, name="阳泉产业母基金", size=Decimal("100000"), manager="阳泉产业投资有限公司")
    a = actions.create_fund(zone=zone, name="新能源子基金", size=Decimal("50000"), parent=mother,
                            parent_commitment=Decimal("20000"), reinvest_target=Decimal("1.5"))
    b = actions.create_fund(zone=zone, name="数字经济子基金", size=Decimal("30000"), parent=mother, parent_commitment=Decimal("10000"))
    actions.add_call(mother, date=D("2023-12-01"), amount=Decimal("40000"))
    actions.add_call(a, date=D("2024-01-10"), amount=Decimal("20000"))
    actions.add_call(a, date=D("2024-06-10"), amount=Decimal("10000"))
    actions.add_investment(a, date=D("2024-05-20"), amount=Decimal("5000"), project=p1)
    actions.add_investment(a, date=D("2024-07-20"), amount=Decimal("3000"), project=p2)
    actions.add_investment(a, date=D("2024-08-01"), amount=Decimal("4000"), enterprise=outside, is_local=False, round="a")
    actions.add_investment(b, date=D("2024-09-01"), amount=Decimal("2000"), project=p1)
    actions.add_investment(mother, date=D("2024-10-01"), amount=Decimal("1000"), investee_name="阳泉本地初创公司", round="angel")
    return {"mother": mother, "a": a, "b": b, "p1": p1, "p2": p2}
