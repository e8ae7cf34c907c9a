import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.projects import actions as project_actions

D = dt.date.fromisoformat


@pytest.fixture
def world(zone, other_zone, unit, other_unit, park, make_project):
    """Ours (unit's), theirs (other unit's, landing in the park), one in another zone; each
    with an investor, a follow-up and a fund arrival."""
    from types import SimpleNamespace

    from zhaoshang.core.actions import create_unit

    made = SimpleNamespace()
    made.ours_investor = create_enterprise(zone=zone, name="甲投资有限公司", contact_person="张三丰", contact_phone="13812345678")
    made.theirs_investor = create_enterprise(zone=zone, name="乙投资有限公司")
    made.lonely = create_enterprise(zone=zone, name="无项目企业")
    made.ours = make_project(name="甲专班项目", responsible_unit=unit, investor=made.ours_investor,
                             contact_person="张三丰", contact_phone="13812345678", signed_on="2024-03-01")
    made.theirs = make_project(name="乙专班项目", responsible_unit=other_unit, park=park, investor=made.theirs_investor,
                               contact_person="李四", contact_phone="13987654321", signed_on="2024-04-01")
    elsewhere_unit = create_unit(zone=other_zone, name="外区专班", kind="task_force")
    made.elsewhere_investor = create_enterprise(zone=other_zone, name="外区企业")
    made.elsewhere = make_project(name="外区项目", project_zone=other_zone, responsible_unit=elsewhere_unit,
                                  investor=made.elsewhere_investor, signed_on="2024-03-01")
    for project in (made.ours, made.theirs, made.elsewhere):
        project_actions.add_follow_up(project, date=D("2024-05-01"), summary=f"{project.name}走访")
        project_actions.add_fund_arrival(project, date=D("2024-06-01"), amount=Decimal("100"))
    return made
