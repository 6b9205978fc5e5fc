"""Rule files: strict schema with file:line errors, duplicate ids, layered folders, versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rules_helpers import EXAMPLE

from breachdesk.rules.loader import (
    LoadedAuthorities,
    LoadedRule,
    RuleFileError,
    load_folder,
    load_text,
    select,
    validate_folder,
)
from breachdesk.rules.registry import load_rules, merge, plugin_folders

EXAMPLE_TEXT = (EXAMPLE / "us-zz-example.yaml").read_text(encoding="utf-8")


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _version(text: str, start: str, end: str | None = None, title: str = "v") -> str:
    lines = text.replace("effective_from: 2020-01-01", f"effective_from: {start}")
    lines = lines.replace("title: Example breach notification (fictional)", f"title: {title}")
    return lines + (f"effective_to: {end}\n" if end else "")


def test_example_file_loads() -> None:
    loaded = load_text(EXAMPLE_TEXT, "example.yaml")
    assert isinstance(loaded, LoadedRule)
    assert loaded.rule.notices[1].threshold is not None
    assert loaded.rule.notices[1].threshold.op == ">="


def test_typo_in_a_key_names_file_and_line() -> None:
    text = EXAMPLE_TEXT.replace(
        "    deadline: {within: {days: 30}", "    dedline: {within: {days: 30}"
    )
    line = 1 + text.splitlines().index(next(ln for ln in text.splitlines() if "dedline" in ln))
    with pytest.raises(RuleFileError) as caught:
        load_text(text, "us/zz.yaml")
    assert f"us/zz.yaml:{line}: notices.1.dedline: unknown key" in caught.value.message


def test_typo_in_a_nested_key_names_its_line() -> None:
    text = EXAMPLE_TEXT.replace("{safe_harbor: true", "{safe_harbour: true")
    with pytest.raises(RuleFileError) as caught:
        load_text(text, "zz.yaml")
    assert "zz.yaml:12: exemptions_encryption.safe_harbour: unknown key" in caught.value.message


def test_bad_value_names_its_line() -> None:
    text = EXAMPLE_TEXT.replace('op: ">="', 'op: "=>"')
    with pytest.raises(RuleFileError, match=r"zz\.yaml:17: notices\.1\.threshold\.op"):
        load_text(text, "zz.yaml")


def test_unknown_element_and_duplicate_key_and_bad_yaml() -> None:
    with pytest.raises(RuleFileError, match=r"zz\.yaml:8: triggers"):
        load_text(EXAMPLE_TEXT.replace("[person_name, ssn]", "[person_name, sssn]"), "zz.yaml")
    with pytest.raises(RuleFileError, match=r"zz\.yaml:\d+: duplicate key 'title'"):
        load_text(EXAMPLE_TEXT + "title: again\n", "zz.yaml")
    with pytest.raises(RuleFileError, match=r"zz\.yaml:\d+"):
        load_text("id: [unclosed\n", "zz.yaml")
    with pytest.raises(RuleFileError, match=r"zz\.yaml:1: empty file"):
        load_text("", "zz.yaml")


def test_authority_list_is_recognised() -> None:
    text = (
        "as_of: 2026-11-01\nsources: [https://example.org]\nauthorities:\n"
        "  - {jurisdiction: FR, regime: eu-gdpr, contact: {name: CNIL}}\n"
    )
    assert isinstance(load_text(text, "a.yaml"), LoadedAuthorities)


def test_duplicate_rule_id_fails_loudly(tmp_path: Path) -> None:
    _write(tmp_path / "pack" / "a", "one.yaml", EXAMPLE_TEXT)
    _write(tmp_path / "pack" / "b", "two.yaml", EXAMPLE_TEXT)
    with pytest.raises(RuleFileError, match=r"duplicate rule id 'us-zz-breach-notification'"):
        load_folder(tmp_path / "pack")


def test_versions_select_by_date(tmp_path: Path) -> None:
    _write(tmp_path, "old.yaml", _version(EXAMPLE_TEXT, "2020-01-01", "2026-01-01", "old"))
    _write(tmp_path, "new.yaml", _version(EXAMPLE_TEXT, "2026-01-01", title="new"))
    rules = [item.rule for item in load_folder(tmp_path).rules]
    assert [r.title for r in select(rules, on=date(2025, 12, 31))] == ["old"]
    assert [r.title for r in select(rules, on=date(2026, 1, 1))] == ["new"]
    assert select(rules, on=date(2019, 12, 31)) == ()


def test_overlapping_versions_fail(tmp_path: Path) -> None:
    _write(tmp_path, "old.yaml", _version(EXAMPLE_TEXT, "2020-01-01", "2026-06-01"))
    _write(tmp_path, "new.yaml", _version(EXAMPLE_TEXT, "2026-01-01"))
    with pytest.raises(RuleFileError, match="both in force on 2026-01-01"):
        load_folder(tmp_path)


def test_user_folder_overrides_and_adds(tmp_path: Path) -> None:
    base = tmp_path / "base"
    _write(base, "zz.yaml", EXAMPLE_TEXT)
    user = tmp_path / "user"
    _write(user, "zz.yaml", _version(EXAMPLE_TEXT, "2020-01-01", title="ours"))
    added = EXAMPLE_TEXT.replace("us-zz-breach-notification", "us-yy-extra")
    _write(user, "yy.yaml", added)
    ruleset = merge([load_folder(base, "shipped"), load_folder(user, "user")])
    assert sorted(r.id for r in ruleset.rules) == ["us-yy-extra", "us-zz-breach-notification"]
    assert next(r for r in ruleset.rules if r.id.startswith("us-zz")).title == "ours"
    (override,) = ruleset.overrides
    assert override.rule_id == "us-zz-breach-notification"
    assert "overridden by folder user" in override.describe()


def test_load_rules_with_user_folder_and_plugins(tmp_path: Path) -> None:
    _write(tmp_path / "user", "zz.yaml", EXAMPLE_TEXT)
    ruleset = load_rules(
        [tmp_path / "user"], plugins=True, discover=lambda: [("example", str(EXAMPLE))]
    )
    assert ruleset.folders[-2:] == ("example", str(tmp_path / "user"))
    assert ruleset.overrides[-1].replaced_by == str(tmp_path / "user")
    assert ruleset.folders[0] == "shipped"


def test_plugin_names_must_be_unique() -> None:
    with pytest.raises(RuleFileError, match="two rulesets"):
        plugin_folders(lambda: [("x", EXAMPLE), ("x", EXAMPLE)])
    with pytest.raises(RuleFileError, match="does not name a folder"):
        plugin_folders(lambda: [("y", lambda: 3)])


def test_missing_user_folder_fails(tmp_path: Path) -> None:
    with pytest.raises(RuleFileError, match="not a folder"):
        load_rules([tmp_path / "nope"], shipped=False, plugins=False)


def test_timezone_and_holiday_calendar_are_checked() -> None:
    with pytest.raises(RuleFileError, match=r"zz\.yaml:19: timezone: unknown IANA timezone"):
        load_text(EXAMPLE_TEXT.replace("America/Chicago", "America/Chicgo"), "zz.yaml")
    with pytest.raises(RuleFileError, match=r"zz\.yaml:20: holidays: no public-holiday calendar"):
        load_text(EXAMPLE_TEXT.replace("holidays: US-TX", "holidays: US-XX"), "zz.yaml")


def test_validate_folder_reports_every_problem(tmp_path: Path) -> None:
    _write(tmp_path, "a.yaml", EXAMPLE_TEXT.replace("title:", "titel:"))
    _write(tmp_path, "b.yaml", EXAMPLE_TEXT.replace("America/Chicago", "Mars/Base"))
    _write(tmp_path, "c.yaml", EXAMPLE_TEXT)
    problems = validate_folder(tmp_path, "mine")
    assert any(p.startswith("mine/a.yaml:4: titel: unknown key") for p in problems)
    assert any(p.startswith("mine/b.yaml:19: timezone") for p in problems)
    assert validate_folder(EXAMPLE) == ()
