"""The rules engine: a pure function from recorded breach facts and rules to obligations.

Unknown residence is treated conservatively. People whose residence is unknown (no country, or
for a state or provincial rule no region) never count as residents. But every rule whose trigger
they meet is reported: if the known residents alone owe the notice, it applies and the unknown
people are mentioned; if the notice would be owed only were they residents (no known residents,
or the threshold is reached only with them), it is an obligation with status ``review``
("may apply: N people of unknown residence"), with its clock computed so nothing is missed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from breachdesk.core.obligation import (
    BreachFacts,
    Obligation,
    ObligationStatus,
    PersonFacts,
    RuleNotApplicable,
)
from breachdesk.rules.applicability import Context, Verdict, screen
from breachdesk.rules.loader import select
from breachdesk.rules.model import Authority, Rule
from breachdesk.rules.notice import (
    determination_obligation,
    notice_obligation,
    order_within_rule,
)
from breachdesk.rules.population import jurisdiction_name

DISCLAIMER = "Not legal advice: the rules pack summarises statutes as of its as_of date."


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Every obligation the facts trigger (earliest first) and every rule that does not apply."""

    obligations: tuple[Obligation, ...]
    not_applicable: tuple[RuleNotApplicable, ...]
    discovered_on: date  # the date rule versions were selected by
    rules_as_of: date | None  # latest as_of of the rules evaluated
    people: int
    unknown_residence: int
    notes: tuple[str, ...]

    @property
    def review(self) -> tuple[Obligation, ...]:
        """Obligations that may apply and need a person's review."""
        return tuple(o for o in self.obligations if o.status is ObligationStatus.REVIEW)


def evaluate(
    rules: Iterable[Rule],
    facts: BreachFacts,
    *,
    as_of: datetime | None = None,
    authorities: Iterable[Authority] = (),
) -> Evaluation:
    """Every obligation ``facts`` trigger under ``rules``, earliest deadline first, with reasons.

    ``rules`` may hold several versions of a rule id; the one in force on the UTC date of
    discovery is used. ``as_of`` only marks obligations overdue; deadlines come from the facts.
    """
    on = facts.discovered_at.date()
    every = tuple(rules)
    chosen = select(every, on=on)
    people = merge_people(facts.people)
    context = Context(facts=facts, people=people, authorities=tuple(authorities))
    obligations: list[Obligation] = []
    skipped = list(_not_in_force(every, chosen, on))
    for rule in chosen:
        verdict = screen(rule, context)
        skipped.extend(verdict.skipped)
        if verdict.applies:
            _notices(rule, verdict, context, as_of, obligations, skipped)
        elif verdict.send_determination:
            extra = determination_obligation(rule, verdict, context, as_of)
            obligations.extend([] if extra is None else [extra])
    unknown = sum(p.count for p in people if not p.residence_known)
    return Evaluation(
        obligations=tuple(sorted(obligations, key=_order)),
        not_applicable=tuple(skipped),
        discovered_on=on,
        rules_as_of=max((r.as_of for r in chosen), default=None),
        people=sum(p.count for p in people),
        unknown_residence=unknown,
        notes=_notes(unknown),
    )


def _notices(
    rule: Rule,
    verdict: Verdict,
    context: Context,
    as_of: datetime | None,
    obligations: list[Obligation],
    skipped: list[RuleNotApplicable],
) -> None:
    owed: list[Obligation] = []
    for notice in rule.notices:
        result = notice_obligation(rule, notice, verdict, context, as_of)
        if isinstance(result, Obligation):
            owed.append(result)
        else:
            skipped.append(result)
    obligations.extend(order_within_rule(owed))


def merge_people(people: Iterable[PersonFacts]) -> tuple[PersonFacts, ...]:
    """Collapse people with the same residence and elements into counted groups."""
    counts: Counter[tuple[str | None, str | None, str, frozenset[str]]] = Counter()
    for p in people:
        counts[(p.country, p.region, p.residence_source, p.elements)] += p.count
    return tuple(PersonFacts(c, r, s, e, n) for (c, r, s, e), n in counts.items())


def _not_in_force(
    every: tuple[Rule, ...], chosen: tuple[Rule, ...], on: date
) -> Iterable[RuleNotApplicable]:
    in_force = {rule.id for rule in chosen}
    reported: set[str] = set()
    for rule in every:
        if rule.id in in_force or rule.id in reported:
            continue
        reported.add(rule.id)
        reason = f"no version of this rule is in force on {on.isoformat()} (date of discovery)"
        yield RuleNotApplicable(
            rule.id,
            rule.jurisdiction,
            rule.title,
            reason,
            explanation=(f"{jurisdiction_name(rule.jurisdiction)}: {reason}",),
        )


def _order(obligation: Obligation) -> tuple[datetime, int, str, str]:
    when = obligation.due_at or obligation.target_at
    key = when.astimezone(UTC).replace(tzinfo=None) if when is not None else datetime.max
    rank = list(ObligationStatus).index(obligation.status)
    return key, rank, obligation.rule_id, obligation.recipient


def _notes(unknown: int) -> tuple[str, ...]:
    notes = [DISCLAIMER]
    if unknown:
        notes.append(
            f"{unknown:,} people of unknown residence: they are never counted as residents; "
            "every rule whose trigger they meet is listed, as 'review' where the notice would be "
            "owed only if they lived there."
        )
    return tuple(notes)
