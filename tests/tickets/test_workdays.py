import datetime as dt

import pytest

from zhaoshang.tickets import actions, workdays

D = dt.date.fromisoformat


def test_the_library_covers_the_years_we_test():
    first, last = workdays.covered_years()
    assert first <= 2024 and last >= 2025


def test_one_working_day_from_the_friday_before_the_spring_festival_is_the_makeup_sunday(zone):
    # 2025: 1月26日（周日）调休上班, 1月28日–2月4日放假, 2月8日（周六）调休上班.
    assert workdays.add_working_days(zone, D("2025-01-24"), 1) == D("2025-01-26")


def test_seven_working_days_span_the_holiday_and_count_the_makeup_saturday(zone):
    # 1/26, 1/27, 2/5, 2/6, 2/7, 2/8 (Saturday, 调休), 2/10
    assert workdays.add_working_days(zone, D("2025-01-24"), 7) == D("2025-02-10")
    assert workdays.working_days_between(zone, D("2025-01-24"), D("2025-02-10")) == 7


def test_a_makeup_saturday_is_a_working_day_and_the_holiday_is_not(zone):
    assert workdays.is_working_day(zone, D("2025-02-08"))
    assert not workdays.is_working_day(zone, D("2025-02-03"))
    assert workdays.add_working_days(zone, D("2025-02-07"), 1) == D("2025-02-08")


def test_thirty_working_days_for_a_major_problem_across_the_festival(zone):
    # From 2025-01-20: 1/21–1/24 (4), 1/26, 1/27 (6), 2/5–2/8 (10), then 20 more weekdays
    # from 2/10: 2/10–2/14, 2/17–2/21, 2/24–2/28, 3/3–3/7 → 2025-03-07.
    assert workdays.add_working_days(zone, D("2025-01-20"), 30) == D("2025-03-07")


def test_same_day_counts_zero_working_days(zone):
    assert workdays.working_days_between(zone, D("2025-03-05"), D("2025-03-05")) == 0
    assert workdays.add_working_days(zone, D("2025-03-05"), 0) == D("2025-03-05")


def test_the_zone_table_overrides_the_official_calendar(zone, bureau_user):
    actions.set_calendar_day(zone=zone, date=D("2025-02-10"), is_working_day=False, note="地方调整", actor=bureau_user)
    assert workdays.add_working_days(zone, D("2025-01-24"), 7) == D("2025-02-11")


def test_years_the_library_does_not_cover_use_weekdays_and_the_zone_table(zone, other_zone, bureau_user):
    last = workdays.covered_years()[1]
    year = last + 1
    friday = next(D(f"{year}-02-{day:02d}") for day in range(1, 8) if D(f"{year}-02-{day:02d}").weekday() == 4)
    monday = friday + dt.timedelta(days=3)
    saturday = friday + dt.timedelta(days=1)
    assert workdays.add_working_days(zone, friday, 1) == monday
    actions.set_calendar_day(zone=zone, date=saturday, is_working_day=True, note="调休", actor=bureau_user)
    actions.set_calendar_day(zone=zone, date=monday, is_working_day=False, note="春节", actor=bureau_user)
    assert workdays.add_working_days(zone, friday, 1) == saturday
    assert workdays.add_working_days(zone, friday, 2) == monday + dt.timedelta(days=1)
    # Another zone's table does not apply.
    assert workdays.add_working_days(other_zone, friday, 1) == monday


def test_only_the_bureau_edits_the_calendar(zone, department_user):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.set_calendar_day(zone=zone, date=D("2025-02-10"), is_working_day=False, actor=department_user)
