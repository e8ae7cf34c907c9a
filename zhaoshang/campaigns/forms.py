"""Forms of the campaigns pages; they clean input, the actions write."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zhaoshang.campaigns.models import Event, Introducer, Source, TripVisit
from zhaoshang.core.formstyle import DateInput, StyledForm
from zhaoshang.core.models import OrgUnit, Person


def _required(label):
    return {"required": format_lazy(_("请填写{label}"), label=label)}


class TripForm(StyledForm):
    title = forms.CharField(label=_("出访名称"), max_length=120, error_messages=_required(_("出访名称")))
    unit = forms.ModelChoiceField(label=_("组织单位"), queryset=OrgUnit.objects.none(), error_messages={"required": _("请选择组织单位")})
    start_on = forms.DateField(label=_("出发日期"), widget=DateInput(), error_messages=_required(_("出发日期")))
    end_on = forms.DateField(label=_("返回日期"), widget=DateInput(), error_messages=_required(_("返回日期")))
    province = forms.CharField(label=_("目的地省份"), max_length=20, required=False, help_text=_("如 广东省；用于归入京津冀/长三角/粤港澳/省内/其他"))
    city = forms.CharField(label=_("目的地城市"), max_length=30, error_messages=_required(_("目的地城市")))
    purpose = forms.CharField(label=_("出访目的"), widget=forms.Textarea(attrs={"rows": 3}), error_messages=_required(_("出访目的")))
    team = forms.ModelMultipleChoiceField(label=_("出访人员"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, zone=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.filter(zone=zone, is_active=True)
        self.fields["team"].queryset = Person.objects.filter(zone=zone)


class VisitForm(StyledForm):
    date = forms.DateField(label=_("拜访日期"), widget=DateInput(), error_messages=_required(_("拜访日期")))
    company_name = forms.CharField(label=_("拜访企业"), max_length=200, error_messages=_required(_("拜访企业")))
    met_with = forms.CharField(label=_("会见人员"), max_length=200, required=False, help_text=_("如 董事长张某、投资总监李某"))
    discussion = forms.CharField(label=_("洽谈内容"), widget=forms.Textarea(attrs={"rows": 3}), error_messages=_required(_("洽谈内容")))
    outcome = forms.ChoiceField(label=_("成果"), choices=TripVisit.Outcome.choices, initial=TripVisit.Outcome.NONE)
    target = forms.ModelChoiceField(label=_("跟进的目标企业"), queryset=None, required=False)
    project = forms.ModelChoiceField(label=_("跟进的项目"), queryset=None, required=False)
    lead_name = forms.CharField(label=_("新线索项目名称"), max_length=200, required=False)
    lead_amount = forms.DecimalField(label=_("意向投资（万元）"), min_value=0, max_digits=16, decimal_places=2, required=False)
    next_step = forms.CharField(label=_("下步计划"), max_length=200, required=False)
    next_date = forms.DateField(label=_("下步日期"), widget=DateInput(), required=False)

    def __init__(self, *args, projects=None, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["target"].queryset = targets

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == TripVisit.Outcome.TARGET and not data.get("target"):
            self.add_error("target", _("请选择跟进的目标企业"))
        if outcome == TripVisit.Outcome.FOLLOW_UP and not data.get("project"):
            self.add_error("project", _("请选择跟进的项目"))
        if outcome == TripVisit.Outcome.LEAD and not data.get("lead_name"):
            self.add_error("lead_name", _("请填写新线索的项目名称"))
        return data


class SummaryForm(StyledForm):
    summary = forms.CharField(label=_("出访总结"), widget=forms.Textarea(attrs={"rows": 4}), error_messages=_required(_("出访总结")))


class EventForm(StyledForm):
    kind = forms.ChoiceField(label=_("活动类型"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=120, error_messages=_required(_("活动名称")))
    date = forms.DateField(label=_("活动日期"), widget=DateInput(), error_messages=_required(_("活动日期")))
    place = forms.CharField(label=_("地点"), max_length=120, error_messages=_required(_("地点")))
    organiser = forms.ModelChoiceField(label=_("主办单位"), queryset=OrgUnit.objects.none(), required=False)
    attendees = forms.CharField(label=_("出席人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    guests = forms.CharField(label=_("来访客商"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = OrgUnit.objects.filter(zone=zone, is_active=True)


class EventProjectForm(StyledForm):
    project = forms.ModelChoiceField(label=_("签约项目"), queryset=None, error_messages={"required": _("请选择项目")})

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class IntroducerForm(StyledForm):
    name = forms.CharField(label=_("姓名/名称"), max_length=100, error_messages=_required(_("姓名")))
    kind = forms.ChoiceField(label=_("类别"), choices=Introducer.Kind.choices)
    organisation = forms.CharField(label=_("所在单位"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PaymentForm(StyledForm):
    project = forms.ModelChoiceField(label=_("项目"), queryset=None, error_messages={"required": _("请选择项目")})
    amount = forms.DecimalField(label=_("支付金额（万元）"), min_value=0, max_digits=16, decimal_places=2, error_messages=_required(_("支付金额")))
    paid_on = forms.DateField(label=_("支付日期"), widget=DateInput(), error_messages=_required(_("支付日期")))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class SourceForm(StyledForm):
    kind = forms.ChoiceField(label=_("项目来源"), choices=Source.choices)
    trip = forms.ModelChoiceField(label=_("外出招商"), queryset=None, required=False)
    event = forms.ModelChoiceField(label=_("招商活动"), queryset=None, required=False)
    introducer = forms.ModelChoiceField(label=_("引荐人"), queryset=None, required=False)
    referrer = forms.ModelChoiceField(label=_("推荐企业（以商招商）"), queryset=None, required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, zone=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from zhaoshang.campaigns.models import Event as EventModel
        from zhaoshang.campaigns.models import Introducer as IntroducerModel
        from zhaoshang.campaigns.models import Trip
        from zhaoshang.enterprises.models import Enterprise

        self.fields["trip"].queryset = Trip.objects.visible_to(user).filter(zone=zone)
        self.fields["event"].queryset = EventModel.objects.visible_to(user).filter(zone=zone)
        self.fields["introducer"].queryset = IntroducerModel.objects.visible_to(user).filter(zone=zone, is_active=True)
        self.fields["referrer"].queryset = Enterprise.objects.visible_to(user).filter(zone=zone)
