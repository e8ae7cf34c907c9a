"""Forms of the statistics pages. Forms only clean input; every write goes through the
app's actions."""


from django import forms
from django.utils.translation import gettext_lazy
from django.utils import timezone

from zhaoshang.core.formstyle import DateInput, StyledForm
from zhaoshang.stats import sectors
from zhaoshang.stats.models import Threshold


def current_year() -> int:
    return timezone.localdate().year


class ProfileForm(StyledForm):
    industry_code = forms.ChoiceField(
        label=gettext_lazy("国民经济行业分类"), choices=[("", "—")] + sectors.CHOICES, required=False
    )
    construction_qualification = forms.CharField(
        label=gettext_lazy("建筑业资质"), max_length=100, required=False,
        help_text=gettext_lazy("如：建筑工程施工总承包二级；无资质请留空"),
    )
    in_statistics = forms.BooleanField(label=gettext_lazy("已纳入统计（四上）"), required=False)
    in_statistics_since = forms.DateField(label=gettext_lazy("入统日期"), required=False, widget=DateInput())
    landed_on = forms.DateField(label=gettext_lazy("落户日期"), required=False, widget=DateInput())


class FiguresForm(StyledForm):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=1949, max_value=2100,
                              error_messages={"required": gettext_lazy("请填写年度")})
    revenue = forms.DecimalField(label=gettext_lazy("主营业务收入（万元）"), min_value=0, max_digits=16, decimal_places=2,
                                 error_messages={"required": gettext_lazy("请填写主营业务收入")})
    employees = forms.IntegerField(label=gettext_lazy("从业人员（人）"), min_value=0, required=False)


class ThresholdForm(StyledForm):
    industry_code = forms.ChoiceField(label=gettext_lazy("国民经济行业分类"), choices=sectors.CHOICES)
    from_year = forms.IntegerField(label=gettext_lazy("起始年度"), min_value=1949, max_value=2100,
                                   error_messages={"required": gettext_lazy("请填写起始年度")})
    basis = forms.ChoiceField(label=gettext_lazy("标准"), choices=Threshold.Basis.choices)
    min_revenue = forms.DecimalField(label=gettext_lazy("收入门槛（万元）"), min_value=0, max_digits=16,
                                     decimal_places=2, required=False)
    source = forms.CharField(label=gettext_lazy("依据"), max_length=200, required=False)
