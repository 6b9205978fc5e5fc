"""The event store port: ingested log files with checkpoints, events in and frames out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import polars as pl

from breachdesk.core.ids import IncidentId
from breachdesk.timeline.event import LogEvent
from breachdesk.timeline.store import Checkpoint, EventQuery, LogFile


class LogRepository(Protocol):
    """Ingested log files and their normalised events, per incident."""

    def find_file(self, incident_id: IncidentId, sha256: str) -> LogFile | None: ...
    def add_file(self, draft: LogFile) -> LogFile: ...
    def get_file(self, file_id: int) -> LogFile: ...
    def files(self, incident_id: IncidentId | None) -> list[LogFile]: ...
    def add_events(
        self, incident_id: IncidentId, file_id: int, events: Sequence[LogEvent]
    ) -> int: ...
    def checkpoint(self, file_id: int, point: Checkpoint, *, previous: int) -> bool:
        """Move the checkpoint on from ``previous``; False when another run moved it first."""
        ...

    def complete(self, file_id: int, at: datetime) -> LogFile: ...
    def count_events(self, incident_id: IncidentId, file_id: int | None = None) -> int: ...
    def events_frame(
        self,
        incident_id: IncidentId,
        query: EventQuery | None = None,
        *,
        after: tuple[int, int] | None = None,
        limit: int | None = None,
    ) -> pl.DataFrame:
        """Events ordered by (time, id): an ``id`` column, then ``EVENT_SCHEMA``.

        ``after=(time_us, id)`` continues after that event (keyset paging).
        """
        ...
