"""Believable targets (2023–2025) and the default schemes for a demo zone, so its rankings and
completion figures have something to show (call seed(zone) after core.demo.seed_demo)."""

from decimal import Decimal

from django.db import transaction

from zhaoshang.assessment import actions
from zhaoshang.core.models import OrgUnit, Zone

UNIT_TARGETS = {
    OrgUnit.Kind.TASK_FORCE: {"signed_count": 4, "signed_investment": 100000, "started_count": 3,
                              "start_rate": Decimal("0.8"), "funds_in_place": 10000},
    OrgUnit.Kind.SOE: {"signed_count": 3, "signed_investment": 150000, "started_count": 2,
                       "start_rate": Decimal("0.7"), "funds_in_place": 15000},
    OrgUnit.Kind.DEPARTMENT: {"closed_rate": Decimal("0.95"), "on_time_rate": Decimal("0.9"),
                              "satisfaction_rate": Decimal("0.95"), "avg_working_days": 5},
}
ZONE_TARGETS = {"signed_count": (30, (6, 8, 8, 8)), "signed_investment": (1500000, None), "start_rate": (Decimal("0.8"), None)}


@transaction.atomic
def seed(zone: Zone, years=(2023, 2024, 2025)) -> int:
    """Default schemes, and targets for every active unit and the zone; returns how many
    targets were set."""
    actions.install_default_schemes(zone)
    count = 0
    for year in years:
        for unit in OrgUnit.objects.filter(zone=zone, is_active=True, kind__in=list(UNIT_TARGETS)):
            for code, value in UNIT_TARGETS[unit.kind].items():
                actions.set_target(zone=zone, unit=unit, year=year, indicator=code, annual=value)
                count += 1
        for code, (value, quarters) in ZONE_TARGETS.items():
            actions.set_target(zone=zone, unit=None, year=year, indicator=code, annual=value, quarters=quarters or (None,) * 4)
            count += 1
    return count
