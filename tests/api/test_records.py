"""Follow-ups and fund arrivals: read with their project, written by whoever may write it."""

import datetime as dt

import pytest

from tests.api.conftest import fields, ids
from zhaoshang.projects import actions
from zhaoshang.projects.models import FollowUp, FundArrival

D = dt.date.fromisoformat


@pytest.fixture
def mine(make_project, unit):
    return make_project("储能电站项目", responsible_unit=unit, signed_on="2024-06-01")


@pytest.fixture
def theirs(make_project, other_unit):
    return make_project("算力调度平台", responsible_unit=other_unit, signed_on="2024-06-01")


@pytest.fixture
def records(mine, theirs):
    return {
        "mine_visit": actions.add_follow_up(mine, date=D("2024-07-01"), summary="走访企业总部", next_date=D("2024-07-15")),
        "their_visit": actions.add_follow_up(theirs, date=D("2024-07-02"), summary="洽谈算力租赁"),
        "mine_money": actions.add_fund_arrival(mine, date=D("2024-08-01"), amount="500"),
        "their_money": actions.add_fund_arrival(theirs, date=D("2024-08-02"), amount="800"),
    }


def test_each_unit_reads_only_its_projects_records(client_for, records, unit_user, other_unit_user, bureau_user):
    r = {key: value.pk for key, value in records.items()}
    alice = client_for(unit_user)
    assert ids(alice.get("/api/v1/follow-ups/")) == {r["mine_visit"]}
    assert ids(alice.get("/api/v1/fund-arrivals/")) == {r["mine_money"]}
    assert alice.get(f"/api/v1/follow-ups/{r['their_visit']}/").status_code == 404
    assert alice.get(f"/api/v1/fund-arrivals/{r['their_money']}/").status_code == 404
    assert ids(client_for(other_unit_user).get("/api/v1/follow-ups/")) == {r["their_visit"]}
    assert ids(client_for(bureau_user).get("/api/v1/fund-arrivals/")) == {r["mine_money"], r["their_money"]}


def test_record_filters(client_for, records, bureau_user, mine):
    api = client_for(bureau_user)
    assert ids(api.get("/api/v1/follow-ups/", {"project": mine.pk})) == {records["mine_visit"].pk}
    assert ids(api.get("/api/v1/fund-arrivals/", {"date_from": "2024-08-02"})) == {records["their_money"].pk}
    assert ids(api.get("/api/v1/follow-ups/", {"due_by": "2024-07-31"})) == {records["mine_visit"].pk}
    rows = api.get("/api/v1/fund-arrivals/", {"sort": "amount"}).json()["results"]
    assert [row["amount"] for row in rows] == ["500.00", "800.00"]


def test_add_a_follow_up(client_for, unit_user, mine):
    response = client_for(unit_user).post("/api/v1/follow-ups/", {
        "project": mine.pk, "date": "2024-09-01", "kind": "negotiation", "summary": "谈定二期用地",
        "next_step": "报规划局", "next_date": "2024-09-10",
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"] == "alice"
    follow_up = FollowUp.objects.get(pk=response.json()["id"])
    assert follow_up.summary == "谈定二期用地" and follow_up.project == mine


def test_follow_up_rules_come_back_per_field(client_for, unit_user, mine):
    api = client_for(unit_user)
    response = api.post("/api/v1/follow-ups/", {"project": mine.pk, "date": "2024-09-01", "summary": "复访",
                                                "next_date": "2024-08-01"}, format="json")
    assert response.status_code == 400
    assert fields(response) == {"next_date": ["下步日期不能早于本次跟进日期"]}
    response = api.post("/api/v1/follow-ups/", {"project": mine.pk, "date": "2024-09-01"}, format="json")
    assert response.status_code == 400 and "summary" in fields(response)


def test_no_records_on_another_units_project(client_for, unit_user, theirs):
    api = client_for(unit_user)
    response = api.post("/api/v1/fund-arrivals/", {"project": theirs.pk, "date": "2024-09-01", "amount": "10"}, format="json")
    assert response.status_code == 400 and "project" in fields(response)
    assert not FundArrival.objects.filter(project=theirs).exists()


def test_park_user_reads_records_but_cannot_add(client_for, park_user, park, mine):
    actions.update_project(mine, park=park)
    response = client_for(park_user).post("/api/v1/fund-arrivals/", {"project": mine.pk, "date": "2024-09-01",
                                                                     "amount": "10"}, format="json")
    assert response.status_code == 403
    assert not FundArrival.objects.exists()


def test_fund_arrival_amount_rules(client_for, unit_user, mine):
    api = client_for(unit_user)
    for amount, message in [("0", "到位金额应大于零"), ("-3", "金额不能为负数")]:
        response = api.post("/api/v1/fund-arrivals/", {"project": mine.pk, "date": "2024-09-01", "amount": amount},
                            format="json")
        assert response.status_code == 400
        assert fields(response) == {"amount": [message]}
    response = api.post("/api/v1/fund-arrivals/", {"project": mine.pk, "date": "2024-09-01", "amount": "12.5"},
                        format="json")
    assert response.status_code == 201 and response.json()["amount"] == "12.50"


def test_delete_records(client_for, records, unit_user):
    api = client_for(unit_user)
    assert api.delete(f"/api/v1/fund-arrivals/{records['mine_money'].pk}/").status_code == 204
    assert api.delete(f"/api/v1/follow-ups/{records['their_visit'].pk}/").status_code == 404
    assert not FundArrival.objects.filter(pk=records["mine_money"].pk).exists()
    assert FollowUp.objects.filter(pk=records["their_visit"].pk).exists()
