"""Tickets over the API: each persona reads the tickets its pages show; the flow
(raise → assign → acknowledge → resolve → rate) runs through the tickets' own guards."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.conftest import fields, ids
from zhaoshang.tickets.models import Ticket

TICKETS = "/api/v1/tickets/"


@pytest.fixture
def mine(make_project, unit):
    return make_project("铜箔项目", responsible_unit=unit, signed_on="2024-05-01")


@pytest.fixture
def theirs(make_project, other_unit):
    return make_project("数据中心项目", responsible_unit=other_unit, signed_on="2024-05-01")


def raise_for(api, project, title="用地指标尚未落实", **extra):
    return api.post(TICKETS, {"project": project.pk, "category": "用地", "title": title, **extra}, format="json")


def test_the_whole_flow(client_for, unit_user, bureau_user, department_user, observer_user, other_unit_user,
                        mine, department):
    alice, boss, dept = client_for(unit_user), client_for(bureau_user), client_for(department_user)
    response = raise_for(alice, mine)
    assert response.status_code == 201, response.content
    ticket = response.json()
    assert ticket["status"] == "registered" and ticket["project_name"] == "铜箔项目"
    assert [event["kind"] for event in ticket["events"]] == ["register"]
    url = f"{TICKETS}{ticket['id']}/"

    # Not yet the department's; never the other unit's.
    assert dept.get(url).status_code == 404
    assert client_for(other_unit_user).get(url).status_code == 404
    assert ids(client_for(other_unit_user).get(TICKETS)) == set()

    # Only the bureau assigns.
    assert alice.post(f"{url}assign/", {"department": department.pk}, format="json").status_code == 403
    response = boss.post(f"{url}assign/", {"department": department.pk}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "assigned"

    assert ids(dept.get(TICKETS)) == {ticket["id"]}
    assert "acknowledge" in dept.get(url).json()["available_actions"]
    assert dept.post(f"{url}acknowledge/", {}, format="json").json()["status"] == "in_progress"
    response = dept.post(f"{url}resolve/", {"resolution": ""}, format="json")
    assert response.status_code == 400 and "resolution" in fields(response)
    assert dept.post(f"{url}resolve/", {"resolution": "已协调调整用地指标"}, format="json").json()["status"] == "resolved"
    response = boss.post(f"{url}rate/", {"rating": "satisfied"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rated"

    today = timezone.localdate()
    period = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat()}
    report = boss.get("/api/v1/ticket-figures/", period)
    assert report.status_code == 200, report.content
    total = report.json()["total"]
    assert total["received"] == 1 and total["closed"] == 1 and total["closed_rate"] == 1.0
    assert total["satisfaction_rate"] == 1.0
    by_department = {row["name"]: row for row in report.json()["departments"]}
    assert by_department[department.name]["received"] == 1
    assert client_for(observer_user).get("/api/v1/ticket-figures/", period).json()["total"] == total
    assert alice.get("/api/v1/ticket-figures/", period).status_code == 403


def test_a_step_out_of_order_is_400_and_changes_nothing(client_for, unit_user, department_user, bureau_user,
                                                        mine, department):
    ticket = raise_for(client_for(unit_user), mine).json()
    client_for(bureau_user).post(f"{TICKETS}{ticket['id']}/assign/", {"department": department.pk}, format="json")
    response = client_for(department_user).post(f"{TICKETS}{ticket['id']}/resolve/", {"resolution": "已办"}, format="json")
    assert response.status_code == 400
    assert "不能办结" in fields(response)["non_field_errors"][0]
    assert Ticket.objects.get(pk=ticket["id"]).status == "assigned"


def test_no_ticket_for_another_units_project(client_for, unit_user, theirs):
    response = raise_for(client_for(unit_user), theirs)
    assert response.status_code == 400 and "project" in fields(response)
    assert not Ticket.objects.exists()


def test_unknown_category_lists_the_choices(client_for, unit_user, mine):
    response = raise_for(client_for(unit_user), mine, category="天气")
    assert response.status_code == 400
    assert "可选" in fields(response)["category"][0]


def test_observer_cannot_raise(client_for, observer_user, zone):
    response = client_for(observer_user).post(TICKETS, {"category": "用地", "title": "观察员的诉求"}, format="json")
    assert response.status_code == 403


def test_filters_are_the_pages(client_for, unit_user, bureau_user, mine, theirs):
    alice, boss = client_for(unit_user), client_for(bureau_user)
    first = raise_for(alice, mine, title="水电接入").json()
    second = raise_for(boss, theirs, title="税务咨询").json()
    assert ids(boss.get(TICKETS, {"q": "水电"})) == {first["id"]}
    assert ids(boss.get(TICKETS, {"project": theirs.pk})) == {second["id"]}
    assert ids(boss.get(TICKETS, {"status": "registered"})) == {first["id"], second["id"]}
    assert ids(alice.get(TICKETS, {"project": theirs.pk})) == set()
    categories = client_for(unit_user).get("/api/v1/ticket-categories/", {"page_size": 100}).json()["results"]
    assert "用地" in {row["name"] for row in categories}
