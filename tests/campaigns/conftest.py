import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.campaigns import actions

D = dt.date.fromisoformat
TODAY = D("2026-06-30")


@pytest.fixture
def trip(zone, unit):
    trip = actions.create_trip(
        zone=zone, title="赴深圳招商", unit=unit, start_on=D("2026-05-10"), end_on=D("2026-05-12"),
        province="广东省", city="深圳市", purpose="对接储能企业",
    )
    return trip


@pytest.fixture
def approved_trip(trip):
    return actions.approve_trip(trip)


@pytest.fixture
def signed_projects(make_project, unit):
    return [
        make_project(name="储能电池项目", amount="25000", signed_on="2026-03-01", responsible_unit=unit),
        make_project(name="正极材料项目", amount="12345.67", signed_on="2026-03-01", responsible_unit=unit),
        make_project(name="回收利用项目", amount="8000", signed_on="2026-03-01", responsible_unit=unit),
    ]


@pytest.fixture
def rule(zone):
    return actions.create_reward_rule(
        zone=zone, name="引荐奖励办法", tiers=[(Decimal("10000"), Decimal("3")), (Decimal("50000"), Decimal("2")), (None, Decimal("1.5"))],
        cap=Decimal("100"), start_within_days=365,
    )
