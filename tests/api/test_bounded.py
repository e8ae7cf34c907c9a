"""Lists cost a bounded number of queries whatever their length (no per-row permission or
masking queries), and API writes are on the change log under the token's user."""

import datetime as dt

import pytest

from tests.api.conftest import ids
from zhaoshang.core.models import ChangeRecord
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.projects import actions


def _fill(make_project, zone, unit, park, count):
    for n in range(count):
        investor = create_enterprise(zone=zone, name=f"投资企业{n}", contact_person="赵六", contact_phone="13600001234")
        project = make_project(responsible_unit=unit, park=park, investor=investor, signed_on="2024-03-01")
        actions.add_follow_up(project, date=dt.date(2024, 4, 1), summary="走访")
        actions.add_fund_arrival(project, date=dt.date(2024, 5, 1), amount="10")


@pytest.mark.parametrize("url", ["/api/v1/projects/", "/api/v1/enterprises/", "/api/v1/follow-ups/",
                                 "/api/v1/fund-arrivals/", "/api/v1/stage-changes/"])
def test_list_queries_do_not_grow_with_rows(client_for, park_user, make_project, zone, unit, park, url,
                                            django_assert_max_num_queries):
    api = client_for(park_user)
    _fill(make_project, zone, unit, park, 2)
    with django_assert_max_num_queries(12) as few:
        assert len(ids(api.get(url))) >= 2
    _fill(make_project, zone, unit, park, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(ids(api.get(url))) >= 14


def test_enterprise_contacts_masked_for_a_park(client_for, park_user, unit_user, make_project, zone, unit, park):
    _fill(make_project, zone, unit, park, 1)
    masked = client_for(park_user).get("/api/v1/enterprises/").json()["results"][0]
    assert masked["contact_person"] == "赵*" and masked["contact_phone"] == "136****1234"
    full = client_for(unit_user).get("/api/v1/enterprises/").json()["results"][0]
    assert full["contact_person"] == "赵六" and full["contact_phone"] == "13600001234"


def test_api_writes_are_on_record_with_the_token_user(client_for, unit_user, make_project, unit):
    project = make_project("记录项目", responsible_unit=unit)
    response = client_for(unit_user).patch(f"/api/v1/projects/{project.pk}/", {"notes": "经 API 修改"}, format="json")
    assert response.status_code == 200
    record = ChangeRecord.objects.filter(object_id=str(project.pk), action="update").latest("timestamp")
    assert record.user == unit_user
    assert record.request_id and response["X-Request-ID"] == record.request_id
