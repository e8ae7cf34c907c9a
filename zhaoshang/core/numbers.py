"""How every number and date is written, one rule set for pages, charts, the board,
exports and documents (templates use the filters of `{% load zs %}`):

- amounts are kept in 万元; on cards, the board and in sentences an amount of 1亿 or more
  reads in 亿元 with two decimals (141.34亿元), a smaller one in 万元 (24,000万元);
  in 万元 a whole amount has no ".00" (24,000万元), any other two decimals (1,234.50万元);
- counts, and targets that are counts, are integers (30, not 30.0000);
- areas are whole square metres with thousands separators (60,000㎡);
- rates are percentages with two decimals (80.65%);
- dates in documents and titles read 2024年1月1日; a whole calendar year reads 2024年度.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DASH = "—"
CENT = Decimal("0.01")
WAN_PER_YI = Decimal(10000)


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def wan(value) -> str:
    """An amount in 万元 as a bare number for a column headed 万元: 24,000 or 1,234.50."""
    number = _decimal(value)
    if number is None:
        return DASH
    number = number.quantize(CENT, rounding=ROUND_HALF_UP)
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def yi(value) -> str:
    """An amount given in 万元, written in 亿元 with two decimals: 141.34亿元."""
    number = _decimal(value)
    if number is None:
        return DASH
    return f"{(number / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP):,}亿元"


def amount(value, unit: str | None = None) -> str:
    """An amount given in 万元 with its unit: in 亿元 from 1亿 on, else in 万元
    (`unit` forces one: "亿元" or "万元")."""
    number = _decimal(value)
    if number is None:
        return DASH
    if unit == "亿元" or (unit is None and abs(number) >= WAN_PER_YI):
        return yi(number)
    return f"{wan(number)}万元"


def yi_number(value) -> float:
    """An amount in 万元 as a number of 亿元 rounded to two decimals, for charts."""
    number = _decimal(value) or Decimal(0)
    return float((number / WAN_PER_YI).quantize(CENT, rounding=ROUND_HALF_UP))


def count(value) -> str:
    """A count or a count target: 30 (a fractional count keeps its digits, without trailing zeros)."""
    number = _decimal(value)
    if number is None:
        return DASH
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number.normalize():f}"


def area(value) -> str:
    """Square metres, whole, with separators: 60,000㎡."""
    number = _decimal(value)
    if number is None:
        return DASH
    return f"{int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}㎡"


def rate(value) -> str:
    """A fraction as a percentage with two decimals: 0.8065 → 80.65%; none → —."""
    number = _decimal(value)
    if number is None:
        return DASH
    return f"{(number * 100).quantize(CENT, rounding=ROUND_HALF_UP)}%"


def date_cn(value) -> str:
    """2024年1月1日 (a date, a datetime, or an ISO date string)."""
    if not value:
        return DASH
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def period_cn(start, end) -> str:
    """A period in a title: 2024年度 for a whole calendar year, else
    2024年1月1日至2024年6月30日."""
    if isinstance(start, str):
        start = dt.date.fromisoformat(start)
    if isinstance(end, str):
        end = dt.date.fromisoformat(end)
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return f"{start.year}年度"
    return f"{date_cn(start)}至{date_cn(end)}"
