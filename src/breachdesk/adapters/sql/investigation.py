"""SQL repository of analyses, detections, record maps and confirmed record accesses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from breachdesk.adapters.sql import tables as t
from breachdesk.adapters.sql.bulk import insert_many
from breachdesk.core.ids import IncidentId
from breachdesk.services.investigation_ports import AccessRow, DetectionRow, StoredAnalysis

_CHUNK = 500  # ids per IN (...) list


class SqlInvestigation:
    """Investigation results of incidents."""

    def __init__(self, conn: Connection) -> None:
        self._c = conn

    def add_analysis(
        self,
        incident_id: IncidentId,
        *,
        rules: int,
        events: int,
        summary: str,
        actor: str,
        at: datetime,
    ) -> int:
        return int(
            self._c.execute(
                insert(t.log_analyses)
                .values(
                    incident_id=incident_id,
                    rules=rules,
                    events=events,
                    summary=summary,
                    analysed_by=actor,
                    analysed_at=at,
                )
                .returning(t.log_analyses.c.id)
            ).scalar_one()
        )

    def add_detections(self, analysis_id: int, rows: Sequence[DetectionRow]) -> None:
        for row in rows:
            detection_id = self._c.execute(
                insert(t.detections)
                .values(
                    analysis_id=analysis_id,
                    rule_id=row.rule_id,
                    title=row.title,
                    level=row.level,
                    kind=row.kind,
                    events=row.events,
                    first_at=row.first_at,
                    last_at=row.last_at,
                    actors=row.actors,
                )
                .returning(t.detections.c.id)
            ).scalar_one()
            insert_many(
                self._c,
                "detection_events",
                ("detection_id", "event_id"),
                [(detection_id, e) for e in row.event_ids],
            )

    def latest_analysis(self, incident_id: IncidentId) -> StoredAnalysis | None:
        a = t.log_analyses
        row = (
            self._c.execute(
                select(a).where(a.c.incident_id == incident_id).order_by(a.c.id.desc()).limit(1)
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        return StoredAnalysis(
            row["id"],
            IncidentId(row["incident_id"]),
            row["rules"],
            row["events"],
            row["summary"],
            row["analysed_by"],
            row["analysed_at"],
        )

    def detections(self, analysis_id: int) -> list[DetectionRow]:
        d = t.detections
        rows = self._c.execute(
            select(d).where(d.c.analysis_id == analysis_id).order_by(d.c.id)
        ).mappings()
        out = []
        for r in rows:
            events = self._c.execute(
                select(t.detection_events.c.event_id)
                .where(t.detection_events.c.detection_id == r["id"])
                .order_by(t.detection_events.c.event_id)
            ).scalars()
            out.append(
                DetectionRow(
                    r["rule_id"],
                    r["title"],
                    r["level"],
                    r["kind"],
                    int(r["events"]),
                    r["first_at"],
                    r["last_at"],
                    r["actors"],
                    tuple(int(e) for e in events),
                )
            )
        return out

    def add_map(
        self, incident_id: IncidentId, pattern: str, kind: str, *, actor: str, at: datetime
    ) -> bool:
        m = t.record_maps
        exists = self._c.execute(
            select(m.c.id).where(
                m.c.incident_id == incident_id, m.c.pattern == pattern, m.c.kind == kind
            )
        ).first()
        if exists:
            return False
        self._c.execute(
            insert(m).values(
                incident_id=incident_id, pattern=pattern, kind=kind, added_by=actor, added_at=at
            )
        )
        return True

    def maps(self, incident_id: IncidentId) -> list[tuple[str, str]]:
        m = t.record_maps
        rows = self._c.execute(
            select(m.c.pattern, m.c.kind).where(m.c.incident_id == incident_id).order_by(m.c.id)
        )
        return [(str(p), str(k)) for p, k in rows]

    def replace_accesses(
        self, incident_id: IncidentId, rows: Sequence[AccessRow], *, at: datetime
    ) -> int:
        ra = t.record_accesses
        self._c.execute(delete(ra).where(ra.c.incident_id == incident_id))
        if rows:
            self._c.execute(
                insert(ra),
                [
                    {
                        "incident_id": incident_id,
                        "person_ref": r.person_ref,
                        "kind": r.kind,
                        "keyed_hash": r.keyed_hash,
                        "requests": r.requests,
                        "first_at": r.first_at,
                        "last_at": r.last_at,
                        "event_id": r.event_id,
                        "confirmed_at": at,
                    }
                    for r in rows
                ],
            )
        return len(rows)

    def accesses(self, incident_id: IncidentId) -> list[AccessRow]:
        ra = t.record_accesses
        rows = self._c.execute(
            select(
                ra.c.person_ref,
                ra.c.kind,
                ra.c.keyed_hash,
                ra.c.requests,
                ra.c.first_at,
                ra.c.last_at,
                ra.c.event_id,
            )
            .where(ra.c.incident_id == incident_id)
            .order_by(ra.c.first_at, ra.c.keyed_hash)
        )
        return [AccessRow(p, k, h, int(n), f, la, int(e)) for p, k, h, n, f, la, e in rows]

    def confirmed_people(self, incident_id: IncidentId) -> set[str]:
        ra = t.record_accesses
        rows = self._c.execute(
            select(ra.c.person_ref)
            .where(ra.c.incident_id == incident_id, ra.c.person_ref.is_not(None))
            .distinct()
        ).scalars()
        return {str(r) for r in rows}

    def people_by_keys(
        self, incident_id: IncidentId, kind: str, hashes: Sequence[str]
    ) -> dict[str, str]:
        pk, p = t.person_keys, t.people
        found: dict[str, str] = {}
        for i in range(0, len(hashes), _CHUNK):
            rows = self._c.execute(
                select(pk.c.keyed_hash, p.c.person_ref)
                .join(p, p.c.id == pk.c.person_id)
                .where(
                    p.c.incident_id == incident_id,
                    pk.c.kind == kind,
                    pk.c.keyed_hash.in_(hashes[i : i + _CHUNK]),
                )
            )
            found.update({str(h): str(r) for h, r in rows})
        return found

    def known_people(self, incident_id: IncidentId, refs: Sequence[str]) -> set[str]:
        p = t.people
        found: set[str] = set()
        for i in range(0, len(refs), _CHUNK):
            rows = self._c.execute(
                select(p.c.person_ref).where(
                    p.c.incident_id == incident_id, p.c.person_ref.in_(refs[i : i + _CHUNK])
                )
            ).scalars()
            found |= {str(r) for r in rows}
        return found
