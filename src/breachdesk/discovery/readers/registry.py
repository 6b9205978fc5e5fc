"""Reader registry: built-ins plus the ``breachdesk.readers`` entry-point group, and dispatch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import IO

from breachdesk.discovery.model import Locator, Skipped
from breachdesk.discovery.readers.base import (
    Item,
    ReadContext,
    Reader,
    ReadLimits,
    failure,
    fatal,
    peek_head,
)

ENTRY_POINT_GROUP = "breachdesk.readers"


class DuplicateReaderError(Exception):
    """Two readers share a name."""


def builtin_readers() -> tuple[Reader, ...]:
    """The built-in readers in dispatch order: most specific magic first, plain text last."""
    from breachdesk.discovery.readers.archive import CompressedReader, TarReader, ZipReader
    from breachdesk.discovery.readers.delimited import CsvReader
    from breachdesk.discovery.readers.document import DocxReader, PdfReader
    from breachdesk.discovery.readers.jsonfile import JsonReader
    from breachdesk.discovery.readers.mail import EmailReader, MboxReader
    from breachdesk.discovery.readers.ndjson import NdjsonReader
    from breachdesk.discovery.readers.parquet import ParquetReader
    from breachdesk.discovery.readers.sqldump import SqlDumpReader
    from breachdesk.discovery.readers.sqlite import SqliteReader
    from breachdesk.discovery.readers.text import TextReader
    from breachdesk.discovery.readers.xlsx import XlsxReader

    return (
        XlsxReader(),
        DocxReader(),
        ZipReader(),
        CompressedReader(),
        TarReader(),
        SqliteReader(),
        ParquetReader(),
        PdfReader(),
        MboxReader(),
        EmailReader(),
        NdjsonReader(),
        JsonReader(),
        CsvReader(),
        SqlDumpReader(),
        TextReader(),
    )


def plugin_readers() -> tuple[Reader, ...]:
    """Readers installed by third parties under the ``breachdesk.readers`` entry-point group."""
    found: list[Reader] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        found.append(obj() if isinstance(obj, type) else obj)
    return tuple(found)


def check_unique(readers: Iterable[Reader]) -> tuple[Reader, ...]:
    """The readers unchanged, or ``DuplicateReaderError`` when two share a name."""
    result = tuple(readers)
    seen: set[str] = set()
    for reader in result:
        if reader.name in seen:
            raise DuplicateReaderError(f"duplicate reader name: {reader.name}")
        seen.add(reader.name)
    return result


@cache
def all_readers() -> tuple[Reader, ...]:
    """Plugins first (so they can claim formats), then built-ins; names must be unique."""
    plugins = plugin_readers()
    builtins = builtin_readers()
    return check_unique((*plugins, *builtins))


def reader_named(name: str) -> Reader:
    """The registered reader called ``name`` (``KeyError`` when there is none)."""
    for reader in all_readers():
        if reader.name == name:
            return reader
    raise KeyError(name)


def reader_for(name: str, head: bytes, readers: Iterable[Reader] | None = None) -> Reader | None:
    """The first reader whose sniffer accepts ``head``, else the first claiming the extension."""
    candidates = tuple(all_readers() if readers is None else readers)
    for reader in candidates:
        if reader.sniff(head, name):
            return reader
    lowered = name.lower()
    for reader in candidates:
        if lowered.endswith(tuple(reader.extensions)):
            return reader
    return None


def read_stream(stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
    """Dispatch ``stream`` to its reader; a reader failure becomes a Skipped, never an exception."""
    try:
        head, stream = peek_head(stream)
    except BaseException as exc:  # unreadable member or file (panics included)
        if fatal(exc):
            raise
        yield failure(locator, "not readable", exc)
        return
    if not head:
        return
    reader = reader_for(locator.path.rsplit("!", 1)[-1], head)
    if reader is None:
        yield Skipped(locator, f"{locator.path}: unrecognised format")
        return
    try:
        yield from reader.read(stream, locator, context)
    except (
        BaseException
    ) as exc:  # a reader bug or a stream error must not end the scan (panics included)
        if fatal(exc):
            raise
        yield failure(locator, f"{reader.name} reader stopped", exc)


def open_source(
    path: Path | str, *, limits: ReadLimits | None = None, name: str | None = None
) -> Iterator[Item]:
    """Read a file of any supported format, recursing into archives and attachments."""
    target = Path(path)
    locator = Locator(name or target.name)
    context = ReadContext(limits or ReadLimits(), nested=read_stream)
    try:
        stream = target.open("rb")
    except OSError as exc:
        yield failure(locator, "cannot open", exc)
        return
    with stream:
        yield from read_stream(stream, locator, context)
