"""Sigma rules over normalised events: loading, conversion to polars, evaluation."""

from breachdesk.timeline.sigma.engine import RuleMatch, evaluate
from breachdesk.timeline.sigma.registry import builtin_rules, rule_folders
from breachdesk.timeline.sigma.ruleset import (
    CompiledRule,
    RuleProblem,
    RuleSet,
    load_rules,
    parse_text,
)

__all__ = [
    "CompiledRule",
    "RuleMatch",
    "RuleProblem",
    "RuleSet",
    "builtin_rules",
    "evaluate",
    "load_rules",
    "parse_text",
    "rule_folders",
]
