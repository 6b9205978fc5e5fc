"""Helpers for the rule-data tests: load a shipped rule file strictly and query it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from breachdesk.rules.model import Notice, Recipient, Rule

#: The states this pack's second half covers, Montana through Wyoming in alphabetical order of name.
MY_STATES = (
    "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA",
    "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
)  # fmt: skip

DATA = Path(__file__).resolve().parents[3] / "src" / "breachdesk" / "rules" / "data"


def load_rule(path: Path) -> Rule:
    """Validate one rule file against the strict schema."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Rule.model_validate(raw)


def rule_file(folder: str, name: str) -> Rule:
    """Load ``rules/data/<folder>/<name>``."""
    return load_rule(DATA / folder / name)


def notices_to(rule: Rule, recipient: Recipient) -> list[Notice]:
    """Every notice of a rule to one recipient class."""
    return [n for n in rule.notices if n.recipient == recipient]


def only_notice(rule: Rule, recipient: Recipient) -> Notice:
    """The single notice to a recipient class (fails if there are none or several)."""
    found = notices_to(rule, recipient)
    assert len(found) == 1, f"{rule.id}: {len(found)} notices to {recipient}"
    return found[0]


def triggered_by(rule: Rule, *elements: str) -> bool:
    """True if the exposed elements contain every element of some trigger combination."""
    exposed = set(elements)
    return any(set(combo) <= exposed for combo in rule.triggers.any_of)
