"""Windows event logs (EVTX) through the ``evtx`` package (Rust parser, records as JSON)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.fieldmap import flatten
from breachdesk.timeline.parsers.base import ParseOptions
from breachdesk.timeline.timeparse import iso_time

MAGIC = b"ElfFile\x00"
_MAX_BAD_IN_A_ROW = 1_000  # a broken chunk table can make every further record fail
_NONE = ("", "-", "%%")


def _scalar(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("#text")
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return None if text in _NONE else text


def _attr(node: Any, key: str) -> str | None:
    if isinstance(node, dict):
        attrs = node.get("#attributes")
        if isinstance(attrs, dict) and attrs.get(key) is not None:
            return str(attrs[key])
    return None


def _fields(system: dict[str, Any], event: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for section in ("EventData", "UserData"):
        data = event.get(section)
        if isinstance(data, dict):
            for path, value in flatten(data):
                fields[path.removeprefix("#attributes.")] = value
    for key in ("Level", "Task", "Opcode", "Keywords", "EventRecordID", "Version"):
        text = _scalar(system.get(key))
        if text is not None:
            fields[key] = text
    provider = _attr(system.get("Provider"), "Name")
    if provider:
        fields["Provider_Name"] = provider
    for key in ("ProcessID", "ThreadID"):
        attr = _attr(system.get("Execution"), key)
        if attr:
            fields[key] = attr
    event_id = _scalar(system.get("EventID"))
    if event_id:
        fields["EventID"] = event_id
    for key in ("Channel", "Computer"):
        named = _scalar(system.get(key))
        if named:
            fields[key] = named
    return fields


def evtx_event(data: str, fallback_time: str, loc: str) -> LogEvent | LineSkipped:
    """One record's JSON as an event: EventID as action, Computer as host, EventData in fields."""
    try:
        doc = json.loads(data)
    except ValueError:
        return LineSkipped(loc, "record is not valid JSON")
    event = doc.get("Event") if isinstance(doc, dict) else None
    system = event.get("System") if isinstance(event, dict) else None
    if not isinstance(event, dict) or not isinstance(system, dict):
        return LineSkipped(loc, "record has no System section")
    stamp = _attr(system.get("TimeCreated"), "SystemTime") or fallback_time
    try:
        when = iso_time(stamp)
    except ValueError:
        return LineSkipped(loc, "unreadable TimeCreated")
    fields = _fields(system, event)

    def pick(*names: str) -> str | None:
        for name in names:
            value = fields.get(name)
            if value and value not in _NONE:
                return value
        return None

    return LogEvent(
        time=when,
        source="evtx",
        locator=loc,
        host=fields.get("Computer"),
        src_ip=pick("IpAddress", "SourceAddress", "SourceIp", "ClientAddress"),
        user=pick("TargetUserName", "SubjectUserName", "User", "AccountName"),
        action=fields.get("EventID"),
        target=pick("ObjectName", "TargetObject", "ServiceName", "TargetFilename", "Image"),
        status=pick("Status", "FailureCode", "Result"),
        fields=fields,
    )


class EvtxParser:
    """Windows ``.evtx`` files; fields EventID, Channel, Provider_Name, Computer and EventData."""

    name = "evtx"

    def sniff(self, head: bytes) -> bool:
        """The EVTX file header magic."""
        return head.startswith(MAGIC)

    def samples(self) -> Mapping[str, bytes]:
        """None shipped: EVTX samples are binary recordings (tests use shared recordings)."""
        return {}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """Records in file order; locators count records."""
        import evtx  # native extension, loaded only for EVTX input

        with tempfile.TemporaryFile() as spool:
            source: IO[bytes] = stream
            if not _seekable(stream):  # the Rust parser seeks; decompressed input is spooled
                shutil.copyfileobj(stream, spool, 1 << 20)
                spool.seek(0)
                source = spool
            try:
                records = iter(evtx.PyEvtxParser(source).records_json())
            except (RuntimeError, OSError, ValueError):
                yield LineSkipped(f"{source_name}:1", "not a readable EVTX file")
                return
            yield from _records(records, source_name)


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return stream.seekable()
    except (AttributeError, OSError, ValueError):
        return False


def _records(records: Iterator[Any], source_name: str) -> Iterator[ParsedItem]:
    number = 0
    bad = 0
    while True:
        number += 1
        loc = f"{source_name}:{number}"
        try:
            record = next(records)
        except StopIteration:
            return
        except (RuntimeError, OSError, ValueError):
            bad += 1
            yield LineSkipped(loc, "damaged record")
            if bad >= _MAX_BAD_IN_A_ROW:
                yield LineSkipped(loc, "too many damaged records; rest of file skipped")
                return
            continue
        bad = 0
        yield evtx_event(str(record.get("data", "")), str(record.get("timestamp", "")), loc)
