"""Background jobs of the service tickets: the daily overdue check and notification e-mail."""

import datetime as dt
import logging

from django.core.mail import send_mass_mail
from django_tasks import task

from zhaoshang.core.queue import periodic

logger = logging.getLogger(__name__)


@periodic(every="daily", at=dt.time(7, 0), name="tickets.overdue_check")
@task()
def overdue_check() -> int:
    """Flag the steps that went overdue (each once), as `zhaoshang ticket_overdue` does."""
    from zhaoshang.tickets.actions import notify_overdue

    return len(notify_overdue())


@task()
def send_mails(mails: list) -> int:
    """E-mail for bell notifications, sent by a worker so that a slow or absent mail server
    never holds up the step that caused them."""
    try:
        return send_mass_mail([tuple(mail) for mail in mails], fail_silently=False)
    except Exception:  # a mail server outage must not fail the job again and again; the bell still has it
        logger.exception("ticket notification e-mail failed")
        return 0
