"""AWS CloudTrail: ``{"Records": [...]}`` files (streamed, gzip transparent) or JSON lines."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import IO, Any

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.fieldmap import flatten
from breachdesk.timeline.parsers.base import ParseOptions, text_lines
from breachdesk.timeline.timeparse import iso_time

_MARKERS = (b'"eventVersion"', b'"eventSource"', b'"eventName"')


def _user(record: Mapping[str, Any]) -> str | None:
    identity = record.get("userIdentity")
    if not isinstance(identity, dict):
        return None
    for key in ("userName", "arn", "principalId", "accountId"):
        value = identity.get(key)
        if isinstance(value, str) and value:
            return value
    session = identity.get("sessionContext")
    if isinstance(session, dict):
        issuer = session.get("sessionIssuer")
        if isinstance(issuer, dict) and isinstance(issuer.get("userName"), str):
            return str(issuer["userName"])
    return None


def _target(record: Mapping[str, Any]) -> str | None:
    params = record.get("requestParameters")
    if isinstance(params, dict):
        bucket, key = params.get("bucketName"), params.get("key")
        if isinstance(bucket, str):
            return f"s3://{bucket}/{key}" if isinstance(key, str) else f"s3://{bucket}"
        for name in ("userName", "roleName", "instanceId", "name", "functionName", "groupId"):
            if isinstance(params.get(name), str):
                return str(params[name])
    resources = record.get("resources")
    if isinstance(resources, list) and resources and isinstance(resources[0], dict):
        arn = resources[0].get("ARN")
        return arn if isinstance(arn, str) else None
    return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def cloudtrail_event(record: Any, loc: str) -> LogEvent | LineSkipped:
    """One CloudTrail record as an event: eventName as action, errorCode (or success) as status."""
    if not isinstance(record, dict):
        return LineSkipped(loc, "record is not a JSON object")
    stamp = record.get("eventTime")
    if not isinstance(stamp, str):
        return LineSkipped(loc, "record has no eventTime")
    try:
        when = iso_time(stamp)
    except ValueError:
        return LineSkipped(loc, "unreadable eventTime")
    return LogEvent(
        time=when,
        source="cloudtrail",
        locator=loc,
        host=_text(record.get("awsRegion")),
        src_ip=_text(record.get("sourceIPAddress")),
        user=_user(record),
        action=_text(record.get("eventName")),
        target=_target(record),
        status=_text(record.get("errorCode")) or "success",
        user_agent=_text(record.get("userAgent")),
        fields=dict(flatten(record)),
    )


SAMPLE = (
    b'{"Records": [{"eventVersion": "1.08", "eventTime": "2026-03-10T10:00:00Z", '
    b'"eventSource": "s3.amazonaws.com", "eventName": "GetObject", "awsRegion": "eu-west-1", '
    b'"sourceIPAddress": "198.51.100.23", "userIdentity": {"type": "IAMUser", '
    b'"userName": "svc"}, "requestParameters": {"bucketName": "b", "key": "k.csv"}}]}\n'
)


class CloudTrailParser:
    """AWS CloudTrail log files as delivered to S3 (JSON ``Records``, usually gzipped) or JSONL.

    ``fields`` keeps every leaf under its dotted CloudTrail name (``eventSource``,
    ``requestParameters.bucketName``, ``userIdentity.type``...), as SigmaHQ's AWS rules expect.
    """

    name = "cloudtrail"

    def sniff(self, head: bytes) -> bool:
        """A ``Records`` document, or JSON lines carrying CloudTrail's event keys."""
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if start.startswith(b"{") and b'"Records"' in head[:256]:
            return True
        return start.startswith(b"{") and all(m in head for m in _MARKERS)

    def samples(self) -> Mapping[str, bytes]:
        """A one-record trail file."""
        return {"trail.json": SAMPLE}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """Records in order; locators count records (document) or lines (JSON lines)."""
        head = stream.peek(256)[:256] if hasattr(stream, "peek") else b""
        if b'"Records"' in head:
            yield from self._document(stream, source_name)
            return
        for number, line in text_lines(stream):
            loc = f"{source_name}:{number}"
            if line is None:
                yield LineSkipped(loc, "line too long")
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                yield LineSkipped(loc, "not valid JSON")
                continue
            yield cloudtrail_event(record, loc)

    def _document(self, stream: IO[bytes], source_name: str) -> Iterator[ParsedItem]:
        import ijson  # streamed: a day of trail can be gigabytes

        number = 0
        try:
            for record in ijson.items(stream, "Records.item", use_float=True):
                number += 1
                yield cloudtrail_event(record, f"{source_name}:{number}")
        except (ijson.JSONError, ValueError, UnicodeDecodeError):
            yield LineSkipped(f"{source_name}:{number + 1}", "invalid JSON; rest of file skipped")
