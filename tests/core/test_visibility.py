"""Row-level visibility for every domain model, persona by persona."""

import pytest
from django.db.models import Q

from zhaoshang.core import access
from zhaoshang.core.actions import update_zone
from zhaoshang.core.models import OrgUnit, Park, Person, Zone
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageChange, _project_rules, add_project_rule


def names(queryset, field="name"):
    return set(queryset.values_list(field, flat=True))


def project_names_of(model, user):
    return set(model.objects.visible_to(user).values_list("project__name", flat=True))


@pytest.fixture
def personas(bureau_user, unit_user, other_unit_user, department_user, park_user, observer_user):
    return {
        "bureau": bureau_user, "unit": unit_user, "other_unit": other_unit_user,
        "department": department_user, "park": park_user, "observer": observer_user,
    }


EXPECTED_PROJECTS = {
    "bureau": {"甲专班项目", "乙专班项目"},
    "unit": {"甲专班项目"},
    "other_unit": {"乙专班项目"},
    "department": set(),  # until tickets assign it one (tickets' rule)
    "park": {"乙专班项目"},
    "observer": set(),
}


@pytest.mark.parametrize("persona", list(EXPECTED_PROJECTS))
def test_projects_and_their_parts_follow_the_project(world, personas, persona):
    user = personas[persona]
    expected = EXPECTED_PROJECTS[persona]
    assert names(Project.objects.visible_to(user)) == expected
    for model in (FollowUp, FundArrival, StageChange):
        assert project_names_of(model, user) == expected, model.__name__


EXPECTED_ENTERPRISES = {
    "bureau": {"甲投资有限公司", "乙投资有限公司", "无项目企业"},
    "unit": {"甲投资有限公司"},
    "other_unit": {"乙投资有限公司"},
    "department": set(),
    "park": {"乙投资有限公司"},
    "observer": set(),
}


@pytest.mark.parametrize("persona", list(EXPECTED_ENTERPRISES))
def test_enterprises_are_those_of_visible_projects_or_the_whole_zone(world, personas, persona):
    assert names(Enterprise.objects.visible_to(personas[persona])) == EXPECTED_ENTERPRISES[persona]


def test_units_parks_people_and_zones_are_read_by_zone_members_only(world, zone, other_zone, personas, make_user):
    from zhaoshang.core.actions import create_person

    create_person(zone=zone, name="王建国", is_leader=True)
    create_person(zone=other_zone, name="外区领导", is_leader=True)
    for user in personas.values():
        assert names(Zone.objects.visible_to(user)) == {zone.name}
        assert "外区专班" not in names(OrgUnit.objects.visible_to(user))
        assert "新能源新材料专班" in names(OrgUnit.objects.visible_to(user))
        assert names(Person.objects.visible_to(user)) == {"王建国"}
        assert names(Park.objects.visible_to(user)) == {"新材料产业园"}
    outsider = make_user("outsider", other_zone, "bureau")
    assert names(Person.objects.visible_to(outsider)) == {"外区领导"}
    assert names(Project.objects.visible_to(outsider)) == {"外区项目"}


def test_a_deactivated_user_sees_nothing(world, unit_user):
    unit_user.is_active = False
    unit_user.save()
    unit_user = type(unit_user).objects.get(pk=unit_user.pk)
    assert not Project.objects.visible_to(unit_user).exists()
    assert not Enterprise.objects.visible_to(unit_user).exists()


def test_a_user_with_roles_in_two_zones_sees_each_zone_by_its_role(world, zone, other_zone, unit, make_user):
    from zhaoshang.core.actions import grant_role

    user = make_user("twozones", zone, "unit", unit=unit)
    grant_role(user=user, zone=other_zone, role="leadership")
    user = type(user).objects.get(pk=user.pk)
    assert names(Project.objects.visible_to(user)) == {"甲专班项目", "外区项目"}


def test_listed_for_shows_other_units_name_stage_and_unit_only_when_the_zone_allows(world, zone, unit_user, bureau_user, park_user):
    assert list(Project.objects.listed_for(unit_user)) == []
    update_zone(zone, units_see_other_units=True)
    unit_user = type(unit_user).objects.get(pk=unit_user.pk)
    rows = list(Project.objects.listed_for(unit_user))
    assert [row["name"] for row in rows] == ["乙专班项目"]
    assert set(rows[0]) == {"pk", "code", "name", "stage", "zone_id", "responsible_unit_id", "responsible_unit__name"}
    assert rows[0]["responsible_unit__name"] == "数字经济专班"
    # The full rows stay out of reach, and only unit members get the listing.
    assert names(Project.objects.visible_to(unit_user)) == {"甲专班项目"}
    assert list(Project.objects.listed_for(type(bureau_user).objects.get(pk=bureau_user.pk))) == []
    assert list(Project.objects.listed_for(type(park_user).objects.get(pk=park_user.pk))) == []


def test_another_app_widens_project_readers_with_a_rule(world, department_user, department):
    def rule(user, prefix):
        if department.pk in access.unit_ids(user, role="department"):
            return Q(**{prefix + "name": "乙专班项目"})
        return None

    add_project_rule(rule)
    try:
        assert names(Project.objects.visible_to(department_user)) == {"乙专班项目"}
        assert project_names_of(FollowUp, department_user) == {"乙专班项目"}
        assert names(Enterprise.objects.visible_to(department_user)) == {"乙投资有限公司"}
    finally:
        _project_rules.remove(rule)


def test_scoping_costs_a_fixed_number_of_queries(world, unit_user, make_project, unit, django_assert_num_queries):
    unit_user = type(unit_user).objects.get(pk=unit_user.pk)

    def listing():
        return [
            (p.name, p.responsible_unit.name, p.investor and p.investor.name)
            for p in Project.objects.visible_to(unit_user).select_related("responsible_unit", "investor")
        ]

    with django_assert_num_queries(2):  # memberships once, then the rows
        first = listing()
    for number in range(20):
        make_project(name=f"新增项目{number}", responsible_unit=unit)
    with django_assert_num_queries(1):  # memberships are cached on the user
        second = listing()
    assert len(second) == len(first) + 20
