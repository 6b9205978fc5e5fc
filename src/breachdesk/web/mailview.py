"""Read-only view of the embedded mail sink's Maildir: what was sent, recipients masked."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass, field
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

from breachdesk.core.element import DataElement
from breachdesk.core.errors import NotFoundError
from breachdesk.discovery.normalize import mask

LIMIT = 500


@dataclass(frozen=True, slots=True)
class SentMail:
    """One received message; the body is read only for the single-message view."""

    key: str
    date: str
    to: str
    subject: str
    body: str = field(default="", repr=False)


def _text(msg: Message) -> str:
    part = next((p for p in msg.walk() if p.get_content_type() == "text/plain"), None)
    payload = part.get_payload(decode=True) if part is not None else None
    if not isinstance(payload, bytes):
        return ""
    return payload.decode(part.get_content_charset() or "utf-8", errors="replace") if part else ""


def _summary(key: str, msg: Message, body: str = "") -> SentMail:
    try:
        date = parsedate_to_datetime(msg.get("Date", "")).strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        date = ""
    to = str(msg.get("To", ""))
    return SentMail(
        key, date, mask(DataElement.EMAIL, to) if to else "", str(msg.get("Subject", "")), body
    )


def listing(maildir: Path | None) -> list[SentMail]:
    """The newest messages of the sink (none when the workspace sends through SMTP)."""
    if maildir is None or not maildir.is_dir():
        return []
    box = mailbox.Maildir(maildir, create=False)
    keys = sorted(box.keys(), reverse=True)[:LIMIT]
    return [_summary(k, box.get_message(k)) for k in keys]


def message(maildir: Path | None, key: str) -> SentMail:
    """One message with its text body."""
    if maildir is None or not maildir.is_dir():
        raise NotFoundError("no mail sink")
    box = mailbox.Maildir(maildir, create=False)
    try:
        msg = box.get_message(key)
    except KeyError:
        raise NotFoundError("no such message") from None
    return _summary(key, msg, _text(msg))
