"""Obligations: evaluate the rules against the case file's facts, store them, mark them met."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from breachdesk.core.audit import AuditAction, AuditDraft
from breachdesk.core.canonical import digest
from breachdesk.core.clock import Clock
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.ids import IncidentId
from breachdesk.core.obligation import (
    BreachFacts,
    LawEnforcementDelay,
    Obligation,
    group_people,
)
from breachdesk.rules.evaluate import Evaluation, evaluate
from breachdesk.rules.registry import RuleSet, load_rules
from breachdesk.services.people import tick_task
from breachdesk.services.ports import (
    AuthorityContact,
    IncidentFacts,
    StoredObligation,
    UnitOfWork,
    UnitOfWorkFactory,
)


def obligations_subject(incident_id: int) -> str:
    """Audit subject of an incident's facts and obligations."""
    return f"obligations:{incident_id}"


def obligations_state(uow: UnitOfWork, incident_id: IncidentId) -> str:
    """Digest of an incident's recorded facts and stored obligations."""
    facts = uow.obligations.facts(incident_id)
    return digest(
        {
            "facts": facts.state() if facts else None,
            "obligations": [o.state() for o in uow.obligations.for_incident(incident_id)],
            "contacts": [c.state() for c in uow.obligations.contacts(incident_id)],
        }
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def obligation_json(obligation: Obligation) -> str:
    """Canonical JSON of an evaluated obligation (stored with it)."""
    return json.dumps(_plain(obligation), sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the stored obligations and a new evaluation."""

    key: str
    change: str  # added | no_longer_owed | status | due_at | target_at | people
    before: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """An evaluation, the obligations as now stored, and what changed."""

    evaluation: Evaluation
    stored: list[StoredObligation]
    changes: list[Change]
    ruleset: RuleSet


def _text(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _merge(
    existing: dict[str, StoredObligation], evaluation: Evaluation
) -> tuple[list[StoredObligation], list[Change]]:
    rows, changes = [], []
    seen = set()
    for ob in evaluation.obligations:
        seen.add(ob.key)
        new = StoredObligation(
            0,
            ob.key,
            ob.rule_id,
            ob.jurisdiction,
            ob.recipient,
            ob.status.value,
            True,
            ob.due_at,
            ob.target_at,
            ob.people,
            obligation_json(ob),
        )
        old = existing.get(ob.key)
        if old is None:
            changes.append(Change(ob.key, "added", "", _text(ob.due_at or "no fixed date")))
            rows.append(new)
            continue
        for name in ("status", "due_at", "target_at", "people", "active"):
            if getattr(old, name) != getattr(new, name):
                changes.append(
                    Change(ob.key, name, _text(getattr(old, name)), _text(getattr(new, name)))
                )
        # Met obligations keep who met them, the proof and the lateness frozen at that time.
        rows.append(
            replace(
                new,
                id=old.id,
                met_at=old.met_at,
                met_by=old.met_by,
                met_note=old.met_note,
                proof_evidence_id=old.proof_evidence_id,
                late=old.late,
            )
        )
    for key, old in existing.items():
        if key not in seen and old.active:
            changes.append(Change(key, "no_longer_owed"))
            rows.append(replace(old, active=False))
    return rows, changes


def delays(contacts: Sequence[AuthorityContact]) -> dict[str, LawEnforcementDelay]:
    """Law-enforcement delay requests by jurisdiction (the latest request for each wins)."""
    found: dict[str, LawEnforcementDelay] = {}
    for c in contacts:
        if c.delay_requested and c.jurisdiction:
            found[c.jurisdiction] = LawEnforcementDelay(c.at, c.delay_until, c.reference or "")
    return found


@dataclass(frozen=True, slots=True)
class ContactDraft:
    """A contact with an authority as the user records it."""

    at: datetime
    authority: str
    channel: str
    reference: str | None = None
    outcome: str | None = None
    jurisdiction: str | None = None
    delay_requested: bool = False
    delay_until: datetime | None = None


class ObligationService:
    """Facts, evaluation and completion of an incident's notification obligations."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def _breach_facts(self, uow: UnitOfWork, incident_id: IncidentId) -> BreachFacts:
        incident = uow.incidents.get(incident_id)
        facts = uow.obligations.facts(incident_id) or IncidentFacts()
        return BreachFacts(
            discovered_at=incident.discovered_at,
            people=group_people(uow.obligations.residence_groups(incident_id)),
            determined_at=facts.determined_at,
            assessed_at=facts.assessed_at,
            occurred_from=incident.occurred_from,
            occurred_to=incident.occurred_to,
            encrypted=facts.encrypted,
            key_exposed=facts.key_exposed,
            flags=frozenset(facts.flags),
            no_risk_determinations=frozenset(facts.no_risk),
            law_enforcement_delays=delays(uow.obligations.contacts(incident_id)),
        )

    def _evaluate_in(
        self,
        uow: UnitOfWork,
        incident_id: IncidentId,
        ruleset: RuleSet,
        *,
        actor: str,
        as_of: datetime | None,
        reason: str,
    ) -> Outcome:
        now = self._clock.now()
        evaluation = evaluate(
            ruleset.rules,
            self._breach_facts(uow, incident_id),
            as_of=as_of or now,
            authorities=ruleset.authorities,
        )
        existing = {o.key: o for o in uow.obligations.for_incident(incident_id)}
        rows, changes = _merge(existing, evaluation)
        if changes or not existing:
            uow.obligations.save(incident_id, rows, at=now)
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.OBLIGATIONS_EVALUATED,
                    subject=obligations_subject(incident_id),
                    incident_id=incident_id,
                    details={
                        "reason": reason,
                        "obligations": len(evaluation.obligations),
                        "changes": [dataclasses.asdict(c) for c in changes[:100]],
                        "more_changes": max(0, len(changes) - 100),
                        "rules_as_of": _text(evaluation.rules_as_of),
                        "folders": list(ruleset.folders),
                    },
                    state_hash=obligations_state(uow, incident_id),
                )
            )
            tick_task(uow, incident_id, "investigate.obligations", actor=actor, clock=self._clock)
        stored = uow.obligations.for_incident(incident_id)
        return Outcome(evaluation, stored, changes, ruleset)

    def evaluate(
        self,
        incident_id: IncidentId,
        *,
        actor: str,
        rule_folders: Sequence[Path] = (),
        as_of: datetime | None = None,
    ) -> Outcome:
        """Evaluate against the current facts and manifest; store and audit any difference."""
        ruleset = load_rules(rule_folders)
        with self._uow() as uow:
            outcome = self._evaluate_in(
                uow, incident_id, ruleset, actor=actor, as_of=as_of, reason="evaluated"
            )
            uow.commit()
        return outcome

    def set_facts(
        self,
        incident_id: IncidentId,
        changes: dict[str, Any],
        *,
        actor: str,
        rule_folders: Sequence[Path] = (),
    ) -> Outcome:
        """Record changed facts and re-evaluate in the same transaction (audited, with diff)."""
        ruleset = load_rules(rule_folders)
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            before = uow.obligations.facts(incident_id) or IncidentFacts()
            after = replace(before, **changes)
            now = self._clock.now()
            uow.obligations.set_facts(incident_id, after, at=now)
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.FACTS_CHANGED,
                    subject=obligations_subject(incident_id),
                    incident_id=incident_id,
                    details={"before": before.state(), "after": after.state()},
                    state_hash=obligations_state(uow, incident_id),
                )
            )
            outcome = self._evaluate_in(
                uow, incident_id, ruleset, actor=actor, as_of=None, reason="facts changed"
            )
            uow.commit()
        return outcome

    def now(self) -> datetime:
        """The service clock's current time (default time of a recorded contact)."""
        return self._clock.now()

    def facts(self, incident_id: IncidentId) -> IncidentFacts:
        """The recorded facts (defaults when none were recorded)."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.obligations.facts(incident_id) or IncidentFacts()

    def mark_met(
        self,
        incident_id: IncidentId,
        ref: str,
        *,
        actor: str,
        note: str | None,
        evidence_id: int | None,
    ) -> StoredObligation:
        """Record that an obligation was met, with proof; lateness is frozen now."""
        if not note and evidence_id is None:
            raise InvalidInputError("give --evidence FILE or --note as proof")
        with self._uow() as uow:
            rows = uow.obligations.for_incident(incident_id)
            found = [o for o in rows if o.key == ref or str(o.id) == ref]
            if not found:
                raise InvalidInputError(
                    f"obligation {ref!r}: not among incident "
                    f"{incident_id}'s obligations (see `obligations ID`)"
                )
            ob = found[0]
            if ob.met_at is not None:
                raise InvalidInputError(f"obligation {ob.key}: already met")
            now = self._clock.now()
            limit = ob.due_at or ob.target_at
            met = replace(
                ob,
                met_at=now,
                met_by=actor,
                met_note=note,
                proof_evidence_id=evidence_id,
                late=bool(limit is not None and now > limit),
            )
            uow.obligations.save(incident_id, [met], at=now)
            uow.audit.append(
                AuditDraft(
                    at=now,
                    actor=actor,
                    action=AuditAction.OBLIGATION_MET,
                    subject=obligations_subject(incident_id),
                    incident_id=incident_id,
                    details={"obligation": ob.key, "late": met.late, "evidence": evidence_id},
                    state_hash=obligations_state(uow, incident_id),
                )
            )
            uow.commit()
        return met

    def record_contact(
        self,
        incident_id: IncidentId,
        draft: ContactDraft,
        *,
        actor: str,
        evidence_id: int | None = None,
        rule_folders: Sequence[Path] = (),
    ) -> tuple[AuthorityContact, Outcome]:
        """Record a contact with an authority; a delay request re-evaluates the clocks."""
        if not draft.authority.strip():
            raise InvalidInputError("--authority: must not be empty")
        if draft.delay_requested and not draft.jurisdiction:
            raise InvalidInputError("a delay request needs --jurisdiction (whose clock it holds)")
        ruleset = load_rules(rule_folders)
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            contact = AuthorityContact(
                0,
                draft.at,
                actor,
                draft.authority,
                draft.channel,
                draft.reference,
                draft.outcome,
                draft.jurisdiction,
                draft.delay_requested,
                draft.delay_until,
                evidence_id,
            )
            contact = replace(contact, id=uow.obligations.add_contact(incident_id, contact))
            uow.audit.append(
                AuditDraft(
                    at=self._clock.now(),
                    actor=actor,
                    action=AuditAction.AUTHORITY_CONTACTED,
                    subject=obligations_subject(incident_id),
                    incident_id=incident_id,
                    details={
                        "contact": contact.id,
                        "authority": draft.authority,
                        "channel": draft.channel,
                        "delay": draft.delay_requested,
                    },
                    state_hash=obligations_state(uow, incident_id),
                )
            )
            outcome = self._evaluate_in(
                uow,
                incident_id,
                ruleset,
                actor=actor,
                as_of=None,
                reason="authority contact recorded",
            )
            uow.commit()
        return contact, outcome

    def contacts(self, incident_id: IncidentId) -> list[AuthorityContact]:
        """Every recorded contact with authorities, oldest first."""
        with self._uow() as uow:
            uow.incidents.get(incident_id)
            return uow.obligations.contacts(incident_id)

    def refresh(self, incident_id: IncidentId, *, actor: str) -> Outcome | None:
        """Re-evaluate after the manifest changed, if obligations were evaluated before."""
        with self._uow() as uow:
            evaluated = bool(uow.obligations.for_incident(incident_id))
        return self.evaluate(incident_id, actor=actor) if evaluated else None
