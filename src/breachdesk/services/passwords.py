"""``passwords assess``: what the leaked password values are worth to an attacker.

The scan keeps no password values (records store element ids only), so assessment re-reads the
incident's evidence files: the stored scan report names the password and password-hash columns,
the readers stream those tables again from the evidence store, and each value is identified
(scheme, parameters, crack-cost tier) in memory and forgotten. Stored per value: its source,
leaked record id, table and column, scheme and tier, never the value. People whose worst value
is plaintext or a fast hash get the manifest flag ``weak_password``, which the notify step reads
to change the notice wording; re-linking rebuilds flags, so assess again after a new ``link``.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.element import DataElement
from breachdesk.core.ids import IncidentId
from breachdesk.credentials.hashscheme import CrackTier, HashAssessment, identify
from breachdesk.discovery.model import Locator, Skipped, TableBatch
from breachdesk.discovery.readers.base import ReadContext, ReadLimits
from breachdesk.discovery.readers.registry import read_stream
from breachdesk.services.ports import BlobStore, ScanSource, UnitOfWorkFactory
from breachdesk.services.reset_ports import PasswordRow
from breachdesk.services.state import people_state, people_subject

WEAK_FLAG = "weak_password"
_PASSWORD_ELEMENTS = {DataElement.PASSWORD.value, DataElement.PASSWORD_HASH.value}


class PwnedCheck(Protocol):
    """How often a password (by its SHA-1) appears in a breach corpus; 0 when never."""

    def count(self, sha1_hex: str) -> int: ...
    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class SchemeCount:
    """One scheme found: how many values, their tier and why."""

    scheme: str
    tier: str
    rationale: str
    values: int
    pwned: int = 0


@dataclass(frozen=True, slots=True)
class AssessReport:
    """The assessment of an incident's leaked password values."""

    values: int
    schemes: list[SchemeCount]
    tiers: dict[str, int]
    people_weak: int
    people_assessed: int
    columns: list[str]
    skipped: list[str] = field(default_factory=list)
    pwned_checked: bool = False


def _columns(source: ScanSource) -> tuple[dict[str, list[str]], set[str]]:
    """Password columns by table, and the tables that also hold a salt column."""
    report = json.loads(source.report)
    columns: dict[str, list[str]] = {}
    salted: set[str] = set()
    for col in report.get("columns", []):
        table = str(col.get("table"))
        if col.get("element") in _PASSWORD_ELEMENTS:
            columns.setdefault(table, []).append(str(col["name"]))
        if "salt" in str(col.get("name", "")).lower():
            salted.add(table)
    return columns, salted


def _where(batch: TableBatch) -> str:
    loc = batch.locator
    return loc.path + (f"::{loc.table}" if loc.table else "")


class PasswordService:
    """Assess leaked password values by re-reading the evidence the scan stored."""

    def __init__(self, uow: UnitOfWorkFactory, blobs: BlobStore, clock: Clock) -> None:
        self._uow = uow
        self._blobs = blobs
        self._clock = clock

    def _values(
        self, source: ScanSource, blob: tuple[str, bytes | None], skipped: list[str]
    ) -> Iterator[tuple[str, int, str, HashAssessment, str]]:
        columns, salted = _columns(source)
        if not columns:
            return
        name = Path(source.path).name
        with self._blobs.open(*blob) as stream:  # decrypted; readers spool if they must seek
            context = ReadContext(ReadLimits(), nested=read_stream)
            for item in read_stream(stream, Locator(name), context):
                if isinstance(item, Skipped):
                    skipped.append(item.locator.describe())
                if not isinstance(item, TableBatch):
                    continue
                where = _where(item)
                for column in columns.get(where, []):
                    if column not in item.frame.columns:
                        continue
                    values = item.frame[column].cast(str).to_list()
                    for offset, value in enumerate(values):
                        if value and value.strip():
                            found = identify(value, hint=column, salted=where in salted)
                            sha1 = hashlib.sha1(value.encode(), usedforsecurity=False)
                            yield where, item.first_row + offset, column, found, sha1.hexdigest()

    def assess(
        self, incident_id: IncidentId, *, actor: str, pwned: PwnedCheck | None = None
    ) -> AssessReport:
        """Identify every leaked password value of the incident, store the result, flag people."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            sources = [
                (s, (uow.evidence.get(s.evidence_id).sha256, uow.evidence.blob_key(s.evidence_id)))
                for s in uow.scans.for_incident(incident_id)
                if s.evidence_id is not None
            ]
            indices = {s.id: uow.resets.record_index(s.id) for s, _ in sources}
            people = uow.resets.record_people(incident_id)
        rows: list[PasswordRow] = []
        stats: Counter[tuple[str, int, str]] = Counter()
        hits: Counter[tuple[str, int, str]] = Counter()
        skipped: list[str] = []
        columns: set[str] = set()
        for source, blob in sources:
            for where, row, column, found, sha1 in self._values(source, blob, skipped):
                key = (found.scheme, int(found.tier), found.rationale)
                seen = pwned.count(sha1) if pwned and found.scheme == "plaintext" else None
                stats[key] += 1
                hits[key] += 1 if seen else 0
                columns.add(f"{where}:{column}")
                record = indices[source.id].get((where, row))
                rows.append(
                    PasswordRow(
                        source.id,
                        record,
                        f"{where}:{column} row {row}",
                        found.scheme,
                        int(found.tier),
                        found.rationale,
                        seen,
                    )
                )
        worst: dict[int, int] = {}
        for r in rows:
            person = people.get(r.record_id) if r.record_id is not None else None
            if person is not None:
                worst[person] = min(worst.get(person, 99), r.tier)
        weak = sorted(p for p, t in worst.items() if t <= CrackTier.MINUTES)
        self._store(incident_id, rows, weak, actor, len(stats))
        tiers = Counter({CrackTier(t).label: 0 for _, t, _ in stats})
        for (_, tier, _), n in stats.items():
            tiers[CrackTier(tier).label] += n
        schemes = [
            SchemeCount(s, CrackTier(t).label, why, n, hits[(s, t, why)])
            for (s, t, why), n in sorted(stats.items(), key=lambda kv: (kv[0][1], -kv[1]))
        ]
        return AssessReport(
            len(rows),
            schemes,
            dict(tiers),
            len(weak),
            len(worst),
            sorted(columns),
            skipped,
            pwned is not None,
        )

    def _store(
        self,
        incident_id: IncidentId,
        rows: list[PasswordRow],
        weak: list[int],
        actor: str,
        schemes: int,
    ) -> None:
        with self._uow() as uow:
            uow.resets.replace_passwords(incident_id, rows)
            changed = uow.resets.set_person_flag(incident_id, weak, WEAK_FLAG)
            details: dict[str, Any] = {
                "values": len(rows),
                "schemes": schemes,
                "weak": len(weak),
                "flags_changed": changed,
            }
            linked = incident_id in uow.people.linked_incidents()
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.PASSWORDS_ASSESSED,
                    subject=people_subject(incident_id),
                    incident_id=incident_id,
                    details=details,
                    state_hash=people_state(uow, incident_id) if linked else None,
                )
            )
            uow.commit()
