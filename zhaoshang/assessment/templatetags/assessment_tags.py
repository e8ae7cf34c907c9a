from decimal import Decimal

from django import template

from zhaoshang.assessment import indicators
from zhaoshang.projects import kpi

register = template.Library()


@register.filter
def rate(value):
    """A fraction as a percentage with two decimals; '—' without one."""
    if value in (None, ""):
        return "—"
    return kpi.format_rate(Decimal(str(value)))


@register.filter
def wan(value):
    """万元 as '1,234.00万元'."""
    if value in (None, ""):
        return "—"
    return kpi.format_amount(Decimal(str(value)), unit="万元")


@register.filter
def figure(value, code):
    return indicators.format_value(code, value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
