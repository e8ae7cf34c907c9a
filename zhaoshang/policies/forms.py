"""Forms of the policy pages; they clean input, the actions write."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy

from zhaoshang.policies import rules
from zhaoshang.policies.models import Claim, Policy
from zhaoshang.core.formstyle import DateInput, StyledForm


class PolicyForm(StyledForm):
    title = forms.CharField(label=gettext_lazy("政策名称"), max_length=200,
                            error_messages={"required": gettext_lazy("请填写政策名称")})
    level = forms.ChoiceField(label=gettext_lazy("发文层级"), choices=Policy.Level.choices)
    document_number = forms.CharField(label=gettext_lazy("文号"), max_length=100, required=False)
    valid_from = forms.DateField(label=gettext_lazy("有效期起"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=gettext_lazy("有效期止"), required=False, widget=DateInput())
    benefit_kind = forms.ChoiceField(label=gettext_lazy("支持方式"), choices=Policy.BenefitKind.choices)
    benefit = forms.CharField(label=gettext_lazy("支持内容"), max_length=300, required=False)
    max_amount = forms.DecimalField(label=gettext_lazy("最高金额（万元）"), min_value=0, max_digits=16, decimal_places=2, required=False)
    summary = forms.CharField(label=gettext_lazy("政策摘要"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)


class ConditionForm(StyledForm):
    field = forms.ChoiceField(label=gettext_lazy("条件项"), choices=[("", "—")] + rules.field_choices(), required=False)
    operator = forms.ChoiceField(label=gettext_lazy("比较"), choices=rules.operator_choices(), required=False)
    value = forms.CharField(label=gettext_lazy("取值"), max_length=300, required=False,
                            help_text=gettext_lazy("多个取值用顿号分隔，满足其一即可"))


ConditionFormSet = formset_factory(ConditionForm, extra=3, can_delete=True)


def conditions_from(formset) -> list[tuple[str, str, str]]:
    """The (field, operator, value) rows of a valid formset, blank and deleted rows left out."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("field"):
            continue
        rows.append((data["field"], data.get("operator") or "", data.get("value") or ""))
    return rows


class ClaimForm(StyledForm):
    policy = forms.ModelChoiceField(label=gettext_lazy("政策"), queryset=Policy.objects.none(),
                                    error_messages={"required": gettext_lazy("请选择政策")})
    project = forms.ModelChoiceField(label=gettext_lazy("项目（可选）"), queryset=None, required=False)
    applied_on = forms.DateField(label=gettext_lazy("申报日期"), widget=DateInput(),
                                 error_messages={"required": gettext_lazy("请填写申报日期")})
    amount_claimed = forms.DecimalField(label=gettext_lazy("申报金额（万元）"), min_value=0, max_digits=16, decimal_places=2,
                                        required=False)
    notes = forms.CharField(label=gettext_lazy("备注"), max_length=300, required=False)

    def __init__(self, *args, policies=None, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies
        self.fields["project"].queryset = projects


class DecisionForm(StyledForm):
    status = forms.ChoiceField(label=gettext_lazy("审核结果"), choices=[
        (Claim.Status.APPROVED, Claim.Status.APPROVED.label), (Claim.Status.REJECTED, Claim.Status.REJECTED.label)])
    decided_on = forms.DateField(label=gettext_lazy("审核日期"), widget=DateInput(),
                                 error_messages={"required": gettext_lazy("请填写审核日期")})
    amount_approved = forms.DecimalField(label=gettext_lazy("核定金额（万元）"), min_value=0, max_digits=16,
                                         decimal_places=2, required=False)
    notes = forms.CharField(label=gettext_lazy("备注"), max_length=300, required=False)


class PaymentForm(StyledForm):
    paid_on = forms.DateField(label=gettext_lazy("兑现日期"), widget=DateInput(),
                              error_messages={"required": gettext_lazy("请填写兑现日期")})
    amount = forms.DecimalField(label=gettext_lazy("兑现金额（万元）"), min_value=0, max_digits=16, decimal_places=2,
                                error_messages={"required": gettext_lazy("请填写兑现金额")})
    note = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)
