"""SQL repository of finding scans, de-duplicated findings and their occurrences."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Any

from sqlalchemy import Connection, RowMapping, bindparam, func, insert, select, update

from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.bulk import lock_writers
from breachdesk.core.errors import NotFoundError
from breachdesk.core.finding import (
    Finding,
    FindingId,
    FindingScan,
    FindingScanId,
    FindingStatus,
    Location,
    LocationKind,
    Occurrence,
    Severity,
    StoredFinding,
)

_LOCATION_FIELDS = tuple(f.name for f in fields(Location))


def _location_json(location: Location) -> str:
    data = {k: getattr(location, k) for k in _LOCATION_FIELDS}
    return json.dumps({k: v for k, v in data.items() if v is not None}, sort_keys=True)


def _location(text: str) -> Location:
    data: dict[str, Any] = json.loads(text)
    data["kind"] = LocationKind(data["kind"])
    return Location(**data)


def _split(text: str) -> list[str]:
    return [p for p in text.split(",") if p]


def _scan(row: RowMapping) -> FindingScan:
    return FindingScan(
        id=FindingScanId(row["id"]),
        incident_id=row["incident_id"],
        tool=row["tool"],
        label=row["label"],
        evidence_id=row["evidence_id"],
        imported_at=row["imported_at"],
        imported_by=row["imported_by"],
        findings=row["findings"],
        skipped=row["skipped"],
    )


def _finding(row: RowMapping) -> StoredFinding:
    finding = Finding(
        title=row["title"],
        tool=row["tool"],
        rule_id=row["rule_id"],
        severity=Severity(row["severity"]),
        location=_location(row["location"]),
        cwe=tuple(int(c) for c in _split(row["cwe"])),
        cve=tuple(_split(row["cve"])),
        cvss_vector=row["cvss_vector"],
        cvss_score=row["cvss_score"],
        description=row["description"],
        evidence=row["evidence"],
    )
    return StoredFinding(
        id=FindingId(row["id"]),
        incident_id=row["incident_id"],
        fingerprint=row["fingerprint"],
        finding=finding,
        status=FindingStatus(row["status"]),
        due_at=row["due_at"],
        first_seen_at=row["first_seen_at"],
        opened_at=row["opened_at"],
        last_seen_at=row["last_seen_at"],
        first_scan_id=row["first_scan_id"],
        last_scan_id=row["last_scan_id"],
        fixed_by_scan_id=row["fixed_by_scan_id"],
        fixed_at=row["fixed_at"],
        recurring=bool(row["recurring"]),
        root_cause=bool(row["root_cause"]),
        note=row["note"],
        accepted_until=row["accepted_until"],
        tools=tuple(_split(row["tools"])),
    )


def _values(stored: StoredFinding) -> dict[str, Any]:
    f = stored.finding
    return {
        "incident_id": stored.incident_id,
        "fingerprint": stored.fingerprint,
        "title": f.title,
        "tool": f.tool,
        "rule_id": f.rule_id,
        "severity": f.severity.value,
        "location": _location_json(f.location),
        "cwe": ",".join(str(c) for c in f.cwe),
        "cve": ",".join(f.cve),
        "cvss_vector": f.cvss_vector,
        "cvss_score": f.cvss_score,
        "description": f.description,
        "evidence": f.evidence,
        "status": stored.status.value,
        "due_at": stored.due_at,
        "first_seen_at": stored.first_seen_at,
        "opened_at": stored.opened_at,
        "last_seen_at": stored.last_seen_at,
        "first_scan_id": stored.first_scan_id,
        "last_scan_id": stored.last_scan_id,
        "fixed_by_scan_id": stored.fixed_by_scan_id,
        "fixed_at": stored.fixed_at,
        "recurring": stored.recurring,
        "root_cause": stored.root_cause,
        "note": stored.note,
        "accepted_until": stored.accepted_until,
        "tools": ",".join(stored.tools),
    }


class SqlFindings:
    """Finding scans, findings and occurrences in one connection's transaction."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def lock(self) -> None:
        """Serialise findings writers: taken before reading what the transaction will write, so
        two imports cannot both insert one fingerprint and a status change cannot be lost."""
        lock_writers(self._c)

    def add_scan(self, scan: FindingScan) -> FindingScan:
        values = {
            "incident_id": scan.incident_id,
            "tool": scan.tool,
            "label": scan.label,
            "evidence_id": scan.evidence_id,
            "imported_at": scan.imported_at,
            "imported_by": scan.imported_by,
            "findings": scan.findings,
            "skipped": scan.skipped,
        }
        new_id = self._c.execute(
            insert(t.finding_scans).values(**values).returning(t.finding_scans.c.id)
        ).scalar_one()
        return self.get_scan(new_id)

    def get_scan(self, scan_id: int) -> FindingScan:
        row = (
            self._c.execute(select(t.finding_scans).where(t.finding_scans.c.id == scan_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"scan {scan_id}: no such findings scan")
        return _scan(row)

    def scans(self, incident_id: int) -> list[FindingScan]:
        query = (
            select(t.finding_scans)
            .where(t.finding_scans.c.incident_id == incident_id)
            .order_by(t.finding_scans.c.id)
        )
        return [_scan(r) for r in self._c.execute(query).mappings()]

    def add(self, finding: StoredFinding) -> StoredFinding:
        return self.add_many([finding])[0]

    def add_many(self, findings: Sequence[StoredFinding]) -> list[StoredFinding]:
        """Insert findings in one statement; ids are allocated after the newest one (the caller
        holds ``lock``), so a large report costs one round trip, not two per finding."""
        if not findings:
            return []
        first = (
            int(self._c.execute(select(func.coalesce(func.max(t.findings.c.id), 0))).scalar_one())
            + 1
        )
        stored = [replace(f, id=FindingId(first + i)) for i, f in enumerate(findings)]
        self._c.execute(insert(t.findings), [_values(f) | {"id": f.id} for f in stored])
        return stored

    def update(self, finding: StoredFinding) -> None:
        self.update_many([finding])

    def update_many(self, findings: Sequence[StoredFinding]) -> None:
        """Rewrite findings in one executemany."""
        if not findings:
            return
        columns = [c for c in _values(findings[0]) if c not in ("incident_id", "fingerprint")]
        statement = (
            update(t.findings)
            .where(t.findings.c.id == bindparam("b_id"))
            .values({c: bindparam(c) for c in columns})
        )
        rows = [
            {c: v for c, v in _values(f).items() if c in columns} | {"b_id": f.id} for f in findings
        ]
        self._c.execute(statement, rows)

    def get(self, finding_id: int) -> StoredFinding:
        row = (
            self._c.execute(select(t.findings).where(t.findings.c.id == finding_id))
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError(f"finding {finding_id}: no such finding")
        return _finding(row)

    def for_incident(self, incident_id: int) -> list[StoredFinding]:
        query = (
            select(t.findings)
            .where(t.findings.c.incident_id == incident_id)
            .order_by(t.findings.c.id)
        )
        return [_finding(r) for r in self._c.execute(query).mappings()]

    def add_occurrences(self, occurrences: Sequence[Occurrence]) -> None:
        if not occurrences:
            return
        self._c.execute(
            insert(t.finding_occurrences),
            [
                {
                    "scan_id": o.scan_id,
                    "finding_id": o.finding_id,
                    "tool": o.tool,
                    "rule_id": o.rule_id,
                    "severity": o.severity.value,
                    "location": o.location,
                    "count": o.count,
                }
                for o in occurrences
            ],
        )

    def occurrences(self, finding_id: int) -> list[Occurrence]:
        o = t.finding_occurrences
        query = select(o).where(o.c.finding_id == finding_id).order_by(o.c.scan_id)
        return [
            Occurrence(
                r["scan_id"],
                r["finding_id"],
                r["tool"],
                r["rule_id"],
                Severity(r["severity"]),
                r["location"],
                r["count"],
            )
            for r in self._c.execute(query).mappings()
        ]

    def finding_ids(self, scan_ids: Sequence[int]) -> dict[int, set[int]]:
        result: dict[int, set[int]] = {i: set() for i in scan_ids}
        if not scan_ids:
            return result
        o = t.finding_occurrences
        rows = self._c.execute(
            select(o.c.scan_id, o.c.finding_id).where(o.c.scan_id.in_(list(set(scan_ids))))
        )
        for scan_id, finding_id in rows:
            result[scan_id].add(finding_id)
        return result

    def incidents(self) -> list[int]:
        query = (
            select(t.finding_scans.c.incident_id).distinct().order_by(t.finding_scans.c.incident_id)
        )
        return [r[0] for r in self._c.execute(query)]
