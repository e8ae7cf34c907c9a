"""Forms of the carrier-space pages; they clean input, the actions write."""

from django import forms
from django.utils.translation import gettext_lazy

from zhaoshang.spaces.models import SpaceUnit
from zhaoshang.core.formstyle import DateInput, StyledForm


class BuildingForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("楼栋"), max_length=100, error_messages={"required": gettext_lazy("请填写楼栋名称")})
    floors = forms.IntegerField(label=gettext_lazy("层数"), min_value=1, max_value=200, required=False)
    notes = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)


class UnitForm(StyledForm):
    name = forms.CharField(label=gettext_lazy("单元"), max_length=100, error_messages={"required": gettext_lazy("请填写单元名称")})
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=SpaceUnit.Kind.choices)
    area_m2 = forms.DecimalField(label=gettext_lazy("面积（㎡）"), min_value=0, max_digits=12, decimal_places=2,
                                 error_messages={"required": gettext_lazy("请填写面积")})
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=SpaceUnit.Status.choices)
    tenant_project = forms.ModelChoiceField(label=gettext_lazy("入驻项目"), queryset=None, required=False)
    tenant_enterprise = forms.ModelChoiceField(label=gettext_lazy("承租企业"), queryset=None, required=False)
    rent = forms.DecimalField(label=gettext_lazy("租金（元/㎡·月）"), min_value=0, max_digits=8, decimal_places=2, required=False)
    lease_start = forms.DateField(label=gettext_lazy("租期起"), required=False, widget=DateInput())
    lease_end = forms.DateField(label=gettext_lazy("租期止"), required=False, widget=DateInput())
    floor_load = forms.CharField(label=gettext_lazy("承重/层高等条件"), max_length=100, required=False)
    notes = forms.CharField(label=gettext_lazy("备注"), max_length=200, required=False)

    def __init__(self, *args, projects=None, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant_project"].queryset = projects
        self.fields["tenant_enterprise"].queryset = enterprises
