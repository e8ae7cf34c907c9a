"""Background jobs of the campaigns area: sending a notification to a group robot (retried
with a growing delay), the sweep that picks up deliveries whose retry is due, and the
daily reminder of tickets near or past their deadline."""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from zhaoshang.campaigns import notifications
from zhaoshang.core.queue import periodic


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a delivery; a failure that may be retried is queued again after its
    delay where the queue can defer a job, else the hourly sweep picks it up when due."""
    delay = notifications.attempt(delivery_id)
    if delay is not None:
        notifications.schedule_retry(delivery_id, delay)
    return "retry" if delay is not None else "done"


@periodic(every="hourly", at=dt.time(0, 5), name="campaigns.webhook_retries")
@task()
def webhook_retries() -> int:
    """Queue the deliveries whose retry is due (after a worker restart, or where the queue
    cannot defer jobs)."""
    return notifications.queue_due_retries(timezone.now())


@periodic(every="daily", at=dt.time(8, 0), name="campaigns.tickets_due_soon")
@task()
def tickets_due_soon() -> int:
    return notifications.tickets_due_soon(timezone.localdate())
