"""Zones, units, parks, clusters, chains and enterprises: each user reads its own zones'."""

import pytest

from tests.api.conftest import fields, ids
from zhaoshang.core.actions import create_park, create_unit
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry.models import IndustryChain, IndustryCluster


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


@pytest.fixture
def elsewhere(other_zone):
    return {
        "unit": create_unit(zone=other_zone, name="外区专班", kind="task_force"),
        "park": create_park(zone=other_zone, name="外区园区"),
    }


def test_zones_units_and_parks_of_ones_own_zone(client_for, unit_user, unit, other_unit, park, elsewhere, zone):
    api = client_for(unit_user)
    assert [row["code"] for row in api.get("/api/v1/zones/").json()["results"]] == [zone.code]
    assert names(api.get("/api/v1/units/")) == {unit.name, other_unit.name}
    assert names(api.get("/api/v1/units/", {"q": "新能源"})) == {unit.name}
    assert names(api.get("/api/v1/parks/")) == {park.name}
    assert api.get(f"/api/v1/units/{elsewhere['unit'].pk}/").status_code == 404
    assert api.get(f"/api/v1/parks/{elsewhere['park'].pk}/").status_code == 404


def test_chains_and_clusters_of_ones_own_zone(client_for, unit_user, zone, other_zone):
    api = client_for(unit_user)
    mine = set(IndustryChain.objects.filter(zone=zone).values_list("pk", flat=True))
    assert mine and ids(api.get("/api/v1/chains/", {"page_size": 500})) == mine
    cluster = IndustryCluster.objects.filter(zone=zone).first()
    in_cluster = set(IndustryChain.objects.filter(cluster=cluster).values_list("pk", flat=True))
    assert ids(api.get("/api/v1/chains/", {"cluster": cluster.pk, "page_size": 500})) == in_cluster
    theirs = IndustryChain.objects.filter(zone=other_zone).first()
    assert api.get(f"/api/v1/chains/{theirs.pk}/").status_code == 404
    assert ids(api.get("/api/v1/clusters/")) == set(IndustryCluster.objects.filter(zone=zone).values_list("pk", flat=True))


def test_reference_data_is_read_only(client_for, bureau_user):
    response = client_for(bureau_user).post("/api/v1/units/", {"name": "新专班", "kind": "task_force"}, format="json")
    assert response.status_code == 405


def test_bureau_registers_and_edits_an_enterprise(client_for, bureau_user, zone):
    api = client_for(bureau_user)
    response = api.post("/api/v1/enterprises/", {"name": "宁德时代新能源科技股份有限公司", "uscc": "91350100M000100Y43",
                                                 "tags": ["行业龙头", "上市公司"]}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["zone"] == zone.code and sorted(body["tags"]) == sorted(["行业龙头", "上市公司"])
    response = api.patch(f"/api/v1/enterprises/{body['id']}/", {"city": "宁德市"}, format="json")
    assert response.status_code == 200 and response.json()["city"] == "宁德市"
    response = api.post("/api/v1/enterprises/", {"name": "重复登记", "uscc": "91350100M000100Y43"}, format="json")
    assert response.status_code == 400 and "已登记" in fields(response)["uscc"][0]


def test_bad_uscc_is_explained(client_for, bureau_user):
    response = client_for(bureau_user).post("/api/v1/enterprises/", {"name": "某公司", "uscc": "91350100M000100Y44"},
                                            format="json")
    assert response.status_code == 400 and "uscc" in fields(response)
    assert not Enterprise.objects.exists()


def test_unit_member_sees_only_its_projects_investors(client_for, unit_user, zone, unit, other_unit, make_project):
    ours = create_enterprise(zone=zone, name="我方投资企业")
    other = create_enterprise(zone=zone, name="他方投资企业")
    make_project(responsible_unit=unit, investor=ours)
    make_project(responsible_unit=other_unit, investor=other)
    api = client_for(unit_user)
    assert names(api.get("/api/v1/enterprises/")) == {"我方投资企业"}
    assert api.get(f"/api/v1/enterprises/{other.pk}/").status_code == 404


def test_observer_and_department_cannot_register_enterprises(client_for, observer_user, department_user):
    for user in (observer_user, department_user):
        response = client_for(user).post("/api/v1/enterprises/", {"name": "不该登记"}, format="json")
        assert response.status_code == 403
    assert not Enterprise.objects.exists()


def test_enterprises_count_and_sort_as_on_the_page(client_for, bureau_user, zone, unit, make_project):
    busy = create_enterprise(zone=zone, name="甲企业")
    create_enterprise(zone=zone, name="乙企业")
    make_project(responsible_unit=unit, investor=busy)
    make_project(responsible_unit=unit, investor=busy)
    api = client_for(bureau_user)
    response = api.get("/api/v1/enterprises/", {"sort": "-projects"})
    assert response.status_code == 200
    assert {row["name"]: row["project_count"] for row in response.json()["results"]} == {"甲企业": 2, "乙企业": 0}
    assert api.get("/api/v1/enterprises/", {"sort": "created_at"}).status_code == 400  # not a page sort


def test_a_null_character_is_a_400_not_a_crash(client_for, bureau_user):
    # PostgreSQL refuses \x00 in any query; the API says what was wrong instead of a 500.
    api = client_for(bureau_user)
    made = api.post("/api/v1/enterprises/", {"name": "空字符企业", "zone": "test\x00zone"}, format="json")
    assert made.status_code == 400
    assert [error["field"] for error in made.json()["errors"]] == ["zone"]
    listed = api.get("/api/v1/enterprises/", {"tag": "专精\x00特新"})
    assert listed.status_code == 400
    assert "空字符" in listed.json()["errors"][0]["message"]
