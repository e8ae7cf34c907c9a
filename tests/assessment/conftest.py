import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.assessment import actions
from zhaoshang.assessment.models import SchemeItem
from zhaoshang.core.models import OrgUnit

D = dt.date.fromisoformat


@pytest.fixture
def third_unit(zone):
    from zhaoshang.core.actions import create_unit

    return create_unit(zone=zone, name="高端装备制造专班", kind=OrgUnit.Kind.TASK_FORCE, sort_order=3)


@pytest.fixture
def small_scheme(zone):
    """Task forces: 签约项目数 weight 40 (cap 120%), 签约总投资 weight 60 (cap 100%, floor 50%);
    +2 per project ≥ 20,000万 (at most 4); −1 per project past its planned start (at most 3)."""
    scheme = actions.save_scheme(zone=zone, kind=OrgUnit.Kind.TASK_FORCE, name="专班考核方案")
    actions.set_scheme_indicators(scheme, [
        {"indicator": "signed_count", "weight": Decimal("40"), "ceiling": Decimal("1.2"), "floor": Decimal("0")},
        {"indicator": "signed_investment", "weight": Decimal("60"), "ceiling": Decimal("1"), "floor": Decimal("0.5")},
    ])
    actions.set_scheme_items(scheme, [
        {"rule": SchemeItem.Rule.MAJOR_PROJECT, "points": Decimal("2"), "cap": Decimal("4"), "threshold": Decimal("20000")},
        {"rule": SchemeItem.Rule.UNSTARTED_OVERDUE, "points": Decimal("1"), "cap": Decimal("3"), "threshold": None},
    ])
    return scheme
