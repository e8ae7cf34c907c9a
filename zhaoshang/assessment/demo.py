"""Believable targets (2023 to the current year) and the default schemes for a demo zone,
two dispatch rounds (last month's closed, this month's open) and a published bulletin of
the last complete quarter, so its rankings, completion figures, rounds and bulletins have
something to show (call seed(zone, today=...) after the projects and tickets)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

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
def seed(zone: Zone, years=None, today: dt.date | None = None) -> int:
    """Default schemes, targets for every active unit and the zone from 2023 to `today`'s
    year, the dispatch rounds and the bulletin; returns how many targets were set."""
    today = today or timezone.localdate()
    years = years or range(2023, today.year + 1)
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
    seed_rounds(zone, today)
    seed_bulletin(zone, today)
    return count


def _month_start(day: dt.date, back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def seed_rounds(zone: Zone, today: dt.date) -> None:
    """Last month's round, filled and closed; this month's, open until the 5th of next month."""
    from zhaoshang.assessment.periods import month_end

    last = _month_start(today, 1)
    closed = actions.open_round(
        zone=zone, title=f"{last.year}年{last.month}月调度", cadence="monthly", start=last,
        end=month_end(last.year, last.month), deadline=today.replace(day=1) + dt.timedelta(days=4),
    )
    actions.close_round(closed, today=today)
    this = today.replace(day=1)
    following = _month_start(today, -1)
    actions.open_round(
        zone=zone, title=f"{this.year}年{this.month}月调度", cadence="monthly", start=this,
        end=month_end(this.year, this.month), deadline=following + dt.timedelta(days=4),
    )


def seed_bulletin(zone: Zone, today: dt.date):
    """The bulletin of the last quarter that has ended (in January: the fourth quarter)."""
    from zhaoshang.projects.kpi import Period

    quarter_start = _month_start(today, (today.month - 1) % 3 + 3)
    quarter = (quarter_start.month - 1) // 3 + 1
    period = Period.quarter(quarter_start.year, quarter, as_of=min(today, Period.quarter(quarter_start.year, quarter).end))
    return actions.publish_bulletin(zone=zone, period=period, number=f"阳高投促〔{today.year}〕{quarter}号", today=today)
