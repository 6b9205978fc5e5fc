"""The rule folders in use: the shipped pack, installed rulesets, and folders the user names.

Folders are layered in that order. A later folder can add rules (a new jurisdiction or regime)
or override a rule of an earlier one: a rule id it defines replaces every version of that id
from the earlier folders, and the result records each override.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from breachdesk.rules.loader import (
    FolderContents,
    LoadedAuthorities,
    LoadedRule,
    RuleFileError,
    load_folder,
)
from breachdesk.rules.model import Authority, Rule

ENTRY_POINT_GROUP = "breachdesk.rulesets"
SHIPPED = "shipped"


@dataclass(frozen=True, slots=True)
class Override:
    """A rule id defined in an earlier folder and replaced by a later one."""

    rule_id: str
    replaced_by: str  # folder name
    replaced: tuple[str, ...]  # files whose versions were dropped

    def describe(self) -> str:
        """One line for people: which rule was overridden by which folder."""
        return (
            f"rule {self.rule_id} from {', '.join(self.replaced)} is overridden by "
            f"folder {self.replaced_by}"
        )


@dataclass(frozen=True, slots=True)
class RuleSet:
    """The rules and authorities of all folders in use, after overrides."""

    loaded: tuple[LoadedRule, ...]
    authority_files: tuple[LoadedAuthorities, ...]
    folders: tuple[str, ...]
    overrides: tuple[Override, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule version, all ids."""
        return tuple(item.rule for item in self.loaded)

    @property
    def authorities(self) -> tuple[Authority, ...]:
        """Every authority of every authority list."""
        return tuple(a for item in self.authority_files for a in item.authorities.authorities)

    def versions(self, rule_id: str) -> tuple[LoadedRule, ...]:
        """Every version of one rule id, oldest first."""
        found = [item for item in self.loaded if item.rule.id == rule_id]
        return tuple(sorted(found, key=lambda item: item.rule.effective_from))


def shipped_folder() -> Traversable:
    """The rules pack shipped inside the package (``breachdesk/rules/data``)."""
    return files("breachdesk.rules") / "data"


def plugin_folders(
    discover: Callable[[], Iterable[tuple[str, object]]] | None = None,
) -> tuple[tuple[str, Traversable], ...]:
    """Folders registered in the ``breachdesk.rulesets`` entry-point group, by name.

    An entry point loads a path (str or ``Path``), a ``Traversable``, or a callable returning one.
    Two rulesets with the same name fail loudly.
    """
    found = discover() if discover is not None else _entry_points()
    seen: dict[str, Traversable] = {}
    for name, target in found:
        if name in seen or name == SHIPPED:
            raise RuleFileError(f"two rulesets are registered under the name {name!r}")
        value = target() if callable(target) else target
        if isinstance(value, str):
            value = Path(value)
        if not isinstance(value, Traversable):
            raise RuleFileError(f"ruleset {name!r} does not name a folder")
        seen[name] = value
    return tuple(seen.items())


def _entry_points() -> list[tuple[str, object]]:
    return [(ep.name, ep.load()) for ep in entry_points(group=ENTRY_POINT_GROUP)]


def load_rules(
    user_folders: Sequence[Path] = (),
    *,
    shipped: bool = True,
    plugins: bool = True,
    discover: Callable[[], Iterable[tuple[str, object]]] | None = None,
) -> RuleSet:
    """Load the shipped pack, installed rulesets, then ``user_folders`` (later ones win)."""
    layers: list[FolderContents] = []
    if shipped:
        layers.append(load_folder(shipped_folder(), SHIPPED))
    if plugins:
        layers.extend(load_folder(path, name) for name, path in plugin_folders(discover))
    for folder in user_folders:
        if not folder.is_dir():
            raise RuleFileError(f"{folder}: not a folder of rule files")
        layers.append(load_folder(folder, str(folder)))
    return merge(layers)


def merge(layers: Sequence[FolderContents]) -> RuleSet:
    """Layer folders: a rule id defined by a later folder replaces all earlier versions of it."""
    current: dict[str, list[LoadedRule]] = {}
    overrides: list[Override] = []
    for layer in layers:
        ids = {item.rule.id for item in layer.rules}
        for rule_id in sorted(ids & current.keys()):
            dropped = tuple(item.file for item in current[rule_id])
            overrides.append(Override(rule_id, layer.name, dropped))
            del current[rule_id]
        for item in layer.rules:
            current.setdefault(item.rule.id, []).append(item)
    loaded = tuple(item for rule_id in sorted(current) for item in current[rule_id])
    return RuleSet(
        loaded=loaded,
        authority_files=tuple(a for layer in layers for a in layer.authorities),
        folders=tuple(layer.name for layer in layers),
        overrides=tuple(overrides),
    )
