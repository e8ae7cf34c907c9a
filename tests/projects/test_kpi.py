import datetime as dt
from decimal import Decimal

import pytest

from zhaoshang.projects import actions, kpi
from zhaoshang.projects.stages import Stage

D = dt.date.fromisoformat
Y2024 = kpi.Period.year(2024)


def figures(zone, period=Y2024, **narrowing):
    return kpi.compute(kpi.scope(zone, **narrowing), period)


def test_an_empty_period_has_zero_counts_and_no_rates(zone):
    result = figures(zone)
    assert result["signed_count"] == 0 and result["signed_investment"] == Decimal("0.00")
    for rate in ("start_rate", "planned_start_rate", "funds_rate", "fulfilment_rate"):
        assert result[rate] is None


def test_signed_counts_and_investment_count_only_signings_in_the_period(zone, make_project):
    make_project(amount="30000", signed_on="2024-01-01")
    make_project(amount="20000", signed_on="2024-12-31")
    make_project(amount="50000", signed_on="2023-12-31")
    make_project(amount="70000", signed_on="2025-01-01")
    result = figures(zone)
    assert result["signed_count"] == 2
    assert result["signed_investment"] == Decimal("50000.00")


def test_leads_and_negotiations_are_never_counted(zone, make_project):
    make_project(amount="90000", stage=Stage.LEAD)
    make_project(amount="90000", stage=Stage.NEGOTIATING)
    result = figures(zone)
    assert (result["signed_count"], result["started_count"], result["new_started_count"]) == (0, 0, 0)


def test_a_2023_signing_started_in_2024_is_a_new_start_of_2024_but_not_a_start_of_its_signings(zone, make_project):
    make_project(amount="24000", signed_on="2023-11-28", started_on="2024-02-26")
    result = figures(zone)
    assert result["signed_count"] == 0 and result["started_count"] == 0
    assert result["new_started_count"] == 1 and result["new_started_investment"] == Decimal("24000.00")


def test_a_december_signing_started_in_january_counts_as_started_only_as_of_a_later_date(zone, make_project):
    make_project(amount="10000", signed_on="2024-03-01", started_on="2024-05-01")
    make_project(amount="20000", signed_on="2024-12-20", started_on="2025-01-15")
    at_year_end = figures(zone)
    assert (at_year_end["started_count"], at_year_end["start_rate"]) == (1, Decimal("0.5000"))
    later = figures(zone, kpi.Period.year(2024, as_of=D("2025-06-30")))
    assert (later["started_count"], later["start_rate"]) == (2, Decimal("1.0000"))
    assert later["new_started_count"] == 1  # the January start belongs to 2025
    january = figures(zone, kpi.Period(D("2025-01-01"), D("2025-01-31")))
    assert (january["signed_count"], january["new_started_count"]) == (0, 1)


def test_the_as_of_date_cuts_every_fact_after_it(zone, make_project):
    project = make_project(amount="10000", signed_on="2024-03-01", started_on="2024-09-01")
    actions.add_fund_arrival(project, date=D("2024-04-01"), amount="1000")
    actions.add_fund_arrival(project, date=D("2024-10-01"), amount="2000")
    mid_year = figures(zone, kpi.Period.year(2024, as_of=D("2024-06-30")))
    assert (mid_year["signed_count"], mid_year["started_count"], mid_year["new_started_count"]) == (1, 0, 0)
    assert mid_year["funds_in_place"] == Decimal("1000.00")
    assert mid_year["funds_rate"] == Decimal("0.1000")
    before_signing = figures(zone, kpi.Period.year(2024, as_of=D("2024-02-01")))
    assert before_signing["signed_count"] == 0 and before_signing["start_rate"] is None


def test_dropped_projects_still_count_as_signed_and_lower_the_fulfilment_rate_from_their_drop(zone, make_project):
    kept = make_project(signed_on="2024-02-01")
    dropped = make_project(signed_on="2024-03-01")
    actions.change_stage(dropped, to_stage=Stage.DROPPED, on=D("2025-02-20"), reason="投资方撤回")
    assert kept.pk
    at_year_end = figures(zone)
    assert (at_year_end["signed_count"], at_year_end["fulfilment_rate"]) == (2, Decimal("1.0000"))
    after_drop = figures(zone, kpi.Period.year(2024, as_of=D("2025-03-31")))
    assert (after_drop["signed_count"], after_drop["fulfilment_rate"]) == (2, Decimal("0.5000"))


def test_fixed_asset_funds_count_only_fixed_asset_projects_arrivals_in_the_period(zone, make_project):
    factory = make_project(signed_on="2023-05-01", is_fixed_asset=True)
    platform = make_project(signed_on="2024-05-01", is_fixed_asset=False)
    actions.add_fund_arrival(factory, date=D("2023-12-31"), amount="500")
    actions.add_fund_arrival(factory, date=D("2024-01-01"), amount="3000")
    actions.add_fund_arrival(platform, date=D("2024-06-01"), amount="700")
    result = figures(zone)
    assert result["funds_in_place"] == Decimal("3700.00")
    assert result["fai_funds_in_place"] == Decimal("3000.00")


def test_major_projects_use_the_zones_threshold(zone, make_project):
    make_project(amount="10000", signed_on="2024-03-01")
    make_project(amount="9999.99", signed_on="2024-03-01")
    assert figures(zone)["major_signed_count"] == 1
    zone.major_project_threshold = Decimal("5000")
    zone.save()
    assert figures(zone)["major_signed_count"] == 2


def test_planned_start_rate_divides_starts_by_planned_starts(zone, make_project):
    make_project(signed_on="2024-01-01", planned_start_on="2024-04-01", started_on="2024-04-10")
    make_project(signed_on="2024-01-01", planned_start_on="2024-08-01")
    make_project(signed_on="2023-06-01", planned_start_on="2024-02-01", started_on="2024-03-01")
    assert figures(zone)["planned_start_rate"] == Decimal("0.6667")


def test_producing_count(zone, make_project):
    make_project(signed_on="2023-01-01", started_on="2023-03-01", producing_on="2024-05-01")
    make_project(signed_on="2024-01-01", started_on="2024-03-01", producing_on="2025-05-01")
    assert figures(zone)["producing_count"] == 1


def test_a_scope_narrows_to_a_unit_and_ignores_other_zones(zone, other_zone, unit, other_unit, make_project):
    make_project(amount="1000", signed_on="2024-03-01", responsible_unit=unit)
    make_project(amount="2000", signed_on="2024-03-01", responsible_unit=other_unit)
    make_project(amount="4000", signed_on="2024-03-01", project_zone=other_zone)
    assert figures(zone, unit=unit)["signed_investment"] == Decimal("1000.00")
    assert figures(zone)["signed_investment"] == Decimal("3000.00")
    both = kpi.compute(kpi.scope([zone, other_zone]), Y2024)
    assert both["signed_investment"] == Decimal("7000.00")


def test_compute_by_unit_adds_up_to_the_whole(zone, unit, other_unit, make_project):
    first = make_project(amount="1000", signed_on="2024-03-01", responsible_unit=unit)
    make_project(amount="2000", signed_on="2024-03-01", started_on="2024-04-01", responsible_unit=other_unit)
    actions.add_fund_arrival(first, date=D("2024-05-01"), amount="300")
    by_unit = kpi.compute_by(kpi.scope(zone), Y2024, "responsible_unit")
    assert by_unit[unit.pk]["signed_investment"] == Decimal("1000.00")
    assert by_unit[unit.pk]["funds_in_place"] == Decimal("300.00")
    assert by_unit[other_unit.pk]["start_rate"] == Decimal("1.0000")


def test_all_figures_take_three_queries(zone, make_project, django_assert_num_queries):
    # The projects, their fund arrivals and their capital increases (增资), whatever their number.
    for month in range(1, 10):
        make_project(signed_on=f"2024-0{month}-01")
    with django_assert_num_queries(3):
        figures(zone)


@pytest.mark.parametrize("code", [code for code in kpi.CODES if kpi.KINDS[code] != kpi.RATE])
def test_the_projects_behind_each_figure_add_up_to_it(demo_zone, code):
    period = Y2024
    projects = kpi.scope(demo_zone)
    value = kpi.compute(projects, period)[code]
    rows = kpi.projects_behind(code, projects, period)
    if code in ("funds_in_place", "fai_funds_in_place"):
        assert sum(row.arrivals_amount for row in rows) == value
    elif code == "signed_investment":
        assert sum(row.counted_amount for row in rows) == value
    elif kpi.KINDS[code] == kpi.AMOUNT:
        assert sum(row.total_investment for row in rows) == value
    else:
        assert rows.count() == value


def test_the_demo_zone_gives_the_worked_example(demo_zone):
    year = figures(demo_zone)
    assert year["signed_count"] == 31
    assert kpi.format_amount(year["signed_investment"]) == "141.34亿元"
    assert year["started_count"] == 25
    assert kpi.format_rate(year["start_rate"]) == "80.65%"
    assert kpi.format_amount(year["new_started_investment"]) == "40.44亿元"
    assert kpi.format_amount(year["fai_funds_in_place"]) == "9.15亿元"
    quarter = figures(demo_zone, kpi.Period.quarter(2025, 1))
    assert (quarter["signed_count"], quarter["started_count"]) == (4, 2)
    assert kpi.format_amount(quarter["signed_investment"]) == "21.40亿元"
    assert kpi.format_rate(quarter["start_rate"]) == "50.00%"


def test_period_helpers():
    assert kpi.Period.quarter(2025, 1) == kpi.Period(D("2025-01-01"), D("2025-03-31"))
    assert kpi.Period.quarter(2024, 4).end == D("2024-12-31")
    assert kpi.Period(D("2024-02-29"), D("2024-02-29")).previous_year().start == D("2023-02-28")
    with pytest.raises(ValueError):
        kpi.Period(D("2024-02-01"), D("2024-01-01"))


def test_the_funnel_places_each_project_where_it_stood_on_the_as_of_date(zone, make_project):
    make_project(amount="100", stage=Stage.NEGOTIATING, today=D("2024-01-05"))
    make_project(amount="200", signed_on="2024-02-01", started_on="2024-08-01")
    dropped = make_project(amount="400", signed_on="2024-02-01")
    actions.change_stage(dropped, to_stage=Stage.DROPPED, on=D("2024-05-01"), reason="撤回")
    projects = kpi.scope(zone)
    june = kpi.funnel(projects, D("2024-06-30"))
    assert {code: row["count"] for code, row in june.items()} == {
        "stage_pipeline": 1, "stage_signed": 1, "stage_started": 0, "stage_producing": 0}
    assert kpi.funnel(projects, D("2024-09-01"))["stage_started"] == {"count": 1, "investment": Decimal("200.00")}
    assert kpi.funnel(projects, D("2023-12-31"))["stage_pipeline"]["count"] == 0
    period = kpi.Period.year(2024, as_of=D("2024-06-30"))
    assert kpi.projects_behind("stage_signed", projects, period).get().total_investment == Decimal("200.00")


def test_monthly_series_cover_every_month_and_add_up(demo_zone):
    projects = kpi.scope(demo_zone)
    series = kpi.monthly(projects, Y2024, "signed_on")
    assert len(series) == 12 and sum(row["count"] for row in series) == 31
    assert sum(row["investment"] for row in series) == Decimal("1413400.00")
    arrivals = kpi.monthly_arrivals(projects, Y2024)
    assert sum(row["amount"] for row in arrivals) == kpi.compute(projects, Y2024)["funds_in_place"]
