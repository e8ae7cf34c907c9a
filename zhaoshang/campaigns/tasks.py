"""Background jobs of the campaigns area: sending a notification to a group robot, with
retries, and the daily reminder of tickets near or past their deadline."""

import datetime as dt

from django.utils import timezone

from zhaoshang.campaigns import notifications


def deliver_webhook_now(delivery_id: int) -> int | None:
    """Send one delivery; when it failed and may be retried, queue the retry after the
    delay. Returns that delay (seconds) or None."""
    delay = notifications.attempt(delivery_id)
    if delay is not None:
        notifications._enqueue(delivery_id, delay)
    return delay


class _Queue:
    """Stand-in until the task queue lands: runs the job at once (no retry delay)."""

    def enqueue(self, delivery_id: int, delay_seconds: int = 0):
        if delay_seconds:
            return None
        return deliver_webhook_now(delivery_id)


deliver_webhook = _Queue()


def tickets_due_soon_daily(today: dt.date | None = None) -> int:
    return notifications.tickets_due_soon(today or timezone.localdate())
