"""The figures of docs/figures.md, computed in the database, in one place.

Every figure is computed for a period [start, end], a set of projects (a scope: a zone,
or a unit, chain, cluster or park inside it, or several zones — already narrowed to what
the viewer may see) and an as-of date, which defaults to the period's end: a fact dated
after the as-of date has not happened yet. Each figure can also give the projects behind it.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case, Count, DecimalField, Exists, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value, When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from zhaoshang.core import numbers
from zhaoshang.projects.models import CapitalIncrease, FundArrival, Project

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")

COUNT, AMOUNT, RATE = "count", "amount", "rate"

# (code, label, kind) in the order reports show them.
FIGURES = [
    ("signed_count", _("签约项目数"), COUNT),
    ("signed_investment", _("签约总投资"), AMOUNT),
    ("started_count", _("开工项目数"), COUNT),
    ("start_rate", _("开工率"), RATE),
    ("planned_start_rate", _("计划开工率"), RATE),
    ("new_started_count", _("新开工项目数"), COUNT),
    ("new_started_investment", _("新开工项目计划投资"), AMOUNT),
    ("producing_count", _("投产项目数"), COUNT),
    ("funds_in_place", _("资金到位"), AMOUNT),
    ("fai_funds_in_place", _("固定资产投资类项目资金到位"), AMOUNT),
    ("funds_rate", _("资金到位率"), RATE),
    ("major_signed_count", _("亿元以上项目数"), COUNT),
    ("fulfilment_rate", _("履约率"), RATE),
]
CODES = [code for code, _label, _kind in FIGURES]
LABELS = {code: label for code, label, _kind in FIGURES}
KINDS = {code: kind for code, _label, kind in FIGURES}

# rate → (numerator, denominator), each a figure or a helper count below.
RATES = {
    "start_rate": ("started_count", "signed_count"),
    "planned_start_rate": ("planned_started_count", "planned_start_count"),
    "funds_rate": ("signed_funds_to_date", "signed_investment"),
    "fulfilment_rate": ("fulfilled_count", "signed_count"),
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    as_of: dt.date | None = None

    def __post_init__(self):
        if self.start > self.end:
            raise ValueError(f"period starts ({self.start}) after it ends ({self.end})")
        if self.as_of is None:
            object.__setattr__(self, "as_of", self.end)

    @property
    def cut(self) -> dt.date:
        """The last day whose facts count: the period's end, or the as-of date if earlier."""
        return min(self.end, self.as_of)

    @classmethod
    def year(cls, year: int, as_of: dt.date | None = None) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), as_of)

    @classmethod
    def quarter(cls, year: int, quarter: int, as_of: dt.date | None = None) -> "Period":
        first_month = 3 * (quarter - 1) + 1
        end = dt.date(year + (quarter == 4), 1 if quarter == 4 else first_month + 3, 1) - dt.timedelta(days=1)
        return cls(dt.date(year, first_month, 1), end, as_of)

    def previous_year(self) -> "Period":
        """The same period one year earlier (the 同期 beside a figure)."""
        return Period(_year_back(self.start), _year_back(self.end), _year_back(self.as_of))


def _year_back(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _project_conditions(period: Period, prefix: str = "") -> dict[str, Q]:
    """The row condition of each project count, for projects reached through `prefix`.

    A dated fact counts as of the as-of date when it happened by then and was certified
    (认定) by then: the *_certified_on columns, null while a claim waits or was returned."""

    def q(**lookups) -> Q:
        return Q(**{prefix + key: value for key, value in lookups.items()})

    as_of = period.as_of
    signed = q(signed_on__gte=period.start, signed_on__lte=period.cut, signed_certified_on__lte=as_of)
    started = q(started_on__lte=as_of, started_certified_on__lte=as_of)
    planned = q(planned_start_on__gte=period.start, planned_start_on__lte=period.end)
    # Each zone sets its own 亿元以上 threshold, met by the amount at signing (增资 aside).
    threshold = F(prefix + "zone__major_project_threshold") + F(prefix + "increase_total")
    return {
        "signed_count": signed,
        "started_count": signed & started,
        "planned_start_count": planned,
        "planned_started_count": planned & started,
        "new_started_count": q(started_on__gte=period.start, started_on__lte=period.cut, started_certified_on__lte=as_of),
        "producing_count": q(producing_on__gte=period.start, producing_on__lte=period.cut, producing_certified_on__lte=as_of),
        "major_signed_count": signed & q(total_investment__gte=threshold),
        "fulfilled_count": signed & (q(dropped_on__isnull=True) | q(dropped_on__gt=as_of)),
    }


def _increase_condition(period: Period) -> Q:
    """增资 counted in a period: dated in it (up to its cut) and certified by the as-of date."""
    return Q(date__gte=period.start, date__lte=period.cut, certified_on__lte=period.as_of)


def _arrival_conditions(period: Period) -> dict[str, Q]:
    in_window = Q(date__gte=period.start, date__lte=period.cut)
    signed = _project_conditions(period, prefix="project__")["signed_count"]
    return {
        "funds_in_place": in_window,
        "fai_funds_in_place": in_window & Q(project__is_fixed_asset=True),
        "signed_funds_to_date": signed & Q(date__lte=period.as_of),
    }


def _money(value) -> Decimal:
    return (value or ZERO).quantize(CENT)


def _rate(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator or 0) / Decimal(denominator)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


# The amount a project was signed for: its total less the capital increases since (each
# of which counts in its own period), so a past period's figure stays what it was.
SIGNING_AMOUNT = F("total_investment") - F("increase_total")
CERTIFIED_ON = {"signed_on", "started_on", "producing_on"}


def _project_aggregates(conditions: dict[str, Q]) -> dict:
    aggregates = {name: Count("pk", filter=condition) for name, condition in conditions.items()}
    aggregates["signing_investment"] = Sum(SIGNING_AMOUNT, filter=conditions["signed_count"])
    aggregates["new_started_investment"] = Sum(SIGNING_AMOUNT, filter=conditions["new_started_count"])
    return aggregates


def _add_increases(raw: dict) -> dict:
    """签约总投资 = the signings of the period at their signing amount + the certified 增资
    of the period (the projects themselves are not counted again)."""
    raw["signed_investment"] = (raw.get("signing_investment") or ZERO) + (raw.get("increase_investment") or ZERO)
    return raw


def _arrival_aggregates_from_projects(conditions: dict[str, Q]) -> dict:
    """The arrival sums reached from the projects (one join, the scope's conditions on the
    projects themselves), not "arrivals whose project is in (the scope)" joined to the
    projects again: that second join read every project of the province for one zone's
    figures (373 → 37 ms of database time, bench/province.py). A scope's queryset has no
    to-many join of its own (core.access: rules use pk__in), so no arrival counts twice."""
    return {name: Sum("fund_arrivals__amount", filter=_prefixed(condition, "fund_arrivals__"))
            for name, condition in conditions.items()}


ARRIVAL_FIGURES = {"funds_in_place", "fai_funds_in_place", "funds_rate"}


def _finish(raw: dict, arrivals: bool = True) -> dict:
    """Turn raw aggregates into the figures: amounts to cents, rates to 4 places."""
    result = {}
    for code in CODES:
        if not arrivals and code in ARRIVAL_FIGURES:
            continue
        if KINDS[code] == RATE:
            numerator, denominator = RATES[code]
            result[code] = _rate(raw.get(numerator), raw.get(denominator))
        elif KINDS[code] == AMOUNT:
            result[code] = _money(raw.get(code))
        else:
            result[code] = raw.get(code) or 0
    result["_parts"] = {name: raw.get(name) or 0 for pair in RATES.values() for name in pair}
    return result


def compute(projects: QuerySet, period: Period) -> dict:
    """All figures for these projects in the period: three aggregate queries in all (the
    projects, their fund arrivals, their capital increases).

    The result maps each code of FIGURES to an int, a Decimal (万元) or a rate (Decimal
    fraction, or None without a denominator); `_parts` holds each rate's numerator and
    denominator."""
    raw = projects.aggregate(**_project_aggregates(_project_conditions(period)))
    raw.update(projects.order_by().aggregate(**_arrival_aggregates_from_projects(_arrival_conditions(period))))
    increases = CapitalIncrease.objects.filter(_increase_condition(period), project__in=projects.values("pk"))
    raw.update(increases.aggregate(increase_investment=Sum("amount")))
    return _finish(_add_increases(raw))


def compute_by(projects: QuerySet, period: Period, field: str, arrivals: bool = True) -> dict:
    """The same figures for each value of a project field (zone, responsible_unit, chain,
    cluster, park, source_region …): {value: figures}, in three queries. With arrivals=False
    only the project figures, in two queries (the fund figures are then left out)."""
    rows = {}
    grouped = projects.order_by().values(field).annotate(**_project_aggregates(_project_conditions(period)))
    for row in grouped:
        rows[row.pop(field)] = row
    increases = CapitalIncrease.objects.filter(_increase_condition(period), project__in=projects.values("pk")).order_by()
    for row in increases.values(f"project__{field}").annotate(increase_investment=Sum("amount")):
        rows.setdefault(row.pop(f"project__{field}"), {}).update(row)
    for raw in rows.values():
        _add_increases(raw)
    if arrivals:
        arrival_rows = projects.order_by().values(field).annotate(**_arrival_aggregates_from_projects(_arrival_conditions(period)))
        for row in arrival_rows:
            rows.setdefault(row.pop(field), {}).update(row)
    return {key: _finish(raw, arrivals) for key, raw in rows.items()}


# The stage funnel: where each project stood on the as-of date.
FUNNEL = [
    ("stage_pipeline", _("线索/在谈")),
    ("stage_signed", _("已签约未开工")),
    ("stage_started", _("已开工未投产")),
    ("stage_producing", _("已投产")),
]


# Every code the project list can drill into, with its label.
DRILL_LABELS = {**LABELS, **dict(FUNNEL), "source_leads": _("线索数（按来源）")}


def _funnel_conditions(as_of: dt.date) -> dict[str, Q]:
    from zhaoshang.projects.models import StageChange

    not_dropped = Q(dropped_on__isnull=True) | Q(dropped_on__gt=as_of)
    not_signed = Q(signed_on__isnull=True) | Q(signed_on__gt=as_of)
    known = Exists(StageChange.objects.filter(project=OuterRef("pk"), date__lte=as_of))
    return {
        "stage_pipeline": not_dropped & not_signed & Q(known),
        "stage_signed": not_dropped & Q(signed_on__lte=as_of) & (Q(started_on__isnull=True) | Q(started_on__gt=as_of)),
        "stage_started": not_dropped & Q(started_on__lte=as_of) & (Q(producing_on__isnull=True) | Q(producing_on__gt=as_of)),
        "stage_producing": not_dropped & Q(producing_on__lte=as_of),
    }


def funnel(projects: QuerySet, as_of: dt.date) -> dict[str, dict]:
    """How many projects, and how much investment, stood at each stage on the as-of date."""
    conditions = _funnel_conditions(as_of)
    aggregates = {}
    for code, condition in conditions.items():
        aggregates[f"{code}__count"] = Count("pk", filter=condition)
        aggregates[f"{code}__sum"] = Sum("total_investment", filter=condition)
    raw = projects.aggregate(**aggregates)
    return {code: {"count": raw[f"{code}__count"], "investment": _money(raw[f"{code}__sum"])} for code in conditions}


def monthly(projects: QuerySet, period: Period, date_field: str) -> list[dict]:
    """Projects by the month of `date_field` (signed_on, started_on …) within the period,
    up to its cut: [{"month": date, "count": n, "investment": 万元}] for every month."""
    # Grouped by day (at most 366 rows) and summed by month here: no date function runs
    # per row in the database.
    certified = {f"{date_field.removesuffix('_on')}_certified_on__lte": period.as_of} if date_field in CERTIFIED_ON else {}
    rows = (
        projects.filter(**{f"{date_field}__gte": period.start, f"{date_field}__lte": period.cut}, **certified)
        .order_by()
        .values(date_field)
        .annotate(count=Count("pk"), investment=Sum(SIGNING_AMOUNT))
    )
    found = {month: {"count": 0, "investment": ZERO} for month in months(period)}
    for row in rows:
        bucket = found[row[date_field].replace(day=1)]
        bucket["count"] += row["count"]
        bucket["investment"] += row["investment"] or ZERO
    return [{"month": month, "count": row["count"], "investment": _money(row["investment"])} for month, row in found.items()]


def monthly_arrivals(projects: QuerySet, period: Period) -> list[dict]:
    """Fund arrivals of these projects by month within the period, up to its cut."""
    rows = (
        FundArrival.objects.filter(project__in=projects.values("pk"), date__gte=period.start, date__lte=period.cut)
        .order_by()
        .values("date")
        .annotate(amount=Sum("amount"))
    )
    found = {month: ZERO for month in months(period)}
    for row in rows:
        found[row["date"].replace(day=1)] += row["amount"] or ZERO
    return [{"month": month, "amount": _money(amount)} for month, amount in found.items()]


def months(period: Period) -> list[dt.date]:
    """The first day of every month the period touches."""
    result, day = [], period.start.replace(day=1)
    while day <= period.end:
        result.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return result


def month_period(month: dt.date, as_of: dt.date) -> Period:
    """One month as a period, keeping the as-of date of the report it belongs to."""
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Period(month, end, as_of)


def projects_behind(code: str, projects: QuerySet, period: Period) -> QuerySet:
    """The projects that make up a figure. For a count, exactly the rows counted; for an
    amount of investment, the rows summed; for fund arrivals, the projects whose arrivals
    are summed (annotated with `arrivals_amount`); for a rate, its denominator's rows."""
    if code == "source_leads":
        return source_projects_behind("leads", projects, period)
    if KINDS.get(code) == RATE:
        code = RATES[code][1]
    funnel_conditions = {**_funnel_conditions(period.as_of), **_reached_conditions(period.as_of)}
    if code in funnel_conditions:
        return projects.filter(funnel_conditions[code])
    conditions = _project_conditions(period)
    conditions["new_started_investment"] = conditions["new_started_count"]
    if code == "signed_investment":
        # The signings of the period and the projects whose 增资 of the period is summed,
        # with that increase beside them (`increase_amount`).
        increase_q = _increase_condition(period)
        increased = CapitalIncrease.objects.filter(increase_q, project=OuterRef("pk"))
        money = DecimalField(max_digits=16, decimal_places=2)
        return projects.filter(conditions["signed_count"] | Q(Exists(increased))).annotate(
            increase_amount=Coalesce(
                Subquery(
                    CapitalIncrease.objects.filter(increase_q, project=OuterRef("pk")).order_by()
                    .values("project").annotate(total=Sum("amount")).values("total")
                ),
                Value(ZERO),
                output_field=money,
            ),
            # What the row adds to the figure: its signing amount if signed in the period,
            # and its increases of the period.
            counted_amount=Case(When(conditions["signed_count"], then=SIGNING_AMOUNT), default=Value(ZERO), output_field=money)
            + F("increase_amount"),
        )
    if code in conditions:
        return projects.filter(conditions[code])
    arrival_conditions = _arrival_conditions(period)
    if code in arrival_conditions:
        arrival_q = arrival_conditions[code]
        matching = FundArrival.objects.filter(arrival_q, project=OuterRef("pk"))
        return projects.filter(Exists(matching)).annotate(
            arrivals_amount=Coalesce(
                Sum("fund_arrivals__amount", filter=_prefixed(arrival_q, "fund_arrivals__")),
                Value(ZERO),
                output_field=DecimalField(max_digits=16, decimal_places=2),
            )
        )
    raise KeyError(f"unknown figure: {code}")


def _prefixed(condition: Q, prefix: str, strip: str = "project__") -> Q:
    """The same condition on FundArrival (or CapitalIncrease), reached from Project through `prefix`."""
    children = []
    for child in condition.children:
        if isinstance(child, Q):
            children.append(_prefixed(child, prefix, strip))
        else:
            key, value = child
            key = key[len(strip):] if key.startswith(strip) else prefix + key
            children.append((key, value))
    clone = Q(*children, _connector=condition.connector, _negated=condition.negated)
    return clone


def as_json(figures: dict) -> dict:
    """The figures as the command's --json and the API give them: exactly the codes of
    FIGURES, counts as integers, amounts as numbers in 万元, rates as fractions (null
    without a denominator)."""
    result = {}
    for code in CODES:
        value = figures[code]
        if value is None or KINDS[code] == COUNT:
            result[code] = value
        elif KINDS[code] == RATE:
            result[code] = float(value)
        else:
            result[code] = int(value) if value == value.to_integral_value() else float(value)
    return result


def format_amount(value: Decimal | None, unit: str = "亿元") -> str:
    """万元 → '141.34亿元' or '1,413,400万元' (the rules of core.numbers)."""
    return numbers.amount(value, unit)


def format_rate(value: Decimal | None) -> str:
    """0.8065 → '80.65%'; no denominator → '—'."""
    return numbers.rate(value)


def scope(zones, *, unit=None, chain=None, cluster=None, park=None, projects: QuerySet | None = None) -> QuerySet:
    """The projects of a scope: one or several zones, optionally one unit, chain, cluster
    or park inside them, within `projects` (what the viewer may see; all by default)."""
    projects = Project.objects.all() if projects is None else projects
    zone_ids = [getattr(zone, "pk", zone) for zone in (zones if isinstance(zones, (list, tuple, set)) else [zones])]
    projects = projects.filter(zone_id__in=zone_ids) if len(zone_ids) != 1 else projects.filter(zone_id=zone_ids[0])
    for field, value in (("responsible_unit", unit), ("chain", chain), ("cluster", cluster), ("park", park)):
        if value is not None:
            projects = projects.filter(**{field: value})
    return projects


# ---------------------------------------------------------------- the funnel of stages reached
# How many projects had reached each stage by the as-of date — whatever happened to them
# afterwards (a project signed and later dropped still reached 签约) — so each stage holds
# at most as many projects as the one before it.

REACHED = [
    ("reached_lead", _("线索")),
    ("reached_negotiating", _("在谈")),
    ("reached_signed", _("签约")),
    ("reached_started", _("开工")),
    ("reached_producing", _("投产")),
]
DRILL_LABELS.update({
    "reached_lead": _("进入线索的项目"), "reached_negotiating": _("进入在谈的项目"), "reached_signed": _("已签约的项目"),
    "reached_started": _("已开工的项目"), "reached_producing": _("已投产的项目"),
})


def _reached_conditions(as_of: dt.date) -> dict[str, Q]:
    """Reaching a stage is a stage-change row into it or a later stage by the as-of date,
    or the stage's date on the project (rows of older imports may lack a change row)."""
    from zhaoshang.projects.models import StageChange
    from zhaoshang.projects.stages import ORDER

    dated = {"signed": "signed_on", "started": "started_on", "producing": "producing_on"}
    conditions = {}
    for rank, (code, _label) in enumerate(REACHED):
        later = [str(stage) for stage in ORDER[rank:]]
        if rank == 0:
            later.append("dropped")  # a project recorded straight as dropped was a lead first
        condition = Q(Exists(StageChange.objects.filter(project=OuterRef("pk"), to_stage__in=later, date__lte=as_of)))
        for stage in ORDER[max(rank, 2):]:
            condition |= Q(**{f"{dated[str(stage)]}__lte": as_of})
        conditions[code] = condition
    return conditions


def _reached_rank(as_of: dt.date):
    """The rank in REACHED of the furthest stage a project had reached by the as-of date
    (-1: none), the same facts as _reached_conditions: reached_<k> ⇔ rank ≥ k. One
    subquery per project instead of one EXISTS per stage and aggregate (ten on the
    cockpit: 0.9 s of backend time for a zone of 10,000 projects, bench/province.py)."""
    from zhaoshang.projects.models import StageChange
    from zhaoshang.projects.stages import ORDER, Stage

    # A change into 终止 counts for 线索 only (a project recorded straight as dropped).
    ranks = [When(to_stage=str(stage), then=Value(rank)) for rank, stage in enumerate(ORDER)]
    ranks.append(When(to_stage=str(Stage.DROPPED), then=Value(0)))
    by_changes = (
        StageChange.objects.filter(project=OuterRef("pk"), date__lte=as_of).order_by().values("project")
        .annotate(rank=Max(Case(*ranks, default=Value(-1), output_field=IntegerField()))).values("rank")
    )
    by_dates = Case(
        When(producing_on__lte=as_of, then=Value(4)),
        When(started_on__lte=as_of, then=Value(3)),
        When(signed_on__lte=as_of, then=Value(2)),
        default=Value(-1),
        output_field=IntegerField(),
    )
    # Coalesce first: SQLite's max() of a NULL is NULL.
    return Greatest(Coalesce(Subquery(by_changes, output_field=IntegerField()), Value(-1)), by_dates)


def reached_funnel(projects: QuerySet, as_of: dt.date) -> dict[str, dict]:
    """{code: {"count", "investment"}} of the projects that had reached each stage of
    REACHED by the as-of date (cumulative: 线索 ≥ 在谈 ≥ 签约 ≥ 开工 ≥ 投产)."""
    # Grouped by the rank (at most six rows), so the database computes it once per
    # project, then summed cumulatively here.
    rows = (
        projects.order_by().annotate(reached_rank=_reached_rank(as_of)).values("reached_rank")
        .annotate(count=Count("pk"), investment=Sum("total_investment"))
    )
    found = {rank: {"count": 0, "investment": ZERO} for rank in range(len(REACHED))}
    for row in rows:
        for rank in range(min(row["reached_rank"], len(REACHED) - 1) + 1):
            found[rank]["count"] += row["count"]
            found[rank]["investment"] += row["investment"] or ZERO
    return {code: {"count": found[rank]["count"], "investment": _money(found[rank]["investment"])}
            for rank, (code, _label) in enumerate(REACHED)}


# --- 待认定: claims beside the figures ---------------------------------------------------
# Which pending claims stand beside each figure: (claim kinds, condition on the claim).
# A pending claim would count in the figure once certified.
PENDING_CODES = ["signed_count", "signed_investment", "started_count", "new_started_count", "producing_count"]


def _pending_conditions(period: Period) -> dict[str, Q]:
    in_window = Q(date__gte=period.start, date__lte=period.cut)

    def fact_in_window(field):
        # Dated by the project's copy of the fact, which a move back clears and a date
        # correction moves: a claim of an undone fact stands beside no figure.
        return Q(**{f"project__{field}__gte": period.start, f"project__{field}__lte": period.cut})

    signing = Q(kind="signed") & fact_in_window("signed_on")
    starting = Q(kind="started", project__started_on__isnull=False)
    return {
        "signed_count": signing,
        "signed_investment": signing | (Q(kind="increase") & in_window),
        "started_count": starting & Q(project__started_on__lte=period.as_of) & fact_in_window("signed_on"),
        "new_started_count": starting & fact_in_window("started_on"),
        "producing_count": Q(kind="producing") & fact_in_window("producing_on"),
    }


def _pending_claims(projects: QuerySet):
    from zhaoshang.review.models import Claim

    return Claim.objects.filter(status=Claim.Status.PENDING, project__in=projects.values("pk"))


def pending(projects: QuerySet, period: Period) -> dict[str, int]:
    """How many 待认定 claims stand beside each figure of PENDING_CODES: facts of the period
    claimed and not certified yet, which the figure leaves out. One query."""
    conditions = _pending_conditions(period)
    raw = _pending_claims(projects).aggregate(**{code: Count("pk", filter=condition) for code, condition in conditions.items()})
    return {code: raw[code] or 0 for code in PENDING_CODES}


def pending_behind(code: str, projects: QuerySet, period: Period) -> QuerySet:
    """The projects with a 待认定 claim beside a figure (the drill-down's `pending=1`)."""
    if KINDS.get(code) == RATE:
        code = RATES[code][1]
    conditions = _pending_conditions(period)
    if code == "major_signed_count":
        code = "signed_count"
    if code not in conditions:
        return projects.none()
    return projects.filter(pk__in=_pending_claims(projects).filter(conditions[code]).values("project_id"))


# --- where projects came from (招商来源): leads, signings and conversion per source ----

SOURCE_FIGURES = [
    ("leads", _("线索数"), COUNT),
    ("signed_count", _("签约项目数"), COUNT),
    ("signed_investment", _("签约总投资"), AMOUNT),
    ("conversion_rate", _("线索转化率"), RATE),
    ("median_days_to_sign", _("线索到签约天数（中位数）"), COUNT),
]


def _lead_on():
    """A project's lead date: the date of its first stage fact."""
    from django.db.models import Subquery

    from zhaoshang.projects.models import StageChange

    first = StageChange.objects.filter(project=OuterRef("pk")).order_by("date", "pk").values("date")[:1]
    return Subquery(first)


def _lead_conditions(period: Period) -> dict[str, Q]:
    leads = Q(lead_on__gte=period.start, lead_on__lte=period.cut)
    return {"leads": leads, "converted": leads & Q(signed_on__lte=period.as_of)}


def by_source(projects: QuerySet, period: Period, field: str = "source__kind") -> dict:
    """The source figures for each value of `field` (the source kind, or source__trip,
    source__event, source__introducer): leads whose first fact falls in the period, the
    signing figures exactly as compute_by gives them, the share of those leads signed by the
    as-of date, and the median days from lead to signing of the projects signed in the
    period. Projects with no recorded source are grouped under None."""
    signing = compute_by(projects, period, field, arrivals=False)
    annotated = projects.annotate(lead_on=_lead_on())
    leads = annotated.order_by().values(field).annotate(
        **{name: Count("pk", filter=condition) for name, condition in _lead_conditions(period).items()}
    )
    days: dict = {}
    signed_rows = annotated.filter(_project_conditions(period)["signed_count"]).values_list(field, "lead_on", "signed_on")
    for key, lead_on, signed_on in signed_rows:
        if lead_on is not None and signed_on is not None:
            days.setdefault(key, []).append(max((signed_on - lead_on).days, 0))
    result = {}
    for row in leads:
        key = row.pop(field)
        figures = signing.get(key, {})
        if not (row["leads"] or figures.get("signed_count")):
            continue
        result[key] = {
            "leads": row["leads"],
            "signed_count": figures.get("signed_count", 0),
            "signed_investment": figures.get("signed_investment", ZERO),
            "conversion_rate": _rate(row["converted"], row["leads"]),
            "median_days_to_sign": _median(days.get(key, [])),
            "_parts": {"converted": row["converted"]},
        }
    return result


def _median(values: list[int]) -> int | None:
    if not values:
        return None
    values = sorted(values)
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return int((Decimal(values[middle - 1] + values[middle]) / 2).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def source_projects_behind(code: str, projects: QuerySet, period: Period) -> QuerySet:
    """The rows of a source figure: the leads of the period, or the signed projects."""
    if code in ("leads", "conversion_rate"):
        return projects.annotate(lead_on=_lead_on()).filter(_lead_conditions(period)["leads"])
    if code == "converted":
        return projects.annotate(lead_on=_lead_on()).filter(_lead_conditions(period)["converted"])
    if code in ("signed_count", "signed_investment", "median_days_to_sign"):
        return projects_behind("signed_count", projects, period)
    raise KeyError(f"unknown source figure: {code}")
