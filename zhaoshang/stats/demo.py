"""Demo data of the support areas for the demo zone (阳泉高新区): enterprises' statistics
profiles and revenue, policies with claims, the funds, and the parks' carrier space.

    from zhaoshang.stats.demo import seed_support_demo
    seed_support_demo(zone)          # after core.demo.seed_demo() has built the zone
"""

import datetime as dt
import random
from decimal import Decimal

from zhaoshang.projects.models import Project

from zhaoshang.stats import actions

# chain (or cluster) → industry class
SECTOR_BY_CHAIN = {
    "新能源电池及材料": "C", "智能终端": "C", "钨钼材料": "C", "泵阀装备": "C", "新型装备制造": "C",
    "节能环保和循环经济": "N", "智算及人工智能": "I",
}
SECTOR_BY_PROJECT = {
    "冷链物流中心项目": "G", "物流仓储中心项目": "G", "科技金融服务中心项目": "L", "跨境电商产业园项目": "F51",
    "废旧动力电池综合利用项目": "C", "再生铝加工项目": "C",
}
# enterprise → (2024, 2025) revenue in 万元, chosen so the 入规 pipeline has cases at the edges
REVENUE = {
    "东莞精研电子有限公司": (1850, 2350),          # crossed 2000 in 2025, not yet in the statistics
    "北京工联数据技术有限公司": (1500, 2080),      # information services, 2000 threshold: crossed
    "上海浦科金融信息服务有限公司": (820, 1120),   # leasing & business services, 1000: crossed
    "济南鲁冷物流有限公司": (1300, 1720),          # transport, 2000: 86% — near
    "天津标准智能科技有限公司": (900, 1650),       # 82.5% — near
    "山西鑫泵机电设备有限公司": (1200, 1900),      # 95% — near
    "晋中精铸机械有限公司": (1500, 2150),          # crossed
    "阳泉绿能环保科技有限公司": (1400, 1550),      # environment & public facilities, 2000: 77.5% — not yet
    "太原重装再制造有限公司": (700, 980),
}


def seed_statistics(zone, rng: random.Random) -> None:
    """Profiles for the investors of landed projects; revenue 2024–2025; big ones in the statistics."""
    projects = (
        Project.objects.filter(zone=zone, started_on__isnull=False, investor__isnull=False)
        .select_related("investor", "chain")
        .order_by("started_on", "pk")
    )
    seen = set()
    for project in projects:
        company = project.investor
        if company.pk in seen:
            continue
        seen.add(company.pk)
        code = SECTOR_BY_PROJECT.get(project.name) or SECTOR_BY_CHAIN.get(getattr(project.chain, "name", ""), "C")
        if company.name in REVENUE:
            revenues = REVENUE[company.name]
            in_statistics = False
        else:
            base = rng.randint(30, 200) * 100
            revenues = (base, int(base * rng.uniform(1.05, 1.35)))
            in_statistics = True
        actions.update_profile(
            company, industry_code=code, in_statistics=in_statistics, landed_on=project.started_on,
            in_statistics_since=dt.date(project.started_on.year + 1, 1, 1) if in_statistics else None,
        )
        for year, revenue in zip((2024, 2025), revenues):
            if project.started_on.year <= year:
                employees = max(20, int(revenue / rng.uniform(25, 60)))
                actions.record_annual_figures(company, year=year, revenue=Decimal(revenue), employees=employees)


def seed_support_demo(zone) -> None:
    """Seed the four areas once (a zone that already has policies or funds is left alone)."""
    from zhaoshang.funds.demo import seed_funds
    from zhaoshang.funds.models import Fund
    from zhaoshang.policies.demo import seed_policies
    from zhaoshang.policies.models import Policy
    from zhaoshang.spaces.demo import seed_spaces

    if Policy.objects.filter(zone=zone).exists() or Fund.objects.filter(zone=zone).exists():
        return

    rng = random.Random(20250101)
    seed_statistics(zone, rng)
    seed_policies(zone)
    seed_funds(zone)
    seed_spaces(zone, rng)



