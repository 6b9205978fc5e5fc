"""Generic CSV logs: a header row, columns mapped to normalised fields (``--map`` or guessed)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import IO

from breachdesk.timeline.event import LineSkipped, ParsedItem
from breachdesk.timeline.fieldmap import resolve
from breachdesk.timeline.parsers.base import MAX_LINE, ParseOptions, head_lines
from breachdesk.timeline.parsers.jsonl import record_event

_DELIMITERS = ",;\t|"


def _dialect(head: bytes) -> str:
    lines = head_lines(head, 3)
    if not lines:
        return ","
    first = lines[0]
    return max(_DELIMITERS, key=first.count)


SAMPLE = (
    b"time,user,src_ip,action,status\n"
    b"2026-03-10T11:00:00Z,alice,203.0.113.7,login,ok\n"
    b"2026-03-10T11:00:05Z,bob,203.0.113.8,login,denied\n"
)


def _width(line: str, delim: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delim)))
    except (csv.Error, StopIteration):
        return 0


class CsvParser:
    """Delimited text with a header row; every column is kept in ``fields`` under its header."""

    name = "csv"

    def sniff(self, head: bytes) -> bool:
        """Text whose header and most rows have the same number (>= 2) of fields."""
        if b"\x00" in head:
            return False
        lines = head_lines(head)
        if len(lines) < 2 or not all(ch.isprintable() or ch == "\t" for ch in lines[0]):
            return False
        delim = _dialect(head)
        width = _width(lines[0], delim)
        same = sum(1 for ln in lines[1:] if _width(ln, delim) == width)
        return width >= 2 and same * 2 >= len(lines) - 1

    def samples(self) -> Mapping[str, bytes]:
        """A header and two rows."""
        return {"logins.csv": SAMPLE}

    def parse(
        self, stream: IO[bytes], source_name: str, options: ParseOptions
    ) -> Iterator[ParsedItem]:
        """One event per data row; locators give the row's first physical line."""
        peek = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
        csv.field_size_limit(MAX_LINE)
        reader = csv.reader(text, delimiter=_dialect(peek))
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield LineSkipped(f"{source_name}:1", "unreadable header row")
            return
        names = [h.strip() or f"column{i + 1}" for i, h in enumerate(header)]
        mapping = resolve(names, options.field_map)
        missing = sorted(set(options.field_map.values()) - set(names))
        if missing:
            yield LineSkipped(f"{source_name}:1", f"mapped column not in header: {missing[0]}")
            return
        yield from self._rows(reader, names, mapping, source_name, options)

    def _rows(
        self,
        reader: Iterator[list[str]],
        names: list[str],
        mapping: dict[str, str],
        source_name: str,
        options: ParseOptions,
    ) -> Iterator[ParsedItem]:
        line = 2
        while True:
            loc = f"{source_name}:{line}"
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error:
                yield LineSkipped(loc, "malformed CSV row; rest of file skipped")
                return
            line = reader.line_num + 1  # type: ignore[attr-defined]  # csv reader objects have it
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                yield LineSkipped(loc, f"{len(row)} columns, header has {len(names)}")
                continue
            flat = dict(zip(names, row, strict=True))
            key = mapping.get("time")
            raw = flat.get(key) if key is not None else None
            yield record_event(flat, raw or None, mapping, source=self.name, loc=loc, tz=options.tz)
