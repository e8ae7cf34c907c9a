"""Ticket figures per department and per category, computed in the database from the
tickets' event rows, so any past report can be made again exactly (as of a date).

For a period [start, end] and an as-of date (default: end) — facts dated after as-of did
not happen yet:

- 受理数 `received`: tickets first assigned (分派) in the period, counted for the
  department leading them as of as-of (a ticket reassigned to another department counts
  for that one); tickets sitting returned (已退回) with the bureau are left out.
- 办结数 `closed`: of those, the ones resolved (已办结 or 已评价) as of as-of; a ticket
  reopened after 不满意 is not closed until it is resolved again.
  办结率 `closed_rate` = closed ÷ received.
- 应办结数 `due`: closed, plus those still open whose time limit to solve has passed as of
  as-of (deadline < as-of).
  按期办结数 `on_time`: closed on or before the deadline in force when last resolved.
  按期办结率 `on_time_rate` = on_time ÷ due.
- 平均办结用时 `avg_working_days`: the mean working days from (re)assignment to the
  department to its last resolution, over closed tickets (workdays.py calendar).
- 满意率 `satisfaction_rate` = tickets whose latest rating as of as-of is 满意 or 基本满意
  ÷ tickets rated by then (`rated`).
Rates are Decimal fractions with four places (0.8065 → 80.65%), None with no denominator.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, BooleanField, Count, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.models import OrgUnit
from zhaoshang.tickets.models import (
    ASSIGNING_KINDS,
    CLOSED_STATUSES,
    SATISFIED_RATINGS,
    EventKind,
    Status,
    Step,
    Ticket,
    TicketCategory,
    TicketEvent,
)

RATE_PLACES = Decimal("0.0001")
DAY_PLACES = Decimal("0.01")
# The event kinds that move a ticket from one status to another.
STATUS_KINDS = (
    EventKind.REGISTER, EventKind.ASSIGN, EventKind.REASSIGN, EventKind.ACKNOWLEDGE, EventKind.RETURN,
    EventKind.RESOLVE, EventKind.RATE, EventKind.REOPEN,
)
LATEST = ("-at", "-id")

FIGURES = [
    ("received", _("受理数")),
    ("closed", _("办结数")),
    ("closed_rate", _("办结率")),
    ("due", _("应办结数")),
    ("on_time", _("按期办结数")),
    ("on_time_rate", _("按期办结率")),
    ("avg_working_days", _("平均办结用时（工作日）")),
    ("rated", _("评价数")),
    ("satisfied", _("满意数")),
    ("satisfaction_rate", _("满意率")),
]
RATES = {"closed_rate", "on_time_rate", "satisfaction_rate"}
# What each count figure means as a condition on the annotated tickets (for drill-down).
CONDITIONS = {
    "received": Q(),
    "closed": Q(status_as_of__in=CLOSED_STATUSES),
    "due": Q(status_as_of__in=CLOSED_STATUSES) | Q(status_as_of__in=(Status.ASSIGNED, Status.IN_PROGRESS), past_solve_due=True),
    "on_time": Q(status_as_of__in=CLOSED_STATUSES, resolved_on_time=True),
    "rated": Q(rating_as_of__gt=""),
    "satisfied": Q(rating_as_of__in=SATISFIED_RATINGS),
}
# The rows behind each rate are those of its numerator's denominator.
ROWS_OF = {"closed_rate": "received", "on_time_rate": "due", "avg_working_days": "closed", "satisfaction_rate": "rated"}


def _rate(numerator, denominator) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator or 0) / Decimal(denominator)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _state_as_of(tickets: QuerySet, as_of: dt.date) -> QuerySet:
    """Each ticket's state as of `as_of`, from its events dated until then: `dept` (the
    department leading it), `first_assigned_on`, `status_as_of`, `ack_due_as_of`,
    `solve_due_as_of`, `resolved_on_time`, `resolve_days`, `rating_as_of`."""
    events = TicketEvent.objects.filter(ticket=OuterRef("pk"), date__lte=as_of)
    assigning = events.filter(kind__in=ASSIGNING_KINDS)
    resolving = events.filter(kind=EventKind.RESOLVE).order_by(*LATEST)
    return tickets.annotate(
        first_assigned_on=Subquery(assigning.order_by("at", "id").values("date")[:1]),
        dept=Subquery(assigning.order_by(*LATEST).values("department")[:1]),
        status_as_of=Subquery(events.filter(kind__in=STATUS_KINDS).order_by(*LATEST).values("status_after")[:1]),
        ack_due_as_of=Subquery(events.filter(ack_due__isnull=False).order_by(*LATEST).values("ack_due")[:1]),
        solve_due_as_of=Subquery(events.filter(solve_due__isnull=False).order_by(*LATEST).values("solve_due")[:1]),
        resolved_on_time=Subquery(resolving.values("on_time")[:1]),
        resolve_days=Subquery(resolving.values("working_days")[:1]),
        rating_as_of=Subquery(events.filter(kind=EventKind.RATE).order_by(*LATEST).values("rating")[:1]),
    )


def annotated(zone, start: dt.date, end: dt.date, as_of: dt.date | None = None, projects: QuerySet | None = None) -> QuerySet:
    """The zone's tickets first assigned in [start, end], each annotated with its state as of
    `as_of` (see _state_as_of) and `past_solve_due` (its deadline to solve passed by then)."""
    as_of = as_of or end
    if start > end:
        raise ValueError("start must not be after end")
    tickets = Ticket.objects.filter(zone=zone)
    if projects is not None:
        tickets = tickets.filter(project__in=projects)
    tickets = _state_as_of(tickets, as_of).annotate(
        past_solve_due=ExpressionWrapper(Q(solve_due_as_of__lt=as_of), output_field=BooleanField()),
    )
    return tickets.filter(first_assigned_on__gte=start, first_assigned_on__lte=end).exclude(status_as_of=Status.RETURNED)


def overdue_as_of(zone, as_of: dt.date, departments=None) -> list[dict]:
    """The zone's tickets overdue as of `as_of`: the rule of the overdue list
    (selectors.overdue_condition) applied to each ticket's state on that day, so a past
    period's answer does not change when a ticket is later acknowledged, resolved or
    reopened. Each is charged to the department leading it on that day (only those in
    `departments`, ids, when given). Rows, the most overdue first: {"ticket", "department_id",
    "step" (Step value), "due" (the deadline missed), "solve_due", "days_overdue"}."""
    from zhaoshang.tickets.selectors import overdue_condition

    tickets = _state_as_of(Ticket.objects.filter(zone=zone, raised_on__lte=as_of), as_of)
    tickets = tickets.filter(overdue_condition(as_of, "status_as_of", "ack_due_as_of", "solve_due_as_of"))
    if departments is not None:
        tickets = tickets.filter(dept__in=[getattr(d, "pk", d) for d in departments])
    rows = []
    for ticket in tickets.select_related("project"):
        if ticket.status_as_of == Status.ASSIGNED and ticket.ack_due_as_of and ticket.ack_due_as_of < as_of:
            step, due = Step.ACKNOWLEDGE, ticket.ack_due_as_of
        else:
            step, due = Step.SOLVE, ticket.solve_due_as_of
        rows.append({"ticket": ticket, "department_id": ticket.dept, "step": step, "due": due,
                     "solve_due": ticket.solve_due_as_of, "days_overdue": (as_of - due).days})
    rows.sort(key=lambda row: (row["due"], row["ticket"].code))
    return rows


def _aggregate(tickets: QuerySet, key: str) -> dict:
    rows = (
        tickets.order_by()
        .values(key)
        .annotate(
            received=Count("pk"),
            closed=Count("pk", filter=CONDITIONS["closed"]),
            due=Count("pk", filter=CONDITIONS["due"]),
            on_time=Count("pk", filter=CONDITIONS["on_time"]),
            rated=Count("pk", filter=CONDITIONS["rated"]),
            satisfied=Count("pk", filter=CONDITIONS["satisfied"]),
            avg_days=Avg("resolve_days", filter=CONDITIONS["closed"]),
        )
    )
    return {row[key]: row for row in rows}


def _finish(row: dict | None) -> dict:
    row = row or {}
    counts = {name: row.get(name) or 0 for name in ("received", "closed", "due", "on_time", "rated", "satisfied")}
    avg = row.get("avg_days")
    return {
        **counts,
        "closed_rate": _rate(counts["closed"], counts["received"]),
        "on_time_rate": _rate(counts["on_time"], counts["due"]),
        "avg_working_days": None if avg is None else Decimal(str(avg)).quantize(DAY_PLACES, rounding=ROUND_HALF_UP),
        "satisfaction_rate": _rate(counts["satisfied"], counts["rated"]),
    }


def department_figures(zone, start: dt.date, end: dt.date, as_of: dt.date | None = None,
                       projects: QuerySet | None = None) -> dict[int, dict]:
    """{department unit id: figures} for every department of the zone (zeros and None
    rates for a department that received nothing)."""
    rows = _aggregate(annotated(zone, start, end, as_of, projects), "dept")
    departments = list(OrgUnit.objects.filter(zone=zone, kind=OrgUnit.Kind.DEPARTMENT).values_list("pk", flat=True))
    ids = departments + [pk for pk in rows if pk is not None and pk not in set(departments)]
    return {pk: _finish(rows.get(pk)) for pk in ids}


def category_figures(zone, start: dt.date, end: dt.date, as_of: dt.date | None = None,
                     projects: QuerySet | None = None) -> dict[int, dict]:
    """{category id: figures} for every category of the zone."""
    rows = _aggregate(annotated(zone, start, end, as_of, projects), "category_id")
    categories = TicketCategory.objects.filter(zone=zone).values_list("pk", flat=True)
    return {pk: _finish(rows.get(pk)) for pk in categories}


def zone_figures(zone, start: dt.date, end: dt.date, as_of: dt.date | None = None,
                 projects: QuerySet | None = None) -> dict:
    tickets = annotated(zone, start, end, as_of, projects)
    row = tickets.aggregate(
        received=Count("pk"),
        closed=Count("pk", filter=CONDITIONS["closed"]),
        due=Count("pk", filter=CONDITIONS["due"]),
        on_time=Count("pk", filter=CONDITIONS["on_time"]),
        rated=Count("pk", filter=CONDITIONS["rated"]),
        satisfied=Count("pk", filter=CONDITIONS["satisfied"]),
        avg_days=Avg("resolve_days", filter=CONDITIONS["closed"]),
    )
    return _finish(row)


def tickets_behind(figure: str, zone, start: dt.date, end: dt.date, as_of: dt.date | None = None, *,
                   department=None, category=None, projects: QuerySet | None = None) -> QuerySet:
    """The tickets a figure counts (for a rate, those of its denominator)."""
    code = ROWS_OF.get(figure, figure)
    if code not in CONDITIONS:
        raise ValueError(f"unknown ticket figure {figure!r}")
    tickets = annotated(zone, start, end, as_of, projects).filter(CONDITIONS[code])
    if department is not None:
        tickets = tickets.filter(dept=getattr(department, "pk", department))
    if category is not None:
        tickets = tickets.filter(category_id=getattr(category, "pk", category))
    return Ticket.objects.filter(pk__in=tickets.values("pk"))
