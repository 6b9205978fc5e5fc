"""Stored values and the repository port of credential resets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from breachdesk.core.clock import iso
from breachdesk.core.ids import IncidentId


class ResetState(StrEnum):
    """Where one account of a reset campaign stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"  # intent recorded, provider answer not yet recorded
    FLAGGED = "flagged"  # the store now requires a reset (sessions revoked, keys revoked)
    COMPLETED = "completed"  # the person changed the password
    FAILED = "failed"  # the provider refused or failed; retried by the next run
    MISSING = "missing"  # the account is not in the identity store
    UNCERTAIN = "uncertain"  # interrupted and the provider cannot say what happened


SETTLED = frozenset({ResetState.FLAGGED, ResetState.COMPLETED, ResetState.MISSING})


def _t(value: datetime | None) -> str | None:
    return iso(value) if value else None


@dataclass(frozen=True, slots=True)
class ResetAccount:
    """One account of an incident's reset campaign as stored (no PII: the person by id)."""

    id: int
    incident_id: IncidentId
    person_id: int
    actions: tuple[str, ...]
    reasons: tuple[str, ...]
    urgency: str
    rationale: str
    provider: str | None = None
    state: ResetState = ResetState.PLANNED
    attempts: int = 0
    done_actions: tuple[str, ...] = ()
    flagged_at: datetime | None = None
    completed_at: datetime | None = None
    link_nonce: str | None = field(default=None, repr=False)
    link_expires_at: datetime | None = None
    link_sent_at: datetime | None = None
    clicked_at: datetime | None = None
    reminded_at: datetime | None = None
    reminders: int = 0
    error: str | None = None

    def state_dict(self) -> dict[str, Any]:
        """Canonical state recorded in the audit chain."""
        return {
            "id": self.id,
            "person": self.person_id,
            "actions": list(self.actions),
            "reasons": list(self.reasons),
            "urgency": self.urgency,
            "provider": self.provider,
            "state": self.state.value,
            "attempts": self.attempts,
            "done": list(self.done_actions),
            "flagged_at": _t(self.flagged_at),
            "completed_at": _t(self.completed_at),
            "link_expires_at": _t(self.link_expires_at),
            "link_sent_at": _t(self.link_sent_at),
            "clicked_at": _t(self.clicked_at),
            "reminded_at": _t(self.reminded_at),
            "reminders": self.reminders,
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class ResetAttempt:
    """One logged call to a provider: the intent before it, the result after it."""

    account_id: int
    provider: str
    action: str
    phase: str  # "intent" | "result"
    outcome: str | None
    response: str
    actor: str
    at: datetime


@dataclass(frozen=True, slots=True)
class StoredProvider:
    """A configured provider: kind and configuration (secrets named by variable only)."""

    name: str
    kind: str
    config: str  # canonical JSON
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class PasswordRow:
    """One assessed leaked password value: where it was, its scheme and tier (never the value)."""

    source_id: int
    record_id: int | None
    location: str
    scheme: str
    tier: int
    rationale: str
    pwned: int | None = None


class ResetRepository(Protocol):
    """Reset campaigns, attempts, provider configuration, assessments and enrolment codes."""

    def add_provider(self, provider: StoredProvider) -> None: ...
    def provider(self, name: str) -> StoredProvider | None: ...
    def providers(self) -> list[StoredProvider]: ...
    def add_account(self, account: ResetAccount, *, at: datetime) -> ResetAccount: ...
    def update_account(self, account: ResetAccount, *, at: datetime) -> None: ...
    def accounts(self, incident_id: IncidentId) -> list[ResetAccount]: ...
    def account(self, account_id: int) -> ResetAccount: ...
    def add_attempt(self, attempt: ResetAttempt) -> None: ...
    def attempts(self, account_id: int) -> list[ResetAttempt]: ...
    def attempt_count(self, account_id: int) -> int: ...
    def attempt_counts(self, incident_id: IncidentId) -> dict[int, int]: ...
    def replace_passwords(self, incident_id: IncidentId, rows: Sequence[PasswordRow]) -> int: ...
    def passwords(self, incident_id: IncidentId) -> list[PasswordRow]: ...
    def record_index(self, source_id: int) -> dict[tuple[str | None, int], int]: ...
    def record_people(self, incident_id: IncidentId) -> dict[int, int]: ...
    def set_person_flag(
        self, incident_id: IncidentId, person_ids: Sequence[int], flag: str
    ) -> int: ...
    def add_codes(self, incident_id: IncidentId, codes: Sequence[tuple[str, str]]) -> int: ...
    def allocate_codes(
        self, incident_id: IncidentId, person_ids: Sequence[int], *, at: datetime
    ) -> int: ...
    def codes(self, incident_id: IncidentId) -> list[tuple[int | None, str]]: ...
    def free_codes(self, incident_id: IncidentId) -> int: ...
