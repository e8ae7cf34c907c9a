"""FilterSets for the models that have no page of their own to share one with.

The project list uses the page's FilterSet (zhaoshang/projects/filters.py) so that the
page, the API and saved filters agree; the others are here."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from django import forms
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import OrgUnit, Park
from zhaoshang.enterprises.filters import EnterpriseFilter  # noqa: F401  the page's, shared
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects.filters import ProjectFilter  # noqa: F401  the page's, shared
from zhaoshang.projects.models import FollowUp, FundArrival, StageChange
from zhaoshang.projects.stages import Stage


MAX_ID = 2**63 - 1


class AllZonesFilterBackend(DjangoFilterBackend):
    """The page's FilterSet, with its choices (units, chains, parks …) taken from all the
    zones the user may read rather than the page's current zone: an API client has no
    zone switcher. The rows themselves are still the view's visible_to queryset."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for name, declared in filterset.filters.items():
                if not isinstance(declared, (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)):
                    continue
                model = filterset._meta.model._meta.get_field(declared.field_name).related_model
                if not hasattr(model.objects, "visible_to"):
                    continue  # not zoned (e.g. enterprise tags): the page's choices stand
                declared.queryset = model.objects.visible_to(request.user)
                if name in filterset.form.fields:  # the form may already be built
                    filterset.form.fields[name].queryset = declared.queryset
        return filterset


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number within what the database can hold."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class _DatedFilter(django_filters.FilterSet):
    project = IdFilter(field_name="project_id", label=_("项目"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("日期起"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("日期止"))
    zone = django_filters.CharFilter(field_name="project__zone__code", label=_("园区代码"))


class FollowUpFilter(_DatedFilter):
    kind = django_filters.ChoiceFilter(choices=FollowUp.Kind.choices, label=_("方式"))
    due_by = django_filters.DateFilter(field_name="next_date", lookup_expr="lte", label=_("下步日期不晚于"))

    class Meta:
        model = FollowUp
        fields = []


class FundArrivalFilter(_DatedFilter):
    class Meta:
        model = FundArrival
        fields = []


class StageChangeFilter(_DatedFilter):
    to_stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("新阶段"))
    is_backward = django_filters.BooleanFilter(label=_("回退"))

    class Meta:
        model = StageChange
        fields = []


class _ZonedFilter(django_filters.FilterSet):
    zone = django_filters.CharFilter(field_name="zone__code", label=_("园区代码"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("名称包含"))


class UnitFilter(_ZonedFilter):
    kind = django_filters.ChoiceFilter(choices=OrgUnit.Kind.choices, label=_("类型"))
    is_active = django_filters.BooleanFilter(label=_("启用"))

    class Meta:
        model = OrgUnit
        fields = []


class ParkFilter(_ZonedFilter):
    class Meta:
        model = Park
        fields = []


class ClusterFilter(_ZonedFilter):
    class Meta:
        model = IndustryCluster
        fields = []


class ChainFilter(_ZonedFilter):
    cluster = IdFilter(field_name="cluster_id", label=_("产业集群"))
    tier = django_filters.ChoiceFilter(choices=IndustryChain.Tier.choices, label=_("产业层级"))

    class Meta:
        model = IndustryChain
        fields = []
