"""Scores and rankings (分类考核 · 通报排队).

A unit is scored under the scheme of its kind for a period and an as-of date:

- each indicator: completion = actual ÷ target (target ÷ actual where less is better),
  points = weight × completion with completion capped at the indicator's ceiling, and
  no points when completion is below its floor (or when there is no target or no actual);
  points are rounded to 0.01 (half up);
- bonus and deduction items: points per project (or ticket) behind the item, capped at
  the item's cap; manual adjustments dated within the period count as recorded;
- total = indicator points + bonus − deduction.

Actuals come from `kpi.compute_by(kpi.scope(zone), period, "responsible_unit")` for the
project figures and from `tickets.figures.department_figures` for the ticket figures.

Units are ranked within their group (one group per scheme, i.e. per kind of unit).
Ties are broken, in order, by: (1) the higher total; (2) the higher indicator points;
(3) the fewer deduction points; (4) the unit's sort order; (5) the unit's name; (6) the
unit's id — so two runs over the same data always give the same order, and every unit
gets its own place. The move (↑↓) compares with the ranking of the previous period of the
same length (`periods.previous_period`) under the same schemes.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from zhaoshang.assessment import indicators
from zhaoshang.assessment.models import ManualAdjustment, Scheme, SchemeItem, Target
from zhaoshang.assessment.periods import previous_period, quarters_covered
from zhaoshang.core.models import OrgUnit, Zone
from zhaoshang.projects import kpi
from zhaoshang.projects.kpi import Period

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def _points(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class IndicatorLine:
    code: str
    label: str
    weight: Decimal
    ceiling: Decimal
    floor: Decimal
    actual: object
    target: Decimal | None
    completion: Decimal | None
    points: Decimal
    note: str = ""


@dataclass
class AdjustmentLine:
    kind: str  # "bonus" or "deduction"
    rule: str  # a SchemeItem.Rule, or "manual"
    label: str
    count: int
    points_each: Decimal | None
    points: Decimal
    cap: Decimal | None = None
    projects: list = field(default_factory=list)  # [{"id", "code", "name", "detail"}]
    tickets: list = field(default_factory=list)  # [{"id", "code", "title", "detail"}]
    notes: list = field(default_factory=list)


@dataclass
class UnitScore:
    unit_id: int
    unit_name: str
    unit_kind: str
    sort_order: int
    lines: list
    adjustments: list
    indicator_points: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    rank: int | None = None
    previous_rank: int | None = None

    @property
    def movement(self) -> int | None:
        """Places gained since the previous ranking (positive = up), None if unranked then."""
        if self.previous_rank is None or self.rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def arrow(self) -> str:
        move = self.movement
        if move is None:
            return "—"
        if move > 0:
            return f"↑{move}"
        if move < 0:
            return f"↓{-move}"
        return "→"


@dataclass
class Group:
    scheme_id: int
    scheme_name: str
    kind: str
    kind_label: str
    board_size: int
    scores: list

    # Only a unit that did better than someone goes on the 红榜, and only one that did
    # worse than someone on the 黑榜: a group where everyone scored the same (a period
    # nobody had work in) has neither.

    # Nor does a unit that earned nothing go on the 红榜, even above units that lost points.

    @property
    def red(self) -> list:
        lowest = min((score.total for score in self.scores), default=None)
        return [score for score in self.scores[: self.board_size] if score.total > lowest and score.total > 0]

    @property
    def black(self) -> list:
        if len(self.scores) <= 1:
            return []
        highest = max(score.total for score in self.scores)
        return [score for score in self.scores[max(self.board_size, len(self.scores) - self.board_size):] if score.total < highest]


@dataclass
class Ranking:
    zone_id: int
    zone_name: str
    period: Period
    previous: Period | None
    groups: list

    def score_of(self, unit_id: int) -> UnitScore | None:
        for group in self.groups:
            for score in group.scores:
                if score.unit_id == unit_id:
                    return score
        return None

    def to_dict(self) -> dict:
        """Plain JSON: decimals as strings, dates ISO."""
        return _plain(
            {
                "zone": {"id": self.zone_id, "name": self.zone_name},
                "period": _period_dict(self.period),
                "previous": _period_dict(self.previous) if self.previous else None,
                "tie_breaks": TIE_BREAKS,
                "groups": [
                    {
                        "scheme_id": g.scheme_id, "scheme": g.scheme_name, "kind": g.kind, "kind_label": g.kind_label,
                        "board_size": g.board_size,
                        "scores": [{**asdict(s), "movement": s.movement, "arrow": s.arrow} for s in g.scores],
                        "red": [s.unit_id for s in g.red], "black": [s.unit_id for s in g.black],
                    }
                    for g in self.groups
                ],
            }
        )


TIE_BREAKS = "同分时依次比较：指标得分高者在前、扣分少者在前、单位排序号小者在前、单位名称、单位编号"


def _period_dict(period: Period) -> dict:
    return {"start": period.start, "end": period.end, "as_of": period.as_of}


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


# ---------------------------------------------------------------- targets and actuals


def target_value(target: Target, period: Period) -> Decimal:
    """The part of a yearly target that applies to a period: the sum of the quarters
    covered (the last quarter's value for rates and durations) when the period runs over
    whole quarters and each of them has a breakdown; else the annual target."""
    covered = quarters_covered(period)
    if covered and period.start.year == target.year:
        values = [target.quarters[q - 1] for q in covered]
        if all(v is not None for v in values):
            if indicators.KINDS.get(target.indicator) in (indicators.COUNT, indicators.AMOUNT):
                return sum(values, Decimal("0"))
            return values[-1]
    return target.annual


def empty_figures() -> dict:
    return {code: (None if kind == kpi.RATE else (ZERO if kind == kpi.AMOUNT else 0)) for code, kind in kpi.KINDS.items()}


def department_figures(zone: Zone, period: Period) -> dict | None:
    """The tickets app's figures per department."""
    from zhaoshang.tickets.figures import department_figures as figures

    return figures(zone, period.start, period.end, as_of=period.as_of)


def unit_actuals(zone: Zone, period: Period, *, need_tickets: bool = True) -> tuple[dict, dict | None]:
    """({unit_id: project figures}, {unit_id: ticket figures} or None)."""
    by_unit = kpi.compute_by(kpi.scope(zone), period, "responsible_unit")
    tickets = department_figures(zone, period) if need_tickets else None
    return by_unit, tickets


def actual_of(code: str, unit_id: int, by_unit: dict, tickets: dict | None):
    if indicators.is_ticket_figure(code):
        if tickets is None:
            return None
        value = (tickets.get(unit_id) or {}).get(code)
        if value is None and indicators.KINDS[code] == indicators.COUNT:
            return 0
        return value
    return (by_unit.get(unit_id) or empty_figures())[code]


# ---------------------------------------------------------------- scoring


def score_indicator(code: str, weight: Decimal, ceiling: Decimal, floor: Decimal, actual, target) -> IndicatorLine:
    completion = indicators.completion_of(code, actual, target)
    note = ""
    if target is None:
        points, note = ZERO, _("未下达目标")
    elif completion is None:
        points, note = ZERO, _("无实际数据") if actual is None else _("目标为零")
    elif floor and completion < floor:
        points, note = ZERO, _("完成率低于%(rate)s不得分") % {"rate": kpi.format_rate(floor)}
    else:
        capped = min(completion, ceiling)
        points = _points(weight * capped)
        if completion > ceiling:
            note = _("完成率按%(rate)s封顶") % {"rate": kpi.format_rate(ceiling)}
    return IndicatorLine(
        code=code, label=str(indicators.LABELS[code]), weight=weight, ceiling=ceiling, floor=floor,
        actual=actual, target=target, completion=completion, points=points, note=note,
    )


def _project_row(project: dict, detail: str = "") -> dict:
    return {"id": project["pk"], "code": project["code"], "name": project["name"], "detail": detail}


def _item_rows(item: SchemeItem, zone: Zone, period: Period, unit_ids: list[int]) -> dict[int, list[dict]]:
    """{unit_id: [rows behind the item]} for one bonus or deduction item."""
    rows: dict[int, list] = {}
    projects = kpi.scope(zone).filter(responsible_unit_id__in=unit_ids)
    fields = ("pk", "code", "name", "responsible_unit_id", "total_investment", "planned_start_on", "signed_on", "started_on")
    if item.rule == SchemeItem.Rule.MAJOR_PROJECT:
        threshold = item.threshold if item.threshold is not None else zone.major_project_threshold
        found = kpi.projects_behind("signed_count", projects, period).filter(total_investment__gte=threshold)
        for p in found.order_by("signed_on", "code").values(*fields):
            rows.setdefault(p["responsible_unit_id"], []).append(
                _project_row(p, _("%(signed)s签约，总投资%(amount)s") % {
                    "signed": p["signed_on"].isoformat(), "amount": kpi.format_amount(p["total_investment"])})
            )
    elif item.rule == SchemeItem.Rule.STARTED_PROJECT:
        found = kpi.projects_behind("new_started_count", projects, period)
        for p in found.order_by("started_on", "code").values(*fields):
            rows.setdefault(p["responsible_unit_id"], []).append(_project_row(p, _("%(date)s开工") % {"date": p["started_on"].isoformat()}))
    elif item.rule == SchemeItem.Rule.UNSTARTED_OVERDUE:
        as_of = period.as_of
        found = projects.filter(
            Q(signed_on__lte=as_of), Q(planned_start_on__lt=as_of),
            Q(started_on__isnull=True) | Q(started_on__gt=as_of),
            Q(dropped_on__isnull=True) | Q(dropped_on__gt=as_of),
        )
        for p in found.order_by("planned_start_on", "code").values(*fields):
            rows.setdefault(p["responsible_unit_id"], []).append(
                _project_row(p, _("%(signed)s签约，计划%(planned)s开工，截至%(as_of)s未开工") % {
                    "signed": p["signed_on"].isoformat(), "planned": p["planned_start_on"].isoformat(),
                    "as_of": as_of.isoformat()})
            )
    elif item.rule == SchemeItem.Rule.OVERDUE_TICKET:
        for ticket in overdue_tickets(zone, period.as_of, unit_ids):
            rows.setdefault(ticket["unit_id"], []).append(ticket)
    return rows


def overdue_tickets(zone: Zone, as_of: dt.date, unit_ids: list[int]) -> list[dict]:
    """Tickets overdue as of the as-of date (tickets.figures.overdue_as_of, THE rule),
    charged to the department leading them on that day."""
    from zhaoshang.tickets.figures import overdue_as_of

    details = {
        "acknowledge": _("受理时限%(due)s，截至%(as_of)s未受理"),
        "solve": _("办结时限%(due)s，截至%(as_of)s未办结"),
    }
    return [
        {
            "id": row["ticket"].pk, "code": row["ticket"].code, "title": row["ticket"].title, "unit_id": row["department_id"],
            "detail": details[row["step"]] % {"due": row["due"].isoformat(), "as_of": as_of.isoformat()},
        }
        for row in overdue_as_of(zone, as_of, departments=unit_ids)
    ]


def _adjustment(item: SchemeItem, rows: list[dict]) -> AdjustmentLine:
    raw = item.points * len(rows)
    points = _points(min(raw, item.cap) if item.cap is not None else raw)
    is_ticket = item.rule == SchemeItem.Rule.OVERDUE_TICKET
    return AdjustmentLine(
        kind="bonus" if item.is_bonus else "deduction", rule=item.rule, label=str(item.get_rule_display()),
        count=len(rows), points_each=item.points, points=points, cap=item.cap,
        projects=[] if is_ticket else rows, tickets=rows if is_ticket else [],
    )


def _manual_lines(zone: Zone, period: Period, unit_ids: list[int]) -> dict[int, list[AdjustmentLine]]:
    result: dict[int, list] = {}
    found = ManualAdjustment.objects.filter(zone=zone, unit_id__in=unit_ids, date__gte=period.start, date__lte=period.cut)
    for adj in found.select_related("project").order_by("date", "id"):
        projects = []
        if adj.project_id:
            projects = [{"id": adj.project_id, "code": adj.project.code, "name": adj.project.name, "detail": ""}]
        result.setdefault(adj.unit_id, []).append(
            AdjustmentLine(
                kind=adj.kind, rule="manual", label=f"{adj.date.isoformat()} {adj.note}", count=1, points_each=adj.points,
                points=_points(adj.points), projects=projects, notes=[adj.note],
            )
        )
    return result


def score_units(zone: Zone, period: Period, schemes=None) -> list[Group]:
    """Every active unit of each scheme's kind, scored and ranked within its group."""
    if schemes is None:
        schemes = list(Scheme.objects.filter(zone=zone).prefetch_related("indicators", "items").order_by("kind"))
    if not schemes:
        return []
    units = list(OrgUnit.objects.filter(zone=zone, is_active=True, kind__in=[s.kind for s in schemes]))
    unit_ids = [u.pk for u in units]
    need_tickets = any(indicators.is_ticket_figure(i.indicator) for s in schemes for i in s.indicators.all())
    by_unit, tickets = unit_actuals(zone, period, need_tickets=need_tickets)
    targets = {
        (t.unit_id, t.indicator): target_value(t, period)
        for t in Target.objects.filter(zone=zone, year=period.end.year, unit_id__in=unit_ids)
    }
    manual = _manual_lines(zone, period, unit_ids)
    groups = []
    for scheme in schemes:
        members = [u for u in units if u.kind == scheme.kind]
        member_ids = [u.pk for u in members]
        item_rows = [(item, _item_rows(item, zone, period, member_ids)) for item in scheme.items.all()]
        scores = []
        for unit in members:
            lines = [
                score_indicator(
                    ind.indicator, ind.weight, ind.ceiling, ind.floor,
                    actual_of(ind.indicator, unit.pk, by_unit, tickets), targets.get((unit.pk, ind.indicator)),
                )
                for ind in scheme.indicators.all()
            ]
            if tickets is None:
                for line in lines:
                    if indicators.is_ticket_figure(line.code):
                        line.note = "服务诉求模块未启用"
            adjustments = [_adjustment(item, rows.get(unit.pk, [])) for item, rows in item_rows]
            adjustments += manual.get(unit.pk, [])
            indicator_points = sum((line.points for line in lines), ZERO)
            bonus = sum((a.points for a in adjustments if a.kind == "bonus"), ZERO)
            deduction = sum((a.points for a in adjustments if a.kind == "deduction"), ZERO)
            scores.append(
                UnitScore(
                    unit_id=unit.pk, unit_name=unit.name, unit_kind=unit.kind, sort_order=unit.sort_order,
                    lines=lines, adjustments=adjustments, indicator_points=_points(indicator_points),
                    bonus=_points(bonus), deduction=_points(deduction), total=_points(indicator_points + bonus - deduction),
                )
            )
        scores.sort(key=lambda s: (-s.total, -s.indicator_points, s.deduction, s.sort_order, s.unit_name, s.unit_id))
        # Units that all scored the same were not ranked at all (no 1–7 on 0.00 each).
        ranked = len({score.total for score in scores}) > 1
        for place, score in enumerate(scores, start=1):
            score.rank = place if ranked else None
        groups.append(
            Group(
                scheme_id=scheme.pk, scheme_name=scheme.name, kind=scheme.kind,
                kind_label=str(OrgUnit.Kind(scheme.kind).label), board_size=scheme.board_size, scores=scores,
            )
        )
    return groups


def was_scored(group: Group) -> bool:
    return any(line.target is not None for s in group.scores for line in s.lines) or any(
        a.points for s in group.scores for a in s.adjustments
    )


def ranking(zone: Zone, period: Period, *, with_previous: bool = True) -> Ranking:
    """The ranking for a period and as-of date, with each unit's place in the previous
    period of the same length."""
    schemes = list(Scheme.objects.filter(zone=zone).prefetch_related("indicators", "items").order_by("kind"))
    groups = score_units(zone, period, schemes)
    previous = None
    if with_previous and groups:
        previous = previous_period(period)
        # A group with neither targets nor adjustments in the previous period was not
        # really ranked then: its units show no move rather than one made up by the tie-breaks.
        before = {
            s.unit_id: s.rank
            for g in score_units(zone, previous, schemes) if was_scored(g)
            for s in g.scores
        }
        for group in groups:
            for score in group.scores:
                score.previous_rank = before.get(score.unit_id)
    return Ranking(zone_id=zone.pk, zone_name=zone.name, period=period, previous=previous, groups=groups)
