"""``logs analyze`` and ``logs map`` as a user runs them (real processes, real workspace)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.e2e.cli_runner import Cli

from breachdesk.demodata.weblog import write_web_log

RULES = Path(__file__).resolve().parents[3] / "shared" / "data" / "sigma" / "rules" / "web"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    runner = Cli(tmp_path / "ws")
    runner("init")
    runner("incident", "open", "Shop API abused", "--discovered", "2026-11-20T09:30:00Z")
    log = tmp_path / "access.log"
    write_web_log(log, [f"C{n:07d}" for n in range(1, 200)], seed=3, benign=2_000, accessed=80)
    runner("logs", "ingest", "1", str(log))
    return runner


def test_analyze_map_apply(cli: Cli, tmp_path: Path) -> None:
    truth = json.loads((tmp_path / "attack_truth.json").read_text(encoding="utf-8"))
    mapped = cli.json("logs", "map", "1", "--pattern", "/api/customers/{customer_id}")
    assert mapped == [{"pattern": "/api/customers/{customer_id}", "kind": "customer_id"}]
    rules = ["--rules", str(RULES)] if RULES.is_dir() else []
    report = cli.json("logs", "analyze", "1", *rules)
    assert set(report["attacker_ips"]) == set(truth["attacker_ips"])
    assert report["window"]["from"] == truth["start"]
    assert {d["level"] for d in report["detections"]} >= {"high", "medium"}
    assert report["accessed_people"] == 0  # no one linked yet: ids match nobody, none stored
    assert report["accessed_unmatched"] == 80
    assert not report["applied"]
    assert cli.json("incident", "show", "1")["incident"]["occurred_from"] is None
    shown = cli("logs", "analyze", "1", "--apply")
    assert "Breach window:" in shown.stdout
    assert "Occurrence window recorded" in shown.stdout
    assert cli.json("incident", "show", "1")["incident"]["occurred_from"] == truth["start"]
    assert cli("audit", "verify").returncode == 0


def test_bad_input_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    cli("logs", "map", "1", "--pattern", "/api/customers", code=2)
    cli("logs", "analyze", "9", code=2)
    report = cli.json("logs", "analyze", "1", "--rules", str(tmp_path / "missing"))
    assert {"origin": str(tmp_path / "missing"), "rule_id": None, "reason": "not a folder"} in (
        report["rules_not_evaluated"]
    )
