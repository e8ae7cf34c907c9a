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
    """The demo zone's structure, projects and users, without the extras (chain maps,
    support areas, tickets, assessment) that their own tests seed."""
    from zhaoshang.core import demo

    return demo.seed_demo(extras=False)


@pytest.fixture
def make_user(db):
    """A user with a role in a zone: make_user("alice", zone, "unit", unit=...)."""
    from django.contrib.auth import get_user_model

    from zhaoshang.core.actions import grant_role

    def make(username, zone, role, unit=None, park=None, password="pass-for-tests-1"):
        user = get_user_model().objects.create_user(username=username, password=password)
        grant_role(user=user, zone=zone, role=role, unit=unit, park=park)
        return user

    return make


@pytest.fixture
def department(zone):
    return create_unit(zone=zone, name="自然资源局", kind=OrgUnit.Kind.DEPARTMENT)


# Personas for permission tests: a bureau user, two task-force users of different units,
# a department user, a park user and an observer, all in the test zone.
@pytest.fixture
def bureau_user(make_user, zone):
    return make_user("bureau", zone, "bureau")


@pytest.fixture
def unit_user(make_user, zone, unit):
    return make_user("alice", zone, "unit", unit=unit)


@pytest.fixture
def other_unit_user(make_user, zone, other_unit):
    return make_user("bob", zone, "unit", unit=other_unit)


@pytest.fixture
def department_user(make_user, zone, department):
    return make_user("dept", zone, "department", unit=department)


@pytest.fixture
def park_user(make_user, zone, park):
    return make_user("parker", zone, "park", park=park)


@pytest.fixture
def observer_user(make_user, zone):
    return make_user("observer", zone, "observer")
