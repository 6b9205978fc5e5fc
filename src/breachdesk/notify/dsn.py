"""Delivery status notifications (RFC 3464 multipart/report): which of our messages, what happened.

Pure: bytes in, a ``Dsn`` or a ``DsnError`` out. The original message is found through the
Message-ID quoted in the returned message (``message/rfc822``) or its headers
(``text/rfc822-headers``); the outbox id is in that Message-ID.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import Message
from email.parser import BytesHeaderParser
from enum import StrEnum

from breachdesk.core.delivery import parse_message_id

_DOMAIN = re.compile(r"<outbox-\d+\.\d+@([^>\s]+)>")
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
_ADDRESS = re.compile(r"[^\s<>\"';:]+@[^\s<>\"';:]+")
_QUOTED = re.compile(r'"[^"]*"')  # Postfix quotes the local part: unknown user: "jane"


class DsnError(Exception):
    """The message is not a delivery status notification we can use (reason names no value)."""


class DsnAction(StrEnum):
    """What a DSN says about one of our messages, reduced to what the outbox needs."""

    FAILED = "failed"  # permanent: the receiving side gave up (bounce)
    DELAYED = "delayed"  # temporary: still being retried
    DELIVERED = "delivered"  # delivered, relayed or expanded: nothing to do


@dataclass(frozen=True, slots=True)
class Dsn:
    """One parsed DSN: our message it reports on, the verdict and a marker unique to this DSN."""

    outbox_id: int
    incident_id: int
    domain: str  # right-hand side of the original Message-ID (which sender wrote it)
    action: DsnAction
    status: str  # "5.1.1"; "" when the report gives none
    diagnostic: str  # server text with addresses removed, safe to store and show
    marker: str  # "dsn:<16 hex>" from the DSN's own Message-ID (or bytes): the same DSN twice

    def response(self) -> str:
        """The text the ledger records for this DSN (marker first, so it can be found again)."""
        return f"{self.marker} {self.action.value} {self.status} {self.diagnostic}".strip()[:1000]


def _marker(msg: Message, data: bytes) -> str:
    own = str(msg.get("Message-ID", "")).strip()
    basis = own.encode() if own else data
    return "dsn:" + hashlib.sha256(basis).hexdigest()[:16]


def _report_parts(msg: Message) -> tuple[Message, Message | None]:
    """The ``message/delivery-status`` part and the returned message or headers part."""
    if msg.get_content_type() != "multipart/report":
        raise DsnError("not a multipart/report message")
    status: Message | None = None
    original: Message | None = None
    for part in msg.walk():
        kind = part.get_content_type()
        if kind in ("message/delivery-status", "message/global-delivery-status") and not status:
            status = part
        elif kind in ("message/rfc822", "message/global") and original is None:
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                original = payload[0]
        elif kind in ("text/rfc822-headers", "text/rfc822-header") and original is None:
            raw = part.get_payload(decode=True)
            if isinstance(raw, bytes):
                original = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    if status is None:
        raise DsnError("no message/delivery-status part")
    return status, original


def _fields(status: Message) -> list[Message]:
    """Per-recipient field groups of a delivery-status part (the first group is per message)."""
    payload = status.get_payload()
    if not isinstance(payload, list) or len(payload) < 2:
        raise DsnError("delivery-status part without a recipient")
    return [g for g in payload[1:] if isinstance(g, Message)]


def _verdict(groups: list[Message]) -> tuple[DsnAction, str, str]:
    """The worst action over the recipients (our messages have one), its status and diagnostic."""
    rank = {DsnAction.FAILED: 0, DsnAction.DELAYED: 1, DsnAction.DELIVERED: 2}
    found: list[tuple[DsnAction, str, str]] = []
    for group in groups:
        action = str(group.get("Action", "")).strip().lower()
        status_match = _STATUS.search(str(group.get("Status", "")))
        status = ".".join(status_match.groups()) if status_match else ""
        diagnostic = " ".join(str(group.get("Diagnostic-Code", "")).split())
        if action == "failed":
            verdict = DsnAction.FAILED
        elif action == "delayed":
            verdict = DsnAction.DELAYED
        elif action in ("delivered", "relayed", "expanded"):
            verdict = DsnAction.DELIVERED
        else:
            continue
        scrubbed = _QUOTED.sub('"<address>"', _ADDRESS.sub("<address>", diagnostic))
        found.append((verdict, status, scrubbed[:500]))
    if not found:
        raise DsnError("no recipient with a known Action")
    return min(found, key=lambda f: rank[f[0]])


def parse_dsn(data: bytes) -> Dsn:
    """Parse one DSN; raises ``DsnError`` for anything else (the reason quotes no content)."""
    try:
        msg = message_from_bytes(data, policy=policy.compat32)
        status, original = _report_parts(msg)
        groups = _fields(status)
    except DsnError:
        raise
    except Exception as exc:  # the stdlib parser is lenient; this guards odd corner cases
        raise DsnError(f"unparseable message ({type(exc).__name__})") from None
    if original is None:
        raise DsnError("the original message is not returned")
    original_id = str(original.get("Message-ID", ""))
    ours, domain = parse_message_id(original_id), _DOMAIN.search(original_id)
    if ours is None or domain is None:
        raise DsnError("the returned message is not one of ours (no outbox Message-ID)")
    action, code, diagnostic = _verdict(groups)
    marker = _marker(msg, data)
    return Dsn(ours[0], ours[1], domain.group(1).lower(), action, code, diagnostic, marker)
