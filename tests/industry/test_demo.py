import datetime as dt

from django.utils import timezone
from zhaoshang.industry.duplicates import duplicate_groups
from zhaoshang.industry.models import TargetCompany
from zhaoshang.industry.recommend import recommend
from zhaoshang.industry.selectors import chain_coverage


def test_demo_zone_has_chain_maps_gaps_and_a_target_pool(demo_zone):
    from zhaoshang.industry.demo import seed_chain_demo

    seed_chain_demo(demo_zone)
    battery = demo_zone.chains.get(name="新能源电池及材料")
    coverage = chain_coverage(battery)
    assert [n.node.name for n in coverage.gaps] == ["电芯制造"]
    assert [e.name for e in coverage.leaders] == ["宁德时利新能源科技有限公司"]
    assert [n.node.name for n in chain_coverage(demo_zone.chains.get(name="智算及人工智能")).gaps] == [
        "服务器与算力设备", "大模型与算法",
    ]
    assert TargetCompany.objects.filter(zone=demo_zone).count() == 31
    result = recommend(battery, today=timezone.localdate(), limit=3)
    assert [(r.target.name, r.score) for r in result] == [
        ("江苏清能电芯科技有限公司", 98), ("惠州亿能动力电池有限公司", 85), ("合肥国轩电芯有限公司", 65),
    ]
    assert result[0].reason == "填补关键节点：电芯制造；专精特新；瞪羚企业；长三角；为宁德时利新能源科技有限公司供货；近期接触（%s）" % (
        timezone.localdate() - dt.timedelta(days=18)).isoformat()
    assert [[t.name for t in g.targets] for g in duplicate_groups(demo_zone)] == [
        ["北京云帆智能科技有限公司", "云帆智能（北京）科技有限公司"],
    ]
    # the chain demo adds no projects: the §3 worked example still holds
    assert demo_zone.projects.filter(signed_on__year=2024).count() == 31
