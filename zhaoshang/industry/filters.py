"""The target pool's filters: one FilterSet shared by the list page and the chain pages.
GET parameters: q, status, region, tag, chain, node, revenue_band, sort."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.enterprises.models import Tag
from zhaoshang.enterprises.uscc import normalize as normalize_uscc
from zhaoshang.industry.models import ApproachStatus, ChainNode, IndustryChain, RevenueBand, TargetCompany
from zhaoshang.industry.names import normalize_name
from zhaoshang.projects.regions import SourceRegion

SORTS = {"name": "name", "status": "status", "contacted": "last_contacted_on", "updated": "updated_at"}


class TargetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search", widget=forms.TextInput(attrs={"placeholder": _("名称或信用代码")}))
    status = django_filters.ChoiceFilter(label=_("对接状态"), choices=ApproachStatus.choices, empty_label=_("全部（不含已合并）"))
    region = django_filters.ChoiceFilter(label=_("地区"), choices=SourceRegion.choices, empty_label=_("全部地区"))
    tag = django_filters.ModelChoiceFilter(label=_("标签"), field_name="tags", queryset=Tag.objects.all(), empty_label=_("全部标签"))
    chain = django_filters.ModelChoiceFilter(label=_("产业链"), field_name="nodes__chain", queryset=IndustryChain.objects.none(),
                                             empty_label=_("全部产业链"), distinct=True)
    node = django_filters.ModelChoiceFilter(label=_("节点"), field_name="nodes", queryset=ChainNode.objects.none(),
                                            empty_label=_("全部节点"))
    revenue_band = django_filters.ChoiceFilter(label=_("营收规模"), choices=RevenueBand.choices, empty_label=_("全部规模"))
    sort = django_filters.ChoiceFilter(
        label=_("排序"), method="order", empty_label=_("按名称"),
        choices=[("-contacted", _("最近接触")), ("-updated", _("最近更新")), ("status", _("对接状态"))],
    )

    class Meta:
        model = TargetCompany
        fields = ["q", "status", "region", "tag", "chain", "node", "revenue_band"]

    def __init__(self, data=None, queryset=None, *, zone=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["chain"].queryset = IndustryChain.objects.filter(zone=zone)
        self.filters["node"].queryset = ChainNode.objects.filter(chain__zone=zone).select_related("chain")
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"

    @property
    def qs(self):
        qs = super().qs
        if not (self.form.is_valid() and self.form.cleaned_data.get("status")):
            qs = qs.exclude(status=ApproachStatus.MERGED)
        if not (self.form.is_valid() and self.form.cleaned_data.get("sort")):
            qs = qs.order_by("name", "pk")
        return qs

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(name_key__contains=normalize_name(value)) | Q(uscc=normalize_uscc(value))
        )

    def order(self, queryset, name, value):
        field = SORTS.get(value.lstrip("-"))
        if not field:
            return queryset
        if value.startswith("-"):
            from django.db.models import F

            return queryset.order_by(F(field).desc(nulls_last=True), "name", "pk")
        return queryset.order_by(field, "name", "pk")
