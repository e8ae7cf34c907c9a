"""/api/v1/kpi/: the §3 figures over what the user may count — the same as `zhaoshang kpi`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from tests.api.conftest import fields
from zhaoshang.projects import kpi

YEAR_2024 = {"from": "2024-01-01", "to": "2024-12-31"}


def command(*args):
    out = StringIO()
    call_command("kpi", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def demo_bureau(demo_zone):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="demo-bureau")  # seed_demo's bureau login


def test_demo_zone_2024_matches_the_command(client_for, demo_zone, demo_bureau):
    response = client_for(demo_bureau).get("/api/v1/kpi/", {**YEAR_2024, "zone": demo_zone.code})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == kpi.CODES
    assert body == command("--zone", demo_zone.code, "--from", "2024-01-01", "--to", "2024-12-31")
    assert body["signed_count"] == 31 and body["signed_investment"] == 1413400
    assert body["started_count"] == 25 and body["start_rate"] == 0.8065


def test_as_of_and_narrowing(client_for, demo_zone, demo_bureau):
    api = client_for(demo_bureau)
    as_of = api.get("/api/v1/kpi/", {**YEAR_2024, "zone": demo_zone.code, "as_of": "2024-06-30"}).json()
    assert as_of == command("--zone", demo_zone.code, "--from", "2024-01-01", "--to", "2024-12-31", "--as-of", "2024-06-30")
    unit = demo_zone.units.filter(projects__isnull=False).distinct().first()
    narrowed = api.get("/api/v1/kpi/", {**YEAR_2024, "zone": demo_zone.code, "unit": unit.pk}).json()
    assert narrowed == command("--zone", demo_zone.code, "--from", "2024-01-01", "--to", "2024-12-31", "--unit", unit.name)


def test_a_task_force_counts_only_its_own_projects(client_for, make_project, zone, unit, other_unit,
                                                   unit_user, bureau_user, observer_user, park_user):
    make_project(amount="5000", responsible_unit=unit, signed_on="2024-03-01")
    make_project(amount="70000", responsible_unit=other_unit, signed_on="2024-04-01")
    query = {**YEAR_2024, "zone": zone.code}
    mine = client_for(unit_user).get("/api/v1/kpi/", query).json()
    assert mine["signed_count"] == 1 and mine["signed_investment"] == 5000
    # Asking for the other unit gives nothing away.
    other = client_for(unit_user).get("/api/v1/kpi/", {**query, "unit": other_unit.pk}).json()
    assert other["signed_count"] == 0 and other["signed_investment"] == 0
    assert client_for(park_user).get("/api/v1/kpi/", query).json()["signed_count"] == 0
    everyone = client_for(bureau_user).get("/api/v1/kpi/", query).json()
    assert everyone["signed_count"] == 2 and everyone["signed_investment"] == 75000
    # An observer reads the zone's figures (but no project rows).
    assert client_for(observer_user).get("/api/v1/kpi/", query).json() == everyone


def test_another_zone_is_refused(client_for, unit_user, other_zone):
    response = client_for(unit_user).get("/api/v1/kpi/", {**YEAR_2024, "zone": other_zone.code})
    assert response.status_code == 400
    assert "不存在或无权查看" in fields(response)["zone"][0]


@pytest.mark.parametrize("query, field", [
    ({"to": "2024-12-31"}, "from"),
    ({"from": "2024-13-01", "to": "2024-12-31"}, "from"),
    ({"from": "2024-12-31", "to": "2024-01-01"}, "from"),
    ({"from": "2024-01-01", "to": "2024-12-31", "unit": "abc"}, "unit"),
    ({"from": "2024-01-01", "to": "2024-12-31", "park": 999999}, "park"),
])
def test_bad_queries_are_400_naming_the_parameter(client_for, bureau_user, zone, query, field):
    response = client_for(bureau_user).get("/api/v1/kpi/", {**query, "zone": zone.code})
    assert response.status_code == 400
    assert field in fields(response)
