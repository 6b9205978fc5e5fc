"""Bounce processing: delivery status notifications move delivered messages on, once each.

A permanent failure (``Action: failed``, usually 5.x.x) makes a delivered message ``bounced`` or
``fallen_back`` to the plan's next channel; a delay report (4.x.x) is logged in the ledger and
changes no state. Every DSN leaves its marker in the attempt it logs, so reading the same mailbox
again changes nothing. Each batch commits with one audit entry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import digest
from breachdesk.core.clock import Clock
from breachdesk.core.delivery import DeliveryState
from breachdesk.notify.dsn import Dsn, DsnAction, DsnError, parse_dsn
from breachdesk.services.outbox import notices_subject
from breachdesk.services.ports import UnitOfWork, UnitOfWorkFactory

DEFAULT_BATCH = 200


@dataclass(frozen=True, slots=True)
class MailItem:
    """One message read from a mailbox: where it is (never its content) and its bytes."""

    location: str
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class SkippedMail:
    """A message that could not be used, with its location and a reason quoting no content."""

    location: str
    reason: str


@dataclass(frozen=True, slots=True)
class BounceReport:
    """What one bounce run found: outcome counts and the skipped messages."""

    read: int
    outcomes: dict[str, int]  # bounced, fallen_back, delayed, recorded, duplicate, ...
    skipped: tuple[SkippedMail, ...]


def _batches(items: Iterable[MailItem], size: int) -> Iterator[list[MailItem]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class BounceService:
    """Applies DSNs read from a mailbox to one incident's outbox."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow, self._clock = uow_factory, clock

    def process(
        self,
        incident_id: int,
        items: Iterable[MailItem],
        *,
        actor: str,
        source: str,
        domain: str | None = None,
        batch: int = DEFAULT_BATCH,
        on_progress: Callable[[int], None] | None = None,
    ) -> BounceReport:
        """Parse and apply every DSN of ``items``; ``source`` (imap/mbox/maildir) is audited.

        With ``domain``, DSNs about messages whose Message-ID has another domain (another
        sender or workspace using the same mailbox) are counted as ``other_domain`` and ignored.
        """
        outcomes: Counter[str] = Counter()
        skipped: list[SkippedMail] = []
        read = 0
        for group in _batches(items, batch):
            read += len(group)
            parsed: list[tuple[str, Dsn]] = []
            for item in group:
                try:
                    parsed.append((item.location, parse_dsn(item.data)))
                except DsnError as exc:
                    skipped.append(SkippedMail(item.location, str(exc)))
            with self._uow() as uow:
                if domain is not None:
                    parsed = self._same_domain(parsed, domain.lower(), outcomes)
                applied = self._apply(uow, incident_id, parsed, outcomes, skipped)
                if applied:
                    self._audit(uow, incident_id, applied, actor=actor, source=source)
                    uow.commit()
            if on_progress is not None:
                on_progress(len(group))
        return BounceReport(read, dict(outcomes), tuple(skipped))

    @staticmethod
    def _same_domain(
        parsed: list[tuple[str, Dsn]], domain: str, outcomes: Counter[str]
    ) -> list[tuple[str, Dsn]]:
        kept = [(location, dsn) for location, dsn in parsed if dsn.domain == domain]
        if len(kept) < len(parsed):
            outcomes["other_domain"] += len(parsed) - len(kept)
        return kept

    def _apply(
        self,
        uow: UnitOfWork,
        incident_id: int,
        parsed: list[tuple[str, Dsn]],
        outcomes: Counter[str],
        skipped: list[SkippedMail],
    ) -> list[tuple[Dsn, str]]:
        """Apply one batch in the caller's transaction; returns the DSNs that changed the ledger."""
        at = self._clock.now()
        applied: list[tuple[Dsn, str]] = []
        for location, dsn in parsed:
            if dsn.incident_id != incident_id:
                outcomes["other_incident"] += 1
                continue
            target = uow.outbox.dsn_target(dsn.outbox_id, dsn.marker)
            if target is None or target.incident_id != incident_id:
                skipped.append(SkippedMail(location, f"outbox message {dsn.outbox_id} not found"))
                continue
            if target.seen:
                outcomes["duplicate"] += 1
                continue
            match dsn.action:
                case DsnAction.FAILED:
                    before = target.state
                    after = uow.outbox.bounce(dsn.outbox_id, dsn.response(), at=at)
                    outcome = after.value if before is DeliveryState.DELIVERED else "recorded"
                case DsnAction.DELAYED:
                    uow.outbox.note(dsn.outbox_id, "delayed", dsn.response(), at=at)
                    outcome = "delayed"
                case DsnAction.DELIVERED:
                    uow.outbox.note(dsn.outbox_id, "dsn_delivered", dsn.response(), at=at)
                    outcome = "delivered"
            outcomes[outcome] += 1
            applied.append((dsn, outcome))
        return applied

    def _audit(
        self,
        uow: UnitOfWork,
        incident_id: int,
        applied: list[tuple[Dsn, str]],
        *,
        actor: str,
        source: str,
    ) -> None:
        ids = [d.outbox_id for d, _ in applied]
        uow.audit.append(
            AuditDraft(
                at=self._clock.now(),
                actor=actor,
                action=AuditAction.BOUNCES_PROCESSED,
                subject=notices_subject(incident_id),
                incident_id=incident_id,
                details={
                    "source": source,
                    "count": len(applied),
                    "outcomes": dict(sorted(Counter(o for _, o in applied).items())),
                    "first": min(ids),
                    "last": max(ids),
                    "dsns": digest(sorted(d.marker for d, _ in applied)),
                },
            )
        )
