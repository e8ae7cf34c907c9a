"""One date model over the API: history on create, future facts refused, stage dates only
by change-stage or a logged correction, the requirements table, near-duplicates (409)."""

import datetime as dt

import pytest

from tests.api.conftest import fields
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.projects import kpi
from zhaoshang.projects.models import DateCorrection, Project

PROJECTS = "/api/v1/projects/"
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
VALID_USCC = "91350100M000100Y43"


def figures(zone, year):
    return kpi.compute(Project.objects.filter(zone=zone), kpi.Period.year(year))


@pytest.fixture
def investor(zone):
    return create_enterprise(zone=zone, name="阳泉钼业新材料有限公司", uscc=VALID_USCC)


def test_a_backdated_project_created_with_its_history_counts_in_its_year(client_for, bureau_user, zone, unit, park, investor):
    response = client_for(bureau_user).post(PROJECTS, {
        "name": "高纯石英砂项目", "total_investment": "24000", "investor": investor.pk, "responsible_unit": unit.pk,
        "park": park.pk, "lead_on": "2024-01-05", "negotiating_on": "2024-02-01", "signed_on": "2024-03-10",
        "started_on": "2024-06-01"}, format="json")
    assert response.status_code == 201, response.content
    project = Project.objects.get(pk=response.json()["id"])
    assert [(row.to_stage, row.date.isoformat()) for row in project.stage_changes.all()] == [
        ("lead", "2024-01-05"), ("negotiating", "2024-02-01"), ("signed", "2024-03-10"), ("started", "2024-06-01")]
    year = figures(zone, 2024)
    assert (year["signed_count"], year["started_count"]) == (1, 1)


def test_a_future_fact_is_refused_naming_the_field(client_for, bureau_user, unit, investor, make_project):
    api = client_for(bureau_user)
    response = api.post(PROJECTS, {"name": "未来项目", "investor": investor.pk, "responsible_unit": unit.pk,
                                   "signed_on": TOMORROW}, format="json")
    assert response.status_code == 400
    assert fields(response)["signed_on"][0].startswith(f"签约日期（{TOMORROW}）不能晚于今天")
    project = make_project(responsible_unit=unit, signed_on="2024-03-10")
    response = api.post("/api/v1/follow-ups/", {"project": project.pk, "date": TOMORROW, "summary": "走访"}, format="json")
    assert response.status_code == 400 and "不能晚于今天" in fields(response)["date"][0]
    response = api.post("/api/v1/fund-arrivals/", {"project": project.pk, "date": "2024-03-01", "amount": "10"}, format="json")
    assert response.status_code == 400
    assert fields(response)["date"] == ["到位日期（2024-03-01）不能早于签约日期（2024-03-10）"]


def test_patching_a_stage_date_is_refused_and_points_to_the_correction(client_for, bureau_user, unit, make_project):
    project = make_project(responsible_unit=unit, signed_on="2024-03-10")
    response = client_for(bureau_user).patch(f"{PROJECTS}{project.pk}/", {"signed_on": "2024-04-01"}, format="json")
    assert response.status_code == 400
    assert f"/api/v1/projects/{project.pk}/correct-date/" in fields(response)["signed_on"][0]
    project.refresh_from_db()
    assert project.signed_on == dt.date(2024, 3, 10)
    # Sending the value it already has (a read-modify-write) is not an edit of it.
    same = client_for(bureau_user).patch(f"{PROJECTS}{project.pk}/", {"signed_on": "2024-03-10", "notes": "补充"}, format="json")
    assert same.status_code == 200


def test_a_correction_moves_the_figure_and_is_logged(client_for, bureau_user, zone, unit, make_project):
    project = make_project(responsible_unit=unit, signed_on="2024-12-20")
    api = client_for(bureau_user)
    response = api.post(f"{PROJECTS}{project.pk}/correct-date/",
                        {"stage": "signed", "new_date": "2025-01-05", "reason": "合同实际签署日"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["old_date"], body["new_date"], body["reason"], body["corrected_by"]) == (
        "2024-12-20", "2025-01-05", "合同实际签署日", "bureau")
    assert figures(zone, 2024)["signed_count"] == 0 and figures(zone, 2025)["signed_count"] == 1
    response = api.post(f"{PROJECTS}{project.pk}/correct-date/", {"stage": "signed", "new_date": TOMORROW, "reason": "x"}, format="json")
    assert response.status_code == 400 and "不能晚于今天" in fields(response)["new_date"][0]
    assert DateCorrection.objects.count() == 1


def test_the_requirements_table_drives_the_api(client_for, bureau_user, unit):
    response = client_for(bureau_user).post(PROJECTS, {"name": "缺主体项目", "responsible_unit": unit.pk,
                                                       "total_investment": "1000", "signed_on": "2024-03-10"}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"investor": ["签约阶段的项目需填写投资主体"]}


def test_a_near_duplicate_is_409_until_confirmed(client_for, bureau_user, zone, unit, park, investor, make_project):
    existing = make_project(name="钼靶材深加工一期项目", amount="24000", investor=investor, responsible_unit=unit, park=park,
                            signed_on="2024-05-08")
    api = client_for(bureau_user)
    body = {"name": "钼靶材深加工项目", "total_investment": "24000", "investor": investor.pk, "responsible_unit": unit.pk,
            "park": park.pk, "signed_on": "2024-05-08"}
    response = api.post(PROJECTS, body, format="json")
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "near_duplicate"
    assert data["matches"] == [{"id": existing.pk, "code": existing.code, "name": "钼靶材深加工一期项目",
                                "reasons": ["同一企业", "名称相同（忽略一期/项目/有限公司/空格）", "金额与签约日相同"]}]
    assert Project.objects.count() == 1
    response = api.post(PROJECTS, {**body, "confirm_duplicate": True}, format="json")
    assert response.status_code == 201 and Project.objects.count() == 2


def test_a_unit_member_sees_what_they_create(client_for, unit_user, unit):
    api = client_for(unit_user)
    response = api.post(PROJECTS, {"name": "单位线索"}, format="json")
    assert response.status_code == 201
    assert api.get(f"{PROJECTS}{response.json()['id']}/").status_code == 200
