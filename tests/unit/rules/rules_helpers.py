"""Builders of small rules and facts for the rules tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from breachdesk.core.obligation import BreachFacts, PersonFacts
from breachdesk.rules.model import Rule

EXAMPLE = Path(__file__).parent / "example"
DISCOVERED = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # a Monday


def make_rule(**changes: Any) -> Rule:
    """A US-TX style rule (name + SSN or credentials), with ``changes`` applied to its fields."""
    data: dict[str, Any] = {
        "id": "us-tx-test",
        "jurisdiction": "US-TX",
        "title": "Test rule",
        "citations": ["Test Code § 1"],
        "as_of": "2026-01-01",
        "effective_from": "2020-01-01",
        "triggers": {"any_of": [["person_name", "ssn"], ["username", "password"]]},
        "notices": [{"recipient": "individuals", "deadline": {"within": {"days": 60}}}],
        "timezone": "America/Chicago",
        "holidays": "US-TX",
    }
    data.update(changes)
    return Rule.model_validate(data)


def people(
    count: int,
    region: str | None = "US-TX",
    *elements: str,
    country: str | None = "US",
    source: str = "master",
) -> PersonFacts:
    """``count`` people of one residence with ``elements`` exposed (default name + SSN)."""
    kinds = frozenset(elements or ("person_name", "ssn"))
    return PersonFacts(country, region, source, kinds, count)


def facts(*groups: PersonFacts, **changes: Any) -> BreachFacts:
    """Breach facts discovered on ``DISCOVERED`` for ``groups`` of people."""
    return BreachFacts(discovered_at=DISCOVERED, people=groups, **changes)
