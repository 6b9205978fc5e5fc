"""Syslog: RFC 3164 (year-less stamps), RFC 5424 and ISO-stamped (rsyslog) lines."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import IO

from breachdesk.timeline.event import LineSkipped, LogEvent, ParsedItem
from breachdesk.timeline.parsers.base import ParseOptions, head_lines, text_lines
from breachdesk.timeline.timeparse import MONTHS, iso_time

# <PRI>? then "Mmm dd hh:mm:ss" | "1 ISO" (RFC 5424) | "ISO"; then host and the rest.
BSD = re.compile(
    r"(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.\d+)? (\S+) (.*)"
)
RFC5424 = re.compile(
    r"<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|\[(?:[^\]\\]|\\.)*\](?:\[(?:[^\]\\]|\\.)*\])*)"
    r"(?: (.*))?"
)
ISO = re.compile(r"(?:<(\d{1,3})>)?(\d{4}-\d\d-\d\dT\S+) (\S+) (.*)")
TAG = re.compile(r"([^\s:\[]{1,64})(?:\[(\d+)\])?: ?(.*)")
_SEVERITIES = ("emerg", "alert", "crit", "err", "warning", "notice", "info", "debug")


@dataclass(frozen=True, slots=True)
class SyslogLine:
    """A syslog line split into its header parts and message."""

    time: datetime
    host: str | None
    program: str | None
    pid: str | None
    message: str
    priority: int | None


class YearGuess:
    """Assigns years to year-less stamps: the file ends near ``reference``; Dec -> Jan rolls.

    The first stamp takes the reference's year, or the year before when that would put it more
    than a day after the reference; a month going back by six or more starts the next year.
    """

    def __init__(self, reference: datetime | None, tz: tzinfo) -> None:
        self._reference = (reference or datetime.now(UTC)).astimezone(tz)
        self._tz = tz
        self._year: int | None = None
        self._month = 0

    def stamp(self, month: int, day: int, hour: int, minute: int, second: int) -> datetime:
        """The aware UTC time of a year-less stamp."""
        if self._year is None:
            self._year = self._reference.year
            first = datetime(self._year, month, day, hour, minute, second, tzinfo=self._tz)
            if (first - self._reference).total_seconds() > 86_400:
                self._year -= 1
        elif month <= self._month - 6:
            self._year += 1
        self._month = month
        local = datetime(self._year, month, day, hour, minute, second, tzinfo=self._tz)
        return local.astimezone(UTC)


def _split_tag(rest: str) -> tuple[str | None, str | None, str]:
    m = TAG.match(rest)
    if m is None:
        return None, None, rest
    return m.group(1), m.group(2), m.group(3)


def split_line(line: str, years: YearGuess, tz: tzinfo) -> SyslogLine | None:
    """Header and message of one syslog line, ``None`` when it has no syslog header.

    ``ValueError`` when the header is there but its time is impossible.
    """
    if m := BSD.match(line):
        pri, mon, day, hh, mm, ss, host, rest = m.groups()
        when = years.stamp(MONTHS[mon], int(day), int(hh), int(mm), int(ss))
        program, pid, message = _split_tag(rest)
        return SyslogLine(when, host, program, pid, message, int(pri) if pri else None)
    if m := RFC5424.match(line):
        pri, stamp, host, app, procid, _msgid, _data, message = m.groups()
        fields_host = None if host == "-" else host
        return SyslogLine(
            iso_time(stamp, tz),
            fields_host,
            None if app == "-" else app,
            None if procid == "-" else procid,
            (message or "").lstrip("\ufeff"),
            int(pri),
        )
    if m := ISO.match(line):
        pri, stamp, host, rest = m.groups()
        program, pid, message = _split_tag(rest)
        return SyslogLine(
            iso_time(stamp, tz), host, program, pid, message, int(pri) if pri else None
        )
    return None


def syslog_fields(parsed: SyslogLine) -> dict[str, str]:
    """Source-native fields of a syslog line (for Sigma rules on linux sources)."""
    fields = {"message": parsed.message}
    if parsed.program:
        fields["program"] = parsed.program
    if parsed.pid:
        fields["pid"] = parsed.pid
    if parsed.priority is not None and parsed.priority < 192:
        fields["facility"] = str(parsed.priority // 8)
        fields["severity"] = _SEVERITIES[parsed.priority % 8]
    return fields


def syslog_lines(
    stream: IO[bytes], source_name: str, options: ParseOptions
) -> Iterator[tuple[str, SyslogLine] | LineSkipped]:
    """``(locator, line)`` per syslog line, or a skip naming the line."""
    years = YearGuess(options.reference, options.tz)
    for number, line in text_lines(stream):
        loc = f"{source_name}:{number}"
        if line is None:
            yield LineSkipped(loc, "line too long")
            continue
        if not line.strip():
            continue
        try:
            parsed = split_line(line, years, options.tz)
        except (ValueError, KeyError, OverflowError):
            yield LineSkipped(loc, "impossible time stamp")
            continue
        if parsed is None:
            yield LineSkipped(loc, "not a syslog line")
            continue
        yield loc, parsed


def sniff_syslog(head: bytes) -> bool:
    """Most complete lines of the head have a syslog header."""
    lines = head_lines(head)
    hits = sum(1 for ln in lines if BSD.match(ln) or RFC5424.match(ln) or ISO.match(ln))
    return bool(lines) and hits * 2 > len(lines)


SAMPLE = (
    b"Mar 10 09:00:01 web1 systemd[1]: Started Daily apt upgrade.\n"
    b"<34>1 2026-03-10T09:00:02.003Z web1 su 4711 ID47 - 'su root' failed on /dev/pts/8\n"
    b"2026-03-10T09:00:03.123456+01:00 web1 kernel: eth0: link up\n"
)


class SyslogParser:
    """Generic syslog files (messages, syslog, daemon.log, RFC 5424 exports)."""

    name = "syslog"

    def sniff(self, head: bytes) -> bool:
        """Most lines start with a syslog header."""
        return sniff_syslog(head)

    def samples(self) -> Mapping[str, bytes]:
        """RFC 3164, RFC 5424 and ISO-stamped lines."""
        return {"syslog": SAMPLE}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """Events with the program as action and the message in ``fields``."""
        for item in syslog_lines(stream, source_name, options):
            if isinstance(item, LineSkipped):
                yield item
                continue
            loc, parsed = item
            yield LogEvent(
                time=parsed.time,
                source=self.name,
                locator=loc,
                host=parsed.host,
                action=parsed.program,
                fields=syslog_fields(parsed),
            )
