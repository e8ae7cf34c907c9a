from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.ledger import readers

ALLOWED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".ods")


class UploadForm(forms.Form):
    file = forms.FileField(label=_("台账文件"), help_text=_("Excel（.xlsx/.xls）或 CSV（UTF-8 或 GBK 编码）"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > readers.max_bytes():
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），上限为 %(limit)s MB") % {"size": upload.size / readers.MB, "limit": readers.max_bytes() // readers.MB}
            )
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("请上传 Excel（.xlsx/.xls）或 CSV 文件"))
        return upload


class ExportForm(forms.Form):
    # An <input type=date> takes only yyyy-mm-dd: a localized 2026/01/01 would show blank
    # and the export would silently cover every project.
    start = forms.DateField(label=_("签约日期从"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError(_("起止日期需同时填写（或都不填，导出全部项目）"))
        if start and end and start > end:
            raise forms.ValidationError(_("起始日期不能晚于截止日期"))
        return data
