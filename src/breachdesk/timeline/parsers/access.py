"""Web-server access logs: Apache and nginx combined/common, with or without a virtual host."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo
from functools import partial
from typing import IO

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.parsers.base import MAX_LINE, ParseOptions, head_lines, mostly
from breachdesk.timeline.timeparse import StampCache, clf_time

_Q = r'"([^"\\]*(?:\\.[^"\\]*)*)"'  # a quoted field with backslash escapes (unrolled: fast)
# [vhost[:port]] host ident user [time] "request" status bytes ["referer" "user agent"] [extra]
LINE = re.compile(
    r"(?:(\S+) )?(\S+) (\S+) (\S+) \[([^\]]{20,40})\] "
    + _Q
    + r" (\d{3}|-) (\d+|-)(?: "
    + _Q
    + " "
    + _Q
    + ")?"
)
_DASH = "-"


def _split_request(request: str) -> tuple[str | None, str | None]:
    """Method and target of a request line without a protocol; odd ones keep their text."""
    parts = request.split(" ")
    if len(parts) == 2:
        return parts[0], parts[1]
    if request in ("", _DASH):
        return None, None
    return None, request


def parse_access(
    stream: IO[bytes], source_name: str, source: str, tz: tzinfo
) -> Iterator[ParsedItem]:
    """Every line of an access log as an event or a skip naming its line.

    Written for speed (one regex, stamps converted once per distinct second, no helper calls on
    the common path): access logs are the largest inputs.
    """
    times = StampCache(partial(clf_time, tz=tz))
    seen: dict[str, datetime] = {}
    match = LINE.match
    number = 0
    overflow = False
    for raw in iter(partial(stream.readline, MAX_LINE), b""):
        if overflow:  # the rest of an over-long line
            overflow = not raw.endswith(b"\n")
            continue
        number += 1
        if len(raw) >= MAX_LINE and not raw.endswith(b"\n"):
            overflow = True
            yield LineSkipped(f"{source_name}:{number}", "line too long")
            continue
        line = raw.decode("utf-8", "replace")
        m = match(line)
        if m is None:
            if line.strip():
                yield LineSkipped(f"{source_name}:{number}", "not an access-log line")
            continue
        vhost, host, _ident, user, stamp, request, status, size, referer, agent = m.groups()
        when = seen.get(stamp)  # most lines share their second with the one before
        if when is None:
            when = times.get(stamp)
            if when is None:
                yield LineSkipped(f"{source_name}:{number}", "unreadable time stamp")
                continue
            if len(seen) >= 4_096:
                seen.clear()
            seen[stamp] = when
        parts = request.split(" ")
        fields: dict[str, str] = {}
        if len(parts) == 3:
            method, target = parts[0], parts[1]
            fields["protocol"] = parts[2]
        else:
            method, target = _split_request(request)
        if referer and referer != _DASH:
            fields["referer"] = referer
        if vhost:
            fields["vhost"] = vhost
        yield LogEvent(
            when,
            source,
            f"{source_name}:{number}",
            vhost.split(":", 1)[0] if vhost else None,
            host,
            None if user == _DASH else user,
            method,
            target,
            None if status == _DASH else status,
            None if size == _DASH else int(size),
            None if agent == _DASH else agent,
            fields,
        )


SAMPLE = (
    b'203.0.113.5 - - [10/Mar/2026:09:00:01 +0100] "GET /index.html HTTP/1.1" 200 512 "-" '
    b'"Mozilla/5.0"\n'
    b'198.51.100.23 - bob [10/Mar/2026:09:00:03 +0100] "GET /api/customers/42 HTTP/1.1" 200 '
    b'1893 "https://shop.example/" "curl/8.5.0"\n'
    b'192.0.2.11 - - [10/Mar/2026:09:00:06 +0100] "GET /favicon.ico HTTP/1.0" 404 153\n'
)


def _sniff(head: bytes) -> bool:
    return mostly(head_lines(head), LINE.match)


class ApacheParser:
    """Apache combined/common (and vhost_combined) access logs."""

    name = "apache"

    def sniff(self, head: bytes) -> bool:
        """The head's lines are (mostly) access-log lines."""
        return _sniff(head)

    def samples(self) -> Mapping[str, bytes]:
        """Combined and common format lines."""
        return {"access.log": SAMPLE}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """Events with method as action, URL as target, status, bytes and user agent."""
        return parse_access(stream, source_name, self.name, options.tz)


class NginxParser:
    """nginx access logs in the default ``combined`` format (extra trailing fields ignored)."""

    name = "nginx"

    def sniff(self, head: bytes) -> bool:
        """Same shape as Apache's; ``auto`` picks ``apache`` first, which parses it the same."""
        return _sniff(head)

    def samples(self) -> Mapping[str, bytes]:
        """Combined and common format lines."""
        return {"access.log": SAMPLE}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """Events with method as action, URL as target, status, bytes and user agent."""
        return parse_access(stream, source_name, self.name, options.tz)
