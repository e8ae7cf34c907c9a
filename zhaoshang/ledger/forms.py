from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.ledger import names, readers

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


class MappingForm(forms.Form):
    """The mapping step's answers for one checked job: for each name the zone does not have
    (the job's unknown_names), an existing unit, park or leader of the job's zone, or 新建.
    Each row of the page posts the kind and the name it answers with the choice, so an
    answer never lands on another name; a choice outside the zone is refused."""

    def __init__(self, data, *, zone, unknown: list):
        super().__init__(data)
        self.zone = zone
        self.unknown = unknown
        self.asked = {(item["kind"], item["name"]) for item in unknown}
        self.answers = {}

    def clean(self):
        data = self.data
        choices = {}
        answers = {}
        count = 0
        indexes = sorted({key.split("-", 1)[1] for key in data if key.startswith(("kind-", "written-", "answer-"))})
        for index in indexes:
            kind, written, choice = (data.get(f"{key}-{index}") for key in ("kind", "written", "answer"))
            if (kind, written) not in self.asked:
                raise forms.ValidationError(_("“%(name)s”不在本次台账待对应的名称中，请刷新页面后再回答") % {"name": written or ""})
            if not choice:
                continue  # not answered yet
            if choice == "new":
                answers.setdefault(kind, {})[written] = names.NEW
            else:
                if kind not in choices:
                    choices[kind] = names.existing(self.zone, kind)
                target = choices[kind].get(int(choice)) if choice.isascii() and choice.isdigit() else None
                if target is None:
                    raise forms.ValidationError(_("“%(name)s”对应到的%(kind)s不是本园区已有的，未保存任何对应")
                                                % {"name": written, "kind": names.KIND_LABELS[kind]})
                answers.setdefault(kind, {})[written] = target
            count += 1
        if not count:
            raise forms.ValidationError(_("请至少为一个名称选择对应到已有的，或新建"))
        self.answers = answers
        return super().clean()
