"""The platform's notifications sent to where people already are: a 企业微信 or 钉钉 group
robot, through the webhook URL the group gives.

A message becomes one WebhookDelivery row per subscribed channel (the delivery log); the
task queue sends it and retries a failed send with a growing delay, up to MAX_ATTEMPTS.
钉钉 robots with the 加签 security setting get `timestamp` and `sign` (HMAC-SHA256 of
"timestamp\\nsecret", Base64) added to the URL; 企业微信 robots carry their key in the URL.
"""

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhaoshang.campaigns.models import WebhookChannel, WebhookDelivery

logger = logging.getLogger(__name__)

TICKET_ASSIGNED = "ticket_assigned"
TICKET_DUE_SOON = "ticket_due_soon"
WARNING_RED = "warning_red"
TRIP_AWAITING_APPROVAL = "trip_awaiting_approval"
EVENTS = {
    TICKET_ASSIGNED: _("诉求分派"),
    TICKET_DUE_SOON: _("诉求临近时限或逾期"),
    WARNING_RED: _("项目预警转红"),
    TRIP_AWAITING_APPROVAL: _("外出招商待审批"),
}

MAX_ATTEMPTS = 5
TIMEOUT_SECONDS = 10
# Seconds to wait before attempt n+1 (after n failures).
RETRY_DELAYS = [30, 120, 600, 1800]


def broadcast(zone, event: str, text: str, key: str = "") -> list[WebhookDelivery]:
    """Queue `text` for every active channel of the zone subscribed to `event`. With a
    `key`, a channel gets the message once, however often it is broadcast."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event: {event}")
    deliveries = []
    for channel in WebhookChannel.objects.filter(zone=zone, is_active=True):
        if event not in channel.events:
            continue
        if key and WebhookDelivery.objects.filter(channel=channel, key=key).exists():
            continue
        try:
            with transaction.atomic():
                deliveries.append(WebhookDelivery.objects.create(channel=channel, event=event, text=text[:2000], key=key))
        except IntegrityError:  # the same key broadcast at the same moment elsewhere
            continue
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))
    return deliveries


def _enqueue(delivery_id: int) -> None:
    from zhaoshang.campaigns.tasks import deliver_webhook

    deliver_webhook.enqueue(delivery_id)


def schedule_retry(delivery_id: int, delay_seconds: int) -> None:
    """Queue the next attempt after the delay where the queue defers jobs (the database
    backend); otherwise the hourly sweep (queue_due_retries) sends it once it is due."""
    from zhaoshang.campaigns.tasks import deliver_webhook

    if deliver_webhook.get_backend().supports_defer:
        run_after = timezone.now() + dt.timedelta(seconds=delay_seconds)
        deliver_webhook.using(run_after=run_after).enqueue(delivery_id)


def queue_due_retries(now: dt.datetime) -> int:
    due = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, attempts__gt=0, next_attempt_at__lte=now)
    count = 0
    for pk in due.values_list("pk", flat=True):
        _enqueue(pk)
        count += 1
    return count


def signed_url(channel: WebhookChannel, now_ms: int | None = None) -> str:
    """The URL to post to: 钉钉's 加签 adds timestamp and sign when the channel has a secret."""
    if channel.service != WebhookChannel.Service.DINGTALK or not channel.secret:
        return channel.url
    timestamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(channel.secret.encode(), f"{timestamp}\n{channel.secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest).decode())
    separator = "&" if "?" in channel.url else "?"
    return f"{channel.url}{separator}timestamp={timestamp}&sign={sign}"


def payload(text: str) -> bytes:
    """Both services take the same plain-text message body."""
    return json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()


def _post(url: str, body: bytes) -> None:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - the zone's own robot URL
        answer = json.loads(response.read().decode() or "{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def attempt(delivery_id: int) -> int | None:
    """Send one delivery once. Returns the seconds to wait before retrying, or None when
    it is done (sent, failed for good, or not pending)."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("channel").filter(pk=delivery_id).first()
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return None
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    try:
        _post(signed_url(delivery.channel), payload(delivery.text))
    except (urllib.error.URLError, OSError, ValueError, RuntimeError) as error:
        delivery.last_error = str(error)[:300]
        delay = RETRY_DELAYS[min(delivery.attempts - 1, len(RETRY_DELAYS) - 1)] if delivery.attempts < MAX_ATTEMPTS else None
        if delay is None:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
        else:
            delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
        delivery.save(update_fields=["last_error", "status", "next_attempt_at"])
        logger.warning("webhook delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
        return delay
    delivery.status, delivery.sent_at, delivery.last_error = WebhookDelivery.Status.SENT, timezone.now(), ""
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "sent_at", "last_error", "next_attempt_at"])
    return None


def tickets_due_soon(today: dt.date | None = None, zone=None) -> int:
    """A daily job: tell the groups of each ticket whose step is due today or tomorrow, or
    overdue, once per ticket, step and due date."""
    from zhaoshang.tickets.models import OPEN_STATUSES, Ticket

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=1)
    with_robots = WebhookChannel.objects.filter(is_active=True).values("zone_id")
    tickets = Ticket.objects.filter(status__in=OPEN_STATUSES, zone_id__in=with_robots).select_related("zone", "lead_department")
    if zone is not None:
        tickets = tickets.filter(zone=zone)
    sent = 0
    for ticket in tickets:
        for label, due, done in (
            (_("受理"), ticket.ack_due, ticket.acknowledged_on),
            (_("办结"), ticket.solve_due, ticket.resolved_on),
        ):
            if due is None or done is not None or due > horizon:
                continue
            word = _("已逾期") if due < today else _("临近时限")
            text = _("诉求%(step)s%(word)s：%(code)s %(title)s（%(department)s，时限 %(due)s）") % {
                "step": label, "word": word, "code": ticket.code, "title": ticket.title,
                "department": ticket.lead_department or "—", "due": due.isoformat(),
            }
            sent += len(broadcast(ticket.zone, TICKET_DUE_SOON, str(text), key=f"ticket:{ticket.pk}:{label}:{due}"))
    return sent
