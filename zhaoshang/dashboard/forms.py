import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from zhaoshang.projects import kpi


def _quarters():
    return [(q, gettext("%(n)s季度") % {"n": q}) for q in range(1, 5)]


def _months():
    return [(m, gettext("%(n)s月") % {"n": m}) for m in range(1, 13)]


class PeriodForm(forms.Form):
    """The cockpit's period: a year, a quarter, a month or custom dates, and an as-of date."""

    KINDS = [("year", _("全年")), ("quarter", _("季度")), ("month", _("月度")), ("custom", _("自定义"))]

    kind = forms.ChoiceField(label=_("时期"), choices=KINDS, required=False)
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(label=_("季度"), choices=_quarters, coerce=int, required=False)
    month = forms.TypedChoiceField(label=_("月份"), choices=_months, coerce=int, required=False)
    start = forms.DateField(label=_("起始日期"), required=False)
    end = forms.DateField(label=_("截止日期"), required=False)
    as_of = forms.DateField(label=_("数据截至"), required=False)

    def __init__(self, data=None, today: dt.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or ("custom" if data.get("start") or data.get("end") else "year")
        year = data.get("year") or self.today.year
        if kind == "custom":
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError(_("自定义时期需填写起始日期和截止日期"))
            if data["start"] > data["end"]:
                raise forms.ValidationError(_("起始日期不能晚于截止日期"))
            period = kpi.Period(data["start"], data["end"], data.get("as_of"))
        elif kind == "quarter":
            period = kpi.Period.quarter(year, data.get("quarter") or 1, data.get("as_of"))
        elif kind == "month":
            month = dt.date(year, data.get("month") or 1, 1)
            period = kpi.month_period(month, data.get("as_of") or kpi.month_period(month, self.today).end)
        else:
            period = kpi.Period.year(year, data.get("as_of"))
        data["kind"] = kind
        data["year"] = year
        data["period"] = period
        return data


def period_from(params, today: dt.date | None = None) -> tuple[PeriodForm, kpi.Period]:
    """The period asked for, or this year to date when the parameters are wrong (the form
    then carries the errors to show)."""
    form = PeriodForm(params or None, today=today)
    if params and form.is_valid():
        return form, form.cleaned_data["period"]
    today = today or timezone.localdate()
    return form, kpi.Period.year(today.year, as_of=min(today, dt.date(today.year, 12, 31)))
