"""SQLite database files: every table read in batches by rowid order."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from breachdesk.discovery.model import Locator
from breachdesk.discovery.readers.base import Item, ReadContext, failure, spooled_path
from breachdesk.discovery.readers.table import batched_rows, to_text, unique_names

_MAGIC = b"SQLite format 3\x00"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class SqliteReader:
    """A SQLite 3 database, opened read-only; one table per SQL table."""

    name: str = "sqlite"
    version: int = 1
    extensions: tuple[str, ...] = (".sqlite", ".sqlite3", ".db", ".db3")
    media_types: tuple[str, ...] = ("application/vnd.sqlite3",)

    def sniff(self, head: bytes, name: str) -> bool:
        """The SQLite file header."""
        return head.startswith(_MAGIC)

    def read(self, stream: IO[bytes], locator: Locator, context: ReadContext) -> Iterator[Item]:
        """Every table; a table that cannot be read is skipped, the others still are."""
        try:
            with spooled_path(stream, context.limits, ".sqlite") as path:
                yield from self._read_path(path, locator, context)
        except Exception as exc:  # unreadable file: report, never raise
            yield failure(locator, "database not readable", exc)

    def _read_path(self, path: Path, locator: Locator, context: ReadContext) -> Iterator[Item]:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            conn.text_factory = lambda data: data.decode("utf-8", "replace")
            tables = [
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
                if not name.startswith("sqlite_")
            ]
            for table in tables:
                at = Locator(locator.path, table)
                try:
                    yield from _read_table(conn, table, at, context.limits.batch_rows)
                except sqlite3.Error as exc:
                    yield failure(at, "table not readable", exc)
        finally:
            conn.close()

    def samples(self) -> Mapping[str, bytes]:
        """A database with one small table (built on demand)."""
        return {"customers.sqlite": sample_database()}


def _read_table(conn: sqlite3.Connection, table: str, at: Locator, batch: int) -> Iterator[Item]:
    cursor = conn.execute(f"SELECT * FROM {_quote(table)}")  # noqa: S608 - quoted identifier
    names = unique_names([d[0] for d in cursor.description])

    def rows() -> Iterator[list[str | None]]:
        while block := cursor.fetchmany(batch):
            for record in block:
                yield [to_text(v) for v in record]

    yield from batched_rows(at, names, rows(), batch)


def sample_database() -> bytes:
    """Bytes of a tiny SQLite database with a ``customers`` table."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.sqlite"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT, dob TEXT)")
        conn.executemany(
            "INSERT INTO customers (email, dob) VALUES (?, ?)",
            [("a@example.com", "1980-01-02"), ("b@example.org", None)],
        )
        conn.commit()
        conn.close()
        return path.read_bytes()
