"""Formats of the support areas: {% load support %}
   {{ 1.5|times }} → 1.50倍     {{ 220000|m2 }} → 220,000㎡     {{ 220000|wan_m2 }} → 22.00万㎡"""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from zhaoshang.core import numbers

register = template.Library()
CENT = Decimal("0.01")


@register.filter
def times(value):
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)}倍"


@register.filter
def m2(value):
    return numbers.area(value)


@register.filter
def wan_m2(value):
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) / 10000).quantize(CENT, rounding=ROUND_HALF_UP):,}万㎡"
