"""The one rule set for numbers and dates."""

import datetime as dt
from decimal import Decimal

from django.template import Context, Template

from zhaoshang.core import numbers


def test_amounts():
    assert numbers.amount(Decimal("1413400")) == "141.34亿元"
    assert numbers.amount(Decimal("8000")) == "8,000万元" and numbers.amount(Decimal("24000")) == "2.40亿元"
    assert numbers.amount(Decimal("1234.5")) == "1,234.50万元"
    assert numbers.amount(Decimal("10000")) == "1.00亿元"
    assert numbers.amount(Decimal("80000"), "万元") == "80,000万元"
    assert numbers.amount(Decimal("214000"), "亿元") == "21.40亿元"
    assert numbers.wan(Decimal("24000.00")) == "24,000" and numbers.wan("2100.5") == "2,100.50"
    assert numbers.amount(None) == "—" and numbers.wan("") == "—"
    assert numbers.yi_number(Decimal("406000")) == 40.6 and numbers.yi_number(Decimal("298600")) == 29.86


def test_counts_areas_rates():
    assert numbers.count(Decimal("30.0000")) == "30" and numbers.count(Decimal("2.5000")) == "2.5"
    assert numbers.area(Decimal("60000.00")) == "60,000㎡" and numbers.area(Decimal("999.5")) == "1,000㎡"
    assert numbers.rate(Decimal("0.8065")) == "80.65%" and numbers.rate(Decimal("0.5")) == "50.00%"
    assert numbers.rate(None) == "—"


def test_dates_and_periods():
    assert numbers.date_cn(dt.date(2024, 1, 1)) == "2024年1月1日"
    assert numbers.date_cn("2026-12-03") == "2026年12月3日"
    assert numbers.period_cn(dt.date(2024, 1, 1), dt.date(2024, 12, 31)) == "2024年度"
    assert numbers.period_cn(dt.date(2026, 1, 1), dt.date(2026, 12, 3)) == "2026年1月1日至2026年12月3日"


def test_template_filters_follow_the_same_rules():
    out = Template(
        "{% load zs support %}{{ a|wan }}|{{ a|wan_unit }}|{{ b|money }}|{{ n|count }}|{{ m|area }}|{{ m|m2 }}|{{ r|pct }}|{{ d|date_cn }}"
    ).render(Context({"a": Decimal("24000"), "b": Decimal("1413400"), "n": Decimal("30.0000"), "m": Decimal("60000.00"),
                      "r": Decimal("0.8065"), "d": dt.date(2024, 1, 1)}))
    assert out == "24,000|24,000万元|141.34亿元|30|60,000㎡|60,000㎡|80.65%|2024年1月1日"
