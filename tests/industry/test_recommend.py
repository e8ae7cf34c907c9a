import datetime as dt

import pytest

from zhaoshang.industry import actions
from zhaoshang.industry.recommend import recommend

from .conftest import TODAY


@pytest.fixture
def pool(mapped_chain, node, local, zone, other_zone):
    leader = local("多氟多新材料股份有限公司")
    jia = actions.create_target(zone=zone, name="江苏甲正极材料有限公司", province="江苏省", city="常州市",
                                tags=["专精特新"], nodes=[node("正极材料")])
    actions.add_target_relation(jia, "supplier", leader)
    actions.create_target(zone=zone, name="乙新能源集团有限公司", province="山西省", tags=["链主", "行业龙头"],
                          nodes=[node("正极材料"), node("隔膜")])
    bing = actions.create_target(zone=zone, name="丙电芯科技有限公司", province="广东省深圳市", tags=["小巨人"],
                                 nodes=[node("电芯制造")])
    actions.add_target_follow_up(bing, date=TODAY - dt.timedelta(days=10), summary="电话联系")
    ding = actions.create_target(zone=zone, name="丁隔膜有限公司", province="四川省", nodes=[node("隔膜")])
    actions.add_target_relation(ding, "partner", leader)
    # not candidates: converted, serving another chain, in another zone
    gone = actions.create_target(zone=zone, name="戊已转化有限公司", province="北京市", nodes=[node("正极材料")])
    actions.convert_to_lead(gone, today=TODAY)
    other_node = zone.chains.get(name="智能终端").nodes.first()
    actions.create_target(zone=zone, name="己终端有限公司", province="北京市", nodes=[other_node])
    foreign_node = other_zone.chains.get(name="新能源电池及材料").nodes.get(name="正极材料")
    actions.create_target(zone=other_zone, name="庚外区有限公司", province="北京市", nodes=[foreign_node])
    return mapped_chain


def test_targets_are_ranked_by_score_with_their_reasons(pool):
    result = recommend(pool, today=TODAY)
    assert [(r.target.name, r.score) for r in result] == [
        ("乙新能源集团有限公司", 85),
        ("江苏甲正极材料有限公司", 80),
        ("丙电芯科技有限公司", 37),
        ("丁隔膜有限公司", 23),
    ]
    reasons = {r.target.name: r.reason for r in result}
    assert reasons["江苏甲正极材料有限公司"] == "填补关键节点：正极材料；专精特新；长三角；为多氟多新材料股份有限公司供货"
    assert reasons["乙新能源集团有限公司"] == "填补关键节点：正极材料；补齐薄弱环节：隔膜；链主；行业龙头"
    assert reasons["丙电芯科技有限公司"] == "补强节点：电芯制造；小巨人；粤港澳；近期接触（2025-03-22）"
    assert reasons["丁隔膜有限公司"] == "补齐薄弱环节：隔膜；与多氟多新材料股份有限公司合作"


def test_score_parts_add_up(pool):
    for r in recommend(pool, today=TODAY):
        assert sum(r.parts.values()) == r.score


def test_priority_regions_are_a_zone_setting(pool, zone):
    actions.update_targeting_settings(zone, priority_regions=["other"])
    result = {r.target.name: r for r in recommend(pool, today=TODAY)}
    assert result["江苏甲正极材料有限公司"].score == 70
    assert result["丁隔膜有限公司"].score == 33
    assert "长三角" not in result["江苏甲正极材料有限公司"].reasons
    assert "其他" in result["丁隔膜有限公司"].reasons


def test_filling_the_gap_changes_the_ranking(pool, node, local):
    actions.place_enterprise(node("正极材料"), local("本地正极材料有限公司"))
    actions.place_enterprise(node("隔膜"), local("本地隔膜有限公司"))
    result = recommend(pool, today=TODAY)
    assert [(r.target.name, r.score) for r in result] == [
        ("江苏甲正极材料有限公司", 45),
        ("丙电芯科技有限公司", 37),
        ("乙新能源集团有限公司", 35),
        ("丁隔膜有限公司", 13),
    ]
    assert result[0].target.name == "江苏甲正极材料有限公司"
    assert result[0].reasons[0] == "补强节点：正极材料"


def test_recency_fades(pool):
    later = recommend(pool, today=TODAY + dt.timedelta(days=100))
    assert {r.target.name: r.parts["recency_points"] for r in later}["丙电芯科技有限公司"] == 3


def test_limit(pool):
    assert [r.target.name for r in recommend(pool, today=TODAY, limit=2)] == ["乙新能源集团有限公司", "江苏甲正极材料有限公司"]


def test_the_ranking_query_agrees_with_the_scored_parts(pool, zone, node, local):
    from zhaoshang.industry.recommend import ranking, scored

    # a few more shapes: both gap kinds, capped tags, partner and trade links, old contact
    leader = local("多氟多新材料股份有限公司")
    many = actions.create_target(zone=zone, name="庚多标签有限公司", province="天津市", tags=["链主", "500强", "央企"],
                                 nodes=[node("正极材料"), node("隔膜"), node("电芯制造")])
    actions.add_target_relation(many, "partner", leader)
    actions.add_target_relation(many, "customer", leader)
    old = actions.create_target(zone=zone, name="辛久未联系有限公司", nodes=[node("储能系统")])
    actions.add_target_follow_up(old, date=TODAY - dt.timedelta(days=150), summary="电话")
    for regions in (["jjj", "yrd", "gba"], [], ["other", "home"]):
        fast = ranking(pool, priority_regions=regions, today=TODAY, limit=None)
        slow = list(scored(pool, priority_regions=regions, today=TODAY).order_by("-score", "name", "pk").values_list("pk", "score"))
        assert fast == slow
        # with a limit the gap servers may be ranked alone (when they beat any other target)
        for limit in range(1, len(slow) + 1):
            assert ranking(pool, priority_regions=regions, today=TODAY, limit=limit) == slow[:limit]
    assert dict(fast)[many.pk] == 55 + 30 + 0 + 20 + 0
