"""Values of the event store: ingested files with their checkpoint, and event queries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from breachdesk.core.clock import iso
from breachdesk.core.ids import EvidenceId, IncidentId

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CONCURRENT = "another ingest of this file is running; run again when it has finished"
_US = timedelta(microseconds=1)


def to_us(when: datetime) -> int:
    """Microseconds since the epoch of an aware time (how the store keeps times)."""
    return (when - EPOCH) // _US


def from_us(micros: int) -> datetime:
    """The aware UTC time of stored microseconds."""
    return EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True, slots=True)
class LogFile:
    """An ingested (or partly ingested) log file; ``lines`` is the resume checkpoint."""

    id: int
    incident_id: IncidentId
    evidence_id: EvidenceId
    name: str
    sha256: str
    parser: str
    options: str  # canonical JSON of the parse options (tz, field map)
    lines: int
    events: int
    skipped: int
    skipped_sample: str  # JSON list of [locator, reason]
    ingested_by: str
    started_at: datetime
    completed_at: datetime | None = None

    def state(self) -> dict[str, Any]:
        """Canonical state recorded in the audit chain."""
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "evidence_id": self.evidence_id,
            "name": self.name,
            "sha256": self.sha256,
            "parser": self.parser,
            "options": self.options,
            "lines": self.lines,
            "events": self.events,
            "skipped": self.skipped,
            "skipped_sample": self.skipped_sample,
            "ingested_by": self.ingested_by,
            "started_at": iso(self.started_at),
            "completed_at": iso(self.completed_at) if self.completed_at else None,
        }

    def skipped_list(self) -> list[tuple[str, str]]:
        """The first skipped lines, as (locator, reason)."""
        return [(str(a), str(b)) for a, b in json.loads(self.skipped_sample)]


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Which events to read: a half-open time range and exact matches (all optional)."""

    start: datetime | None = None
    end: datetime | None = None
    src_ip: str | None = None
    user: str | None = None
    source: str | None = None
    file_id: int | None = None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Progress of one file after a committed batch."""

    lines: int
    events: int
    skipped: int
    skipped_sample: str
