"""The ``LogParser`` contract, parse options and helpers every parser shares."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import partial
from types import MappingProxyType
from typing import IO, Protocol

from breachdesk.timeline.event import ParsedItem

MAX_LINE = 1 << 20  # longer lines are skipped, not loaded whole
_NO_MAP: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ParseOptions:
    """What a parser needs beyond the bytes.

    ``tz`` applies to stamps without an offset; ``reference`` (the file's modification time)
    anchors year-less syslog stamps; ``field_map`` maps normalised names (``time``, ``src_ip``,
    ...) to source field names or dotted paths for JSON lines and CSV.
    """

    tz: tzinfo = UTC
    reference: datetime | None = None
    field_map: Mapping[str, str] = field(default_factory=lambda: _NO_MAP)


class LogParser(Protocol):
    """Turns one log stream into normalised events, skipping what it cannot read."""

    @property
    def name(self) -> str: ...
    def sniff(self, head: bytes) -> bool: ...
    def samples(self) -> Mapping[str, bytes]: ...
    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]: ...


def locator(source_name: str, number: int) -> str:
    """``file:line`` (or ``file:record`` for record formats)."""
    return f"{source_name}:{number}"


def line_number(loc: str) -> int:
    """The line or record number at the end of a locator (0 when there is none)."""
    tail = loc[loc.rfind(":") + 1 :]
    return int(tail) if tail.isdigit() else 0


def raw_lines(stream: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, bytes)`` per line, ``None`` for a line longer than ``MAX_LINE``."""
    number = 0
    overflow = False
    for raw in iter(partial(stream.readline, MAX_LINE), b""):
        complete = raw.endswith(b"\n")
        if overflow:  # the rest of a long line: swallow it
            overflow = not complete
            continue
        number += 1
        if not complete and len(raw) >= MAX_LINE:
            overflow = True
            yield number, None
            continue
        yield number, raw


def text_lines(stream: IO[bytes]) -> Iterator[tuple[int, str | None]]:
    """``(line number, text without the line end)``; ``None`` marks an over-long line."""
    for number, raw in raw_lines(stream):
        if raw is None:
            yield number, None
        else:
            yield number, raw.decode("utf-8", "replace").rstrip("\r\n")


def mostly(lines: list[str], accepts: Callable[[str], object]) -> bool:
    """The first line and at least half of the lines are accepted (a few corrupt lines are ok)."""
    if not lines or not accepts(lines[0]):
        return False
    return sum(1 for ln in lines if accepts(ln)) * 2 >= len(lines)


def head_lines(head: bytes, limit: int = 8) -> list[str]:
    """The first complete non-empty lines of a sniffed head, decoded leniently."""
    text = head.decode("utf-8", "replace").lstrip("\ufeff")
    lines = text.split("\n")
    if len(lines) > 1 and not head.endswith(b"\n"):
        lines = lines[:-1]  # the last one may be cut
    return [ln.rstrip("\r") for ln in lines if ln.strip()][:limit]
