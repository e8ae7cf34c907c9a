import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.core.actions import create_park, create_unit, create_zone
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects import actions

D = dt.date.fromisoformat


@pytest.fixture
def zone(db):
    return create_zone(code="testzone", name="测试高新区", province="山西省", city="阳泉市")


@pytest.fixture
def other_zone(db):
    return create_zone(code="otherzone", name="另一开发区", province="河北省")


@pytest.fixture
def unit(zone):
    return create_unit(zone=zone, name="新能源新材料专班", kind=OrgUnit.Kind.TASK_FORCE)


@pytest.fixture
def other_unit(zone):
    return create_unit(zone=zone, name="数字经济专班", kind=OrgUnit.Kind.TASK_FORCE)


@pytest.fixture
def park(zone):
    return create_park(zone=zone, name="新材料产业园")


@pytest.fixture
def make_project(zone):
    """A project in the test zone; dates as ISO strings, amounts in 万元."""
    counter = iter(range(1, 10_000))

    def make(name=None, amount="10000", project_zone=None, **fields):
        for key in ("signed_on", "started_on", "producing_on", "planned_start_on", "dropped_on"):
            if isinstance(fields.get(key), str):
                fields[key] = D(fields[key])
        return actions.create_project(
            zone=project_zone or zone,
            name=name or f"测试项目{next(counter)}",
            total_investment=Decimal(amount),
            **fields,
        )

    return make


@pytest.fixture
def demo_zone(db):
    from zhaoshang.core import demo

    return demo.seed_demo()
