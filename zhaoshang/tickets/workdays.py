"""Working days: China's official calendar (holidays and their 调休 makeup working days,
from the `chinesecalendar` package) overridden by the zone's own table (WorkCalendarDay),
which also covers the years the package does not know; outside both, Monday–Friday.

A deadline of n working days from a date is the n-th working day after that date, so a
ticket assigned on the Friday before the Spring Festival and given one working day is due
on the makeup Sunday if there is one.
"""

import datetime as dt
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants

ONE_DAY = dt.timedelta(days=1)
# A year of calendar days is enough room for any time limit the bureau sets in working days.
MAX_SPAN_DAYS = 3660


@lru_cache(maxsize=1)
def covered_years() -> tuple[int, int]:
    """The first and last year the installed holiday library covers."""
    days = list(constants.holidays) + list(constants.workdays)
    return min(days).year, max(days).year


def is_covered(day: dt.date) -> bool:
    first, last = covered_years()
    return first <= day.year <= last


def official_working_day(day: dt.date) -> bool:
    if is_covered(day):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


class Calendar:
    """A zone's working-day calendar; reads the zone's overrides once per date range."""

    def __init__(self, zone=None):
        self.zone = zone
        self._overrides: dict[dt.date, bool] = {}
        self._range: tuple[dt.date, dt.date] | None = None

    def _load(self, start: dt.date, end: dt.date) -> dict[dt.date, bool]:
        if self.zone is None:
            return self._overrides
        if self._range and self._range[0] <= start and end <= self._range[1]:
            return self._overrides
        from zhaoshang.tickets.models import WorkCalendarDay

        # Load a generous window so a run of calls costs one query.
        start, end = start - dt.timedelta(days=31), end + dt.timedelta(days=400)
        rows = WorkCalendarDay.objects.filter(zone=self.zone, date__range=(start, end)).values_list("date", "is_working_day")
        self._overrides = dict(rows)
        self._range = (start, end)
        return self._overrides

    def is_working_day(self, day: dt.date) -> bool:
        overrides = self._load(day, day)
        if day in overrides:
            return overrides[day]
        return official_working_day(day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (start itself never counts)."""
        if days < 0:
            raise ValueError("days must not be negative")
        if days == 0:
            return start
        self._load(start, start + dt.timedelta(days=days * 2 + 30))
        day, counted = start, 0
        for _step in range(MAX_SPAN_DAYS):
            day += ONE_DAY
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return day
        raise ValueError("no working days found within ten years")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d ≤ end: 0 when done the same day."""
        if end <= start:
            return 0
        self._load(start, end)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


def calendar_for(zone) -> Calendar:
    return Calendar(zone)


def add_working_days(zone, start: dt.date, days: int) -> dt.date:
    return Calendar(zone).add_working_days(start, days)


def working_days_between(zone, start: dt.date, end: dt.date) -> int:
    return Calendar(zone).working_days_between(start, end)


def is_working_day(zone, day: dt.date) -> bool:
    return Calendar(zone).is_working_day(day)
