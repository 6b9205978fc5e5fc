"""Outbox use cases: queue notices with their audit entry, dispatch with leases, read the ledger.

Delivery guarantee: a message is claimed (leased) and committed before it is sent, and its outcome
is committed right after by the dispatcher's recorder thread. A crash between the server accepting
a message and that commit leaves the message ``sending``; once the lease expires another dispatcher
sends it again with the same Message-ID. So a kill duplicates at most the messages in flight then:
one per sending thread plus those waiting for their commit, ``concurrency + 2 * record_batch``
(``crash_bound``) per killed dispatcher. Nothing is lost: an unsent claimed message is re-claimed.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

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
from breachdesk.services.ports import Transport, UnitOfWork, UnitOfWorkFactory

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
    with uow_factory() as uow:
        ids = queue_in(uow, clock.now(), messages, actor=actor)
        uow.commit()
    return ids


def queue_in(
    uow: UnitOfWork,
    at: datetime,
    messages: Sequence[OutgoingMessage],
    *,
    actor: str,
    details: Mapping[str, object] | None = None,
) -> list[int]:
    """Queue one incident campaign's messages with their audit entry in the caller's transaction."""
    if not messages:
        return []
    incident_id, campaign = messages[0].incident_id, messages[0].campaign
    if any(m.incident_id != incident_id or m.campaign != campaign for m in messages):
        raise InvalidInputError("queue one incident campaign at a time")
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
                **(details or {}),
            },
        )
    )
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


_Sent = tuple[OutboxMessage, Receipt, float]


class _Recorder:
    """Commits outcomes on one thread, grouping those that are waiting into one transaction.

    The queue is bounded, so at most ``2 * batch`` sent messages wait for their commit.
    """

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, owner: str, batch: int):
        self._uow, self._clock, self._owner, self._batch = uow_factory, clock, owner, batch
        self._queue: queue.Queue[_Sent | None] = queue.Queue(maxsize=batch)
        self.outcomes: Counter[DeliveryState] = Counter()
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dispatch-recorder", daemon=True)
        self._thread.start()

    def put(self, sent: _Sent) -> None:
        """Hand over one sent message (blocks while the queue is full)."""
        self._queue.put(sent)

    def close(self) -> None:
        """Commit what is left and stop; re-raise a recording failure."""
        self._queue.put(None)
        self._thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        done = False
        while not done:
            group: list[_Sent] = []
            item = self._queue.get()
            while item is not None:
                group.append(item)
                if len(group) >= self._batch or self._queue.empty():
                    break
                item = self._queue.get()
            done = item is None
            if group and self.error is None:
                try:
                    self._commit(group)
                except BaseException as exc:  # keep draining so senders never block
                    self.error = exc

    def _commit(self, group: list[_Sent]) -> None:
        with self._uow() as uow:
            at = self._clock.now()
            outcomes = [(m.id, r, d) for m, r, d in group]
            states = uow.outbox.record_many(outcomes, at=at, owner=self._owner)
            uow.commit()
        self.outcomes.update(states)


def _send(transport: Transport, bucket: TokenBucket | None, message: OutboxMessage) -> _Sent:
    if bucket is not None:
        bucket.take()
    started = time.monotonic()
    try:
        receipt = transport.send(message)
    except Exception as exc:
        # The exception text may quote the address: record its type only.
        receipt = Receipt(Verdict.TEMPORARY, f"transport error: {type(exc).__name__}")
    return message, receipt, time.monotonic() - started


def crash_bound(concurrency: int, record_batch: int) -> int:
    """Most messages a killed dispatcher can have sent without committing their outcome."""
    return concurrency + 2 * record_batch


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
    record_batch: int = 1,
    max_batches: int | None = None,
) -> DispatchReport:
    """Claim due messages of the transport's channel batch by batch and send them until none is due.

    Sends happen outside any transaction, on ``concurrency`` threads; outcomes commit on a recorder
    thread, up to ``record_batch`` per transaction. ``rate`` caps messages per second (token
    bucket). A kill re-sends at most ``crash_bound(concurrency, record_batch)`` messages.
    """
    bucket = TokenBucket(rate) if rate else None
    recorder = _Recorder(uow_factory, clock, owner, record_batch)
    claimed = batches = 0

    def send(message: OutboxMessage) -> None:
        recorder.put(_send(transport, bucket, message))

    try:
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="dispatch") as pool:
            while (max_batches is None or batches < max_batches) and recorder.error is None:
                with uow_factory() as uow:
                    now, channel = clock.now(), transport.channel
                    batch = uow.outbox.claim(
                        limit=limit, now=now, owner=owner, lease=lease, channel=channel
                    )
                    uow.commit()
                if not batch:
                    break
                batches += 1
                claimed += len(batch)
                list(pool.map(send, batch))
    finally:
        recorder.close()
    return DispatchReport(claimed=claimed, outcomes=dict(recorder.outcomes))


def delivery_counts(uow_factory: UnitOfWorkFactory, incident_id: int) -> dict[DeliveryState, int]:
    """How many of an incident's messages are in each state."""
    with uow_factory() as uow:
        return uow.outbox.counts(incident_id)


def delivery_ledger(
    uow_factory: UnitOfWorkFactory, incident_id: int, *, page: int = 2_000
) -> Iterator[LedgerRow]:
    """Proof of delivery per message of an incident, streamed a page per short transaction.

    Short transactions keep dispatchers running meanwhile (SQLite has one writer at a time).
    """
    after = 0
    while True:
        with uow_factory() as uow:
            rows = uow.outbox.ledger(incident_id, after=after, limit=page)
        if not rows:
            return
        yield from rows
        after = rows[-1].outbox_id
