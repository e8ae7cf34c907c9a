"""The ticket FilterSet, shared by the list page and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import OrgUnit
from zhaoshang.tickets.models import Channel, Severity, Status, Ticket, TicketCategory
from zhaoshang.tickets.selectors import overdue_condition


class TicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search")
    status = django_filters.MultipleChoiceFilter(label=_("状态"), choices=Status.choices)
    category = django_filters.ModelChoiceFilter(label=_("类别"), queryset=TicketCategory.objects.none())
    department = django_filters.ModelChoiceFilter(
        label=_("牵头部门"), queryset=OrgUnit.objects.none(), field_name="lead_department"
    )
    severity = django_filters.ChoiceFilter(label=_("紧急程度"), choices=Severity.choices)
    channel = django_filters.ChoiceFilter(label=_("来源渠道"), choices=Channel.choices)
    overdue = django_filters.BooleanFilter(label=_("仅看逾期"), method="only_overdue", widget=forms.CheckboxInput)
    mine = django_filters.BooleanFilter(label=_("仅看本部门"), method="only_mine", widget=forms.CheckboxInput)
    project = django_filters.NumberFilter(label=_("项目"), field_name="project_id")
    raised_from = django_filters.DateFilter(
        label=_("提出日期自"), field_name="raised_on", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    raised_to = django_filters.DateFilter(
        label=_("提出日期至"), field_name="raised_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Ticket
        fields = []

    def __init__(self, *args, zone=None, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.my_departments = list(departments)
        if zone is not None:
            self.filters["category"].queryset = TicketCategory.objects.filter(zone=zone)
            self.filters["department"].queryset = OrgUnit.objects.filter(zone=zone, kind=OrgUnit.Kind.DEPARTMENT)
        if not self.my_departments:
            del self.filters["mine"]
        for field in self.form.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(code__icontains=value) | Q(description__icontains=value)
            | Q(project__name__icontains=value) | Q(enterprise__name__icontains=value)
        )

    def only_overdue(self, queryset, name, value):
        return queryset.filter(overdue_condition(timezone.localdate())) if value else queryset

    def only_mine(self, queryset, name, value):
        if not value:
            return queryset
        co = Ticket.co_departments.through.objects.filter(orgunit_id__in=self.my_departments).values("ticket_id")
        return queryset.filter(Q(lead_department_id__in=self.my_departments) | Q(pk__in=co))
