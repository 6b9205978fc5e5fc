"""Outbox use cases: queue notices with their audit entry, dispatch with leases, read the ledger.

Delivery guarantee: a message is claimed (leased) and committed before it is sent, and its outcome
is committed right after, in its own transaction, by the thread that sent it. A crash between the
server accepting a message and that commit leaves the message ``sending``; once the lease expires
another dispatcher sends it again with the same Message-ID. So a kill duplicates at most the
messages in flight at that moment: at most ``concurrency`` per killed dispatcher. Nothing is lost.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import digest
from breachdesk.core.clock import Clock
from breachdesk.core.delivery import (
    DeliveryState,
    LedgerRow,
    OutboxMessage,
    OutgoingMessage,
    Receipt,
    Verdict,
)
from breachdesk.core.errors import InvalidInputError
from breachdesk.services.ports import Transport, UnitOfWorkFactory

DEFAULT_LEASE = timedelta(minutes=5)


def notices_subject(incident_id: int) -> str:
    """Audit subject of an incident's queued notices."""
    return f"notices:{incident_id}"


def queue_notices(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    messages: Sequence[OutgoingMessage],
    *,
    actor: str,
) -> list[int]:
    """Queue one incident campaign's rendered messages and audit it, in one transaction."""
    if not messages:
        return []
    incident_id, campaign = messages[0].incident_id, messages[0].campaign
    if any(m.incident_id != incident_id or m.campaign != campaign for m in messages):
        raise InvalidInputError("queue one incident campaign at a time")
    at = clock.now()
    with uow_factory() as uow:
        ids = uow.outbox.enqueue(messages, at=at)
        channels = Counter(m.channel for m in messages)
        uow.audit.append(
            AuditDraft(
                at=at,
                actor=actor,
                action=AuditAction.NOTICES_QUEUED,
                subject=notices_subject(incident_id),
                incident_id=incident_id,
                details={
                    "campaign": campaign,
                    "count": len(ids),
                    "first": ids[0],
                    "last": ids[-1],
                    "channels": dict(sorted(channels.items())),
                    "content": digest([m.content_hash for m in messages]),
                    "templates": sorted({m.template_version for m in messages}),
                },
            )
        )
        uow.commit()
    return ids


class TokenBucket:
    """A thread-safe token bucket: ``take`` blocks until a token is available."""

    def __init__(
        self,
        rate: float,
        *,
        burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise InvalidInputError("rate must be positive")
        self._rate = rate
        self._burst = burst if burst is not None else max(1.0, rate / 10)
        self._tokens = self._burst
        self._monotonic, self._sleep = monotonic, sleep
        self._last = monotonic()
        self._lock = threading.Lock()

    def take(self) -> None:
        """Wait for, then consume, one token."""
        with self._lock:
            now = self._monotonic()
            self._tokens = min(self._burst, self._tokens + (now - self._last) * self._rate)
            self._last = now
            self._tokens -= 1
            wait = -self._tokens / self._rate if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)


@dataclass(frozen=True, slots=True)
class DispatchReport:
    """What one dispatch run did."""

    claimed: int
    outcomes: dict[DeliveryState, int]


def _deliver(
    uow_factory: UnitOfWorkFactory,
    transport: Transport,
    clock: Clock,
    owner: str,
    bucket: TokenBucket | None,
    message: OutboxMessage,
) -> DeliveryState:
    if bucket is not None:
        bucket.take()
    started = time.monotonic()
    try:
        receipt = transport.send(message)
    except Exception as exc:
        # The exception text may quote the address: record its type only.
        receipt = Receipt(Verdict.TEMPORARY, f"transport error: {type(exc).__name__}")
    duration = time.monotonic() - started
    with uow_factory() as uow:
        state = uow.outbox.record(
            message.id, receipt, at=clock.now(), duration=duration, owner=owner
        )
        uow.commit()
    return state


def dispatch_pending(
    uow_factory: UnitOfWorkFactory,
    transport: Transport,
    clock: Clock,
    *,
    owner: str,
    limit: int = 200,
    concurrency: int = 8,
    lease: timedelta = DEFAULT_LEASE,
    rate: float | None = None,
    max_batches: int | None = None,
) -> DispatchReport:
    """Claim due messages of the transport's channel batch by batch and send them until none is due.

    Sends happen outside any transaction, on ``concurrency`` threads; each outcome commits on its
    own. ``rate`` caps messages per second across the threads (token bucket).
    """
    bucket = TokenBucket(rate) if rate else None
    outcomes: Counter[DeliveryState] = Counter()
    claimed = batches = 0

    def deliver(message: OutboxMessage) -> DeliveryState:
        return _deliver(uow_factory, transport, clock, owner, bucket, message)

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="dispatch") as pool:
        while max_batches is None or batches < max_batches:
            with uow_factory() as uow:
                batch = uow.outbox.claim(
                    limit=limit,
                    now=clock.now(),
                    owner=owner,
                    lease=lease,
                    channel=transport.channel,
                )
                uow.commit()
            if not batch:
                break
            batches += 1
            claimed += len(batch)
            outcomes.update(pool.map(deliver, batch))
    return DispatchReport(claimed=claimed, outcomes=dict(outcomes))


def delivery_counts(uow_factory: UnitOfWorkFactory, incident_id: int) -> dict[DeliveryState, int]:
    """How many of an incident's messages are in each state."""
    with uow_factory() as uow:
        return uow.outbox.counts(incident_id)


def delivery_ledger(uow_factory: UnitOfWorkFactory, incident_id: int) -> Iterator[LedgerRow]:
    """Proof of delivery per message of an incident, streamed."""
    with uow_factory() as uow:
        yield from uow.outbox.ledger(incident_id)
