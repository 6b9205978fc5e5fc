"""Record-aligned byte ranges of delimited files, safe with respect to quoted newlines.

A newline is a record boundary when an even number of quote characters precedes it (RFC 4180
quoting, where an escaped quote is doubled, keeps this parity). Files whose quoting cannot be
trusted for this (backslash escapes, stray quotes inside unquoted fields) are not split.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class ByteRange:
    """Bytes ``[start, end)`` of a file holding whole records; ``first_row`` is 1-based."""

    start: int
    end: int
    first_row: int


def find_cut(block: bytes, index: int, in_quote: bool, quote: bytes) -> int | None:
    """Position of the first newline at or after ``index`` that lies outside quotes."""
    while True:
        if in_quote:
            j = block.find(quote, index)
            if j < 0:
                return None
            index, in_quote = j + 1, False
            continue
        nl = block.find(b"\n", index)
        if nl < 0:
            return None
        q = block.find(quote, index, nl) if quote else -1
        if q < 0:
            return nl
        index, in_quote = q + 1, True


def unquoted_newlines(block: bytes, in_quote: bool, quote: bytes) -> int:
    """How many newlines of ``block`` lie outside quotes, given the quote state at its start."""
    if not quote or quote not in block:
        return 0 if in_quote else block.count(b"\n")
    parts = block.split(quote)
    outside = parts[1::2] if in_quote else parts[0::2]
    return sum(part.count(b"\n") for part in outside)


def cut_points(
    stream: IO[bytes], start: int, target: int, quote: bytes, *, count: bool = False
) -> Iterator[tuple[int, int]]:
    """``(offset, records before it)`` of record boundaries about every ``target`` bytes.

    Records are counted (relative to ``start``) only when ``count`` is set; otherwise 0.
    """
    stream.seek(start)
    pos, in_quote, records, want = start, False, 0, start + max(target, 0)
    while block := stream.read(_BLOCK):
        end = pos + len(block)
        while want < end:
            rel = max(want - pos, 0)
            state = in_quote ^ bool(block.count(quote, 0, rel) & 1) if quote else False
            cut = find_cut(block, rel, state, quote)
            if cut is None:
                want = end
                break
            before = records + unquoted_newlines(block[: cut + 1], in_quote, quote) if count else 0
            yield pos + cut + 1, before
            want = pos + cut + 1 + max(target, 1)
        if count:
            records += unquoted_newlines(block, in_quote, quote)
        if quote:
            in_quote ^= bool(block.count(quote) & 1)
        pos = end


def record_chunks(
    stream: IO[bytes], quote: bytes, target: int, initial: bytes = b""
) -> Iterator[bytes]:
    """Pieces of ``initial`` + ``stream`` of about ``target`` bytes, each ending at a record end.

    Reads sequentially in small blocks (no seeking), so it works on archive members and pipes;
    a record longer than ``target`` makes its piece longer rather than being cut.
    """
    parts: list[bytes] = []
    size, in_quote = 0, False  # quote state after ``parts``
    for block in _blocks(stream, initial):
        if size + len(block) >= target:
            cut = find_cut(block, 0, in_quote, quote)
            if cut is not None:
                parts.append(block[: cut + 1])
                yield b"".join(parts)
                rest = block[cut + 1 :]
                parts, size = ([rest] if rest else []), len(rest)
                in_quote = bool(quote and rest.count(quote) & 1)
                continue
        parts.append(block)
        size += len(block)
        in_quote ^= bool(quote and block.count(quote) & 1)
    if parts:
        yield b"".join(parts)


def _blocks(stream: IO[bytes], initial: bytes) -> Iterator[bytes]:
    if initial:
        yield initial
    while block := stream.read(_BLOCK):
        yield block


def quoting_is_splittable(sample: str, delimiter: str, quotechar: str) -> bool:
    """Whether quotes in ``sample`` only open or close fields (so quote parity is trustworthy)."""
    d, q = re.escape(delimiter), re.escape(quotechar)
    stray = re.compile(rf"(?<![{d}\n\r{q}]){q}(?![{d}\r\n{q}])")
    return stray.search(f"\n{sample}\n") is None


def split_csv(path: Path, target_bytes: int = 64 << 20) -> list[ByteRange]:
    """Record-aligned ranges of the data part (after the header) of a delimited file.

    Returns a single range covering all records when splitting is not safe.
    """
    from breachdesk.discovery.readers.delimited import sniff_dialect

    size = path.stat().st_size
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
        dialect = sniff_dialect(head, path.name)
        quote = dialect.quotechar.encode("ascii")
        first = next(cut_points(stream, dialect.bom, 0, quote), (size, 0))[0]
        if not dialect.splittable:
            return [ByteRange(first, size, 1)]
        ranges: list[ByteRange] = []
        start, row = first, 1
        for offset, before in cut_points(stream, first, target_bytes, quote, count=True):
            ranges.append(ByteRange(start, offset, row))
            start, row = offset, before + 1
        if start < size:
            ranges.append(ByteRange(start, size, row))
    return ranges or [ByteRange(first, size, 1)]
