"""Every registered Sigma rule folder: each rule compiles, ids are unique, levels are known."""

from __future__ import annotations

from pathlib import Path

import pytest

from breachdesk.core.errors import ConfigError
from breachdesk.timeline.sigma import load_rules, rule_folders
from breachdesk.timeline.sigma.ruleset import LEVELS, CompiledRule, parse_text, rule_files

FOLDERS = rule_folders()
IDS = [name for name, _ in FOLDERS]


@pytest.mark.parametrize(("name", "folder"), FOLDERS, ids=IDS)
def test_every_rule_of_the_folder_compiles(name: str, folder: Path) -> None:
    seen: set[str] = set()
    files = list(rule_files(folder))
    assert files, f"{name}: no rule files"
    for file_name, entry in files:
        items = parse_text(entry.read_bytes().decode("utf-8"), f"{name}:{file_name}")
        assert items, file_name
        for item in items:
            assert isinstance(item, CompiledRule), f"{file_name}: {item}"
            assert item.level in LEVELS
            assert item.title
            assert item.id not in seen, f"{file_name}: duplicate id"
            seen.add(item.id)


def test_registered_folders_come_after_the_shipped_one(tmp_path: Path) -> None:
    extra = tmp_path / "acme"
    extra.mkdir()
    (extra / "acme.yml").write_text(
        "title: ACME admin page\nid: 7a1f0c3e-1111-4222-8333-944455556666\n"
        "logsource:\n    category: webserver\n"
        "detection:\n    sel:\n        c-uri|startswith: /acme-admin\n    condition: sel\n"
        "level: low\n",
        encoding="utf-8",
    )
    found = rule_folders(lambda: [("acme", str(extra))])
    assert [n for n, _ in found] == [*IDS, "acme"]
    rules = load_rules([], discover=lambda: [("acme", lambda: extra)])
    assert "7a1f0c3e-1111-4222-8333-944455556666" in {r.id for r in rules.rules}


@pytest.mark.parametrize(
    "entries",
    [
        [("breachdesk", "/tmp")],
        [("x", "/tmp"), ("x", "/tmp")],
        [("x", "/definitely/not/a/folder")],
        [("x", 42)],
    ],
)
def test_bad_registrations_fail_loudly(entries: list[tuple[str, object]]) -> None:
    with pytest.raises(ConfigError, match="Sigma rule folder"):
        rule_folders(lambda: entries)
