"""The carrier-space pages, with the personas."""

import pytest
from django.urls import reverse

from zhaoshang.spaces.models import Building, SpaceUnit


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_occupancy_page(as_user, unit_user, space):
    page = as_user(unit_user).get(reverse("spaces:occupancy")).content.decode()
    assert 'id="total-rate">46.00%' in page
    assert "新材料产业园" in page and "32.50%" in page


def test_the_park_and_building_pages(as_user, bureau_user, space):
    client = as_user(bureau_user)
    page = client.get(reverse("spaces:park", args=[space["park"].pk])).content.decode()
    assert "1号厂房" in page and "65.00%" in page
    page = client.get(reverse("spaces:building", args=[space["b1"].pk])).content.decode()
    assert "常州锂源新能源科技有限公司" in page and "1,000㎡" in page


def test_tenants_are_named_only_to_those_who_may_see_them(as_user, other_unit_user, space):
    page = as_user(other_unit_user).get(reverse("spaces:building", args=[space["b1"].pk])).content.decode()
    assert "常州锂源新能源科技有限公司" not in page
    assert "（有租户）" in page


def test_the_vacancy_list_filters(as_user, unit_user, space):
    client = as_user(unit_user)
    page = client.get(reverse("spaces:vacancies")).content.decode()
    assert "B区" in page and "整栋" in page and "A区" not in page
    page = client.get(reverse("spaces:vacancies"), {"area_min": "1000"}).content.decode()
    assert "整栋" in page and "B区" not in page


def test_a_park_member_keeps_their_own_park(as_user, park_user, space):
    client = as_user(park_user)
    response = client.post(reverse("spaces:park", args=[space["park"].pk]), {"name": "3号厂房", "floors": "2"})
    assert response.status_code == 302
    building = Building.objects.get(name="3号厂房")
    response = client.post(reverse("spaces:building", args=[building.pk]),
                           {"name": "1层", "kind": "factory", "area_m2": "1200", "status": "vacant"})
    assert response.status_code == 302
    assert SpaceUnit.objects.get(building=building).area_m2 == 1200
    assert client.post(reverse("spaces:park", args=[space["other_park"].pk]), {"name": "X"}).status_code == 403
    assert client.post(reverse("spaces:building", args=[space["b3"].pk]), {"name": "X"}).status_code == 403


def test_a_bad_unit_is_named_and_not_saved(as_user, bureau_user, space):
    response = as_user(bureau_user).post(reverse("spaces:building", args=[space["b2"].pk]),
                                         {"name": "2层", "kind": "factory", "area_m2": "800", "status": "leased"})
    assert response.status_code == 400
    assert "状态为“已租”时请填写承租企业或入驻项目" in response.content.decode()
    assert not SpaceUnit.objects.filter(name="2层").exists()


def test_editing_and_releasing_a_unit(as_user, bureau_user, unit_user, space):
    url = reverse("spaces:unit_edit", args=[space["leased"].pk])
    assert as_user(unit_user).get(url).status_code == 403
    client = as_user(bureau_user)
    assert client.get(url).status_code == 200
    assert client.post(url, {"release": "1"}).status_code == 302
    space["leased"].refresh_from_db()
    assert space["leased"].status == SpaceUnit.Status.VACANT and space["leased"].tenant_enterprise is None


def test_a_project_picks_its_space(as_user, unit_user, other_unit_user, unit, space, make_project):
    project = make_project(name="储能电池项目", responsible_unit=unit, park=space["park"], stage="signed", signed_on="2025-01-10")
    url = reverse("spaces:project", args=[project.pk])
    assert as_user(other_unit_user).get(url).status_code == 404
    client = as_user(unit_user)
    page = client.get(url).content.decode()
    assert "B区" in page and "3层" not in page  # vacant units of its own park
    assert client.post(url, {"unit": space["vacant"].pk}).status_code == 302
    space["vacant"].refresh_from_db()
    assert space["vacant"].tenant_project == project and space["vacant"].status == SpaceUnit.Status.INTENDED


def test_picking_a_unit_that_is_not_an_id_is_404(as_user, unit_user, unit, space, make_project):
    project = make_project(name="储能电池项目", responsible_unit=unit, park=space["park"], stage="signed", signed_on="2025-01-10")
    client = as_user(unit_user)
    url = reverse("spaces:project", args=[project.pk])
    assert client.post(url, {"unit": "abc"}).status_code == 404
    assert client.post(url, {}).status_code == 404
    space["vacant"].refresh_from_db()
    assert space["vacant"].tenant_project is None


def test_space_of_another_zone_is_not_found(as_user, bureau_user, other_zone):
    from zhaoshang.core.actions import create_park
    from zhaoshang.spaces import actions

    park = create_park(zone=other_zone, name="外区园区")
    building = actions.create_building(park=park, name="外区厂房")
    client = as_user(bureau_user)
    assert client.get(reverse("spaces:park", args=[park.pk])).status_code == 404
    assert client.get(reverse("spaces:building", args=[building.pk])).status_code == 404
