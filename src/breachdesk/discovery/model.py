"""Values passed from readers to detectors: locators, table batches, text chunks, skips.

Readers yield ``TableBatch | TextChunk | Skipped``; detectors and the column classifier consume
batches and chunks. Nothing here holds a raw value in its repr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


@dataclass(frozen=True, slots=True)
class Locator:
    """Where something sits: file (``outer.zip!inner.csv`` inside archives), table, row, column."""

    path: str
    table: str | None = None
    row: int | None = None
    column: str | None = None
    span: tuple[int, int] | None = None

    def describe(self) -> str:
        """Human-readable location, never containing a value."""
        parts = [self.path]
        if self.table:
            parts.append(f"table {self.table}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A part of the input that could not be read; the reason names the location, not values."""

    locator: Locator
    reason: str


@dataclass(frozen=True, slots=True)
class TableBatch:
    """Consecutive records of one table: every column as text (nulls allowed).

    ``first_row`` is the 1-based record number of the frame's first row within the table;
    column names are the header names or flattened JSON paths (``customer.address.zip``).
    """

    locator: Locator
    first_row: int
    frame: pl.DataFrame = field(repr=False)


@dataclass(frozen=True, slots=True)
class TextChunk:
    """A piece of free text (document, log, e-mail body) starting at ``offset`` characters."""

    locator: Locator
    offset: int
    first_line: int
    text: str = field(repr=False)
