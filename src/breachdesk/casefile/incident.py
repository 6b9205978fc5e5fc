"""The incident value and its explicit state machine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from breachdesk.core.clock import iso
from breachdesk.core.errors import IllegalTransitionError, InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import CaseStatus

_S = CaseStatus
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    _S.OPEN: frozenset({_S.INVESTIGATING, _S.CONTAINED, _S.CLOSED}),
    _S.INVESTIGATING: frozenset({_S.CONTAINED, _S.NOTIFYING, _S.REMEDIATING, _S.CLOSED}),
    _S.CONTAINED: frozenset({_S.INVESTIGATING, _S.NOTIFYING, _S.REMEDIATING, _S.CLOSED}),
    _S.NOTIFYING: frozenset({_S.INVESTIGATING, _S.REMEDIATING, _S.CLOSED}),
    _S.REMEDIATING: frozenset({_S.INVESTIGATING, _S.NOTIFYING, _S.CLOSED}),
    _S.CLOSED: frozenset({_S.INVESTIGATING}),
}


def transition(current: CaseStatus, target: CaseStatus) -> CaseStatus:
    """Return ``target`` if the move is allowed, else raise with the allowed moves."""
    allowed = TRANSITIONS[current]
    if target not in allowed:
        options = ", ".join(sorted(s.value for s in allowed))
        raise IllegalTransitionError(
            f"cannot move an incident from {current.value} to {target.value}; "
            f"from {current.value} it can go to: {options}"
        )
    return target


def is_reopen(current: CaseStatus, target: CaseStatus) -> bool:
    """A move out of ``closed`` is a reopening, audited as such."""
    return current is CaseStatus.CLOSED and target is not CaseStatus.CLOSED


@dataclass(frozen=True, slots=True)
class IncidentDraft:
    """Facts given when an incident is opened."""

    title: str
    discovered_at: datetime
    controller: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    summary: str | None = None

    def validated(self) -> IncidentDraft:
        """Return self, or raise naming the field that is unusable."""
        if not self.title.strip():
            raise InvalidInputError("title: must not be empty")
        if self.occurred_from and self.occurred_to and self.occurred_from > self.occurred_to:
            raise InvalidInputError("--occurred-from is after --occurred-to")
        if self.occurred_from and self.occurred_from > self.discovered_at:
            raise InvalidInputError("--occurred-from is after --discovered")
        return self


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as stored."""

    id: IncidentId
    title: str
    controller: str | None
    status: CaseStatus
    discovered_at: datetime
    occurred_from: datetime | None
    occurred_to: datetime | None
    summary: str | None
    created_at: datetime
    updated_at: datetime

    def state(self) -> dict[str, Any]:
        """Canonical state recorded in the audit chain."""
        return {
            "id": self.id,
            "title": self.title,
            "controller": self.controller,
            "status": self.status.value,
            "discovered_at": iso(self.discovered_at),
            "occurred_from": iso(self.occurred_from) if self.occurred_from else None,
            "occurred_to": iso(self.occurred_to) if self.occurred_to else None,
            "summary": self.summary,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }
