"""Purging an incident's personal data by crypto-shredding, and rotating its data keys."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import IllegalTransitionError
from breachdesk.core.ids import IncidentId
from breachdesk.services.retention import (
    DueItem,
    ProtectUnitOfWork,
    ProtectUowFactory,
    PurgeScope,
    RetentionDefaults,
    RetentionPolicy,
    RetentionService,
)
from breachdesk.services.state import TOMBSTONE, current_states, incident_state, incident_subject


class BlobRemover(Protocol):
    """Deletes stored evidence files."""

    def remove(self, sha256: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What a purge destroyed (counts only)."""

    incident_id: int
    what: PurgeScope
    keys_destroyed: int
    rows: dict[str, int]
    files: int
    subjects: int

    def as_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "incident": self.incident_id,
            "what": self.what.value,
            "keys_destroyed": self.keys_destroyed,
            "rows": self.rows,
            "files": self.files,
            "audit_subjects": self.subjects,
        }


@dataclass(frozen=True, slots=True)
class RotationResult:
    """What a key rotation changed."""

    incident_id: int | None
    keys: int
    resealed: int

    def as_dict(self) -> dict[str, object]:
        """JSON form."""
        return {"incident": self.incident_id, "keys": self.keys, "resealed_values": self.resealed}


class PurgeService:
    """Destroy an incident's data keys, then its rows and files; audit the counts."""

    def __init__(self, uow: ProtectUowFactory, blobs: BlobRemover, clock: Clock) -> None:
        self._uow = uow
        self._blobs = blobs
        self._clock = clock

    def purge(self, incident_id: IncidentId, what: PurgeScope, *, actor: str) -> PurgeResult:
        """Crypto-shred then delete; refused under a legal hold."""
        now = self._clock.now()
        with self._uow() as uow:
            uow.incidents.get(incident_id)  # raises NotFoundError
            policy = uow.protect.policy(incident_id)
            if policy is not None and policy.legal_hold:
                raise IllegalTransitionError(
                    f"incident {incident_id} is under legal hold ({policy.hold_reason});"
                    " lift it with `breachdesk retention set ID --legal-hold off` first"
                )
            hashes = uow.protect.blob_hashes(incident_id)
            before = current_states(uow)
            rows = uow.protect.purge_rows(incident_id, what)
            if what is PurgeScope.ALL:
                keys = uow.protect.destroy_keys(incident_id)
            else:
                keys = _shred_by_rotation(uow, incident_id, now)
            uow.protect.rewrap_all()  # copies of the database keep only keys no KEK opens
            subjects = _record_purge(uow, incident_id, what, actor, now, rows, keys, before)
            _mark_purged(uow, incident_id, what, actor, now, policy)
            uow.commit()
        uow.protect.drop_old_keks()
        files = sum(
            1 for sha in sorted(hashes) if not self._in_use(sha) and self._blobs.remove(sha)
        )
        return PurgeResult(incident_id, what, keys, rows, files, subjects)

    def _in_use(self, sha256: str) -> bool:
        with self._uow() as uow:
            return uow.protect.blob_in_use(sha256)

    def rotate(self, incident_id: IncidentId | None, *, actor: str) -> RotationResult:
        """A new data key for one incident (re-sealing its values), or a new KEK for all keys."""
        now = self._clock.now()
        with self._uow() as uow:
            if incident_id is None:
                keys, resealed = uow.protect.rewrap_all(), 0
            else:
                _, resealed = uow.protect.rotate_incident(incident_id, now)
                keys = len(uow.protect.key_versions(incident_id))
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.KEYS_ROTATED,
                    subject=f"keys:{incident_id}" if incident_id else "keys",
                    incident_id=incident_id,
                    details={"keys": keys, "resealed_values": resealed},
                )
            )
            uow.commit()
        if incident_id is None:
            uow.protect.drop_old_keks()
        return RotationResult(incident_id, keys, resealed)

    def enforce(self, retention: RetentionService, *, actor: str) -> list[PurgeResult]:
        """Purge what retention makes due and no legal hold keeps (for cron)."""
        done: list[PurgeResult] = []
        for item in retention.due():
            if item.due and not item.held:
                done.append(self.purge(IncidentId(item.incident_id), item.what, actor=actor))
        return done


def _shred_by_rotation(uow: ProtectUnitOfWork, incident_id: int, now: datetime) -> int:
    """A partial purge: re-seal the values that stay under a new key, destroy the old keys."""
    if not uow.protect.key_versions(incident_id):
        return 0
    uow.protect.rotate_incident(incident_id, now)
    kept = uow.protect.key_versions(incident_id)[-1][0]
    return uow.protect.destroy_old_versions(incident_id, kept)


def _record_purge(
    uow: ProtectUnitOfWork,
    incident_id: int,
    what: PurgeScope,
    actor: str,
    now: datetime,
    rows: dict[str, int],
    keys: int,
    before: dict[str, str],
) -> int:
    """One entry for the purge, then one per aggregate it removed (tombstone) or changed."""
    uow.audit.append(
        AuditDraft(
            at=now,
            actor=actor,
            action=AuditAction.INCIDENT_PURGED,
            subject=incident_subject(incident_id),
            incident_id=incident_id,
            details={"what": what.value, "keys_destroyed": keys, "rows": rows},
            state_hash=incident_state(uow, IncidentId(incident_id)),
        )
    )
    after = current_states(uow)
    changed = 0
    for subject, state in sorted(before.items()):
        now_state = after.get(subject, TOMBSTONE)
        if now_state != state:
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.INCIDENT_PURGED,
                    subject=subject,
                    incident_id=incident_id,
                    details={"what": what.value},
                    state_hash=now_state,
                )
            )
            changed += 1
    return changed


def _mark_purged(
    uow: ProtectUnitOfWork,
    incident_id: int,
    what: PurgeScope,
    actor: str,
    now: datetime,
    policy: RetentionPolicy | None,
) -> None:
    base = policy or RetentionPolicy(
        incident_id,
        RetentionDefaults().keep_people_days,
        RetentionDefaults().keep_evidence_days,
        False,
        None,
        actor,
        now,
    )
    people = now if what in (PurgeScope.PEOPLE, PurgeScope.ALL) else base.people_purged_at
    evidence = now if what in (PurgeScope.EVIDENCE, PurgeScope.ALL) else base.evidence_purged_at
    uow.protect.save_policy(replace(base, people_purged_at=people, evidence_purged_at=evidence))


__all__ = ["DueItem", "PurgeResult", "PurgeService", "RotationResult"]
