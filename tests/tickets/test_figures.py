"""ticket_stats figures on a small hand-checked set (March 2025).

自然资源局 (A) and 住建局 (B); ordinary tickets, 7 working days to solve.
T1 A: assigned 3/3, resolved 3/5 (2 working days, on time), rated 满意 3/6.
T2 A: assigned 3/3, resolved 3/20 (late), rated 不满意 3/21 → reopened (due 4/1),
      resolved 3/25 (16 working days from 3/3, on time against 4/1), rated 基本满意 3/26.
T3 A: assigned 3/10 (due 3/19), acknowledged, still open → overdue by 3/31.
T4 A: assigned 3/28 (due 4/9: 清明 4/4 skipped), acknowledged, open, not yet due.
T5 A: assigned 3/5, returned 3/6 and left with the bureau → not counted.
T6 A→B: assigned to A 3/4, returned 3/5, reassigned to B 3/6, resolved 3/7 (1 day).
T7 B: assigned 2/20 → outside the period.
T8: registered 3/12, never assigned → not counted.
T9 A: assigned 3/11, resolved 3/12, rated 不满意 3/13 → reopened (due 3/24), open → overdue.

As of 3/31 — A: received 5 (T1 T2 T3 T4 T9), closed 2 → 40.00%; due 4 (T1 T2 T3 T9),
on time 2 → 50.00%; average (2 + 16) / 2 = 9.00 working days; rated 3, satisfied 2 → 66.67%.
B: received 1, closed 1 → 100%; on time 1/1; 1.00 day; no rating.
"""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhaoshang.tickets import actions, figures
from zhaoshang.tickets.models import TicketCategory

from .conftest import at

D = dt.date.fromisoformat


@pytest.fixture
def march(make_ticket, project, department, second_department, department_user, second_department_user, bureau_user):
    A, B = department, second_department
    a, b, boss = department_user, second_department_user, bureau_user

    def ack(ticket, day, who=a):
        return actions.acknowledge_ticket(ticket, actor=who, at=at(day))

    def solve(ticket, day, who=a):
        return actions.resolve_ticket(ticket, actor=who, resolution="已解决", at=at(day))

    def rate(ticket, day, rating, note=""):
        return actions.rate_ticket(ticket, actor=boss, rating=rating, note=note, at=at(day))

    t = {}
    t[1] = make_ticket("T1", "用地", project=project, department=A, when="2025-03-03")
    ack(t[1], "2025-03-03"); solve(t[1], "2025-03-05"); rate(t[1], "2025-03-06", "satisfied")
    t[2] = make_ticket("T2", "用地", project=project, department=A, when="2025-03-03")
    ack(t[2], "2025-03-04"); solve(t[2], "2025-03-20"); rate(t[2], "2025-03-21", "unsatisfied", "仍未解决")
    solve(t[2], "2025-03-25"); rate(t[2], "2025-03-26", "basically")
    t[3] = make_ticket("T3", "税务", project=project, department=A, when="2025-03-10")
    ack(t[3], "2025-03-10")
    t[4] = make_ticket("T4", "税务", project=project, department=A, when="2025-03-28")
    ack(t[4], "2025-03-28")
    t[5] = make_ticket("T5", "用地", project=project, department=A, when="2025-03-05")
    actions.return_ticket(t[5], actor=a, reason="非本部门职责", at=at("2025-03-06"))
    t[6] = make_ticket("T6", "水电热气", project=project, department=A, when="2025-03-04")
    actions.return_ticket(t[6], actor=a, reason="供热归住建局", at=at("2025-03-05"))
    actions.assign_ticket(t[6], department=B, actor=boss, at=at("2025-03-06"))
    ack(t[6], "2025-03-06", b); solve(t[6], "2025-03-07", b)
    t[7] = make_ticket("T7", "用地", project=project, department=B, when="2025-02-20")
    ack(t[7], "2025-02-20", b); solve(t[7], "2025-03-03", b)
    t[8] = make_ticket("T8", "金融", project=project, when="2025-03-12")
    t[9] = make_ticket("T9", "用工", project=project, department=A, when="2025-03-11")
    ack(t[9], "2025-03-11"); solve(t[9], "2025-03-12"); rate(t[9], "2025-03-13", "unsatisfied", "招工仍困难")
    return t


def test_hand_checked_department_figures(zone, department, second_department, march):
    result = figures.department_figures(zone, D("2025-03-01"), D("2025-03-31"))
    a, b = result[department.pk], result[second_department.pk]
    assert (a["received"], a["closed"], a["due"], a["on_time"], a["rated"], a["satisfied"]) == (5, 2, 4, 2, 3, 2)
    assert a["closed_rate"] == Decimal("0.4000")
    assert a["on_time_rate"] == Decimal("0.5000")
    assert a["avg_working_days"] == Decimal("9.00")
    assert a["satisfaction_rate"] == Decimal("0.6667")
    assert (b["received"], b["closed"], b["closed_rate"], b["on_time_rate"], b["avg_working_days"]) == (
        1, 1, Decimal("1.0000"), Decimal("1.0000"), Decimal("1.00"))
    assert b["satisfaction_rate"] is None


def test_the_figures_as_of_an_earlier_date(zone, department, march):
    # As of 3/22: T2 reopened (not closed, due 4/1), T4 not yet assigned, T9 due 3/24;
    # T1 closed on time; T3 overdue since 3/19; ratings T1 满意, T2 不满意, T9 不满意.
    a = figures.department_figures(zone, D("2025-03-01"), D("2025-03-31"), as_of=D("2025-03-22"))[department.pk]
    assert (a["received"], a["closed"], a["due"], a["on_time"], a["rated"], a["satisfied"]) == (4, 1, 2, 1, 3, 1)
    assert a["closed_rate"] == Decimal("0.2500")
    assert a["avg_working_days"] == Decimal("2.00")
    assert a["satisfaction_rate"] == Decimal("0.3333")


def test_a_department_without_tickets_is_listed_with_no_rates(zone, march):
    from zhaoshang.core.actions import create_unit

    idle = create_unit(zone=zone, name="人社局", kind="department")
    row = figures.department_figures(zone, D("2025-03-01"), D("2025-03-31"))[idle.pk]
    assert row["received"] == 0 and row["closed_rate"] is None and row["avg_working_days"] is None


def test_category_figures(zone, march):
    by_name = {c.name: c.pk for c in TicketCategory.objects.filter(zone=zone)}
    result = figures.category_figures(zone, D("2025-03-01"), D("2025-03-31"))
    land = result[by_name["用地"]]  # T1, T2 (T5 returned, T7 outside)
    assert (land["received"], land["closed"], land["closed_rate"], land["avg_working_days"]) == (2, 2, Decimal("1.0000"), Decimal("9.00"))
    tax = result[by_name["税务"]]  # T3 overdue, T4 not due
    assert (tax["received"], tax["closed"], tax["due"], tax["on_time_rate"]) == (2, 0, 1, Decimal("0.0000"))
    assert result[by_name["金融"]]["received"] == 0


def test_the_tickets_behind_a_figure(zone, department, march):
    start, end = D("2025-03-01"), D("2025-03-31")
    titles = lambda qs: sorted(qs.values_list("title", flat=True))  # noqa: E731
    assert titles(figures.tickets_behind("closed", zone, start, end, department=department)) == ["T1", "T2"]
    assert titles(figures.tickets_behind("on_time_rate", zone, start, end, department=department)) == ["T1", "T2", "T3", "T9"]
    assert titles(figures.tickets_behind("received", zone, start, end)) == ["T1", "T2", "T3", "T4", "T6", "T9"]


def test_the_figures_are_computed_in_a_few_queries(zone, march, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        figures.department_figures(zone, D("2025-03-01"), D("2025-03-31"))


def test_ticket_stats_command_json(zone, department, march, capsys):
    call_command("ticket_stats", "--zone", zone.code, "--from", "2025-03-01", "--to", "2025-03-31", "--json")
    data = json.loads(capsys.readouterr().out)
    a = next(row for row in data["departments"] if row["name"] == "自然资源局")
    assert a["received"] == 5 and a["closed_rate"] == 0.4 and a["on_time_rate"] == 0.5
    assert a["avg_working_days"] == 9.0 and a["satisfaction_rate"] == 0.6667
    assert data["total"]["received"] == 6


def test_ticket_stats_command_table(zone, march, capsys):
    call_command("ticket_stats", "--zone", zone.code, "--from", "2025-03-01", "--to", "2025-03-31")
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith("自然资源局"))
    assert line.split("\t") == ["自然资源局", "5", "2", "40.00%", "4", "2", "50.00%", "9.00 天", "3", "2", "66.67%"]


def test_ticket_stats_usage_errors(zone):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不存在"):
        call_command("ticket_stats", "--zone", "nowhere", "--from", "2025-03-01", "--to", "2025-03-31")
    with pytest.raises(CommandError, match="不能晚于"):
        call_command("ticket_stats", "--zone", zone.code, "--from", "2025-04-01", "--to", "2025-03-31")
