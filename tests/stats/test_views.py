"""The 入统入规 pages, with the personas."""

import pytest
from django.urls import reverse

from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile, Threshold

PASSWORD = "pass-for-tests-1"


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_the_candidates_page_shows_the_pipeline_with_evidence(as_user, bureau_user, make_company):
    make_company("钼靶材厂", "C", {2024: "2500"})
    make_company("社区超市", "F52", {2024: "450"})
    response = as_user(bureau_user).get(reverse("stats:candidates"), {"year": 2024})
    assert response.status_code == 200
    page = response.content.decode()
    assert "钼靶材厂" in page and "达到门槛的 125.00%" in page
    assert "社区超市" in page and "达到门槛的 90.00%" in page


def test_a_unit_member_sees_only_the_enterprises_behind_their_projects(
    as_user, unit_user, unit, other_unit, make_company, make_project
):
    mine = make_company("本专班企业", "C", {2024: "2500"})
    make_company("别的专班企业", "C", {2024: "2600"})
    make_project(name="本专班项目", investor=mine, responsible_unit=unit)
    page = as_user(unit_user).get(reverse("stats:candidates"), {"year": 2024}).content.decode()
    assert "本专班企业" in page
    assert "别的专班企业" not in page


def test_the_group_filter_narrows_the_list(as_user, bureau_user, make_company):
    make_company("钼靶材厂", "C", {2024: "2500"})
    make_company("社区超市", "F52", {2024: "600"})
    page = as_user(bureau_user).get(reverse("stats:candidates"), {"year": 2024, "group": "trade"}).content.decode()
    assert "社区超市" in page and "钼靶材厂" not in page


def test_recording_figures_and_profile_on_the_enterprise_page(as_user, bureau_user, zone):
    from zhaoshang.enterprises.actions import create_enterprise

    company = create_enterprise(zone=zone, name="阳泉新材料有限公司")
    client = as_user(bureau_user)
    url = reverse("stats:enterprise", args=[company.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"profile-industry_code": "C", "profile-construction_qualification": "",
                                 "profile-landed_on": "2021-05-01"})
    assert response.status_code == 302
    assert EnterpriseProfile.objects.get(enterprise=company).industry_code == "C"
    response = client.post(url, {"figures-year": "2024", "figures-revenue": "2100", "figures-employees": "60"})
    assert response.status_code == 302
    assert AnnualFigures.objects.get(enterprise=company, year=2024).revenue == 2100
    page = client.get(url).content.decode()
    assert "2,100" in page and "2,100.00" not in page and "2000万元" in page


def test_bad_figures_are_named_not_saved(as_user, bureau_user, zone):
    from zhaoshang.enterprises.actions import create_enterprise

    company = create_enterprise(zone=zone, name="阳泉新材料有限公司")
    response = as_user(bureau_user).post(
        reverse("stats:enterprise", args=[company.pk]), {"figures-year": "2024", "figures-revenue": "很多"}
    )
    assert response.status_code == 400
    assert "输入一个数字" in response.content.decode()
    assert not AnnualFigures.objects.exists()


def test_an_observer_reads_nothing_and_may_not_write(as_user, observer_user, zone):
    from zhaoshang.enterprises.actions import create_enterprise

    company = create_enterprise(zone=zone, name="阳泉新材料有限公司")
    client = as_user(observer_user)
    url = reverse("stats:enterprise", args=[company.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"figures-year": "2024", "figures-revenue": "1"}).status_code == 404


def test_leadership_reads_but_may_not_write(as_user, make_user, zone):
    from zhaoshang.enterprises.actions import create_enterprise

    leader = make_user("leader", zone, "leadership")
    company = create_enterprise(zone=zone, name="阳泉新材料有限公司")
    client = as_user(leader)
    url = reverse("stats:enterprise", args=[company.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"figures-year": "2024", "figures-revenue": "1"}).status_code == 403


def test_an_enterprise_of_another_zone_is_not_found(as_user, bureau_user, other_zone):
    from zhaoshang.enterprises.actions import create_enterprise

    company = create_enterprise(zone=other_zone, name="外区企业")
    assert as_user(bureau_user).get(reverse("stats:enterprise", args=[company.pk])).status_code == 404


def test_the_enterprise_list_page(as_user, bureau_user, make_company):
    make_company("钼靶材厂", "C", {2024: "2500"}, in_statistics=True)
    make_company("社区超市", "F52", {2024: "450"})
    page = as_user(bureau_user).get(reverse("stats:enterprise_list"), {"in_statistics": "true"}).content.decode()
    assert "钼靶材厂" in page and "社区超市" not in page


@pytest.fixture
def admin_user(make_user, zone):
    return make_user("stats-admin", zone, "admin")


def test_an_administrator_adds_a_threshold_version_and_the_bureau_may_not(
    as_user, admin_user, bureau_user, unit_user
):
    url = reverse("stats:thresholds")
    data = {"industry_code": "F52", "from_year": "2025", "basis": "revenue", "min_revenue": "800", "source": "省统计局通知"}
    assert as_user(unit_user).post(url, data).status_code == 403
    refused = as_user(bureau_user).post(url, data)
    assert refused.status_code == 403
    assert not Threshold.objects.filter(industry_code="F52", from_year=2025).exists()
    page = as_user(bureau_user).get(url).content.decode()
    assert "只有系统管理员可以修改" in page and "新增门槛版本" not in page
    response = as_user(admin_user).post(url, data)
    assert response.status_code == 302
    assert Threshold.objects.get(industry_code="F52", from_year=2025).min_revenue == 800
    page = as_user(admin_user).get(url, {"year": 2025}).content.decode()
    assert "800万元" in page


def test_a_duplicate_threshold_is_refused_with_its_reason(as_user, admin_user):
    response = as_user(admin_user).post(
        reverse("stats:thresholds"), {"industry_code": "C", "from_year": "2011", "basis": "revenue", "min_revenue": "2000"}
    )
    assert response.status_code == 400
    assert "自2011年起的门槛已存在" in response.content.decode()


def test_editing_a_threshold(as_user, admin_user):
    threshold = Threshold.objects.get(industry_code="H61", from_year=2011)
    url = reverse("stats:threshold_edit", args=[threshold.pk])
    client = as_user(admin_user)
    assert client.get(url).status_code == 200
    response = client.post(url, {"industry_code": "H61", "from_year": "2011", "basis": "revenue", "min_revenue": "300"})
    assert response.status_code == 302
    threshold.refresh_from_db()
    assert threshold.min_revenue == 300


def test_the_bureau_of_a_zone_may_not_change_or_delete_the_shared_thresholds(as_user, bureau_user):
    threshold = Threshold.objects.get(industry_code="H61", from_year=2011)
    url = reverse("stats:threshold_edit", args=[threshold.pk])
    client = as_user(bureau_user)
    assert client.get(url).status_code == 403
    data = {"industry_code": "H61", "from_year": "2011", "basis": "revenue", "min_revenue": "1"}
    assert client.post(url, data).status_code == 403
    assert client.post(url, {"delete": "1"}).status_code == 403
    threshold.refresh_from_db()
    assert threshold.min_revenue != 1


def test_figures_can_be_deleted(as_user, bureau_user, make_company):
    company = make_company("钼靶材厂", "C", {2024: "2500"})
    response = as_user(bureau_user).post(reverse("stats:delete_figures", args=[company.pk, 2024]))
    assert response.status_code == 302
    assert not AnnualFigures.objects.filter(enterprise=company).exists()
