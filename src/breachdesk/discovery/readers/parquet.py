"""Parquet files, read row group by row group in bounded record batches."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from breachdesk.discovery.model import Locator, TableBatch
from breachdesk.discovery.readers.base import Item, ReadContext, failure, fatal, spooled_path
from breachdesk.discovery.readers.table import all_text

_MAGIC = b"PAR1"


def parquet_row_groups(path: Path) -> list[tuple[int, int]]:
    """``(row group index, 1-based first row)`` for each row group: the units of parallel work."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    out, row = [], 1
    for index in range(meta.num_row_groups):
        out.append((index, row))
        row += meta.row_group(index).num_rows
    return out


@dataclass(frozen=True, slots=True)
class ParquetReader:
    """Apache Parquet; every column rendered as text."""

    name: str = "parquet"
    version: int = 1
    extensions: tuple[str, ...] = (".parquet", ".pq")
    media_types: tuple[str, ...] = ("application/vnd.apache.parquet",)

    def sniff(self, head: bytes, name: str) -> bool:
        """The ``PAR1`` magic."""
        return head.startswith(_MAGIC)

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Every row group; a corrupt row group is skipped and the next one still read."""
        try:
            with spooled_path(stream, context.limits, ".parquet") as path:
                groups = parquet_row_groups(path)
                for index, first in groups:
                    yield from self.read_row_group(path, index, first, locator, context)
        except BaseException as exc:  # unreadable footer or schema (panics included)
            if fatal(exc):
                raise
            yield failure(locator, "parquet file not readable", exc)

    def read_row_group(
        self, path: Path, index: int, first_row: int, locator: Locator, context: ReadContext
    ) -> Iterator[Item]:
        """One row group in batches of ``batch_rows``."""
        import polars as pl
        import pyarrow.parquet as pq

        row = first_row
        try:
            pf = pq.ParquetFile(path)
            for batch in pf.iter_batches(context.limits.batch_rows, row_groups=[index]):
                batch.validate(full=True)  # invalid UTF-8 would otherwise panic in polars
                frame = pl.DataFrame(pl.from_arrow(batch))
                yield TableBatch(locator, row, all_text(frame))
                row += frame.height
        except (
            BaseException
        ) as exc:  # corrupt pages: skip the rest of this row group (panics included)
            if fatal(exc):
                raise
            at = Locator(locator.path, locator.table, row)
            yield failure(at, f"row group {index} not readable", exc)

    def samples(self) -> Mapping[str, bytes]:
        """A small two-column file."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        buf = io.BytesIO()
        table = pa.table({"id": [1, 2], "email": ["a@example.com", None]})
        pq.write_table(table, buf)
        return {"people.parquet": buf.getvalue()}
