"""One timeline of log events, detections and case events; CSV and Timesketch renderings."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from breachdesk.core.clock import iso
from breachdesk.timeline.store import to_us

CSV_COLUMNS = ("time", "kind", "source", "summary", "src_ip", "user", "ref")
KINDS = ("log", "detection", "case")


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A moment on the incident's timeline: a log event, a detection or a case event."""

    time: datetime
    kind: str  # one of KINDS
    source: str  # parser name, rule id, or "incident" / "audit"
    summary: str
    src_ip: str | None = None
    user: str | None = None
    ref: str = ""  # event locator, "audit:<seq>", "detection:<id>"
    attributes: Mapping[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple[int, int, str]:
        """Time first; at equal times case events, then detections, then log events."""
        return (to_us(self.time), -KINDS.index(self.kind), self.ref)

    def as_json(self) -> dict[str, Any]:
        """A plain JSON object (for ``--json``); an event's native fields as an object."""
        attributes = dict(self.attributes)
        if isinstance(attributes.get("fields"), str):
            attributes["fields"] = json.loads(attributes["fields"])
        return {
            "time": iso(self.time),
            "kind": self.kind,
            "source": self.source,
            "summary": self.summary,
            "src_ip": self.src_ip,
            "user": self.user,
            "ref": self.ref,
            "attributes": attributes,
        }


def event_summary(row: Mapping[str, Any]) -> str:
    """A short line for a log event row: action, target and status where present."""
    parts = [str(row[k]) for k in ("action", "target") if row.get(k)]
    if row.get("status"):
        parts.append(f"-> {row['status']}")
    if not parts:
        message = json.loads(row.get("fields") or "{}").get("message")
        return str(message)[:200] if message else str(row.get("source") or "event")
    return " ".join(parts)[:300]


def event_entry(row: Mapping[str, Any]) -> TimelineEntry:
    """A timeline entry of one event-frame row (named)."""
    attributes = {
        k: row[k]
        for k in ("host", "action", "target", "status", "bytes", "user_agent")
        if row.get(k) is not None
    }
    fields = row.get("fields")
    if fields and fields != "{}":
        attributes["fields"] = fields
    attributes["event_id"] = row["id"]
    return TimelineEntry(
        time=row["time"],
        kind="log",
        source=str(row["source"]),
        summary=event_summary(row),
        src_ip=row.get("src_ip"),
        user=row.get("user"),
        ref=str(row["locator"]),
        attributes=attributes,
    )


def csv_line(entry: TimelineEntry) -> str:
    """One CSV line (with line end) for an entry, columns ``CSV_COLUMNS``."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(
        [
            iso(entry.time),
            entry.kind,
            entry.source,
            entry.summary,
            entry.src_ip or "",
            entry.user or "",
            entry.ref,
        ]
    )
    return out.getvalue()


def csv_header() -> str:
    """The CSV header line."""
    return ",".join(CSV_COLUMNS) + "\n"


def timesketch_line(entry: TimelineEntry) -> str:
    """One Timesketch JSONL line: message, datetime, timestamp (us), timestamp_desc, attributes."""
    record: dict[str, Any] = {
        "message": entry.summary,
        "datetime": iso(entry.time),
        "timestamp": to_us(entry.time),
        "timestamp_desc": _DESC[entry.kind],
        "data_type": f"breachdesk:{entry.kind}",
        "source": entry.source,
        "ref": entry.ref,
    }
    if entry.src_ip:
        record["src_ip"] = entry.src_ip
    if entry.user:
        record["user"] = entry.user
    for key, value in entry.attributes.items():
        record.setdefault(key, value)
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


_DESC = {"log": "Event Recorded", "detection": "Detection", "case": "Case Event"}
