"""Protocols the services need from the outside world; adapters and fakes implement them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Protocol, Self, TypeVar

from breachdesk.casefile.checklist import Task, TaskTemplate
from breachdesk.casefile.decision import Decision, DecisionDraft
from breachdesk.casefile.evidence import CustodyAction, CustodyEntry, EvidenceItem
from breachdesk.casefile.incident import Incident, IncidentDraft
from breachdesk.core.audit import AuditDraft, AuditEntry
from breachdesk.core.clock import iso
from breachdesk.core.delivery import (
    DeliveryState,
    DsnTarget,
    LedgerRow,
    OutboxMessage,
    OutgoingMessage,
    Receipt,
)
from breachdesk.core.finding import FindingScan, Occurrence, StoredFinding
from breachdesk.core.ids import DecisionId, EvidenceId, IncidentId
from breachdesk.core.status import CaseStatus
from breachdesk.services.investigation_ports import InvestigationRepository
from breachdesk.services.log_ports import LogRepository
from breachdesk.services.reset_ports import ResetRepository
from breachdesk.services.user_ports import UserRepository

T = TypeVar("T")
R = TypeVar("R")


class IncidentRepository(Protocol):
    """Incidents in the case file."""

    def add(self, draft: IncidentDraft, *, at: datetime) -> Incident: ...
    def get(self, incident_id: IncidentId) -> Incident: ...
    def list(self) -> list[Incident]: ...
    def set_status(
        self, incident_id: IncidentId, status: CaseStatus, *, at: datetime
    ) -> Incident: ...
    def set_occurrence(
        self,
        incident_id: IncidentId,
        occurred_from: datetime,
        occurred_to: datetime,
        *,
        at: datetime,
    ) -> Incident: ...


class TaskRepository(Protocol):
    """Checklist tasks of incidents."""

    def add_many(
        self, incident_id: IncidentId, templates: Sequence[TaskTemplate], *, discovered_at: datetime
    ) -> list[Task]: ...
    def for_incident(self, incident_id: IncidentId) -> list[Task]: ...
    def update(self, task: Task) -> None: ...


class DecisionRepository(Protocol):
    """The immutable decisions log."""

    def add(
        self, incident_id: IncidentId, draft: DecisionDraft, *, author: str, at: datetime
    ) -> Decision: ...
    def get(self, decision_id: DecisionId) -> Decision: ...
    def for_incident(self, incident_id: IncidentId | None) -> list[Decision]: ...


class EvidenceRepository(Protocol):
    """Evidence items and their chains of custody."""

    def add(
        self,
        incident_id: IncidentId,
        *,
        sha256: str,
        size: int,
        media_type: str,
        original_name: str,
        description: str | None,
        added_by: str,
        at: datetime,
        blob_key: bytes | None = None,
    ) -> EvidenceItem: ...
    def find(self, incident_id: IncidentId, sha256: str) -> EvidenceItem | None: ...
    def get(self, evidence_id: EvidenceId) -> EvidenceItem: ...
    def for_incident(self, incident_id: IncidentId | None) -> list[EvidenceItem]: ...
    def blob_key(self, evidence_id: EvidenceId) -> bytes | None: ...
    def shared_blob_key(self, sha256: str) -> bytes | None: ...
    def add_custody(
        self,
        evidence_id: EvidenceId,
        *,
        action: CustodyAction,
        actor: str,
        at: datetime,
        detail: str | None,
    ) -> CustodyEntry: ...
    def custody(self, evidence_id: EvidenceId) -> list[CustodyEntry]: ...


class AuditLog(Protocol):
    """The append-only hash chain."""

    def append(self, draft: AuditDraft) -> AuditEntry: ...
    def entries(self, incident_id: IncidentId | None = None) -> Iterator[AuditEntry]: ...
    def head(self) -> tuple[int, str] | None: ...
    def latest_states(self) -> dict[str, tuple[int, str | None]]: ...


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A leaked record ready to store: keyed hashes of identifiers, contacts still in clear."""

    table: str | None
    row: int
    elements: str
    keys: tuple[tuple[str, str], ...]
    contacts: tuple[tuple[str, str], ...] = field(repr=False)


@dataclass(frozen=True, slots=True)
class ScanSource:
    """A scanned source as stored for an incident."""

    id: int
    incident_id: IncidentId
    evidence_id: EvidenceId | None
    path: str
    sha256: str
    format: str
    size: int
    records: int
    hits: int
    skipped: int
    report: str
    scanned_by: str
    scanned_at: datetime

    def state(self) -> dict[str, Any]:
        """Canonical state recorded in the audit chain."""
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "evidence_id": self.evidence_id,
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "size": self.size,
            "records": self.records,
            "hits": self.hits,
            "skipped": self.skipped,
            "report": self.report,
            "scanned_by": self.scanned_by,
            "scanned_at": iso(self.scanned_at),
        }


class ScanRepository(Protocol):
    """Scanned sources and the leaked records found in them."""

    def find(self, incident_id: IncidentId, sha256: str) -> ScanSource | None: ...
    def add(self, source: ScanSource) -> ScanSource: ...
    def get(self, source_id: int) -> ScanSource: ...
    def for_incident(self, incident_id: IncidentId | None) -> list[ScanSource]: ...
    def add_records(self, source_id: int, records: Iterable[StoredRecord]) -> int: ...
    def record_count(self, source_id: int) -> int: ...


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One affected person as stored: no raw values except the encrypted contact fields."""

    person_ref: str  # keyed hash of the linking step's person id
    known: bool
    customer_ref: str | None = field(repr=False)
    country: str | None
    region: str | None
    residence_source: str
    elements: str  # sorted, comma-separated element ids
    flags: str
    records: int
    review: bool
    name: str | None = field(repr=False, default=None)
    email: str | None = field(repr=False, default=None)
    phone: str | None = field(repr=False, default=None)
    address: str | None = field(repr=False, default=None)


@dataclass(frozen=True, slots=True)
class StoredPerson:
    """A person with the id users refer to."""

    id: int
    incident_id: IncidentId
    row: PersonRow

    def state(self) -> dict[str, Any]:
        """Canonical state (part of the incident's people state in the audit chain)."""
        r = self.row
        return {
            "id": self.id,
            "ref": r.person_ref,
            "known": r.known,
            "country": r.country,
            "region": r.region,
            "residence": r.residence_source,
            "elements": r.elements,
            "flags": r.flags,
            "records": r.records,
            "review": r.review,
        }


@dataclass(frozen=True, slots=True)
class PeopleWrite:
    """Everything one linking run stores (rows refer to people by ``person_ref``)."""

    people: Sequence[PersonRow]
    records: Sequence[tuple[str, int, str, float | None]]  # ref, record id, method, score
    exposures: Sequence[tuple[str, str, int, int]]  # ref, element, source id, record count
    keys: Sequence[tuple[str, str, str]]  # ref, kind, keyed hash
    conflicts: Sequence[tuple[int, int, str]]  # record id, candidates, reason


class PeopleRepository(Protocol):
    """Affected people, their exposures and lookup keys, and what linking read."""

    def record_keys(self, incident_id: IncidentId) -> list[tuple[int, str, str]]: ...
    def records(self, incident_id: IncidentId) -> list[tuple[int, int, str]]: ...
    def contacts(self, incident_id: IncidentId) -> list[tuple[int, str, str]]: ...
    def replace(self, incident_id: IncidentId, write: PeopleWrite) -> int: ...
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
    ) -> int: ...
    def linked_incidents(self) -> list[IncidentId]: ...
    def for_incident(self, incident_id: IncidentId) -> list[StoredPerson]: ...
    def get(self, incident_id: IncidentId, person_id: int) -> StoredPerson: ...
    def exposures(self, person_id: int) -> list[tuple[str, int, str, int]]: ...
    def locators(
        self, person_id: int, *, limit: int = 100
    ) -> list[tuple[str, str | None, int, datetime]]: ...
    def find(self, incident_id: IncidentId, kind: str, keyed_hash: str) -> list[StoredPerson]: ...
    def conflict_list(self, incident_id: IncidentId) -> list[tuple[int, int, str, str, int]]: ...
    def conflicts(self, incident_id: IncidentId) -> int: ...


@dataclass(frozen=True, slots=True)
class IncidentFacts:
    """Facts the rules engine needs beyond the incident and its people, as recorded."""

    determined_at: datetime | None = None
    assessed_at: datetime | None = None
    encrypted: bool = False
    key_exposed: bool = False
    flags: tuple[str, ...] = ()
    no_risk: tuple[str, ...] = ()  # jurisdictions or rule ids with a no-risk determination

    def state(self) -> dict[str, Any]:
        """Canonical state recorded in the audit chain."""
        return {
            "determined_at": iso(self.determined_at) if self.determined_at else None,
            "assessed_at": iso(self.assessed_at) if self.assessed_at else None,
            "encrypted": self.encrypted,
            "key_exposed": self.key_exposed,
            "flags": list(self.flags),
            "no_risk": list(self.no_risk),
        }


@dataclass(frozen=True, slots=True)
class StoredObligation:
    """An obligation as stored, with whether and when it was met."""

    id: int
    key: str
    rule_id: str
    jurisdiction: str
    recipient: str
    status: str
    active: bool
    due_at: datetime | None
    target_at: datetime | None
    people: int
    data: str  # canonical JSON of the evaluated obligation
    met_at: datetime | None = None
    met_by: str | None = None
    met_note: str | None = None
    proof_evidence_id: int | None = None
    late: bool | None = None

    def state(self) -> dict[str, Any]:
        """Canonical state (part of the incident's obligations state in the audit chain)."""
        return {
            "id": self.id,
            "key": self.key,
            "status": self.status,
            "active": self.active,
            "due_at": iso(self.due_at) if self.due_at else None,
            "target_at": iso(self.target_at) if self.target_at else None,
            "people": self.people,
            "data": self.data,
            "met_at": iso(self.met_at) if self.met_at else None,
            "met_by": self.met_by,
            "met_note": self.met_note,
            "proof": self.proof_evidence_id,
            "late": self.late,
        }


@dataclass(frozen=True, slots=True)
class AuthorityContact:
    """A recorded contact with an authority or law enforcement."""

    id: int
    at: datetime
    recorded_by: str
    authority: str
    channel: str
    reference: str | None
    outcome: str | None
    jurisdiction: str | None
    delay_requested: bool
    delay_until: datetime | None
    evidence_id: int | None

    def state(self) -> dict[str, Any]:
        """Canonical state (part of the incident's obligations state in the audit chain)."""
        return {
            "id": self.id,
            "at": iso(self.at),
            "by": self.recorded_by,
            "authority": self.authority,
            "channel": self.channel,
            "reference": self.reference,
            "outcome": self.outcome,
            "jurisdiction": self.jurisdiction,
            "delay": self.delay_requested,
            "until": iso(self.delay_until) if self.delay_until else None,
            "evidence": self.evidence_id,
        }


class ObligationRepository(Protocol):
    """Recorded facts and evaluated obligations of incidents."""

    def facts(self, incident_id: IncidentId) -> IncidentFacts | None: ...
    def set_facts(self, incident_id: IncidentId, facts: IncidentFacts, *, at: datetime) -> None: ...
    def residence_groups(
        self, incident_id: IncidentId
    ) -> list[tuple[str | None, str | None, str, str]]: ...
    def for_incident(self, incident_id: IncidentId) -> list[StoredObligation]: ...
    def save(
        self, incident_id: IncidentId, rows: Sequence[StoredObligation], *, at: datetime
    ) -> None: ...
    def evaluated_incidents(self) -> list[IncidentId]: ...
    def add_contact(self, incident_id: IncidentId, contact: AuthorityContact) -> int: ...
    def contacts(self, incident_id: IncidentId) -> list[AuthorityContact]: ...


class FindingRepository(Protocol):
    """Imported scans, de-duplicated security findings and their occurrences per scan."""

    def lock(self) -> None: ...
    def add_scan(self, scan: FindingScan) -> FindingScan: ...
    def get_scan(self, scan_id: int) -> FindingScan: ...
    def scans(self, incident_id: int) -> list[FindingScan]: ...
    def add(self, finding: StoredFinding) -> StoredFinding: ...
    def update(self, finding: StoredFinding) -> None: ...
    def add_many(self, findings: Sequence[StoredFinding]) -> list[StoredFinding]: ...
    def update_many(self, findings: Sequence[StoredFinding]) -> None: ...
    def get(self, finding_id: int) -> StoredFinding: ...
    def for_incident(self, incident_id: int) -> list[StoredFinding]: ...
    def add_occurrences(self, occurrences: Sequence[Occurrence]) -> None: ...
    def occurrences(self, finding_id: int) -> list[Occurrence]: ...
    def finding_ids(self, scan_ids: Sequence[int]) -> dict[int, set[int]]: ...
    def incidents(self) -> list[int]: ...


@dataclass(frozen=True, slots=True)
class NoticeApproval:
    """Counsel's approval of a campaign: who, as what, and the exact templates and wording."""

    id: int
    incident_id: int
    campaign: str
    approver: str
    role: str
    approved_at: datetime
    templates: tuple[tuple[str, str], ...]  # (template id e.g. "es/email", version hash)
    overrides: str | None  # override folder, as given
    overrides_hash: str | None  # sha256 over every file of that folder
    content: str  # canonical JSON of the sender, contacts and measures the notices state

    def state(self) -> dict[str, Any]:
        """Canonical state recorded in the audit chain."""
        return {
            "id": self.id,
            "incident_id": self.incident_id,
            "campaign": self.campaign,
            "approver": self.approver,
            "role": self.role,
            "approved_at": iso(self.approved_at),
            "templates": [list(t) for t in self.templates],
            "overrides": self.overrides,
            "overrides_hash": self.overrides_hash,
            "content": self.content,
        }


@dataclass(frozen=True, slots=True)
class Suppression:
    """A person not notified again: already notified in another incident for the same campaign."""

    incident_id: int
    person_id: int
    campaign: str
    match_hash: str  # keyed hash of the person's e-mail address
    other_incident_id: int
    at: datetime


@dataclass(frozen=True, slots=True)
class NoticeContent:
    """A rendered notice's content for an outbox row (PII-bearing fields out of repr)."""

    subject: str = field(repr=False)
    body_text: str = field(repr=False)
    body_html: str | None = field(repr=False)
    content_hash: str
    template_version: str


class CampaignRepository(Protocol):
    """Approvals, suppressions and the per-campaign views of the outbox."""

    def add_approval(self, approval: NoticeApproval) -> int: ...
    def approval(self, incident_id: int, campaign: str) -> NoticeApproval | None: ...
    def queued_people(self, incident_id: int, campaign: str) -> set[int]: ...
    def channel_counts(self, incident_id: int) -> dict[tuple[str, DeliveryState], int]: ...
    def recipients(self, outbox_ids: Sequence[int]) -> dict[int, str]: ...
    def delivered_people(self, incident_id: int, campaign: str) -> set[int]: ...
    def notified_elsewhere(self, incident_id: int, campaign: str) -> list[tuple[int, str]]: ...
    def add_suppressions(self, rows: Sequence[Suppression]) -> None: ...
    def suppressed(self, incident_id: int, campaign: str) -> set[int]: ...
    def copied_fallbacks(self, incident_id: int, campaign: str) -> list[tuple[int, int, str]]: ...
    def replace_content(self, outbox_id: int, content: NoticeContent) -> bool: ...


@dataclass(frozen=True, slots=True)
class PentestSchedule:
    """A recurring authorised web test of one target, with when it next runs."""

    id: int
    incident_id: IncidentId
    target: str
    profile: str
    cron: str
    max_requests: int
    rate: float
    ca_file: str | None
    network_tools: bool
    authorised_by: str
    created_at: datetime
    next_run_at: datetime
    last_run_at: datetime | None = None
    last_scan_id: int | None = None


class ScheduleRepository(Protocol):
    """Recurring pentest schedules."""

    def add(self, schedule: PentestSchedule) -> PentestSchedule: ...
    def for_incident(self, incident_id: IncidentId | None) -> list[PentestSchedule]: ...
    def due(self, now: datetime) -> list[PentestSchedule]: ...
    def update(self, schedule: PentestSchedule) -> None: ...


class UnitOfWork(Protocol):
    """One transaction over every repository; nothing is written unless ``commit`` is called."""

    @property
    def incidents(self) -> IncidentRepository: ...
    @property
    def tasks(self) -> TaskRepository: ...
    @property
    def decisions(self) -> DecisionRepository: ...
    @property
    def evidence(self) -> EvidenceRepository: ...
    @property
    def audit(self) -> AuditLog: ...
    @property
    def scans(self) -> ScanRepository: ...
    @property
    def people(self) -> PeopleRepository: ...
    @property
    def obligations(self) -> ObligationRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def logs(self) -> LogRepository: ...
    @property
    def investigation(self) -> InvestigationRepository: ...
    @property
    def campaigns(self) -> CampaignRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def findings(self) -> FindingRepository: ...
    @property
    def schedules(self) -> ScheduleRepository: ...
    @property
    def resets(self) -> ResetRepository: ...

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per user action."""

    def __call__(self) -> UnitOfWork: ...


class Executor(Protocol):
    """Runs small picklable tasks, possibly in other processes or machines."""

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Yield ``(index, fn(items[index]))`` as each task completes."""
        ...


class Spool(Protocol):
    """Temporary storage of items too many to keep in memory (encrypted when they hold PII)."""

    count: int

    def write(self, items: Sequence[Any]) -> None: ...
    def __iter__(self) -> Iterator[Any]: ...
    def close(self) -> None: ...


class KeyedHasher(Protocol):
    """Keyed hashing (HMAC) of normalised identifiers, so they can be matched, never read."""

    def keyed_hash(self, value: str, *, purpose: str) -> str: ...


@dataclass(frozen=True, slots=True)
class StoredBlob:
    """A stored evidence file: its plaintext digest and size, and the key it is sealed with."""

    sha256: str
    size: int
    key: bytes | None  # None: a plain blob stored before evidence was encrypted

    def __repr__(self) -> str:
        return f"StoredBlob(sha256={self.sha256!r}, size={self.size})"  # never the key


class BlobStore(Protocol):
    """Write-once, content-addressed storage of evidence bytes, each blob under its own key."""

    def put(
        self, source: Path, existing: Callable[[str], bytes | None]
    ) -> AbstractContextManager[StoredBlob]: ...
    def open(self, sha256: str, key: bytes | None) -> BinaryIO: ...
    def exists(self, sha256: str) -> bool: ...


class OutboxRepository(Protocol):
    """Queued messages, their leases, delivery attempts and the ledger."""

    def enqueue(self, messages: Sequence[OutgoingMessage], *, at: datetime) -> list[int]: ...
    def claim(
        self, *, limit: int, now: datetime, owner: str, lease: timedelta, channel: str
    ) -> list[OutboxMessage]: ...
    def record(
        self, outbox_id: int, receipt: Receipt, *, at: datetime, duration: float, owner: str
    ) -> DeliveryState: ...
    def record_many(
        self, outcomes: Sequence[tuple[int, Receipt, float]], *, at: datetime, owner: str
    ) -> list[DeliveryState]: ...
    def bounce(self, outbox_id: int, response: str, *, at: datetime) -> DeliveryState: ...
    def dsn_target(self, outbox_id: int, marker: str) -> DsnTarget | None: ...
    def note(self, outbox_id: int, outcome: str, response: str, *, at: datetime) -> None: ...
    def counts(self, incident_id: int) -> dict[DeliveryState, int]: ...
    def ledger(
        self, incident_id: int, *, after: int = 0, limit: int = 2_000
    ) -> list[LedgerRow]: ...


class Transport(Protocol):
    """Sends rendered messages of one channel; returns a receipt, never raises for delivery."""

    @property
    def channel(self) -> str: ...
    def send(self, message: OutboxMessage) -> Receipt: ...
    def close(self) -> None: ...
