"""In-memory fakes of the service ports (for unit tests and plugin authors) and a fixed clock."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Self

from breachdesk.casefile.checklist import Task, TaskTemplate
from breachdesk.casefile.decision import Decision, DecisionDraft
from breachdesk.casefile.evidence import CustodyAction, CustodyEntry, EvidenceItem
from breachdesk.casefile.incident import Incident, IncidentDraft
from breachdesk.core.audit import GENESIS_HASH, AuditDraft, AuditEntry, seal
from breachdesk.core.delivery import (
    Attempt,
    DeliveryState,
    DsnTarget,
    LedgerRow,
    OutboxMessage,
    OutgoingMessage,
    Receipt,
    Verdict,
    retry_delay,
)
from breachdesk.core.errors import CryptoError, NotFoundError
from breachdesk.core.finding import (
    FindingId,
    FindingScan,
    FindingScanId,
    Occurrence,
    StoredFinding,
)
from breachdesk.core.ids import CustodyId, DecisionId, EvidenceId, IncidentId, TaskId
from breachdesk.core.status import CaseStatus, TaskStatus
from breachdesk.services.ports import (
    AuthorityContact,
    IncidentFacts,
    NoticeApproval,
    NoticeContent,
    PentestSchedule,
    PeopleWrite,
    ScanSource,
    StoredBlob,
    StoredObligation,
    StoredPerson,
    StoredRecord,
    Suppression,
)
from breachdesk.testing_investigation import MemoryInvestigation
from breachdesk.testing_logs import MemoryLogs
from breachdesk.testing_resets import MemoryResets
from breachdesk.testing_users import MemoryUsers


class FixedClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        """The current fixed instant."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self._now += delta


@dataclass
class MemoryState:
    """Everything a fake database holds."""

    incidents: dict[int, Incident] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)
    decisions: dict[int, Decision] = field(default_factory=dict)
    evidence: dict[int, EvidenceItem] = field(default_factory=dict)
    blob_keys: dict[int, bytes] = field(default_factory=dict)  # evidence id -> its blob's key
    custody: dict[int, CustodyEntry] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    scans: dict[int, ScanSource] = field(default_factory=dict)
    records: dict[int, list[StoredRecord]] = field(default_factory=dict)
    people: dict[int, StoredPerson] = field(default_factory=dict)
    person_keys: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    exposures: dict[int, list[tuple[int, str, int, int]]] = field(default_factory=dict)
    conflicts: dict[int, int] = field(default_factory=dict)
    link_runs: list[IncidentId] = field(default_factory=list)
    facts: dict[int, IncidentFacts] = field(default_factory=dict)
    obligations: dict[int, dict[int, StoredObligation]] = field(default_factory=dict)
    contacts: dict[int, list[AuthorityContact]] = field(default_factory=dict)
    outbox: dict[int, dict[str, Any]] = field(default_factory=dict)
    schedules: dict[int, PentestSchedule] = field(default_factory=dict)
    attempts: dict[int, list[Attempt]] = field(default_factory=dict)
    finding_scans: dict[int, FindingScan] = field(default_factory=dict)
    findings: dict[int, StoredFinding] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    logs: dict[str, Any] = field(default_factory=dict)
    investigation: dict[str, Any] = field(default_factory=dict)
    approvals: list[NoticeApproval] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    web: dict[str, Any] = field(default_factory=dict)
    resets: dict[str, Any] = field(default_factory=dict)


class _Repo:
    def __init__(self, state: MemoryState) -> None:
        self.s = state


class MemoryIncidents(_Repo):
    """Incident repository over a MemoryState."""

    def add(self, draft: IncidentDraft, *, at: datetime) -> Incident:
        new = Incident(
            IncidentId(len(self.s.incidents) + 1),
            draft.title,
            draft.controller,
            CaseStatus.OPEN,
            draft.discovered_at,
            draft.occurred_from,
            draft.occurred_to,
            draft.summary,
            at,
            at,
        )
        self.s.incidents[new.id] = new
        return new

    def get(self, incident_id: IncidentId) -> Incident:
        if incident_id not in self.s.incidents:
            raise NotFoundError(f"incident {incident_id}: no such incident")
        return self.s.incidents[incident_id]

    def list(self) -> list[Incident]:
        return [self.s.incidents[k] for k in sorted(self.s.incidents)]

    def set_status(self, incident_id: IncidentId, status: CaseStatus, *, at: datetime) -> Incident:
        self.s.incidents[incident_id] = replace(self.get(incident_id), status=status, updated_at=at)
        return self.s.incidents[incident_id]

    def set_occurrence(
        self,
        incident_id: IncidentId,
        occurred_from: datetime,
        occurred_to: datetime,
        *,
        at: datetime,
    ) -> Incident:
        self.s.incidents[incident_id] = replace(
            self.get(incident_id),
            occurred_from=occurred_from,
            occurred_to=occurred_to,
            updated_at=at,
        )
        return self.s.incidents[incident_id]


class MemoryTasks(_Repo):
    """Task repository over a MemoryState."""

    def add_many(
        self, incident_id: IncidentId, templates: Sequence[TaskTemplate], *, discovered_at: datetime
    ) -> list[Task]:
        for pos, tpl in enumerate(templates, start=1):
            tid = TaskId(len(self.s.tasks) + 1)
            due = discovered_at + tpl.due_after if tpl.due_after else None
            self.s.tasks[tid] = Task(
                tid,
                incident_id,
                tpl.key,
                tpl.title,
                tpl.parent,
                pos,
                TaskStatus.OPEN,
                None,
                due,
                None,
                None,
                None,
            )
        return self.for_incident(incident_id)

    def for_incident(self, incident_id: IncidentId) -> list[Task]:
        return sorted(
            (t for t in self.s.tasks.values() if t.incident_id == incident_id),
            key=lambda t: t.position,
        )

    def update(self, task: Task) -> None:
        self.s.tasks[task.id] = task


class MemoryDecisions(_Repo):
    """Decision repository over a MemoryState."""

    def add(
        self, incident_id: IncidentId, draft: DecisionDraft, *, author: str, at: datetime
    ) -> Decision:
        new = Decision(
            DecisionId(len(self.s.decisions) + 1),
            incident_id,
            draft.topic,
            draft.decision,
            draft.rationale,
            author,
            at,
            draft.corrects,
        )
        self.s.decisions[new.id] = new
        return new

    def get(self, decision_id: DecisionId) -> Decision:
        if decision_id not in self.s.decisions:
            raise NotFoundError(f"decision {decision_id}: no such decision")
        return self.s.decisions[decision_id]

    def for_incident(self, incident_id: IncidentId | None) -> list[Decision]:
        return [
            d
            for _, d in sorted(self.s.decisions.items())
            if incident_id is None or d.incident_id == incident_id
        ]


class MemoryEvidence(_Repo):
    """Evidence repository over a MemoryState."""

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
    ) -> EvidenceItem:
        new = EvidenceItem(
            EvidenceId(len(self.s.evidence) + 1),
            incident_id,
            sha256,
            size,
            media_type,
            original_name,
            description,
            added_by,
            at,
        )
        self.s.evidence[new.id] = new
        if blob_key is not None:
            self.s.blob_keys[new.id] = blob_key
        return new

    def blob_key(self, evidence_id: EvidenceId) -> bytes | None:
        return self.s.blob_keys.get(evidence_id)

    def shared_blob_key(self, sha256: str) -> bytes | None:
        for item_id, item in sorted(self.s.evidence.items()):
            if item.sha256 == sha256 and item_id in self.s.blob_keys:
                return self.s.blob_keys[item_id]
        return None

    def find(self, incident_id: IncidentId, sha256: str) -> EvidenceItem | None:
        return next(
            (
                e
                for e in self.s.evidence.values()
                if e.incident_id == incident_id and e.sha256 == sha256
            ),
            None,
        )

    def get(self, evidence_id: EvidenceId) -> EvidenceItem:
        if evidence_id not in self.s.evidence:
            raise NotFoundError(f"evidence {evidence_id}: no such evidence item")
        return self.s.evidence[evidence_id]

    def for_incident(self, incident_id: IncidentId | None) -> list[EvidenceItem]:
        return [
            e
            for _, e in sorted(self.s.evidence.items())
            if incident_id is None or e.incident_id == incident_id
        ]

    def add_custody(
        self,
        evidence_id: EvidenceId,
        *,
        action: CustodyAction,
        actor: str,
        at: datetime,
        detail: str | None,
    ) -> CustodyEntry:
        new = CustodyEntry(
            CustodyId(len(self.s.custody) + 1), evidence_id, at, actor, action, detail
        )
        self.s.custody[new.id] = new
        return new

    def custody(self, evidence_id: EvidenceId) -> list[CustodyEntry]:
        return [c for _, c in sorted(self.s.custody.items()) if c.evidence_id == evidence_id]


class MemoryAuditLog(_Repo):
    """Audit chain over a MemoryState."""

    def append(self, draft: AuditDraft) -> AuditEntry:
        prev = self.s.audit[-1] if self.s.audit else None
        entry = seal(
            draft, seq=prev.seq + 1 if prev else 1, prev_hash=prev.hash if prev else GENESIS_HASH
        )
        self.s.audit.append(entry)
        return entry

    def entries(self, incident_id: IncidentId | None = None) -> Iterator[AuditEntry]:
        return iter(
            [e for e in self.s.audit if incident_id is None or e.incident_id == incident_id]
        )

    def head(self) -> tuple[int, str] | None:
        return (self.s.audit[-1].seq, self.s.audit[-1].hash) if self.s.audit else None

    def latest_states(self) -> dict[str, tuple[int, str | None]]:
        return {e.subject: (e.seq, e.state_hash) for e in self.s.audit if e.state_hash}


class MemoryScans(_Repo):
    """Scan sources and leaked records over a MemoryState."""

    def find(self, incident_id: IncidentId, sha256: str) -> ScanSource | None:
        return next(
            (
                x
                for x in self.s.scans.values()
                if x.incident_id == incident_id and x.sha256 == sha256
            ),
            None,
        )

    def add(self, source: ScanSource) -> ScanSource:
        new = replace(source, id=len(self.s.scans) + 1)
        self.s.scans[new.id] = new
        return new

    def get(self, source_id: int) -> ScanSource:
        if source_id not in self.s.scans:
            raise NotFoundError(f"scan source {source_id}: no such source")
        return self.s.scans[source_id]

    def for_incident(self, incident_id: IncidentId | None) -> list[ScanSource]:
        return [
            x
            for _, x in sorted(self.s.scans.items())
            if incident_id is None or x.incident_id == incident_id
        ]

    def add_records(self, source_id: int, records: Iterable[StoredRecord]) -> int:
        batch = list(records)
        self.s.records.setdefault(source_id, []).extend(batch)
        return len(batch)

    def record_count(self, source_id: int) -> int:
        return len(self.s.records.get(source_id, []))


class MemoryPeople(_Repo):
    """Affected people over a MemoryState (records, keys and contacts come from MemoryScans)."""

    def _records(self, incident_id: IncidentId) -> list[tuple[int, StoredRecord]]:
        out, n = [], 0
        for source_id, rows in sorted(self.s.records.items()):
            for row in rows:
                n += 1
                if self.s.scans[source_id].incident_id == incident_id:
                    out.append((n, row))
        return out

    def record_keys(self, incident_id: IncidentId) -> list[tuple[int, str, str]]:
        return [(n, k, h) for n, r in self._records(incident_id) for k, h in r.keys]

    def records(self, incident_id: IncidentId) -> list[tuple[int, int, str]]:
        sources = {id(r): sid for sid, rows in self.s.records.items() for r in rows}
        return [(n, sources[id(r)], r.elements) for n, r in self._records(incident_id)]

    def contacts(self, incident_id: IncidentId) -> list[tuple[int, str, str]]:
        return [(n, k, v) for n, r in self._records(incident_id) for k, v in r.contacts]

    def replace(self, incident_id: IncidentId, write: PeopleWrite) -> int:
        old = {
            p.row.person_ref: p.id for p in self.s.people.values() if p.incident_id == incident_id
        }
        for gone in [p.id for p in self.s.people.values() if p.incident_id == incident_id]:
            del self.s.people[gone]
        next_id = max([0, *self.s.people, *old.values()]) + 1
        for row in write.people:
            known = old.get(row.person_ref)
            if known is None:
                known, next_id = next_id, next_id + 1
            self.s.people[known] = StoredPerson(known, incident_id, row)
        ids = {p.row.person_ref: p.id for p in self.s.people.values()}
        self.s.person_keys[incident_id] = [(ids[r], k, h) for r, k, h in write.keys]
        self.s.exposures[incident_id] = [(ids[r], e, src, n) for r, e, src, n in write.exposures]
        self.s.conflicts[incident_id] = len(write.conflicts)
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
        self.s.link_runs.append(incident_id)
        return len(self.s.link_runs)

    def linked_incidents(self) -> list[IncidentId]:
        return sorted(set(self.s.link_runs))

    def for_incident(self, incident_id: IncidentId) -> list[StoredPerson]:
        return [p for _, p in sorted(self.s.people.items()) if p.incident_id == incident_id]

    def get(self, incident_id: IncidentId, person_id: int) -> StoredPerson:
        person = self.s.people.get(person_id)
        if person is None or person.incident_id != incident_id:
            raise NotFoundError(f"person {person_id}: not among incident {incident_id}'s people")
        return person

    def exposures(self, person_id: int) -> list[tuple[str, int, str, int]]:
        rows = [x for rows in self.s.exposures.values() for x in rows if x[0] == person_id]
        return sorted((e, src, self.s.scans[src].path, n) for _, e, src, n in rows)

    def locators(
        self, person_id: int, *, limit: int = 100
    ) -> list[tuple[str, str | None, int, datetime]]:
        return []  # the fake keeps no person-record links

    def find(self, incident_id: IncidentId, kind: str, keyed_hash: str) -> list[StoredPerson]:
        ids = {
            p for p, k, h in self.s.person_keys.get(incident_id, []) if (k, h) == (kind, keyed_hash)
        }
        return [self.s.people[i] for i in sorted(ids)]

    def conflict_list(self, incident_id: IncidentId) -> list[tuple[int, int, str, str, int]]:
        return []  # the fake keeps only the count

    def conflicts(self, incident_id: IncidentId) -> int:
        return self.s.conflicts.get(incident_id, 0)


class MemoryObligations(_Repo):
    """Facts and obligations over a MemoryState."""

    def facts(self, incident_id: IncidentId) -> IncidentFacts | None:
        return self.s.facts.get(incident_id)

    def set_facts(self, incident_id: IncidentId, facts: IncidentFacts, *, at: datetime) -> None:
        self.s.facts[incident_id] = facts

    def residence_groups(
        self, incident_id: IncidentId
    ) -> list[tuple[str | None, str | None, str, str]]:
        return [
            (p.row.country, p.row.region, p.row.residence_source, p.row.elements)
            for p in self.s.people.values()
            if p.incident_id == incident_id
        ]

    def for_incident(self, incident_id: IncidentId) -> list[StoredObligation]:
        return sorted(self.s.obligations.get(incident_id, {}).values(), key=lambda o: o.id)

    def save(
        self, incident_id: IncidentId, rows: Sequence[StoredObligation], *, at: datetime
    ) -> None:
        table = self.s.obligations.setdefault(incident_id, {})
        for row in rows:
            if not row.id:
                row = replace(
                    row,
                    id=1
                    + max(
                        (o.id for t in self.s.obligations.values() for o in t.values()), default=0
                    ),
                )
            table[row.id] = row

    def evaluated_incidents(self) -> list[IncidentId]:
        return sorted(IncidentId(i) for i in {*self.s.obligations, *self.s.facts, *self.s.contacts})

    def add_contact(self, incident_id: IncidentId, contact: AuthorityContact) -> int:
        rows = self.s.contacts.setdefault(incident_id, [])
        new_id = 1 + sum(len(r) for r in self.s.contacts.values())
        rows.append(replace(contact, id=new_id))
        return new_id

    def contacts(self, incident_id: IncidentId) -> list[AuthorityContact]:
        return list(self.s.contacts.get(incident_id, []))


class MemoryOutbox(_Repo):
    """The outbox over a MemoryState (same state machine as the SQL repository)."""

    def enqueue(self, messages: Sequence[OutgoingMessage], *, at: datetime) -> list[int]:
        ids: list[int] = []
        for m in messages:
            new_id = max(self.s.outbox, default=0) + 1
            self.s.outbox[new_id] = {"m": m, "state": DeliveryState.QUEUED, "attempts": 0}
            self.s.outbox[new_id] |= {"due": at, "owner": None, "until": None, "mid": None}
            ids.append(new_id)
        return ids

    def claim(
        self, *, limit: int, now: datetime, owner: str, lease: timedelta, channel: str
    ) -> list[OutboxMessage]:
        out: list[OutboxMessage] = []
        for i, r in sorted(self.s.outbox.items()):
            waiting = r["state"] in (DeliveryState.QUEUED, DeliveryState.DEFERRED)
            due = (waiting and r["due"] <= now) or (
                r["state"] is DeliveryState.SENDING and r["until"] < now
            )
            if len(out) == limit or not due or r["m"].channel != channel:
                continue
            r |= {"state": DeliveryState.SENDING, "owner": owner, "until": now + lease}
            r["attempts"] += 1
            m = r["m"]
            fields = {k: getattr(m, k) for k in ("incident_id", "person_id", "campaign", "channel")}
            fields |= {k: getattr(m, k) for k in ("recipient", "subject", "body_text", "body_html")}
            fields |= {"content_hash": m.content_hash, "template_version": m.template_version}
            out.append(OutboxMessage(id=i, attempts=r["attempts"], **fields))
        return out

    def record(
        self, outbox_id: int, receipt: Receipt, *, at: datetime, duration: float, owner: str
    ) -> DeliveryState:
        attempt = Attempt(at, receipt.verdict.value, receipt.response, duration)
        self.s.attempts.setdefault(outbox_id, []).append(attempt)
        r = self.s.outbox[outbox_id]
        if receipt.verdict is Verdict.ACCEPTED:
            r |= {"state": DeliveryState.DELIVERED, "mid": receipt.message_id}
        elif r["state"] is DeliveryState.SENDING and r["owner"] == owner:
            if receipt.verdict is Verdict.TEMPORARY:
                r |= {"state": DeliveryState.DEFERRED, "due": at + retry_delay(r["attempts"])}
            elif r["m"].fallback:
                m = r["m"]
                plan = m.fallback
                nxt = replace(m, channel=plan[0].channel, recipient=plan[0].recipient)
                self.enqueue([replace(nxt, fallback=plan[1:])], at=at)
                r["state"] = DeliveryState.FALLEN_BACK
            else:
                r["state"] = DeliveryState.FAILED
        r |= {"owner": None, "until": None}
        state: DeliveryState = r["state"]
        return state

    def record_many(
        self, outcomes: Sequence[tuple[int, Receipt, float]], *, at: datetime, owner: str
    ) -> list[DeliveryState]:
        return [self.record(i, r, at=at, duration=d, owner=owner) for i, r, d in outcomes]

    def bounce(self, outbox_id: int, response: str, *, at: datetime) -> DeliveryState:
        self.s.attempts.setdefault(outbox_id, []).append(Attempt(at, "bounced", response, 0.0))
        r = self.s.outbox[outbox_id]
        if r["state"] is DeliveryState.DELIVERED:
            plan = r["m"].fallback
            if plan:
                nxt = replace(r["m"], channel=plan[0].channel, recipient=plan[0].recipient)
                self.enqueue([replace(nxt, fallback=plan[1:])], at=at)
            r["state"] = DeliveryState.FALLEN_BACK if plan else DeliveryState.BOUNCED
        state: DeliveryState = r["state"]
        return state

    def dsn_target(self, outbox_id: int, marker: str) -> DsnTarget | None:
        r = self.s.outbox.get(outbox_id)
        if r is None:
            return None
        seen = any(a.server_response.startswith(marker) for a in self.s.attempts.get(outbox_id, []))
        return DsnTarget(r["m"].incident_id, r["state"], seen)

    def note(self, outbox_id: int, outcome: str, response: str, *, at: datetime) -> None:
        self.s.attempts.setdefault(outbox_id, []).append(Attempt(at, outcome, response, 0.0))

    def counts(self, incident_id: int) -> dict[DeliveryState, int]:
        out: dict[DeliveryState, int] = {}
        for r in self.s.outbox.values():
            if r["m"].incident_id == incident_id:
                out[r["state"]] = out.get(r["state"], 0) + 1
        return out

    def ledger(self, incident_id: int, *, after: int = 0, limit: int = 2_000) -> list[LedgerRow]:
        rows: list[LedgerRow] = []
        for i, r in sorted(self.s.outbox.items()):
            m = r["m"]
            if m.incident_id != incident_id or i <= after or len(rows) == limit:
                continue
            rows.append(
                LedgerRow(
                    outbox_id=i,
                    person_id=m.person_id,
                    campaign=m.campaign,
                    channel=m.channel,
                    content_hash=m.content_hash,
                    template_version=m.template_version,
                    state=r["state"],
                    message_id=r["mid"],
                    attempts=tuple(self.s.attempts.get(i, ())),
                )
            )
        return rows


class MemoryCampaigns(_Repo):
    """Campaign approvals, suppressions and outbox views over a MemoryState."""

    def add_approval(self, approval: NoticeApproval) -> int:
        new_id = len(self.s.approvals) + 1
        self.s.approvals.append(replace(approval, id=new_id))
        return new_id

    def approval(self, incident_id: int, campaign: str) -> NoticeApproval | None:
        found = [
            a for a in self.s.approvals if a.incident_id == incident_id and a.campaign == campaign
        ]
        return found[-1] if found else None

    def _rows(self, incident_id: int, campaign: str) -> list[dict[str, Any]]:
        return [
            r
            for r in self.s.outbox.values()
            if r["m"].incident_id == incident_id and r["m"].campaign == campaign
        ]

    def queued_people(self, incident_id: int, campaign: str) -> set[int]:
        # fallback rows belong to people who already have a first message
        rows = self._rows(incident_id, campaign)
        return {r["m"].person_id for r in rows if r["m"].person_id is not None}

    def channel_counts(self, incident_id: int) -> dict[tuple[str, DeliveryState], int]:
        out: dict[tuple[str, DeliveryState], int] = {}
        for r in self.s.outbox.values():
            if r["m"].incident_id == incident_id:
                key = (r["m"].channel, r["state"])
                out[key] = out.get(key, 0) + 1
        return out

    def recipients(self, outbox_ids: Sequence[int]) -> dict[int, str]:
        return {i: self.s.outbox[i]["m"].recipient for i in outbox_ids if i in self.s.outbox}

    def delivered_people(self, incident_id: int, campaign: str) -> set[int]:
        rows = self._rows(incident_id, campaign)
        return {
            r["m"].person_id
            for r in rows
            if r["state"] is DeliveryState.DELIVERED and r["m"].person_id is not None
        }

    def notified_elsewhere(self, incident_id: int, campaign: str) -> list[tuple[int, str]]:
        out: set[tuple[int, str]] = set()
        for r in self.s.outbox.values():
            m = r["m"]
            if m.incident_id == incident_id or m.campaign != campaign:
                continue
            person = self.s.people.get(m.person_id) if m.person_id is not None else None
            if r["state"] is DeliveryState.DELIVERED and person and person.row.email:
                out.add((m.incident_id, person.row.email))
        return sorted(out)

    def add_suppressions(self, rows: Sequence[Suppression]) -> None:
        self.s.suppressions.extend(rows)

    def suppressed(self, incident_id: int, campaign: str) -> set[int]:
        return {
            r.person_id
            for r in self.s.suppressions
            if r.incident_id == incident_id and r.campaign == campaign
        }

    def copied_fallbacks(self, incident_id: int, campaign: str) -> list[tuple[int, int, str]]:
        # the fake keeps no parent link: a fallback is a queued row whose content a fallen-back
        # row of the same person on another channel carries too
        rows = self._rows(incident_id, campaign)
        fallen = {
            (r["m"].person_id, r["m"].content_hash, r["m"].channel)
            for r in rows
            if r["state"] is DeliveryState.FALLEN_BACK
        }
        return [
            (i, r["m"].person_id, r["m"].channel)
            for i, r in sorted(self.s.outbox.items())
            if r in rows
            and r["state"] is DeliveryState.QUEUED
            and r["attempts"] == 0
            and any(
                (r["m"].person_id, r["m"].content_hash) == (p, h) and c != r["m"].channel
                for p, h, c in fallen
            )
        ]

    def replace_content(self, outbox_id: int, content: NoticeContent) -> bool:
        r = self.s.outbox[outbox_id]
        if r["state"] is not DeliveryState.QUEUED or r["attempts"]:
            return False
        r["m"] = replace(
            r["m"],
            subject=content.subject,
            body_text=content.body_text,
            body_html=content.body_html,
            content_hash=content.content_hash,
            template_version=content.template_version,
        )
        return True


class MemoryTransport:
    """A transport that keeps sent messages in memory; verdicts can be scripted per recipient."""

    def __init__(self, channel: str = "email", domain: str = "breachdesk.invalid") -> None:
        self._channel = channel
        self.domain = domain
        self.sent: list[OutboxMessage] = []
        self.verdicts: dict[str, Verdict] = {}

    @property
    def channel(self) -> str:
        """The channel this transport serves."""
        return self._channel

    def send(self, message: OutboxMessage) -> Receipt:
        """Accept the message unless a verdict is scripted for its recipient."""
        verdict = self.verdicts.get(message.recipient, Verdict.ACCEPTED)
        if verdict is Verdict.ACCEPTED:
            self.sent.append(message)
        mid = f"<outbox-{message.id}.{message.incident_id}@{self.domain}>"
        return Receipt(verdict, f"memory {verdict.value}", mid)

    def close(self) -> None:
        """Nothing to release."""


class MemorySchedules(_Repo):
    """Pentest schedules in memory."""

    def add(self, schedule: PentestSchedule) -> PentestSchedule:
        """Store with the next id."""
        stored = replace(schedule, id=len(self.s.schedules) + 1)
        self.s.schedules[stored.id] = stored
        return stored

    def for_incident(self, incident_id: IncidentId | None) -> list[PentestSchedule]:
        """An incident's schedules (all for None)."""
        return [s for s in self.s.schedules.values() if incident_id in (None, s.incident_id)]

    def due(self, now: datetime) -> list[PentestSchedule]:
        """Schedules due at ``now``."""
        due = [s for s in self.s.schedules.values() if s.next_run_at <= now]
        return sorted(due, key=lambda s: (s.next_run_at, s.id))

    def update(self, schedule: PentestSchedule) -> None:
        """Replace the stored schedule."""
        self.s.schedules[schedule.id] = schedule


class MemoryFindings(_Repo):
    """Finding scans, findings and occurrences over a MemoryState."""

    def lock(self) -> None:
        """Nothing to serialise in memory."""

    def add_scan(self, scan: FindingScan) -> FindingScan:
        stored = replace(scan, id=FindingScanId(len(self.s.finding_scans) + 1))
        self.s.finding_scans[stored.id] = stored
        return stored

    def get_scan(self, scan_id: int) -> FindingScan:
        if scan_id not in self.s.finding_scans:
            raise NotFoundError(f"scan {scan_id}: no such findings scan")
        return self.s.finding_scans[scan_id]

    def scans(self, incident_id: int) -> list[FindingScan]:
        return [s for s in self.s.finding_scans.values() if s.incident_id == incident_id]

    def add(self, finding: StoredFinding) -> StoredFinding:
        if any(
            f.incident_id == finding.incident_id and f.fingerprint == finding.fingerprint
            for f in self.s.findings.values()
        ):
            raise ValueError("duplicate fingerprint")  # the SQL unique constraint's twin
        stored = replace(finding, id=FindingId(len(self.s.findings) + 1))
        self.s.findings[stored.id] = stored
        return stored

    def update(self, finding: StoredFinding) -> None:
        self.get(finding.id)
        self.s.findings[finding.id] = finding

    def add_many(self, findings: Sequence[StoredFinding]) -> list[StoredFinding]:
        return [self.add(f) for f in findings]

    def update_many(self, findings: Sequence[StoredFinding]) -> None:
        for finding in findings:
            self.update(finding)

    def get(self, finding_id: int) -> StoredFinding:
        if finding_id not in self.s.findings:
            raise NotFoundError(f"finding {finding_id}: no such finding")
        return self.s.findings[finding_id]

    def for_incident(self, incident_id: int) -> list[StoredFinding]:
        return [f for f in self.s.findings.values() if f.incident_id == incident_id]

    def add_occurrences(self, occurrences: Sequence[Occurrence]) -> None:
        self.s.occurrences.extend(occurrences)

    def occurrences(self, finding_id: int) -> list[Occurrence]:
        return [o for o in self.s.occurrences if o.finding_id == finding_id]

    def finding_ids(self, scan_ids: Sequence[int]) -> dict[int, set[int]]:
        result: dict[int, set[int]] = {i: set() for i in scan_ids}
        for o in self.s.occurrences:
            if o.scan_id in result:
                result[o.scan_id].add(o.finding_id)
        return result

    def incidents(self) -> list[int]:
        return sorted({s.incident_id for s in self.s.finding_scans.values()})


class FakeUnitOfWork:
    """A transaction over a MemoryState: changes are kept only if ``commit`` is called."""

    def __init__(self, committed: MemoryState) -> None:
        self._committed = committed

    def __enter__(self) -> Self:
        self._work = copy.deepcopy(self._committed)
        self.incidents = MemoryIncidents(self._work)
        self.tasks = MemoryTasks(self._work)
        self.decisions = MemoryDecisions(self._work)
        self.evidence = MemoryEvidence(self._work)
        self.audit = MemoryAuditLog(self._work)
        self.scans = MemoryScans(self._work)
        self.people = MemoryPeople(self._work)
        self.obligations = MemoryObligations(self._work)
        self.outbox = MemoryOutbox(self._work)
        self.findings = MemoryFindings(self._work)
        self.resets = MemoryResets(self._work.resets, self._work.people)
        self.schedules = MemorySchedules(self._work)
        self.logs = MemoryLogs(self._work.logs)
        self.investigation = MemoryInvestigation(self._work.investigation, self._work)
        self.campaigns = MemoryCampaigns(self._work)
        self.users = MemoryUsers(self._work.web)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        del self._work

    def commit(self) -> None:
        """Publish this transaction's changes."""
        self._committed.__dict__.update(copy.deepcopy(self._work).__dict__)


class FakeUnitOfWorkFactory:
    """Makes FakeUnitOfWork instances sharing one MemoryState."""

    def __init__(self) -> None:
        self.state = MemoryState()

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.state)


class MemoryBlobStore:
    """Content-addressed evidence bytes kept in memory, each readable only with its key."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.keys: dict[str, bytes] = {}

    @contextlib.contextmanager
    def put(self, source: Path, existing: Callable[[str], bytes | None]) -> Iterator[StoredBlob]:
        """Store a file's bytes under a new key; a stored copy keeps the key a row knows."""
        data = source.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        known = existing(sha256) if sha256 in self.blobs else None
        if known is None:  # new bytes, or an orphan no row knows the key of
            self.blobs[sha256], self.keys[sha256] = data, os.urandom(32)
        yield StoredBlob(sha256, len(data), known or self.keys[sha256])

    def open(self, sha256: str, key: bytes | None) -> BinaryIO:
        """Read stored bytes; the wrong key fails like a real blob does."""
        if key != self.keys[sha256]:
            raise CryptoError("evidence file fails authentication (another key)")
        return io.BytesIO(self.blobs[sha256])

    def exists(self, sha256: str) -> bool:
        """Whether bytes with this digest are stored."""
        return sha256 in self.blobs
