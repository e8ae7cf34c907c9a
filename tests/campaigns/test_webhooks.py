"""Notifications to a 企业微信 / 钉钉 group robot, against a local server standing in for the
service: a delivery, a failed one retried, and 钉钉's 加签 checked by the stand-in."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from zhaoshang.campaigns import actions, notifications
from zhaoshang.campaigns.models import WebhookDelivery
from zhaoshang.campaigns.tasks import deliver_webhook, webhook_retries

SECRET = "SEC0123456789abcdef"


class StandIn(BaseHTTPRequestHandler):
    """Answers like the services do: {"errcode": 0} when the message is accepted. With
    `failures` set, the first so many requests get HTTP 500; with `secret` set, a request
    whose timestamp and sign do not check out gets 钉钉's errcode 310000."""

    received: list = []
    failures = 0
    secret = ""

    def do_POST(self):  # noqa: N802 - the http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode())
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        if StandIn.failures:
            StandIn.failures -= 1
            self.send_response(500)
            self.end_headers()
            return
        answer = {"errcode": 0, "errmsg": "ok"}
        if StandIn.secret:
            timestamp = query.get("timestamp", [""])[0]
            expected = base64.b64encode(
                hmac.new(StandIn.secret.encode(), f"{timestamp}\n{StandIn.secret}".encode(), hashlib.sha256).digest()
            ).decode()
            fresh = timestamp.isdigit() and abs(time.time() * 1000 - int(timestamp)) < 3600_000
            if not fresh or query.get("sign", [""])[0] != expected:
                answer = {"errcode": 310000, "errmsg": "sign not match"}
        if answer["errcode"] == 0:
            StandIn.received.append(body)
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    StandIn.received, StandIn.failures, StandIn.secret = [], 0, ""
    httpd = HTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/robot/send?access_token=abc"
    httpd.shutdown()
    httpd.server_close()


def _broadcast(zone, django_capture_on_commit_callbacks, text="外出招商待审批：赴深圳招商"):
    with django_capture_on_commit_callbacks(execute=False):
        return notifications.broadcast(zone, notifications.TRIP_AWAITING_APPROVAL, text)


def test_it_delivers_to_a_wecom_robot_through_the_queue(zone, server, django_capture_on_commit_callbacks):
    actions.create_channel(zone=zone, name="招商群", service="wecom", url=server)
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = notifications.broadcast(zone, notifications.TRIP_AWAITING_APPROVAL, "外出招商待审批：赴深圳招商")
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SENT and delivery.attempts == 1
    assert StandIn.received == [{"msgtype": "text", "text": {"content": "外出招商待审批：赴深圳招商"}}]


def test_the_dingtalk_signature_is_checked_by_the_service(zone, server, django_capture_on_commit_callbacks):
    StandIn.secret = SECRET
    actions.create_channel(zone=zone, name="钉钉群", service="dingtalk", url=server, secret=SECRET)
    wrong = actions.create_channel(zone=zone, name="错误密钥", service="dingtalk", url=server, secret="SECwrong")
    good, bad = sorted(_broadcast(zone, django_capture_on_commit_callbacks), key=lambda d: d.channel_id != wrong.pk)[::-1]
    deliver_webhook.call(good.pk)
    deliver_webhook.call(bad.pk)
    good.refresh_from_db()
    bad.refresh_from_db()
    assert good.status == WebhookDelivery.Status.SENT
    assert bad.status == WebhookDelivery.Status.PENDING and "310000" in bad.last_error
    assert len(StandIn.received) == 1


def test_a_failed_delivery_is_retried_then_succeeds(zone, server, django_capture_on_commit_callbacks):
    StandIn.failures = 2
    actions.create_channel(zone=zone, name="招商群", service="wecom", url=server)
    with django_capture_on_commit_callbacks(execute=True):
        [delivery] = notifications.broadcast(zone, notifications.TRIP_AWAITING_APPROVAL, "外出招商待审批")
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=25)
    assert webhook_retries.call() == 0  # not due yet
    for attempts in (2, 3):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert webhook_retries.call() == 1  # the hourly sweep queues the due retry
        delivery.refresh_from_db()
        assert delivery.attempts == attempts
    assert delivery.status == WebhookDelivery.Status.SENT and delivery.next_attempt_at is None
    assert len(StandIn.received) == 1


def test_a_delivery_fails_for_good_after_the_last_attempt(zone, django_capture_on_commit_callbacks):
    actions.create_channel(zone=zone, name="失效机器人", service="wecom", url="http://127.0.0.1:9/none")
    [delivery] = _broadcast(zone, django_capture_on_commit_callbacks)
    delays = [notifications.attempt(delivery.pk) for _attempt in range(notifications.MAX_ATTEMPTS)]
    assert delays == [30, 120, 600, 1800, None]
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == notifications.MAX_ATTEMPTS
    assert deliver_webhook.call(delivery.pk) == "done" and delivery.attempts == 5  # never sent again


def test_a_keyed_message_goes_once(zone, django_capture_on_commit_callbacks):
    actions.create_channel(zone=zone, name="招商群", service="wecom", url="https://qyapi.example/cgi-bin/webhook/send?key=x")
    with django_capture_on_commit_callbacks(execute=False):
        first = notifications.broadcast(zone, notifications.TICKET_DUE_SOON, "诉求临近时限", key="ticket:1:办结:2026-06-30")
        again = notifications.broadcast(zone, notifications.TICKET_DUE_SOON, "诉求临近时限", key="ticket:1:办结:2026-06-30")
    assert len(first) == 1 and again == []


def test_a_channel_only_hears_what_it_subscribed_to(zone, django_capture_on_commit_callbacks):
    actions.create_channel(zone=zone, name="只收预警", service="wecom", url="https://qyapi.example/send?key=x", events=[notifications.WARNING_RED])
    assert _broadcast(zone, django_capture_on_commit_callbacks) == []


def test_the_robot_url_must_be_http(zone):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        actions.create_channel(zone=zone, name="x", service="wecom", url="file:///etc/passwd")
    assert "https://" in str(error.value)


def test_submitting_a_trip_tells_the_group(zone, trip, django_capture_on_commit_callbacks):
    actions.create_channel(zone=zone, name="招商群", service="wecom", url="https://qyapi.example/send?key=x")
    with django_capture_on_commit_callbacks(execute=False):
        actions.submit_trip(trip)
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == notifications.TRIP_AWAITING_APPROVAL and "赴深圳招商" in delivery.text


def test_a_light_turning_red_tells_the_group(zone, unit, make_project, django_capture_on_commit_callbacks):
    from zhaoshang.projects.tasks import check_warnings

    actions.create_channel(zone=zone, name="预警群", service="wecom", url="https://qyapi.example/send?key=x",
                           events=[notifications.WARNING_RED])
    make_project(name="久未开工项目", signed_on="2024-01-10", responsible_unit=unit)
    with django_capture_on_commit_callbacks(execute=False):
        check_warnings(today=dt.date(2026, 6, 30), zone=zone)
        check_warnings(today=dt.date(2026, 7, 1), zone=zone)  # still red: nothing new
    delivery = WebhookDelivery.objects.get()
    assert delivery.event == notifications.WARNING_RED
    assert "久未开工项目" in delivery.text and "新能源新材料专班" in delivery.text
