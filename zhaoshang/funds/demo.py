"""Demo funds of 阳泉高新区: a mother fund, three sub-funds, calls and investments."""

import datetime as dt
from decimal import Decimal

from zhaoshang.funds import actions
from zhaoshang.industry.models import IndustryChain
from zhaoshang.projects.models import Project

D = dt.date.fromisoformat

# name, size, mother's commitment, returns target, manager, established, focus chains, calls
SUB_FUNDS = [
    ("新能源新材料产业子基金", 50000, 15000, "1.5", "阳泉新材创业投资管理有限公司", "2023-09-01",
     ["新能源电池及材料", "钨钼材料"], [("2023-10-15", 20000), ("2024-06-30", 15000)]),
    ("数字经济产业子基金", 30000, 9000, "1.2", "北京数智股权投资管理有限公司", "2023-12-01",
     ["智算及人工智能", "智能终端"], [("2024-01-20", 12000), ("2024-09-10", 8000)]),
    ("高端装备制造子基金", 20000, 3000, "1.5", "太原装备产业基金管理有限公司", "2024-05-01",
     ["泵阀装备", "新型装备制造"], [("2024-06-15", 10000)]),
]
# fund, project or outside company, date, 万元, round, local
INVESTMENTS = [
    ("新能源新材料产业子基金", "年产5万吨磷酸铁锂正极材料项目", "2024-02-10", 3000, "project", True),
    ("新能源新材料产业子基金", "固态电池中试线项目", "2025-01-20", 5000, "b", True),
    ("新能源新材料产业子基金", "高纯钼粉生产线项目", "2024-06-20", 2000, "project", True),
    ("新能源新材料产业子基金", "江苏某储能材料科技有限公司", "2024-08-15", 3000, "a", False),
    ("数字经济产业子基金", "城市算力中心一期项目", "2024-05-20", 4000, "project", True),
    ("数字经济产业子基金", "智算服务器生产项目", "2025-03-01", 3000, "later", True),
    ("数字经济产业子基金", "数字孪生应用研发中心项目", "2024-09-20", 1500, "a", True),
    ("高端装备制造子基金", "大口径阀门智能制造项目", "2025-02-10", 2500, "b", True),
    ("高端装备制造子基金", "氢能装备制造基地项目", "2024-11-10", 3000, "project", True),
    ("阳泉高新区产业投资母基金", "工业互联网平台项目", "2024-03-15", 800, "angel", True),
]


def seed_funds(zone) -> None:
    mother = actions.create_fund(
        zone=zone, name="阳泉高新区产业投资母基金", size=Decimal("100000"), manager="阳泉高新区投资发展有限公司",
        established_on=D("2023-06-01"), reinvest_target=Decimal("1.2"),
        notes="区财政出资引导，按“母基金+子基金”方式运作，以投促招",
        focus_chains=list(IndustryChain.objects.filter(zone=zone)),
    )
    actions.add_call(mother, date=D("2023-07-01"), amount=Decimal("20000"))
    actions.add_call(mother, date=D("2024-07-01"), amount=Decimal("15000"))
    funds = {mother.name: mother}
    chains = {c.name: c for c in IndustryChain.objects.filter(zone=zone)}
    for name, size, commitment, target, manager, established, focus, calls in SUB_FUNDS:
        fund = actions.create_fund(
            zone=zone, name=name, size=Decimal(size), parent=mother, parent_commitment=Decimal(commitment),
            reinvest_target=Decimal(target), manager=manager, established_on=D(established),
            focus_chains=[chains[c] for c in focus if c in chains],
        )
        for on, amount in calls:
            actions.add_call(fund, date=D(on), amount=Decimal(amount))
        funds[name] = fund
    projects = {p.name: p for p in Project.objects.filter(zone=zone).select_related("investor")}
    for fund, target, on, amount, round_, local in INVESTMENTS:
        project = projects.get(target)
        actions.add_investment(
            funds[fund], date=D(on), amount=Decimal(amount), project=project,
            investee_name="" if project else target, round=round_, is_local=local,
        )
