import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from zhaoshang.industry import actions
from zhaoshang.industry.duplicates import duplicate_groups, possible_duplicates
from zhaoshang.industry.models import ApproachStatus, EnterpriseRelation, TargetCompany
from zhaoshang.industry.names import normalize_name
from zhaoshang.projects.models import Project

from .conftest import TODAY

D = dt.date.fromisoformat
VALID_USCC = "91350100M000100Y43"


@pytest.mark.parametrize(
    "a, b",
    [
        ("北京字节跳动科技有限公司", "字节跳动（北京）科技有限公司"),
        ("宁德时代新能源科技股份有限公司", "宁德时代新能源科技有限公司"),
        ("深圳市比亚迪锂电池有限公司", "比亚迪锂电池（深圳）有限责任公司"),
        ("华为技术有限公司", "华为技术有限公司 "),
        ("ＡＢＣ智能装备有限公司", "abc智能装备有限公司"),
        ("多氟多新材料股份有限公司", "多氟多新材料（焦作）股份有限公司"),
    ],
)
def test_real_world_name_variants_normalise_to_the_same(a, b):
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(
    "a, b",
    [("北京字节跳动科技有限公司", "北京字节跳动网络技术有限公司"), ("宁德时代新能源科技股份有限公司", "宁德新能源科技有限公司")],
)
def test_different_companies_stay_different(a, b):
    assert normalize_name(a) != normalize_name(b)


def test_create_validates_uscc_and_derives_region(zone):
    with pytest.raises(ValidationError, match="校验位"):
        actions.create_target(zone=zone, name="某公司", uscc="91350100M000100Y44")
    target = actions.create_target(zone=zone, name="某公司", uscc=VALID_USCC.lower(), province="江苏省常州市")
    assert (target.uscc, target.province, target.city, target.get_region_display()) == (VALID_USCC, "江苏省", "常州市", "长三角")
    with pytest.raises(ValidationError, match="已登记为目标企业“某公司”"):
        actions.create_target(zone=zone, name="另一公司", uscc=VALID_USCC)
    assert [e.get_kind_display() for e in target.events.all()] == ["录入"]


def test_status_moves_along_the_ladder_and_back_only_with_a_reason(zone):
    target = actions.create_target(zone=zone, name="某公司")
    actions.set_target_status(target, to_status="negotiating", on=D("2025-01-05"))
    with pytest.raises(ValidationError, match="回退需填写原因"):
        actions.set_target_status(target, to_status="contacted", on=D("2025-02-01"))
    actions.set_target_status(target, to_status="contacted", on=D("2025-02-01"), note="对方暂缓投资计划")
    target.refresh_from_db()
    assert target.get_status_display() == "已接触"
    assert [(e.from_status, e.to_status) for e in target.events.filter(kind="status")] == [
        ("untouched", "negotiating"), ("negotiating", "contacted"),
    ]


def test_first_follow_up_marks_the_target_contacted(zone):
    target = actions.create_target(zone=zone, name="某公司")
    actions.add_target_follow_up(target, date=D("2025-03-01"), summary="电话联系", kind="call")
    actions.add_target_follow_up(target, date=D("2025-01-10"), summary="展会结识", kind="event")
    target.refresh_from_db()
    assert (target.status, target.last_contacted_on) == ("contacted", D("2025-03-01"))


def test_convert_to_lead_creates_enterprise_and_project_and_keeps_history(zone, small_chain, node, local, unit):
    leader = local("多氟多新材料股份有限公司")
    target = actions.create_target(
        zone=zone, name="江苏甲正极材料有限公司", uscc=VALID_USCC, province="江苏省", city="常州市", tags=["专精特新"],
        nodes=[node("正极材料")], contact_person="张伟", contact_phone="13800000000", today=D("2025-01-01"),
    )
    actions.add_target_relation(target, "supplier", leader)
    actions.add_target_follow_up(target, date=D("2025-02-10"), summary="拜访总部", next_step="邀请考察")
    actions.set_target_status(target, to_status="negotiating", on=D("2025-03-01"))

    project = actions.convert_to_lead(target, responsible_unit=unit, today=TODAY)

    assert project.stage == "lead" and project.chain == small_chain and project.responsible_unit == unit
    assert project.name == "江苏甲正极材料有限公司投资项目"
    assert (project.source_province, project.source_city, project.source_region) == ("江苏省", "常州市", "yrd")
    enterprise = project.investor
    assert (enterprise.name, enterprise.uscc, [t.name for t in enterprise.tags.all()]) == ("江苏甲正极材料有限公司", VALID_USCC, ["专精特新"])
    assert [f.summary for f in project.follow_ups.all()] == ["【目标企业库】拜访总部"]
    assert EnterpriseRelation.objects.filter(from_enterprise=enterprise, kind="supplier", to_enterprise=leader).exists()
    assert [s.to_stage for s in project.stage_changes.all()] == ["lead"]

    target.refresh_from_db()
    assert (target.status, target.project, target.enterprise, target.converted_on) == ("converted", project, enterprise, TODAY)
    assert [f.summary for f in target.follow_ups.all()] == ["拜访总部"]
    assert [e.kind for e in target.events.all()] == ["created", "status", "status", "converted"]
    assert list(target.nodes.all()) == [node("正极材料")]
    with pytest.raises(ValidationError, match="已转为项目线索"):
        actions.convert_to_lead(target, today=TODAY)


def test_convert_reuses_an_enterprise_already_registered(zone, local):
    existing = local("某已登记企业有限公司")
    target = actions.create_target(zone=zone, name="某已登记企业有限公司")
    project = actions.convert_to_lead(target, project_name="扩产项目", today=TODAY)
    assert project.investor == existing and project.name == "扩产项目"
    assert Project.objects.count() == 1


def test_duplicates_are_found_by_code_normalised_and_similar_names(zone, other_zone):
    a = actions.create_target(zone=zone, name="北京字节跳动科技有限公司")
    b = actions.create_target(zone=zone, name="字节跳动（北京）科技有限公司")
    c = actions.create_target(zone=zone, name="宁德时代新能源科技股份有限公司", uscc=VALID_USCC)
    d = actions.create_target(zone=zone, name="宁德时代新能源科技有限公司")
    actions.create_target(zone=zone, name="宁德时代新能源材料科技有限公司")  # a sister company, not the same
    e = actions.create_target(zone=zone, name="苏州清陶固态电池材料有限公司")
    f = actions.create_target(zone=zone, name="清陶固态电池新材料（苏州）有限公司")
    actions.create_target(zone=zone, name="华为技术有限公司")
    actions.create_target(zone=other_zone, name="字节跳动科技有限公司")
    groups = {tuple(t.name for t in g.targets): g.reason for g in duplicate_groups(zone)}
    assert groups == {
        (a.name, b.name): "名称归一后相同",
        (c.name, d.name): "名称归一后相同",
        (e.name, f.name): "名称相近",
    }
    assert [(t.name, why) for t, why in possible_duplicates(zone, "字节跳动(北京)科技有限公司")] == [
        (a.name, "名称归一后相同"), (b.name, "名称归一后相同"),
    ]


def test_merge_loses_nothing(zone, node, local):
    leader = local("多氟多新材料股份有限公司")
    keep = actions.create_target(zone=zone, name="北京字节跳动科技有限公司", tags=["行业龙头"], nodes=[node("正极材料")],
                                 notes="来自展会名单")
    other = actions.create_target(zone=zone, name="字节跳动（北京）科技有限公司", uscc=VALID_USCC, province="北京市",
                                  tags=["500强"], nodes=[node("隔膜")], contact_phone="010-1234", notes="来自商会推荐",
                                  today=D("2025-01-01"))
    actions.add_target_follow_up(keep, date=D("2025-01-05"), summary="第一次电话")
    actions.add_target_follow_up(other, date=D("2025-02-05"), summary="上门拜访")
    actions.set_target_status(other, to_status="negotiating", on=D("2025-02-06"))
    actions.add_target_relation(other, "customer", leader)

    merged = actions.merge_targets(keep, other, today=TODAY)

    assert merged.pk == keep.pk
    assert (merged.uscc, merged.province, merged.contact_phone, merged.status) == (VALID_USCC, "北京市", "010-1234", "negotiating")
    assert merged.notes == "来自展会名单\n来自商会推荐"
    assert sorted(t.name for t in merged.tags.all()) == ["500强", "行业龙头"]
    assert sorted(n.name for n in merged.nodes.all()) == ["正极材料", "隔膜"]
    assert [f.summary for f in merged.follow_ups.all()] == ["上门拜访", "第一次电话"]
    assert merged.last_contacted_on == D("2025-02-05")
    assert [(r.kind, r.enterprise) for r in merged.relations.all()] == [("customer", leader)]
    other.refresh_from_db()
    assert (other.status, other.merged_into, other.uscc) == (ApproachStatus.MERGED, merged, VALID_USCC)
    assert [e.kind for e in other.events.all()] == ["created", "status", "status", "merged"]
    snapshot = merged.events.get(kind="merged").data["snapshot"]
    assert snapshot["name"] == other.name and snapshot["tags"] == ["500强"]
    assert duplicate_groups(zone) == []
    assert TargetCompany.objects.open().count() == 1
    with pytest.raises(ValidationError, match="已合并"):
        actions.merge_targets(merged, other)


def test_merge_is_on_the_change_log(zone):
    from zhaoshang.core.models import ChangeRecord

    keep = actions.create_target(zone=zone, name="甲公司")
    other = actions.create_target(zone=zone, name="甲公司（上海）")
    actions.merge_targets(keep, other, today=TODAY)
    record = ChangeRecord.objects.filter(object_id=str(other.pk), action="update").last()
    assert record.after["status"] == "merged" and record.after["merged_into"] == keep.pk
