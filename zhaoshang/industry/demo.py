"""Chain maps and a target pool for the demo zone (called at the end of core.demo.seed_demo).

Local enterprises of the demo are placed on the nodes of the seven chains, chain leaders
marked, supply relations recorded; some key nodes stay uncovered (新能源电池及材料·电芯制造,
智算及人工智能·服务器与算力设备 and ·大模型与算法, 新型装备制造·核心零部件) so the
maps show gaps and the recommendations have work to do. About thirty target companies
(invented names) serve those chains, some approached recently (dated back from `today`),
and one pair is the same company written two ways, to show duplicate detection.
"""

import datetime as dt

from django.utils import timezone
from zhaoshang.enterprises.models import Enterprise
from zhaoshang.industry import actions
from zhaoshang.industry.models import ChainNode

# chain → node → [(local enterprise, is chain leader)]
PLACEMENTS = {
    "新能源电池及材料": {
        "正极材料": [("常州锂源新能源科技有限公司", False)],
        "负极材料": [("宁波杉杉新材料有限公司", False)],
        "电解液": [("江苏国泰华荣化工新材料有限公司", False)],
        "隔膜": [("无锡恩捷隔膜材料有限公司", False)],
        "电池模组与PACK": [("深圳储能芯科技有限公司", False), ("深圳科瑞电控技术有限公司", False)],
        "储能系统": [("宁德时利新能源科技有限公司", True)],
        "电池回收": [("长沙邦盛循环科技有限公司", False)],
    },
    "智能终端": {
        "芯片与元器件": [("深圳华强电子元器件有限公司", False), ("广州芯感微电子有限公司", False)],
        "显示模组": [("苏州晶显光电有限公司", False)],
        "精密结构件": [("东莞精研电子有限公司", False)],
        "整机组装": [("深圳华信智能终端有限公司", True)],
    },
    "智算及人工智能": {
        "数据中心": [("北京中科智算科技有限公司", True), ("阳泉数聚云计算有限公司", False)],
        "行业应用": [("北京工联数据技术有限公司", False), ("上海孪数信息科技有限公司", False), ("天津标准智能科技有限公司", False)],
    },
    "钨钼材料": {
        "钼粉与钼条": [("洛阳栾川钼业新材料有限公司", True)],
        "钼靶材": [("西安瑞钼材料科技有限公司", False), ("中钼新材料科技有限公司", False)],
    },
    "泵阀装备": {
        "铸锻件": [("晋中精铸机械有限公司", False), ("阳泉华美阀业有限公司", False)],
        "泵阀整机": [("温州超达阀门集团有限公司", True), ("山西鑫泵机电设备有限公司", False), ("浙江中核阀门股份有限公司", False)],
    },
    "新型装备制造": {
        "整机装备": [("石家庄煤机智能装备有限公司", True), ("太原重装再制造有限公司", False)],
    },
    "节能环保和循环经济": {
        "回收网络": [("太原城绿再生资源有限公司", False)],
        "拆解与综合利用": [("长沙邦盛循环科技有限公司", True), ("阳泉绿能环保科技有限公司", False)],
        "再生材料": [("合肥再生金属有限公司", False)],
    },
}

# (from, kind, to): from is the supplier / customer / partner of to
RELATIONS = [
    ("常州锂源新能源科技有限公司", "supplier", "宁德时利新能源科技有限公司"),
    ("宁波杉杉新材料有限公司", "supplier", "宁德时利新能源科技有限公司"),
    ("江苏国泰华荣化工新材料有限公司", "supplier", "宁德时利新能源科技有限公司"),
    ("无锡恩捷隔膜材料有限公司", "supplier", "宁德时利新能源科技有限公司"),
    ("深圳科瑞电控技术有限公司", "supplier", "深圳储能芯科技有限公司"),
    ("长沙邦盛循环科技有限公司", "partner", "宁德时利新能源科技有限公司"),
    ("东莞精研电子有限公司", "supplier", "深圳华信智能终端有限公司"),
    ("苏州晶显光电有限公司", "supplier", "深圳华信智能终端有限公司"),
    ("深圳华强电子元器件有限公司", "supplier", "深圳华信智能终端有限公司"),
    ("西安瑞钼材料科技有限公司", "customer", "洛阳栾川钼业新材料有限公司"),
    ("晋中精铸机械有限公司", "supplier", "温州超达阀门集团有限公司"),
    ("合肥再生金属有限公司", "customer", "长沙邦盛循环科技有限公司"),
]

# name, location, chain, nodes, tags, revenue band, status, days since last contact
# (None: never), relations to local enterprises [(kind, enterprise)], main products
TARGETS = [
    ("江苏清能电芯科技有限公司", "江苏省常州市", "新能源电池及材料", ["电芯制造"], ["专精特新", "瞪羚企业"], "10-100", "contacted", 18,
     [("supplier", "宁德时利新能源科技有限公司")], "磷酸铁锂储能电芯"),
    ("惠州亿能动力电池有限公司", "广东省惠州市", "新能源电池及材料", ["电芯制造"], ["上市公司", "行业龙头"], "100-1000", "negotiating", 9,
     [], "动力及储能电芯"),
    ("合肥国轩电芯有限公司", "安徽省合肥市", "新能源电池及材料", ["电芯制造", "电池模组与PACK"], ["500强"], "100-1000", "untouched", None,
     [], "方形铝壳电芯"),
    ("湖南华能正极材料有限公司", "湖南省长沙市", "新能源电池及材料", ["正极材料"], ["专精特新"], "10-100", "untouched", None,
     [("supplier", "宁德时利新能源科技有限公司")], "三元正极材料"),
    ("贵州新锂源材料有限公司", "贵州省贵阳市", "新能源电池及材料", ["正极材料"], [], "1-10", "untouched", None, [], "磷酸锰铁锂"),
    ("深圳贝能负极科技有限公司", "广东省深圳市", "新能源电池及材料", ["负极材料"], ["小巨人"], "10-100", "contacted", 75, [], "硅碳负极"),
    ("焦作氟源新材料股份有限公司", "河南省焦作市", "新能源电池及材料", ["电解液"], ["上市公司"], "10-100", "untouched", None,
     [("supplier", "江苏国泰华荣化工新材料有限公司")], "六氟磷酸锂"),
    ("天津力储储能系统有限公司", "天津市", "新能源电池及材料", ["储能系统"], ["瞪羚企业"], "1-10", "contacted", 120,
     [("customer", "宁德时利新能源科技有限公司")], "工商业储能柜"),
    ("北京循环再生电池科技有限公司", "北京市", "新能源电池及材料", ["电池回收"], ["高新技术企业"], "1-10", "untouched", None, [], "梯次利用"),
    ("上海微芯半导体有限公司", "上海市", "智能终端", ["芯片与元器件"], ["小巨人", "专精特新"], "10-100", "contacted", 40,
     [("supplier", "深圳华信智能终端有限公司")], "电源管理芯片"),
    ("昆山精密模组有限公司", "江苏省苏州市", "智能终端", ["显示模组"], [], "1-10", "untouched", None, [], "背光模组"),
    ("深圳智联方案科技有限公司", "广东省深圳市", "智能终端", ["软件与方案"], ["专精特新"], "1-10", "untouched", None,
     [("supplier", "深圳华信智能终端有限公司")], "整机软件方案"),
    ("重庆渝联智能终端有限公司", "重庆市", "智能终端", ["整机组装"], [], "10-100", "untouched", None, [], "笔记本电脑代工"),
    ("北京浪算服务器有限公司", "北京市", "智算及人工智能", ["服务器与算力设备"], ["行业龙头", "上市公司"], "100-1000", "negotiating", 6,
     [("supplier", "北京中科智算科技有限公司")], "AI服务器"),
    ("杭州智芯算力设备有限公司", "浙江省杭州市", "智算及人工智能", ["服务器与算力设备"], ["瞪羚企业"], "10-100", "untouched", None, [], "液冷服务器"),
    ("北京智源大模型科技有限公司", "北京市", "智算及人工智能", ["大模型与算法"], ["瞪羚企业", "高新技术企业"], "1-10", "contacted", 25,
     [("partner", "北京中科智算科技有限公司")], "行业大模型"),
    ("上海言语智能科技有限公司", "上海市", "智算及人工智能", ["大模型与算法"], ["瞪羚企业"], "1-10", "untouched", None, [], "语音大模型"),
    ("深圳算网调度科技有限公司", "广东省深圳市", "智算及人工智能", ["算力调度"], ["专精特新"], "lt1", "untouched", None, [], "算力调度平台"),
    ("北京云帆智能科技有限公司", "北京市", "智算及人工智能", ["行业应用"], ["高新技术企业"], "1-10", "contacted", 60, [], "工业视觉"),
    ("云帆智能（北京）科技有限公司", "北京市", "智算及人工智能", ["行业应用"], [], "", "untouched", None, [], ""),
    ("陕西金堆钼业冶炼有限公司", "陕西省渭南市", "钨钼材料", ["钼精矿与冶炼"], ["央企"], "10-100", "contacted", 150,
     [("supplier", "洛阳栾川钼业新材料有限公司")], "钼精矿"),
    ("厦门虹鹭钨钼高端材料有限公司", "福建省厦门市", "钨钼材料", ["高端应用"], ["上市公司"], "10-100", "untouched", None, [], "钼电极"),
    ("宝鸡钛钼新材料有限公司", "陕西省宝鸡市", "钨钼材料", ["高端应用"], ["专精特新"], "1-10", "untouched", None, [], "钼合金板"),
    ("宁波密封件科技有限公司", "浙江省宁波市", "泵阀装备", ["密封与控制件"], ["小巨人"], "1-10", "contacted", 33,
     [("supplier", "温州超达阀门集团有限公司")], "机械密封"),
    ("上海阀控自动化有限公司", "上海市", "泵阀装备", ["密封与控制件"], ["专精特新"], "1-10", "untouched", None, [], "智能执行器"),
    ("北京水务工程运维有限公司", "北京市", "泵阀装备", ["工程与运维服务"], [], "1-10", "untouched", None, [], "泵站运维"),
    ("苏州精工减速器有限公司", "江苏省苏州市", "新型装备制造", ["核心零部件"], ["专精特新", "小巨人"], "1-10", "negotiating", 12,
     [("supplier", "石家庄煤机智能装备有限公司")], "精密减速器"),
    ("深圳伺服驱动技术有限公司", "广东省深圳市", "新型装备制造", ["核心零部件"], ["瞪羚企业"], "1-10", "untouched", None, [], "伺服电机"),
    ("唐山液压件制造有限公司", "河北省唐山市", "新型装备制造", ["核心零部件"], [], "1-10", "untouched", None,
     [("supplier", "石家庄煤机智能装备有限公司")], "液压支架阀"),
    ("格林循环科技（武汉）有限公司", "湖北省武汉市", "节能环保和循环经济", ["回收网络", "拆解与综合利用"], ["上市公司"], "100-1000", "contacted", 95,
     [("partner", "长沙邦盛循环科技有限公司")], "城市矿山"),
    ("台州再生塑料材料有限公司", "浙江省台州市", "节能环保和循环经济", ["再生材料"], [], "1-10", "untouched", None, [], "再生塑料粒子"),
]

FOLLOW_UPS = [
    ("call", "电话对接，了解企业扩产计划和选址要求", "寄送园区推介材料"),
    ("visit", "赴企业总部拜访，介绍本地产业链配套和政策", "邀请来园区考察"),
    ("inspection", "企业来园区考察载体和上下游配套", "提交投资意向"),
    ("negotiation", "就用地、厂房和配套政策开展洽谈", "细化合作方案"),
]


def seed_chain_demo(zone, today: dt.date | None = None) -> None:
    """Place the demo zone's enterprises on its chains and fill its target pool."""
    today = today or timezone.localdate()
    enterprises = {e.name: e for e in Enterprise.objects.filter(zone=zone)}
    nodes = {(n.chain.name, n.name): n for n in ChainNode.objects.filter(chain__zone=zone).select_related("chain")}
    for chain, by_node in PLACEMENTS.items():
        for node, placed in by_node.items():
            for name, leader in placed:
                actions.place_enterprise(nodes[(chain, node)], enterprises[name], is_chain_leader=leader)
    for source, kind, to in RELATIONS:
        actions.add_relation(enterprises[source], kind, enterprises[to])
    actions.update_targeting_settings(zone, priority_regions=["jjj", "yrd", "gba"])
    for index, (name, location, chain, node_names, tags, band, status, days, links, products) in enumerate(TARGETS):
        first_seen = today - dt.timedelta(days=(days or 0) + 60 + index)
        target = actions.create_target(
            zone=zone, name=name, province=location, tags=tags, nodes=[nodes[(chain, n)] for n in node_names],
            revenue_band=band, main_products=products, today=first_seen, note="产业链招商图谱梳理",
        )
        for kind, local in links:
            actions.add_target_relation(target, kind, enterprises[local])
        if days is None:
            continue
        steps = FOLLOW_UPS[: 3 if status == "negotiating" else 2]
        for step, (kind, summary, next_step) in enumerate(steps):
            on = today - dt.timedelta(days=days + 20 * (len(steps) - 1 - step))
            actions.add_target_follow_up(target, date=on, kind=kind, summary=summary, next_step=next_step,
                                         next_date=on + dt.timedelta(days=14))
        if status == "negotiating":
            actions.set_target_status(target, to_status="negotiating", on=today - dt.timedelta(days=days), note="进入实质洽谈")
