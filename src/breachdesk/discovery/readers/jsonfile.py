"""JSON documents: top-level arrays of records (or arrays under top-level keys), streamed."""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import IO

from breachdesk.discovery.model import Locator, Skipped
from breachdesk.discovery.readers.base import Item, ReadContext, peek_head
from breachdesk.discovery.readers.jsontree import flatten, record_batches


@dataclass(frozen=True, slots=True)
class JsonReader:
    """A JSON document; each array of records is a table (``users`` for ``{"users": [...]}``)."""

    name: str = "json"
    version: int = 1
    extensions: tuple[str, ...] = (".json",)
    media_types: tuple[str, ...] = ("application/json",)

    def sniff(self, head: bytes, name: str) -> bool:
        """Starts with ``[`` or ``{`` (after an optional BOM and whitespace)."""
        return head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] in (b"[", b"{")

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Stream records with ijson; a syntax error ends the read with a Skipped."""
        import ijson

        head, stream = peek_head(stream, 4096)
        if head.startswith(codecs.BOM_UTF8):
            stream.read(3)
        root: dict[str, str | None] = {}
        records: Iterator[tuple[str | None, object]]
        if head.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"[":
            records = ((None, record) for record in ijson.items(stream, "item"))
        else:
            records = _records(ijson.parse(stream), root)
        tables: dict[str | None, list[tuple[int, dict[str, str | None]]]] = {}
        rows: dict[str | None, int] = {}
        limit = context.limits.batch_rows
        try:
            for table, record in records:
                rows[table] = rows.get(table, 0) + 1
                pending = tables.setdefault(table, [])
                pending.append((rows[table], flatten(record)))
                if len(pending) >= limit:
                    yield from record_batches(_table(locator, table), pending, limit)
                    pending.clear()
        except Exception as exc:  # ijson errors quote the input: report the type only
            yield from _flush(locator, tables, limit)
            yield Skipped(
                locator, f"{locator.path}: invalid JSON, reading stopped ({type(exc).__name__})"
            )
            return
        yield from _flush(locator, tables, limit)
        if root:
            yield from record_batches(_table(locator, None), [(1, root)], limit)

    def samples(self) -> Mapping[str, bytes]:
        """An array of nested records and an object holding a record array."""
        return {
            "users.json": b'[{"id": 1, "customer": {"address": {"zip": "10115"}}}, {"id": 2}]',
            "export.json": b'{"version": 2, "users": [{"email": "a@example.com", "tags": ["x"]}]}',
        }


def _table(locator: Locator, table: str | None) -> Locator:
    return Locator(locator.path, table or locator.table)


def _flush(
    locator: Locator, tables: dict[str | None, list[tuple[int, dict[str, str | None]]]], limit: int
) -> Iterator[Item]:
    for table, pending in tables.items():
        yield from record_batches(_table(locator, table), pending, limit)
        pending.clear()


def _records(
    events: Iterator[tuple[str, str, object]], root: dict[str, str | None]
) -> Iterator[tuple[str | None, object]]:
    """``(table, record)`` for each item of a top-level array or of an array under a top-level key.

    Scalars and objects that are not in such arrays are flattened into ``root``.
    """
    from ijson.common import ObjectBuilder

    builder: ObjectBuilder | None = None
    table: str | None = None
    depth = 0
    for prefix, event, value in events:
        if builder is None:
            table = _record_table(prefix, event)
            if table is None:
                _into_root(root, prefix, event, value)
                continue
            builder, depth = ObjectBuilder(), 0
        builder.event(event, value)
        if event in ("start_map", "start_array"):
            depth += 1
        elif event in ("end_map", "end_array"):
            depth -= 1
        if depth == 0:
            yield (None if table == "" else table), builder.value
            builder = None


def _record_table(prefix: str, event: str) -> str | None:
    """The table an event starts a record of (``""`` for a top-level array), else None.

    Records are the items of the outermost arrays: ``[...]``, ``{"users": [...]}`` and
    ``{"data": {"users": [...]}}`` (table ``data.users``); deeper arrays stay inside records.
    """
    if event in ("map_key", "end_map", "end_array"):
        return None
    if prefix == "item":
        return ""
    parent, _, last = prefix.rpartition(".")
    if last != "item" or not parent or "item" in parent.split("."):
        return None
    return parent


def _into_root(root: dict[str, str | None], prefix: str, event: str, value: object) -> None:
    if event in ("string", "number", "boolean", "null") and prefix:
        root.update(flatten(value, prefix))
