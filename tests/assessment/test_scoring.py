"""Scores computed by hand for a small scheme, ties, and movement arrows."""

import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.assessment import actions, scoring
from zhaoshang.assessment.models import ManualAdjustment
from zhaoshang.assessment.periods import previous_period
from zhaoshang.core.models import OrgUnit
from zhaoshang.projects.kpi import Period

D = dt.date.fromisoformat
YEAR = Period.year(2024)


def target(zone, unit, code, annual, quarters=(None,) * 4):
    return actions.set_target(zone=zone, unit=unit, year=2024, indicator=code, annual=Decimal(annual), quarters=quarters)


@pytest.fixture
def scored(zone, unit, other_unit, third_unit, small_scheme, make_project):
    # unit: 5 signed (target 4), 90,000万 (target 100,000万); 3 projects ≥ 20,000万; 2 overdue starts.
    make_project(amount="30000", responsible_unit=unit, signed_on="2024-02-01", started_on="2024-03-01")
    make_project(name="逾期未开工一", amount="20000", responsible_unit=unit, signed_on="2024-05-01", planned_start_on="2024-06-01")
    make_project(amount="10000", responsible_unit=unit, signed_on="2024-07-01", started_on="2024-08-01")
    make_project(name="逾期未开工二", amount="5000", responsible_unit=unit, signed_on="2024-09-01", planned_start_on="2024-10-01")
    make_project(amount="25000", responsible_unit=unit, signed_on="2024-10-01", planned_start_on="2025-02-01")
    target(zone, unit, "signed_count", 4)
    target(zone, unit, "signed_investment", 100000)
    # other_unit: 1 signed (target 2), 40,000万 of 100,000万 (below the 50% floor).
    make_project(amount="40000", responsible_unit=other_unit, signed_on="2024-03-01", started_on="2024-04-01")
    target(zone, other_unit, "signed_count", 2)
    target(zone, other_unit, "signed_investment", 100000)
    return scoring.ranking(zone, YEAR)


def test_scores_match_the_hand_computation(scored, unit, other_unit, third_unit):
    first = scored.score_of(unit.pk)
    lines = {line.code: line for line in first.lines}
    # 签约项目数 5 ÷ 4 = 125%, capped at 120%: 40 × 1.2 = 48.
    assert (lines["signed_count"].actual, lines["signed_count"].completion, lines["signed_count"].points) == (
        5, Decimal("1.2500"), Decimal("48.00"))
    # 签约总投资 90,000 ÷ 100,000 = 90%: 60 × 0.9 = 54.
    assert lines["signed_investment"].completion == Decimal("0.9000")
    assert lines["signed_investment"].points == Decimal("54.00")
    adjustments = {a.rule: a for a in first.adjustments}
    # three projects ≥ 20,000万 × 2 = 6, capped at 4; two past their planned start × 1 = 2.
    assert (adjustments["major_project"].count, adjustments["major_project"].points) == (3, Decimal("4.00"))
    overdue = adjustments["unstarted_overdue"]
    assert (overdue.count, overdue.points) == (2, Decimal("2.00"))
    assert sorted(p["name"] for p in overdue.projects) == ["逾期未开工一", "逾期未开工二"]
    assert first.total == Decimal("104.00")  # 48 + 54 + 4 − 2

    second = scored.score_of(other_unit.pk)
    lines = {line.code: line for line in second.lines}
    assert lines["signed_count"].points == Decimal("20.00")  # 1 ÷ 2 × 40
    assert lines["signed_investment"].completion == Decimal("0.4000")
    assert lines["signed_investment"].points == Decimal("0.00")  # below the 50% floor
    assert "不得分" in lines["signed_investment"].note
    assert second.total == Decimal("22.00")  # 20 + one project ≥ 20,000万 × 2

    third = scored.score_of(third_unit.pk)
    assert third.total == Decimal("0.00")
    assert all(line.note == "未下达目标" for line in third.lines)
    group = scored.groups[0]
    assert [s.unit_name for s in group.scores] == [unit.name, other_unit.name, third_unit.name]
    assert [s.rank for s in group.scores] == [1, 2, 3]
    assert group.red == [first] and group.black == [third]


def test_a_manual_deduction_counts_in_the_period_of_its_date(scored, zone, unit):
    actions.add_manual_adjustment(zone=zone, unit=unit, kind=ManualAdjustment.Kind.DEDUCTION, date=D("2024-11-05"),
                                  points="10", note="签约投资额虚报，经核实核减")
    actions.add_manual_adjustment(zone=zone, unit=unit, kind=ManualAdjustment.Kind.DEDUCTION, date=D("2025-01-05"),
                                  points="99", note="下一年度的扣分")
    score = scoring.ranking(zone, YEAR).score_of(unit.pk)
    assert score.deduction == Decimal("12.00")
    assert score.total == Decimal("94.00")
    assert any("虚报" in a.label for a in score.adjustments if a.rule == "manual")


def test_quarterly_breakdown_applies_to_a_quarter(zone, unit, small_scheme, make_project):
    target(zone, unit, "signed_count", 8, quarters=(Decimal(1), Decimal(2), Decimal(2), Decimal(3)))
    make_project(responsible_unit=unit, signed_on="2024-02-01")
    q1 = scoring.ranking(zone, Period.quarter(2024, 1)).score_of(unit.pk)
    line = next(line for line in q1.lines if line.code == "signed_count")
    assert (line.target, line.completion, line.points) == (Decimal("1.0000"), Decimal("1.0000"), Decimal("40.00"))
    # 1–6月 = Q1 + Q2 = 3; a month that is not whole quarters uses the annual 8.
    half = scoring.ranking(zone, Period(D("2024-01-01"), D("2024-06-30"))).score_of(unit.pk)
    assert next(line for line in half.lines if line.code == "signed_count").target == Decimal("3.0000")
    month = scoring.ranking(zone, Period(D("2024-02-01"), D("2024-02-29"))).score_of(unit.pk)
    assert next(line for line in month.lines if line.code == "signed_count").target == Decimal("8.0000")


def test_ties_are_broken_deterministically(zone, unit, other_unit, third_unit, small_scheme, make_project):
    # unit and other_unit: 0 indicator points, no deductions, same sort order → by name;
    # third_unit: 40 indicator points − 40 manual = 0 → first on indicator points.
    target(zone, third_unit, "signed_count", 1)
    make_project(responsible_unit=third_unit, signed_on="2024-04-01", amount="1000")
    actions.add_manual_adjustment(zone=zone, unit=third_unit, kind="deduction", date=D("2024-05-01"), points="40", note="扣分")
    group = scoring.ranking(zone, YEAR).groups[0]
    assert [s.total for s in group.scores] == [Decimal("0.00")] * 3
    assert group.scores[0].unit_name == third_unit.name
    assert [s.unit_name for s in group.scores[1:]] == sorted([unit.name, other_unit.name])
    # equal totals and indicator points: the one with fewer deduction points first.
    actions.add_manual_adjustment(zone=zone, unit=other_unit, kind="bonus", date=D("2024-05-01"), points="5", note="加分")
    actions.add_manual_adjustment(zone=zone, unit=other_unit, kind="deduction", date=D("2024-05-01"), points="5", note="扣分")
    again = scoring.ranking(zone, YEAR).groups[0]
    assert [s.unit_name for s in again.scores] == [third_unit.name, unit.name, other_unit.name]
    # the same data always gives the same order
    assert [s.unit_id for s in scoring.ranking(zone, YEAR).groups[0].scores] == [s.unit_id for s in again.scores]


def test_movement_arrows_against_the_previous_period(zone, unit, other_unit, third_unit, make_project):
    scheme = actions.save_scheme(zone=zone, kind=OrgUnit.Kind.TASK_FORCE, name="只看签约")
    actions.set_scheme_indicators(scheme, [{"indicator": "signed_count", "weight": 100, "ceiling": 10, "floor": 0}])
    for u in (unit, other_unit, third_unit):
        target(zone, u, "signed_count", 1)
    make_project(responsible_unit=other_unit, signed_on="2024-01-10")
    make_project(responsible_unit=other_unit, signed_on="2024-02-10")
    make_project(responsible_unit=unit, signed_on="2024-03-10")
    make_project(responsible_unit=unit, signed_on="2024-04-10")
    make_project(responsible_unit=unit, signed_on="2024-05-10")
    q2 = Period.quarter(2024, 2)
    result = scoring.ranking(zone, q2)
    assert (result.previous.start, result.previous.end) == (D("2024-01-01"), D("2024-03-31"))
    by_name = {s.unit_name: s for s in result.groups[0].scores}
    # Q1: other_unit 1st (2 signed), unit 2nd (1), third 3rd; Q2: unit 1st (2 signed), then
    # other_unit and third_unit tied at 0, other_unit first by its smaller sort order.
    assert (by_name[unit.name].rank, by_name[unit.name].previous_rank, by_name[unit.name].arrow) == (1, 2, "↑1")
    assert (by_name[other_unit.name].rank, by_name[other_unit.name].arrow) == (2, "↓1")
    assert (by_name[third_unit.name].rank, by_name[third_unit.name].arrow) == (3, "→")


def test_previous_period_has_the_same_length():
    assert previous_period(Period(D("2025-03-01"), D("2025-03-31"))) == Period(D("2025-02-01"), D("2025-02-28"))
    assert previous_period(Period.year(2024)) == Period.year(2023)
    ytd = previous_period(Period(D("2025-01-01"), D("2025-03-31"), D("2025-03-20")))
    assert (ytd.start, ytd.end, ytd.as_of) == (D("2024-10-01"), D("2024-12-31"), D("2024-12-20"))
    days = previous_period(Period(D("2025-03-05"), D("2025-03-18")))
    assert (days.start, days.end) == (D("2025-02-19"), D("2025-03-04"))


def test_unit_actuals_come_from_compute_by_without_a_query_per_project(zone, unit, small_scheme, make_project, django_assert_max_num_queries):
    for day in range(1, 21):
        make_project(responsible_unit=unit, signed_on=f"2024-03-{day:02d}")
    with django_assert_max_num_queries(12):
        result = scoring.ranking(zone, YEAR, with_previous=False)
    assert result.score_of(unit.pk).lines[0].actual == 20


def test_no_move_is_shown_against_a_period_nobody_was_scored_in(zone, unit, other_unit, small_scheme, make_project):
    target(zone, unit, "signed_count", 1)
    make_project(responsible_unit=unit, signed_on="2024-05-01")
    result = scoring.ranking(zone, YEAR)  # 2023 had no targets: no ranking to compare with
    assert [s.arrow for s in result.groups[0].scores] == ["—", "—"]


def test_a_group_where_everyone_scored_the_same_has_no_red_or_black_list():
    from zhaoshang.assessment.scoring import Group, UnitScore

    def score(unit_id, total):
        return UnitScore(unit_id=unit_id, unit_name=f"单位{unit_id}", unit_kind="department", sort_order=unit_id, lines=[],
                         adjustments=[], indicator_points=Decimal(total), bonus=Decimal(0), deduction=Decimal(0),
                         total=Decimal(total))

    idle = Group(scheme_id=1, scheme_name="部门", kind="department", kind_label="部门", board_size=1,
                 scores=[score(1, 0), score(2, 0), score(3, 0)])
    assert idle.red == [] and idle.black == []
    tied_top = Group(scheme_id=1, scheme_name="部门", kind="department", kind_label="部门", board_size=1,
                     scores=[score(1, 90), score(2, 90), score(3, 60)])
    assert [s.unit_id for s in tied_top.red] == [1] and [s.unit_id for s in tied_top.black] == [3]


def test_units_all_at_the_same_score_are_not_ranked_and_make_no_boards(zone, unit, other_unit, third_unit, small_scheme):
    group = scoring.ranking(zone, YEAR).groups[0]
    assert [s.total for s in group.scores] == [Decimal("0.00")] * 3
    assert [s.rank for s in group.scores] == [None, None, None]
    assert group.red == [] and group.black == []


def test_a_zero_score_earns_no_red_board_even_above_a_deduction(zone, unit, other_unit, third_unit, small_scheme):
    # unit and other_unit 0.00, third_unit −10.00: scores differ, but nobody earned anything.
    actions.add_manual_adjustment(zone=zone, unit=third_unit, kind="deduction", date=D("2024-05-01"), points="10", note="扣分")
    group = scoring.ranking(zone, YEAR).groups[0]
    assert [s.rank for s in group.scores] == [1, 2, 3]
    assert group.red == []
    assert [s.unit_name for s in group.black] == [third_unit.name]
