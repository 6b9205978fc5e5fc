"""Evidence items, custody entries, streaming hashes and media-type sniffing."""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, BinaryIO

from breachdesk.core.canonical import digest
from breachdesk.core.clock import iso
from breachdesk.core.ids import CustodyId, EvidenceId, IncidentId

CHUNK = 1 << 20


class CustodyAction(StrEnum):
    """What happened to an evidence item."""

    ADDED = "added"
    EXPORTED = "exported"
    VERIFIED = "verified"
    VERIFY_FAILED = "verify_failed"


@dataclass(frozen=True, slots=True)
class CustodyEntry:
    """One link of an item's chain of custody."""

    id: CustodyId
    evidence_id: EvidenceId
    at: datetime
    actor: str
    action: CustodyAction
    detail: str | None

    def state(self) -> dict[str, Any]:
        """Canonical state (part of the item's state in the audit chain)."""
        return {
            "id": self.id,
            "at": iso(self.at),
            "actor": self.actor,
            "action": self.action.value,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """A stored, content-addressed evidence file registered to an incident."""

    id: EvidenceId
    incident_id: IncidentId
    sha256: str
    size: int
    media_type: str
    original_name: str
    description: str | None
    added_by: str
    added_at: datetime

    def state(self, custody: Iterable[CustodyEntry]) -> dict[str, Any]:
        """Canonical state of the item with its custody chain."""
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
            "original_name": self.original_name,
            "description": self.description,
            "added_by": self.added_by,
            "added_at": iso(self.added_at),
            "custody": digest([c.state() for c in custody]),
        }


def hash_stream(stream: BinaryIO) -> tuple[str, int]:
    """SHA-256 hex digest and size of a stream, read in bounded chunks."""
    h, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"\xfd7zXZ\x00", "application/x-xz"),
    (b"SQLite format 3\x00", "application/vnd.sqlite3"),
    (b"PAR1", "application/vnd.apache.parquet"),
    (b"ElfFile\x00", "application/x-winevt-evtx"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff_media_type(name: str, head: bytes) -> str:
    """Media type from the leading bytes, then the file name, else octet-stream or text."""
    for magic, media in _MAGIC:
        if head.startswith(magic):
            return media
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"
