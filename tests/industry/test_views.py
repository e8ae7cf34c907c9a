"""One test per page (and the permission rules) with the personas of tests/conftest.py."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from zhaoshang.industry import actions
from zhaoshang.industry.models import ApproachStatus, TargetCompany

PASSWORD = "pass-for-tests-1"


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


@pytest.fixture
def target(zone, node):
    return actions.create_target(zone=zone, name="江苏甲正极材料有限公司", province="江苏省", tags=["专精特新"],
                                 nodes=[node("正极材料")])


def test_chains_page_shows_gaps_for_any_member(login, observer_user, mapped_chain):
    response = login(observer_user).get(reverse("industry:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "测试电池链" in text and "目标企业</th>" not in text


def test_chain_page_shows_map_gap_and_leaders(login, bureau_user, mapped_chain, target):
    response = login(bureau_user).get(reverse("industry:chain", args=[mapped_chain.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'class="badge text-bg-danger zs-gap">正极材料' in text
    assert "多氟多新材料股份有限公司" in text and "zs-chain-tree-data" in text
    assert "echarts.min.js" in text
    assert "江苏甲正极材料有限公司" in text  # recommended
    assert "填补关键节点：正极材料；专精特新；长三角" in text


def test_chain_of_another_zone_is_404(login, make_user, other_zone, mapped_chain):
    stranger = make_user("stranger", other_zone, "bureau")
    assert login(stranger).get(reverse("industry:chain", args=[mapped_chain.pk])).status_code == 404


def test_unit_member_places_an_enterprise(login, unit_user, unit, mapped_chain, node, local, make_project):
    make_project(name="正极项目", responsible_unit=unit, investor=local("阳泉正极有限公司"))
    response = login(unit_user).post(reverse("industry:placement_add", args=[mapped_chain.pk]), {
        "node": node("正极材料").pk, "enterprise": "阳泉正极有限公司", "is_chain_leader": "on",
    })
    assert response.status_code == 302
    assert node("正极材料").placements.get().is_chain_leader


def test_placing_an_unknown_enterprise_says_so(login, unit_user, mapped_chain, node):
    response = login(unit_user).post(reverse("industry:placement_add", args=[mapped_chain.pk]), {
        "node": node("正极材料").pk, "enterprise": "不存在的公司",
    })
    assert response.status_code == 422
    html = response.content.decode()
    assert "企业库中没有“不存在的公司”" in html
    field = re.search(r'<input[^>]*name="enterprise"[^>]*>', html).group(0)
    assert "is-invalid" in field and 'aria-invalid="true"' in field


def test_observer_and_leadership_cannot_edit_chain_maps(login, observer_user, make_user, zone, mapped_chain, node):
    leader = make_user("boss", zone, "leadership")
    for user in (observer_user, leader):
        response = login(user).post(reverse("industry:node_add", args=[mapped_chain.pk]), {"name": "新节点", "position": "up"})
        assert response.status_code == 403
    assert not mapped_chain.nodes.filter(name="新节点").exists()


def test_node_add_edit_delete(login, bureau_user, mapped_chain):
    client = login(bureau_user)
    response = client.post(reverse("industry:node_add", args=[mapped_chain.pk]), {"name": "电解液", "position": "up", "is_key": "on"})
    assert response.status_code == 302
    node = mapped_chain.nodes.get(name="电解液")
    assert client.get(reverse("industry:node_edit", args=[node.pk])).status_code == 200
    client.post(reverse("industry:node_edit", args=[node.pk]), {"name": "电解液及溶剂", "position": "up"})
    node.refresh_from_db()
    assert (node.name, node.is_key) == ("电解液及溶剂", False)
    duplicate = client.post(reverse("industry:node_add", args=[mapped_chain.pk]), {"name": "隔膜", "position": "up"})
    assert "已有节点“隔膜”" in duplicate.content.decode()
    client.post(reverse("industry:node_delete", args=[node.pk]))
    assert not mapped_chain.nodes.filter(pk=node.pk).exists()


def test_relation_add_and_delete(login, bureau_user, mapped_chain, local):
    local("阳泉隔膜有限公司")
    client = login(bureau_user)
    response = client.post(reverse("industry:relation_add", args=[mapped_chain.pk]), {
        "from_enterprise": "阳泉储能科技有限公司", "kind": "customer", "to_enterprise": "多氟多新材料股份有限公司",
    })
    assert response.status_code == 302
    page = client.get(reverse("industry:chain", args=[mapped_chain.pk])).content.decode()
    assert "是对方的客户" in page
    from zhaoshang.industry.models import EnterpriseRelation

    relation = EnterpriseRelation.objects.get()
    client.post(reverse("industry:relation_delete", args=[relation.pk]), {"chain": mapped_chain.pk})
    assert not EnterpriseRelation.objects.exists()


def test_recommendations_page(login, unit_user, mapped_chain, target):
    response = login(unit_user).get(reverse("industry:recommendations", args=[mapped_chain.pk]))
    assert response.status_code == 200
    assert "填补关键节点：正极材料；专精特新；长三角" in response.content.decode()


@pytest.mark.parametrize("persona", ["department_user", "park_user", "observer_user"])
def test_target_pool_is_closed_to_departments_parks_and_observers(request, login, persona, mapped_chain, target):
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("industry:targets")).status_code == 403
    assert client.get(reverse("industry:target", args=[target.pk])).status_code == 404
    assert client.get(reverse("industry:recommendations", args=[mapped_chain.pk])).status_code == 403
    assert "推荐目标企业" not in client.get(reverse("industry:chain", args=[mapped_chain.pk])).content.decode()


def test_leadership_reads_targets_but_does_not_write(login, make_user, zone, target):
    client = login(make_user("boss", zone, "leadership"))
    assert client.get(reverse("industry:targets")).status_code == 200
    assert client.get(reverse("industry:target", args=[target.pk])).status_code == 200
    assert client.post(reverse("industry:target_follow_up_add", args=[target.pk]), {}).status_code == 403
    assert client.get(reverse("industry:target_create")).status_code == 403


def test_target_list_filters(login, unit_user, zone, target, node):
    actions.create_target(zone=zone, name="广东乙隔膜有限公司", province="广东省", nodes=[node("隔膜")])
    client = login(unit_user)
    text = client.get(reverse("industry:targets"), {"region": "yrd"}).content.decode()
    assert "江苏甲正极材料有限公司" in text and "广东乙隔膜有限公司" not in text
    text = client.get(reverse("industry:targets"), {"node": node("隔膜").pk}).content.decode()
    assert "广东乙隔膜有限公司" in text and "江苏甲正极材料有限公司" not in text
    text = client.get(reverse("industry:targets"), {"q": "甲正极材料（江苏）"}).content.decode()
    assert "江苏甲正极材料有限公司" in text


def test_target_create_and_edit(login, unit_user, zone, node):
    client = login(unit_user)
    assert client.get(reverse("industry:target_create")).status_code == 200
    response = client.post(reverse("industry:target_create"), {
        "name": "浙江丙电池有限公司", "province": "浙江省杭州市", "tags": ["瞪羚企业"], "nodes": [node("电芯制造").pk],
    })
    target = TargetCompany.objects.get(name="浙江丙电池有限公司")
    assert response.status_code == 302 and (target.province, target.city, target.region) == ("浙江省", "杭州市", "yrd")
    bad = client.post(reverse("industry:target_create"), {"name": "某公司", "uscc": "91350100M000100Y44"})
    assert bad.status_code == 422 and "校验位错误" in bad.content.decode()
    assert client.get(reverse("industry:target_edit", args=[target.pk])).status_code == 200
    client.post(reverse("industry:target_edit", args=[target.pk]), {"name": "浙江丙电池股份有限公司", "tags": ["瞪羚企业", "小巨人"]})
    target.refresh_from_db()
    assert target.name == "浙江丙电池股份有限公司" and target.tags.count() == 2 and target.nodes.count() == 0


def test_target_detail_follow_up_status_relation(login, unit_user, unit, target, local, make_project):
    make_project(name="多氟多扩产项目", responsible_unit=unit, investor=local("多氟多新材料股份有限公司"))
    client = login(unit_user)
    assert client.get(reverse("industry:target", args=[target.pk])).status_code == 200
    client.post(reverse("industry:target_follow_up_add", args=[target.pk]), {"date": "2025-03-01", "kind": "visit", "summary": "上门拜访"})
    client.post(reverse("industry:target_status", args=[target.pk]), {"to_status": "negotiating", "on": "2025-03-05"})
    back = client.post(reverse("industry:target_status", args=[target.pk]), {"to_status": "untouched", "on": "2025-03-06"})
    assert back.status_code == 422 and "回退需填写原因" in back.content.decode()
    client.post(reverse("industry:target_relation_add", args=[target.pk]), {"kind": "supplier", "enterprise": "多氟多新材料股份有限公司"})
    text = client.get(reverse("industry:target", args=[target.pk])).content.decode()
    assert "上门拜访" in text and "是多氟多新材料股份有限公司的供应商" in text and "洽谈中" in text


def test_convert_page_makes_a_lead_the_unit_can_see(login, unit_user, unit, target):
    client = login(unit_user)
    assert client.get(reverse("industry:target_convert", args=[target.pk])).status_code == 200
    response = client.post(reverse("industry:target_convert", args=[target.pk]), {"responsible_unit": unit.pk, "total_investment": "50000"})
    target.refresh_from_db()
    assert target.status == ApproachStatus.CONVERTED
    project = target.project
    assert (project.stage, project.responsible_unit, str(project.total_investment)) == ("lead", unit, "50000.00")
    assert response.status_code == 302
    from zhaoshang.projects.models import Project

    assert Project.objects.visible_to(unit_user).filter(pk=project.pk).exists()


def test_unit_member_cannot_give_the_lead_to_another_unit(login, unit_user, other_unit, target):
    response = login(unit_user).post(reverse("industry:target_convert", args=[target.pk]), {"responsible_unit": other_unit.pk})
    assert response.status_code == 422
    target.refresh_from_db()
    assert target.status == ApproachStatus.UNTOUCHED


def test_duplicates_page_and_merge_by_bureau_only(login, bureau_user, unit_user, zone):
    keep = actions.create_target(zone=zone, name="北京字节跳动科技有限公司", today=dt.date(2025, 1, 1))
    other = actions.create_target(zone=zone, name="字节跳动（北京）科技有限公司")
    text = login(unit_user).get(reverse("industry:duplicates")).content.decode()
    assert "字节跳动（北京）科技有限公司" in text and "名称归一后相同" in text
    assert login(unit_user).post(reverse("industry:target_merge", args=[keep.pk]), {"other": other.pk}).status_code == 403
    login(bureau_user).post(reverse("industry:target_merge", args=[keep.pk]), {"other": other.pk})
    other.refresh_from_db()
    assert other.merged_into == keep


def test_settings_page_for_bureau(login, bureau_user, unit_user, zone):
    assert login(unit_user).get(reverse("industry:settings")).status_code == 403
    client = login(bureau_user)
    assert client.get(reverse("industry:settings")).status_code == 200
    client.post(reverse("industry:settings"), {"priority_regions": ["jjj", "home"]})
    assert actions.targeting_settings(zone).priority_regions == ["jjj", "home"]


def test_anonymous_is_sent_to_login(client, mapped_chain):
    response = client.get(reverse("industry:chain", args=[mapped_chain.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unit_member_sees_only_the_enterprises_they_may_read(login, unit_user, unit, bureau_user, mapped_chain, node, local,
                                                              make_project, zone):
    own = local("本专班投资企业有限公司")
    make_project(name="本专班项目", responsible_unit=unit, investor=own)
    actions.place_enterprise(node("正极材料"), own)
    leader = local("多氟多新材料股份有限公司")
    target = actions.create_target(zone=zone, name="江苏甲正极材料有限公司", nodes=[node("隔膜")])
    actions.add_target_relation(target, "supplier", leader)
    actions.add_relation(local("阳泉储能科技有限公司"), "customer", leader)

    text = login(unit_user).get(reverse("industry:chain", args=[mapped_chain.pk])).content.decode()
    assert "本专班投资企业有限公司" in text
    assert "多氟多新材料股份有限公司" not in text and "阳泉储能科技有限公司" not in text
    assert "其他本地企业1家" in text and "为本链链主供货" in text
    detail = login(unit_user).get(reverse("industry:target", args=[target.pk])).content.decode()
    assert "是一家本地企业的供应商" in detail and "多氟多" not in detail
    hidden = leader.chain_placements.get()
    assert login(unit_user).post(reverse("industry:placement_delete", args=[hidden.pk])).status_code == 404
    refused = login(unit_user).post(reverse("industry:placement_add", args=[mapped_chain.pk]),
                                    {"node": node("隔膜").pk, "enterprise": "多氟多新材料股份有限公司"})
    assert "企业库中没有“多氟多新材料股份有限公司”" in refused.content.decode()

    text = login(bureau_user).get(reverse("industry:chain", args=[mapped_chain.pk])).content.decode()
    assert "多氟多新材料股份有限公司" in text and "其他本地企业" not in text
