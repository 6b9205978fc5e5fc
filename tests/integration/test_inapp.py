"""In-app notices: signed webhooks to a real HTTP application on loopback that checks them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from breachdesk.adapters.gateway_sink import GatewaySink, ReceivedRequest
from breachdesk.adapters.inapp import InAppOptions, InAppTransport
from breachdesk.adapters.webhook import verify_signature
from breachdesk.core.delivery import DeliveryState, OutboxMessage, OutgoingMessage, Verdict
from breachdesk.services.outbox import delivery_ledger, dispatch_pending, queue_notices
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = b"app-shared-secret"


def notice(i: int = 1, ref: str = "acct-42") -> OutboxMessage:
    return OutboxMessage(
        id=i,
        incident_id=9,
        person_id=i,
        campaign="c",
        channel="in_app",
        recipient=ref,
        subject="Notice of a data incident",
        body_text="Your e-mail address was exposed.",
        body_html="<p>Your e-mail address was exposed.</p>",
        content_hash="h",
        template_version="v",
        attempts=0,
    )


def test_posts_the_notice_signed() -> None:
    with GatewaySink(secret=SECRET, now=T0.timestamp) as app:
        transport = InAppTransport(InAppOptions(f"{app.url}/api/notices", SECRET), FixedClock(T0))
        receipt = transport.send(notice(5))
        transport.close()
    assert receipt.verdict is Verdict.ACCEPTED
    (request,) = app.received
    assert request.path == "/api/notices"
    assert request.status == 202
    assert verify_signature(
        SECRET,
        request.headers["x-breachdesk-timestamp"],
        request.body,
        request.headers["x-breachdesk-signature"],
        now=T0.timestamp(),
    )
    assert not verify_signature(
        b"another",
        request.headers["x-breachdesk-timestamp"],
        request.body,
        request.headers["x-breachdesk-signature"],
        now=T0.timestamp(),
    )
    assert request.json() == {
        "person_ref": "acct-42",
        "incident": 9,
        "subject": "Notice of a data incident",
        "text": "Your e-mail address was exposed.",
        "html": "<p>Your e-mail address was exposed.</p>",
        "message_id": "<outbox-5.9@127.0.0.1>",
    }
    assert receipt.message_id == "<outbox-5.9@127.0.0.1>"


def test_a_tampered_body_fails_verification() -> None:
    with GatewaySink(secret=SECRET, now=T0.timestamp) as app:
        InAppTransport(InAppOptions(app.url, SECRET), FixedClock(T0)).send(notice())
    request = app.received[0]
    tampered = request.body.replace(b"acct-42", b"acct-43")
    assert not verify_signature(
        SECRET,
        request.headers["x-breachdesk-timestamp"],
        tampered,
        request.headers["x-breachdesk-signature"],
        now=T0.timestamp(),
    )


def test_server_errors_are_retried_client_errors_are_permanent() -> None:
    answers = {"acct-1": [503, 500], "acct-2": [400]}

    def scripted(request: ReceivedRequest) -> int | None:
        queue = answers.get(request.json()["person_ref"], [])
        return queue.pop(0) if queue else None

    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0)
    messages = [
        OutgoingMessage(9, i, "c", "in_app", f"acct-{i}", "s", "t", "<p>t</p>", "h", "v")
        for i in (1, 2, 3)
    ]
    queue_notices(uow, clock, messages, actor="a")
    with GatewaySink(secret=SECRET, respond=scripted, now=T0.timestamp) as app:
        transport = InAppTransport(InAppOptions(app.url, SECRET), clock)
        runs = [dispatch_pending(uow, transport, clock, owner="w").outcomes]
        for delay in (31, 61):
            clock.advance(timedelta(seconds=delay))
            runs.append(dispatch_pending(uow, transport, clock, owner="w").outcomes)
        transport.close()
    S = DeliveryState
    assert runs == [
        {S.DELIVERED: 1, S.DEFERRED: 1, S.FAILED: 1},
        {S.DEFERRED: 1},
        {S.DELIVERED: 1},
    ]
    states = {r.person_id: r.state for r in delivery_ledger(uow, 9)}
    assert states == {1: S.DELIVERED, 2: S.FAILED, 3: S.DELIVERED}


def test_the_application_down_is_temporary() -> None:
    with GatewaySink(secret=SECRET) as app:
        url = app.url
    receipt = InAppTransport(InAppOptions(url, SECRET, timeout=2)).send(notice())
    assert receipt.verdict is Verdict.TEMPORARY
    assert receipt.response == "no answer: connection failed"
