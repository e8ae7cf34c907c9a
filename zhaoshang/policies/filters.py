"""FilterSets of the policy area (shared by the pages and the API)."""


import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils import timezone

from zhaoshang.policies.models import Claim, Policy


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("名称或文号"))
    level = django_filters.ChoiceFilter(choices=Policy.Level.choices, label=_("发文层级"))
    benefit_kind = django_filters.ChoiceFilter(choices=Policy.BenefitKind.choices, label=_("支持方式"))
    in_force = django_filters.BooleanFilter(method="filter_in_force", label=_("现行有效"))

    class Meta:
        model = Policy
        fields = ["q", "level", "benefit_kind", "in_force"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(document_number__icontains=value)) if value else queryset

    def filter_in_force(self, queryset, name, value):
        if value is None:
            return queryset
        current = queryset.in_force(timezone.localdate())
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="enterprise__name", lookup_expr="icontains", label=_("企业名称"))
    policy = django_filters.NumberFilter(field_name="policy_id", label=_("政策"))
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, label=_("状态"))
    applied_from = django_filters.DateFilter(field_name="applied_on", lookup_expr="gte", label=_("申报日期起"))
    applied_to = django_filters.DateFilter(field_name="applied_on", lookup_expr="lte", label=_("申报日期止"))

    class Meta:
        model = Claim
        fields = ["q", "policy", "status", "applied_from", "applied_to"]
