"""Whether a rule applies at all: organisation flags, residents, encryption, risk of harm."""

from __future__ import annotations

from dataclasses import dataclass

from breachdesk.core.obligation import BreachFacts, PersonFacts, RuleNotApplicable
from breachdesk.rules.model import Authority, Rule
from breachdesk.rules.population import (
    Population,
    count_population,
    jurisdiction_name,
    main_citation,
)


@dataclass(frozen=True, slots=True)
class Context:
    """What every rule is evaluated against: the facts, people merged into counted groups."""

    facts: BreachFacts
    people: tuple[PersonFacts, ...]
    authorities: tuple[Authority, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of screening one rule, with the explanation lines so far."""

    applies: bool
    name: str
    population: Population | None = None
    lines: tuple[str, ...] = ()
    skipped: tuple[RuleNotApplicable, ...] = ()
    send_determination: bool = False  # a no-risk determination must be sent to the regulator
    notes: tuple[str, ...] = ()


def describe_triggers(rule: Rule, limit: int = 4) -> str:
    """``person_name + ssn; username + password; ...`` (the first few combinations)."""
    combos = [" + ".join(c) for c in rule.triggers.any_of]
    more = f"; and {len(combos) - limit} more" if len(combos) > limit else ""
    return "; ".join(combos[:limit]) + more


def _skip(rule: Rule, name: str, reason: str, lines: tuple[str, ...] = ()) -> Verdict:
    line = f"{name}: {reason} ({main_citation(rule.citations)})"
    skipped = RuleNotApplicable(
        rule.id, rule.jurisdiction, rule.title, reason, explanation=(*lines, line)
    )
    return Verdict(applies=False, name=name, skipped=(skipped,))


def screen(rule: Rule, context: Context) -> Verdict:
    """Flags, then population, then encryption, then risk of harm; the first failing check wins."""
    name = jurisdiction_name(rule.jurisdiction)
    facts = context.facts
    missing = [flag for flag in rule.applies.requires_flags if flag not in facts.flags]
    if missing:
        reason = f"applies only to organisations flagged {', '.join(missing)} (not recorded)"
        return _skip(rule, name, reason)
    who = rule.applies.residents_of or rule.jurisdiction
    population = count_population(context.people, who, rule.triggers.any_of)
    if population.residents == 0 and population.unknown == 0:
        if population.residents_affected:
            reason = (
                f"{population.residents_affected:,} residents affected, none with a triggering "
                f"combination exposed (any of: {describe_triggers(rule)})"
            )
        else:
            reason = f"no affected residents of {jurisdiction_name(who)}"
        return _skip(rule, name, reason)
    lines = _population_lines(rule, name, population)
    encryption = _encryption(rule, facts)
    if encryption is not None and encryption[0]:
        return _skip(rule, name, encryption[1], lines)
    if encryption is not None:
        lines = (*lines, f"{name}: {encryption[1]}")
    return _risk_of_harm(rule, name, facts, population, lines)


def _population_lines(rule: Rule, name: str, population: Population) -> tuple[str, ...]:
    lines: list[str] = []
    if population.residents:
        top = ", ".join(f"{' + '.join(c)}: {n:,}" for c, n in population.combinations[:3])
        lines.append(
            f"{name}: {population.residents:,} residents had a triggering combination "
            f"exposed ({top})"
        )
    if population.inferred:
        lines.append(
            f"{name}: {population.inferred:,} of them by inferred residence (not a master record)"
        )
    if population.unknown:
        lines.append(
            f"{name}: {population.unknown:,} people of unknown residence also meet the trigger; "
            "they are not counted as residents but may be"
        )
    return tuple(lines)


def _encryption(rule: Rule, facts: BreachFacts) -> tuple[bool, str] | None:
    """``(exempt, why)`` when the data was encrypted; None when encryption is not in play."""
    if not facts.encrypted:
        return None
    harbour = rule.exemptions_encryption
    if harbour is None or not harbour.safe_harbor:
        return False, "the data was encrypted, but this law has no encryption safe harbour"
    if facts.key_exposed and harbour.unless_key_exposed:
        return False, "the data was encrypted but the key was exposed too: no safe harbour"
    if facts.key_exposed:
        return True, "encrypted data: safe harbour applies (this law does not ask about the key)"
    return True, "encrypted data and the key was not exposed: encryption safe harbour"


def _determined(rule: Rule, facts: BreachFacts) -> bool:
    keys = {rule.id, rule.jurisdiction, rule.applies.residents_of}
    return any(key in facts.no_risk_determinations for key in keys if key)


def _risk_of_harm(
    rule: Rule, name: str, facts: BreachFacts, population: Population, lines: tuple[str, ...]
) -> Verdict:
    risk = rule.risk_of_harm
    standard = f"no risk of harm ({risk.standard})" if risk.standard else "no risk of harm"
    short = (
        f"risk-of-harm determination ({risk.standard})"
        if risk.standard
        else "no-risk determination"
    )
    if not _determined(rule, facts):
        if risk.allowed:
            lines = (
                *lines,
                f"{name}: a documented {short} would remove this duty (none recorded)",
            )
        return Verdict(applies=True, name=name, population=population, lines=lines)
    if not risk.allowed:
        line = (
            f"{name}: a no-risk determination is recorded, "
            "but this law does not let it remove the duty"
        )
        return Verdict(applies=True, name=name, population=population, lines=(*lines, line))
    duties = _documentation_duties(risk.must_document, risk.retain_years)
    reason = f"documented determination of {standard} recorded; notice not required"
    verdict = _skip(rule, name, reason, (*lines, *duties))
    if not risk.notify_regulator_of_determination:
        return Verdict(applies=False, name=name, skipped=verdict.skipped, notes=duties)
    return Verdict(
        applies=False,
        name=name,
        population=population,
        lines=(*lines, f"{name}: {reason}"),
        skipped=verdict.skipped,
        send_determination=True,
        notes=duties,
    )


def _documentation_duties(must_document: bool, retain_years: int | None) -> tuple[str, ...]:
    duties = []
    if must_document:
        keep = f" and keep it for {retain_years} years" if retain_years else ""
        duties.append(f"the determination must be documented in writing{keep}")
    return tuple(duties)
