"""SQL event store: ingested log files, bulk event inserts, events read back as polars frames."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
from sqlalchemy import (
    Connection,
    RowMapping,
    and_,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.bulk import insert_many
from breachdesk.core.errors import InvalidInputError, NotFoundError
from breachdesk.core.ids import EvidenceId, IncidentId
from breachdesk.timeline.event import EVENT_SCHEMA, LogEvent
from breachdesk.timeline.parsers.base import line_number
from breachdesk.timeline.store import CONCURRENT, Checkpoint, EventQuery, LogFile, to_us

EVENT_COLUMNS = (
    "incident_id",
    "file_id",
    "line",
    "time_us",
    "source",
    "host",
    "src_ip",
    "user_name",
    "action",
    "target",
    "status",
    "bytes",
    "user_agent",
    "fields",
)
# Frames carry the stored id first (detections refer to events by it), then EVENT_SCHEMA.
FRAME_SCHEMA: dict[str, pl.DataType] = {"id": pl.Int64(), **EVENT_SCHEMA}
_E = t.log_events.c
SQLITE_CACHE_KIB = 131_072  # page cache of the connection that inserts events


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # built once


def _file(row: RowMapping) -> LogFile:
    return LogFile(
        id=row["id"],
        incident_id=IncidentId(row["incident_id"]),
        evidence_id=EvidenceId(row["evidence_id"]),
        name=row["name"],
        sha256=row["sha256"],
        parser=row["parser"],
        options=row["options"],
        lines=row["lines"],
        events=row["events"],
        skipped=row["skipped"],
        skipped_sample=row["skipped_sample"],
        ingested_by=row["ingested_by"],
        started_at=row["started_at"],
        completed_at=row["completed_at"],
    )


def event_row(incident_id: int, file_id: int, e: LogEvent) -> tuple[Any, ...]:
    """The stored row of one event."""
    return (
        incident_id,
        file_id,
        line_number(e.locator),
        to_us(e.time),
        e.source,
        e.host,
        e.src_ip,
        e.user,
        e.action,
        e.target,
        e.status,
        e.bytes,
        e.user_agent,
        (_encode(e.fields if type(e.fields) is dict else dict(e.fields)) if e.fields else None),
    )


class SqlLogs:
    """Log files and their normalised events."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def find_file(self, incident_id: IncidentId, sha256: str) -> LogFile | None:
        row = (
            self._c.execute(
                select(t.log_files).where(
                    t.log_files.c.incident_id == incident_id, t.log_files.c.sha256 == sha256
                )
            )
            .mappings()
            .first()
        )
        return _file(row) if row is not None else None

    def add_file(self, draft: LogFile) -> LogFile:
        values = {k: getattr(draft, k) for k in LogFile.__slots__ if k != "id"}
        try:
            new_id = self._c.execute(
                insert(t.log_files).values(**values).returning(t.log_files.c.id)
            ).scalar_one()
        except IntegrityError:  # the same bytes started by a concurrent run
            raise InvalidInputError(f"{draft.name}: {CONCURRENT}") from None
        return self.get_file(new_id)

    def get_file(self, file_id: int) -> LogFile:
        row = (
            self._c.execute(select(t.log_files).where(t.log_files.c.id == file_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"log file {file_id}: no such file")
        return _file(row)

    def files(self, incident_id: IncidentId | None) -> list[LogFile]:
        query = select(t.log_files).order_by(t.log_files.c.id)
        if incident_id is not None:
            query = query.where(t.log_files.c.incident_id == incident_id)
        return [_file(r) for r in self._c.execute(query).mappings()]

    def add_events(self, incident_id: IncidentId, file_id: int, events: Sequence[LogEvent]) -> int:
        """Insert events in one round trip (COPY on PostgreSQL, executemany elsewhere)."""
        rows = [event_row(incident_id, file_id, e) for e in events]
        if self._c.dialect.name == "postgresql":
            _copy(self._c, rows)
            return len(rows)
        if self._c.dialect.name == "sqlite":  # four indexes: keep more of them in memory
            self._c.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        insert_many(self._c, "log_events", EVENT_COLUMNS, rows)
        return len(rows)

    def checkpoint(self, file_id: int, point: Checkpoint, *, previous: int) -> bool:
        """Move the checkpoint on from ``previous``; False when another run moved it first.

        The row lock taken here (SQLite: the database's) makes a second concurrent ingest of
        the same file wait, then find the checkpoint gone and roll its batch back.
        """
        result = self._c.execute(
            update(t.log_files)
            .where(t.log_files.c.id == file_id, t.log_files.c.lines == previous)
            .values(
                lines=point.lines,
                events=point.events,
                skipped=point.skipped,
                skipped_sample=point.skipped_sample,
            )
        )
        return result.rowcount == 1

    def complete(self, file_id: int, at: datetime) -> LogFile:
        self._c.execute(
            update(t.log_files).where(t.log_files.c.id == file_id).values(completed_at=at)
        )
        return self.get_file(file_id)

    def count_events(self, incident_id: IncidentId, file_id: int | None = None) -> int:
        query = select(func.count()).select_from(t.log_events).where(_E.incident_id == incident_id)
        if file_id is not None:
            query = query.where(_E.file_id == file_id)
        return int(self._c.execute(query).scalar_one())

    def events_frame(
        self,
        incident_id: IncidentId,
        query: EventQuery | None = None,
        *,
        after: tuple[int, int] | None = None,
        limit: int | None = None,
    ) -> pl.DataFrame:
        """Events in (time, id) order as a frame (``FRAME_SCHEMA``); ``after`` pages by key."""
        conditions = [_E.incident_id == incident_id, *_conditions(query or EventQuery())]
        if after is not None:
            micros, last_id = after
            conditions.append(or_(_E.time_us > micros, and_(_E.time_us == micros, _E.id > last_id)))
        stmt = (
            select(
                _E.id,
                _E.time_us,
                _E.source,
                _E.file_id,
                _E.line,
                _E.host,
                _E.src_ip,
                _E.user_name,
                _E.action,
                _E.target,
                _E.status,
                _E.bytes,
                _E.user_agent,
                _E.fields,
            )
            .where(*conditions)
            .order_by(_E.time_us, _E.id)
        )
        if limit is not None:
            stmt = stmt.limit(limit)
        result = self._c.execute(stmt)
        try:  # plain tuples from the driver: these columns need no result processing
            rows = result.cursor.fetchall() if result.cursor is not None else []
        finally:
            result.close()
        return self._frame(rows)

    def _frame(self, rows: Sequence[Any]) -> pl.DataFrame:
        raw = pl.DataFrame(
            rows,
            schema={
                "id": pl.Int64(),
                "time_us": pl.Int64(),
                "source": pl.String(),
                "file_id": pl.Int64(),
                "line": pl.Int64(),
                "host": pl.String(),
                "src_ip": pl.String(),
                "user": pl.String(),
                "action": pl.String(),
                "target": pl.String(),
                "status": pl.String(),
                "bytes": pl.Int64(),
                "user_agent": pl.String(),
                "fields": pl.String(),
            },
            orient="row",
        )
        names = self._file_names(raw["file_id"].unique().to_list()) if rows else {}
        return raw.with_columns(
            pl.from_epoch("time_us", time_unit="us").dt.replace_time_zone("UTC").alias("time"),
            pl.concat_str(
                pl.col("file_id").replace_strict(names, default="?", return_dtype=pl.String()),
                pl.lit(":"),
                pl.col("line").cast(pl.String()),
            ).alias("locator"),
            pl.col("fields").fill_null("{}"),
        ).select(list(FRAME_SCHEMA))

    def _file_names(self, ids: list[int]) -> dict[int, str]:
        rows = self._c.execute(
            select(t.log_files.c.id, t.log_files.c.name).where(t.log_files.c.id.in_(ids))
        ).all()
        return {int(i): str(n) for i, n in rows}


def _conditions(query: EventQuery) -> list[Any]:
    found: list[Any] = []
    if query.start is not None:
        found.append(_E.time_us >= to_us(query.start))
    if query.end is not None:
        found.append(_E.time_us < to_us(query.end))
    if query.src_ip is not None:
        found.append(_E.src_ip == query.src_ip)
    if query.user is not None:
        found.append(_E.user_name == query.user)
    if query.source is not None:
        found.append(_E.source == query.source)
    if query.file_id is not None:
        found.append(_E.file_id == query.file_id)
    return found


def _copy(conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """PostgreSQL COPY of event rows through the driver (several times faster than INSERT)."""
    if not rows:
        return
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        columns = ", ".join(EVENT_COLUMNS)
        with cursor.copy(f"COPY log_events ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()
