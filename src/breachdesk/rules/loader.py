"""Load rule and authority files from YAML, with errors that name the file and line.

A file whose top level has an ``authorities`` key is an authority list; every other ``*.yaml`` /
``*.yml`` file is one rule (one version of one regime). Nothing is loaded at import time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from importlib.resources.abc import Traversable
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import ValidationError

from breachdesk.core.errors import InvalidInputError
from breachdesk.rules.calendar import known_holiday_calendar
from breachdesk.rules.model import AuthorityList, Rule

Path_ = tuple[str | int, ...]
SUFFIXES = (".yaml", ".yml")


class RuleFileError(InvalidInputError):
    """A rule or authority file that cannot be loaded; the message names file and line."""


@dataclass(frozen=True, slots=True)
class LoadedRule:
    """A validated rule and where it came from."""

    rule: Rule
    file: str  # display path of the file, e.g. "data/us/texas.yaml"
    folder: str  # name of the folder (ruleset) it was loaded from


@dataclass(frozen=True, slots=True)
class LoadedAuthorities:
    """A validated authority list and where it came from."""

    authorities: AuthorityList
    file: str
    folder: str


@dataclass(frozen=True, slots=True)
class FolderContents:
    """Everything one rules folder holds."""

    name: str
    rules: tuple[LoadedRule, ...]
    authorities: tuple[LoadedAuthorities, ...]


class _LineLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate keys (PyYAML would silently keep the last)."""


def _compose(text: str, file: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LineLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark is not None else file
        problem = getattr(error, "problem", None) or "not valid YAML"
        raise RuleFileError(f"{where}: {problem}") from None


def _build(
    node: yaml.Node, path: Path_, lines: dict[Path_, int], loader: _LineLoader, file: str
) -> Any:
    """Python value of ``node``; records the line of every key and item in ``lines``."""
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                raise RuleFileError(f"{file}:{key_node.start_mark.line + 1}: duplicate key {key!r}")
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _build(value_node, (*path, key), lines, loader, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, index), lines, loader, file)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML document into Python values and a map of key path -> line number."""
    node = _compose(text, file)
    lines: dict[Path_, int] = {}
    if node is None:
        raise RuleFileError(f"{file}:1: empty file")
    loader = _LineLoader("")
    return _build(node, (), lines, loader, file), lines


def _line_of(loc: tuple[int | str, ...], lines: dict[Path_, int]) -> int:
    """Line of the deepest located key of a pydantic error location."""
    path: Path_ = tuple(loc)
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _describe(error: ValidationError, file: str, lines: dict[Path_, int]) -> str:
    parts = []
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if isinstance(part, str | int))
        where = ".".join(str(part) for part in loc) or "(top level)"
        kind = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
        parts.append(f"{file}:{_line_of(loc, lines)}: {where}: {kind}")
    return "\n".join(parts)


def load_text(text: str, file: str, folder: str = "") -> LoadedRule | LoadedAuthorities:
    """Validate one file's text as a rule or an authority list."""
    data, lines = parse_yaml(text, file)
    if not isinstance(data, dict):
        raise RuleFileError(f"{file}:1: expected a mapping of keys at the top level")
    try:
        if "authorities" in data:
            return LoadedAuthorities(AuthorityList.model_validate(data), file, folder)
        rule = Rule.model_validate(data)
    except ValidationError as error:
        raise RuleFileError(_describe(error, file, lines)) from None
    problems = check_rule(rule)
    if problems:
        raise RuleFileError(
            "\n".join(f"{file}:{_line_of((key,), lines)}: {key}: {why}" for key, why in problems)
        )
    return LoadedRule(rule, file, folder)


def check_rule(rule: Rule) -> list[tuple[str, str]]:
    """Checks beyond the schema: ``(key, problem)`` for the timezone and holiday calendar."""
    problems = []
    try:
        ZoneInfo(rule.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(("timezone", f"unknown IANA timezone {rule.timezone!r}"))
    if rule.holidays is not None and not known_holiday_calendar(rule.holidays):
        problems.append(("holidays", f"no public-holiday calendar for {rule.holidays!r}"))
    return problems


def _files(folder: Traversable, prefix: str) -> Iterator[tuple[Traversable, str]]:
    """Every YAML file under ``folder``, depth first, in name order."""
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        shown = f"{prefix}/{entry.name}"
        if entry.is_dir():
            yield from _files(entry, shown)
        elif entry.name.endswith(SUFFIXES):
            yield entry, shown


def load_folder(folder: Traversable, name: str | None = None) -> FolderContents:
    """Load every rule and authority file under ``folder``; versions of one id must not overlap."""
    label = name or folder.name
    rules: list[LoadedRule] = []
    authorities: list[LoadedAuthorities] = []
    for entry, shown in _files(folder, label):
        loaded = load_text(entry.read_text(encoding="utf-8"), shown, label)
        if isinstance(loaded, LoadedRule):
            rules.append(loaded)
        else:
            authorities.append(loaded)
    check_versions(rules)
    return FolderContents(label, tuple(rules), tuple(authorities))


def validate_folder(folder: Traversable, name: str | None = None) -> tuple[str, ...]:
    """Every problem in a rules folder (all files, then versions), as lines naming file:line."""
    label = name or folder.name
    problems: list[str] = []
    rules: list[LoadedRule] = []
    for entry, shown in _files(folder, label):
        try:
            loaded = load_text(entry.read_text(encoding="utf-8"), shown, label)
        except RuleFileError as error:
            problems.extend(error.message.splitlines())
            continue
        if isinstance(loaded, LoadedRule):
            rules.append(loaded)
    try:
        check_versions(rules)
    except RuleFileError as error:
        problems.append(error.message)
    return tuple(problems)


def _range(rule: Rule) -> tuple[date, date]:
    return rule.effective_from, rule.effective_to or date.max


def check_versions(rules: Iterable[LoadedRule]) -> None:
    """Fail when two files give the same rule id for overlapping effective ranges."""
    by_id: dict[str, list[LoadedRule]] = {}
    for loaded in rules:
        by_id.setdefault(loaded.rule.id, []).append(loaded)
    for rule_id, versions in by_id.items():
        ordered = sorted(versions, key=lambda item: item.rule.effective_from)
        for before, after in pairwise(ordered):
            if _range(after.rule)[0] < _range(before.rule)[1]:
                raise RuleFileError(
                    f"duplicate rule id {rule_id!r}: {before.file} and {after.file} are both in "
                    "force on "
                    f"{after.rule.effective_from.isoformat()} (give versions non-overlapping "
                    "effective_from/effective_to ranges)"
                )


def select(rules: Iterable[Rule], *, on: date) -> tuple[Rule, ...]:
    """The version of each rule id in force on ``on``; ids with none in force are left out."""
    chosen: dict[str, Rule] = {}
    for rule in rules:
        start, end = _range(rule)
        if start <= on < end:
            previous = chosen.get(rule.id)
            if previous is not None and previous != rule:
                raise RuleFileError(f"two versions of rule {rule.id!r} are in force on {on}")
            chosen[rule.id] = rule
    return tuple(chosen[key] for key in sorted(chosen))
