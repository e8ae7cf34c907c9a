"""Projects over the API: each persona sees exactly the projects its pages show, in lists,
details and filters; writes go through the project actions with their rules and messages."""

import pytest

from tests.api.conftest import fields, ids
from zhaoshang.projects.models import Project

PROJECTS = "/api/v1/projects/"


@pytest.fixture
def projects(make_project, unit, other_unit, park, other_zone):
    return {
        "mine": make_project("锂电池正极材料项目", responsible_unit=unit, signed_on="2024-03-05",
                             contact_person="张三丰", contact_phone="13812345678"),
        "theirs": make_project("智算中心项目", responsible_unit=other_unit, signed_on="2024-04-01", park=park,
                               contact_person="李四", contact_phone="13987654321"),
        "lead": make_project("数据标注基地", responsible_unit=other_unit),
        "elsewhere": make_project("外区项目", project_zone=other_zone),
    }


def test_each_persona_lists_exactly_its_projects(client_for, projects, bureau_user, unit_user, other_unit_user,
                                                 park_user, department_user, observer_user):
    p = {key: project.pk for key, project in projects.items()}
    assert ids(client_for(bureau_user).get(PROJECTS)) == {p["mine"], p["theirs"], p["lead"]}
    assert ids(client_for(unit_user).get(PROJECTS)) == {p["mine"]}
    assert ids(client_for(other_unit_user).get(PROJECTS)) == {p["theirs"], p["lead"]}
    assert ids(client_for(park_user).get(PROJECTS)) == {p["theirs"]}
    assert ids(client_for(department_user).get(PROJECTS)) == set()
    assert ids(client_for(observer_user).get(PROJECTS)) == set()


def test_another_units_project_is_404_in_detail_and_absent_from_filters(client_for, projects, unit_user, other_unit):
    api = client_for(unit_user)
    response = api.get(f"{PROJECTS}{projects['theirs'].pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # Filtering by the other unit, its stage or its name finds nothing.
    assert ids(api.get(PROJECTS, {"unit": other_unit.pk})) == set()
    assert ids(api.get(PROJECTS, {"q": "智算"})) == set()
    assert ids(api.get(PROJECTS, {"stage": "signed"})) == {projects["mine"].pk}
    # Nor can its records be reached through the project's id.
    assert ids(api.get("/api/v1/stage-changes/", {"project": projects["theirs"].pk})) == set()


def test_filters_are_the_pages(client_for, projects, bureau_user, other_unit):
    api = client_for(bureau_user)
    assert ids(api.get(PROJECTS, {"unit": other_unit.pk})) == {projects["theirs"].pk, projects["lead"].pk}
    assert ids(api.get(PROJECTS, {"stage": "lead"})) == {projects["lead"].pk}
    assert ids(api.get(PROJECTS, {"q": "锂电池"})) == {projects["mine"].pk}
    assert ids(api.get(PROJECTS, {"signed_from": "2024-04-01", "signed_to": "2024-12-31"})) == {projects["theirs"].pk}


def test_bad_filter_value_is_400_naming_the_parameter(client_for, projects, bureau_user):
    response = client_for(bureau_user).get(PROJECTS, {"signed_from": "2024-13-45"})
    assert response.status_code == 400
    assert "signed_from" in fields(response)


def test_paging_and_sorting_as_on_the_page(client_for, projects, bureau_user):
    api = client_for(bureau_user)
    first = api.get(PROJECTS, {"page_size": 2, "sort": "-signed"}).json()
    assert first["count"] == 3
    assert [row["name"] for row in first["results"]] == ["智算中心项目", "锂电池正极材料项目"]
    second = api.get(first["next"]).json()
    assert [row["name"] for row in second["results"]] == ["数据标注基地"]
    response = api.get(PROJECTS, {"page": 99})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert api.get(PROJECTS, {"sort": "nonsense"}).status_code == 400


def test_contacts_are_masked_for_the_park(client_for, projects, park_user, other_unit_user):
    masked = client_for(park_user).get(f"{PROJECTS}{projects['theirs'].pk}/").json()
    assert masked["contact_person"] == "李*" and masked["contact_phone"] == "139****4321"
    full = client_for(other_unit_user).get(f"{PROJECTS}{projects['theirs'].pk}/").json()
    assert full["contact_person"] == "李四" and full["contact_phone"] == "13987654321"


def test_unit_member_creates_a_project_for_its_unit(client_for, unit_user, unit, zone):
    from zhaoshang.enterprises.actions import create_enterprise

    investor = create_enterprise(zone=zone, name="氢能装备有限公司")
    response = client_for(unit_user).post(PROJECTS, {"name": "氢能装备项目", "total_investment": "35000.5",
                                                     "investor": investor.pk, "signed_on": "2025-02-03"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert project.responsible_unit == unit and project.zone == zone
    assert body["stage"] == "signed" and body["total_investment"] == "35000.50" and body["version"] == 1
    assert response["ETag"] == '"1"'
    assert list(project.stage_changes.values_list("to_stage", flat=True)) == ["negotiating", "signed"]


def test_unit_member_cannot_create_for_another_unit(client_for, unit_user, other_unit):
    response = client_for(unit_user).post(PROJECTS, {"name": "越权项目", "responsible_unit": other_unit.pk}, format="json")
    assert response.status_code == 403
    assert not Project.objects.filter(name="越权项目").exists()


@pytest.mark.parametrize("persona", ["park_user", "department_user", "observer_user"])
def test_readers_cannot_create(client_for, request, persona, unit):
    user = request.getfixturevalue(persona)
    response = client_for(user).post(PROJECTS, {"name": "不该建的项目", "responsible_unit": unit.pk}, format="json")
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_validation_errors_name_the_field_in_chinese(client_for, bureau_user, projects):
    api = client_for(bureau_user)
    response = api.post(PROJECTS, {"name": "  "}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"name": ["项目名称不能为空"]} or "name" in fields(response)
    response = api.post(PROJECTS, {"name": "日期倒置", "signed_on": "2024-05-01", "started_on": "2024-04-01"}, format="json")
    assert response.status_code == 400
    assert "不能早于" in fields(response)["started_on"][0]
    response = api.post(PROJECTS, {"name": "重复编号", "code": projects["mine"].code}, format="json")
    assert response.status_code == 400
    assert "已存在" in fields(response)["code"][0]
    response = api.post(PROJECTS, {"name": "负数", "total_investment": "-5"}, format="json")
    assert response.status_code == 400 and "total_investment" in fields(response)
    assert response.json()["code"] == "invalid"


def test_references_to_invisible_rows_are_refused(client_for, unit_user, other_zone):
    from zhaoshang.core.actions import create_park

    elsewhere = create_park(zone=other_zone, name="外区园区")
    response = client_for(unit_user).post(PROJECTS, {"name": "跨区", "park": elsewhere.pk}, format="json")
    assert response.status_code == 400
    assert "park" in fields(response)


def test_update_with_the_current_version(client_for, unit_user, projects):
    project = projects["mine"]
    api = client_for(unit_user)
    response = api.patch(f"{PROJECTS}{project.pk}/", {"notes": "已完成尽调"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'
    project.refresh_from_db()
    assert project.notes == "已完成尽调"


def test_stale_version_is_409_and_changes_nothing(client_for, unit_user, bureau_user, projects):
    project = projects["mine"]
    alice, boss = client_for(unit_user), client_for(bureau_user)
    version = alice.get(f"{PROJECTS}{project.pk}/").json()["version"]
    assert boss.patch(f"{PROJECTS}{project.pk}/", {"total_investment": "20000"}, format="json",
                      HTTP_IF_MATCH=f'"{version}"').status_code == 200
    response = alice.patch(f"{PROJECTS}{project.pk}/", {"total_investment": "99999", "version": version}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict" and response.json()["current_version"] == version + 1
    response = alice.patch(f"{PROJECTS}{project.pk}/", {"notes": "x"}, format="json", HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 409
    project.refresh_from_db()
    assert project.total_investment == 20000 and project.notes == "" and project.version == version + 1


def test_bad_if_match_is_400(client_for, unit_user, projects):
    response = client_for(unit_user).patch(f"{PROJECTS}{projects['mine'].pk}/", {"notes": "x"}, format="json",
                                           HTTP_IF_MATCH="abc")
    assert response.status_code == 400 and "If-Match" in fields(response)


def test_park_user_reads_but_may_not_edit(client_for, park_user, projects):
    api = client_for(park_user)
    url = f"{PROJECTS}{projects['theirs'].pk}/"
    assert api.get(url).status_code == 200
    response = api.patch(url, {"notes": "园区备注"}, format="json")
    assert response.status_code == 403
    projects["theirs"].refresh_from_db()
    assert projects["theirs"].notes == ""


def test_unit_member_cannot_edit_another_units_project(client_for, unit_user, projects):
    response = client_for(unit_user).patch(f"{PROJECTS}{projects['theirs'].pk}/", {"notes": "x"}, format="json")
    assert response.status_code == 404


def test_unit_member_cannot_hand_a_project_to_another_unit(client_for, unit_user, projects, other_unit):
    url = f"{PROJECTS}{projects['mine'].pk}/"
    response = client_for(unit_user).patch(url, {"responsible_unit": other_unit.pk}, format="json")
    assert response.status_code == 403
    projects["mine"].refresh_from_db()
    assert projects["mine"].responsible_unit_id != other_unit.pk


def test_stage_is_not_changed_by_update(client_for, bureau_user, projects):
    url = f"{PROJECTS}{projects['lead'].pk}/"
    response = client_for(bureau_user).patch(url, {"stage": "producing"}, format="json")
    assert response.status_code == 200
    assert response.json()["stage"] == "lead"


def test_projects_cannot_be_deleted_over_the_api(client_for, bureau_user, projects):
    response = client_for(bureau_user).delete(f"{PROJECTS}{projects['lead'].pk}/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_user_of_two_zones_filters_in_either(client_for, make_user, zone, other_zone, unit, make_project):
    from zhaoshang.core.actions import create_unit, grant_role

    far_unit = create_unit(zone=other_zone, name="外区专班", kind="task_force")
    here = make_project("本区项目", responsible_unit=unit)
    there = make_project("外区项目", project_zone=other_zone, responsible_unit=far_unit)
    user = make_user("two-zones", zone, "bureau")
    grant_role(user=user, zone=other_zone, role="bureau")
    api = client_for(user)
    assert ids(api.get(PROJECTS)) == {here.pk, there.pk}
    assert ids(api.get(PROJECTS, {"unit": far_unit.pk})) == {there.pk}
    assert ids(api.get(PROJECTS, {"unit": unit.pk})) == {here.pk}


def test_a_unit_of_a_zone_one_does_not_belong_to_is_refused(client_for, unit_user, other_zone):
    from zhaoshang.core.actions import create_unit

    far_unit = create_unit(zone=other_zone, name="外区专班", kind="task_force")
    response = client_for(unit_user).get(PROJECTS, {"unit": far_unit.pk})
    assert response.status_code == 400 and "unit" in fields(response)
