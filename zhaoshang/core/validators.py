"""One validator per kind of value: amounts (万元), areas (m²), rates and dates.

Forms, the API, imports and actions all go through these, so a value is accepted or
refused the same way, with the same Chinese message, wherever it comes from.

Ranges (docs/values.md):

- amount: 0 … 999,999,999,999.99 万元. Amount columns are DECIMAL(16, 2); PostgreSQL
  stores any of them exactly, but SQLite keeps a decimal as an 8-byte float, which holds
  15 significant digits and no more. 99,999,999,999,999.99 came back as 1e14 and every
  page that read it failed. 14 significant digits round-trip on both.
- area: 0 … 9,999,999,999.99 m² (DECIMAL(12, 2)).
- rate: a fraction 0 … 1 unless a caller allows more (a 120% cap).
- date: 1990-01-01 … 2099-12-31. Nothing in a development zone's ledgers predates 1990;
  9999-12-31 or 1899-12-31 is a typing or spreadsheet error, not a date.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

AMOUNT_MAX = Decimal("999999999999.99")
# The amount columns. Two digits more than AMOUNT_MAX needs: a value SQLite stored before the
# range existed (99,999,999,999,999.99 read back as 100000000000000.00) still reads, so
# the page showing it answers and its form names the range instead of failing.
AMOUNT_FIELD = {"max_digits": 18, "decimal_places": 2}
AREA_MAX = Decimal("9999999999.99")
CENT = Decimal("0.01")
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)


def _number(value, field: str, label: str, noun: str) -> Decimal:
    try:
        if isinstance(value, float | int | Decimal):
            number = Decimal(str(value))
        else:
            number = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("%(label)s“%(value)s”不是有效的%(noun)s") % {
            "label": label, "value": value, "noun": noun}}) from None
    if not number.is_finite():
        raise ValidationError({field: _("%(label)s“%(value)s”不是有效的%(noun)s") % {
            "label": label, "value": value, "noun": noun}})
    return number


def _bounded(value, field, label, *, noun, maximum, unit, positive, optional, places=CENT):
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    number = _number(value, field, label, noun)
    if number < 0:
        raise ValidationError({field: _("%(label)s不能为负数") % {"label": label}})
    if positive and number == 0:
        raise ValidationError({field: _("%(label)s必须大于零") % {"label": label}})
    if number > maximum:
        raise ValidationError({field: _("%(label)s不能超过%(max)s%(unit)s") % {
            "label": label, "max": f"{maximum:,}", "unit": unit}})
    return number.quantize(places)


def amount(value, field: str = "amount", label: str | None = None, *, positive=False, optional=False):
    """An amount in 万元, quantized to 0.01; None when optional and empty."""
    return _bounded(value, field, label or _("金额"), noun=_("金额"), maximum=AMOUNT_MAX, unit=_("万元"),
                    positive=positive, optional=optional)


def area(value, field: str = "area", label: str | None = None, *, positive=False, optional=False,
         maximum=AREA_MAX, unit="㎡"):
    """An area in m² (or a narrower measure of space, such as a rent), quantized to 0.01."""
    return _bounded(value, field, label or _("面积"), noun=_("数字"), maximum=maximum, unit=unit,
                    positive=positive, optional=optional)


def rate(value, field: str = "rate", label: str | None = None, *, maximum=Decimal("1"), optional=False,
         places=Decimal("0.0001")):
    """A rate as a fraction (0.8 = 80%), at most `maximum`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise ValidationError({field: _("请填写%(label)s") % {"label": label or _("比率")}})
    label = label or _("比率")
    number = _number(value, field, label, _("数值"))
    if number < 0:
        raise ValidationError({field: _("%(label)s不能为负数") % {"label": label}})
    if number > maximum:
        raise ValidationError({field: _("%(label)s不能超过%(max)s%%") % {"label": label, "max": f"{maximum * 100:g}"}})
    return number.quantize(places)


def date(value, field: str = "date", label: str | None = None, *, optional=False):
    """A date inside the plausible window (DATE_MIN … DATE_MAX); ISO strings accepted."""
    label = label or _("日期")
    if value in (None, ""):
        if optional:
            return None
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError({field: _("%(label)s“%(value)s”不是有效的日期") % {
                "label": label, "value": value}}) from None
    check_date_window(value, field, label)
    return value


def check_date_window(value: dt.date, field: str = "date", label: str | None = None) -> None:
    if not DATE_MIN <= value <= DATE_MAX:
        raise ValidationError({field: _("%(label)s%(value)s超出合理范围（%(min)s至%(max)s）") % {
            "label": label or _("日期"), "value": value.isoformat(), "min": DATE_MIN.isoformat(),
            "max": DATE_MAX.isoformat()}})


# Model-field validators: a ModelForm and a DRF ModelSerializer pick these up from the field,
# so the form and the API refuse what the action would refuse, before it is called.

def amount_validators(*, positive: bool = False) -> list:
    return [
        MinValueValidator(CENT if positive else Decimal("0"),
                          message=gettext_lazy("金额必须大于零") if positive else gettext_lazy("金额不能为负数")),
        MaxValueValidator(AMOUNT_MAX, message=gettext_lazy("金额不能超过999,999,999,999.99万元")),
    ]


def area_validators(*, positive: bool = False) -> list:
    return [
        MinValueValidator(CENT if positive else Decimal("0"),
                          message=gettext_lazy("面积必须大于零") if positive else gettext_lazy("面积不能为负数")),
        MaxValueValidator(AREA_MAX, message=gettext_lazy("面积不能超过9,999,999,999.99㎡")),
    ]


@deconstructible
class DateWindowValidator:
    """A model-field validator for DATE_MIN … DATE_MAX."""

    def __call__(self, value):
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise ValidationError(
                gettext_lazy("日期超出合理范围（1990-01-01至2099-12-31）"), code="date_window"
            )

    def __eq__(self, other):
        return isinstance(other, DateWindowValidator)


validate_date_window = DateWindowValidator()
