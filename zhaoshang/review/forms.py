from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.formstyle import StyledForm
from zhaoshang.review.models import Evidence


class DateInput(forms.DateInput):
    input_type = "date"


class CertifyForm(StyledForm):
    on = forms.DateField(label=_("认定日期"), widget=DateInput, required=False,
                         error_messages={"invalid": _("日期格式应为 2025-03-05")},
                         help_text=_("不填则为今天；事项自认定日期起计入统计"))


class ReturnForm(StyledForm):
    reason = forms.CharField(label=_("退回原因"), max_length=300, error_messages={"required": _("退回需填写原因")})


class EvidenceForm(StyledForm):
    kind = forms.ChoiceField(label=_("材料类型"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、JPG、PNG、DOCX 或 XLSX"),
                           error_messages={"required": _("请选择要上传的文件")})


class CapitalIncreaseForm(StyledForm):
    date = forms.DateField(label=_("增资日期"), widget=DateInput,
                           error_messages={"required": _("请填写增资日期"), "invalid": _("日期格式应为 2025-03-05")})
    amount = forms.DecimalField(label=_("增资金额（万元）"), max_digits=16, decimal_places=2,
                                error_messages={"required": _("请填写增资金额"), "invalid": _("金额应为数字")})
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    evidence = forms.FileField(label=_("证明材料"), required=False, help_text=_("增资协议等，PDF、JPG、PNG、DOCX 或 XLSX"))
