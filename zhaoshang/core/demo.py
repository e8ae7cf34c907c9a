"""The demo zone 阳泉高新区 (yqgxq): its real structure and believable projects whose
figures are exactly the worked example of docs/figures.md.

2024 — 31 signed, 141.34亿元, 25 started (开工率 80.65%), 新开工项目计划投资 40.44亿元,
固定资产投资类项目资金到位 9.15亿元; 2025 Q1 — 4 signed, 21.4亿元, 2 started (50%).
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhaoshang.assessment.demo import seed as seed_assessment_demo
from zhaoshang.campaigns.demo import seed as seed_campaigns_demo
from zhaoshang.core.actions import create_park, create_person, create_unit, create_zone
from zhaoshang.core.models import OrgUnit, Zone
from zhaoshang.enterprises import uscc
from zhaoshang.enterprises.actions import create_enterprise
from zhaoshang.industry.demo import seed_chain_demo
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects import actions as project_actions
from zhaoshang.projects.demo import seed_living as seed_living_projects
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.projects.stages import Stage
from zhaoshang.review.demo import seed as seed_review_demo
from zhaoshang.stats.demo import seed_support_demo
from zhaoshang.tickets.demo import seed_demo_tickets

ZONE_CODE = "yqgxq"
D = dt.date.fromisoformat

TASK_FORCES = ["数字经济专班", "新能源新材料专班", "高端装备制造专班", "节能环保专班", "现代服务业专班", "智能终端专班"]
SOES = ["开创集团", "开源公司", "数科公司"]
DEPARTMENTS = ["自然资源局", "住建局", "税务局", "行政审批局", "供电公司", "金融服务中心", "人社局"]
PARKS = [
    ("中电数字经济产业园一期", 60000), ("中电数字经济产业园二期", 160000), ("新材料产业园", 350000),
    ("高端装备制造产业园", 280000), ("智能终端产业园", 150000), ("循环经济产业园", 200000),
]
LEADERS = [
    ("王建国", "管委会主任"), ("李志强", "管委会副主任"), ("赵红梅", "管委会副主任"),
    ("孙立新", "党工委委员"), ("周海涛", "投资促进局局长"),
]
REGION_CODES = {
    "北京": "110105", "天津": "120116", "河北": "130102", "山西": "140105", "上海": "310115", "江苏": "320411",
    "浙江": "330212", "安徽": "340104", "福建": "350902", "山东": "370102", "河南": "410305", "湖南": "430104",
    "广东": "440305", "重庆": "500112", "陕西": "610113",
}

# name, investor, chain (or cluster for 现代服务业), unit, park, source, 万元, fixed asset,
# signed, planned start, started, producing, tags of the investor
SIGNED_2024_STARTED = [
    ("年产5万吨磷酸铁锂正极材料项目", "常州锂源新能源科技有限公司", "新能源电池及材料", "新能源新材料专班", "新材料产业园", "江苏省常州市", 30000, True, "2024-01-16", "2024-03-01", "2024-03-20", None, ["专精特新"]),
    ("钠离子电池负极材料项目", "宁波杉杉新材料有限公司", "新能源电池及材料", "新能源新材料专班", "新材料产业园", "浙江省宁波市", 22000, True, "2024-02-27", "2024-05-01", "2024-05-10", None, ["上市公司"]),
    ("储能电池PACK生产线项目", "深圳储能芯科技有限公司", "新能源电池及材料", "开创集团", "新材料产业园", "广东省深圳市", 18000, True, "2024-03-12", "2024-06-01", "2024-06-06", None, ["瞪羚企业"]),
    ("智能手机精密结构件项目", "东莞精研电子有限公司", "智能终端", "智能终端专班", "智能终端产业园", "广东省东莞市", 15000, True, "2024-01-09", "2024-02-28", "2024-03-01", "2025-03-20", ["专精特新"]),
    ("平板电脑整机组装项目", "深圳华信智能终端有限公司", "智能终端", "智能终端专班", "智能终端产业园", "广东省深圳市", 20000, True, "2024-03-28", "2024-05-15", "2024-05-18", None, ["行业龙头"]),
    ("显示模组生产项目", "苏州晶显光电有限公司", "智能终端", "智能终端专班", "智能终端产业园", "江苏省苏州市", 19500, True, "2024-04-16", "2024-07-01", "2024-07-08", None, []),
    ("城市算力中心一期项目", "北京中科智算科技有限公司", "智算及人工智能", "数科公司", "中电数字经济产业园二期", "北京市", 30000, True, "2024-05-08", "2024-08-01", "2024-08-06", None, ["央企"]),
    ("工业互联网平台项目", "北京工联数据技术有限公司", "智算及人工智能", "数字经济专班", "中电数字经济产业园一期", "北京市", 6000, False, "2024-02-20", "2024-04-01", "2024-04-02", "2024-12-10", ["高新技术企业"]),
    ("人工智能数据标注基地项目", "天津标准智能科技有限公司", "智算及人工智能", "数字经济专班", "中电数字经济产业园一期", "天津市", 5000, False, "2024-06-05", "2024-07-01", "2024-07-01", None, []),
    ("高纯钼粉生产线项目", "洛阳栾川钼业新材料有限公司", "钨钼材料", "新能源新材料专班", "新材料产业园", "河南省洛阳市", 14000, True, "2024-05-21", "2024-09-01", "2024-09-12", None, ["链主"]),
    ("钼靶材扩产项目", "西安瑞钼材料科技有限公司", "钨钼材料", "开创集团", "新材料产业园", "陕西省西安市", 12000, True, "2024-07-02", "2024-10-01", "2024-10-15", None, ["专精特新", "小巨人"]),
    ("智能阀门生产基地项目", "温州超达阀门集团有限公司", "泵阀装备", "高端装备制造专班", "高端装备制造产业园", "浙江省温州市", 16000, True, "2024-03-05", "2024-05-01", "2024-05-22", None, ["行业龙头"]),
    ("高效节能水泵项目", "山西鑫泵机电设备有限公司", "泵阀装备", "高端装备制造专班", "高端装备制造产业园", "山西省太原市", 9800, True, "2024-04-09", "2024-06-15", "2024-06-18", None, []),
    ("泵阀精密铸件项目", "晋中精铸机械有限公司", "泵阀装备", "开源公司", "高端装备制造产业园", "山西省晋中市", 11000, True, "2024-06-25", "2024-08-15", "2024-08-20", None, []),
    ("矿山智能装备制造项目", "石家庄煤机智能装备有限公司", "新型装备制造", "高端装备制造专班", "高端装备制造产业园", "河北省石家庄市", 21000, True, "2024-05-30", "2024-08-01", "2024-08-26", None, ["高新技术企业"]),
    ("煤机装备再制造项目", "太原重装再制造有限公司", "新型装备制造", "开源公司", "高端装备制造产业园", "山西省太原市", 8500, True, "2024-08-13", "2024-10-01", "2024-10-09", None, []),
    ("废旧动力电池综合利用项目", "长沙邦盛循环科技有限公司", "节能环保和循环经济", "节能环保专班", "循环经济产业园", "湖南省长沙市", 25000, True, "2024-04-23", "2024-06-30", "2024-07-03", None, ["专精特新"]),
    ("工业固废资源化利用项目", "阳泉绿能环保科技有限公司", "节能环保和循环经济", "节能环保专班", "循环经济产业园", "山西省阳泉市", 13400, True, "2024-07-18", "2024-09-15", "2024-09-20", None, []),
    ("再生铝加工项目", "合肥再生金属有限公司", "节能环保和循环经济", "节能环保专班", "循环经济产业园", "安徽省合肥市", 12600, True, "2024-09-03", "2024-11-01", "2024-11-12", None, []),
    ("冷链物流中心项目", "济南鲁冷物流有限公司", "现代服务业", "现代服务业专班", "", "山东省济南市", 9000, True, "2024-06-13", "2024-08-01", "2024-08-08", None, []),
    ("科技金融服务中心项目", "上海浦科金融信息服务有限公司", "现代服务业", "现代服务业专班", "中电数字经济产业园一期", "上海市", 5000, False, "2024-08-06", "2024-09-01", "2024-09-02", "2024-11-01", []),
    ("数字孪生应用研发中心项目", "上海孪数信息科技有限公司", "智算及人工智能", "数科公司", "中电数字经济产业园二期", "上海市", 7600, False, "2024-09-10", "2024-10-15", "2024-10-18", None, ["瞪羚企业"]),
    ("锂电池隔膜项目", "无锡恩捷隔膜材料有限公司", "新能源电池及材料", "开创集团", "新材料产业园", "江苏省无锡市", 20000, True, "2024-10-08", "2024-11-15", "2024-11-26", None, ["上市公司"]),
    ("智能传感器封装测试项目", "广州芯感微电子有限公司", "智能终端", "数字经济专班", "中电数字经济产业园二期", "广东省广州市", 14000, True, "2024-10-22", "2024-12-01", "2024-12-05", None, ["小巨人"]),
    ("电池管理系统（BMS）项目", "深圳科瑞电控技术有限公司", "新能源电池及材料", "新能源新材料专班", "新材料产业园", "广东省深圳市", 16000, True, "2024-11-14", "2024-12-15", "2024-12-18", None, ["高新技术企业"]),
]

SIGNED_2024_NOT_STARTED = [
    ("年产10GWh储能电池基地项目", "宁德时利新能源科技有限公司", "新能源电池及材料", "新能源新材料专班", "新材料产业园", "福建省宁德市", 300000, True, "2024-06-18", "2025-03-01", None, None, ["链主", "500强"]),
    ("绿色算力产业园项目", "北京云岭算力科技有限公司", "智算及人工智能", "数科公司", "中电数字经济产业园二期", "北京市", 250000, True, "2024-08-26", "2025-06-30", None, None, ["央企"]),
    ("高端钼合金新材料产业基地项目", "洛阳金鹭钼业股份有限公司", "钨钼材料", "开创集团", "新材料产业园", "河南省洛阳市", 200000, True, "2024-12-20", "2025-01-10", "2025-01-15", None, ["行业龙头", "上市公司"]),
    ("氢能装备制造基地项目", "上海氢程动力装备有限公司", "新型装备制造", "高端装备制造专班", "高端装备制造产业园", "上海市", 150000, True, "2024-10-15", "2025-04-30", None, None, ["瞪羚企业"]),
    ("新能源汽车零部件项目", "重庆渝驰汽车零部件有限公司", "新型装备制造", "开源公司", "高端装备制造产业园", "重庆市", 85000, True, "2024-09-09", "2025-03-15", None, None, []),
    ("智能家电整机项目", "佛山美顺智能家电有限公司", "智能终端", "智能终端专班", "智能终端产业园", "广东省佛山市", 48000, True, "2024-11-05", "2025-04-01", None, None, []),
]
DROPPED_AFTER_SIGNING = {"智能家电整机项目": ("2025-02-20", "投资方调整战略布局，项目终止")}

SIGNED_2023 = [
    ("钼靶材深加工一期项目", "中钼新材料科技有限公司", "钨钼材料", "新能源新材料专班", "新材料产业园", "河南省洛阳市", 24000, True, "2023-11-28", "2024-02-01", "2024-02-26", None, ["专精特新"]),
    ("锂电池电解液项目", "江苏国泰华荣化工新材料有限公司", "新能源电池及材料", "新能源新材料专班", "新材料产业园", "江苏省张家港市", 40000, True, "2023-03-15", "2023-06-01", "2023-06-01", "2024-05-20", ["上市公司"]),
    ("电子元器件产业园项目", "深圳华强电子元器件有限公司", "智能终端", "智能终端专班", "智能终端产业园", "广东省深圳市", 60000, True, "2023-05-10", "2023-08-01", "2023-08-08", "2024-10-30", ["行业龙头"]),
    ("数据中心机房改造项目", "阳泉数聚云计算有限公司", "智算及人工智能", "数科公司", "中电数字经济产业园一期", "山西省阳泉市", 8000, True, "2023-04-12", "2023-05-15", "2023-05-20", "2023-12-01", []),
    ("阀门铸造升级项目", "阳泉华美阀业有限公司", "泵阀装备", "开源公司", "高端装备制造产业园", "山西省阳泉市", 12000, True, "2023-07-01", "2023-09-01", "2023-09-15", None, []),
    ("物流仓储中心项目", "天津顺捷供应链管理有限公司", "现代服务业", "现代服务业专班", "", "天津市", 6000, True, "2023-08-20", "2023-10-01", "2023-10-10", None, []),
    ("再生资源回收分拣中心项目", "太原城绿再生资源有限公司", "节能环保和循环经济", "节能环保专班", "循环经济产业园", "山西省太原市", 9500, True, "2023-09-25", "2023-12-01", "2023-12-05", None, []),
    ("新材料研发中心项目", "北京新研材料研究院有限公司", "钨钼材料", "开创集团", "新材料产业园", "北京市", 5000, True, "2023-12-12", "2024-06-30", None, None, ["高新技术企业"]),
]

SIGNED_2025_Q1 = [
    ("固态电池中试线项目", "苏州清陶固态电池有限公司", "新能源电池及材料", "新能源新材料专班", "新材料产业园", "江苏省苏州市", 80000, True, "2025-01-08", "2025-03-15", "2025-03-18", None, ["瞪羚企业"]),
    ("智算服务器生产项目", "北京曙光算力设备有限公司", "智算及人工智能", "数科公司", "中电数字经济产业园二期", "北京市", 60000, True, "2025-02-12", "2025-05-01", None, None, ["上市公司"]),
    ("大口径阀门智能制造项目", "浙江中核阀门股份有限公司", "泵阀装备", "高端装备制造专班", "高端装备制造产业园", "浙江省杭州市", 50000, True, "2025-01-20", "2025-03-20", "2025-03-28", None, ["专精特新", "小巨人"]),
    ("光储一体化示范项目", "合肥阳光储能科技有限公司", "节能环保和循环经济", "节能环保专班", "循环经济产业园", "安徽省合肥市", 24000, True, "2025-03-06", "2025-06-01", None, None, []),
]

# name, investor, chain, unit, source, 万元, stage, since, drop (date, reason)
PIPELINE = [
    ("钠电正极材料项目", "江苏钠创新能源有限公司", "新能源电池及材料", "新能源新材料专班", "江苏省南京市", 120000, Stage.NEGOTIATING, "2024-11-20", None),
    ("半导体封装测试项目", "上海芯联封测技术有限公司", "智能终端", "智能终端专班", "上海市", 90000, Stage.NEGOTIATING, "2025-01-14", None),
    ("AI大模型训练基地项目", "北京深思智能科技有限公司", "智算及人工智能", "数科公司", "北京市", 50000, Stage.LEAD, "2025-02-18", None),
    ("高端医疗器械项目", "广州迈康医疗器械有限公司", "新型装备制造", "高端装备制造专班", "广东省广州市", 30000, Stage.LEAD, "2025-03-03", None),
    ("钼基合金粉末项目", "洛阳钼都粉末冶金有限公司", "钨钼材料", "开创集团", "河南省洛阳市", 20000, Stage.NEGOTIATING, "2024-12-05", None),
    ("工业机器人项目", "杭州凯智机器人有限公司", "新型装备制造", "高端装备制造专班", "浙江省杭州市", 45000, Stage.NEGOTIATING, "2025-02-25", None),
    ("电子信息配套产业园项目", "深圳鹏城电子产业发展有限公司", "智能终端", "智能终端专班", "广东省深圳市", 80000, Stage.LEAD, "2025-03-12", None),
    ("跨境电商产业园项目", "义乌跨境通供应链有限公司", "现代服务业", "现代服务业专班", "浙江省金华市", 10000, Stage.LEAD, "2025-01-27", None),
    ("氢燃料电池电堆项目", "上海重塑能源科技有限公司", "新能源电池及材料", "开源公司", "上海市", 60000, Stage.NEGOTIATING, "2024-05-16", ("2024-09-12", "投资方选址其他园区")),
    ("智慧物流装备项目", "天津港智物流装备有限公司", "新型装备制造", "开源公司", "天津市", 15000, Stage.NEGOTIATING, "2025-03-20", None),
]

# project name → [(date, 万元)]
FUND_ARRIVALS = {
    "年产5万吨磷酸铁锂正极材料项目": [("2024-04-15", 5000), ("2024-09-30", 6000), ("2025-01-20", 4000)],
    "钠离子电池负极材料项目": [("2024-06-20", 4000), ("2024-11-15", 3000)],
    "储能电池PACK生产线项目": [("2024-07-10", 5000)],
    "智能手机精密结构件项目": [("2024-03-30", 6000)],
    "平板电脑整机组装项目": [("2024-05-18", 8000)],
    "城市算力中心一期项目": [("2024-08-12", 10000)],
    "高纯钼粉生产线项目": [("2024-10-08", 4500)],
    "智能阀门生产基地项目": [("2024-06-28", 5000)],
    "矿山智能装备制造项目": [("2024-09-16", 6000)],
    "废旧动力电池综合利用项目": [("2024-07-22", 7000)],
    "钼靶材深加工一期项目": [("2024-03-15", 5000), ("2024-12-10", 3000)],
    "锂电池电解液项目": [("2023-07-15", 10000), ("2024-02-28", 6000)],
    "电子元器件产业园项目": [("2023-09-20", 12000), ("2024-04-25", 8000)],
    "数据中心机房改造项目": [("2023-06-10", 4000)],
    "阀门铸造升级项目": [("2023-10-20", 3000)],
    "物流仓储中心项目": [("2023-11-10", 2000)],
    "再生资源回收分拣中心项目": [("2023-12-20", 2500)],
    "工业互联网平台项目": [("2024-06-30", 1500)],
    "科技金融服务中心项目": [("2024-08-30", 1200)],
    "高端钼合金新材料产业基地项目": [("2025-02-25", 20000)],
    "固态电池中试线项目": [("2025-03-25", 10000)],
    "大口径阀门智能制造项目": [("2025-03-30", 5000)],
}

CONTACT_SURNAMES = "张王李赵刘陈杨黄周吴"
FOLLOW_UP_TEXTS = [
    (FollowUp.Kind.CALL, "电话对接投资意向，了解项目基本情况和选址需求", "寄送园区推介材料"),
    (FollowUp.Kind.VISIT, "赴企业总部拜访，介绍园区产业基础和配套政策", "邀请企业来园区考察"),
    (FollowUp.Kind.INSPECTION, "企业高管来园区实地考察载体和配套条件", "提交项目投资方案"),
    (FollowUp.Kind.NEGOTIATION, "就用地、厂房代建和扶持政策开展洽谈", "细化投资协议条款"),
    (FollowUp.Kind.NEGOTIATION, "协议文本基本达成一致，待双方决策", "安排签约"),
]
AFTER_SIGNING_TEXTS = [
    (FollowUp.Kind.VISIT, "协调办理立项、环评和施工许可等前期手续", "推动项目尽快开工"),
    (FollowUp.Kind.VISIT, "现场调度项目建设进度，了解用电、用水需求", "协调供电公司接入"),
]


def _uscc_for(sequence: int, province_key: str) -> str:
    body = "91" + REGION_CODES.get(province_key, "140302") + f"MA{sequence:07d}"
    return body + uscc.check_character(body)


class DemoAlreadySeeded(Exception):
    pass


@transaction.atomic
def seed_demo(extras: bool = True, today: dt.date | None = None) -> Zone:
    """The demo zone; `extras` adds the chain maps, support areas, tickets and assessment
    schemes on top of the projects, and the months from April 2025 up to `today` (default:
    the zone's today, timezone.localdate()) so the zone looks alive on the day it is
    seeded (tests that only read the fixed figures leave the extras out)."""
    today = today or timezone.localdate()
    if Zone.objects.filter(code=ZONE_CODE).exists():
        raise DemoAlreadySeeded(ZONE_CODE)
    rng = random.Random(20240101)
    zone = create_zone(code=ZONE_CODE, name="阳泉高新区", province="山西省", city="阳泉市")
    units = {}
    units["投资促进局"] = create_unit(zone=zone, name="投资促进局", kind=OrgUnit.Kind.BUREAU)
    for order, name in enumerate(TASK_FORCES):
        units[name] = create_unit(zone=zone, name=name, kind=OrgUnit.Kind.TASK_FORCE, sort_order=order)
    for order, name in enumerate(SOES):
        units[name] = create_unit(zone=zone, name=name, kind=OrgUnit.Kind.SOE, sort_order=order)
    for order, name in enumerate(DEPARTMENTS):
        units[name] = create_unit(zone=zone, name=name, kind=OrgUnit.Kind.DEPARTMENT, sort_order=order)
    operator = create_unit(zone=zone, name="中电产业园运营公司", kind=OrgUnit.Kind.PARK_OPERATOR)
    parks = {
        name: create_park(zone=zone, name=name, floor_area_m2=Decimal(area), operator=operator if name.startswith("中电") else None)
        for name, area in PARKS
    }
    leaders = [create_person(zone=zone, name=name, title=title, is_leader=True) for name, title in LEADERS]
    staff = {
        unit: create_person(zone=zone, name=f"{CONTACT_SURNAMES[index % 10]}{'明华军丽强静涛敏'[index % 8]}", title="招商专员", unit=units[unit])
        for index, unit in enumerate(TASK_FORCES + SOES)
    }
    chains = {chain.name: chain for chain in IndustryChain.objects.filter(zone=zone)}
    clusters = {cluster.name: cluster for cluster in IndustryCluster.objects.filter(zone=zone)}

    sequence = iter(range(1, 10_000))
    projects = {}

    def investor(name, source, tags):
        province = source[:2] if source[:2] in REGION_CODES else source[:3]
        return create_enterprise(
            zone=zone, name=name, uscc=_uscc_for(next(sequence), province), tags=tags, province=source[:3], city=source[3:]
        )

    def taxonomy(industry):
        if industry in chains:
            return {"chain": chains[industry]}
        return {"cluster": clusters[industry]}

    def add_signed(rows, drops=None):
        for name, company, industry, unit, park, source, amount, fixed, signed, planned, started, producing, tags in rows:
            province, city = _split(source)
            project = project_actions.create_project(
                zone=zone,
                name=name,
                investor=investor(company, source, tags),
                contact_person=f"{rng.choice(CONTACT_SURNAMES)}{rng.choice('建国志伟海波晓东立新')}",
                contact_phone=f"13{rng.randint(100000000, 999999999)}",
                **taxonomy(industry),
                kind=Project.Kind.CHAIN if industry in chains else Project.Kind.FOUNDATIONAL,
                total_investment=Decimal(amount),
                is_fixed_asset=fixed,
                source_province=province,
                source_city=city,
                responsible_unit=units[unit],
                park=parks.get(park),
                signed_on=D(signed),
                planned_start_on=D(planned) if planned else None,
                started_on=D(started) if started else None,
                producing_on=D(producing) if producing else None,
                leaders=rng.sample(leaders, rng.choice([1, 1, 2])),
                today=D(signed),
                # The talks before the signing are facts too: their follow-ups start up
                # to about three months before it.
                negotiating_on=D(signed) - dt.timedelta(days=TALKS_BEFORE_SIGNING_DAYS),
            )
            projects[name] = project
            _follow_ups(rng, project, staff.get(unit), D(signed), D(started) if started else None)
            if drops and name in drops:
                on, reason = drops[name]
                project_actions.change_stage(project, to_stage=Stage.DROPPED, on=D(on), reason=reason)

    add_signed(SIGNED_2023)
    add_signed(SIGNED_2024_STARTED)
    add_signed(SIGNED_2024_NOT_STARTED, DROPPED_AFTER_SIGNING)
    add_signed(SIGNED_2025_Q1)

    for name, company, industry, unit, source, amount, stage, since, drop in PIPELINE:
        province, city = _split(source)
        project = project_actions.create_project(
            zone=zone,
            name=name,
            investor=investor(company, source, []),
            **taxonomy(industry),
            kind=Project.Kind.CHAIN,
            total_investment=Decimal(amount),
            source_province=province,
            source_city=city,
            responsible_unit=units[unit],
            stage=stage,
            leaders=rng.sample(leaders, 1),
            today=D(since),
        )
        _follow_ups(rng, project, staff.get(unit), D(since) + dt.timedelta(days=rng.randint(20, 40)), None, before=False)
        if drop:
            project_actions.change_stage(project, to_stage=Stage.DROPPED, on=D(drop[0]), reason=drop[1])

    for name, arrivals in FUND_ARRIVALS.items():
        for on, amount in arrivals:
            project_actions.add_fund_arrival(projects[name], date=D(on), amount=Decimal(amount), note="项目建设资金")
    create_demo_users(zone)
    if extras:
        # In dependency order: projects first, then what refers to them.
        seed_living_projects(zone, today)
        seed_chain_demo(zone, today=today)
        seed_support_demo(zone)
        seed_demo_tickets(zone, today=today)
        seed_assessment_demo(zone, today=today)
        seed_review_demo(zone, today=today)
        seed_campaigns_demo(zone, today=today)
    return zone


def _split(source: str) -> tuple[str, str]:
    from zhaoshang.projects.regions import split_source

    return split_source(source)


TALKS_BEFORE_SIGNING_DAYS = 100


def _follow_ups(rng, project, person, pivot: dt.date, started: dt.date | None, before: bool = True) -> None:
    """A believable trail: talks before the signing (or up to now for the pipeline), site
    visits after it."""
    count = rng.randint(2, 4)
    texts = FOLLOW_UP_TEXTS[-count:] if before else FOLLOW_UP_TEXTS[:count]
    day = pivot - dt.timedelta(days=25 * count) if before else pivot - dt.timedelta(days=20 * count)
    # No follow-up before the project's first fact (its 线索 or 在谈 date).
    first = project.stage_changes.order_by("date").values_list("date", flat=True).first()
    for index, (kind, summary, next_step) in enumerate(texts):
        day = max(day + dt.timedelta(days=rng.randint(12, 25)), first or day)
        next_date = day + dt.timedelta(days=rng.randint(10, 30))
        project_actions.add_follow_up(
            project, date=day, kind=kind, summary=summary, next_step=next_step, next_date=next_date,
            participants=[person] if person else (),
        )
    if before and not started:
        kind, summary, next_step = AFTER_SIGNING_TEXTS[0]
        day = pivot + dt.timedelta(days=rng.randint(15, 45))
        project_actions.add_follow_up(
            project, date=day, kind=kind, summary=summary, next_step=next_step,
            next_date=day + dt.timedelta(days=30), participants=[person] if person else (),
        )


# One login per role (README "Demo users"); all share DEMO_PASSWORD.
DEMO_PASSWORD = "zhaoshang-demo"
DEMO_USERS = [
    # username, full name, role, unit, park
    ("demo-admin", "系统管理员", "admin", None, None),
    ("demo-leader", "王建国", "leadership", None, None),
    ("demo-bureau", "周海涛", "bureau", "投资促进局", None),
    ("demo-unit", "新能源专班专员", "unit", "新能源新材料专班", None),
    ("demo-unit2", "数字经济专班专员", "unit", "数字经济专班", None),
    ("demo-soe", "开创集团专员", "unit", "开创集团", None),
    ("demo-dept", "自然资源局联络员", "department", "自然资源局", None),
    ("demo-park", "中电产业园二期联络员", "park", None, "中电数字经济产业园二期"),
    ("demo-observer", "市投促中心观察员", "observer", None, None),
]


def create_demo_users(zone: Zone) -> list:
    """The demo logins, one per role (two task forces and an SOE for the unit role)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from zhaoshang.core.actions import grant_role
    from zhaoshang.core.models import Park

    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)  # hashed once: Argon2 is slow on purpose
    users = []
    for username, full_name, role, unit, park in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username, defaults={"first_name": full_name, "password": hashed})
        grant_role(
            user=user, zone=zone, role=role,
            unit=OrgUnit.objects.get(zone=zone, name=unit) if unit else None,
            park=Park.objects.get(zone=zone, name=park) if park else None,
        )
        users.append(user)
    return users
