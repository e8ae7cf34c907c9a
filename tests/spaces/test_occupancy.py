"""Occupancy sums by park, building and zone, and the rules of a unit's tenancy."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from zhaoshang.core.models import Park
from zhaoshang.spaces import actions, selectors
from zhaoshang.spaces.models import Building, SpaceUnit


def test_occupancy_per_park(zone, space):
    rows = {r["park"].name: r for r in selectors.occupancy_by_park(Park.objects.filter(zone=zone))}
    materials = rows["新材料产业园"]
    assert materials["total_area"] == Decimal("4000")
    assert materials["occupied_area"] == Decimal("1300")  # 1,000 leased + 300 self-used
    assert materials["intended_area"] == Decimal("200")
    assert materials["vacant_area"] == Decimal("2500")
    assert materials["unit_count"] == 5
    assert materials["occupancy"] == Decimal("0.3250")
    assert rows["智能终端产业园"]["occupancy"] == Decimal("1.0000")


def test_occupancy_per_building_and_in_all(zone, space):
    rows = {r["building"].name: r for r in selectors.occupancy_by_building(Building.objects.filter(park=space["park"]))}
    assert rows["1号厂房"]["total_area"] == Decimal("2000")
    assert rows["1号厂房"]["occupancy"] == Decimal("0.6500")
    assert rows["2号厂房"]["occupancy"] == Decimal("0.0000")
    total = selectors.occupancy_total(SpaceUnit.objects.filter(building__park__zone=zone))
    assert (total["total_area"], total["occupied_area"], total["occupancy"]) == (Decimal("5000"), Decimal("2300"), Decimal("0.4600"))


def test_a_park_without_space_has_no_rate(zone):
    from zhaoshang.core.actions import create_park

    create_park(zone=zone, name="空园区")
    [row] = selectors.occupancy_by_park(Park.objects.filter(zone=zone))
    assert row["total_area"] == 0 and row["occupancy"] is None


def test_the_vacancy_list_is_largest_first_within_a_building(space):
    rows = list(selectors.vacancies(SpaceUnit.objects.all()))
    assert [u.name for u in rows] == ["B区", "整栋"]


def test_a_leased_unit_needs_a_tenant(space):
    with pytest.raises(ValidationError, match="请填写承租企业或入驻项目"):
        actions.create_unit(building=space["b2"], name="新单元", area_m2=Decimal("100"), status="leased")


def test_a_vacant_unit_has_no_tenant(space):
    with pytest.raises(ValidationError, match="有租户的单元不能是“空置”"):
        actions.update_unit(space["leased"], status="vacant")


def test_a_landing_project_picks_its_space(space, make_project, unit):
    project = make_project(name="储能电池项目", responsible_unit=unit, park=space["park"], stage="signed", signed_on="2025-01-10")
    unit_row = actions.assign_to_project(space["vacant"], project)
    assert unit_row.status == SpaceUnit.Status.INTENDED  # not started yet
    assert unit_row.tenant_project == project
    started = make_project(name="已开工项目", stage="started", signed_on="2024-01-10", started_on="2024-03-01")
    assert actions.assign_to_project(space["big"], started).status == SpaceUnit.Status.LEASED
    with pytest.raises(ValidationError, match="已由“储能电池项目”意向"):
        actions.assign_to_project(space["vacant"], started)
    assert actions.release_unit(space["vacant"]).status == SpaceUnit.Status.VACANT


def test_space_stats_command_json(zone, space, capsys):
    call_command("space_stats", "--zone", zone.code, "--json")
    payload = json.loads(capsys.readouterr().out)
    assert payload["total"]["total_area"] == 5000.0
    assert payload["total"]["occupancy"] == 0.46
    parks = {p["park"]: p for p in payload["parks"]}
    assert parks["新材料产业园"]["vacant_area"] == 2500.0
    assert {(b["park"], b["building"]) for b in payload["buildings"]} == {
        ("新材料产业园", "1号厂房"), ("新材料产业园", "2号厂房"), ("智能终端产业园", "研发楼")}


def test_space_stats_command_table(zone, space, capsys):
    call_command("space_stats", "--zone", zone.code)
    out = capsys.readouterr().out
    assert "新材料产业园" in out and "32.50%" in out and "46.00%" in out
