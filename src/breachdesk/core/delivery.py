"""Delivery vocabulary: outbox states, transport receipts, ledger rows and retry policy."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=1)


class DeliveryState(StrEnum):
    """Where one outbox message stands."""

    QUEUED = "queued"
    SENDING = "sending"
    DELIVERED = "delivered"
    DEFERRED = "deferred"
    BOUNCED = "bounced"
    FAILED = "failed"
    FALLEN_BACK = "fallen_back"


FINAL_STATES = frozenset(
    {
        DeliveryState.DELIVERED,
        DeliveryState.BOUNCED,
        DeliveryState.FAILED,
        DeliveryState.FALLEN_BACK,
    }
)


class Verdict(StrEnum):
    """What a transport learnt from the receiving side."""

    ACCEPTED = "accepted"
    TEMPORARY = "temporary"
    PERMANENT = "permanent"


@dataclass(frozen=True, slots=True)
class Fallback:
    """The next channel to try after a permanent failure, with its (secret) address."""

    channel: str
    recipient: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A rendered message to queue; every content field is PII-bearing and kept out of repr."""

    incident_id: int
    person_id: int | None
    campaign: str
    channel: str
    recipient: str = field(repr=False)
    subject: str = field(repr=False)
    body_text: str = field(repr=False)
    body_html: str | None = field(repr=False)
    content_hash: str
    template_version: str
    fallback: tuple[Fallback, ...] = ()


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A claimed message, ready for a transport."""

    id: int
    incident_id: int
    person_id: int | None
    campaign: str
    channel: str
    recipient: str = field(repr=False)
    subject: str = field(repr=False)
    body_text: str = field(repr=False)
    body_html: str | None = field(repr=False)
    content_hash: str
    template_version: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Receipt:
    """A transport's answer: verdict, server response (never the recipient) and Message-ID."""

    verdict: Verdict
    response: str
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class Attempt:
    """One delivery attempt as the ledger shows it."""

    at: datetime
    outcome: str
    server_response: str
    duration: float


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """Proof of delivery for one message: content hash, template, channel, attempts, final state."""

    outbox_id: int
    person_id: int | None
    campaign: str
    channel: str
    content_hash: str
    template_version: str
    state: DeliveryState
    message_id: str | None
    attempts: tuple[Attempt, ...]


@dataclass(frozen=True, slots=True)
class DsnTarget:
    """The outbox message a delivery status notification names, as the bounce processing sees it."""

    incident_id: int
    state: DeliveryState
    seen: bool  # this very DSN (its marker) is already in the message's attempts


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after ``attempts`` temporary failures (30 s doubling, capped at 1 h)."""
    exponent = min(max(attempts - 1, 0), 16)
    delay: timedelta = RETRY_BASE * (2**exponent)
    return min(delay, RETRY_CAP)


_MESSAGE_ID = re.compile(r"<outbox-(\d+)\.(\d+)@[^>]+>")


def parse_message_id(value: str) -> tuple[int, int] | None:
    """``(outbox id, incident id)`` of one of our Message-IDs (as quoted in a bounce), or None."""
    m = _MESSAGE_ID.search(value)
    return (int(m.group(1)), int(m.group(2))) if m else None


def message_id(outbox_id: int, incident_id: int, domain: str) -> str:
    """The Message-ID of an outbox message: stable across resends, so receivers can de-duplicate."""
    return f"<outbox-{outbox_id}.{incident_id}@{domain}>"
