"""The campaigns over the API: the same figures as the page, scoped like the pages."""

import datetime as dt

from zhaoshang.campaigns import actions
from zhaoshang.campaigns.models import Event, Source
from zhaoshang.projects import kpi
from zhaoshang.projects.models import Project

from .conftest import D


def test_source_figures_match_kpi(client, zone, unit, bureau_user, make_project):
    walk_in = make_project(name="自主上门项目", amount="20000", signed_on="2026-03-01", responsible_unit=unit)
    actions.set_project_source(walk_in, kind=Source.WALK_IN)
    make_project(name="无来源项目", amount="5000", signed_on="2026-04-01")
    client.force_login(bureau_user)
    body = client.get("/api/v1/source-figures/", {"from": "2026-01-01", "to": "2026-12-31"}).json()
    rows = {row["source"]: row for row in body["sources"]}
    expected = kpi.by_source(Project.objects.filter(zone=zone), kpi.Period.year(2026))
    assert rows["walk_in"]["signed_count"] == expected[Source.WALK_IN]["signed_count"] == 1
    assert rows["walk_in"]["signed_investment"] == 20000
    assert rows["none"]["signed_investment"] == 5000


def test_unknown_parameters_are_refused(client, bureau_user):
    client.force_login(bureau_user)
    response = client.get("/api/v1/source-figures/", {"from": "2026-01-01", "to": "2026-12-31", "sorce": "trip"})
    assert response.status_code == 400


def test_trips_and_events_are_scoped(client, zone, other_zone, approved_trip, bureau_user, observer_user, make_user):
    actions.create_event(zone=other_zone, kind=Event.Kind.EXPO, title="别区展会", date=D("2026-05-01"), place="别处")
    actions.create_event(zone=zone, kind=Event.Kind.EXPO, title="本区展会", date=D("2026-05-01"), place="会展中心")
    client.force_login(bureau_user)
    assert [row["title"] for row in client.get("/api/v1/events/").json()["results"]] == ["本区展会"]
    trip = client.get(f"/api/v1/trips/{approved_trip.pk}/").json()
    assert trip["title"] == "赴深圳招商" and trip["region"] == "gba"
    client.force_login(observer_user)
    assert client.get("/api/v1/trips/").json()["results"] == []
    assert client.get(f"/api/v1/trips/{approved_trip.pk}/").status_code == 404
