"""Driver-level bulk inserts for plain tables (no processed column types)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from breachdesk.adapters.sql import tables as t


def insert_many(
    conn: Connection, table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """INSERT rows with the DB-API's executemany.

    Compiling each row through SQLAlchemy Core costs more than the insert itself for the large,
    plain tables (record keys, person links); callers pass fixed table and column names only.
    """
    if not rows:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed names only
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    conn.exec_driver_sql(sql, list(rows))


def lock_writers(conn: Connection) -> None:
    """Take the audit chain head's row lock, which every writer takes: ids allocated after it
    (max + 1) cannot collide with another process's (a no-op beyond BEGIN IMMEDIATE on SQLite)."""
    conn.execute(select(t.audit_head.c.seq).where(t.audit_head.c.id == 1).with_for_update())
