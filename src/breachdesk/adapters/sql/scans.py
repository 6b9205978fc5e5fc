"""SQL repository of scanned sources and leaked records."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Connection, RowMapping, func, insert, select

from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.bulk import insert_many, lock_writers
from breachdesk.core.errors import NotFoundError
from breachdesk.core.ids import EvidenceId, IncidentId
from breachdesk.services.ports import ScanSource, StoredRecord

CHUNK = 5_000


def _source(row: RowMapping) -> ScanSource:
    evidence = row["evidence_id"]
    return ScanSource(
        id=row["id"],
        incident_id=IncidentId(row["incident_id"]),
        evidence_id=EvidenceId(evidence) if evidence is not None else None,
        path=row["path"],
        sha256=row["sha256"],
        format=row["format"],
        size=row["size"],
        records=row["records"],
        hits=row["hits"],
        skipped=row["skipped"],
        report=row["report"],
        scanned_by=row["scanned_by"],
        scanned_at=row["scanned_at"],
    )


class SqlScans:
    """Scan sources, leaked records, their keyed identifiers and encrypted contacts."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def find(self, incident_id: IncidentId, sha256: str) -> ScanSource | None:
        row = (
            self._c.execute(
                select(t.scan_sources).where(
                    t.scan_sources.c.incident_id == incident_id, t.scan_sources.c.sha256 == sha256
                )
            )
            .mappings()
            .first()
        )
        return _source(row) if row is not None else None

    def add(self, source: ScanSource) -> ScanSource:
        values = source.state() | {"scanned_at": source.scanned_at}
        del values["id"]
        new_id = self._c.execute(
            insert(t.scan_sources).values(**values).returning(t.scan_sources.c.id)
        ).scalar_one()
        return self.get(new_id)

    def get(self, source_id: int) -> ScanSource:
        row = (
            self._c.execute(select(t.scan_sources).where(t.scan_sources.c.id == source_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"scan source {source_id}: no such source")
        return _source(row)

    def for_incident(self, incident_id: IncidentId | None) -> list[ScanSource]:
        query = select(t.scan_sources).order_by(t.scan_sources.c.id)
        if incident_id is not None:
            query = query.where(t.scan_sources.c.incident_id == incident_id)
        return [_source(r) for r in self._c.execute(query).mappings()]

    def add_records(self, source_id: int, records: Iterable[StoredRecord]) -> int:
        """Insert records in chunks with their keys and contacts; return how many.

        Record ids are allocated after the newest one while holding the audit chain head lock,
        which every writer takes, so concurrent scans cannot collide.
        """
        lock_writers(self._c)
        next_id = (
            int(
                self._c.execute(
                    select(func.coalesce(func.max(t.leaked_records.c.id), 0))
                ).scalar_one()
            )
            + 1
        )
        total = 0
        it = iter(records)
        while chunk := list(islice(it, CHUNK)):
            ids = range(next_id, next_id + len(chunk))
            next_id += len(chunk)
            insert_many(
                self._c,
                "leaked_records",
                ("id", "source_id", "table_name", "row_number", "elements"),
                [
                    (rid, source_id, r.table, r.row, r.elements)
                    for rid, r in zip(ids, chunk, strict=True)
                ],
            )
            insert_many(
                self._c,
                "record_keys",
                ("record_id", "kind", "keyed_hash"),
                [
                    (rid, kind, digest)
                    for rid, r in zip(ids, chunk, strict=True)
                    for kind, digest in r.keys
                ],
            )
            contacts = [
                {"record_id": rid, "kind": kind, "value": value}
                for rid, r in zip(ids, chunk, strict=True)
                for kind, value in r.contacts
            ]
            if contacts:
                self._c.execute(insert(t.record_contacts), contacts)
            total += len(chunk)
        return total

    def record_count(self, source_id: int) -> int:
        return int(
            self._c.execute(
                select(func.count())
                .select_from(t.leaked_records)
                .where(t.leaked_records.c.source_id == source_id)
            ).scalar_one()
        )
