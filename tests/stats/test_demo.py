"""The support areas' demo data on the demo zone."""

import pytest
from decimal import Decimal

from zhaoshang.core.models import Park
from zhaoshang.spaces import selectors as space_selectors
from zhaoshang.spaces.models import SpaceUnit
from zhaoshang.stats import selectors
from zhaoshang.stats.demo import seed_support_demo


@pytest.mark.slow
def test_the_demo_zone_has_its_support_areas(demo_zone):
    from zhaoshang.funds import figures
    from zhaoshang.funds.models import Fund
    from zhaoshang.policies.models import Claim, Policy

    seed_support_demo(demo_zone)
    zhongdian = Park.objects.filter(zone=demo_zone, name__startswith="中电数字经济产业园")
    total = space_selectors.occupancy_total(SpaceUnit.objects.filter(building__park__in=zhongdian))
    assert total["total_area"] == Decimal("220000")
    found = selectors.candidates(demo_zone, 2025)
    over = {c.enterprise.name for c in found if c.status == selectors.OVER}
    near = {c.enterprise.name for c in found if c.status == selectors.NEAR}
    assert {"东莞精研电子有限公司", "北京工联数据技术有限公司", "上海浦科金融信息服务有限公司", "晋中精铸机械有限公司"} <= over
    assert {"济南鲁冷物流有限公司", "天津标准智能科技有限公司", "山西鑫泵机电设备有限公司"} <= near
    assert Policy.objects.filter(zone=demo_zone).count() == 8
    assert Claim.objects.filter(policy__zone=demo_zone).count() == 6
    mother = Fund.objects.get(zone=demo_zone, parent__isnull=True)
    assert figures.compute(mother)["sub_funds"] == 3


SUPPORT_APPS = {"policies", "stats", "funds", "spaces"}


@pytest.mark.slow
@pytest.mark.parametrize("username", ["demo-unit", "demo-park", "demo-observer"])
def test_personas_see_only_their_rows_on_the_support_pages(client, demo_zone, username):
    """The URL walk of tests/test_url_walk.py over the support pages, with their demo data."""
    from django.contrib.auth import get_user_model

    from tests.test_url_walk import scope_problems

    seed_support_demo(demo_zone)
    user = get_user_model().objects.get(username=username)
    problems = scope_problems(client, user, demo_zone, only=lambda route: route.name.split(":")[0] in SUPPORT_APPS)
    assert not problems, "\n".join(problems)
