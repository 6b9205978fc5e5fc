"""Flattening nested JSON values into dotted paths and batching heterogeneous records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

from breachdesk.discovery.model import Locator, TableBatch
from breachdesk.discovery.readers.table import text_frame

MAX_LIST_ITEMS = 50


def scalar_text(value: object) -> str | None:
    """A JSON scalar as text: ``true``/``false``, numbers as written, null as None."""
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if value is None:
        return None
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float or isinstance(value, Decimal | int | float):
        return str(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, default=str, ensure_ascii=False)


def flatten(
    value: object, prefix: str = "", out: dict[str, str | None] | None = None
) -> dict[str, str | None]:
    """Paths like ``customer.address.zip`` (list items as ``tags.0``) mapped to text values."""
    out = {} if out is None else out
    kind = type(value)
    if kind is dict or (kind is not list and isinstance(value, Mapping)):
        items = value.items()  # type: ignore[attr-defined]
        if not items and prefix:
            out[prefix] = None
        for key, item in items:
            path = f"{prefix}.{key}" if prefix else str(key)
            kind = type(item)
            if kind is str:
                out[path] = item
            elif kind is dict or kind is list:
                flatten(item, path, out)
            else:
                out[path] = scalar_text(item)
    elif kind is list:
        items = value[:MAX_LIST_ITEMS]  # type: ignore[index]
        for index, item in enumerate(items):
            flatten(item, f"{prefix}.{index}" if prefix else str(index), out)
        if len(value) > MAX_LIST_ITEMS:  # type: ignore[arg-type]
            rest = value[MAX_LIST_ITEMS:]  # type: ignore[index]
            out[f"{prefix}.more" if prefix else "more"] = json.dumps(rest, default=str)
    else:
        out[prefix or "value"] = scalar_text(value)
    return out


def record_batches(
    locator: Locator, records: Iterable[tuple[int, dict[str, str | None]]], batch_rows: int
) -> Iterator[TableBatch]:
    """Batches of consecutive ``(row, flat record)`` pairs; columns are the union within a batch."""
    pending: list[dict[str, str | None]] = []
    start = expected = 0
    for row, record in records:
        if pending and (row != expected or len(pending) >= batch_rows):
            yield _batch(locator, start, pending)
            pending = []
        if not pending:
            start = row
        pending.append(record)
        expected = row + 1
    if pending:
        yield _batch(locator, start, pending)


def _batch(locator: Locator, start: int, records: list[dict[str, str | None]]) -> TableBatch:
    names = list(dict.fromkeys(key for record in records for key in record))
    rows = [[record.get(name) for name in names] for record in records]
    return TableBatch(locator, start, text_frame(names, rows))
