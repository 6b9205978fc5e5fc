"""Every shipped rule file loads through the loader and evaluates a sample incident."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rules_helpers import people

from breachdesk.core.obligation import BreachFacts, LawEnforcementDelay
from breachdesk.rules.calendar import known_holiday_calendar
from breachdesk.rules.evaluate import evaluate
from breachdesk.rules.loader import select
from breachdesk.rules.registry import RuleSet, load_rules, shipped_folder

DISCOVERED = datetime(2026, 11, 20, 14, 30, tzinfo=UTC)
ALL = (
    "person_name",
    "ssn",
    "email",
    "password",
    "username",
    "payment_card",
    "card_security_code",
    "medical",
    "health_insurance",
    "drivers_license",
    "date_of_birth",
    "postal_address",
)


@pytest.fixture(scope="module")
def shipped() -> RuleSet:
    """The shipped pack only (no installed rulesets, no user folders)."""
    return load_rules(plugins=False)


def test_shipped_folder_is_package_data() -> None:
    assert shipped_folder().is_dir()


def test_every_shipped_file_loads(shipped: RuleSet) -> None:
    files = [e for e in shipped_folder().iterdir() if e.is_dir()]
    assert files, "rules/data has no folders"
    assert shipped.overrides == ()
    for loaded in shipped.loaded:
        assert loaded.rule.citations
        assert loaded.rule.holidays is None or known_holiday_calendar(loaded.rule.holidays), (
            loaded.file
        )


def _sample(rule_jurisdictions: set[str]) -> BreachFacts:
    groups = [people(300, j, *ALL) for j in sorted(rule_jurisdictions) if j.startswith("US-")]
    groups += [
        people(600, None, *ALL, country="US"),
        people(40, "FR-75", *ALL, country="FR"),
        people(5, None, *ALL, country="DE"),
        people(12, None, *ALL, country="GB"),
        people(7, None, *ALL, country="CA"),
        people(3, None, *ALL, country=None, source="unknown"),
    ]
    delay = LawEnforcementDelay(DISCOVERED, DISCOVERED + timedelta(days=5), "LE-1")
    return BreachFacts(
        discovered_at=DISCOVERED,
        determined_at=DISCOVERED + timedelta(days=1),
        people=tuple(groups),
        flags=frozenset({"hipaa_covered_entity", "sec_registrant", "nydfs_covered_entity"}),
        law_enforcement_delays={"US-NY": delay},
    )


def test_every_shipped_rule_evaluates_a_sample_incident(shipped: RuleSet) -> None:
    rules = shipped.rules
    in_force = select(rules, on=DISCOVERED.date())
    result = evaluate(
        rules, _sample({r.jurisdiction for r in rules}), authorities=shipped.authorities
    )
    assert result.rules_as_of is not None
    seen = {o.rule_id for o in result.obligations} | {n.rule_id for n in result.not_applicable}
    assert {r.id for r in in_force} <= seen
    dues = [o.due_at or o.target_at for o in result.obligations]
    timed = [d for d in dues if d is not None]
    assert timed == sorted(timed)
    keys = [o.key for o in result.obligations]
    assert len(keys) == len(set(keys))
    for obligation in result.obligations:
        assert obligation.explanation
        assert obligation.due_at is None or obligation.due_local is not None
