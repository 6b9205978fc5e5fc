"""SQL repository of scanned sources and leaked records."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from sqlalchemy import Connection, RowMapping, func, insert, select

from breachdesk.adapters.sql import tables as t
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
        """Insert records in chunks with their keys and contacts; return how many."""
        total = 0
        it = iter(records)
        while chunk := list(islice(it, CHUNK)):
            ids = (
                self._c.execute(
                    insert(t.leaked_records).returning(
                        t.leaked_records.c.id, sort_by_parameter_order=True
                    ),
                    [
                        {
                            "source_id": source_id,
                            "table_name": r.table,
                            "row_number": r.row,
                            "elements": r.elements,
                        }
                        for r in chunk
                    ],
                )
                .scalars()
                .all()
            )
            keys = [
                {"record_id": rid, "kind": kind, "keyed_hash": digest}
                for rid, r in zip(ids, chunk, strict=True)
                for kind, digest in r.keys
            ]
            contacts = [
                {"record_id": rid, "kind": kind, "value": value}
                for rid, r in zip(ids, chunk, strict=True)
                for kind, value in r.contacts
            ]
            if keys:
                self._c.execute(insert(t.record_keys), keys)
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
