"""Sigma rule folders in use: the shipped set, then folders installed as plugins.

Third parties register a folder in the ``breachdesk.sigma_rules`` entry-point group: the entry
point loads a path (str or ``Path``), a ``Traversable``, or a callable returning one. Folders the
user names with ``--rules`` come after these; a rule id defined later replaces an earlier one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from breachdesk.core.errors import ConfigError

ENTRY_POINT_GROUP = "breachdesk.sigma_rules"
SHIPPED = "breachdesk"
Discover = Callable[[], Iterable[tuple[str, object]]]


def builtin_rules() -> Traversable:
    """The rule folder shipped with breachdesk (``breachdesk/timeline/rules``)."""
    return files("breachdesk.timeline") / "rules"


BUILTINS: tuple[tuple[str, Callable[[], Traversable]], ...] = ((SHIPPED, builtin_rules),)


def _entry_points() -> list[tuple[str, object]]:
    return [(ep.name, ep.load()) for ep in entry_points(group=ENTRY_POINT_GROUP)]


def rule_folders(discover: Discover | None = None) -> tuple[tuple[str, Traversable], ...]:
    """The built-in folder and every registered one, by name; a name used twice fails loudly."""
    seen: dict[str, Traversable] = {name: folder() for name, folder in BUILTINS}
    for name, target in discover() if discover is not None else _entry_points():
        if name in seen:
            raise ConfigError(f"two Sigma rule folders are registered under the name {name!r}")
        value = target() if callable(target) else target
        if isinstance(value, str):
            value = Path(value)
        if not isinstance(value, Traversable) or not value.is_dir():
            raise ConfigError(f"Sigma rule folder {name!r} does not name a folder")
        seen[name] = value
    return tuple(seen.items())
