"""Departments are scored on the tickets app's figures (department_figures) and lose
points for tickets overdue as of the as-of date."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from zhaoshang.assessment import actions, scoring
from zhaoshang.assessment.models import SchemeItem
from zhaoshang.core.actions import create_unit
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects.kpi import Period
from zhaoshang.tickets import actions as tickets

D = dt.date.fromisoformat


def at(day: str, hour: int = 10):
    return timezone.make_aware(dt.datetime.combine(D(day), dt.time(hour)))


def test_department_scores_from_ticket_figures(zone, department, bureau_user, department_user, make_project):
    other = create_unit(zone=zone, name="住建局", kind=OrgUnit.Kind.DEPARTMENT)
    project = make_project(signed_on="2025-01-02")
    scheme = actions.save_scheme(zone=zone, kind=OrgUnit.Kind.DEPARTMENT, name="部门方案")
    actions.set_scheme_indicators(scheme, [
        {"indicator": "closed_rate", "weight": 50, "ceiling": 1, "floor": 0},
        {"indicator": "avg_working_days", "weight": 20, "ceiling": Decimal("1.5"), "floor": 0},
        {"indicator": "received", "weight": 30, "ceiling": 1, "floor": 0},
    ])
    actions.set_scheme_items(scheme, [{"rule": SchemeItem.Rule.OVERDUE_TICKET, "points": 3, "cap": None, "threshold": None}])
    for code, value in (("closed_rate", "0.9"), ("avg_working_days", "5"), ("received", "4")):
        actions.set_target(zone=zone, unit=department, year=2025, indicator=code, annual=Decimal(value))
        actions.set_target(zone=zone, unit=other, year=2025, indicator=code, annual=Decimal(value))

    # 自然资源局 receives two tickets in March: one resolved in 2 working days, one never (overdue).
    done = tickets.raise_ticket(zone=zone, category="用地", title="用地预审", project=project, actor=bureau_user,
                                department=department, raised_on=D("2025-03-03"), at=at("2025-03-03"))
    tickets.acknowledge_ticket(done, actor=department_user, at=at("2025-03-03", 15))
    tickets.resolve_ticket(done, actor=department_user, resolution="已办结", at=at("2025-03-05"))
    late = tickets.raise_ticket(zone=zone, category="用地", title="土地证办理", project=project, actor=bureau_user,
                                department=department, raised_on=D("2025-03-10"), at=at("2025-03-10"))

    period = Period(D("2025-03-01"), D("2025-03-31"))
    score = scoring.ranking(zone, period).score_of(department.pk)
    lines = {line.code: line for line in score.lines}
    assert lines["closed_rate"].actual == Decimal("0.5000")
    assert lines["closed_rate"].completion == Decimal("0.5556") and lines["closed_rate"].points == Decimal("27.78")
    # less is better: 5 ÷ 2 working days = 250%, capped at 150% → 20 × 1.5
    assert lines["avg_working_days"].actual == Decimal("2.00")
    assert lines["avg_working_days"].completion == Decimal("2.5000") and lines["avg_working_days"].points == Decimal("30.00")
    assert lines["received"].actual == 2 and lines["received"].points == Decimal("15.00")
    overdue = next(a for a in score.adjustments if a.rule == SchemeItem.Rule.OVERDUE_TICKET)
    assert [t["code"] for t in overdue.tickets] == [late.code] and overdue.points == Decimal("3.00")
    assert overdue.tickets[0]["detail"] == "受理时限2025-03-11，截至2025-03-31未受理"
    assert score.total == Decimal("69.78")  # 27.78 + 30 + 15 − 3

    quiet = scoring.ranking(zone, period).score_of(other.pk)
    assert quiet.lines[0].actual is None and quiet.lines[0].note == "无实际数据"
    assert quiet.total == Decimal("0.00")
    # never acknowledged: overdue from the day after its deadline to acknowledge (3/11),
    # not only after its deadline to solve (3/19); on 3/11 itself nothing is overdue yet
    early = scoring.ranking(zone, Period(D("2025-03-01"), D("2025-03-31"), D("2025-03-11"))).score_of(department.pk)
    assert next(a for a in early.adjustments if a.rule == SchemeItem.Rule.OVERDUE_TICKET).count == 0


def test_the_overdue_deduction_uses_the_tickets_rule_as_of_the_period(zone, department, bureau_user, department_user,
                                                                       make_project):
    """Overdue as the tickets app says on the as-of date: a ticket not acknowledged in time
    counts, a returned one does not, a later reopen or reassignment changes nothing for
    the period, and each ticket is charged to the department leading it on that day."""
    other = create_unit(zone=zone, name="住建局", kind=OrgUnit.Kind.DEPARTMENT)
    project = make_project(signed_on="2025-01-02")
    scheme = actions.save_scheme(zone=zone, kind=OrgUnit.Kind.DEPARTMENT, name="部门方案")
    actions.set_scheme_indicators(scheme, [{"indicator": "received", "weight": 100, "ceiling": 1, "floor": 0}])
    actions.set_scheme_items(scheme, [{"rule": SchemeItem.Rule.OVERDUE_TICKET, "points": 1, "cap": None, "threshold": None}])

    def raise_(title, day, to=department):
        return tickets.raise_ticket(zone=zone, category="用地", title=title, project=project, actor=bureau_user,
                                    department=to, raised_on=D(day), at=at(day))

    unacknowledged = raise_("未受理的诉求", "2025-03-10")  # 受理 due 3/11, 办结 due 3/19
    returned = raise_("退回的诉求", "2025-03-03")
    tickets.return_ticket(returned, actor=department_user, reason="非本部门职责", at=at("2025-03-03", 15))
    reopened = raise_("办结后重开的诉求", "2025-03-03")  # 办结 due 3/12
    tickets.acknowledge_ticket(reopened, actor=department_user, at=at("2025-03-03", 15))
    tickets.resolve_ticket(reopened, actor=department_user, resolution="已办结", at=at("2025-03-20"))
    tickets.reopen_ticket(reopened, actor=bureau_user, reason="问题复发", at=at("2025-04-01"))
    moved = raise_("改派的诉求", "2025-03-03", to=other)  # 受理 due 3/4 at 住建局
    tickets.assign_ticket(moved, department=department, actor=bureau_user, at=at("2025-04-01"))

    period = Period(D("2025-03-01"), D("2025-03-31"), D("2025-03-14"))
    ranking = scoring.ranking(zone, period)
    mine = next(a for a in ranking.score_of(department.pk).adjustments if a.rule == SchemeItem.Rule.OVERDUE_TICKET)
    assert [t["code"] for t in mine.tickets] == [unacknowledged.code, reopened.code]
    assert mine.tickets[0]["detail"] == "受理时限2025-03-11，截至2025-03-14未受理"
    assert mine.tickets[1]["detail"] == "办结时限2025-03-12，截至2025-03-14未办结"
    theirs = next(a for a in ranking.score_of(other.pk).adjustments if a.rule == SchemeItem.Rule.OVERDUE_TICKET)
    assert [t["code"] for t in theirs.tickets] == [moved.code]
