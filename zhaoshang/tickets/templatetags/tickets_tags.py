from django import template
from django.utils import timezone

from zhaoshang.tickets import actions, selectors
from zhaoshang.tickets.models import Ticket

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.unread_count(user) if user is not None else 0


@register.inclusion_tag("tickets/_project_tickets.html", takes_context=True)
def project_tickets(context, project, follow_up=None):
    """The tickets of a project the viewer may see, and the button to raise one."""
    request = context.get("request")
    user = request.user
    today = timezone.localdate()
    tickets = selectors.with_overdue(
        Ticket.objects.visible_to(user).filter(project=project).select_related("category", "lead_department"), today
    ).order_by("-raised_on", "-id")[:20]
    can_raise = actions.can_raise(user, project.zone, project)
    return {
        "project": project,
        "follow_up": follow_up,
        "follow_ups": project.follow_ups.order_by("-date", "-id")[:5] if can_raise else [],
        "tickets": tickets,
        "can_raise": can_raise,
        "request": request,
    }


@register.filter
def status_badge(status: str) -> str:
    return {
        "registered": "text-bg-secondary",
        "assigned": "text-bg-warning",
        "in_progress": "text-bg-primary",
        "returned": "text-bg-danger",
        "resolved": "text-bg-success",
        "rated": "text-bg-light",
    }.get(status, "text-bg-light")
