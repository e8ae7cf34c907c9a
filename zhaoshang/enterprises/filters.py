"""The enterprise registry's filters (page and API): q (name or 统一社会信用代码), tag, sort."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.pinyin import name_matches
from zhaoshang.enterprises.models import Enterprise, Tag
from zhaoshang.enterprises.uscc import normalize as normalize_uscc


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"),
                                  widget=forms.TextInput(attrs={"placeholder": _("企业名称、拼音或统一社会信用代码")}))
    tag = django_filters.ModelChoiceFilter(field_name="tags", queryset=Tag.objects.all(), label=_("标签"))
    sort = django_filters.OrderingFilter(
        fields=(("name_pinyin", "name"), ("uscc", "uscc"), ("project_count", "projects")),
        field_labels={"name_pinyin": _("企业名称"), "uscc": _("统一社会信用代码"), "project_count": _("项目数")},
        label=_("排序"),
    )

    class Meta:
        model = Enterprise
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def search(self, queryset, name, value):
        for word in value.split():
            condition = name_matches(word)
            code = normalize_uscc(word)
            if len(code) >= 6 and code.isalnum():
                condition |= Q(uscc__startswith=code)
            queryset = queryset.filter(condition)
        return queryset
