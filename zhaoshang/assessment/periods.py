"""Periods of assessment: which target applies to a period, and the period before it."""

import calendar
import datetime as dt

from zhaoshang.projects.kpi import Period

QUARTER_STARTS = {1: 1, 2: 4, 3: 7, 4: 10}


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def whole_months(period: Period) -> int | None:
    """How many calendar months the period spans when it runs from a month's first day to
    a month's last day; None otherwise."""
    start, end = period.start, period.end
    if start.day != 1 or end != month_end(end.year, end.month):
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def quarters_covered(period: Period) -> list[int] | None:
    """The quarters (1–4) a period covers exactly, within one year; None when it does not
    begin and end on quarter boundaries."""
    months = whole_months(period)
    if months is None or months % 3 or period.start.year != period.end.year:
        return None
    if period.start.month not in QUARTER_STARTS.values():
        return None
    first = (period.start.month - 1) // 3 + 1
    return list(range(first, first + months // 3))


def previous_period(period: Period) -> Period:
    """The period of the same length just before: the previous month(s) when the period
    is made of whole calendar months (March → February, Q2 → Q1, a year → the year
    before, January–March → October–December), else the same number of days before.
    The as-of date keeps its distance from the period's end."""
    months = whole_months(period)
    if months is not None:
        year, month = _add_months(period.start.year, period.start.month, -months)
        start = dt.date(year, month, 1)
        end = period.start - dt.timedelta(days=1)
    else:
        length = (period.end - period.start).days + 1
        start = period.start - dt.timedelta(days=length)
        end = period.start - dt.timedelta(days=1)
    return Period(start, end, end + (period.as_of - period.end))


def describe(period: Period) -> str:
    """'2024年', '2025年第一季度', '2025年3月', '2025年1—3月' or '2025-03-05至2025-04-04'."""
    start, end = period.start, period.end
    months = whole_months(period)
    if months is not None and start.year == end.year:
        if months == 12:
            return f"{start.year}年"
        quarters = quarters_covered(period)
        if quarters and len(quarters) == 1:
            return f"{start.year}年第{'一二三四'[quarters[0] - 1]}季度"
        if months == 1:
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}—{end.month}月"
    return f"{start.isoformat()}至{end.isoformat()}"
