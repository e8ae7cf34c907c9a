import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import ChangeRecord


def _model_choices():
    from zhaoshang.core.history import content_types_tracked

    return [(str(kind.pk), label) for kind, label in content_types_tracked()]


class ChangeRecordFilter(django_filters.FilterSet):
    """The audit page's filter: who, which kind of data, which days, which action."""

    user = django_filters.ModelChoiceFilter(label=_("操作人"), queryset=get_user_model().objects.none())
    model = django_filters.ChoiceFilter(label=_("数据类型"), field_name="content_type_id", choices=_model_choices)
    action = django_filters.ChoiceFilter(label=_("操作"), choices=ChangeRecord.Action.choices)
    date_from = django_filters.DateFilter(
        label=_("起始日期"), field_name="timestamp", lookup_expr="date__gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("截止日期"), field_name="timestamp", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    q = django_filters.CharFilter(label=_("对象名称"), field_name="object_repr", lookup_expr="icontains")
    request_id = django_filters.CharFilter(label=_("请求编号"), field_name="request_id")

    class Meta:
        model = ChangeRecord
        fields = []

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.filters["user"].queryset = users
            self.form.fields["user"].queryset = users
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-control-sm" if css == "form-control" else f"{css} form-select-sm"
