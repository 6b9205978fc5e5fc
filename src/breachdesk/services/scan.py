"""Store scan results for an incident: sources as evidence, records with keyed identifiers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.ids import IncidentId
from breachdesk.discovery.engine import (
    SPLIT_BYTES,
    TaskResult,
    expand_paths,
    merge,
    plan_tasks,
    run_task,
    task_bytes,
)
from breachdesk.discovery.result import RecordHit, SourceReport
from breachdesk.services.evidence import EvidenceService
from breachdesk.services.ports import (
    Executor,
    KeyedHasher,
    ScanSource,
    Spool,
    StoredRecord,
    UnitOfWorkFactory,
)
from breachdesk.services.state import scan_state, scan_subject

# Identifier kinds kept as keyed hashes for linking (purpose "match:<kind>"; the linking step
# hashes the customer master with the same purpose).
KEY_KINDS = frozenset(
    {
        "email",
        "phone",
        "ssn",
        "national_id",
        "username",
        "customer_id",
        "date_of_birth",
        "postal_code",
        "passport",
        "drivers_license",
        "tax_id",
    }
)
# Kinds kept (encrypted) because notices may need them when no customer record matches.
CONTACT_KINDS = frozenset(
    {"email", "phone", "person_name", "postal_address", "postal_code", "country", "region"}
)


def match_purpose(kind: str) -> str:
    """HMAC purpose string for an identifier kind."""
    return f"match:{kind}"


@dataclass(frozen=True, slots=True)
class ScanProgress:
    """One finished task: how many bytes and records it covered."""

    path: str
    bytes: int
    records: int


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What storing one scanned source did."""

    source: ScanSource
    created: bool
    records: int


@dataclass(frozen=True, slots=True)
class ScanOutcome:
    """One scanned file: its report, and what was stored when an incident was given."""

    report: SourceReport
    stored: RecordOutcome | None


@dataclass(frozen=True, slots=True)
class ScannedFile:
    """One scanned file: its report, hits kept in memory, and the tasks that covered it."""

    path: Path
    report: SourceReport
    hits: list[RecordHit]
    tasks: tuple[int, ...]


def scan_files(
    paths: Sequence[Path],
    *,
    executor: Executor,
    collect: bool = False,
    on_progress: Callable[[ScanProgress], None] | None = None,
    on_hits: Callable[[int, list[RecordHit]], None] | None = None,
    split_bytes: int = SPLIT_BYTES,
) -> list[ScannedFile]:
    """Scan files with every task run through ``executor``; results do not depend on it.

    With ``on_hits``, each task's record hits go to it (with the task's index) as soon as the
    task ends, instead of being kept in memory until every file is done.
    """
    files = expand_paths(paths)
    tasks = [
        (n, t)
        for n, path in enumerate(files)
        for t in plan_tasks(path, collect=collect, split_bytes=split_bytes)
    ]
    results: dict[int, dict[int, TaskResult]] = {}
    for index, result in executor.run(run_task, [t for _, t in tasks]):
        file_no, task = tasks[index]
        if on_hits is not None:
            on_hits(index, result.hits)
            result.hits = []
        results.setdefault(file_no, {})[index] = result
        if on_progress is not None:
            on_progress(ScanProgress(task.path, task_bytes(task), result.records))
    scanned = []
    for n, path in enumerate(files):
        indices = tuple(sorted(results.get(n, {})))
        report, hits = merge(path, [results[n][i] for i in indices])
        scanned.append(ScannedFile(path, report, hits, indices))
    return scanned


def planned_bytes(paths: Sequence[Path]) -> int:
    """Total size of the files a scan of ``paths`` will read (for progress bars)."""
    total = 0
    for path in expand_paths(paths):
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


class ScanService:
    """Register scanned files as evidence and store what was found in them."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        evidence: EvidenceService,
        hasher: KeyedHasher,
        clock: Clock,
        spool: Callable[[], Spool],
    ) -> None:
        self._spool = spool
        self._uow = uow
        self._evidence = evidence
        self._hasher = hasher
        self._clock = clock

    def _stored(self, hits: Iterable[RecordHit]) -> Iterator[StoredRecord]:
        for hit in hits:
            keys = tuple(
                sorted(
                    {
                        (kind, self._hasher.keyed_hash(value, purpose=match_purpose(kind)))
                        for kind, value in hit.identifiers
                        if kind in KEY_KINDS
                    }
                )
            )
            contacts = tuple(sorted({(k, v) for k, v in hit.identifiers if k in CONTACT_KINDS}))
            yield StoredRecord(hit.table, hit.row, ",".join(sorted(hit.elements)), keys, contacts)

    def record(
        self,
        incident_id: IncidentId,
        path: Path,
        report: SourceReport,
        hits: Iterable[RecordHit],
        *,
        actor: str,
        count: int | None = None,
    ) -> RecordOutcome:
        """Store one source; the same bytes scanned again for the incident change nothing."""
        item = self._evidence.add(
            incident_id, path, actor=actor, description="scanned for personal data"
        ).item
        with self._uow() as uow:
            existing = uow.scans.find(incident_id, report.sha256)
            if existing is not None:
                return RecordOutcome(existing, False, uow.scans.record_count(existing.id))
            now = self._clock.now()
            if count is None:
                hits = list(hits)
                count = len(hits)
            source = uow.scans.add(
                ScanSource(
                    id=0,
                    incident_id=incident_id,
                    evidence_id=item.id,
                    path=report.path,
                    sha256=report.sha256,
                    format=report.format,
                    size=report.size,
                    records=report.records,
                    hits=count,
                    skipped=len(report.skipped),
                    report=json.dumps(report.as_json(), sort_keys=True),
                    scanned_by=actor,
                    scanned_at=now,
                )
            )
            stored = uow.scans.add_records(source.id, self._stored(hits))
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.SCAN_RECORDED,
                    subject=scan_subject(source.id),
                    incident_id=incident_id,
                    details={
                        "evidence": item.id,
                        "records": stored,
                        "elements": dict(sorted(report.elements.items())),
                    },
                    state_hash=scan_state(uow, source.id),
                )
            )
            uow.commit()
        return RecordOutcome(source, True, stored)

    def scan(
        self,
        paths: Sequence[Path],
        *,
        executor: Executor,
        actor: str,
        incident_id: IncidentId,
        on_progress: Callable[[ScanProgress], None] | None = None,
    ) -> list[ScanOutcome]:
        """Scan files and store what was found for the incident (sources become evidence).

        Record hits are spilled, encrypted, per task while the scan runs, so memory stays
        bounded however large the files are.
        """
        with self._uow() as uow:
            uow.incidents.get(incident_id)
        spools: dict[int, Spool] = {}

        def spill(index: int, hits: list[RecordHit]) -> None:
            spools[index] = spool = self._spool()
            spool.write(hits)

        try:
            scanned = scan_files(
                paths, executor=executor, collect=True, on_progress=on_progress, on_hits=spill
            )
            outcomes = []
            for f in scanned:
                chunks = [spools[i] for i in f.tasks if i in spools]
                hits = (hit for spool in chunks for hit in spool)
                count = sum(spool.count for spool in chunks)
                outcomes.append(
                    ScanOutcome(
                        f.report,
                        self.record(incident_id, f.path, f.report, hits, actor=actor, count=count),
                    )
                )
            return outcomes
        finally:
            for spool in spools.values():
                spool.close()

    def sources(self, incident_id: IncidentId) -> list[ScanSource]:
        """Sources scanned for an incident."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.scans.for_incident(incident_id)
