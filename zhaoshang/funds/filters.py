"""FilterSets of the funds area."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.funds.models import Fund, Investment


class FundFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("基金名称"))
    mother = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull", label=_("母基金"))

    class Meta:
        model = Fund
        fields = ["q", "mother"]


class InvestmentFilter(django_filters.FilterSet):
    fund = django_filters.NumberFilter(field_name="fund_id", label=_("基金"))
    is_local = django_filters.BooleanFilter(label=_("本地投资"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("投资日期起"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("投资日期止"))

    class Meta:
        model = Investment
        fields = ["fund", "is_local", "date_from", "date_to"]
