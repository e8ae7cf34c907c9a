from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "zhaoshang.tickets"
    label = "tickets"
    verbose_name = _("入企服务")

    def ready(self):
        from django.db.models.signals import post_save

        from zhaoshang.core.changelog import track
        from zhaoshang.core.models import Zone
        from zhaoshang.projects.models import add_project_rule
        from zhaoshang.tickets import actions
        from zhaoshang.tickets.models import (
            Ticket,
            TicketAttachment,
            TicketCategory,
            TicketEvent,
            TimeLimit,
            WorkCalendarDay,
            department_projects,
        )

        # A new zone gets the default ticket categories.
        post_save.connect(actions.seed_zone_on_create, sender=Zone, dispatch_uid="tickets_seed_zone")

        # A department user reads the projects of the tickets it leads or co-handles.
        add_project_rule(department_projects)

        # The change log. TicketEvent rows are the ticket's own history, but a note (办理意见)
        # lives only there: the audit trail needs it too.
        track(Ticket, exclude=["ack_overdue_notified", "solve_overdue_notified"])
        track(TicketCategory)
        track(TimeLimit)
        track(WorkCalendarDay)
        track(TicketAttachment, parent="ticket", zone=lambda attachment: attachment.ticket.zone_id)
        track(TicketEvent, parent="ticket", zone=lambda event: event.ticket.zone_id)
