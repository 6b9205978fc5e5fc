"""The credential-provider contract: force a reset, revoke sessions and keys, read state back.

Built-in providers live in ``breachdesk.adapters.resets``; third parties register a factory in the
``breachdesk.credential_providers`` entry-point group. A provider never raises for one account's
trouble (missing account, refused change): it returns an ``ActionResult``. It raises
``ProviderError`` only when it cannot work at all (unreachable, wrong credentials, bad config).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class ResetAction(StrEnum):
    """One change a provider can make to an account."""

    FORCE_RESET = "force_reset"
    REVOKE_SESSIONS = "revoke_sessions"
    REVOKE_KEYS = "revoke_keys"
    RESET_SECURITY_QUESTIONS = "reset_security_questions"


class Outcome(StrEnum):
    """What one action did to one account."""

    DONE = "done"
    MISSING = "missing"  # the account no longer exists in the identity store
    FAILED = "failed"
    UNSUPPORTED = "unsupported"  # the provider has no way to make this change


class ProviderError(Exception):
    """The provider cannot work at all (unreachable, wrong credentials, broken configuration)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Account:
    """One account to act on; ``login`` is what the identity store knows it by (PII)."""

    id: int
    person_id: int
    login: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The provider's answer for one action, with its response text (no secrets, no login)."""

    action: ResetAction
    outcome: Outcome
    response: str


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """What a dry run shows: the exact change and how many rows or entries it would touch."""

    action: ResetAction
    change: str
    affected: int | None


@dataclass(frozen=True, slots=True)
class AccountState:
    """What the identity store says now: whether a reset is pending and whether it was done."""

    exists: bool
    flagged: bool | None  # a reset is required now (None: the provider cannot tell)
    completed: bool | None  # the password was changed since ``since`` (None: cannot tell)
    changed_at: datetime | None = None


class CredentialProvider(Protocol):
    """Acts on accounts in one identity store."""

    @property
    def kind(self) -> str: ...
    @property
    def actions(self) -> frozenset[ResetAction]: ...
    def preview(self, account: Account, actions: Sequence[ResetAction]) -> list[PlannedChange]:
        """The changes ``apply`` would make, without making them."""
        ...

    def apply(self, account: Account, action: ResetAction) -> ActionResult:
        """Make one change; an account-level problem is an ``ActionResult``, not an exception."""
        ...

    def state(self, account: Account, *, since: datetime | None) -> AccountState:
        """Read the account's reset state back from the store."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class ProviderFactory(Protocol):
    """Builds a provider from its stored configuration and the process environment."""

    @property
    def kind(self) -> str: ...
    @property
    def secret_keys(self) -> frozenset[str]:
        """Configuration keys naming environment variables that hold secrets."""
        ...

    def __call__(
        self, config: Mapping[str, Any], environ: Mapping[str, str]
    ) -> CredentialProvider: ...


def secret_from(config: Mapping[str, Any], key: str, environ: Mapping[str, str]) -> str | None:
    """The secret held by the environment variable that ``config[key]`` names."""
    name = config.get(key)
    if not name:
        return None
    value = environ.get(str(name))
    if value is None:
        raise ProviderError(f"environment variable {name} (from {key}) is not set")
    return value
