"""Demo carrier space: buildings and units for every park of 阳泉高新区, summing to each
park's area — 中电数字经济产业园 (一期 6万㎡ + 二期 16万㎡) carries 22万㎡ — with the
landed projects as tenants."""

import random
from decimal import Decimal

from zhaoshang.core.models import Park
from zhaoshang.projects.models import Project
from zhaoshang.projects.stages import Stage
from zhaoshang.spaces import actions
from zhaoshang.spaces.models import SpaceUnit

K = SpaceUnit.Kind
# park → [(building name pattern, count, area per building, kind, units per building, rent 元/㎡·月)]
LAYOUT = {
    "中电数字经济产业园一期": [("{n}号写字楼", 4, 15000, K.OFFICE, 5, "35")],
    "中电数字经济产业园二期": [("A{n}研发楼", 4, 25000, K.RESEARCH, 5, "30"), ("B{n}数据中心", 2, 30000, K.FACTORY, 2, "25")],
    "新材料产业园": [("{n}号厂房", 14, 25000, K.FACTORY, 2, "12")],
    "高端装备制造产业园": [("{n}号厂房", 12, 20000, K.FACTORY, 2, "12"), ("{n}号仓库", 2, 20000, K.WAREHOUSE, 2, "8")],
    "智能终端产业园": [("{n}号厂房", 8, 15000, K.FACTORY, 3, "15"), ("{n}号研发楼", 2, 15000, K.RESEARCH, 3, "28")],
    "循环经济产业园": [("{n}号厂房", 8, 20000, K.FACTORY, 2, "10"), ("{n}号仓库", 2, 20000, K.WAREHOUSE, 2, "8")],
}
FLOOR_WORDS = ["1层", "2层", "3层", "4层", "5层"]


def seed_spaces(zone, rng: random.Random) -> None:
    parks = {p.name: p for p in Park.objects.filter(zone=zone)}
    for park_name, rows in LAYOUT.items():
        park = parks.get(park_name)
        if park is None:
            continue
        tenants = list(
            Project.objects.filter(zone=zone, park=park).exclude(stage__in=[Stage.DROPPED, Stage.LEAD, Stage.NEGOTIATING])
            .select_related("investor").order_by("signed_on", "pk")
        )
        units = []
        order = 0
        for prefix, count, area, kind, per_building, rent in rows:
            for number in range(1, count + 1):
                order += 1
                building = actions.create_building(park=park, name=prefix.format(n=number), floors=per_building, sort_order=order)
                for index in range(per_building):
                    name = FLOOR_WORDS[index] if per_building > 2 else ("东区" if index == 0 else "西区")
                    units.append(actions.create_unit(
                        building=building, name=name, kind=kind, area_m2=Decimal(area) / per_building,
                        rent=Decimal(rent),
                    ))
        rng.shuffle(units)
        # landed projects take a unit each (leased once started, intended before)
        for project, unit in zip(tenants, units):
            actions.assign_to_project(unit, project)
        rest = units[len(tenants):]
        investors = [p.investor for p in tenants if p.investor_id] or [None]
        for unit in rest:
            draw = rng.random()
            if draw < 0.45 and investors[0] is not None:
                actions.update_unit(unit, status=SpaceUnit.Status.LEASED, tenant_enterprise=rng.choice(investors))
            elif draw < 0.55:
                actions.update_unit(unit, status=SpaceUnit.Status.SELF_USED, notes="园区运营自用")
