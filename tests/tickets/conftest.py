import datetime as dt
import zoneinfo

import pytest

from zhaoshang.core.actions import create_unit
from zhaoshang.core.models import OrgUnit
from zhaoshang.tickets import actions

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware datetime on a local date (Asia/Shanghai), for backdated steps."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def second_department(zone):
    return create_unit(zone=zone, name="住建局", kind=OrgUnit.Kind.DEPARTMENT)


@pytest.fixture
def second_department_user(make_user, zone, second_department):
    return make_user("zhujian", zone, "department", unit=second_department)


@pytest.fixture
def leadership_user(make_user, zone):
    return make_user("leader", zone, "leadership")


@pytest.fixture
def project(make_project, unit, park):
    return make_project(name="储能电池项目", responsible_unit=unit, park=park)


@pytest.fixture
def make_ticket(zone, bureau_user):
    """A ticket raised by the bureau (assigned at once when `department` is given)."""

    def make(title="用地指标不足", category="用地", actor=None, when=None, **fields):
        return actions.raise_ticket(
            zone=fields.pop("ticket_zone", zone), category=category, title=title, actor=actor or bureau_user,
            at=at(when) if isinstance(when, str) else when, **fields,
        )

    return make
