"""/api/v1/rankings/: the assessment ranking, for the ranking page's readers, with the
details behind a score only where the score page may be opened."""

import pytest

from zhaoshang.assessment import demo as assessment_demo

YEAR = {"from": "2024-01-01", "to": "2024-12-31"}


@pytest.fixture
def ranked(zone, unit, other_unit, make_project):
    assessment_demo.seed(zone, years=(2023, 2024))
    make_project("大项目", amount="120000", responsible_unit=unit, signed_on="2024-03-01", started_on="2024-06-01")
    return zone


def scores(body):
    return {s["unit_id"]: s for group in body["groups"] for s in group["scores"]}


def test_bureau_reads_the_ranking_with_details(client_for, ranked, bureau_user, unit, other_unit):
    response = client_for(bureau_user).get("/api/v1/rankings/", YEAR)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["zone"] == ranked.code and body["period"] == {"start": "2024-01-01", "end": "2024-12-31", "as_of": "2024-12-31"}
    by_unit = scores(body)
    assert by_unit[unit.pk]["rank"] < by_unit[other_unit.pk]["rank"]
    assert float(by_unit[unit.pk]["total"]) > float(by_unit[other_unit.pk]["total"])
    assert by_unit[unit.pk]["lines"] and by_unit[other_unit.pk]["lines"] is not None


def test_observer_reads_places_but_not_details(client_for, ranked, bureau_user, observer_user, unit):
    full = scores(client_for(bureau_user).get("/api/v1/rankings/", YEAR).json())
    seen = scores(client_for(observer_user).get("/api/v1/rankings/", YEAR).json())
    assert {k: v["rank"] for k, v in seen.items()} == {k: v["rank"] for k, v in full.items()}
    assert seen[unit.pk]["lines"] is None and seen[unit.pk]["adjustments"] is None


def test_task_force_may_not_read_the_ranking(client_for, ranked, unit_user):
    response = client_for(unit_user).get("/api/v1/rankings/", YEAR)
    assert response.status_code == 403
    assert response.json()["message"] == "您没有查看排名的权限"


def test_bad_period_is_400(client_for, ranked, bureau_user):
    response = client_for(bureau_user).get("/api/v1/rankings/", {"from": "2024-12-31", "to": "2024-01-01"})
    assert response.status_code == 400
