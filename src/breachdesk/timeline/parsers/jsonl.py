"""JSON lines (one object per line) with a field mapping to the normalised columns."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import tzinfo
from typing import IO, Any

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.fieldmap import flatten, resolve
from breachdesk.timeline.parsers.base import ParseOptions, head_lines, mostly, text_lines
from breachdesk.timeline.timeparse import any_time


def _is_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except (ValueError, OverflowError):
        return None


def record_event(
    flat: Mapping[str, str],
    raw_time: Any,
    mapping: Mapping[str, str],
    *,
    source: str,
    loc: str,
    tz: tzinfo,
) -> LogEvent | LineSkipped:
    """One flattened record as an event; a skip when it has no usable time."""
    if raw_time is None:
        if "time" not in mapping:
            return LineSkipped(loc, "no time field found (name it with --map time=FIELD)")
        return LineSkipped(loc, f"time field {mapping['time']} missing")
    try:
        when = any_time(raw_time, tz)
    except (ValueError, OverflowError):
        return LineSkipped(loc, f"unreadable time in field {mapping.get('time', 'time')}")

    def get(name: str) -> str | None:
        key = mapping.get(name)
        value = flat.get(key) if key is not None else None
        return value if value not in (None, "", "-") else None

    return LogEvent(
        time=when,
        source=source,
        locator=loc,
        host=get("host"),
        src_ip=get("src_ip"),
        user=get("user"),
        action=get("action"),
        target=get("target"),
        status=get("status"),
        bytes=_int(get("bytes")),
        user_agent=get("user_agent"),
        fields=dict(flat),
    )


def lookup(obj: Any, path: str) -> Any:
    """The value at a key, or at a dotted path through nested objects (``None`` if absent)."""
    if isinstance(obj, dict) and path in obj:
        return obj[path]
    node = obj
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


SAMPLE = (
    b'{"@timestamp": "2026-03-10T08:00:00.250Z", "client": {"ip": "198.51.100.23"}, '
    b'"user": {"name": "svc"}, "event": {"action": "download"}, "http": {"status": 200}}\n'
    b'{"timestamp": 1773129601, "client_ip": "198.51.100.24", "action": "login"}\n'
)


class JsonLinesParser:
    """One JSON object per line; ``--map time=@timestamp,src_ip=client.ip`` names the fields.

    Unmapped normalised fields are guessed from common names (``timestamp``, ``client_ip``,
    ``user``, ...); every leaf is kept in ``fields`` under its dotted path.
    """

    name = "jsonl"

    def sniff(self, head: bytes) -> bool:
        """The head's lines are (mostly) JSON objects."""
        return mostly(head_lines(head), _is_object)

    def samples(self) -> Mapping[str, bytes]:
        """ECS-style nested and flat objects."""
        return {"app.jsonl": SAMPLE}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """Events from every object line; other lines are skipped with their number."""
        mappings: dict[tuple[str, ...], dict[str, str]] = {}  # per key layout: lines repeat it
        for number, line in text_lines(stream):
            loc = f"{source_name}:{number}"
            if line is None:
                yield LineSkipped(loc, "line too long")
                continue
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                yield LineSkipped(loc, "not valid JSON")
                continue
            if not isinstance(obj, dict):
                yield LineSkipped(loc, "not a JSON object")
                continue
            flat = dict(flatten(obj))
            layout = tuple(flat)
            mapping = mappings.get(layout)
            if mapping is None:  # explicit names always win; the rest is guessed per layout
                if len(mappings) > 1_000:
                    mappings.clear()
                mapping = mappings[layout] = resolve(flat, options.field_map)
            key = mapping.get("time")
            raw_time = lookup(obj, key) if key is not None else None
            yield record_event(flat, raw_time, mapping, source=self.name, loc=loc, tz=options.tz)
