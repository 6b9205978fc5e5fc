"""Reset campaigns: plan the accounts, run a provider over them (dry run or for real), resumably.

Idempotence: before each provider call an *intent* (attempt row, account ``in_progress``) is
committed; the answer is committed right after. A re-run skips settled accounts and, for an
account left ``in_progress`` by a crash, first reads the store back: a forced reset already in
place is recorded as done without calling the provider again, so no account is reset twice. When
the provider cannot tell (no state query), the account becomes ``uncertain`` and is reported,
never re-called. Session and key revocation are idempotent and simply re-run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import digest
from breachdesk.core.clock import Clock
from breachdesk.core.element import DataElement
from breachdesk.core.errors import ConfigError, InvalidInputError, NotFoundError
from breachdesk.core.ids import IncidentId
from breachdesk.credentials.hashscheme import CrackTier
from breachdesk.credentials.plan import PersonCredentials, PlannedAccount, plan_accounts
from breachdesk.credentials.provider import (
    CredentialProvider,
)
from breachdesk.services.people import tick_task
from breachdesk.services.ports import UnitOfWork, UnitOfWorkFactory
from breachdesk.services.reset_ports import (
    SETTLED,
    ResetAccount,
    StoredProvider,
)
from breachdesk.services.reset_run import CampaignRun, RunReport

# kind, stored JSON config -> provider (bootstrap binds the registry and the environment)
ProviderOpener = Callable[[str, str], CredentialProvider]
ProviderValidator = Callable[[str, Mapping[str, Any]], None]
LOGIN_FIELDS = ("email", "customer_id", "phone", "name")


def login_field(stored: StoredProvider) -> str:
    """Which person field the provider knows accounts by (``login`` in its configuration)."""
    return str(json.loads(stored.config).get("login", "email"))


def reset_subject(incident_id: int) -> str:
    """Audit subject of an incident's reset campaign (its accounts with their attempt logs)."""
    return f"resets:{incident_id}"


def reset_state(uow: UnitOfWork, incident_id: IncidentId) -> str:
    """Digest of every account of the campaign and how many attempts each logged."""
    counts = uow.resets.attempt_counts(incident_id)
    return digest(
        [
            {"account": a.state_dict(), "log": counts.get(a.id, 0)}
            for a in uow.resets.accounts(incident_id)
        ]
    )


def record_account(uow: UnitOfWork, account: ResetAccount, *, clock: Clock) -> None:
    """Write an account back in the caller's transaction (audited by ``audit_campaign``)."""
    uow.resets.update_account(account, at=clock.now())


def audit_campaign(
    uow: UnitOfWork,
    incident_id: IncidentId,
    action: AuditAction,
    *,
    actor: str,
    clock: Clock,
    details: Mapping[str, Any],
) -> None:
    """One audit entry for everything the caller's transaction changed in the campaign."""
    uow.audit.append(
        AuditDraft(
            at=clock.now(),
            actor=actor,
            action=action,
            subject=reset_subject(incident_id),
            incident_id=incident_id,
            details=dict(details),
            state_hash=reset_state(uow, incident_id),
        )
    )


@dataclass(frozen=True, slots=True)
class PlanReport:
    """The campaign's accounts and the side lists driven by other exposed elements."""

    accounts: list[ResetAccount]
    added: int
    cards: list[int]  # people whose payment cards were exposed (by id; no card data is stored)
    ssn: list[int]  # people owed credit monitoring
    codes_allocated: int
    codes_free: int


def _worst_tiers(uow: UnitOfWork, incident_id: IncidentId) -> dict[int, CrackTier]:
    people = uow.resets.record_people(incident_id)
    worst: dict[int, CrackTier] = {}
    for row in uow.resets.passwords(incident_id):
        person = people.get(row.record_id) if row.record_id is not None else None
        if person is not None:
            worst[person] = min(worst.get(person, CrackTier.UNKNOWN), CrackTier(row.tier))
    return worst


class ResetService:
    """Plan and run credential-reset campaigns through configured providers."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        opener: ProviderOpener,
        validator: ProviderValidator,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._open = opener
        self._validate = validator

    # --- providers -------------------------------------------------------------------------

    def configure(self, name: str, kind: str, config: Mapping[str, Any], *, actor: str) -> None:
        """Store a provider configuration (validated; secrets only by variable name)."""
        if not name or len(name) > 64:
            raise InvalidInputError("provider name must be 1-64 characters")
        self._validate(kind, config)
        text = json.dumps(dict(config), sort_keys=True)
        with self._uow() as uow:
            now = self._clock.now()
            uow.resets.add_provider(StoredProvider(name, kind, text, actor, now))
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.RESET_PROVIDER_CONFIGURED,
                    subject=f"reset-provider:{name}",
                    details={
                        "kind": kind,
                        "keys": sorted(config),
                        "config": hashlib.sha256(text.encode()).hexdigest(),
                    },
                )
            )
            uow.commit()

    def providers(self) -> list[StoredProvider]:
        """Configured providers."""
        with self._uow() as uow:
            return uow.resets.providers()

    def open_provider(self, name: str) -> tuple[StoredProvider, CredentialProvider]:
        with self._uow() as uow:
            stored = uow.resets.provider(name)
        if stored is None:
            raise NotFoundError(f"no credential provider named {name!r}: see `reset provider add`")
        return stored, self._open(stored.kind, stored.config)

    # --- plan ------------------------------------------------------------------------------

    def plan(self, incident_id: IncidentId, *, actor: str) -> PlanReport:
        """Create (or refresh) the campaign's accounts from the exposure manifest; audited."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            people = uow.people.for_incident(incident_id)
            tiers = _worst_tiers(uow, incident_id)
            planned = plan_accounts(
                PersonCredentials(
                    p.id, frozenset(e for e in p.row.elements.split(",") if e), tiers.get(p.id)
                )
                for p in people
            )
            existing = {a.person_id: a for a in uow.resets.accounts(incident_id)}
            changes = [self._store_planned(uow, incident_id, p, existing) for p in planned]
            added, updated = changes.count("added"), changes.count("updated")
            if added or updated:
                audit_campaign(
                    uow,
                    incident_id,
                    AuditAction.RESETS_PLANNED,
                    actor=actor,
                    clock=self._clock,
                    details={"added": added, "updated": updated, "accounts": len(planned)},
                )
            cards = [
                p.id for p in people if DataElement.PAYMENT_CARD.value in p.row.elements.split(",")
            ]
            ssn = [p.id for p in people if DataElement.SSN.value in p.row.elements.split(",")]
            given = uow.resets.allocate_codes(incident_id, ssn, at=self._clock.now())
            if planned:
                tick_task(uow, incident_id, "credentials.plan", actor=actor, clock=self._clock)
            uow.commit()
            return PlanReport(
                uow.resets.accounts(incident_id),
                added,
                cards,
                ssn,
                given,
                uow.resets.free_codes(incident_id),
            )

    def _store_planned(
        self,
        uow: UnitOfWork,
        incident_id: IncidentId,
        planned: PlannedAccount,
        existing: dict[int, ResetAccount],
    ) -> str:
        fields = {
            "actions": tuple(a.value for a in planned.actions),
            "reasons": planned.reasons,
            "urgency": planned.urgency.label,
            "rationale": planned.rationale,
        }
        old = existing.get(planned.person_id)
        if old is not None:
            new = replace(old, **fields)  # type: ignore[arg-type]
            if new == old:
                return "same"
            record_account(uow, new, clock=self._clock)
            return "updated"
        uow.resets.add_account(
            ResetAccount(0, incident_id, planned.person_id, **fields),  # type: ignore[arg-type]
            at=self._clock.now(),
        )
        return "added"

    # --- run -------------------------------------------------------------------------------

    def logins(
        self, incident_id: IncidentId, accounts: Sequence[ResetAccount], login_field: str
    ) -> dict[int, str | None]:
        if login_field not in LOGIN_FIELDS:
            raise ConfigError(f"provider login must be one of {', '.join(LOGIN_FIELDS)}")
        attr = "customer_ref" if login_field == "customer_id" else login_field
        with self._uow() as uow:
            return {
                a.id: getattr(uow.people.get(incident_id, a.person_id).row, attr) for a in accounts
            }

    def run(
        self,
        incident_id: IncidentId,
        provider_name: str,
        *,
        actor: str,
        execute: bool = False,
        rate: float | None = None,
        batch: int = 50,
        on_account: Callable[[ResetAccount, str], None] | None = None,
    ) -> RunReport:
        """Dry run (default) or execute the campaign through one provider."""
        stored, provider = self.open_provider(provider_name)
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            accounts = uow.resets.accounts(incident_id)
        if not accounts:
            raise InvalidInputError(
                f"incident {incident_id}: no accounts to reset; run `breachdesk reset plan` first"
            )
        logins = self.logins(incident_id, accounts, login_field(stored))
        runner = CampaignRun(self._uow, self._clock, provider, stored.name, actor, on_account)
        try:
            report = runner.run(accounts, logins, execute=execute, rate=rate, batch=batch)
        finally:
            provider.close()
        if execute:
            with self._uow() as uow:
                current = uow.resets.accounts(incident_id)
                if current and all(a.state in SETTLED for a in current):
                    tick_task(uow, incident_id, "credentials.reset", actor=actor, clock=self._clock)
                    uow.commit()
        return report
