"""Which accounts a reset campaign covers, why, with which actions and how urgently."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from breachdesk.core.element import DataElement
from breachdesk.credentials.hashscheme import CrackTier
from breachdesk.credentials.provider import ResetAction

E = DataElement
A = ResetAction

# Exposed element -> what must change because of it.
ACTIONS: Mapping[DataElement, tuple[ResetAction, ...]] = {
    E.PASSWORD: (A.FORCE_RESET, A.REVOKE_SESSIONS),
    E.PASSWORD_HASH: (A.FORCE_RESET, A.REVOKE_SESSIONS),
    E.API_KEY: (A.REVOKE_KEYS, A.REVOKE_SESSIONS),
    E.AUTH_TOKEN: (A.REVOKE_KEYS, A.REVOKE_SESSIONS),
    E.SECURITY_ANSWER: (A.RESET_SECURITY_QUESTIONS,),
    E.MOTHERS_MAIDEN_NAME: (A.RESET_SECURITY_QUESTIONS,),
}
CREDENTIAL_ELEMENTS = frozenset(ACTIONS)


class Urgency(IntEnum):
    """How soon the account must be reset; higher is sooner."""

    NORMAL = 1
    HIGH = 2
    CRITICAL = 3

    @property
    def label(self) -> str:
        """Lower-case name used in reports."""
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class PersonCredentials:
    """One affected person as the planner sees them: exposed elements and the worst hash tier."""

    person_id: int
    elements: frozenset[str]
    worst_tier: CrackTier | None = None  # from ``passwords assess``; None when not assessed


@dataclass(frozen=True, slots=True)
class PlannedAccount:
    """One account to reset: the person, the actions, why and how urgently."""

    person_id: int
    actions: tuple[ResetAction, ...]
    reasons: tuple[str, ...]  # exposed credential elements
    urgency: Urgency
    rationale: str


def urgency_of(elements: frozenset[str], tier: CrackTier | None) -> tuple[Urgency, str]:
    """Urgency from what was exposed and how cheaply leaked passwords crack."""
    if E.PASSWORD.value in elements:
        return Urgency.CRITICAL, "plaintext password exposed"
    if E.API_KEY.value in elements or E.AUTH_TOKEN.value in elements:
        return Urgency.CRITICAL, "API key or token exposed (usable as is)"
    if E.PASSWORD_HASH.value in elements:
        if tier is None:
            return Urgency.HIGH, "password hash exposed (scheme not assessed)"
        if tier <= CrackTier.MINUTES:
            return Urgency.CRITICAL, f"password hash cracks in {tier.label}"
        if tier <= CrackTier.DAYS:
            return Urgency.HIGH, f"password hash cracks in {tier.label}"
        return Urgency.NORMAL, f"password hash: {tier.label} to crack"
    return Urgency.NORMAL, "security answers exposed"


def plan_person(person: PersonCredentials) -> PlannedAccount | None:
    """The planned account for a person, or None when none of their credentials was exposed."""
    reasons = tuple(sorted(e for e in person.elements if e in {x.value for x in ACTIONS}))
    if not reasons:
        return None
    actions = tuple(dict.fromkeys(a for e in reasons for a in ACTIONS[DataElement(e)]))
    urgency, why = urgency_of(person.elements, person.worst_tier)
    return PlannedAccount(person.person_id, actions, reasons, urgency, why)


def plan_accounts(people: Iterable[PersonCredentials]) -> list[PlannedAccount]:
    """Planned accounts, most urgent first, then by person id."""
    planned = [p for p in (plan_person(x) for x in people) if p is not None]
    return sorted(planned, key=lambda p: (-p.urgency, p.person_id))
