"""Stage changes over the API use the one set of stage rules (projects.actions.change_stage);
its errors come back as 400 with the field at fault, in Chinese."""

import datetime as dt

import pytest

from tests.api.conftest import fields
from zhaoshang.projects.models import StageChange

PROJECTS = "/api/v1/projects/"


BASE = dt.date.today() - dt.timedelta(days=200)


def day(n: int) -> str:
    """n days after the lead's first date (200 days ago): facts are never dated in the future."""
    return (BASE + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def lead(make_project, unit, zone):
    from zhaoshang.enterprises.actions import create_enterprise

    investor = create_enterprise(zone=zone, name="石墨烯科技有限公司")
    return make_project("石墨烯导热膜项目", responsible_unit=unit, investor=investor, lead_on=BASE)


def move(api, project, **body):
    return api.post(f"{PROJECTS}{project.pk}/change-stage/", body, format="json")


def test_forward_moves_are_recorded(client_for, unit_user, lead):
    api = client_for(unit_user)
    response = move(api, lead, to_stage="negotiating", date=day(10))
    assert response.status_code == 201, response.content
    assert response.json()["from_stage"] == "lead" and response.json()["to_stage"] == "negotiating"
    response = move(api, lead, to_stage="signed", date=day(40))
    assert response.status_code == 201
    assert response.json()["project_version"] == 3 and response["ETag"] == '"3"'
    lead.refresh_from_db()
    assert lead.stage == "signed" and lead.signed_on.isoformat() == day(40)
    history = api.get("/api/v1/stage-changes/", {"project": lead.pk}).json()["results"]
    assert [row["to_stage"] for row in history][-2:] == ["negotiating", "signed"]
    assert history[-1]["recorded_by"] == "alice"


def test_skipping_a_dated_stage_is_refused(client_for, unit_user, lead):
    response = move(client_for(unit_user), lead, to_stage="started", date=day(60))
    assert response.status_code == 400
    assert fields(response) == {"to_stage": ["项目尚未签约，不能直接进入开工阶段"]}
    lead.refresh_from_db()
    assert lead.stage == "lead"


def test_date_before_the_latest_is_refused_on_the_date_field(client_for, unit_user, make_project, unit):
    project = make_project(responsible_unit=unit, signed_on=day(60))
    response = move(client_for(unit_user), project, to_stage="started", date=day(40))
    assert response.status_code == 400
    assert "不能早于项目最近日期" in fields(response)["date"][0]


def test_missing_date_and_reason(client_for, unit_user, make_project, unit):
    project = make_project(responsible_unit=unit, signed_on=day(60))
    api = client_for(unit_user)
    response = move(api, project, to_stage="started")
    assert response.status_code == 400 and "date" in fields(response)
    response = move(api, project, to_stage="negotiating", date=day(90))
    assert response.status_code == 400
    assert fields(response) == {"reason": ["阶段回退或恢复终止项目需填写原因"]}
    response = move(api, project, to_stage="dropped", date=day(90), reason="企业战略调整")
    assert response.status_code == 201
    assert response.json()["is_backward"] is False


def test_unknown_stage_is_400(client_for, unit_user, lead):
    response = move(client_for(unit_user), lead, to_stage="finished", date=day(60))
    assert response.status_code == 400 and "to_stage" in fields(response)


def test_stale_version_is_409_and_records_nothing(client_for, unit_user, lead):
    api = client_for(unit_user)
    before = StageChange.objects.filter(project=lead).count()
    response = move(api, lead, to_stage="negotiating", date=day(10), version=7)
    assert response.status_code == 409
    response = api.post(f"{PROJECTS}{lead.pk}/change-stage/", {"to_stage": "negotiating", "date": day(10)},
                        format="json", HTTP_IF_MATCH='"7"')
    assert response.status_code == 409 and response.json()["current_version"] == 1
    assert StageChange.objects.filter(project=lead).count() == before
    lead.refresh_from_db()
    assert lead.stage == "lead"


def test_other_personas_cannot_move_it(client_for, other_unit_user, park_user, lead, park):
    assert move(client_for(other_unit_user), lead, to_stage="negotiating", date=day(10)).status_code == 404
    from zhaoshang.projects.actions import update_project

    update_project(lead, park=park)
    assert move(client_for(park_user), lead, to_stage="negotiating", date=day(10)).status_code == 403
    lead.refresh_from_db()
    assert lead.stage == "lead"


def test_a_future_date_is_refused_naming_the_field(client_for, unit_user, lead):
    future = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    response = move(client_for(unit_user), lead, to_stage="negotiating", date=future)
    assert response.status_code == 400
    assert fields(response)["date"][0].startswith(f"在谈日期（{future}）不能晚于今天")


def test_signing_needs_what_the_requirements_table_says(client_for, unit_user, make_project, unit):
    project = make_project("无主体项目", responsible_unit=unit, lead_on=BASE)
    response = move(client_for(unit_user), project, to_stage="signed", date=day(30))
    assert response.status_code == 400
    assert fields(response) == {"investor": ["签约阶段的项目需填写投资主体"]}
    project.refresh_from_db()
    assert project.stage == "lead"
