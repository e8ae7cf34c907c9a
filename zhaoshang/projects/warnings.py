"""项目预警: a red, yellow or green light for each project, from the zone's rules
(`WarningRules`, defaults until the bureau changes them). docs/figures.md (项目预警) states
the rules in words; this module is their only implementation.

The light is computed in the database: `annotate(queryset, today)` adds, per row, the
measurements (days past 计划开工, full months signed without a start, days since the last
contact, the fund-arrival gap behind 序时进度), one level per rule (0 none, 1 yellow, 2 red)
and `warning_colour` ("red", "yellow", "green"; "" for a dropped or merged project, which has
no light).
The project list filters on it (`?warning=red`), counts are one aggregate, and the reasons
shown beside a light are worded from the same annotated numbers (`light_of`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, DecimalField, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, Greatest, Least, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhaoshang.projects.models import FollowUp, FundArrival, Project, StageChange, WarningColour, WarningRules
from zhaoshang.projects.stages import Stage

RULE_FIELDS = (
    "late_start_red_days", "unstarted_yellow_months", "unstarted_red_months", "idle_yellow_days", "idle_red_days",
    "build_months", "funds_yellow_points", "funds_red_points",
)
DEFAULTS = {name: WarningRules._meta.get_field(name).default for name in RULE_FIELDS}
# 序时进度 counts a month of the construction period as 30 days.
DAYS_PER_MONTH = 30

NOT_STARTED = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED]
OPEN = [Stage.LEAD, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED]
BUILDING = [Stage.SIGNED, Stage.STARTED]

RED, YELLOW, GREEN = WarningColour.RED.value, WarningColour.YELLOW.value, WarningColour.GREEN.value
FLAGGED = "flagged"  # the filter value for red or yellow
FILTER_CHOICES = [*WarningColour.choices, (FLAGGED, gettext_lazy("红灯或黄灯"))]
LEVEL_COLOUR = {2: RED, 1: YELLOW, 0: GREEN}


class DaysBetween(Func):
    """Whole days from the date `start` to the date `end` (end − start), in SQL."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, start, end, **extra):
        super().__init__(start, end, **extra)

    def _parts(self, compiler):
        start, end = self.get_source_expressions()
        start_sql, start_params = compiler.compile(start)
        end_sql, end_params = compiler.compile(end)
        return start_sql, end_sql, (*end_params, *start_params)

    def as_sql(self, compiler, connection, **extra_context):
        start_sql, end_sql, params = self._parts(compiler)
        return f"(CAST({end_sql} AS date) - CAST({start_sql} AS date))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        start_sql, end_sql, params = self._parts(compiler)
        return f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)", params


def rules_for(zone) -> WarningRules:
    """The zone's rules; an unsaved row with the defaults until the bureau saves its own."""
    return WarningRules.objects.filter(zone=zone).first() or WarningRules(zone=zone, **DEFAULTS)


def _rule(name: str):
    return Coalesce(F(f"zone__warning_rules__{name}"), Value(DEFAULTS[name]), output_field=IntegerField())


def _level(red: Q, yellow: Q):
    return Case(When(red, then=Value(2)), When(yellow, then=Value(1)), default=Value(0), output_field=IntegerField())


def annotate(queryset, today: dt.date | None = None):
    """The projects with their warning measurements, levels and `warning_colour` as of
    `today` (default: today in the zone's time zone). Facts dated after `today` are ignored."""
    today = today or timezone.localdate()
    on = Value(today)
    latest_follow_up = FollowUp.objects.filter(project=OuterRef("pk"), date__lte=today).order_by("-date").values("date")[:1]
    latest_stage = StageChange.objects.filter(project=OuterRef("pk"), date__lte=today).order_by("-date").values("date")[:1]
    arrived = (FundArrival.objects.filter(project=OuterRef("pk"), date__lte=today).order_by()
               .values("project").annotate(total=Sum("amount")).values("total"))
    follow_up, stage = Subquery(latest_follow_up), Subquery(latest_stage)
    amount = DecimalField(max_digits=30, decimal_places=4)
    queryset = queryset.annotate(
        **{f"warn_rule_{name}": _rule(name) for name in RULE_FIELDS},
        # A stage change is a contact too; a project with neither counts from its creation.
        warn_last_contact=Coalesce(Greatest(Coalesce(follow_up, stage), Coalesce(stage, follow_up)), TruncDate("created_at")),
        warn_arrived=Coalesce(Subquery(arrived, output_field=amount), Value(Decimal("0")), output_field=amount),
    ).annotate(
        warn_late_days=DaysBetween(F("planned_start_on"), on),
        warn_unstarted_months=(
            Value(today.year * 12 + today.month) - ExtractYear("signed_on") * 12 - ExtractMonth("signed_on")
            - Case(When(signed_on__day__gt=today.day, then=Value(1)), default=Value(0))
        ),
        warn_idle_days=DaysBetween(F("warn_last_contact"), on),
        warn_period_days=F("warn_rule_build_months") * DAYS_PER_MONTH,
    ).annotate(
        warn_elapsed_days=Least(DaysBetween(F("signed_on"), on), F("warn_period_days")),
    ).annotate(
        # gap > X points  ⇔  elapsed/period·100 − arrived/total·100 > X
        #                 ⇔  elapsed·total·100 − arrived·period·100 > X·period·total (no division)
        warn_funds_excess=(
            F("warn_elapsed_days") * F("total_investment") * 100 - F("warn_arrived") * F("warn_period_days") * 100
        ),
        warn_funds_scale=F("warn_period_days") * F("total_investment"),
    )
    late = Q(stage__in=NOT_STARTED, started_on__isnull=True, planned_start_on__lt=today)
    unstarted = Q(stage=Stage.SIGNED, started_on__isnull=True, signed_on__lte=today)
    idle = Q(stage__in=OPEN)
    building = Q(stage__in=BUILDING, is_fixed_asset=True, signed_on__lte=today, total_investment__gt=0)
    queryset = queryset.annotate(
        warn_late_level=_level(late & Q(warn_late_days__gte=F("warn_rule_late_start_red_days")), late),
        warn_unstarted_level=_level(
            unstarted & Q(warn_unstarted_months__gte=F("warn_rule_unstarted_red_months")),
            unstarted & Q(warn_unstarted_months__gte=F("warn_rule_unstarted_yellow_months")),
        ),
        warn_idle_level=_level(
            idle & Q(warn_idle_days__gte=F("warn_rule_idle_red_days")),
            idle & Q(warn_idle_days__gte=F("warn_rule_idle_yellow_days")),
        ),
        warn_funds_level=_level(
            building & Q(warn_funds_excess__gt=F("warn_funds_scale") * F("warn_rule_funds_red_points")),
            building & Q(warn_funds_excess__gt=F("warn_funds_scale") * F("warn_rule_funds_yellow_points")),
        ),
    ).annotate(
        warning_level=Greatest("warn_late_level", "warn_unstarted_level", "warn_idle_level", "warn_funds_level"),
    ).annotate(
        warning_colour=Case(
            # A dropped project, or one merged into another (a duplicate), has no light.
            When(Q(stage=Stage.DROPPED) | Q(merged_into__isnull=False), then=Value("")),
            When(warning_level=2, then=Value(RED)),
            When(warning_level=1, then=Value(YELLOW)),
            default=Value(GREEN),
            output_field=CharField(),
        ),
    )
    return queryset


def filter_colour(queryset, value: str, today: dt.date | None = None):
    """Projects whose light is `value` (red, yellow, green, or flagged: red or yellow)."""
    if not hasattr(queryset.query, "annotations") or "warning_colour" not in queryset.query.annotations:
        queryset = annotate(queryset, today)
    if value == FLAGGED:
        return queryset.filter(warning_colour__in=[RED, YELLOW])
    if value in (RED, YELLOW, GREEN):
        return queryset.filter(warning_colour=value)
    return queryset


def counts(queryset, today: dt.date | None = None) -> dict:
    """How many of the projects show each colour (dropped projects have no light): one query."""
    rows = annotate(queryset.order_by(), today).aggregate(
        **{colour: Count("pk", filter=Q(warning_colour=colour)) for colour in (RED, YELLOW, GREEN)}
    )
    rows["total"] = sum(rows.values())
    return rows


@dataclass
class Light:
    colour: str  # red, yellow, green; "" for a dropped project
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(WarningColour(self.colour).label) if self.colour else ""

    def as_dict(self) -> dict:
        return {"colour": self.colour, "label": self.label, "reasons": self.reasons}


def _percent(value) -> str:
    return f"{Decimal(value).quantize(Decimal('0.1')):f}".rstrip("0").rstrip(".")


def light_of(project) -> Light:
    """The light of a project annotated by `annotate`, with its reasons in words, red ones first."""
    found = []
    if not project.warning_colour:
        return Light(colour="")
    if project.warn_late_level:
        found.append((project.warn_late_level, _("计划开工已过%(days)d天仍未开工") % {"days": project.warn_late_days}))
    if project.warn_unstarted_level:
        found.append((project.warn_unstarted_level,
                      _("签约已满%(months)d个月仍未开工") % {"months": project.warn_unstarted_months}))
    if project.warn_idle_level:
        found.append((project.warn_idle_level, _("已%(days)d天未跟进（最近一次：%(date)s）") % {
            "days": project.warn_idle_days, "date": project.warn_last_contact.isoformat()}))
    if project.warn_funds_level:
        time_share = Decimal(project.warn_elapsed_days) * 100 / Decimal(project.warn_period_days)
        funds_share = Decimal(project.warn_arrived) * 100 / Decimal(project.total_investment)
        found.append((project.warn_funds_level, _("资金到位%(funds)s%%，序时进度%(time)s%%，落后%(gap)s个百分点") % {
            "funds": _percent(funds_share), "time": _percent(time_share), "gap": _percent(time_share - funds_share)}))
    found.sort(key=lambda item: -item[0])
    return Light(colour=project.warning_colour, reasons=[text for _level, text in found])


def for_project(project: Project, today: dt.date | None = None) -> Light:
    """One project's light (one query); the project need not be annotated."""
    if hasattr(project, "warning_colour"):
        return light_of(project)
    annotated = annotate(Project.objects.filter(pk=project.pk), today).first()
    return light_of(annotated) if annotated is not None else Light(colour="")
