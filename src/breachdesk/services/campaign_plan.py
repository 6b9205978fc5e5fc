"""Who gets which notice, by which channel, in which language, under which obligation (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from breachdesk.core.obligation import Obligation, ObligationStatus, PersonFacts, split_elements
from breachdesk.notify.message import Channel
from breachdesk.notify.postal import postal_address
from breachdesk.rules.model import Recipient, Rule
from breachdesk.rules.population import Residence, matched_combination, residence
from breachdesk.services.ports import StoredPerson

#: The campaign of notices to affected people (the outbox's ``campaign`` column).
INDIVIDUALS = "individuals"

#: Channels tried for a person, in order, among those they have contact data for.
CHANNEL_ORDER: tuple[Channel, ...] = (Channel.EMAIL, Channel.SMS, Channel.LETTER)

_SPANISH = "ES MX AR CO CL PE VE EC GT CU BO DO HN PY SV NI CR PA UY GQ"
_FRENCH = "FR BE LU MC SN CI CM ML BF NE TG BJ GA CG CD MG HT"
_GERMAN = "DE AT CH LI"
_LANGUAGE = (
    dict.fromkeys(_SPANISH.split(), "es")
    | dict.fromkeys(_FRENCH.split(), "fr")
    | dict.fromkeys(_GERMAN.split(), "de")
)
_REGION_LANGUAGE = {"CA-QC": "fr"}


def locale_for(country: str | None, region: str | None) -> str:
    """The notice language for a residence (the main official language), else English."""
    if region and region.upper() in _REGION_LANGUAGE:
        return _REGION_LANGUAGE[region.upper()]
    return _LANGUAGE.get((country or "").upper(), "en")


@dataclass(frozen=True, slots=True)
class PlannedNotice:
    """One person's notice: channel chain (first = primary), locale, obligations served."""

    person_id: int
    locale: str
    channels: tuple[Channel, ...]
    obligations: tuple[str, ...]  # keys of the individual-notice obligations served
    elements: frozenset[str]
    resident: bool  # False: residence unknown, included because a trigger is met
    addresses: tuple[str, ...] = field(repr=False, default=())  # one per channel
    name: str | None = field(repr=False, default=None)
    postal: str | None = field(repr=False, default=None)


@dataclass(frozen=True, slots=True)
class Unreachable:
    """A person owed a notice without any contact data, and whether substitute notice may serve."""

    person_id: int
    obligations: tuple[str, ...]
    reason: str
    substitute: bool


@dataclass(frozen=True, slots=True)
class AuthorityNotice:
    """A letter owed to a regulator, attorney general, credit bureau or other authority."""

    obligation: str
    recipient: str
    jurisdiction: str
    status: str
    addressees: tuple[str, ...]
    due_at: datetime | None
    channel: Channel = Channel.REGULATOR_LETTER


@dataclass(frozen=True, slots=True)
class CampaignPlan:
    """The campaign as planned; contact values stay out of repr."""

    incident_id: int
    notices: tuple[PlannedNotice, ...]
    unreachable: tuple[Unreachable, ...]
    authorities: tuple[AuthorityNotice, ...]
    obligations: tuple[Obligation, ...]  # the individual-notice obligations that apply
    held: int  # people whose only obligations are under review or suspended
    not_owed: int  # affected people no individual-notice obligation covers
    people: int

    def counts(self) -> dict[str, int]:
        """Headline numbers for a table or JSON."""
        primary = Counter(n.channels[0].value for n in self.notices)
        return {
            "people": self.people,
            "to_notify": len(self.notices),
            **{f"by_{c.value}": primary.get(c.value, 0) for c in CHANNEL_ORDER},
            "residence_unknown_included": sum(not n.resident for n in self.notices),
            "unreachable": len(self.unreachable),
            "substitute_candidates": sum(u.substitute for u in self.unreachable),
            "held_for_review": self.held,
            "not_owed": self.not_owed,
            "authority_letters": len(self.authorities),
        }

    def locales(self) -> dict[str, int]:
        """People per notice locale."""
        return dict(sorted(Counter(n.locale for n in self.notices).items()))

    def templates(self) -> tuple[tuple[Channel, str], ...]:
        """Every (channel, locale) the campaign renders, fallbacks included."""
        used = {(c, n.locale) for n in self.notices for c in n.channels}
        return tuple(sorted(used))


def _covers(rule: Rule, facts: PersonFacts) -> Residence | None:
    """RESIDENT or UNKNOWN when the person meets the rule's trigger; None when not covered."""
    if matched_combination(facts.elements, rule.triggers.any_of) is None:
        return None
    where = residence(facts, rule.applies.residents_of or rule.jurisdiction)
    return None if where is Residence.OTHER else where


def _substitute_allowed(rule: Rule) -> bool:
    return any(
        n.recipient is Recipient.INDIVIDUALS and n.substitute_notice is not None
        for n in rule.notices
    )


def _channels(person: StoredPerson) -> tuple[tuple[Channel, ...], tuple[str, ...]]:
    row = person.row
    values = {Channel.EMAIL: row.email, Channel.SMS: row.phone, Channel.LETTER: row.address}
    chain = [(c, v.strip()) for c in CHANNEL_ORDER if (v := values[c]) and v.strip()]
    # a letter's recipient is the addressee block the print spool and its manifest expect
    return tuple(c for c, _ in chain), tuple(
        postal_address(row.name, v).encode() if c is Channel.LETTER else v for c, v in chain
    )


def _authorities(obligations: Iterable[Obligation]) -> tuple[AuthorityNotice, ...]:
    return tuple(
        AuthorityNotice(
            obligation=o.key,
            recipient=o.recipient,
            jurisdiction=o.jurisdiction,
            status=o.status.value,
            addressees=tuple(c.name for c in o.contacts),
            due_at=o.due_at or o.target_at,
        )
        for o in obligations
        if o.recipient not in (Recipient.INDIVIDUALS.value, Recipient.MEDIA.value)
    )


def build_plan(
    incident_id: int,
    people: Sequence[StoredPerson],
    obligations: Sequence[Obligation],
    rules: Mapping[str, Rule],
) -> CampaignPlan:
    """Match every person to the individual-notice obligations whose trigger and residence fit."""
    individual = [o for o in obligations if o.recipient == Recipient.INDIVIDUALS.value]
    owed = [o for o in individual if o.status is ObligationStatus.APPLIES and o.rule_id in rules]
    waiting = [o for o in individual if o.status is not ObligationStatus.APPLIES]
    notices: list[PlannedNotice] = []
    unreachable: list[Unreachable] = []
    held = not_owed = 0
    for person in people:
        row = person.row
        elements = split_elements(row.elements)
        facts = PersonFacts(row.country, row.region, row.residence_source, elements)
        covered = [(o, w) for o in owed if (w := _covers(rules[o.rule_id], facts)) is not None]
        if not covered:
            pending = any(
                o.rule_id in rules and _covers(rules[o.rule_id], facts) is not None for o in waiting
            )
            held += pending
            not_owed += not pending
            continue
        keys = tuple(o.key for o, _ in covered)
        channels, addresses = _channels(person)
        if not channels:
            allowed = any(_substitute_allowed(rules[o.rule_id]) for o, _ in covered)
            reason = "no e-mail, phone or postal address known"
            unreachable.append(Unreachable(person.id, keys, reason, allowed))
            continue
        notices.append(
            PlannedNotice(
                person_id=person.id,
                locale=locale_for(row.country, row.region),
                channels=channels,
                obligations=keys,
                elements=facts.elements,
                resident=any(w is Residence.RESIDENT for _, w in covered),
                addresses=addresses,
                name=row.name,
                postal=row.address,
            )
        )
    return CampaignPlan(
        incident_id=incident_id,
        notices=tuple(notices),
        unreachable=tuple(unreachable),
        authorities=_authorities(obligations),
        obligations=tuple(owed),
        held=held,
        not_owed=not_owed,
        people=len(people),
    )
