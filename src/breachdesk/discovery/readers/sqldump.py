"""SQL dumps (mysqldump, pg_dump): INSERT rows and COPY blocks, columns from CREATE TABLE.

The dump is streamed line by line; only one statement is held in memory at a time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO

from breachdesk.discovery.model import Locator, Skipped, TableBatch
from breachdesk.discovery.readers.base import HEAD_BYTES, Item, ReadContext, peek_head
from breachdesk.discovery.readers.encoding import LineDecoder, detect_encoding
from breachdesk.discovery.readers.sqltoken import (
    copy_fields,
    incomplete,
    is_comment,
    literal,
    single_literal,
    split_top_level,
    tokenize,
    unquote_identifier,
)
from breachdesk.discovery.readers.table import text_frame, unique_names

_SNIFF = re.compile(
    rb"(?im)^\s*(insert\s+into|create\s+table|copy\s+\S+.*from\s+stdin|-- (mysql|postgresql)"
    rb".*dump|set\s+\S+\s*=)"
)
_STARTS = re.compile(r"(?i)\s*(insert\s+into|create\s+table|copy\s|drop\s+table|lock\s+tables)")
_NOT_COLUMNS = {
    "PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FOREIGN", "CHECK", "FULLTEXT",
    "SPATIAL", "EXCLUDE", "LIKE", "PERIOD",
}  # fmt: skip
_MAX_STATEMENT = 256 << 20
_COMMA_ONLY = frozenset({","})
_LITERALS = {
    False: functools.partial(single_literal, postgres=False),
    True: functools.partial(single_literal, postgres=True),
}
_STRUCTURE = frozenset({",", "(", ")", ";"})
_NAME_PARTS = re.compile(r'"(?:[^"]|"")*"|`(?:[^`]|``)*`|[^.]+')


@dataclass(slots=True)
class _Table:
    """Column names and row counter of one table, plus rows not yet emitted."""

    names: list[str] | None = None
    rows: int = 0
    start: int = 1
    pending: list[Sequence[str | None]] = field(default_factory=list)


@dataclass(slots=True)
class _Dump:
    """Parser state while streaming one dump."""

    locator: Locator
    postgres: bool
    batch_rows: int
    tables: dict[str, _Table] = field(default_factory=dict)
    copy: str | None = None

    def table(self, name: str) -> _Table:
        return self.tables.setdefault(name, _Table())

    def at(self, table: str | None, row: int | None = None) -> Locator:
        return Locator(self.locator.path, table, row)

    def add(self, name: str, cells: list[str | None]) -> Iterator[Item]:
        """Append one row (width-checked) and emit a batch when full."""
        table = self.table(name)
        table.rows += 1
        if table.names is None:
            table.names = unique_names([None] * len(cells))
        if len(cells) != len(table.names):
            yield from self.flush(name)
            yield Skipped(
                self.at(name, table.rows),
                f"table {name} row {table.rows}: {len(cells)} values, expected {len(table.names)}",
            )
            table.start = table.rows + 1
            return
        table.pending.append(cells)
        if len(table.pending) >= self.batch_rows:
            yield from self.flush(name)

    def skip(self, name: str | None, reason: str) -> Iterator[Item]:
        """Report an unreadable statement; rows after it keep counting from where they were."""
        if name is not None:
            yield from self.flush(name)
            table = self.table(name)
            yield Skipped(self.at(name, table.rows + 1), reason)
            return
        yield Skipped(self.at(None), reason)

    def flush(self, name: str) -> Iterator[Item]:
        table = self.tables.get(name)
        if table is None:
            return
        if table.pending and table.names is not None:
            yield TableBatch(self.at(name), table.start, text_frame(table.names, table.pending))
        table.start = table.rows + 1
        table.pending = []


@dataclass(frozen=True, slots=True)
class SqlDumpReader:
    """SQL text dumps: mysqldump multi-row INSERTs, pg_dump COPY blocks and INSERTs."""

    name: str = "sql_dump"
    version: int = 1
    extensions: tuple[str, ...] = (".sql", ".dump", ".mysql", ".pgsql")
    media_types: tuple[str, ...] = ("application/sql",)

    def sniff(self, head: bytes, name: str) -> bool:
        """SQL statements or a dump banner near the top."""
        return _SNIFF.search(head[:8192]) is not None

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Stream rows of every table; a garbled statement is skipped, the rest still read."""
        head, stream = peek_head(stream, HEAD_BYTES)
        encoding, bom = detect_encoding(head)
        stream.read(bom)
        postgres = b"PostgreSQL" in head or b"pg_dump" in head or b"FROM stdin" in head
        dump = _Dump(locator, postgres, context.limits.batch_rows)
        buffer: list[str] = []
        size, line_no, first = 0, 0, 0
        lines = LineDecoder(stream, encoding, _MAX_STATEMENT)
        for line in lines:
            line_no += 1
            if dump.copy is not None:
                yield from _copy_line(dump, line)
                continue
            if not buffer:
                if not line.strip() or line.lstrip().startswith("--"):
                    continue
                first = line_no
            elif size and buffer[-1].rstrip().endswith(";") and _STARTS.match(line):
                yield from dump.skip(None, f"{locator.path}: unreadable statement at line {first}")
                buffer, size, first = [], 0, line_no
            buffer.append(line)
            size += len(line)
            if not line.rstrip().endswith(";") and size < _MAX_STATEMENT:
                continue
            text = "".join(buffer)
            tokens = tokenize(text, postgres)
            if incomplete(tokens) and size < _MAX_STATEMENT:
                continue
            buffer, size = [], 0
            if "--" in text or "/*" in text:
                tokens = [t for t in tokens if not is_comment(t)]
            yield from _statement(dump, tokens, first)
        if buffer:
            yield from dump.skip(None, f"{locator.path}: incomplete statement at line {first}")
        for name in list(dump.tables):
            yield from dump.flush(name)

    def samples(self) -> Mapping[str, bytes]:
        """A mysqldump and a pg_dump excerpt."""
        return {
            "users.sql": (
                b"-- MySQL dump 10.13\nCREATE TABLE `users` (\n  `id` int NOT NULL,\n"
                b"  `email` varchar(255),\n  PRIMARY KEY (`id`)\n);\n"
                b"INSERT INTO `users` VALUES (1,'a@example.com'),(2,'O\\'Brien;\\n');\n"
            ),
            "pg.sql": (
                b"-- PostgreSQL database dump\nCREATE TABLE public.people (\n    id integer,\n"
                b"    name text\n);\nCOPY public.people (id, name) FROM stdin;\n1\tAnn\n"
                b"2\t\\N\n\\.\n"
            ),
        }


def _copy_line(dump: _Dump, line: str) -> Iterator[Item]:
    name = dump.copy or ""
    if line.rstrip("\r\n") == "\\.":
        dump.copy = None
        yield from dump.flush(name)
        return
    yield from dump.add(name, copy_fields(line))


def _statement(dump: _Dump, tokens: list[str], line: int) -> Iterator[Item]:
    """Dispatch one complete statement by its leading keywords."""
    words = [t.upper() for t in tokens[:3]]
    try:
        if words[:2] == ["INSERT", "INTO"] or words[:2] == ["REPLACE", "INTO"]:
            yield from _insert(dump, tokens, line)
        elif words[:2] == ["CREATE", "TABLE"]:
            _create(dump, tokens)
        elif words[:1] == ["COPY"] and "STDIN" in (t.upper() for t in tokens):
            _copy_start(dump, tokens)
    except (IndexError, ValueError):
        yield from dump.skip(None, f"{dump.locator.path}: unreadable statement at line {line}")


def _name(tokens: Sequence[str], index: int) -> tuple[str, int]:
    """A possibly schema-qualified table name starting at ``index``, and the index after it."""
    raw = tokens[index]
    index += 1
    while index < len(tokens) and (raw.endswith(".") or tokens[index].startswith(".")):
        raw += tokens[index]
        index += 1
    parts = _NAME_PARTS.findall(raw)
    return ".".join(unquote_identifier(p) for p in parts), index


def _columns(tokens: Sequence[str], start: int) -> tuple[list[str], int]:
    """Column names in ``( a, b )`` starting at ``start`` (an opening parenthesis)."""
    if tokens[start] != "(":
        raise ValueError("expected column list")
    end = tokens.index(")", start)
    names = [unquote_identifier(t) for t in tokens[start + 1 : end] if t != ","]
    return names, end + 1


def _create(dump: _Dump, tokens: list[str]) -> None:
    index = 2
    if [t.upper() for t in tokens[2:5]] == ["IF", "NOT", "EXISTS"]:
        index = 5
    name, index = _name(tokens, index)
    if tokens[index] != "(":
        return
    body = tokens[index + 1 : _closing(tokens, index)]
    names = [
        unquote_identifier(item[0])
        for item in split_top_level(body)
        if item and item[0].upper() not in _NOT_COLUMNS
    ]
    dump.tables[name] = _Table(names=unique_names(names))


def _tuple(tokens: list[str], start: int, postgres: bool) -> tuple[list[str | None], int]:
    """The values of the tuple opening at ``start`` and the index after it.

    Flat tuples of single-token values (the usual dump output) are converted with list
    operations; anything else (function calls, casts, charset introducers) takes the general
    path.
    """
    end = tokens.index(")", start)
    inner = tokens[start + 1 : end]
    values = inner[0::2]
    if (
        len(inner) % 2 == 1
        and _COMMA_ONLY.issuperset(inner[1::2])
        and _STRUCTURE.isdisjoint(values)
    ):
        return list(map(_LITERALS[postgres], values)), end + 1
    end = _closing(tokens, start)
    cells = [literal(v, postgres) for v in split_top_level(tokens[start + 1 : end])]
    return cells, end + 1


def _closing(tokens: Sequence[str], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        depth += {"(": 1, ")": -1}.get(tokens[index], 0)
        if depth == 0:
            return index
    raise ValueError("unbalanced parentheses")


def _copy_start(dump: _Dump, tokens: list[str]) -> None:
    name, index = _name(tokens, 1)
    table = dump.table(name)
    if index < len(tokens) and tokens[index] == "(":
        names, _ = _columns(tokens, index)
        table.names = unique_names(names)
    dump.copy = name


def _insert(dump: _Dump, tokens: list[str], line: int) -> Iterator[Item]:
    name, index = _name(tokens, 2)
    table = dump.table(name)
    if tokens[index] == "(":
        names, index = _columns(tokens, index)
        if table.names != unique_names(names):
            yield from dump.flush(name)
            table.names = unique_names(names)
    if tokens[index].upper() not in ("VALUES", "VALUE"):
        yield from dump.skip(name, f"table {name}: unsupported INSERT form at line {line}")
        return
    index += 1
    while index < len(tokens) and tokens[index] != ";":
        if tokens[index] == ",":
            index += 1
            continue
        if tokens[index] != "(":
            yield from dump.skip(name, f"table {name}: garbled VALUES at line {line}")
            return
        cells, index = _tuple(tokens, index, dump.postgres)
        yield from dump.add(name, cells)
