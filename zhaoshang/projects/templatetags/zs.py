"""House formats for templates: {% load zs %} then
   {{ amount|wan }} → 1,234.56 (万元, for a column headed 万元)
   {{ amount|wan_unit }} → 1,234.56万元      {{ amount|yi }} → 141.34亿元
   {{ rate|pct }} → 80.65%                   {{ day|d }} → 2025-03-05
   {% query_with request.GET page=3 %} → the current query with page replaced."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

from django import template

from zhaoshang.projects import kpi

register = template.Library()
DASH = "—"


@register.filter
def wan(value):
    if value is None or value == "":
        return DASH
    return f"{Decimal(value).quantize(kpi.CENT):,}"


@register.filter
def wan_unit(value):
    if value is None or value == "":
        return DASH
    return kpi.format_amount(Decimal(value), "万元")


@register.filter
def yi(value):
    if value is None or value == "":
        return DASH
    return kpi.format_amount(Decimal(value), "亿元")


@register.filter
def pct(value):
    return kpi.format_rate(value)


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
