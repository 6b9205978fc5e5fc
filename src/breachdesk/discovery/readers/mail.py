"""E-mail: single messages (.eml) and mbox files; headers as a table, bodies as text.

Attachments are read as nested files (``mail.eml!invoice.pdf``).
"""

from __future__ import annotations

import email
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from typing import IO

from breachdesk.discovery.model import Locator, Skipped, TableBatch
from breachdesk.discovery.readers.archive import member_locator
from breachdesk.discovery.readers.base import Item, ReadContext, failure
from breachdesk.discovery.readers.table import text_frame
from breachdesk.discovery.readers.text import text_chunks

HEADERS = ("from", "to", "cc", "bcc", "reply-to", "subject", "date")
_MAX_MESSAGE = 256 << 20
_HEADER_HINTS = (b"received:", b"return-path:", b"mime-version:", b"message-id:", b"from:")


def _header_cells(message: Message) -> list[str | None]:
    cells: list[str | None] = []
    for name in HEADERS:
        try:
            values = message.get_all(name) or []
            cells.append(", ".join(str(v) for v in values) or None)
        except Exception:  # malformed header: keep going without it
            cells.append(None)
    return cells


def read_message(
    raw: bytes, locator: Locator, number: int, context: ReadContext, folder: str = ""
) -> Iterator[Item]:
    """Headers row, body text chunks and nested attachments (``folder/name``) of one message."""
    message = email.message_from_bytes(raw, policy=policy.default)
    yield TableBatch(
        Locator(locator.path, "headers"), number, text_frame(HEADERS, [_header_cells(message)])
    )
    body_at = Locator(locator.path, f"message {number}")
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            continue
        try:
            yield from _part(part, index, body_at, locator, context, folder)
        except Exception as exc:  # a broken part must not hide the others
            yield failure(
                Locator(body_at.path, body_at.table, index), f"part {index} not readable", exc
            )


def _part(
    part: Message,
    index: int,
    body_at: Locator,
    outer: Locator,
    context: ReadContext,
    folder: str,
) -> Iterator[Item]:
    filename = part.get_filename()
    ctype = part.get_content_type()
    if filename or not ctype.startswith("text/"):
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            name = filename or f"part-{index}.bin"
            if folder:
                name = f"{folder}/{name}"
            yield from context.read_nested(io.BytesIO(payload), member_locator(outer, name))
        return
    text = _body_text(part)
    if ctype == "text/html":
        text = _strip_tags(text)
    yield from text_chunks([text], body_at, context.limits.text_chunk_chars)


def _body_text(part: Message) -> str:
    """Decoded text of a text part; an unknown or wrong charset falls back to lenient UTF-8."""
    if isinstance(part, EmailMessage):
        try:
            content = part.get_content()
            if isinstance(content, str):
                return content
        except (LookupError, UnicodeError, KeyError):
            pass
    raw = part.get_payload(decode=True)
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")


def _strip_tags(html: str) -> str:
    from html.parser import HTMLParser

    parts: list[str] = []

    class _Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            parts.append(data)

    parser = _Text()
    parser.feed(html)
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class EmailReader:
    """One RFC 5322 message (.eml)."""

    name: str = "email"
    version: int = 1
    extensions: tuple[str, ...] = (".eml",)
    media_types: tuple[str, ...] = ("message/rfc822",)

    def sniff(self, head: bytes, name: str) -> bool:
        """Typical header lines at the very top."""
        top = head[:2048].lower()
        return sum(top.startswith(h) or b"\n" + h in top for h in _HEADER_HINTS) >= 2

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """The message (bounded in size)."""
        raw = stream.read(_MAX_MESSAGE + 1)
        if len(raw) > _MAX_MESSAGE:
            yield Skipped(locator, f"{locator.path}: message too large")
            return
        yield from read_message(raw, locator, 1, context)

    def samples(self) -> Mapping[str, bytes]:
        """A plain message with an attached CSV."""
        return {"note.eml": SAMPLE_EML}


@dataclass(frozen=True, slots=True)
class MboxReader:
    """An mbox mailbox: messages separated by ``From `` lines."""

    name: str = "mbox"
    version: int = 1
    extensions: tuple[str, ...] = (".mbox", ".mbx")
    media_types: tuple[str, ...] = ("application/mbox",)

    def sniff(self, head: bytes, name: str) -> bool:
        """Starts with a ``From `` separator line."""
        return head.startswith(b"From ")

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Messages one at a time; an oversized message is skipped."""
        number = 0
        lines: list[bytes] = []
        size = 0
        while True:
            line = stream.readline(1 << 20)
            if not line or (line.startswith(b"From ") and lines):
                if lines:
                    number += 1
                    if size > _MAX_MESSAGE:
                        yield Skipped(
                            Locator(locator.path, "headers", number), f"message {number}: too large"
                        )
                    else:
                        raw = b"".join(lines[1:])
                        folder = f"message-{number}"
                        yield from read_message(raw, locator, number, context, folder)
                lines, size = [], 0
                if not line:
                    return
            size += len(line)
            if size <= _MAX_MESSAGE:
                lines.append(_unescape_from(line))

    def samples(self) -> Mapping[str, bytes]:
        """Two short messages."""
        return {
            "inbox.mbox": b"From a@example.com Mon Jan  1 00:00:00 2024\n"
            + SAMPLE_EML
            + b"\nFrom b@example.com Mon Jan  1 00:00:00 2024\n"
            + b"From: b@example.com\nSubject: hi\n\nhello\n"
        }


def _unescape_from(line: bytes) -> bytes:
    return line[1:] if line.startswith(b">From ") else line


SAMPLE_EML = (
    b"From: Ann <ann@example.com>\nTo: bob@example.org\nSubject: list\nMIME-Version: 1.0\n"
    b'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain\n\n'
    b"see attached\n--b1\nContent-Type: text/csv\n"
    b'Content-Disposition: attachment; filename="l.csv"\n\n'
    b"id,email\n1,c@example.com\n--b1--\n"
)
