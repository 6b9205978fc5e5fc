"""A large customer table for benchmarks, streamed to disk in big vectorised chunks."""

from __future__ import annotations

import array
import datetime as dt
import math
from pathlib import Path
from random import Random
from typing import BinaryIO

import polars as pl

from breachdesk.core.element import DataElement
from breachdesk.demodata.account import make_account
from breachdesk.demodata.export import EXPORT_COLUMNS, export_truth, make_export_row
from breachdesk.demodata.master import REFERENCE_DAY
from breachdesk.demodata.person import make_person
from breachdesk.demodata.truth import FileTruth

# Same kinds of column as the CSV export of the demo leak (27 columns).
TABLE_COLUMNS: dict[str, DataElement | None] = dict(EXPORT_COLUMNS)
POOL_BITS = 15  # 32,768 distinct values per column, drawn independently per row
_CHUNK_ROWS = 200_000
_FIRST_ROWS = 100
_EPOCH = dt.datetime(2025, 1, 1)


def _pools(seed: int, bits: int) -> dict[str, pl.Series]:
    """Per-column pools of realistic, noisy values, rendered once in Python."""
    rng = Random(f"table-{seed}")
    rows = []
    for i in range(1 << bits):
        person = make_person(rng, i, REFERENCE_DAY)
        rows.append(make_export_row(rng, i, person, make_account(rng, person)))
    return {
        name: pl.Series(name, [row[k] or None for row in rows], dtype=pl.String)
        for k, name in enumerate(TABLE_COLUMNS)
    }


def _indices(rng: Random, rows: int, bits: int) -> pl.Series:
    raw = array.array("H", rng.randbytes(2 * rows))
    return pl.Series("i", raw, dtype=pl.UInt16) // (1 << (16 - bits))


def _chunk(
    rng: Random, pools: dict[str, pl.Series], bits: int, first_row: int, rows: int
) -> pl.DataFrame:
    """``rows`` rows: unique order ids, spread times, other columns drawn from the pools."""
    ids = pl.int_range(first_row, first_row + rows, eager=True)
    seconds = _indices(rng, rows, 16).cast(pl.Int64) * 1_373 + ids % 1_000
    created = ((seconds * 1_000_000).cast(pl.Duration("us")) + _EPOCH).dt.strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    data = {name: pool.gather(_indices(rng, rows, bits)) for name, pool in pools.items()}
    data["order_id"] = "ORD-" + (ids + 200_000).cast(pl.String)
    data["created_at"] = created
    return pl.DataFrame(data).select(list(TABLE_COLUMNS))


def _write(fh: BinaryIO, frame: pl.DataFrame, header: bool) -> int:
    start = fh.tell()
    frame.write_csv(fh, include_header=header, line_terminator="\n")
    return fh.tell() - start


def generate_structured_table(
    path: Path, size_bytes: int, seed: int = 7, *, pool_bits: int = POOL_BITS
) -> FileTruth:
    """Write a CSV of at least ``size_bytes`` bytes (whole rows) with the export's 27 columns.

    Values come from per-column pools of ``2**pool_bits`` generated values (noise included), drawn
    independently per row; ``order_id`` is unique per row.
    """
    path = Path(path)
    rng = Random(seed)
    if not 1 <= pool_bits <= 16:
        raise ValueError("pool_bits must be between 1 and 16")
    pools = _pools(seed, pool_bits)
    written, rows = 0, 0
    with path.open("wb") as fh:
        while written < size_bytes:
            # The first, small chunk measures the row size; the last one is cut to fit.
            want = _CHUNK_ROWS if rows else _FIRST_ROWS
            if rows:
                want = min(want, max(1, math.ceil((size_bytes - written) * rows / written)))
            frame = _chunk(rng, pools, pool_bits, rows, want)
            written += _write(fh, frame, header=rows == 0)
            rows += frame.height
    return FileTruth(path=path.name, format="csv", rows=rows, columns=export_truth())
