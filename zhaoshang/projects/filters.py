"""The project list's filters: one FilterSet shared by the list page, the board, the export,
the API and saved filters. GET parameter names are part of the URL contract:
q, stage, unit, chain, cluster, kind, region, park, amount_min, amount_max, signed_from,
signed_to, started_from, started_to, attention, warning, sort."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from zhaoshang.campaigns.models import Source
from zhaoshang.core.models import OrgUnit, Park
from zhaoshang.core.pinyin import name_matches
from zhaoshang.enterprises.uscc import normalize as normalize_uscc
from zhaoshang.industry.models import IndustryChain, IndustryCluster
from zhaoshang.projects import warnings
from zhaoshang.projects.models import FollowUp, Project
from zhaoshang.projects.regions import SourceRegion
from zhaoshang.projects.stages import Stage

# sort value → the field it orders by; rows without a value come last either way, and
# the primary key keeps paging stable.
SORTS = {
    "code": "code",
    "name": "name_pinyin",
    "amount": "total_investment",
    "signed": "signed_on",
    "started": "started_on",
    "stage": "stage",
    "unit": "responsible_unit__name_pinyin",
    "updated": "updated_at",
}
NULLABLE_SORTS = {"signed", "started", "unit"}
SORT_LABELS = {
    "code": _("项目编号"), "name": _("项目名称"), "amount": _("计划总投资"), "signed": _("签约日期"),
    "started": _("开工日期"), "stage": _("阶段"), "unit": _("责任单位"), "updated": _("更新时间"),
}
DEFAULT_SORT = "-signed"

STALE_DAYS = 30
DUE_WITHIN_DAYS = 7
ACTIVE_STAGES = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED]


class Attention:
    """Why a project needs attention on the workbench (the `attention` filter's values)."""

    DUE = "due"          # the latest follow-up's next step is due within a week or overdue
    STALE = "stale"      # no follow-up in 30 days
    LATE_START = "late"  # signed, not started, past the planned start

    CHOICES = [
        (DUE, _("下步计划到期或逾期")),
        (STALE, _("30天未跟进")),
        (LATE_START, _("已签约逾期未开工")),
    ]


def attention_filter(queryset, kind: str, today: dt.date | None = None):
    today = today or dt.date.today()
    active = queryset.filter(stage__in=ACTIVE_STAGES)
    if kind == Attention.DUE:
        # The latest follow-up's next step, unless a stage change has closed it since.
        latest = FollowUp.objects.filter(project=OuterRef("pk")).order_by("-date", "-id")
        return active.annotate(
            latest_follow_up=Subquery(latest.values("pk")[:1]),
            next_due=Subquery(latest.values("next_date")[:1]),
        ).filter(
            Exists(FollowUp.objects.with_open_next_step().filter(pk=OuterRef("latest_follow_up"))),
            next_due__isnull=False, next_due__lte=today + dt.timedelta(days=DUE_WITHIN_DAYS),
        )
    if kind == Attention.STALE:
        recent = FollowUp.objects.filter(project=OuterRef("pk"), date__gt=today - dt.timedelta(days=STALE_DAYS))
        return active.filter(~Exists(recent))
    if kind == Attention.LATE_START:
        return queryset.filter(
            stage=Stage.SIGNED, started_on__isnull=True, planned_start_on__isnull=False, planned_start_on__lt=today
        )
    return queryset


def _zone_of(request):
    if request is None:
        return None
    from zhaoshang.core.access import current_zone

    return current_zone(request)


def _in_zone(model, **extra):
    def queryset(request):
        zone = _zone_of(request)
        qs = model.objects.filter(**extra)
        return qs.filter(zone=zone) if zone is not None else qs

    return queryset


class IdFilter(django_filters.NumberFilter):
    """A row id (a trip, an event, an introducer): a whole number, not any decimal."""

    field_class = forms.IntegerField


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"),
                                  widget=forms.TextInput(attrs={"placeholder": _("名称、投资方、编号或统一社会信用代码")}))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("阶段"), distinct=False)
    unit = django_filters.ModelChoiceFilter(field_name="responsible_unit", queryset=_in_zone(OrgUnit), label=_("责任单位"))
    chain = django_filters.ModelChoiceFilter(queryset=_in_zone(IndustryChain), label=_("产业链"))
    cluster = django_filters.ModelChoiceFilter(queryset=_in_zone(IndustryCluster), label=_("产业集群"))
    kind = django_filters.ChoiceFilter(choices=Project.Kind.choices, label=_("项目类型"))
    region = django_filters.ChoiceFilter(field_name="source_region", choices=SourceRegion.choices, label=_("来源地区"))
    park = django_filters.ModelChoiceFilter(queryset=_in_zone(Park), label=_("落地园区"))
    amount_min = django_filters.NumberFilter(field_name="total_investment", lookup_expr="gte", label=_("总投资不少于（万元）"))
    amount_max = django_filters.NumberFilter(field_name="total_investment", lookup_expr="lte", label=_("总投资不多于（万元）"))
    signed_from = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("签约日期自"))
    signed_to = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("签约日期至"))
    started_from = django_filters.DateFilter(field_name="started_on", lookup_expr="gte", label=_("开工日期自"))
    started_to = django_filters.DateFilter(field_name="started_on", lookup_expr="lte", label=_("开工日期至"))
    attention = django_filters.ChoiceFilter(choices=Attention.CHOICES, method="filter_attention", label=_("需关注"))
    warning = django_filters.ChoiceFilter(choices=warnings.FILTER_CHOICES, method="filter_warning", label=_("项目预警"))
    source = django_filters.ChoiceFilter(choices=[*Source.choices, ("none", _("未登记来源"))], method="filter_source", label=_("项目来源"))
    trip = IdFilter(field_name="source__trip", label=_("外出招商"), widget=forms.HiddenInput)
    event = IdFilter(field_name="source__event", label=_("招商活动"), widget=forms.HiddenInput)
    introducer = IdFilter(field_name="source__introducer", label=_("引荐人"), widget=forms.HiddenInput)
    sort = django_filters.ChoiceFilter(
        choices=[(key, label) for key, label in SORT_LABELS.items()] + [(f"-{key}", label) for key, label in SORT_LABELS.items()],
        method="filter_sort", label=_("排序"),
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("signed_from", "signed_to", "started_from", "started_to"):
            self.form.fields[name].widget = forms.DateInput(attrs={"type": "date"})
        self.form.fields["amount_min"].widget.attrs.update(min="0", step="any")
        self.form.fields["amount_max"].widget.attrs.update(min="0", step="any")
        self.form.fields["stage"].widget.attrs.update(size="2")
        for field in self.form.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            field.widget.attrs["class"] = css

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            condition = name_matches(word) | Q(code__icontains=word) | name_matches(word, prefix="investor__")
            uscc = normalize_uscc(word)
            if len(uscc) >= 6 and uscc.isalnum():
                condition |= Q(investor__uscc__startswith=uscc)
            queryset = queryset.filter(condition)
        return queryset

    def filter_source(self, queryset, name, value: str):
        if value == "none":
            return queryset.filter(source__isnull=True)
        return queryset.filter(source__kind=value)

    def filter_attention(self, queryset, name, value):
        return attention_filter(queryset, value, self.today)

    def filter_warning(self, queryset, name, value):
        return warnings.filter_colour(queryset, value, self.today)

    def filter_sort(self, queryset, name, value):
        # Ordering is applied in filter_queryset so it also holds when `sort` is absent.
        return queryset

    def filter_queryset(self, queryset):
        # Every row carries its warning light (warnings.annotate), for the dots and the API.
        queryset = super().filter_queryset(warnings.annotate(queryset, self.today))
        return queryset.order_by(*self.ordering())

    def ordering(self):
        value = self.sort_value
        key = value.lstrip("-")
        field = F(SORTS[key])
        descending = value.startswith("-")
        nulls = {"nulls_last": True} if key in NULLABLE_SORTS else {}
        first = field.desc(**nulls) if descending else field.asc(**nulls)
        return [first, "-pk" if descending else "pk"]

    @property
    def sort_value(self) -> str:
        return (self.form.cleaned_data.get("sort") if hasattr(self.form, "cleaned_data") else None) or DEFAULT_SORT
