"""In-memory fake of the investigation store (part of ``breachdesk.testing``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from breachdesk.core.ids import IncidentId
from breachdesk.services.investigation_ports import AccessRow, DetectionRow, StoredAnalysis


class MemoryInvestigation:
    """Analyses, detections, maps and accesses in dictionaries; people read from the state."""

    def __init__(self, data: dict[str, Any], state: Any) -> None:
        self.d = data
        self.d.setdefault("analyses", [])
        self.d.setdefault("detections", {})
        self.d.setdefault("maps", [])
        self.d.setdefault("accesses", {})
        self.state = state  # the MemoryState: people and their keys

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
        new = StoredAnalysis(
            len(self.d["analyses"]) + 1, incident_id, rules, events, summary, actor, at
        )
        self.d["analyses"].append(new)
        return new.id

    def add_detections(self, analysis_id: int, rows: Sequence[DetectionRow]) -> None:
        self.d["detections"].setdefault(analysis_id, []).extend(
            replace(r, event_ids=tuple(sorted(r.event_ids))) for r in rows
        )

    def latest_analysis(self, incident_id: IncidentId) -> StoredAnalysis | None:
        mine = [a for a in self.d["analyses"] if a.incident_id == incident_id]
        return mine[-1] if mine else None

    def detections(self, analysis_id: int) -> list[DetectionRow]:
        return list(self.d["detections"].get(analysis_id, []))

    def add_map(
        self, incident_id: IncidentId, pattern: str, kind: str, *, actor: str, at: datetime
    ) -> bool:
        key = (incident_id, pattern, kind)
        if key in [m[:3] for m in self.d["maps"]]:
            return False
        self.d["maps"].append((*key, actor, at))
        return True

    def maps(self, incident_id: IncidentId) -> list[tuple[str, str]]:
        return [(p, k) for i, p, k, *_ in self.d["maps"] if i == incident_id]

    def replace_accesses(
        self, incident_id: IncidentId, rows: Sequence[AccessRow], *, at: datetime
    ) -> int:
        self.d["accesses"][incident_id] = sorted(rows, key=lambda r: (r.first_at, r.keyed_hash))
        return len(rows)

    def accesses(self, incident_id: IncidentId) -> list[AccessRow]:
        return list(self.d["accesses"].get(incident_id, []))

    def confirmed_people(self, incident_id: IncidentId) -> set[str]:
        return {r.person_ref for r in self.accesses(incident_id) if r.person_ref is not None}

    def people_by_keys(
        self, incident_id: IncidentId, kind: str, hashes: Sequence[str]
    ) -> dict[str, str]:
        wanted = set(hashes)
        refs = {p.id: p.row.person_ref for p in self.state.people.values()}
        return {
            h: refs[pid]
            for pid, k, h in self.state.person_keys.get(incident_id, [])
            if k == kind and h in wanted and pid in refs
        }

    def known_people(self, incident_id: IncidentId, refs: Sequence[str]) -> set[str]:
        mine = {
            p.row.person_ref for p in self.state.people.values() if p.incident_id == incident_id
        }
        return mine & set(refs)
