"""FilterSets of the statistics area (shared by the pages and, later, the API)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.stats import sectors
from zhaoshang.stats.models import AnnualFigures, EnterpriseProfile, Threshold


class EnterpriseProfileFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("企业名称或信用代码"))
    industry_code = django_filters.ChoiceFilter(choices=sectors.CHOICES, label=_("行业分类"))
    in_statistics = django_filters.BooleanFilter(label=_("已入统"))

    class Meta:
        model = EnterpriseProfile
        fields = ["q", "industry_code", "in_statistics"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__iexact=value)) if value else queryset


class AnnualFiguresFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    revenue_min = django_filters.NumberFilter(field_name="revenue", lookup_expr="gte", label=_("收入不低于（万元）"))

    class Meta:
        model = AnnualFigures
        fields = ["year", "revenue_min"]


class ThresholdFilter(django_filters.FilterSet):
    industry_code = django_filters.ChoiceFilter(choices=sectors.CHOICES, label=_("行业分类"))
    basis = django_filters.ChoiceFilter(choices=Threshold.Basis.choices, label=_("标准"))

    class Meta:
        model = Threshold
        fields = ["industry_code", "basis"]
