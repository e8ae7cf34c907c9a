"""Reads over tickets that are more than a filter: overdue detection and the list orders."""

import datetime as dt

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from zhaoshang.tickets.models import EventKind, Notification, Status, Ticket, TicketEvent


def overdue_condition(today: dt.date, status: str = "status", ack_due: str = "ack_due", solve_due: str = "solve_due") -> Q:
    """THE rule of an overdue ticket: it waits for 受理 past its deadline to acknowledge, or
    is assigned / in progress past its deadline to solve (returned tickets wait for the
    bureau, not the clock; registered and resolved ones are not timed). By default on the
    ticket's current fields; figures.overdue_as_of applies it to the fields as of a past
    date (annotations named by `status`, `ack_due`, `solve_due`). Ticket.overdue_steps is
    the same rule on one ticket in memory."""
    return Q(**{status: Status.ASSIGNED, f"{ack_due}__lt": today}) | Q(
        **{f"{status}__in": (Status.ASSIGNED, Status.IN_PROGRESS), f"{solve_due}__lt": today}
    )


def overdue_tickets(tickets: QuerySet, today: dt.date | None = None) -> QuerySet:
    return tickets.filter(overdue_condition(today or timezone.localdate()))


def with_overdue(tickets: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Annotate `is_overdue` (used to put overdue tickets first and flag them)."""
    today = today or timezone.localdate()
    return tickets.annotate(
        is_overdue=Case(When(overdue_condition(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


STATUS_ORDER = Case(
    When(status=Status.RETURNED, then=Value(0)),
    When(status=Status.REGISTERED, then=Value(1)),
    When(status=Status.ASSIGNED, then=Value(2)),
    When(status=Status.IN_PROGRESS, then=Value(3)),
    When(status=Status.RESOLVED, then=Value(4)),
    default=Value(5),
)


def overview(tickets: QuerySet, today: dt.date | None = None) -> QuerySet:
    """Overdue first, then what waits for someone (returned, to assign, to acknowledge, in
    progress, to rate), the earliest deadline first."""
    return (
        with_overdue(tickets, today)
        .annotate(status_order=STATUS_ORDER)
        .select_related("category", "lead_department", "project", "enterprise")
        .order_by("-is_overdue", "status_order", "solve_due", "-raised_on", "-id")
    )


def status_counts(tickets: QuerySet, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    counts = tickets.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_condition(today)),
        **{status.value: Count("pk", filter=Q(status=status)) for status in Status},
    )
    return counts


def history(ticket: Ticket) -> QuerySet:
    return ticket.events.select_related("actor", "department").order_by("at", "id")


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def has_overdue_notice(ticket: Ticket) -> bool:
    return TicketEvent.objects.filter(ticket=ticket, kind=EventKind.OVERDUE).exists()


def projects_with_open_tickets(projects: QuerySet) -> QuerySet:
    return projects.annotate(
        has_open_ticket=Exists(Ticket.objects.filter(project=OuterRef("pk"), status__in=(
            Status.REGISTERED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RETURNED)))
    )
