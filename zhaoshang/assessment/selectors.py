"""Reads of the assessment app that other pages call."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from zhaoshang.assessment import indicators
from zhaoshang.assessment.models import Target
from zhaoshang.assessment.scoring import department_figures, empty_figures, target_value
from zhaoshang.core.models import OrgUnit, Zone
from zhaoshang.projects import kpi
from zhaoshang.projects.kpi import Period


def year_period(year: int, as_of: dt.date | None = None) -> Period:
    """The year, as of today while it runs (as of its last day once over)."""
    if as_of is None:
        as_of = min(timezone.localdate(), dt.date(year, 12, 31))
    return Period.year(year, as_of)


def targets_for(zone: Zone, year: int, unit: OrgUnit | None = None) -> dict[str, Target]:
    rows = Target.objects.filter(zone=zone, year=year)
    rows = rows.filter(unit=unit) if unit is not None else rows.filter(unit__isnull=True)
    return {t.indicator: t for t in rows}


def completion(zone: Zone, year: int, unit: OrgUnit | None = None, as_of: dt.date | None = None) -> dict:
    """{code: {"target", "actual", "completion"}} for every indicator with a target in the
    year: the unit's targets, or (unit=None) the zone's own targets and, for counts and
    amounts without one, the sum of the units' targets. Actual is the year-to-date figure
    as of `as_of` (today while the year runs); completion is a fraction (1.05 = 105%) or
    None. Amounts are 万元, rates fractions."""
    period = year_period(year, as_of)
    targets = {code: target_value(t, period) for code, t in targets_for(zone, year, unit).items()}
    if unit is None:
        summable = (indicators.COUNT, indicators.AMOUNT)
        for t in Target.objects.filter(zone=zone, year=year, unit__isnull=False).exclude(indicator__in=list(targets)):
            if indicators.KINDS.get(t.indicator) in summable and not indicators.is_ticket_figure(t.indicator):
                targets.setdefault(f"_sum_{t.indicator}", Decimal("0"))
                targets[f"_sum_{t.indicator}"] += target_value(t, period)
        for key in [k for k in targets if k.startswith("_sum_")]:
            targets[key[len("_sum_"):]] = targets.pop(key)
    if not targets:
        return {}
    figures = kpi.compute(kpi.scope(zone, unit=unit), period)
    tickets = None
    if unit is not None and any(indicators.is_ticket_figure(code) for code in targets):
        tickets = (department_figures(zone, period) or {}).get(unit.pk, {})
    return _completion(targets, figures, tickets)


def completion_by_unit(zone: Zone, year: int, units, as_of: dt.date | None = None) -> dict[int, dict]:
    """{unit id: completion(zone, year, unit, as_of)} for many units in a fixed number of
    queries: the targets at once, the project figures grouped by responsible unit, the
    ticket figures of all departments at once."""
    period = year_period(year, as_of)
    unit_ids = [unit.pk for unit in units]
    targets: dict[int, dict] = {pk: {} for pk in unit_ids}
    for t in Target.objects.filter(zone=zone, year=year, unit_id__in=unit_ids):
        targets[t.unit_id][t.indicator] = target_value(t, period)
    if not any(targets.values()):
        return {pk: {} for pk in unit_ids}
    by_unit = kpi.compute_by(kpi.scope(zone), period, "responsible_unit")
    tickets = None
    if any(indicators.is_ticket_figure(code) for unit_targets in targets.values() for code in unit_targets):
        tickets = department_figures(zone, period) or {}
    return {
        pk: _completion(targets[pk], by_unit.get(pk) or empty_figures(), None if tickets is None else tickets.get(pk, {}))
        if targets[pk] else {}
        for pk in unit_ids
    }


def _completion(targets: dict, figures: dict, tickets: dict | None) -> dict:
    result = {}
    for code in indicators.CODES:
        if code not in targets:
            continue
        if indicators.is_ticket_figure(code):
            actual = (tickets or {}).get(code)
        else:
            actual = figures[code]
        result[code] = {
            "target": targets[code],
            "actual": actual,
            "completion": indicators.completion_of(code, actual, targets[code]),
        }
    return result
