import json

import pytest
from django.core.management import CommandError, call_command

from zhaoshang.industry import actions


def run(*args):
    import io

    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_chain_gaps_lists_the_gaps(mapped_chain, zone, node):
    actions.create_target(zone=zone, name="江苏甲正极材料有限公司", nodes=[node("正极材料")])
    text = run("chain_gaps", "--zone", zone.code, "--chain", "测试电池链")
    assert "关键节点缺口：正极材料（上游，目标企业1家）" in text
    assert "未覆盖节点：隔膜" in text and "链主：多氟多新材料股份有限公司" in text
    data = json.loads(run("chain_gaps", "--zone", zone.code, "--json"))
    chains = {c["chain"]: c for c in data["chains"]}
    assert chains["测试电池链"]["gaps"] == [{"node": "正极材料", "position": "上游", "targets": 1}]
    assert len(chains) == 8


def test_recommend_prints_ranked_reasons(mapped_chain, zone, node):
    actions.create_target(zone=zone, name="江苏甲正极材料有限公司", province="江苏省", tags=["专精特新"], nodes=[node("正极材料")])
    actions.create_target(zone=zone, name="乙隔膜有限公司", nodes=[node("隔膜")])
    text = run("recommend", "--zone", zone.code, "--chain", "测试电池链", "--limit", "5", "--today", "2025-04-01")
    assert "  1. 江苏甲正极材料有限公司  60分  未接触  填补关键节点：正极材料；专精特新；长三角" in text
    assert "  2. 乙隔膜有限公司  15分" in text
    data = json.loads(run("recommend", "--zone", zone.code, "--chain", "测试电池链", "--json"))
    assert [r["target"] for r in data["recommendations"]] == ["江苏甲正极材料有限公司", "乙隔膜有限公司"]
    assert data["recommendations"][0]["parts"]["node_points"] == 40


def test_unknown_chain_is_a_usage_error(zone):
    with pytest.raises(CommandError, match="没有产业链“不存在”"):
        run("recommend", "--zone", zone.code, "--chain", "不存在")
    with pytest.raises(CommandError, match="园区“nozone”不存在"):
        run("chain_gaps", "--zone", "nozone")
