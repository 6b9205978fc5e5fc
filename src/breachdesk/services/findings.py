"""Security findings use cases: import with re-import semantics, SLA, status workflow, root cause.

Re-import semantics, per incident and *scope* (tool + scan label):

- a finding seen for the first time is ``open`` with a due date from its severity;
- a ``fixed`` finding seen again is ``reopened`` and flagged ``recurring`` (new SLA clock);
- an active finding that an earlier scan of the same scope reported, and this scan does not, is
  ``fixed`` by this scan (``fixed_by_scan_id``), unless the latest scan of another scope still
  reports it;
- ``accepted`` and ``false_positive`` findings keep their status when seen again, except an
  acceptance past its expiry, which reopens the finding.

Each import is one transaction with one ``findings.imported`` audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import digest
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError, NotFoundError
from breachdesk.core.finding import (
    Finding,
    FindingScan,
    FindingScanId,
    FindingStatus,
    Occurrence,
    Severity,
    Skipped,
    StoredFinding,
)
from breachdesk.core.ids import EvidenceId, IncidentId
from breachdesk.services.ports import UnitOfWork, UnitOfWorkFactory
from breachdesk.vulns.dedupe import Merged, dedupe
from breachdesk.vulns.sla import SlaPolicy
from breachdesk.vulns.workflow import move

NOTE_REQUIRED = (FindingStatus.ACCEPTED, FindingStatus.FALSE_POSITIVE)


def findings_subject(incident_id: int) -> str:
    """Audit subject of an incident's findings (with their scans)."""
    return f"findings:{incident_id}"


def findings_state(uow: UnitOfWork, incident_id: int) -> str:
    """Digest of every scan and finding of an incident."""
    return digest(
        {
            "scans": [s.state() for s in uow.findings.scans(incident_id)],
            "findings": [f.state() for f in uow.findings.for_incident(incident_id)],
        }
    )


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What one import changed."""

    scan: FindingScan
    new: int
    seen_again: int
    reopened: int
    fixed: int
    duplicates: int
    skipped: tuple[Skipped, ...]
    finding_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class FindingRow:
    """A stored finding with whether it is overdue now."""

    stored: StoredFinding
    overdue: bool


@dataclass
class _Tally:
    new: int = 0
    seen_again: int = 0
    reopened: int = 0
    fixed: int = 0


class FindingService:
    """Import scanner findings into an incident and move them through their workflow."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, sla: SlaPolicy | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._sla = sla or SlaPolicy()

    @property
    def sla(self) -> SlaPolicy:
        """The SLA policy in force."""
        return self._sla

    def import_findings(
        self,
        incident_id: IncidentId,
        scan_label: str,
        tool: str,
        findings: Iterable[Finding | Skipped],
        *,
        actor: str,
        evidence_id: EvidenceId | None = None,
    ) -> ImportOutcome:
        """Store one scan's findings; close what the scope no longer reports, reopen what recurs."""
        if not scan_label.strip() or not tool.strip():
            raise InvalidInputError("scan label and tool must not be empty")
        items = list(findings)
        skipped = tuple(i for i in items if isinstance(i, Skipped))
        found = [i for i in items if isinstance(i, Finding)]
        merged = dedupe(found)
        now = self._clock.now()
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            uow.findings.lock()
            draft = FindingScan(
                FindingScanId(0),
                incident_id,
                tool,
                scan_label,
                evidence_id,
                now,
                actor,
                findings=len(merged),
                skipped=len(skipped),
            )
            scan = uow.findings.add_scan(draft)
            tally = _Tally()
            ids, current = self._store_seen(uow, scan, merged, tally, now)
            self._close_absent(uow, scan, set(ids), current, tally, now)
            _record_import(uow, scan, tally, len(skipped))
            uow.commit()
        return ImportOutcome(
            scan,
            new=tally.new,
            seen_again=tally.seen_again,
            reopened=tally.reopened,
            fixed=tally.fixed,
            duplicates=len(found) - len(merged),
            skipped=skipped,
            finding_ids=tuple(ids),
        )

    def _store_seen(
        self,
        uow: UnitOfWork,
        scan: FindingScan,
        merged: Sequence[Merged],
        tally: _Tally,
        now: datetime,
    ) -> tuple[list[int], dict[int, StoredFinding]]:
        """Insert new findings and update seen ones in bulk; return the seen ids and every
        finding of the incident as it now stands."""
        current: dict[int, StoredFinding] = {
            f.id: f for f in uow.findings.for_incident(scan.incident_id)
        }
        by_print = {f.fingerprint: f for f in current.values()}
        fresh: list[Merged] = []
        changed: dict[str, StoredFinding] = {}
        for m in merged:
            held = by_print.get(m.fingerprint)
            if held is None:
                fresh.append(m)
                continue
            stored = self._seen_again(held, scan, m.finding, now)
            if stored.status is FindingStatus.REOPENED and held.status is not stored.status:
                tally.reopened += 1
            else:
                tally.seen_again += 1
            changed[m.fingerprint] = stored
        uow.findings.update_many(list(changed.values()))
        added = uow.findings.add_many([self._new(scan, m, now) for m in fresh])
        tally.new += len(added)
        stored_by_print = changed | {f.fingerprint: f for f in added}
        current.update({f.id: f for f in stored_by_print.values()})
        occurrences = [
            Occurrence(
                scan.id,
                stored_by_print[m.fingerprint].id,
                m.finding.tool,
                m.finding.rule_id,
                m.finding.severity,
                m.finding.location.describe(),
                m.count,
            )
            for m in merged
        ]
        uow.findings.add_occurrences(occurrences)
        return [o.finding_id for o in occurrences], current

    def _new(self, scan: FindingScan, m: Merged, now: datetime) -> StoredFinding:
        return StoredFinding(
            id=0,  # type: ignore[arg-type]  # assigned by the repository
            incident_id=scan.incident_id,
            fingerprint=m.fingerprint,
            finding=m.finding,
            status=FindingStatus.OPEN,
            due_at=self._sla.due_at(m.finding.severity, now),
            first_seen_at=now,
            opened_at=now,
            last_seen_at=now,
            first_scan_id=scan.id,
            last_scan_id=scan.id,
            tools=(m.finding.tool,),
        )

    def _seen_again(
        self, held: StoredFinding, scan: FindingScan, finding: Finding, now: datetime
    ) -> StoredFinding:
        tools = tuple(sorted({*held.tools, finding.tool}))
        seen = replace(held, last_seen_at=now, last_scan_id=scan.id, tools=tools)
        if finding.severity.rank > held.finding.severity.rank:
            seen = replace(
                seen,
                finding=replace(held.finding, severity=finding.severity),
                due_at=self._sla.due_at(finding.severity, held.opened_at),
            )
        expired = (
            held.status is FindingStatus.ACCEPTED
            and held.accepted_until is not None
            and held.accepted_until <= now
        )
        if held.status is FindingStatus.FIXED or expired:
            return replace(
                seen,
                status=FindingStatus.REOPENED,
                recurring=held.recurring or held.status is FindingStatus.FIXED,
                fixed_by_scan_id=None,
                fixed_at=None,
                opened_at=now,
                accepted_until=None,
                due_at=self._sla.due_at(seen.finding.severity, now),
            )
        return seen

    def _close_absent(
        self,
        uow: UnitOfWork,
        scan: FindingScan,
        seen: set[int],
        current: dict[int, StoredFinding],
        tally: _Tally,
        now: datetime,
    ) -> None:
        scans = uow.findings.scans(scan.incident_id)
        scope = (scan.tool, scan.label)
        earlier = [s.id for s in scans if (s.tool, s.label) == scope and s.id != scan.id]
        if not earlier:
            return
        latest: dict[tuple[str, str], int] = {}
        for s in scans:
            if (s.tool, s.label) != scope:
                latest[(s.tool, s.label)] = max(s.id, latest.get((s.tool, s.label), 0))
        by_scan = uow.findings.finding_ids([*earlier, *latest.values()])
        reported = set().union(*(by_scan.get(i, set()) for i in earlier))
        elsewhere = set().union(*(by_scan.get(i, set()) for i in latest.values()))
        gone = reported - seen - elsewhere
        closed = [
            replace(f, status=FindingStatus.FIXED, fixed_by_scan_id=scan.id, fixed_at=now)
            for f in current.values()
            if f.id in gone and f.status.active
        ]
        uow.findings.update_many(closed)
        tally.fixed += len(closed)

    def list_findings(
        self,
        incident_id: IncidentId,
        *,
        status: Sequence[FindingStatus] = (),
        severity: Severity | None = None,
        overdue: bool = False,
    ) -> list[FindingRow]:
        """The incident's findings, worst first; ``severity`` keeps that level and worse."""
        now = self._clock.now()
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            rows = [FindingRow(f, f.overdue(now)) for f in uow.findings.for_incident(incident_id)]
        rows = [
            r
            for r in rows
            if (not status or r.stored.status in status)
            and (severity is None or r.stored.finding.severity.rank >= severity.rank)
            and (not overdue or r.overdue)
        ]
        rows.sort(
            key=lambda r: (-r.stored.finding.severity.rank, r.stored.due_at is None, r.stored.id)
        )
        return rows

    def show(
        self, incident_id: IncidentId, ref: str
    ) -> tuple[FindingRow, list[Occurrence], list[FindingScan]]:
        """One finding with every occurrence and the scans that reported it."""
        now = self._clock.now()
        with self._uow() as uow:
            finding = _resolve(uow, incident_id, ref)
            occurrences = uow.findings.occurrences(finding.id)
            wanted = {o.scan_id for o in occurrences} | {finding.fixed_by_scan_id}
            scans = [s for s in uow.findings.scans(incident_id) if s.id in wanted]
        return FindingRow(finding, finding.overdue(now)), occurrences, scans

    def scans(self, incident_id: IncidentId) -> list[FindingScan]:
        """Every scan imported into the incident, oldest first."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.findings.scans(incident_id)

    def set_status(
        self,
        incident_id: IncidentId,
        ref: str,
        target: FindingStatus,
        *,
        actor: str,
        note: str | None = None,
        until: datetime | None = None,
    ) -> StoredFinding:
        """Move a finding by hand (audited); accepting a risk needs a rationale and an expiry."""
        note = note.strip() if note else None
        now = self._clock.now()
        if target in NOTE_REQUIRED and not note:
            raise InvalidInputError(f"--note: a rationale is required to mark {target.value}")
        if target is FindingStatus.ACCEPTED and (until is None or until <= now):
            raise InvalidInputError("--until: an accepted risk needs an expiry in the future")
        if target is not FindingStatus.ACCEPTED and until is not None:
            raise InvalidInputError("--until: only an accepted risk takes an expiry")
        with self._uow() as uow:
            uow.findings.lock()
            held = _resolve(uow, incident_id, ref)
            changed = move(held, target, now, note=note, until=until, sla=self._sla)
            uow.findings.update(changed)
            self._audit(
                uow,
                held,
                AuditAction.FINDING_STATUS_CHANGED,
                actor=actor,
                at=now,
                details={"from": held.status.value, "to": changed.status.value, "note": note},
            )
            uow.commit()
        return changed

    def mark_root_cause(self, incident_id: IncidentId, ref: str, *, actor: str) -> StoredFinding:
        """Record a finding as (one of) the ways the attacker got in."""
        with self._uow() as uow:
            uow.findings.lock()
            held = _resolve(uow, incident_id, ref)
            if held.root_cause:
                raise InvalidInputError(f"finding {held.id}: already a root cause")
            changed = replace(held, root_cause=True)
            uow.findings.update(changed)
            self._audit(
                uow,
                held,
                AuditAction.FINDING_ROOT_CAUSE,
                actor=actor,
                at=self._clock.now(),
                details={"title": held.finding.title, "status": held.status.value},
            )
            uow.commit()
        return changed

    def root_causes(self, incident_id: IncidentId) -> list[StoredFinding]:
        """The findings recorded as the incident's ways in."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return [f for f in uow.findings.for_incident(incident_id) if f.root_cause]

    def import_files(
        self,
        incident_id: IncidentId,
        paths: Sequence[Path],
        *,
        actor: str,
        add_evidence: Callable[[Path], EvidenceId],
        tool: str = "auto",
        label: str | None = None,
        on_file: Callable[[Path], None] | None = None,
    ) -> list[tuple[Path, ImportOutcome | Skipped]]:
        """Parse each report (after ``add_evidence`` stored it) and import it as its own scan."""
        from breachdesk.vulns.importers.registry import find, importer_names, read_report

        if tool != "auto" and find(tool) is None:
            raise InvalidInputError("--tool: one of " + ", ".join(importer_names()))
        results: list[tuple[Path, ImportOutcome | Skipped]] = []
        for path in paths:
            evidence_id = add_evidence(path)
            parsed = read_report(path, tool=tool)
            if isinstance(parsed, Skipped):
                results.append((path, parsed))
            else:
                name, items = parsed
                outcome = self.import_findings(
                    incident_id, label or name, name, items, actor=actor, evidence_id=evidence_id
                )
                results.append((path, outcome))
            if on_file is not None:
                on_file(path)
        return results

    def _audit(
        self,
        uow: UnitOfWork,
        finding: StoredFinding,
        action: AuditAction,
        *,
        actor: str,
        at: datetime,
        details: dict[str, object],
    ) -> None:
        uow.audit.append(
            AuditDraft(
                at=at,
                actor=actor,
                action=action,
                subject=findings_subject(finding.incident_id),
                incident_id=finding.incident_id,
                details={"finding": finding.id, "fingerprint": finding.fingerprint} | details,
                state_hash=findings_state(uow, finding.incident_id),
            )
        )


def _record_import(uow: UnitOfWork, scan: FindingScan, tally: _Tally, skipped: int) -> None:
    """The import's audit entry, with the digest of the incident's findings after it."""
    uow.audit.append(
        AuditDraft(
            at=scan.imported_at,
            actor=scan.imported_by,
            action=AuditAction.FINDINGS_IMPORTED,
            subject=findings_subject(scan.incident_id),
            incident_id=scan.incident_id,
            details={
                "scan": scan.id,
                "tool": scan.tool,
                "label": scan.label,
                "evidence": scan.evidence_id,
                "new": tally.new,
                "seen_again": tally.seen_again,
                "reopened": tally.reopened,
                "fixed": tally.fixed,
                "skipped": skipped,
            },
            state_hash=findings_state(uow, scan.incident_id),
        )
    )


def _resolve(uow: UnitOfWork, incident_id: IncidentId, ref: str) -> StoredFinding:
    """A finding of the incident by id or by a fingerprint prefix of 6+ hex characters."""
    uow.incidents.get(incident_id)
    text = ref.strip().lower()
    if text.isdigit():
        finding = uow.findings.get(int(text))
        if finding.incident_id != incident_id:
            raise NotFoundError(f"finding {text}: not a finding of incident {incident_id}")
        return finding
    if len(text) < 6 or any(c not in "0123456789abcdef" for c in text):
        raise InvalidInputError("FINDING: give the finding id or 6+ characters of its fingerprint")
    hits = [f for f in uow.findings.for_incident(incident_id) if f.fingerprint.startswith(text)]
    if not hits:
        raise NotFoundError(f"finding {text}: no finding of incident {incident_id} matches")
    if len(hits) > 1:
        raise InvalidInputError(f"finding {text}: ambiguous, give more of the fingerprint")
    return hits[0]
