"""NDJSON / JSON Lines: one JSON value per line, each line a record."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

from breachdesk.discovery.model import Locator, Skipped
from breachdesk.discovery.readers.base import Item, ReadContext
from breachdesk.discovery.readers.jsontree import flatten, record_batches

_MAX_LINE = 64 << 20


@dataclass(frozen=True, slots=True)
class NdjsonReader:
    """Newline-delimited JSON; a line that does not parse is skipped by line number."""

    name: str = "ndjson"
    version: int = 1
    extensions: tuple[str, ...] = (".ndjson", ".jsonl", ".ldjson")
    media_types: tuple[str, ...] = ("application/x-ndjson", "application/jsonl")

    def sniff(self, head: bytes, name: str) -> bool:
        """At least two lines, the first a complete JSON object."""
        lines = head.lstrip().split(b"\n", 2)
        if len(lines) < 2 or not lines[0].strip().startswith(b"{"):
            return False
        try:
            json.loads(lines[0])
        except ValueError:
            return False
        return lines[1].strip()[:1] in (b"{", b"")

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Stream records in batches; bad lines become Skipped with their line number."""
        limit = context.limits.batch_rows
        pending: list[tuple[int, dict[str, str | None]]] = []
        for number, record in _lines(stream, locator):
            if isinstance(record, Skipped):
                yield from record_batches(locator, pending, limit)
                pending.clear()
                yield record
                continue
            pending.append((number, record))
            if len(pending) >= limit:
                yield from record_batches(locator, pending, limit)
                pending.clear()
        yield from record_batches(locator, pending, limit)

    def samples(self) -> Mapping[str, bytes]:
        """Two nested records."""
        return {
            "events.ndjson": b'{"user": {"email": "a@example.com"}}\n{"user": {"ip": "10.0.0.1"}}\n'
        }


def _lines(
    stream: IO[bytes], locator: Locator
) -> Iterator[tuple[int, dict[str, str | None] | Skipped]]:
    number = 0
    while raw := stream.readline(_MAX_LINE):
        number += 1
        if not raw.endswith(b"\n") and len(raw) >= _MAX_LINE:
            yield (
                number,
                Skipped(Locator(locator.path, locator.table, number), f"line {number}: too long"),
            )
            while (rest := stream.readline(_MAX_LINE)) and not rest.endswith(b"\n"):
                pass
            continue
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            at = Locator(locator.path, locator.table, number)
            yield number, Skipped(at, f"line {number}: invalid JSON")
            continue
        yield number, flatten(value)
