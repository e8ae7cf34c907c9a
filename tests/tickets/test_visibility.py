"""Who sees which tickets (and, for departments, which projects)."""

import pytest

from zhaoshang.core.actions import create_unit
from zhaoshang.projects.models import Project
from zhaoshang.tickets.models import Ticket


@pytest.fixture
def tickets(make_ticket, make_project, project, other_unit, department, second_department, bureau_user):
    foreign_project = make_project(name="数字经济项目", responsible_unit=other_unit)
    return {
        "mine": make_ticket("本部门牵头", project=project, department=department),
        "co": make_ticket("本部门协办", project=foreign_project, department=second_department, co_departments=[department]),
        "other": make_ticket("他部门", project=foreign_project, department=second_department),
        "pending": make_ticket("待分派", project=project),
    }


def titles(user):
    return sorted(Ticket.objects.visible_to(user).values_list("title", flat=True))


def test_the_bureau_and_leadership_see_the_whole_zone(tickets, bureau_user, leadership_user):
    assert titles(bureau_user) == sorted(t.title for t in tickets.values())
    assert titles(leadership_user) == titles(bureau_user)


def test_a_department_sees_what_it_leads_or_co_handles(tickets, department_user):
    assert titles(department_user) == ["本部门协办", "本部门牵头"]


def test_a_unit_member_sees_the_tickets_of_its_projects(tickets, unit_user, other_unit_user):
    assert titles(unit_user) == ["待分派", "本部门牵头"]
    assert titles(other_unit_user) == ["他部门", "本部门协办"]


def test_a_park_user_sees_tickets_of_projects_in_its_park(tickets, park_user):
    assert titles(park_user) == ["待分派", "本部门牵头"]


def test_observers_and_other_zones_see_none(tickets, observer_user, make_user, other_zone):
    assert titles(observer_user) == []
    assert titles(make_user("far", other_zone, "bureau")) == []


def test_a_department_reads_the_projects_of_its_tickets_in_one_query(
    tickets, department_user, project, django_assert_num_queries
):
    from zhaoshang.core import access

    access.memberships(department_user)  # the memberships are read once per request
    with django_assert_num_queries(1):
        names = sorted(Project.objects.visible_to(department_user).values_list("name", flat=True))
    assert names == ["储能电池项目", "数字经济项目"]


def test_a_department_without_tickets_reads_no_project(tickets, make_user, zone):
    idle = create_unit(zone=zone, name="人社局", kind="department")
    assert not Project.objects.visible_to(make_user("hr", zone, "department", unit=idle)).exists()
