"""Forms of the ticket pages. They only clean input: every write goes through
tickets.actions, and the errors it raises are put back next to their field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.formstyle import DateInput
from zhaoshang.core.formstyle import style as bootstrap
from zhaoshang.core.models import OrgUnit
from zhaoshang.tickets.models import Channel, Rating, Severity, Step, TicketCategory


def _departments(zone):
    return OrgUnit.objects.filter(zone=zone, kind=OrgUnit.Kind.DEPARTMENT, is_active=True)


class TicketForm(forms.Form):
    """登记 a ticket (the bureau may name the departments and so assign it at once)."""

    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=TicketCategory.objects.none(), empty_label=None)
    title = forms.CharField(label=_("诉求标题"), max_length=200)
    description = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices, initial=Channel.VISIT)
    severity = forms.ChoiceField(label=_("紧急程度"), choices=Severity.choices, initial=Severity.ORDINARY)
    raised_on = forms.DateField(label=_("提出日期"), widget=DateInput())
    department = forms.ModelChoiceField(
        label=_("牵头部门"), queryset=OrgUnit.objects.none(), required=False,
        help_text=_("选择后即分派；不选则登记后由投资促进局分派"),
    )
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办部门"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    attachment = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args, zone, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = TicketCategory.objects.filter(zone=zone, is_active=True)
        self.fields["raised_on"].initial = timezone.localdate()
        if can_assign:
            self.fields["department"].queryset = _departments(zone)
            self.fields["co_departments"].queryset = _departments(zone)
        else:
            del self.fields["department"]
            del self.fields["co_departments"]
        bootstrap(self)


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("牵头部门"), queryset=OrgUnit.objects.none())
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办部门"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    note = forms.CharField(label=_("分派意见"), required=False, max_length=500)

    def __init__(self, *args, zone, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(zone)
        self.fields["co_departments"].queryset = _departments(zone)
        bootstrap(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        bootstrap(self)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("办理结果"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("企业评价"), choices=Rating.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("评价为不满意时必填，诉求将重新打开"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, label=None, required=True, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["note"].label = label
        self.fields["note"].required = required
        bootstrap(self)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TimeLimitForm(forms.Form):
    step = forms.ChoiceField(label=_("环节"), choices=Step.choices)
    severity = forms.ChoiceField(label=_("紧急程度"), choices=Severity.choices)
    working_days = forms.IntegerField(label=_("时限（工作日）"), min_value=1, max_value=365)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    is_working_day = forms.TypedChoiceField(
        label=_("类型"), choices=[("0", _("休息日（节假日）")), ("1", _("工作日（调休上班）"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("类别名称"), max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
