"""FilterSets of the carrier-space area (the vacancy list and the unit lists)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from zhaoshang.spaces.models import Building, SpaceUnit


class SpaceUnitFilter(django_filters.FilterSet):
    park = django_filters.NumberFilter(field_name="building__park_id", label=_("载体园区"))
    building = django_filters.NumberFilter(field_name="building_id", label=_("楼栋"))
    kind = django_filters.ChoiceFilter(choices=SpaceUnit.Kind.choices, label=_("类型"))
    status = django_filters.ChoiceFilter(choices=SpaceUnit.Status.choices, label=_("状态"))
    area_min = django_filters.NumberFilter(field_name="area_m2", lookup_expr="gte", label=_("面积不小于（㎡）"))
    area_max = django_filters.NumberFilter(field_name="area_m2", lookup_expr="lte", label=_("面积不大于（㎡）"))
    rent_max = django_filters.NumberFilter(field_name="rent", lookup_expr="lte", label=_("租金不高于（元/㎡·月）"))

    class Meta:
        model = SpaceUnit
        fields = ["park", "building", "kind", "status", "area_min", "area_max", "rent_max"]


class BuildingFilter(django_filters.FilterSet):
    park = django_filters.NumberFilter(field_name="park_id", label=_("载体园区"))

    class Meta:
        model = Building
        fields = ["park"]
