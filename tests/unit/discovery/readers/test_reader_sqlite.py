"""SQLite reader: every table in batches; corrupt databases become Skipped."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from breachdesk.discovery.model import TableBatch


def _db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, score REAL, pic BLOB)")
    conn.execute('CREATE TABLE "odd ""name""" (x TEXT)')
    conn.executemany(
        "INSERT INTO people (email, score, pic) VALUES (?, ?, ?)",
        [(f"u{i}@example.com", i / 2, b"\x00\x01") for i in range(5)],
    )
    conn.execute('INSERT INTO "odd ""name""" VALUES (NULL)')
    conn.commit()
    conn.close()
    return path


def test_tables_and_batches(tmp_path, read, helpers):
    items = read(_db(tmp_path / "c.db"), batch_rows=2)
    assert helpers.skips(items) == []
    people = helpers.rows(items, table="people")
    assert len(people) == 5
    assert people[1] == {"id": "2", "email": "u1@example.com", "score": "0.5", "pic": "\x00\x01"}
    assert helpers.rows(items, table='odd "name"') == [{"x": None}]
    firsts = [
        b.first_row for b in items if isinstance(b, TableBatch) and b.locator.table == "people"
    ]
    assert firsts == [1, 3, 5]


def test_corrupt_database_is_skipped(tmp_path, read, helpers):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)
    items = read(path)
    assert len(helpers.skips(items)) == 1
    assert helpers.skips(items)[0].locator.path == "bad.sqlite"


def test_truncated_database_does_not_raise(tmp_path, read):
    data = _db(tmp_path / "full.db").read_bytes()
    path = tmp_path / "cut.db"
    path.write_bytes(data[: len(data) // 2])
    assert all(type(i).__name__ in ("TableBatch", "Skipped") for i in read(path))
