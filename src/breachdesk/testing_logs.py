"""In-memory fake of the event store (part of ``breachdesk.testing``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

import polars as pl

from breachdesk.core.errors import NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.timeline.event import EVENT_SCHEMA, LogEvent
from breachdesk.timeline.parsers.base import line_number
from breachdesk.timeline.store import Checkpoint, EventQuery, LogFile, to_us


def _matches(incident_id: int, query: EventQuery, row: dict[str, Any]) -> bool:
    e: LogEvent = row["event"]
    return (
        row["incident_id"] == incident_id
        and (query.start is None or e.time >= query.start)
        and (query.end is None or e.time < query.end)
        and (query.src_ip is None or e.src_ip == query.src_ip)
        and (query.user is None or e.user == query.user)
        and (query.source is None or e.source == query.source)
        and (query.file_id is None or row["file_id"] == query.file_id)
    )


class MemoryLogs:
    """Log files and events kept in the fake database's ``logs`` mapping."""

    def __init__(self, store: dict[str, Any]) -> None:
        self.d = store
        self.d.setdefault("files", {})
        self.d.setdefault("events", [])

    def find_file(self, incident_id: IncidentId, sha256: str) -> LogFile | None:
        for f in self.d["files"].values():
            if f.incident_id == incident_id and f.sha256 == sha256:
                return f  # type: ignore[no-any-return]
        return None

    def add_file(self, draft: LogFile) -> LogFile:
        new = replace(draft, id=len(self.d["files"]) + 1)
        self.d["files"][new.id] = new
        return new

    def get_file(self, file_id: int) -> LogFile:
        if file_id not in self.d["files"]:
            raise NotFoundError(f"log file {file_id}: no such file")
        return self.d["files"][file_id]  # type: ignore[no-any-return]

    def files(self, incident_id: IncidentId | None) -> list[LogFile]:
        return [
            f
            for _, f in sorted(self.d["files"].items())
            if incident_id is None or f.incident_id == incident_id
        ]

    def add_events(self, incident_id: IncidentId, file_id: int, events: Sequence[LogEvent]) -> int:
        rows = self.d["events"]
        for e in events:
            rows.append(
                {
                    "id": len(rows) + 1,
                    "incident_id": incident_id,
                    "file_id": file_id,
                    "event": replace(e, fields=dict(e.fields)),  # the fake state is deep-copied
                }
            )
        return len(events)

    def checkpoint(self, file_id: int, point: Checkpoint, *, previous: int) -> bool:
        f = self.get_file(file_id)
        if f.lines != previous:
            return False
        self.d["files"][file_id] = replace(
            f,
            lines=point.lines,
            events=point.events,
            skipped=point.skipped,
            skipped_sample=point.skipped_sample,
        )
        return True

    def complete(self, file_id: int, at: datetime) -> LogFile:
        self.d["files"][file_id] = replace(self.get_file(file_id), completed_at=at)
        return self.get_file(file_id)

    def count_events(self, incident_id: IncidentId, file_id: int | None = None) -> int:
        return len(self._select(incident_id, EventQuery(file_id=file_id)))

    def _select(self, incident_id: int, query: EventQuery) -> list[dict[str, Any]]:
        rows = [r for r in self.d["events"] if _matches(incident_id, query, r)]
        return sorted(rows, key=lambda r: (to_us(r["event"].time), r["id"]))

    def events_frame(
        self,
        incident_id: IncidentId,
        query: EventQuery | None = None,
        *,
        after: tuple[int, int] | None = None,
        limit: int | None = None,
    ) -> pl.DataFrame:
        rows = self._select(incident_id, query or EventQuery())
        if after is not None:
            rows = [r for r in rows if (to_us(r["event"].time), r["id"]) > after]
        rows = rows[:limit] if limit is not None else rows
        names = {i: f.name for i, f in self.d["files"].items()}
        data = [
            {
                "id": r["id"],
                "time": r["event"].time,
                "source": r["event"].source,
                "locator": f"{names[r['file_id']]}:{line_number(r['event'].locator)}",
                "host": r["event"].host,
                "src_ip": r["event"].src_ip,
                "user": r["event"].user,
                "action": r["event"].action,
                "target": r["event"].target,
                "status": r["event"].status,
                "bytes": r["event"].bytes,
                "user_agent": r["event"].user_agent,
                "fields": json.dumps(dict(r["event"].fields), separators=(",", ":")),
            }
            for r in rows
        ]
        return pl.DataFrame(data, schema={"id": pl.Int64(), **EVENT_SCHEMA})
