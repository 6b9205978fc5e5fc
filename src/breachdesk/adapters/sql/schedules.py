"""SQL repository of recurring pentest schedules."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime

from sqlalchemy import Connection, RowMapping, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import PentestSchedule

_T = t.pentest_schedules


def _schedule(row: RowMapping) -> PentestSchedule:
    return PentestSchedule(**{k: row[k] for k in PentestSchedule.__dataclass_fields__})


class SqlSchedules:
    """Schedules in the ``pentest_schedules`` table."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, schedule: PentestSchedule) -> PentestSchedule:
        """Insert; the id is assigned by the database."""
        values = {k: v for k, v in asdict(schedule).items() if k != "id"}
        new_id = self._conn.execute(insert(_T).values(**values).returning(_T.c.id)).scalar_one()
        return replace(schedule, id=new_id)

    def for_incident(self, incident_id: IncidentId | None) -> list[PentestSchedule]:
        """An incident's schedules (every schedule for None), oldest first."""
        query = select(_T).order_by(_T.c.id)
        if incident_id is not None:
            query = query.where(_T.c.incident_id == incident_id)
        return [_schedule(r) for r in self._conn.execute(query).mappings()]

    def due(self, now: datetime) -> list[PentestSchedule]:
        """Schedules whose next run is at or before ``now``, rows locked where supported."""
        query = select(_T).where(_T.c.next_run_at <= now).order_by(_T.c.next_run_at, _T.c.id)
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [_schedule(r) for r in self._conn.execute(query).mappings()]

    def update(self, schedule: PentestSchedule) -> None:
        """Store the run times and last scan of a schedule."""
        self._conn.execute(
            update(_T)
            .where(_T.c.id == schedule.id)
            .values(
                next_run_at=schedule.next_run_at,
                last_run_at=schedule.last_run_at,
                last_scan_id=schedule.last_scan_id,
            )
        )
