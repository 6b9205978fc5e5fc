"""Obligations and the breach facts they are computed from: values shared by rules and services.

``BreachFacts`` is everything the rules engine needs to know about an incident (times, encryption,
organisation flags, recorded decisions, and the affected people by residence and exposed
elements); ``Obligation`` is one notice owed to one recipient under one rule, with its clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

RESIDENCE_SOURCES = frozenset({"master", "inferred", "unknown"})


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """Residence and exposed elements of one person, or of ``count`` people sharing them."""

    country: str | None  # ISO 3166-1 alpha-2, e.g. "US", "FR"; None when unknown
    region: str | None  # ISO 3166-2, e.g. "US-CA"; None when unknown or not needed
    residence_source: str  # master | inferred | unknown
    elements: frozenset[str]  # DataElement values
    count: int = 1

    @property
    def residence_known(self) -> bool:
        """Whether the person's country of residence is known."""
        return self.country is not None and self.residence_source != "unknown"


@dataclass(frozen=True, slots=True)
class LawEnforcementDelay:
    """A recorded request by law enforcement to delay notice in one jurisdiction."""

    requested_at: datetime
    until: datetime | None = None  # None: delay still in force, no end date known
    reference: str = ""  # case or letter reference, kept as evidence


@dataclass(frozen=True, slots=True)
class BreachFacts:
    """The recorded facts of one incident that notification duties depend on (times aware UTC)."""

    discovered_at: datetime
    people: tuple[PersonFacts, ...] = ()
    determined_at: datetime | None = None
    assessed_at: datetime | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    encrypted: bool = False
    key_exposed: bool = False
    flags: frozenset[str] = frozenset()  # e.g. hipaa_covered_entity, sec_registrant
    # jurisdictions (e.g. "US-FL", "EU") or rule ids with a documented "no risk of harm" decision
    no_risk_determinations: frozenset[str] = frozenset()
    # jurisdiction (e.g. "US-NY") or rule id -> recorded law-enforcement delay request
    law_enforcement_delays: Mapping[str, LawEnforcementDelay] = field(default_factory=dict)
    # rule id -> when individuals were notified (for notices counted from that notice)
    individuals_notified_at: Mapping[str, datetime] = field(default_factory=dict)


class ObligationStatus(StrEnum):
    """Whether an obligation is owed, may be owed, or its clock is suspended."""

    APPLIES = "applies"
    REVIEW = "review"  # may apply: depends on people of unknown residence or a pending fact
    SUSPENDED = "suspended"  # law enforcement asked for a delay the statute allows


@dataclass(frozen=True, slots=True)
class ContactInfo:
    """How to reach a recipient (regulator, attorney general, agency)."""

    name: str
    url: str | None = None
    email: str | None = None
    address: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Obligation:
    """One notice owed under one rule to one recipient, with its due time and its reasons."""

    rule_id: str
    jurisdiction: str
    regime: str  # the rule's title
    recipient: str  # a rules Recipient value, e.g. individuals, attorney_general
    status: ObligationStatus
    due_at: datetime | None  # UTC; None when the law sets no fixed period or the clock is paused
    due_local: str | None  # ISO text of due_at in the rule's timezone
    target_at: datetime | None  # recommended target where the law says "without undue delay"
    clock: str  # the fact the deadline counts from: discovery, determination, assessment, ...
    clock_started_at: datetime | None
    citations: tuple[str, ...]
    people: int  # residents the notice covers (known residence)
    unknown_residence: int  # people of unknown residence who meet the trigger
    content: tuple[str, ...] = ()
    contacts: tuple[ContactInfo, ...] = ()
    after: tuple[str, ...] = ()  # recipients that must be notified first
    explanation: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # ordering, substitute notice, documentation duties
    rules_as_of: date | None = None
    overdue: bool = False  # due_at (or target) before the evaluation's as_of time
    timezone: str = "UTC"  # the rule's IANA timezone, for local display
    ordinal: int = 1  # 2, 3, ... for a rule's second, third notice to the same recipient

    @property
    def target_local(self) -> str | None:
        """ISO text of the recommended target in the rule's timezone."""
        if self.target_at is None:
            return None
        return self.target_at.astimezone(ZoneInfo(self.timezone)).isoformat(timespec="seconds")

    @property
    def key(self) -> str:
        """Identity within an incident: ``rule_id:recipient`` (``#2`` for a second such notice)."""
        base = f"{self.rule_id}:{self.recipient}"
        return base if self.ordinal == 1 else f"{base}#{self.ordinal}"


@dataclass(frozen=True, slots=True)
class RuleNotApplicable:
    """A rule, or one notice of it, that the facts do not trigger, with the reason."""

    rule_id: str
    jurisdiction: str
    regime: str
    reason: str
    recipient: str | None = None  # set when only this notice of an applicable rule is not owed
    explanation: tuple[str, ...] = ()


def split_elements(text: str | None) -> frozenset[str]:
    """Elements from a comma-separated column value (``"email, ssn"`` -> {email, ssn})."""
    if not text:
        return frozenset()
    return frozenset(part.strip() for part in text.split(",") if part.strip())


def group_people(
    rows: Iterable[tuple[str | None, str | None, str | None, frozenset[str] | str | None]],
) -> tuple[PersonFacts, ...]:
    """Aggregate ``(country, region, residence_source, elements)`` rows into counted groups."""
    counts: Counter[tuple[str | None, str | None, str, frozenset[str]]] = Counter()
    for country, region, source, elements in rows:
        kinds = elements if isinstance(elements, frozenset) else split_elements(elements)
        origin = source if source in RESIDENCE_SOURCES else "unknown"
        place = (country or None, region or None)
        if place[0] is None:
            origin = "unknown"
        counts[(place[0], place[1], origin, kinds)] += 1
    return tuple(
        PersonFacts(country, region, source, kinds, n)
        for (country, region, source, kinds), n in sorted(
            counts.items(), key=lambda item: (str(item[0][:3]), sorted(item[0][3]))
        )
    )


@dataclass(frozen=True, slots=True)
class ObligationChange:
    """One difference between two evaluations, as text safe for an audit entry."""

    key: str  # Obligation.key
    change: str  # added | removed | status | due_at | target_at | people | unknown_residence
    before: str = ""
    after: str = ""


_COMPARED = ("status", "due_at", "target_at", "people", "unknown_residence")


def diff_obligations(
    before: Iterable[Obligation], after: Iterable[Obligation]
) -> tuple[ObligationChange, ...]:
    """What a re-evaluation changed: obligations added or removed, and changed clocks or counts."""
    old = {o.key: o for o in before}
    new = {o.key: o for o in after}
    changes = [ObligationChange(k, "removed") for k in sorted(old.keys() - new.keys())]
    changes += [ObligationChange(k, "added") for k in sorted(new.keys() - old.keys())]
    for key in sorted(old.keys() & new.keys()):
        for name in _COMPARED:
            was, now = _text(getattr(old[key], name)), _text(getattr(new[key], name))
            if was != now:
                changes.append(ObligationChange(key, name, was, now))
    return tuple(changes)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)
