from django.utils.translation import gettext_lazy as _
from rest_framework.filters import OrderingFilter


class Ordering(OrderingFilter):
    """`?sort=-date,id`: the fields each endpoint lists in `ordering_fields`. The project
    list sorts with the page's own `sort` values instead (its FilterSet)."""

    ordering_param = "sort"
    ordering_description = _("排序字段，逗号分隔，前加“-”为倒序")
