"""Dispatch state machine over the in-memory fakes: backoff, fallback, leases, token bucket."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from breachdesk.core.delivery import (
    DeliveryState,
    Fallback,
    OutgoingMessage,
    Verdict,
    message_id,
    retry_delay,
)
from breachdesk.services.outbox import (
    TokenBucket,
    delivery_ledger,
    dispatch_pending,
    queue_notices,
)
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock, MemoryTransport

T0 = datetime(2026, 3, 1, tzinfo=UTC)
S = DeliveryState


def _message(i: int, **extra: object) -> OutgoingMessage:
    return OutgoingMessage(
        incident_id=1,
        person_id=i,
        campaign="c",
        channel="email",
        recipient=f"p{i}@example.org",
        subject="s",
        body_text="b",
        body_html=None,
        content_hash="h",
        template_version="t@1",
        **extra,  # type: ignore[arg-type]
    )


def test_retry_delay_doubles_and_caps() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert retry_delay(50) == timedelta(hours=1)


def test_message_id_is_stable() -> None:
    assert message_id(7, 3, "x.test") == "<outbox-7.3@x.test>"


def test_temporary_defers_permanent_falls_back_or_fails() -> None:
    uow, clock, transport = FakeUnitOfWorkFactory(), FixedClock(T0), MemoryTransport()
    queue_notices(
        uow,
        clock,
        [_message(1), _message(2), _message(3, fallback=(Fallback("sms", "+1555"),))],
        actor="a",
    )
    transport.verdicts = {"p1@example.org": Verdict.TEMPORARY}
    transport.verdicts |= {"p2@example.org": Verdict.PERMANENT, "p3@example.org": Verdict.PERMANENT}
    report = dispatch_pending(uow, transport, clock, owner="w")
    assert report.outcomes == {S.DEFERRED: 1, S.FAILED: 1, S.FALLEN_BACK: 1}
    with uow() as tx:
        assert tx.outbox.counts(1) == {S.DEFERRED: 1, S.FAILED: 1, S.FALLEN_BACK: 1, S.QUEUED: 1}
    transport.verdicts = {}
    clock.advance(timedelta(seconds=30))
    assert dispatch_pending(uow, transport, clock, owner="w").outcomes == {S.DELIVERED: 1}


def test_expired_lease_is_claimable_again() -> None:
    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0)
    queue_notices(uow, clock, [_message(1)], actor="a")
    with uow() as tx:
        claimed = tx.outbox.claim(
            limit=5, now=clock.now(), owner="dead", lease=timedelta(seconds=10), channel="email"
        )
        tx.commit()
    assert len(claimed) == 1
    transport = MemoryTransport()
    assert dispatch_pending(uow, transport, clock, owner="w").claimed == 0
    clock.advance(timedelta(seconds=11))
    assert dispatch_pending(uow, transport, clock, owner="w").outcomes == {S.DELIVERED: 1}


def test_token_bucket_waits_for_tokens() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(10.0, burst=2, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(5):
        bucket.take()
    assert slept == [0.1, 0.1, 0.1]


def test_ledger_pages_cover_every_message() -> None:
    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0)
    queue_notices(uow, clock, [_message(i) for i in range(5)], actor="a")
    dispatch_pending(uow, MemoryTransport(), clock, owner="w")
    rows = list(delivery_ledger(uow, 1, page=2))
    assert [r.outbox_id for r in rows] == [1, 2, 3, 4, 5]
    assert all(r.state is S.DELIVERED and len(r.attempts) == 1 for r in rows)
