"""The tamper-evident audit chain: entry values, hash math and a pure chain verifier."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from breachdesk.core.canonical import canonical_json
from breachdesk.core.clock import iso

GENESIS_HASH = "0" * 64


class AuditAction(StrEnum):
    """Every kind of state change breachdesk records."""

    WORKSPACE_INITIALISED = "workspace.initialised"
    INCIDENT_OPENED = "incident.opened"
    INCIDENT_STATUS_CHANGED = "incident.status_changed"
    INCIDENT_REOPENED = "incident.reopened"
    TASK_COMPLETED = "task.completed"
    TASK_REOPENED = "task.reopened"
    TASK_ASSIGNED = "task.assigned"
    DECISION_RECORDED = "decision.recorded"
    EVIDENCE_ADDED = "evidence.added"
    EVIDENCE_EXPORTED = "evidence.exported"
    EVIDENCE_VERIFIED = "evidence.verified"
    EVIDENCE_VERIFY_FAILED = "evidence.verify_failed"
    AUDIT_EXPORTED = "audit.exported"
    SCAN_RECORDED = "scan.recorded"
    PEOPLE_LINKED = "people.linked"
    LOGS_ANALYZED = "logs.analyzed"
    RECORD_MAP_ADDED = "logs.record_map_added"
    OCCURRENCE_SET = "incident.occurrence_set"
    PERSON_VIEWED = "person.viewed"
    PEOPLE_LISTED = "people.listed"
    MANIFEST_EXPORTED = "manifest.exported"
    PERSON_LOOKED_UP = "person.looked_up"
    FACTS_CHANGED = "facts.changed"
    OBLIGATIONS_EVALUATED = "obligations.evaluated"
    OBLIGATION_MET = "obligation.met"
    AUTHORITY_CONTACTED = "authority.contacted"
    NOTICES_PREVIEWED = "notices.previewed"
    NOTICES_QUEUED = "notices.queued"
    BOUNCES_PROCESSED = "notices.bounces_processed"
    NOTICES_PLANNED = "notices.planned"
    NOTICES_APPROVED = "notices.approved"
    NOTICES_TESTED = "notices.tested"
    NOTICES_LEDGER_EXPORTED = "notices.ledger_exported"
    NOTICES_FALLBACKS_RENDERED = "notices.fallbacks_rendered"
    FINDINGS_IMPORTED = "findings.imported"
    FINDING_STATUS_CHANGED = "finding.status_changed"
    FINDING_ROOT_CAUSE = "finding.root_cause"
    PENTEST_AUTHORISED = "pentest.authorised"
    PENTEST_SCHEDULED = "pentest.scheduled"
    FOLLOWUP_PREPARED = "followup.prepared"
    LOGS_INGESTED = "logs.ingested"
    TIMELINE_EXPORTED = "timeline.exported"
    PASSWORDS_ASSESSED = "passwords.assessed"
    RESET_PROVIDER_CONFIGURED = "reset.provider_configured"
    RESETS_PLANNED = "resets.planned"
    RESETS_PREVIEWED = "resets.previewed"
    RESET_INTENDED = "reset.intended"
    RESET_ATTEMPTED = "reset.attempted"
    RESET_COMPLETED = "reset.completed"
    RESET_REMINDED = "reset.reminded"
    RESET_LINKS_ISSUED = "reset.links_issued"
    RESET_LINK_CLICKED = "reset.link_clicked"
    CREDIT_CODES_IMPORTED = "credit_codes.imported"
    CREDIT_CODES_ALLOCATED = "credit_codes.allocated"
    TEST_APPENDED = "test.appended"
    USER_ADDED = "user.added"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_TOKEN_ISSUED = "user.token_issued"  # noqa: S105 (an audit action name, not a secret)
    USER_LOGGED_IN = "user.logged_in"
    USER_LOGIN_FAILED = "user.login_failed"
    USER_LOCKED_OUT = "user.locked_out"
    PRIVILEGED_NOTE_ADDED = "privileged_note.added"
    PORTAL_REQUESTED = "portal.requested"
    PORTAL_VIEWED = "portal.viewed"
    RETENTION_SET = "retention.set"
    INCIDENT_PURGED = "incident.purged"
    KEYS_ROTATED = "keys.rotated"
    BUNDLE_EXPORTED = "bundle.exported"
    REPORT_WRITTEN = "report.written"
    EXPORT_WRITTEN = "export.written"
    PLAYBOOK_STEP = "playbook.step"


@dataclass(frozen=True, slots=True)
class AuditDraft:
    """What a service asks the audit log to record; the log assigns seq and hashes."""

    at: datetime
    actor: str
    action: AuditAction
    subject: str
    incident_id: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    state_hash: str | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One link of the chain as stored."""

    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    incident_id: int | None
    details: Mapping[str, Any]
    state_hash: str | None
    prev_hash: str
    hash: str

    def payload(self) -> dict[str, Any]:
        """Every field the hash covers."""
        return entry_payload(
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.subject,
            self.incident_id,
            self.details,
            self.state_hash,
        )


def entry_payload(
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str,
    incident_id: int | None,
    details: Mapping[str, Any],
    state_hash: str | None,
) -> dict[str, Any]:
    """The canonical mapping hashed for one entry."""
    return {
        "seq": seq,
        "at": iso(at),
        "actor": actor,
        "action": action,
        "subject": subject,
        "incident_id": incident_id,
        "details": dict(details),
        "state_hash": state_hash,
    }


def chain_hash(prev_hash: str, payload: Mapping[str, Any]) -> str:
    """Hash of an entry: SHA-256 over the previous hash and the canonical payload."""
    data = prev_hash.encode("ascii") + b"\n" + canonical_json(payload).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def seal(draft: AuditDraft, *, seq: int, prev_hash: str) -> AuditEntry:
    """Turn a draft into the next chain entry after ``prev_hash``."""
    payload = entry_payload(
        seq,
        draft.at,
        draft.actor,
        draft.action.value,
        draft.subject,
        draft.incident_id,
        draft.details,
        draft.state_hash,
    )
    return AuditEntry(
        seq=seq,
        at=draft.at,
        actor=draft.actor,
        action=draft.action.value,
        subject=draft.subject,
        incident_id=draft.incident_id,
        details=dict(draft.details),
        state_hash=draft.state_hash,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, payload),
    )


@dataclass(frozen=True, slots=True)
class ChainProblem:
    """One place where the stored chain or a recorded state no longer holds."""

    seq: int
    reason: str

    def describe(self) -> str:
        """One line naming the entry."""
        return f"audit entry seq {self.seq}: {self.reason}"


def verify_chain(
    entries: Iterable[AuditEntry], *, head: tuple[int, str] | None = None
) -> tuple[int, list[ChainProblem]]:
    """Walk entries in seq order; return how many were checked and every problem found.

    ``head`` is the separately stored (seq, hash) of the newest entry; it catches a deleted tail.
    """
    problems: list[ChainProblem] = []
    prev_seq, prev_hash, count = 0, GENESIS_HASH, 0
    for entry in entries:
        count += 1
        if entry.seq != prev_seq + 1:
            problems.append(
                ChainProblem(
                    entry.seq,
                    f"expected seq {prev_seq + 1} next: entries were deleted or reordered",
                )
            )
        if entry.prev_hash != prev_hash:
            problems.append(
                ChainProblem(entry.seq, f"prev_hash does not match entry seq {prev_seq}")
            )
        if chain_hash(entry.prev_hash, entry.payload()) != entry.hash:
            problems.append(
                ChainProblem(entry.seq, "content does not match its hash (a field was edited)")
            )
        prev_seq, prev_hash = entry.seq, entry.hash
    if head is not None and head != (prev_seq, prev_hash):
        problems.append(
            ChainProblem(
                head[0],
                f"chain head records seq {head[0]} but the chain "
                f"ends at seq {prev_seq} (entries deleted or "
                "altered at the end)",
            )
        )
    return count, problems
