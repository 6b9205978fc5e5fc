"""Log parser registry: built-ins plus the ``breachdesk.log_parsers`` entry points; dispatch."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import entry_points
from typing import IO, Any

from breachdesk.timeline.parsers.base import LogParser

ENTRY_POINT_GROUP = "breachdesk.log_parsers"
SNIFF_BYTES = 64 * 1024
GZIP_MAGIC = b"\x1f\x8b"


class DuplicateParserError(Exception):
    """Two log parsers share a name."""


def builtin_parsers() -> tuple[LogParser, ...]:
    """Built-in parsers in sniffing order: binary magic, JSON documents, then line formats."""
    from breachdesk.timeline.parsers.access import ApacheParser, NginxParser
    from breachdesk.timeline.parsers.auth import AuthParser
    from breachdesk.timeline.parsers.cloudtrail import CloudTrailParser
    from breachdesk.timeline.parsers.csvfile import CsvParser
    from breachdesk.timeline.parsers.evtx import EvtxParser
    from breachdesk.timeline.parsers.jsonl import JsonLinesParser
    from breachdesk.timeline.parsers.syslog import SyslogParser

    return (
        EvtxParser(),
        CloudTrailParser(),
        JsonLinesParser(),
        ApacheParser(),
        NginxParser(),
        AuthParser(),
        SyslogParser(),
        CsvParser(),
    )


def plugin_parsers() -> tuple[LogParser, ...]:
    """Parsers installed by third parties under the ``breachdesk.log_parsers`` group."""
    found: list[LogParser] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        found.append(obj() if isinstance(obj, type) else obj)
    return tuple(found)


def check_unique(parsers: Iterable[LogParser]) -> tuple[LogParser, ...]:
    """The parsers unchanged, or ``DuplicateParserError`` when two share a name."""
    result = tuple(parsers)
    seen: set[str] = set()
    for parser in result:
        if parser.name in seen:
            raise DuplicateParserError(f"duplicate log parser name: {parser.name}")
        seen.add(parser.name)
    return result


@cache
def all_parsers() -> tuple[LogParser, ...]:
    """Plugins first (so they can claim formats), then built-ins; names must be unique."""
    return check_unique((*plugin_parsers(), *builtin_parsers()))


def parser_names() -> tuple[str, ...]:
    """Names accepted by ``--format`` (besides ``auto``)."""
    return tuple(p.name for p in all_parsers())


def parser_named(name: str) -> LogParser:
    """The registered parser called ``name`` (``KeyError`` when there is none)."""
    for parser in all_parsers():
        if parser.name == name:
            return parser
    raise KeyError(name)


def sniff_parser(head: bytes, parsers: Iterable[LogParser] | None = None) -> LogParser | None:
    """The first parser whose sniffer accepts the (decompressed) head of a file."""
    for parser in all_parsers() if parsers is None else parsers:
        if parser.sniff(head):
            return parser
    return None


class _Decompressed(io.RawIOBase):
    """gzip data as a raw stream that ends, instead of raising, where the data is damaged."""

    def __init__(self, inner: io.BufferedIOBase) -> None:
        self._inner = inner
        self.damaged = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.damaged:
            return 0
        try:
            data = self._inner.read(len(buffer))
        except (EOFError, OSError, zlib.error):
            self.damaged = True
            return 0
        buffer[: len(data)] = data
        return len(data)


def open_log(raw: IO[bytes]) -> tuple[IO[bytes], bytes]:
    """A buffered, decompressed view of ``raw`` (gzip is transparent) and its first bytes."""
    buffered: io.BufferedReader[Any] = io.BufferedReader(raw, 1 << 16)
    if buffered.peek(2)[:2] == GZIP_MAGIC:
        unzipped = _Decompressed(gzip.GzipFile(fileobj=buffered, mode="rb"))
        buffered = io.BufferedReader(unzipped, 1 << 16)
    head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    return buffered, head


def damaged(stream: IO[bytes]) -> bool:
    """Whether a stream from ``open_log`` ended early on damaged compressed data."""
    inner = getattr(stream, "raw", None)
    return isinstance(inner, _Decompressed) and inner.damaged
