"""Forms of the chain and target pages. They only clean input: every write goes through
industry.actions, and the errors an action raises are put back next to their field."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.core.formstyle import DateInput
from zhaoshang.core.formstyle import StyledForm as BootstrapForm
from zhaoshang.core.models import OrgUnit
from zhaoshang.enterprises.models import DEFAULT_TAGS, Enterprise, Tag
from zhaoshang.industry.models import (
    APPROACH_STEPS,
    ApproachStatus,
    ChainNode,
    FollowUpKind,
    IndustryChain,
    RelationKind,
    RevenueBand,
)
from zhaoshang.projects.regions import SourceRegion


def _enterprise_by_name(zone, value: str, field: str, visible=None) -> Enterprise:
    """A local enterprise by its exact name, among those the user may read."""
    name = (value or "").strip()
    candidates = Enterprise.objects.filter(zone=zone, name=name)
    if visible is not None:
        candidates = candidates.filter(pk__in=visible)
    found = candidates.first()
    if found is None:
        raise ValidationError(_("企业库中没有“%(name)s”，请先在企业库登记") % {"name": name}, code=field)
    return found


class NodeForm(BootstrapForm):
    name = forms.CharField(label=gettext_lazy("节点名称"), max_length=50)
    position = forms.ChoiceField(label=gettext_lazy("环节"), choices=ChainNode.Position.choices)
    is_key = forms.BooleanField(label=gettext_lazy("关键节点"), required=False)


class PlacementForm(BootstrapForm):
    enterprise = forms.CharField(label=gettext_lazy("本地企业"), max_length=200,
                                 widget=forms.TextInput(attrs={"list": "zs-enterprise-names", "autocomplete": "off"}))
    is_chain_leader = forms.BooleanField(label=gettext_lazy("链主企业"), required=False)
    notes = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, zone=None, visible=None, **kwargs):
        self.zone, self.visible = zone, visible
        super().__init__(*args, **kwargs)

    def clean_enterprise(self):
        return _enterprise_by_name(self.zone, self.cleaned_data["enterprise"], "enterprise", self.visible)


class RelationForm(BootstrapForm):
    from_enterprise = forms.CharField(label=gettext_lazy("企业"), max_length=200,
                                      widget=forms.TextInput(attrs={"list": "zs-enterprise-names", "autocomplete": "off"}))
    kind = forms.ChoiceField(label=gettext_lazy("是对方的"), choices=RelationKind.choices)
    to_enterprise = forms.CharField(label=gettext_lazy("对方企业"), max_length=200,
                                    widget=forms.TextInput(attrs={"list": "zs-enterprise-names", "autocomplete": "off"}))
    notes = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, zone=None, visible=None, **kwargs):
        self.zone, self.visible = zone, visible
        super().__init__(*args, **kwargs)

    def clean_from_enterprise(self):
        return _enterprise_by_name(self.zone, self.cleaned_data["from_enterprise"], "from_enterprise", self.visible)

    def clean_to_enterprise(self):
        return _enterprise_by_name(self.zone, self.cleaned_data["to_enterprise"], "to_enterprise", self.visible)


class NodeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, node):
        return f"{node.chain.name}·{node.name}" + ("★" if node.is_key else "")


class TargetForm(BootstrapForm):
    name = forms.CharField(label=gettext_lazy("企业名称"), max_length=200,
                           error_messages={"required": gettext_lazy("请填写企业名称")})
    uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=30, required=False)
    province = forms.CharField(label=gettext_lazy("所在省份"), max_length=20, required=False,
                               help_text=gettext_lazy("如“江苏省”，也可填“江苏省常州市”"))
    city = forms.CharField(label=gettext_lazy("所在城市"), max_length=30, required=False)
    tags = forms.MultipleChoiceField(label=gettext_lazy("标签"), required=False, widget=forms.CheckboxSelectMultiple)
    nodes = NodeChoiceField(label=gettext_lazy("对应产业链节点"), queryset=ChainNode.objects.none(), required=False,
                            widget=forms.SelectMultiple(attrs={"size": 10}))
    revenue_band = forms.ChoiceField(label=gettext_lazy("营收规模"), choices=[("", "—"), *RevenueBand.choices], required=False)
    main_products = forms.CharField(label=gettext_lazy("主营产品"), max_length=200, required=False)
    contact_person = forms.CharField(label=gettext_lazy("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)
    notes = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = tag_choices()
        self.fields["nodes"].queryset = ChainNode.objects.filter(chain__zone=zone).select_related("chain").order_by(
            "chain__sort_order", "sort_order"
        )


def tag_choices():
    names = list(dict.fromkeys([*DEFAULT_TAGS, *Tag.objects.values_list("name", flat=True)]))
    return [(name, name) for name in names]


class StatusForm(BootstrapForm):
    to_status = forms.ChoiceField(label=gettext_lazy("对接状态"), choices=[(s.value, s.label) for s in APPROACH_STEPS])
    on = forms.DateField(label=gettext_lazy("日期"), widget=DateInput())
    note = forms.CharField(label=gettext_lazy("说明"), max_length=300, required=False)


class TargetFollowUpForm(BootstrapForm):
    date = forms.DateField(label=gettext_lazy("日期"), widget=DateInput(), error_messages={"required": gettext_lazy("请填写跟进日期")})
    kind = forms.ChoiceField(label=gettext_lazy("方式"), choices=FollowUpKind.choices)
    summary = forms.CharField(label=gettext_lazy("情况摘要"), widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": gettext_lazy("请填写情况摘要")})
    next_step = forms.CharField(label=gettext_lazy("下步计划"), max_length=200, required=False)
    next_date = forms.DateField(label=gettext_lazy("下步日期"), widget=DateInput(), required=False)


class TargetRelationForm(BootstrapForm):
    kind = forms.ChoiceField(label=gettext_lazy("本企业是对方的"), choices=RelationKind.choices)
    enterprise = forms.CharField(label=gettext_lazy("本地企业"), max_length=200,
                                 widget=forms.TextInput(attrs={"list": "zs-enterprise-names", "autocomplete": "off"}))
    notes = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, zone=None, visible=None, **kwargs):
        self.zone, self.visible = zone, visible
        super().__init__(*args, **kwargs)

    def clean_enterprise(self):
        return _enterprise_by_name(self.zone, self.cleaned_data["enterprise"], "enterprise", self.visible)


class ConvertForm(BootstrapForm):
    project_name = forms.CharField(label=gettext_lazy("项目名称"), max_length=200, required=False,
                                   help_text=gettext_lazy("留空则为“企业名称＋投资项目”"))
    chain = forms.ModelChoiceField(label=gettext_lazy("产业链"), queryset=IndustryChain.objects.none(), required=False)
    responsible_unit = forms.ModelChoiceField(label=gettext_lazy("责任单位"), queryset=OrgUnit.objects.none(), required=False)
    total_investment = forms.DecimalField(label=gettext_lazy("计划总投资（万元）"), max_digits=16, decimal_places=2, min_value=0,
                                          required=False,
                                          error_messages={"invalid": gettext_lazy("请输入金额数字（万元）"),
                                                          "min_value": gettext_lazy("金额不能为负数")})

    def __init__(self, *args, zone=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chain"].queryset = IndustryChain.objects.filter(zone=zone)
        self.fields["responsible_unit"].queryset = units if units is not None else OrgUnit.objects.filter(
            zone=zone, kind__in=[OrgUnit.Kind.TASK_FORCE, OrgUnit.Kind.SOE, OrgUnit.Kind.BUREAU], is_active=True
        )


class SettingsForm(BootstrapForm):
    priority_regions = forms.MultipleChoiceField(
        label=gettext_lazy("重点招商地区"), choices=SourceRegion.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class ImportForm(BootstrapForm):
    file = forms.FileField(label=gettext_lazy("目标企业名单（xlsx）"),
                           error_messages={"required": gettext_lazy("请选择要导入的文件")})


STATUS_LABELS = dict(ApproachStatus.choices)
