"""Forms of the fund pages; they clean input, the actions write."""

from django import forms
from django.utils.translation import gettext_lazy

from zhaoshang.funds.models import Fund, Investment
from zhaoshang.core.formstyle import DateInput, StyledForm


class FundForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("基金名称"), max_length=200, error_messages={"required": gettext_lazy("请填写基金名称")})
    parent = forms.ModelChoiceField(label=gettext_lazy("母基金（子基金填写）"), queryset=Fund.objects.none(), required=False)
    manager = forms.CharField(label=gettext_lazy("基金管理人"), max_length=200, required=False)
    size = forms.DecimalField(label=gettext_lazy("认缴规模（万元）"), min_value=0, max_digits=16, decimal_places=2,
                              error_messages={"required": gettext_lazy("请填写认缴规模")})
    parent_commitment = forms.DecimalField(label=gettext_lazy("母基金认缴出资（万元）"), min_value=0, max_digits=16,
                                           decimal_places=2, required=False)
    reinvest_target = forms.DecimalField(label=gettext_lazy("返投倍数要求"), min_value=0, max_digits=6, decimal_places=2,
                                         required=False, help_text=gettext_lazy("本地投资额不低于母基金出资的倍数，如 1.5"))
    established_on = forms.DateField(label=gettext_lazy("成立日期"), required=False, widget=DateInput())
    focus_chains = forms.ModelMultipleChoiceField(label=gettext_lazy("投资方向（产业链）"), queryset=None, required=False)
    notes = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, zone=None, fund=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhaoshang.industry.models import IndustryChain

        parents = Fund.objects.filter(zone=zone, parent__isnull=True)
        if fund is not None:
            parents = parents.exclude(pk=fund.pk)
        self.fields["parent"].queryset = parents
        self.fields["focus_chains"].queryset = IndustryChain.objects.filter(zone=zone)


class CallForm(StyledForm):
    date = forms.DateField(label=gettext_lazy("实缴日期"), widget=DateInput(), error_messages={"required": gettext_lazy("请填写实缴日期")})
    amount = forms.DecimalField(label=gettext_lazy("实缴金额（万元）"), min_value=0, max_digits=16, decimal_places=2,
                                error_messages={"required": gettext_lazy("请填写实缴金额")})
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)


class InvestmentForm(StyledForm):
    project = forms.ModelChoiceField(label=gettext_lazy("招引项目"), queryset=None, required=False)
    enterprise = forms.ModelChoiceField(label=gettext_lazy("被投企业"), queryset=None, required=False)
    investee_name = forms.CharField(label=gettext_lazy("被投企业（未登记时填写名称）"), max_length=200, required=False)
    date = forms.DateField(label=gettext_lazy("投资日期"), widget=DateInput(), error_messages={"required": gettext_lazy("请填写投资日期")})
    amount = forms.DecimalField(label=gettext_lazy("投资金额（万元）"), min_value=0, max_digits=16, decimal_places=2,
                                error_messages={"required": gettext_lazy("请填写投资金额")})
    round = forms.ChoiceField(label=gettext_lazy("投资阶段"), choices=Investment.Round.choices)
    is_local = forms.BooleanField(label=gettext_lazy("投资于本区（计入返投）"), required=False, initial=True)
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, projects=None, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["enterprise"].queryset = enterprises
