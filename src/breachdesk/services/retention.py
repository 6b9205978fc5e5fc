"""Retention schedules and legal holds: what is kept how long, and what is due for purging."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import CaseStatus
from breachdesk.services.ports import UnitOfWork

_DURATION = re.compile(r"(\d+)([dwmy])")
_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


class PurgeScope(StrEnum):
    """What a purge deletes."""

    PEOPLE = "people"
    EVIDENCE = "evidence"
    ALL = "all"


def parse_duration(text: str, *, option: str) -> int:
    """Days in a duration such as ``90d``, ``6w``, ``18m`` or ``2y``."""
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise InvalidInputError(f"{option}: not a duration like 90d, 6w, 18m or 2y")
    return int(match.group(1)) * _DAYS[match.group(2)]


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long an incident's people and evidence are kept, and whether a legal hold applies."""

    incident_id: int
    keep_people_days: int
    keep_evidence_days: int
    legal_hold: bool
    hold_reason: str | None
    set_by: str
    set_at: datetime
    people_purged_at: datetime | None = None
    evidence_purged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RetentionDefaults:
    """Retention when an incident has no schedule of its own (from settings)."""

    keep_people_days: int = 730
    keep_evidence_days: int = 2555


@dataclass(frozen=True, slots=True)
class DueItem:
    """One part of an incident and when retention lets (or makes) it go."""

    incident_id: int
    what: PurgeScope
    due_at: datetime | None  # None: the incident is not closed, retention has not started
    due: bool
    held: bool
    hold_reason: str | None
    purged_at: datetime | None

    def as_dict(self) -> dict[str, object]:
        """JSON form."""
        return {
            "incident": self.incident_id,
            "what": self.what.value,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "due": self.due,
            "legal_hold": self.held,
            "hold_reason": self.hold_reason,
            "purged_at": self.purged_at.isoformat() if self.purged_at else None,
        }


class ProtectRepository(Protocol):
    """Retention rows, crypto-shredding and data-key rotation (SQL in the adapters)."""

    def policy(self, incident_id: int) -> RetentionPolicy | None: ...
    def policies(self) -> list[RetentionPolicy]: ...
    def save_policy(self, policy: RetentionPolicy) -> None: ...
    def destroy_keys(self, incident_id: int) -> int: ...
    def destroy_old_versions(self, incident_id: int, keep_version: int) -> int: ...
    def rewrap_all(self) -> int: ...
    def drop_old_keks(self) -> None: ...
    def purge_rows(self, incident_id: int, scope: PurgeScope) -> dict[str, int]: ...
    def blob_hashes(self, incident_id: int) -> set[str]: ...
    def blob_in_use(self, sha256: str) -> bool: ...
    def rotate_incident(self, incident_id: int, at: datetime) -> tuple[object, int]: ...
    def key_versions(self, incident_id: int) -> list[tuple[int, bool]]: ...
    def tokens(self, incident_id: int) -> list[str]: ...


class ProtectUnitOfWork(UnitOfWork, Protocol):
    """A unit of work that also reaches the protection repository."""

    @property
    def protect(self) -> ProtectRepository: ...


ProtectUowFactory = Callable[[], ProtectUnitOfWork]


class RetentionService:
    """Set schedules and holds (audited), and list what is due."""

    def __init__(self, uow: ProtectUowFactory, clock: Clock, defaults: RetentionDefaults) -> None:
        self._uow = uow
        self._clock = clock
        self.defaults = defaults

    def set(
        self,
        incident_id: IncidentId,
        *,
        actor: str,
        keep_people_days: int | None = None,
        keep_evidence_days: int | None = None,
        legal_hold: bool | None = None,
        reason: str | None = None,
    ) -> RetentionPolicy:
        """Change an incident's schedule or hold; a hold needs a reason."""
        if legal_hold and not (reason or "").strip():
            raise InvalidInputError("--legal-hold on needs --reason")
        for days, option in (
            (keep_people_days, "--keep-people"),
            (keep_evidence_days, "--keep-evidence"),
        ):
            if days is not None and days < 1:
                raise InvalidInputError(f"{option}: must be at least one day")
        now = self._clock.now()
        with self._uow() as uow:
            uow.incidents.get(incident_id)  # raises NotFoundError
            old = uow.protect.policy(incident_id) or RetentionPolicy(
                incident_id,
                self.defaults.keep_people_days,
                self.defaults.keep_evidence_days,
                False,
                None,
                actor,
                now,
            )
            hold = old.legal_hold if legal_hold is None else legal_hold
            policy = replace(
                old,
                keep_people_days=keep_people_days or old.keep_people_days,
                keep_evidence_days=keep_evidence_days or old.keep_evidence_days,
                legal_hold=hold,
                hold_reason=(reason if legal_hold is not None else old.hold_reason)
                if hold
                else None,
                set_by=actor,
                set_at=now,
            )
            uow.protect.save_policy(policy)
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.RETENTION_SET,
                    subject=f"retention:{incident_id}",
                    incident_id=incident_id,
                    details={
                        "keep_people_days": policy.keep_people_days,
                        "keep_evidence_days": policy.keep_evidence_days,
                        "legal_hold": policy.legal_hold,
                        "reason": policy.hold_reason,
                    },
                )
            )
            uow.commit()
        return policy

    def due(self) -> list[DueItem]:
        """For every incident: when its people and evidence are due, and what a hold keeps."""
        now = self._clock.now()
        items: list[DueItem] = []
        with self._uow() as uow:
            policies = {p.incident_id: p for p in uow.protect.policies()}
            for incident in uow.incidents.list():
                policy = policies.get(incident.id)
                start = incident.updated_at if incident.status is CaseStatus.CLOSED else None
                for what in (PurgeScope.PEOPLE, PurgeScope.EVIDENCE):
                    items.append(self._item(incident.id, what, start, policy, now))
        return items

    def _item(
        self,
        incident_id: int,
        what: PurgeScope,
        start: datetime | None,
        policy: RetentionPolicy | None,
        now: datetime,
    ) -> DueItem:
        people = what is PurgeScope.PEOPLE
        if policy is None:
            days = self.defaults.keep_people_days if people else self.defaults.keep_evidence_days
        else:
            days = policy.keep_people_days if people else policy.keep_evidence_days
        due_at = start + timedelta(days=days) if start is not None else None
        purged = None
        if policy is not None:
            purged = policy.people_purged_at if people else policy.evidence_purged_at
        held = bool(policy and policy.legal_hold)
        return DueItem(
            incident_id,
            what,
            due_at,
            due_at is not None and due_at <= now and purged is None,
            held,
            policy.hold_reason if policy and held else None,
            purged,
        )
