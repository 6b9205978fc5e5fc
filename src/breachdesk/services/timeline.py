"""The incident timeline: log events, detections and case events merged in time order."""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from breachdesk.casefile.incident import Incident
from breachdesk.core.audit import AuditAction, AuditDraft, AuditEntry
from breachdesk.core.clock import Clock, iso
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.services.logs import event_frames
from breachdesk.services.ports import UnitOfWork, UnitOfWorkFactory
from breachdesk.services.state import incident_subject
from breachdesk.timeline.store import EventQuery
from breachdesk.timeline.view import (
    TimelineEntry,
    csv_header,
    csv_line,
    event_entry,
    timesketch_line,
)

EXPORT_FORMATS = ("csv", "timesketch")
PROGRESS_EVERY = 10_000
# Reading is audited too, but reads are not moments of the incident.
_READS = frozenset(
    {
        "person.viewed",
        "people.listed",
        "person.looked_up",
        "manifest.exported",
        "audit.exported",
        "notices.previewed",
        "timeline.exported",
        "notices.ledger_exported",
    }
)


def _incident_entries(incident: Incident) -> list[TimelineEntry]:
    marks = [
        (incident.occurred_from, "breach began (recorded occurrence)"),
        (incident.occurred_to, "breach ended (recorded occurrence)"),
        (incident.discovered_at, "incident discovered"),
    ]
    ref = incident_subject(incident.id)
    return [TimelineEntry(when, "case", "incident", text, ref=ref) for when, text in marks if when]


def _audit_summary(entry: AuditEntry) -> str:
    details = entry.details
    if entry.action == AuditAction.INCIDENT_STATUS_CHANGED and details.get("to"):
        return f"status changed to {details['to']}"
    if entry.action == AuditAction.NOTICES_QUEUED:
        return f"notices queued ({details.get('count', '?')})"
    if entry.action == AuditAction.LOGS_INGESTED:
        return f"log file ingested ({details.get('events', 0)} events, {details.get('parser')})"
    return entry.action.replace(".", " ").replace("_", " ")


def _audit_entries(uow: UnitOfWork, incident_id: IncidentId) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            e.at,
            "case",
            "audit",
            _audit_summary(e),
            user=None,
            ref=f"audit:{e.seq}",
            attributes={"actor": e.actor, "action": e.action},
        )
        for e in uow.audit.entries(incident_id)
        if e.action not in _READS
    ]


def _detection_entries(uow: UnitOfWork, incident_id: IncidentId) -> list[TimelineEntry]:
    """The latest analysis's detections, at their first matching event."""
    analysis = uow.investigation.latest_analysis(incident_id)
    if analysis is None:
        return []
    found = []
    for d in uow.investigation.detections(analysis.id):
        actors = [a for a in d.actors.split(",") if a]
        found.append(
            TimelineEntry(
                time=d.first_at,
                kind="detection",
                source=d.rule_id,
                summary=f"[{d.level}] {d.title} ({d.events} events until {iso(d.last_at)})",
                src_ip=actors[0] if len(actors) == 1 else None,
                ref=f"detection:{d.rule_id}",
                attributes={
                    "level": d.level,
                    "rule_kind": d.kind,
                    "events": d.events,
                    "last": iso(d.last_at),
                    "actors": d.actors,
                },
            )
        )
    return found


def _within(entry: TimelineEntry, query: EventQuery) -> bool:
    if query.start is not None and entry.time < query.start:
        return False
    if query.end is not None and entry.time >= query.end:
        return False
    if query.src_ip is not None:
        actors = str(entry.attributes.get("actors") or entry.src_ip or "").split(",")
        if query.src_ip not in actors:
            return False
    return query.user is None or entry.user == query.user


class TimelineService:
    """Builds, shows and exports an incident's timeline."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def _context(self, incident_id: IncidentId, query: EventQuery) -> list[TimelineEntry]:
        """Case events and detections matching the query, sorted (small: kept in memory)."""
        with self._uow() as uow:
            incident = uow.incidents.get(incident_id)
            found = [*_incident_entries(incident), *_audit_entries(uow, incident_id)]
            found.extend(_detection_entries(uow, incident_id))
        return sorted((e for e in found if _within(e, query)), key=TimelineEntry.sort_key)

    def entries(
        self, incident_id: IncidentId, query: EventQuery | None = None, *, limit: int = 200
    ) -> list[TimelineEntry]:
        """The first ``limit`` entries of the timeline, oldest first."""
        query = query or EventQuery()
        context = self._context(incident_id, query)
        with self._uow() as uow:
            frame = uow.logs.events_frame(incident_id, query, limit=limit)
        logs = [event_entry(row) for row in frame.iter_rows(named=True)]
        merged = heapq.merge(context, logs, key=TimelineEntry.sort_key)
        return [e for _, e in zip(range(limit), merged, strict=False)]

    def stream(
        self, incident_id: IncidentId, query: EventQuery | None = None, *, chunk: int = 100_000
    ) -> Iterator[TimelineEntry]:
        """Every entry, oldest first; events are read a page at a time."""
        query = query or EventQuery()
        context = self._context(incident_id, query)
        logs = (
            event_entry(row)
            for frame in event_frames(self._uow, incident_id, query, chunk=chunk)
            for row in frame.iter_rows(named=True)
        )
        return heapq.merge(context, logs, key=TimelineEntry.sort_key)

    def export(
        self,
        incident_id: IncidentId,
        fmt: str,
        destination: Path,
        *,
        actor: str,
        query: EventQuery | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write the timeline as CSV or Timesketch JSONL, streamed; audited; returns rows.

        ``on_progress`` receives the number of entries written since its last call.
        """
        if fmt not in EXPORT_FORMATS:
            raise InvalidInputError(f"--format: use one of {', '.join(EXPORT_FORMATS)}")
        if destination.exists():
            raise InvalidInputError(f"{destination}: already exists; choose another --to")
        partial = destination.with_name(destination.name + ".partial")
        count = 0
        try:
            with partial.open("x", encoding="utf-8", newline="") as out:
                if fmt == "csv":
                    out.write(csv_header())
                render = csv_line if fmt == "csv" else timesketch_line
                for entry in self.stream(incident_id, query):
                    out.write(render(entry))
                    count += 1
                    if on_progress is not None and count % PROGRESS_EVERY == 0:
                        on_progress(PROGRESS_EVERY)
            os.replace(partial, destination)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InvalidInputError(f"{destination}: cannot write ({exc.strerror})") from None
        self._audit_export(incident_id, fmt, count, actor=actor)
        return count

    def _audit_export(self, incident_id: IncidentId, fmt: str, count: int, *, actor: str) -> None:
        with self._uow() as uow:
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.TIMELINE_EXPORTED,
                    subject=f"timeline:{incident_id}",
                    incident_id=incident_id,
                    details={"format": fmt, "entries": count},
                )
            )
            uow.commit()


def parse_when(text: str | None, flag: str) -> datetime | None:
    """A ``--from``/``--to`` value (ISO 8601; naive means UTC) or a clear error."""
    if text is None:
        return None
    from breachdesk.timeline.timeparse import iso_time

    try:
        return iso_time(text)
    except ValueError:
        raise InvalidInputError(f"{flag}: not an ISO 8601 time") from None
