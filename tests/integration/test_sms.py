"""SMS transports against a real HTTP gateway on loopback: requests, auth, signatures, verdicts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breachdesk.adapters.gateway_sink import GatewaySink, ReceivedRequest
from breachdesk.adapters.sms import (
    TwilioOptions,
    TwilioTransport,
    WebhookSmsOptions,
    WebhookSmsTransport,
)
from breachdesk.core.delivery import DeliveryState, OutboxMessage, OutgoingMessage, Verdict
from breachdesk.services.outbox import delivery_ledger, dispatch_pending, queue_notices
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NUMBER = "+14155550123"
SECRET = b"gateway-signing-key"


def sms(
    i: int = 1, to: str = NUMBER, text: str = "Acme: a security incident. Info: x.test"
) -> OutboxMessage:
    return OutboxMessage(
        id=i,
        incident_id=7,
        person_id=i,
        campaign="c",
        channel="sms",
        recipient=to,
        subject="",
        body_text=text,
        body_html=None,
        content_hash="h",
        template_version="v",
        attempts=0,
    )


@pytest.fixture
def gateway() -> Iterator[GatewaySink]:
    with GatewaySink(secret=SECRET, now=T0.timestamp) as gw:
        yield gw


def twilio(
    gw: GatewaySink, *, token: str | None = None, sender: str = "+15005550006"
) -> TwilioTransport:
    return TwilioTransport(
        TwilioOptions(gw.account, token or gw.token, sender, base_url=gw.url, timeout=5)
    )


def test_twilio_posts_the_form_with_basic_auth(gateway: GatewaySink) -> None:
    transport = twilio(gateway)
    receipt = transport.send(sms())
    transport.close()
    assert receipt.verdict is Verdict.ACCEPTED
    (request,) = gateway.received
    assert request.path == f"/2010-04-01/Accounts/{gateway.account}/Messages.json"
    expected = base64.b64encode(f"{gateway.account}:{gateway.token}".encode()).decode()
    assert request.headers["authorization"] == f"Basic {expected}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.form() == {"To": NUMBER, "From": "+15005550006", "Body": sms().body_text}
    assert receipt.message_id is not None
    assert receipt.message_id.startswith("SM")
    assert f"sid={receipt.message_id}" in receipt.response
    assert "status=queued" in receipt.response


def test_twilio_messaging_service_sender(gateway: GatewaySink) -> None:
    transport = twilio(gateway, sender="MG1234")
    assert transport.send(sms()).verdict is Verdict.ACCEPTED
    form = gateway.received[0].form()
    assert form["MessagingServiceSid"] == "MG1234"
    assert "From" not in form


def test_twilio_refused_number_is_permanent_and_the_number_is_scrubbed() -> None:
    with GatewaySink(reject=lambda number: number == NUMBER) as gw:
        receipt = twilio(gw).send(sms())
    assert receipt.verdict is Verdict.PERMANENT
    assert gw.received[0].status == 400
    assert "code=21211" in receipt.response
    assert "4155550123" not in receipt.response
    assert "<number>" in receipt.response


def test_national_numbers_are_written_in_e164_or_refused_without_a_request(
    gateway: GatewaySink,
) -> None:
    options = TwilioOptions(gateway.account, gateway.token, "+15005550006", base_url=gateway.url)
    national = TwilioTransport(replace(options, region="US"))
    assert national.send(sms(to="(415) 555-0123")).verdict is Verdict.ACCEPTED
    assert gateway.received[0].form()["To"] == NUMBER
    unknown = TwilioTransport(options).send(sms(to="(415) 555-0123"))
    webhook = WebhookSmsTransport(WebhookSmsOptions(gateway.url, SECRET)).send(sms(to="12"))
    assert unknown.verdict is webhook.verdict is Verdict.PERMANENT
    assert unknown.response == "not a phone number that can be written in E.164"
    assert len(gateway.received) == 1


def test_twilio_refused_credentials_defer_rather_than_fall_back(gateway: GatewaySink) -> None:
    receipt = twilio(gateway, token="wrong").send(sms())
    assert receipt.verdict is Verdict.TEMPORARY
    assert receipt.response.startswith("HTTP 401")


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        (429, Verdict.TEMPORARY),
        (500, Verdict.TEMPORARY),
        (503, Verdict.TEMPORARY),
        (400, Verdict.PERMANENT),
        (410, Verdict.PERMANENT),
        (422, Verdict.PERMANENT),
    ],
)
def test_status_to_verdict(status: int, verdict: Verdict) -> None:
    with GatewaySink(secret=SECRET, respond=lambda _r: status) as gw:
        twilio_receipt = twilio(gw).send(sms())
        webhook = WebhookSmsTransport(WebhookSmsOptions(f"{gw.url}/sms", SECRET, timeout=5))
        webhook_receipt = webhook.send(sms())
    assert twilio_receipt.verdict is verdict
    assert webhook_receipt.verdict is verdict
    assert [r.status for r in gw.received] == [status, status]


def test_connections_are_reused(gateway: GatewaySink) -> None:
    transport = twilio(gateway)
    for i in range(10):
        assert transport.send(sms(i)).verdict is Verdict.ACCEPTED
    transport.close()
    assert len(gateway.received) == 10
    assert len({r.peer for r in gateway.received}) == 1


def test_webhook_signs_body_and_timestamp(gateway: GatewaySink) -> None:
    clock = FixedClock(T0)
    options = WebhookSmsOptions(f"{gateway.url}/sms", SECRET, sender="Acme", timeout=5)
    transport = WebhookSmsTransport(options, clock)
    receipt = transport.send(sms(3))
    transport.close()
    assert receipt.verdict is Verdict.ACCEPTED
    (request,) = gateway.received
    assert request.status == 202
    timestamp = request.headers["x-breachdesk-timestamp"]
    assert timestamp == str(int(T0.timestamp()))
    mac = hmac.new(SECRET, timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["x-breachdesk-signature"] == f"sha256={mac.hexdigest()}"
    assert request.headers["idempotency-key"] == "<outbox-3.7@sms.breachdesk>"
    assert request.json() == {
        "to": NUMBER,
        "from": "Acme",
        "text": sms().body_text,
        "message_id": "<outbox-3.7@sms.breachdesk>",
        "incident": 7,
    }
    assert receipt.response.startswith("HTTP 202 id=wh")


def test_webhook_wrong_key_or_stale_timestamp_is_refused(gateway: GatewaySink) -> None:
    wrong = WebhookSmsTransport(WebhookSmsOptions(f"{gateway.url}/sms", b"other", timeout=5))
    assert wrong.send(sms()).verdict is Verdict.TEMPORARY
    stale_clock = FixedClock(T0 - timedelta(minutes=10))
    stale = WebhookSmsTransport(
        WebhookSmsOptions(f"{gateway.url}/sms", SECRET, timeout=5), stale_clock
    )
    assert stale.send(sms()).verdict is Verdict.TEMPORARY
    assert [r.status for r in gateway.received] == [401, 401]


def test_rate_limited_messages_are_retried_by_the_outbox() -> None:
    """A 429 defers the message; after the backoff the dispatcher sends it again and it lands."""
    limited: set[str] = set()

    def first_is_rate_limited(request: ReceivedRequest) -> int | None:
        to = request.form().get("To", "")
        if to.endswith("1") and to not in limited:
            limited.add(to)
            return 429
        return None

    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0)
    messages = [
        OutgoingMessage(7, i, "c", "sms", f"+1415555000{i}", "", "text", None, "h", "v")
        for i in range(1, 4)
    ]
    queue_notices(uow, clock, messages, actor="a")
    with GatewaySink(respond=first_is_rate_limited) as gw:
        transport = twilio(gw)
        first = dispatch_pending(uow, transport, clock, owner="w", concurrency=2)
        clock.advance(timedelta(seconds=31))
        second = dispatch_pending(uow, transport, clock, owner="w", concurrency=2)
        transport.close()
    assert first.outcomes == {DeliveryState.DELIVERED: 2, DeliveryState.DEFERRED: 1}
    assert second.outcomes == {DeliveryState.DELIVERED: 1}
    assert sorted(r.status for r in gw.received) == [201, 201, 201, 429]
    rows = {r.person_id: r for r in delivery_ledger(uow, 7)}
    assert [a.outcome for a in rows[1].attempts] == ["temporary", "accepted"]
    assert rows[1].attempts[0].server_response.startswith("HTTP 429")
    assert rows[1].message_id is not None
    assert rows[1].message_id.startswith("SM")


def test_gateway_log_is_private_and_complete(tmp_path: Path) -> None:
    log = tmp_path / "sms.jsonl"
    with GatewaySink(log=log) as gw:
        transport = twilio(gw)
        for i in range(3):
            transport.send(sms(i))
        transport.close()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["status"] for line in lines] == [201, 201, 201]
    assert all("To=%2B14155550123" in line["body"] for line in lines)
