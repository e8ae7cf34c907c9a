import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.assessment import indicators
from zhaoshang.assessment.models import DispatchRound, ManualAdjustment, SchemeItem
from zhaoshang.core.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Dates typed by a user stay within these years (like the API), so a period and the one
# before it can always be computed.
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


class BoundedDateField(forms.DateField):
    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                _("%(label)s应在 1900-01-01 至 2100-12-31 之间") % {"label": self.label}, code="out_of_range"
            )


class Styled:
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = css


class PeriodForm(Styled, forms.Form):
    """from / to / as_of of a ranking or bulletin, all optional on a GET."""

    start = BoundedDateField(label=_("起始日期"), widget=DATE)
    end = BoundedDateField(label=_("截止日期"), widget=DATE)
    as_of = BoundedDateField(label=_("数据截至"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("起始日期（%(start)s）不能晚于截止日期（%(end)s）") % {"start": data["start"], "end": data["end"]})
        return data


class PublishForm(PeriodForm):
    title = forms.CharField(label=_("标题"), max_length=200, required=False,
                            help_text=_("留空则为“关于××招商引资工作考核情况的通报”"))
    number = forms.CharField(label=_("文号"), max_length=60, required=False, help_text=_("如 阳高投促〔2025〕3号"))


class TargetImportForm(Styled, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, help_text=_("表中没有“年度”列时使用"))
    file = forms.FileField(label=_("目标任务表（.xlsx）"))


class SchemeForm(Styled, forms.Form):
    name = forms.CharField(label=_("方案名称"), max_length=100)
    board_size = forms.IntegerField(label=_("红黑榜名额"), min_value=0, max_value=20, initial=1)
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SchemeIndicatorForm(Styled, forms.Form):
    indicator = forms.ChoiceField(label=_("指标"), choices=[("", "—")] + indicators.CHOICES, required=False)
    weight = forms.DecimalField(label=_("权重"), min_value=0, max_digits=8, decimal_places=2, required=False)
    ceiling = forms.DecimalField(label=_("封顶"), min_value=0, max_digits=6, decimal_places=4, required=False, initial="1.2")
    floor = forms.DecimalField(label=_("保底线"), min_value=0, max_digits=6, decimal_places=4, required=False, initial="0")

    def clean(self):
        data = super().clean()
        if data.get("indicator") and data.get("weight") is None:
            raise forms.ValidationError(_("请填写“%(label)s”的权重") % {"label": indicators.LABELS[data["indicator"]]})
        return data


class SchemeItemForm(Styled, forms.Form):
    rule = forms.ChoiceField(label=_("规则"), choices=[("", "—")] + list(SchemeItem.Rule.choices), required=False)
    points = forms.DecimalField(label=_("每项分值"), min_value=0, max_digits=8, decimal_places=2, required=False)
    cap = forms.DecimalField(label=_("最多累计"), min_value=0, max_digits=8, decimal_places=2, required=False)
    threshold = forms.DecimalField(label=_("投资门槛（万元）"), min_value=0, max_digits=16, decimal_places=2, required=False)

    def clean(self):
        data = super().clean()
        if data.get("rule") and data.get("points") is None:
            raise forms.ValidationError(_("请填写加减分项的每项分值"))
        return data


SchemeIndicatorFormSet = forms.formset_factory(SchemeIndicatorForm, extra=3)
SchemeItemFormSet = forms.formset_factory(SchemeItemForm, extra=2)


class ManualAdjustmentForm(Styled, forms.Form):
    unit = forms.ModelChoiceField(label=_("单位"), queryset=OrgUnit.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=ManualAdjustment.Kind.choices, initial=ManualAdjustment.Kind.DEDUCTION)
    date = BoundedDateField(label=_("日期"), widget=DATE, initial=timezone.localdate)
    points = forms.DecimalField(label=_("分值"), min_value=0.01, max_digits=8, decimal_places=2)
    note = forms.CharField(label=_("事由"), max_length=300, help_text=_("如：某项目签约投资额虚报，经核实核减"))
    project_code = forms.CharField(label=_("涉及项目编号"), max_length=40, required=False)

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(zone=zone, is_active=True).exclude(kind=OrgUnit.Kind.BUREAU)


class RoundForm(Styled, forms.Form):
    title = forms.CharField(label=_("名称"), max_length=100, help_text=_("如 2025年3月第2期"))
    cadence = forms.ChoiceField(label=_("周期"), choices=DispatchRound.Cadence.choices, initial=DispatchRound.Cadence.MONTHLY)
    start = BoundedDateField(label=_("本期开始"), widget=DATE)
    end = BoundedDateField(label=_("本期结束"), widget=DATE)
    deadline = BoundedDateField(label=_("填报截止"), widget=DATE)


class EntryForm(Styled, forms.Form):
    progress = forms.CharField(label=_("本期进展"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    period_investment = forms.DecimalField(label=_("本期完成投资（万元）"), min_value=0, max_digits=16, decimal_places=2, required=False)
    cumulative_investment = forms.DecimalField(label=_("累计完成投资（万元）"), min_value=0, max_digits=16, decimal_places=2, required=False)
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_steps = forms.CharField(label=_("下步计划"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
