"""Forms of the project pages. They only clean input: every write goes through
projects.actions (and errors the actions raise are put back next to their field)."""

import datetime as dt
import json

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy

from zhaoshang.core.formstyle import DateInput, style
from zhaoshang.core.models import OrgUnit, Park, Person
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects.models import FollowUp, Project, SavedFilter
from zhaoshang.projects.stages import ORDER, Stage

DATE_WIDGET = {"type": "date"}
ORIGINAL_SALT = "zhaoshang.projects.edit-original"


class ProjectForm(forms.Form):
    """The facts of a project (新建 and 编辑)."""

    name = forms.CharField(label=gettext_lazy("项目名称"), max_length=200,
                           error_messages={"required": gettext_lazy("请填写项目名称")})
    code = forms.CharField(label=gettext_lazy("项目编号"), max_length=40, required=False,
                           help_text=gettext_lazy("留空则自动编号"))
    investor_name = forms.CharField(label=gettext_lazy("投资主体"), max_length=200, required=False)
    investor_uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=18, required=False)
    contact_person = forms.CharField(label=gettext_lazy("投资方联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=gettext_lazy("投资方联系电话"), max_length=30, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("项目类型"), choices=Project.Kind.choices, initial=Project.Kind.CHAIN)
    cluster = forms.ModelChoiceField(label=gettext_lazy("产业集群"), queryset=IndustryCluster.objects.none(), required=False)
    chain = forms.ModelChoiceField(label=gettext_lazy("产业链"), queryset=IndustryChain.objects.none(), required=False)
    industry_label = forms.CharField(label=gettext_lazy("所属产业（原文）"), max_length=100, required=False)
    total_investment = forms.DecimalField(
        label=gettext_lazy("计划总投资（万元）"), max_digits=16, decimal_places=2, min_value=0,
        error_messages={"required": gettext_lazy("请填写计划总投资"), "invalid": gettext_lazy("请输入金额数字（万元）"),
                        "min_value": gettext_lazy("金额不能为负数"),
                        "max_decimal_places": gettext_lazy("金额最多保留两位小数")},
    )
    is_fixed_asset = forms.BooleanField(label=gettext_lazy("固定资产投资类项目"), required=False, initial=True)
    source_province = forms.CharField(label=gettext_lazy("来源省份"), max_length=20, required=False)
    source_city = forms.CharField(label=gettext_lazy("来源城市"), max_length=30, required=False)
    responsible_unit = forms.ModelChoiceField(label=gettext_lazy("责任单位"), queryset=OrgUnit.objects.none(), required=False)
    park = forms.ModelChoiceField(label=gettext_lazy("落地园区"), queryset=Park.objects.none(), required=False)
    leaders = forms.ModelMultipleChoiceField(label=gettext_lazy("包联领导"), queryset=Person.objects.none(), required=False)
    stage = forms.ChoiceField(label=gettext_lazy("当前阶段"), choices=[(s.value, s.label) for s in ORDER], initial=Stage.LEAD,
                              help_text=gettext_lazy("已签约、开工、投产的项目须填写对应日期"))
    # The project's real past (新建 only): one date per stage reached, in order, none in
    # the future. Afterwards a stage date changes by a stage change or a logged correction.
    lead_on = forms.DateField(label=gettext_lazy("线索日期"), required=False, widget=DateInput,
                              help_text=gettext_lazy("留空则取最早填写的日期，否则为今天"))
    negotiating_on = forms.DateField(label=gettext_lazy("在谈日期"), required=False, widget=DateInput)
    signed_on = forms.DateField(label=gettext_lazy("签约日期"), required=False, widget=DateInput)
    planned_start_on = forms.DateField(label=gettext_lazy("计划开工日期"), required=False, widget=DateInput)
    started_on = forms.DateField(label=gettext_lazy("开工日期"), required=False, widget=DateInput)
    producing_on = forms.DateField(label=gettext_lazy("投产日期"), required=False, widget=DateInput)
    drop_reason = forms.CharField(label=gettext_lazy("终止原因"), max_length=200, required=False)
    notes = forms.CharField(label=gettext_lazy("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    ACTION_FIELDS = [
        "code", "name", "contact_person", "contact_phone", "cluster", "chain", "industry_label", "kind",
        "total_investment", "is_fixed_asset", "source_province", "source_city", "responsible_unit", "park",
        "planned_start_on", "drop_reason", "notes",
    ]
    HISTORY_FIELDS = ["lead_on", "negotiating_on", "signed_on", "started_on", "producing_on"]
    ERROR_ALIASES = {"investor": "investor_name", "on": "signed_on", "dropped_on": "drop_reason", "uscc": "investor_uscc"}

    def __init__(self, *args, zone, project: Project | None = None, **kwargs):
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(project)
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.project = project
        self.fields["cluster"].queryset = IndustryCluster.objects.filter(zone=zone)
        self.fields["chain"].queryset = IndustryChain.objects.filter(zone=zone).select_related("cluster")
        self.fields["responsible_unit"].queryset = OrgUnit.objects.filter(zone=zone, is_active=True)
        self.fields["park"].queryset = Park.objects.filter(zone=zone)
        self.fields["leaders"].queryset = Person.objects.filter(zone=zone, is_leader=True)
        for name in ("total_investment",):
            self.fields[name].widget.attrs.update(step="0.01", inputmode="decimal")
        if project is None:
            del self.fields["version"], self.fields["original"], self.fields["drop_reason"]
        else:
            del self.fields["stage"]
            for name in self.HISTORY_FIELDS:
                del self.fields[name]
            if project.stage != Stage.DROPPED:
                del self.fields["drop_reason"]
            if not self.is_bound:
                self.initial["original"] = signing.dumps(self.initial_values(), salt=ORIGINAL_SALT, compress=True)
        style(self)

    def full_clean(self):
        super().full_clean()
        style(self)

    def initial_values(self) -> dict:
        """The values the form was opened with, as JSON-friendly text."""
        return {name: _jsonable(self.initial.get(name)) for name in self.fields if name not in ("version", "original")}

    def original_values(self) -> dict | None:
        try:
            return signing.loads(self.data.get("original", ""), salt=ORIGINAL_SALT)
        except signing.BadSignature:
            return None

    def action_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.ACTION_FIELDS if name in data}
        fields["code"] = (fields.get("code") or "").strip()
        fields["total_investment"] = data["total_investment"]
        return fields

    def history(self) -> dict:
        """The stage dates given on the create form, for create_project."""
        return {name: self.cleaned_data.get(name) for name in self.HISTORY_FIELDS if self.cleaned_data.get(name)}

    def fix_unit(self, units) -> None:
        """A unit member's new project is their unit's: the field offers only their units,
        is required, and is fixed when they have one."""
        field = self.fields["responsible_unit"]
        field.queryset = units
        field.required = True
        field.empty_label = None
        only = list(units[:2])
        if len(only) == 1:
            field.initial = only[0].pk
            field.disabled = True
            field.help_text = gettext_lazy("本单位的项目")


def _jsonable(value):
    if value is None:
        return ""
    if isinstance(value, (dt.date,)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)) or hasattr(value, "all"):
        items = value.all() if hasattr(value, "all") else value
        return sorted(str(getattr(v, "pk", v)) for v in items)
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, bool):
        return value
    return str(value)


class DateCorrectionForm(forms.Form):
    """更正日期: which stage fact, its right date, and why."""

    stage_change = forms.TypedChoiceField(label=gettext_lazy("更正哪一项"), coerce=int,
                                          error_messages={"required": gettext_lazy("请选择要更正的阶段日期")})
    new_date = forms.DateField(label=gettext_lazy("正确日期"), widget=DateInput,
                               error_messages={"required": gettext_lazy("请填写更正后的日期"), "invalid": gettext_lazy("日期格式应为 2025-03-05")})
    reason = forms.CharField(label=gettext_lazy("更正原因"), max_length=200,
                             error_messages={"required": gettext_lazy("请填写更正原因")})

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.pop("zone", None)
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["stage_change"].choices = [
            (row.pk, f"{row.get_to_stage_display()}（{row.date.isoformat()}）")
            for row in project.stage_changes.order_by("date", "id")
        ]
        style(self)

    def full_clean(self):
        super().full_clean()
        style(self)


class MergeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("合并原因"), max_length=150,
                             error_messages={"required": gettext_lazy("请填写合并原因")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def initial_of(project: Project) -> dict:
    initial = {name: getattr(project, name) for name in ProjectForm.ACTION_FIELDS}
    for name in ("cluster", "chain", "responsible_unit", "park"):
        initial[name] = getattr(project, f"{name}_id")
    initial["investor_name"] = project.investor.name if project.investor_id else ""
    initial["investor_uscc"] = project.investor.uscc if project.investor_id else ""
    initial["leaders"] = [p.pk for p in project.leaders.all()]
    initial["version"] = project.version
    return initial


def comparable(form_values: dict, name: str):
    value = form_values.get(name)
    if isinstance(value, list):
        return sorted(str(v) for v in value)
    return "" if value is None else value


class FollowUpForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("跟进日期"), widget=DateInput,
                           error_messages={"required": gettext_lazy("请填写跟进日期"), "invalid": gettext_lazy("日期格式应为 2025-03-05")})
    kind = forms.ChoiceField(label=gettext_lazy("方式"), choices=FollowUp.Kind.choices, initial=FollowUp.Kind.VISIT)
    summary = forms.CharField(label=gettext_lazy("情况摘要"), widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": gettext_lazy("请填写情况摘要")})
    next_step = forms.CharField(label=gettext_lazy("下步计划"), max_length=200, required=False)
    next_date = forms.DateField(label=gettext_lazy("下步日期"), required=False, widget=DateInput,
                                error_messages={"invalid": gettext_lazy("日期格式应为 2025-03-05")})
    participants = forms.ModelMultipleChoiceField(label=gettext_lazy("参与人员"), queryset=Person.objects.none(), required=False)
    other_participants = forms.CharField(label=gettext_lazy("其他参与人员"), max_length=200, required=False)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = Person.objects.filter(zone=zone)
        self.fields["participants"].widget.attrs["size"] = 3
        if not self.is_bound:
            self.initial.setdefault("date", dt.date.today())
        style(self)

    def full_clean(self):
        super().full_clean()
        style(self)


class FundArrivalForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("到位日期"), widget=DateInput,
                           error_messages={"required": gettext_lazy("请填写到位日期"), "invalid": gettext_lazy("日期格式应为 2025-03-05")})
    amount = forms.DecimalField(label=gettext_lazy("到位金额（万元）"), max_digits=16, decimal_places=2, min_value=0.01,
                                error_messages={"required": gettext_lazy("请填写到位金额"), "invalid": gettext_lazy("请输入金额数字（万元）"),
                                                "min_value": gettext_lazy("到位金额应大于零"),
                                                "max_decimal_places": gettext_lazy("金额最多保留两位小数")})
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.pop("zone", None)
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update(step="0.01", inputmode="decimal")
        if not self.is_bound:
            self.initial.setdefault("date", dt.date.today())
        style(self)

    def full_clean(self):
        super().full_clean()
        style(self)


class StageChangeForm(forms.Form):
    to_stage = forms.ChoiceField(label=gettext_lazy("变更为"), choices=Stage.choices,
                                 error_messages={"required": gettext_lazy("请选择新阶段")})
    on = forms.DateField(label=gettext_lazy("日期"), widget=DateInput,
                         error_messages={"required": gettext_lazy("请填写阶段变更日期"), "invalid": gettext_lazy("日期格式应为 2025-03-05")})
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=200, required=False,
                             help_text=gettext_lazy("终止、回退或恢复项目时必填"))

    def __init__(self, *args, project: Project, **kwargs):
        kwargs.pop("zone", None)
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["to_stage"].choices = [(s.value, s.label) for s in Stage if s != project.stage]
        style(self)

    def full_clean(self):
        super().full_clean()
        style(self)


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=60, error_messages={"required": gettext_lazy("请为筛选命名")})
    query = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


def saved_filter_choices(user, zone):
    return SavedFilter.objects.filter(user=user, zone=zone).order_by("name")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
