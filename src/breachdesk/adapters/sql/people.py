"""SQL repository of affected people."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.bulk import insert_many, lock_writers
from breachdesk.core.errors import NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.services.ports import PeopleWrite, PersonRow, StoredPerson

_FIELDS = (
    "person_ref",
    "known",
    "customer_ref",
    "country",
    "region",
    "residence_source",
    "elements",
    "flags",
    "records",
    "review",
    "name",
    "email",
    "phone",
    "address",
)


def _person(row: RowMapping) -> StoredPerson:
    return StoredPerson(
        row["id"], IncidentId(row["incident_id"]), PersonRow(**{f: row[f] for f in _FIELDS})
    )


class SqlPeople:
    """People of incidents; a new linking run replaces the previous one, keeping person ids."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def _sources(self, incident_id: IncidentId) -> Any:
        return select(t.scan_sources.c.id).where(t.scan_sources.c.incident_id == incident_id)

    def record_keys(self, incident_id: IncidentId) -> list[tuple[int, str, str]]:
        rk, lr = t.record_keys, t.leaked_records
        rows = self._c.execute(
            select(rk.c.record_id, rk.c.kind, rk.c.keyed_hash)
            .join(lr, lr.c.id == rk.c.record_id)
            .where(lr.c.source_id.in_(self._sources(incident_id)))
        )
        return [(int(a), str(b), str(c)) for a, b, c in rows]

    def records(self, incident_id: IncidentId) -> list[tuple[int, int, str]]:
        lr = t.leaked_records
        rows = self._c.execute(
            select(lr.c.id, lr.c.source_id, lr.c.elements).where(
                lr.c.source_id.in_(self._sources(incident_id))
            )
        )
        return [(int(a), int(b), str(c)) for a, b, c in rows]

    def contacts(self, incident_id: IncidentId) -> list[tuple[int, str, str]]:
        rc, lr = t.record_contacts, t.leaked_records
        rows = self._c.execute(
            select(rc.c.record_id, rc.c.kind, rc.c.value)
            .join(lr, lr.c.id == rc.c.record_id)
            .where(lr.c.source_id.in_(self._sources(incident_id)))
        )
        return [(int(a), str(b), str(c)) for a, b, c in rows]

    def _clear_children(self, incident_id: IncidentId) -> None:
        ids = select(t.people.c.id).where(t.people.c.incident_id == incident_id)
        for table in (t.person_records, t.exposures, t.person_keys):
            self._c.execute(delete(table).where(table.c.person_id.in_(ids)))
        self._c.execute(
            delete(t.link_conflicts).where(t.link_conflicts.c.incident_id == incident_id)
        )

    def replace(self, incident_id: IncidentId, write: PeopleWrite) -> int:
        """Store a linking run's people; a person seen before keeps their id."""
        lock_writers(self._c)
        rows = self._c.execute(
            select(t.people.c.person_ref, t.people.c.id).where(
                t.people.c.incident_id == incident_id
            )
        )
        existing: dict[str, int] = {str(ref): int(pid) for ref, pid in rows}
        self._clear_children(incident_id)
        keep = {p.person_ref for p in write.people}
        gone = [pid for ref, pid in existing.items() if ref not in keep]
        if gone:
            self._c.execute(delete(t.people).where(t.people.c.id.in_(gone)))
        next_id = (
            int(self._c.execute(select(func.coalesce(func.max(t.people.c.id), 0))).scalar_one()) + 1
        )
        ids: dict[str, int] = {}
        fresh: list[dict[str, Any]] = []
        for person in write.people:
            values = {f: getattr(person, f) for f in _FIELDS}
            if person.person_ref in existing:
                ids[person.person_ref] = existing[person.person_ref]
                self._c.execute(
                    update(t.people).where(t.people.c.id == ids[person.person_ref]).values(**values)
                )
            else:
                ids[person.person_ref] = next_id
                fresh.append({"id": next_id, "incident_id": incident_id, **values})
                next_id += 1
        if fresh:
            self._c.execute(insert(t.people), fresh)
        insert_many(
            self._c,
            "person_records",
            ("person_id", "record_id", "method", "score"),
            [(ids[r], rec, m, s) for r, rec, m, s in write.records],
        )
        insert_many(
            self._c,
            "exposures",
            ("person_id", "element", "source_id", "records"),
            [(ids[r], e, src, n) for r, e, src, n in write.exposures],
        )
        insert_many(
            self._c,
            "person_keys",
            ("person_id", "kind", "keyed_hash"),
            [(ids[r], k, h) for r, k, h in write.keys],
        )
        insert_many(
            self._c,
            "link_conflicts",
            ("incident_id", "record_id", "candidates", "reason"),
            [(incident_id, rec, n, why) for rec, n, why in write.conflicts],
        )
        return len(write.people)

    def add_run(
        self,
        incident_id: IncidentId,
        *,
        label: str,
        keys: str,
        fuzzy: bool,
        stats: str,
        actor: str,
        at: datetime,
    ) -> int:
        return int(
            self._c.execute(
                insert(t.link_runs)
                .values(
                    incident_id=incident_id,
                    source_label=label,
                    keys=keys,
                    fuzzy=fuzzy,
                    stats=stats,
                    linked_by=actor,
                    linked_at=at,
                )
                .returning(t.link_runs.c.id)
            ).scalar_one()
        )

    def linked_incidents(self) -> list[IncidentId]:
        rows = self._c.execute(select(t.link_runs.c.incident_id).distinct()).scalars()
        return sorted(IncidentId(int(i)) for i in rows)

    def for_incident(self, incident_id: IncidentId) -> list[StoredPerson]:
        rows = self._c.execute(
            select(t.people).where(t.people.c.incident_id == incident_id).order_by(t.people.c.id)
        ).mappings()
        return [_person(r) for r in rows]

    def get(self, incident_id: IncidentId, person_id: int) -> StoredPerson:
        row = (
            self._c.execute(
                select(t.people).where(
                    t.people.c.incident_id == incident_id, t.people.c.id == person_id
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"person {person_id}: not among incident {incident_id}'s people")
        return _person(row)

    def exposures(self, person_id: int) -> list[tuple[str, int, str, int]]:
        ex, src = t.exposures, t.scan_sources
        rows = self._c.execute(
            select(ex.c.element, ex.c.source_id, src.c.path, ex.c.records)
            .join(src, src.c.id == ex.c.source_id)
            .where(ex.c.person_id == person_id)
            .order_by(ex.c.element, ex.c.source_id)
        )
        return [(str(a), int(b), str(c), int(d)) for a, b, c, d in rows]

    def locators(
        self, person_id: int, *, limit: int = 100
    ) -> list[tuple[str, str | None, int, datetime]]:
        """Where the person's leaked records sit: source path, table, row, when it was scanned."""
        pr, lr, src = t.person_records, t.leaked_records, t.scan_sources
        rows = self._c.execute(
            select(src.c.path, lr.c.table_name, lr.c.row_number, src.c.scanned_at)
            .join(lr, lr.c.id == pr.c.record_id)
            .join(src, src.c.id == lr.c.source_id)
            .where(pr.c.person_id == person_id)
            .order_by(src.c.scanned_at, lr.c.id)
            .limit(limit)
        )
        return [(str(a), b, int(c), d) for a, b, c, d in rows]

    def find(self, incident_id: IncidentId, kind: str, keyed_hash: str) -> list[StoredPerson]:
        pk = t.person_keys
        ids = select(pk.c.person_id).where(pk.c.kind == kind, pk.c.keyed_hash == keyed_hash)
        rows = self._c.execute(
            select(t.people)
            .where(t.people.c.incident_id == incident_id, t.people.c.id.in_(ids))
            .order_by(t.people.c.id)
        ).mappings()
        return [_person(r) for r in rows]

    def conflict_list(self, incident_id: IncidentId) -> list[tuple[int, int, str, str, int]]:
        """Disputed records: id, candidates, reason, where (file::table) and row."""
        lc, lr = t.link_conflicts, t.leaked_records
        rows = self._c.execute(
            select(lc.c.record_id, lc.c.candidates, lc.c.reason, lr.c.table_name, lr.c.row_number)
            .join(lr, lr.c.id == lc.c.record_id)
            .where(lc.c.incident_id == incident_id)
            .order_by(lc.c.record_id)
        )
        return [(int(a), int(b), str(c), str(d or "-"), int(e)) for a, b, c, d, e in rows]

    def conflicts(self, incident_id: IncidentId) -> int:
        return int(
            self._c.execute(
                select(func.count())
                .select_from(t.link_conflicts)
                .where(t.link_conflicts.c.incident_id == incident_id)
            ).scalar_one()
        )
