"""Helpers shared by table readers: column naming and building all-text frames from rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from breachdesk.discovery.model import Locator, TableBatch

if TYPE_CHECKING:
    import polars as pl


_VALUE_LIKE = re.compile(r"@|\d{4}")


def header_like(cells: Sequence[str | None]) -> bool:
    """Whether a first row reads as column names (and so may name columns without leaking values).

    Cells holding an ``@`` or four digits in a row look like data (e-mail, phone, date, id).
    """
    texts = [c for c in cells if c and c.strip()]
    return bool(texts) and not any(_VALUE_LIKE.search(c) for c in texts)


def unique_names(header: Sequence[str | None]) -> list[str]:
    """Column names made non-empty and unique (``column_3``, ``email_2``)."""
    seen: set[str] = set()
    names: list[str] = []
    for index, raw in enumerate(header, start=1):
        base = (raw or "").strip() or f"column_{index}"
        name, n = base, 1
        while name in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name)
        names.append(name)
    return names


def text_frame(names: Sequence[str], rows: Sequence[Sequence[str | None]]) -> pl.DataFrame:
    """A frame with one Utf8 column per name; rows must have exactly ``len(names)`` cells."""
    import polars as pl

    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pl.DataFrame(
        {name: list(col) for name, col in zip(names, columns, strict=True)},
        schema=dict.fromkeys(names, pl.String),
    )


def to_text(value: object) -> str | None:
    """A cell rendered as text: None stays None, bytes are decoded leniently, the rest ``str()``."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def batched_rows(
    locator: Locator,
    names: Sequence[str],
    rows: Iterable[Sequence[str | None]],
    batch_rows: int,
    first_row: int = 1,
) -> Iterator[TableBatch]:
    """Group rows (already the right width) into TableBatches numbered from ``first_row``."""
    pending: list[Sequence[str | None]] = []
    start = first_row
    for row in rows:
        pending.append(row)
        if len(pending) >= batch_rows:
            yield TableBatch(locator, start, text_frame(names, pending))
            start += len(pending)
            pending = []
    if pending:
        yield TableBatch(locator, start, text_frame(names, pending))


def all_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as Utf8: structs flattened into ``parent.child`` columns, lists as text."""
    import polars as pl

    frame = _unnest_structs(frame)
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.String:
            exprs.append(col)
        elif isinstance(dtype, pl.List | pl.Array) and not dtype.inner.is_nested():
            exprs.append(col.list.eval(pl.element().cast(pl.String)).list.join("; "))
        elif dtype.is_nested():
            encoded = pl.struct(col.alias("v")).struct.json_encode()
            exprs.append(encoded.str.slice(5).str.strip_suffix("}").alias(name))
        elif dtype == pl.Object:
            exprs.append(col.map_elements(to_text, return_dtype=pl.String))
        else:
            exprs.append(col.cast(pl.String, strict=False))
    return frame.select(exprs)


def _unnest_structs(frame: pl.DataFrame) -> pl.DataFrame:
    import polars as pl

    while structs := [n for n, d in frame.schema.items() if isinstance(d, pl.Struct)]:
        renamed = [
            pl.col(n).struct.rename_fields(
                [f"{n}.{f.name}" for f in frame.schema[n].fields]  # type: ignore[attr-defined]
            )
            for n in structs
        ]
        frame = frame.with_columns(renamed).unnest(structs)
    return frame
