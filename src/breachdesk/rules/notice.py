"""One notice of an applicable rule: threshold, clock, delay, contacts, and its obligation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from breachdesk.core.obligation import (
    ContactInfo,
    Obligation,
    ObligationStatus,
    RuleNotApplicable,
)
from breachdesk.rules.applicability import Context, Verdict
from breachdesk.rules.calendar import local_iso
from breachdesk.rules.deadline import Due, compute_due, suspend
from breachdesk.rules.model import Contact, Notice, Recipient, Rule, Threshold
from breachdesk.rules.population import Population, Residence, main_citation, residence

WORDS = {
    Recipient.INDIVIDUALS: "notice to individuals",
    Recipient.ATTORNEY_GENERAL: "attorney general notice",
    Recipient.REGULATOR: "regulator notice",
    Recipient.CONSUMER_REPORTING_AGENCIES: "consumer reporting agency notice",
    Recipient.MEDIA: "media notice",
    Recipient.DATA_OWNER: "notice to the data owner",
    Recipient.LAW_ENFORCEMENT: "law enforcement notice",
}
_NEGATED = {">": "not >", ">=": "<"}


def cite(rule: Rule, notice: Notice) -> str:
    """The citation of one notice: its own, else the rule's main one."""
    return notice.citation or main_citation(rule.citations)


def passes(count: int, threshold: Threshold | None) -> bool:
    """Whether ``count`` people meet the threshold (any one person when there is none)."""
    if threshold is None:
        return count > 0
    if threshold.op == ">":
        return count > threshold.value
    return count >= threshold.value


@dataclass(frozen=True, slots=True)
class Count:
    """People a notice covers and whether its threshold is met, with and without the unknown."""

    known: int
    unknown: int
    ok: bool
    ok_with_unknown: bool
    words: str  # e.g. "1,203 residents >= 250"


def count_for(population: Population, threshold: Threshold | None) -> Count:
    """Apply a notice's threshold to the people of an applicable rule."""
    if threshold is not None and threshold.per_subdivision:
        return _per_subdivision(population, threshold)
    total = threshold is not None and threshold.counts == "total"
    known, unknown = (population.total, 0) if total else (population.residents, population.unknown)
    ok = passes(known, threshold)
    noun = "people in total" if total else "residents"
    if threshold is None:
        words = f"{known:,} {noun} affected"
    else:
        op = threshold.op if ok else _NEGATED[threshold.op]
        words = f"{known:,} {noun} {op} {threshold.value:,}"
    return Count(known, unknown, ok, passes(known + unknown, threshold), words)


def _per_subdivision(population: Population, threshold: Threshold) -> Count:
    met = [(r, n) for r, n in population.by_subdivision if passes(n, threshold)]
    unknown = population.unknown + population.no_subdivision
    largest = max((n for _, n in population.by_subdivision), default=0)
    if met:
        words = ", ".join(
            f"{r}: {n:,} residents {threshold.op} {threshold.value:,}" for r, n in met
        )
    else:
        words = (
            f"no single state or province has {threshold.op} {threshold.value:,} residents "
            f"(largest: {largest:,})"
        )
    known = sum(n for _, n in met)
    return Count(known, unknown, bool(met), passes(largest + unknown, threshold), words)


def notice_obligation(
    rule: Rule, notice: Notice, verdict: Verdict, context: Context, as_of: datetime | None
) -> Obligation | RuleNotApplicable:
    """The obligation one notice gives, or why it is not owed."""
    population = verdict.population
    if population is None:  # an applicable verdict always carries its population
        raise ValueError(f"rule {rule.id}: notice evaluated without a population")
    count = count_for(population, notice.threshold)
    known, unknown, ok, counted = count.known, count.unknown, count.ok, count.words
    words = WORDS[notice.recipient]
    if not ok and not count.ok_with_unknown:
        reason = f"{counted}: no {words} owed"
        line = f"{verdict.name}: {reason} ({cite(rule, notice)})"
        return RuleNotApplicable(
            rule.id,
            rule.jurisdiction,
            rule.title,
            reason,
            notice.recipient.value,
            (*verdict.lines, line),
        )
    due = compute_due(notice.deadline, context.facts, rule)
    if not known and unknown:
        counted = f"may apply: {unknown:,} people of unknown residence meet the trigger"
    head = f"{verdict.name}: {counted} -> {words} {due.phrase} ({cite(rule, notice)})"
    lines = [*verdict.lines, head, *due.start.notes, *due.notes]
    status = ObligationStatus.APPLIES
    if not ok:
        status = ObligationStatus.REVIEW
        lines.append(
            f"{verdict.name}: may apply: owed only if some of the {unknown:,} people of unknown "
            "residence live here"
        )
    if notice.when:
        status = ObligationStatus.REVIEW
        lines.append(f"{verdict.name}: owed only when: {notice.when} (confirm)")
    due_at, target_at, delay_lines = _law_enforcement(rule, notice, context, due)
    lines.extend(delay_lines)
    if delay_lines and due_at is None and target_at is None and due.start.at is not None:
        status = ObligationStatus.SUSPENDED
    return _build(
        rule, notice, context, as_of, status, due, due_at, target_at, known, unknown, tuple(lines)
    )


def _law_enforcement(
    rule: Rule, notice: Notice, context: Context, due: Due
) -> tuple[datetime | None, datetime | None, tuple[str, ...]]:
    delays = context.facts.law_enforcement_delays
    delay = delays.get(rule.id) or delays.get(rule.jurisdiction)
    if delay is None or notice.recipient is not Recipient.INDIVIDUALS:
        return due.due_at, due.target_at, ()
    if not rule.law_enforcement_delay:
        line = (
            "a law-enforcement delay is recorded, but this law does not provide for one: "
            "the clock runs"
        )
        return due.due_at, due.target_at, (line,)
    return suspend(due, delay)


def _build(
    rule: Rule,
    notice: Notice,
    context: Context,
    as_of: datetime | None,
    status: ObligationStatus,
    due: Due,
    due_at: datetime | None,
    target_at: datetime | None,
    known: int,
    unknown: int,
    lines: tuple[str, ...],
) -> Obligation:
    notes = [*_ordering(notice), *_substitute(notice, known)]
    if notice.deadline.text:
        notes.append(f"the law's words: {notice.deadline.text}")
    when = due_at or target_at
    return Obligation(
        rule_id=rule.id,
        jurisdiction=rule.jurisdiction,
        regime=rule.title,
        recipient=notice.recipient.value,
        status=status,
        due_at=due_at,
        due_local=None if due_at is None else local_iso(due_at, rule.timezone),
        target_at=target_at,
        clock=due.start.clock.value,
        clock_started_at=due.start.at,
        citations=(notice.citation, *rule.citations) if notice.citation else rule.citations,
        people=known,
        unknown_residence=unknown,
        content=notice.content,
        contacts=contacts(rule, notice, context),
        after=tuple(r.value for r in notice.after),
        explanation=lines,
        notes=tuple(notes),
        rules_as_of=rule.as_of,
        timezone=rule.timezone,
        ordinal=ordinal(rule, notice),
        overdue=as_of is not None and when is not None and when < as_of,
    )


def ordinal(rule: Rule, notice: Notice) -> int:
    """1 for a rule's first notice to a recipient, 2 for its second, ..."""
    same = [n for n in rule.notices if n.recipient is notice.recipient]
    return 1 + next((i for i, n in enumerate(same) if n is notice), 0)


def _ordering(notice: Notice) -> list[str]:
    if not notice.after:
        return []
    return [_order_note(notice.after, notice.recipient)]


def _order_note(first: tuple[Recipient, ...], then: Recipient) -> str:
    return f"order: send the {', '.join(WORDS[r] for r in first)} before the {WORDS[then]}"


def order_within_rule(owed: list[Obligation]) -> list[Obligation]:
    """Keep ordering constraints only towards recipients that are owed a notice too."""
    present = {o.recipient for o in owed}
    out = []
    for obligation in owed:
        keep = tuple(r for r in obligation.after if r in present)
        if keep != obligation.after:
            old = _order_note(
                tuple(map(Recipient, obligation.after)), Recipient(obligation.recipient)
            )
            notes = [n for n in obligation.notes if n != old]
            if keep:
                notes.insert(
                    0, _order_note(tuple(map(Recipient, keep)), Recipient(obligation.recipient))
                )
            obligation = replace(obligation, after=keep, notes=tuple(notes))
        out.append(obligation)
    return out


def _substitute(notice: Notice, people: int) -> list[str]:
    sub = notice.substitute_notice
    if sub is None:
        return []
    conditions = []
    if sub.cost_over is not None:
        conditions.append(f"the cost of notice would exceed {sub.cost_over:,}")
    if sub.count_over is not None:
        met = " (met)" if people > sub.count_over else ""
        conditions.append(f"more than {sub.count_over:,} people are to be notified{met}")
    if sub.insufficient_contact:
        conditions.append("contact information is insufficient")
    text = f" ({sub.text})" if sub.text else ""
    return [f"substitute notice allowed if {' or '.join(conditions) or 'the law allows'}{text}"]


def contacts(rule: Rule, notice: Notice, context: Context) -> tuple[ContactInfo, ...]:
    """The notice's own contact, else the authorities of the regime where residents live."""
    if notice.contact is not None:
        return (_contact(notice.contact),)
    if notice.recipient not in (Recipient.REGULATOR, Recipient.ATTORNEY_GENERAL):
        return ()
    found = []
    for authority in context.authorities:
        if not rule.id.startswith(authority.regime):
            continue
        if authority.jurisdiction == rule.jurisdiction or _has_residents(
            context, authority.jurisdiction
        ):
            found.append(_contact(authority.contact))
    return tuple(found)


def _has_residents(context: Context, jurisdiction: str) -> bool:
    return any(residence(p, jurisdiction) is Residence.RESIDENT for p in context.people)


def _contact(contact: Contact) -> ContactInfo:
    return ContactInfo(contact.name, contact.url, contact.email, contact.address, contact.phone)


def determination_obligation(
    rule: Rule, verdict: Verdict, context: Context, as_of: datetime | None
) -> Obligation | None:
    """Sending a no-risk determination to the regulator, where the law requires it."""
    targets = (Recipient.ATTORNEY_GENERAL, Recipient.REGULATOR)
    notice = next((n for n in rule.notices if n.recipient in targets), None)
    if notice is None or verdict.population is None:
        return None
    due = compute_due(notice.deadline, context.facts, rule)
    head = (
        f"{verdict.name}: the no-risk determination must be sent to the "
        f"{notice.recipient.value.replace('_', ' ')} {due.phrase} ({cite(rule, notice)})"
    )
    lines = (*verdict.lines, *verdict.notes, head, *due.start.notes, *due.notes)
    known = verdict.population.residents
    obligation = _build(
        rule,
        notice,
        context,
        as_of,
        ObligationStatus.APPLIES,
        due,
        due.due_at,
        due.target_at,
        known,
        verdict.population.unknown,
        lines,
    )
    return replace(obligation, content=("written_determination_of_no_risk",))
