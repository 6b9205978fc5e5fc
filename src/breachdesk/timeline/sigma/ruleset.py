"""Load Sigma rules from folders and compile each into a scoped polars expression."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

import polars as pl

from breachdesk.timeline.sigma.convert import Converter, Needs, UnsupportedError
from breachdesk.timeline.sigma.fields import Scope, scope_of
from breachdesk.timeline.sigma.registry import Discover, rule_folders

LEVELS = ("informational", "low", "medium", "high", "critical")


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A Sigma rule ready to evaluate: where it applies and what it tests."""

    id: str
    title: str
    level: str
    origin: str  # file the rule came from, relative to its folder
    scope: Scope
    expression: pl.Expr
    needs: Needs
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RuleProblem:
    """A rule file or rule that is not evaluated, and why."""

    origin: str
    rule_id: str | None
    title: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Compiled rules and the ones that could not be compiled."""

    rules: tuple[CompiledRule, ...]
    problems: tuple[RuleProblem, ...]

    def needs(self) -> Needs:
        """Union of every rule's prepared columns."""
        total = Needs()
        for rule in self.rules:
            total.merge(rule.needs)
            total.natives |= rule.scope.natives()
        return total


def rule_files(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    """``(relative name, entry)`` of every ``.yml``/``.yaml`` file under ``folder``, sorted."""
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from rule_files(entry, name + "/")
        elif entry.name.endswith((".yml", ".yaml")):
            yield name, entry


def compile_rule(rule: object, origin: str) -> CompiledRule | RuleProblem:
    """Compile one parsed pySigma rule, or say why it cannot be evaluated."""
    from sigma.exceptions import SigmaError
    from sigma.rule import SigmaRule

    if not isinstance(rule, SigmaRule):
        kind = type(rule).__name__
        return RuleProblem(origin, _rule_id(rule), _title(rule), f"{kind} is not evaluated")
    ls = rule.logsource
    scope = scope_of(ls.category, ls.product, ls.service)
    if isinstance(scope, str):
        return RuleProblem(origin, _rule_id(rule), rule.title, scope)
    converter = Converter(scope.family)
    try:
        parts = [converter.convert(c.parsed) for c in rule.detection.parsed_condition]
    except (UnsupportedError, SigmaError) as exc:
        return RuleProblem(origin, _rule_id(rule), rule.title, f"cannot convert: {exc}")
    expression = parts[0]
    for part in parts[1:]:
        expression = expression | part
    return CompiledRule(
        id=_rule_id(rule) or origin,
        title=rule.title,
        level=rule.level.name.lower() if rule.level else "medium",
        origin=origin,
        scope=scope,
        expression=expression,
        needs=converter.needs,
        tags=tuple(str(t) for t in rule.tags or ()),
    )


def _rule_id(rule: object) -> str | None:
    value = getattr(rule, "id", None)
    return str(value) if value else None


def _title(rule: object) -> str | None:
    value = getattr(rule, "title", None)
    return str(value) if value else None


def parse_text(text: str, origin: str) -> list[CompiledRule | RuleProblem]:
    """Compile every rule of one YAML document stream."""
    from sigma.collection import SigmaCollection

    try:
        collection = SigmaCollection.from_yaml(text, collect_errors=True)
    except Exception as exc:  # PyYAML and pySigma errors alike: one bad file never stops a load
        return [RuleProblem(origin, None, None, f"unreadable: {type(exc).__name__}")]
    if not collection.rules:
        reason = f"invalid: {collection.errors[0]}" if collection.errors else "no rule in file"
        return [RuleProblem(origin, None, None, reason)]
    out: list[CompiledRule | RuleProblem] = []
    for rule in collection.rules:
        errors = getattr(rule, "errors", None)
        if errors:
            out.append(RuleProblem(origin, _rule_id(rule), _title(rule), f"invalid: {errors[0]}"))
            continue
        out.append(compile_rule(rule, origin))
    return out


def load_rules(
    folders: Iterable[Path | Traversable],
    *,
    builtin: bool = True,
    discover: Discover | None = None,
) -> RuleSet:
    """Compile the shipped and installed rule folders (unless ``builtin`` is false), then every
    rule file under ``folders``."""
    roots: list[tuple[str, Path | Traversable]] = []
    if builtin:
        roots.extend(rule_folders(discover))
    roots.extend((str(f), f) for f in folders)
    rules: dict[str, CompiledRule] = {}
    problems: list[RuleProblem] = []
    for label, root in roots:
        if isinstance(root, Path) and not root.is_dir():
            problems.append(RuleProblem(label, None, None, "not a folder"))
            continue
        for name, entry in rule_files(root):
            origin = f"{label}:{name}"
            for item in parse_text(entry.read_bytes().decode("utf-8", errors="replace"), origin):
                if isinstance(item, RuleProblem):
                    problems.append(item)
                else:
                    rules[item.id] = item  # a later folder's rule replaces one with its id
    return RuleSet(tuple(rules.values()), tuple(problems))
