"""CSV/TSV reader: sniffed dialect and encoding, polars fast path by chunks, csv-module fallback."""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from breachdesk.discovery.model import Locator, Skipped, TableBatch
from breachdesk.discovery.readers.base import (
    HEAD_BYTES,
    Item,
    ReadContext,
    ReadLimits,
    fatal,
    peek_head,
)
from breachdesk.discovery.readers.csv_split import (
    ByteRange,
    find_cut,
    quoting_is_splittable,
    record_chunks,
)
from breachdesk.discovery.readers.encoding import LineDecoder, detect_encoding, is_ascii_compatible
from breachdesk.discovery.readers.table import header_like, text_frame, unique_names

if TYPE_CHECKING:
    import polars as pl

_DELIMITERS = (",", ";", "\t", "|")
_MAX_FIELD = 64 << 20


@dataclass(frozen=True, slots=True)
class Dialect:
    """How a delimited file is written: separator, quoting, encoding, BOM length, header."""

    delimiter: str
    quotechar: str
    encoding: str
    bom: int
    has_header: bool
    splittable: bool
    escapechar: str | None = None


def sniff_dialect(head: bytes, name: str) -> Dialect:
    """Guess the dialect from the first bytes (``name``'s extension breaks ties)."""
    encoding, bom = detect_encoding(head)
    text = head[bom:].decode(encoding, "replace")
    lines = [line for line in text.splitlines()[:-1] or text.splitlines() if line.strip()][:50]
    delimiter = _pick_delimiter(lines, name)
    quotechar = "'" if '"' not in text and text.count("'") > len(lines) * 2 else '"'
    first = next(csv.reader(lines[:1], delimiter=delimiter, quotechar=quotechar), [])
    has_header = header_like(first)
    escapechar = "\\" if "\\" + quotechar in text else None  # MySQL-style exports
    splittable = (
        is_ascii_compatible(encoding)
        and escapechar is None
        and quoting_is_splittable(text, delimiter, quotechar)
    )
    return Dialect(delimiter, quotechar, encoding, bom, has_header, splittable, escapechar)


def _pick_delimiter(lines: Sequence[str], name: str) -> str:
    default = "\t" if name.lower().endswith((".tsv", ".tab")) else ","
    best, best_score = default, (0.0, 0)
    for cand in _DELIMITERS:
        counts = Counter(line.count(cand) for line in lines)
        if not counts:
            continue
        mode, freq = counts.most_common(1)[0]
        score = (freq / len(lines), mode)
        if mode > 0 and (score > best_score or (score == best_score and cand == default)):
            best, best_score = cand, score
    return best


@dataclass(frozen=True, slots=True)
class CsvReader:
    """Delimited text tables (CSV, TSV, semicolon, pipe)."""

    name: str = "csv"
    version: int = 1
    extensions: tuple[str, ...] = (".csv", ".tsv", ".tab", ".psv")
    media_types: tuple[str, ...] = ("text/csv", "text/tab-separated-values")

    def sniff(self, head: bytes, name: str) -> bool:
        """Only by extension: plain text is too often mistaken for CSV."""
        return name.lower().endswith(self.extensions)

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Stream the table in batches; ragged or malformed records become Skipped."""
        head, stream = peek_head(stream, HEAD_BYTES)
        dialect = sniff_dialect(head, locator.path)
        limits = context.limits
        stream.read(dialect.bom)
        if dialect.splittable:
            first = _read_up_to(stream, limits.fast_path_bytes)
            if len(first) >= limits.fast_path_bytes:
                yield from _read_chunked(first, stream, dialect, locator, limits)
                return
            stream = io.BytesIO(first)
        lines = LineDecoder(stream, dialect.encoding, _MAX_FIELD)
        names, rows = _body(_records(lines, dialect), dialect)
        if names is None:
            return
        yield from _batches(rows, lines, names, locator, 1, limits.batch_rows)

    def read_range(
        self, path: Path, part: ByteRange, locator: Locator, context: ReadContext
    ) -> Iterator[Item]:
        """Read the records of one range produced by ``split_csv`` (header taken from the file)."""
        with path.open("rb") as stream:
            dialect = sniff_dialect(stream.read(HEAD_BYTES), path.name)
            stream.seek(dialect.bom)
            names = _header(_records(LineDecoder(stream, dialect.encoding), dialect), dialect)
            if names is None:
                return
            stream.seek(part.start)
            data = stream.read(part.end - part.start)
        yield from _chunk(data, dialect, names, locator, part.first_row, context.limits.batch_rows)

    def samples(self) -> Mapping[str, bytes]:
        """A small CSV and TSV with quoted newlines."""
        return {
            "people.csv": b'id,name,email\n1,"Doe, Jane","j@example.com"\n2,"Multi\nLine",\n',
            "people.tsv": b"id\tcity\n1\tParis\n2\tLyon\n",
        }


def _read_up_to(stream: IO[bytes], size: int) -> bytes:
    """At most ``size`` bytes, read in bounded blocks (``size`` may be huge)."""
    parts: list[bytes] = []
    left = size
    while left > 0 and (block := stream.read(min(left, 1 << 20))):
        parts.append(block)
        left -= len(block)
    return b"".join(parts)


def _read_chunked(
    initial: bytes, stream: IO[bytes], dialect: Dialect, locator: Locator, limits: ReadLimits
) -> Iterator[Item]:
    """Record-aligned pieces parsed by polars (csv module for pieces it rejects)."""
    quote = dialect.quotechar.encode("ascii")
    chunks = record_chunks(stream, quote, limits.csv_chunk_bytes, initial)
    first = next(chunks, b"")
    cut = find_cut(first, 0, False, quote)
    header = first if cut is None else first[: cut + 1]
    lines = LineDecoder(io.BytesIO(header), dialect.encoding, _MAX_FIELD)
    names = _header(_records(lines, dialect), dialect)
    if names is None:
        return
    rest = first[len(header) :] if dialect.has_header else first
    row = 1
    for data in itertools.chain([rest], chunks):
        if data:
            row += yield from _chunk(data, dialect, names, locator, row, limits.batch_rows)


def _chunk(
    data: bytes, dialect: Dialect, names: list[str], locator: Locator, first: int, batch: int
) -> Generator[Item, None, int]:
    """Whole records as bytes: polars when they parse cleanly, else the csv module per record.

    Returns the number of records the bytes held.
    """
    frame = _polars_frame(data, dialect, names)
    if (
        frame is not None
        and frame.width
        and frame.get_column(names[-1]).null_count()
        and not _all_rows_full(data, dialect, frame.height, len(names))
    ):
        frame = None  # short rows (polars pads them with nulls): the csv module reports them
    if frame is None:
        lines = LineDecoder(io.BytesIO(data), dialect.encoding, _MAX_FIELD)
        return (yield from _batches(_records(lines, dialect), lines, names, locator, first, batch))
    for offset in range(0, frame.height, batch):
        yield TableBatch(locator, first + offset, frame.slice(offset, batch))
    return int(frame.height)


def _all_rows_full(data: bytes, dialect: Dialect, records: int, width: int) -> bool:
    """Whether ``records`` rows of ``width`` fields account for every unquoted delimiter.

    Polars rejects rows with too many fields, so an exact total means none has too few.
    """
    delimiter = dialect.delimiter.encode(dialect.encoding)
    quote = dialect.quotechar.encode(dialect.encoding)
    if quote in data:
        found = sum(part.count(delimiter) for part in data.split(quote)[0::2])
    else:
        found = data.count(delimiter)
    return found == records * (width - 1)


def _polars_frame(data: bytes, dialect: Dialect, names: list[str]) -> pl.DataFrame | None:
    import polars as pl

    try:
        if dialect.encoding not in ("utf-8", "ascii"):
            data = data.decode(dialect.encoding).encode("utf-8")
        return pl.read_csv(
            data,
            has_header=False,
            new_columns=names,
            separator=dialect.delimiter,
            quote_char=dialect.quotechar,
            infer_schema=False,
            raise_if_empty=False,
        )
    except BaseException as exc:  # any parse problem (even a panic): the csv module reports it
        if fatal(exc):
            raise
        return None


def _records(lines: LineDecoder, dialect: Dialect) -> Iterator[list[str] | None]:
    """Records from decoded lines; ``None`` stands for a malformed record."""
    csv.field_size_limit(_MAX_FIELD)
    reader = csv.reader(
        lines,
        delimiter=dialect.delimiter,
        quotechar=dialect.quotechar,
        escapechar=dialect.escapechar,
    )
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield None


def _header(rows: Iterator[list[str] | None], dialect: Dialect) -> list[str] | None:
    """Column names from the first record (or ``column_N`` when the file has no header)."""
    return _body(rows, dialect)[0]


def _body(
    rows: Iterator[list[str] | None], dialect: Dialect
) -> tuple[list[str] | None, Iterator[list[str] | None]]:
    """Column names and the data records (the first record is data when there is no header)."""
    first = next(rows, None)
    while first == []:
        first = next(rows, None)
    if first is None:
        return None, rows
    if dialect.has_header:
        return unique_names(first), rows
    return unique_names([None] * len(first)), itertools.chain([first], rows)


def _batches(
    rows: Iterator[list[str] | None],
    lines: LineDecoder,
    names: list[str],
    locator: Locator,
    first: int,
    batch: int,
) -> Generator[Item, None, int]:
    """Rows grouped into batches; a skipped record ends the batch (rows stay consecutive).

    Returns the number of records seen.
    """
    width, row, replaced = len(names), first - 1, lines.replaced
    pending: list[list[str | None]] = []
    start = first
    for cells in rows:
        row += 1
        if lines.replaced != replaced:
            replaced = lines.replaced
            yield Skipped(_at(locator, row), f"row {row}: undecodable bytes replaced")
        if cells is None or (cells and len(cells) != width):
            got = "malformed quoting" if cells is None else f"{len(cells)} fields, expected {width}"
            if pending:
                yield TableBatch(locator, start, text_frame(names, pending))
            yield Skipped(_at(locator, row), f"row {row}: {got}")
            start, pending = row + 1, []
            continue
        pending.append([c or None for c in cells] if cells else [None] * width)
        if len(pending) >= batch:
            yield TableBatch(locator, start, text_frame(names, pending))
            start, pending = row + 1, []
    if pending:
        yield TableBatch(locator, start, text_frame(names, pending))
    return row - first + 1


def _at(locator: Locator, row: int) -> Locator:
    return Locator(locator.path, locator.table, row)
