"""A project created through the API and moved through its stages shows in `zhaoshang kpi`
and in /api/v1/kpi/ with the same numbers."""

import datetime as dt
import json
from io import StringIO

from django.core.management import call_command

# A year that ended a little while ago: facts are never dated in the future.
TODAY = dt.date.today() - dt.timedelta(days=400)


def day(n: int) -> str:
    # The new lead's first stage row is dated day(0); later moves must not be earlier.
    return (TODAY + dt.timedelta(days=n)).isoformat()


PERIOD = {"from": day(0), "to": day(364)}


def kpi_command(zone, as_of=None):
    out = StringIO()
    extra = ["--as-of", as_of] if as_of else []
    call_command("kpi", "--zone", zone.code, "--from", PERIOD["from"], "--to", PERIOD["to"], *extra, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_round_trip(client_for, bureau_user, zone, unit, park, make_project):
    from zhaoshang.enterprises.actions import create_enterprise

    investor = create_enterprise(zone=zone, name="固态电池科技有限公司")
    make_project("已有项目", amount="20000", responsible_unit=unit, signed_on=day(5), started_on=day(100))
    api = client_for(bureau_user)
    before = kpi_command(zone)
    assert api.get("/api/v1/kpi/", {**PERIOD, "zone": zone.code}).json() == before
    assert before["signed_count"] == 1 and before["start_rate"] == 1.0

    created = api.post("/api/v1/projects/", {"name": "固态电池中试线", "total_investment": "15000",
                                             "responsible_unit": unit.pk, "investor": investor.pk, "park": park.pk,
                                             "lead_on": day(0)}, format="json")
    assert created.status_code == 201, created.content
    project = created.json()
    assert project["stage"] == "lead"
    url = f"/api/v1/projects/{project['id']}/change-stage/"
    assert kpi_command(zone) == before  # a lead is not a signing

    for stage, date in [("negotiating", day(10)), ("signed", day(20))]:
        assert api.post(url, {"to_stage": stage, "date": date}, format="json").status_code == 201
    signed = kpi_command(zone)
    assert signed["signed_count"] == 2 and signed["signed_investment"] == 35000
    assert signed["started_count"] == 1 and signed["start_rate"] == 0.5
    assert signed["major_signed_count"] == before["major_signed_count"] + 1

    assert api.post(url, {"to_stage": "started", "date": day(60)}, format="json").status_code == 201
    arrival = api.post("/api/v1/fund-arrivals/", {"project": project["id"], "date": day(70), "amount": "3000"},
                       format="json")
    assert arrival.status_code == 201, arrival.content
    started = kpi_command(zone)
    assert started["started_count"] == 2 and started["start_rate"] == 1.0
    assert started["new_started_count"] == 2 and started["new_started_investment"] == 35000
    assert started["funds_in_place"] == 3000 and started["funds_rate"] == round(3000 / 35000, 4)

    assert api.post(url, {"to_stage": "producing", "date": day(200)}, format="json").status_code == 201
    producing = kpi_command(zone)
    assert producing["producing_count"] == 1
    assert api.get("/api/v1/kpi/", {**PERIOD, "zone": zone.code}).json() == producing
    # As of a day before either started, both were only signed.
    as_of = api.get("/api/v1/kpi/", {**PERIOD, "zone": zone.code, "as_of": day(30)}).json()
    assert as_of == kpi_command(zone, as_of=day(30))
    assert as_of["signed_count"] == 2 and as_of["started_count"] == 0 and as_of["producing_count"] == 0
