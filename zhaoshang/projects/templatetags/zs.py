"""House formats for templates (the rules of core.numbers): {% load zs %} then
   {{ amount|wan }} → 24,000 or 1,234.56 (万元, for a column headed 万元)
   {{ amount|wan_unit }} → 24,000万元        {{ amount|yi }} → 141.34亿元
   {{ amount|money }} → 141.34亿元 from 1亿 on, else 24,000万元
   {{ n|count }} → 30                        {{ m2|area }} → 60,000㎡
   {{ rate|pct }} → 80.65%                   {{ day|d }} → 2025-03-05
   {{ day|date_cn }} → 2025年3月5日
   {% query_with request.GET page=3 %} → the current query with page replaced."""

import datetime as dt
from urllib.parse import urlencode

from django import template

from zhaoshang.core import numbers

register = template.Library()
DASH = "—"


@register.filter
def wan(value):
    return numbers.wan(value)


@register.filter
def wan_unit(value):
    return numbers.amount(value, "万元")


@register.filter
def yi(value):
    return numbers.amount(value, "亿元")


@register.filter
def money(value):
    return numbers.amount(value)


@register.filter
def count(value):
    return numbers.count(value)


@register.filter
def area(value):
    return numbers.area(value)


@register.filter
def pct(value):
    return numbers.rate(value)


@register.filter
def date_cn(value):
    return numbers.date_cn(value)


@register.filter
def d(value):
    if not value:
        return DASH
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@register.simple_tag
def query_with(params, **changes):
    """The query string of `params` (a QueryDict) with some keys replaced or removed (None)."""
    data = params.copy()
    for key, value in changes.items():
        if value is None or value == "":
            data.pop(key, None)
        else:
            data[key] = value
    return data.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def qs(**params):
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})
