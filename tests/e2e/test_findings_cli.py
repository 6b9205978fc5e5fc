"""``breachdesk findings`` end to end: real processes, exit codes, JSON, re-import over the CLI."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.e2e.cli_runner import Cli

SAMPLES = Path(__file__).resolve().parents[2] / "src/breachdesk/vulns/importers/samples"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    runner = Cli(tmp_path / "ws")
    runner("init")
    runner("incident", "open", "Shop breach", "--discovered", "2026-11-20T09:30:00Z")
    return runner


def test_import_triage_reimport_and_audit(cli: Cli, tmp_path: Path) -> None:
    imported = cli.json(
        "findings", "import", "1", str(SAMPLES / "bandit.json"), str(SAMPLES / "sarif.sarif")
    )
    assert [i["scan"]["tool"] for i in imported] == ["bandit", "sarif"]
    assert imported[0]["new"] == 2
    assert imported[1]["seen_again"] == 1  # the same SQL injection, found by CodeQL
    listed = cli.json("findings", "list", "1")
    assert [f["severity"] for f in listed] == ["high", "low"]
    assert all("evidence" not in f for f in listed)
    assert len(cli.json("evidence", "list", "1")) == 2

    shown = cli.json("findings", "show", "1", "1")
    assert shown["tools"] == ["bandit", "codeql"]
    assert "hunter2" not in json.dumps(cli.json("findings", "show", "1", "2"))

    refused = cli("findings", "set-status", "1", "2", "accepted", "--note", "legacy", code=2)
    assert "expiry" in refused.stderr
    assert "Traceback" not in refused.stderr
    cli.json("findings", "set-status", "1", "2", "false-positive", "--note", "test fixture only")
    assert cli.json("findings", "root-cause", "1", shown["fingerprint"][:10])["root_cause"]

    fixed_tree = tmp_path / "bandit-after.json"
    report = json.loads((SAMPLES / "bandit.json").read_text())
    report["results"] = []
    fixed_tree.write_text(json.dumps(report))
    again = cli.json("findings", "import", "1", str(fixed_tree), "--tool", "bandit")
    assert again[0]["fixed"] == 0  # CodeQL's latest scan still reports the injection
    sarif = json.loads((SAMPLES / "sarif.sarif").read_text())
    sarif["runs"][0]["results"] = []
    clean = tmp_path / "codeql-after.sarif"
    clean.write_text(json.dumps(sarif))
    assert cli.json("findings", "import", "1", str(clean))[0]["fixed"] == 1
    closed = cli.json("findings", "list", "1", "--status", "fixed")
    assert [f["id"] for f in closed] == [1]
    assert closed[0]["fixed_by_scan_id"] == 4
    assert cli.json("findings", "scans", "1")[-1]["tool"] == "sarif"
    assert cli.json("audit", "verify")["ok"] is True


def test_bad_files_are_reported_and_work_is_kept(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": "world"}')
    broken = tmp_path / "broken.json"
    broken.write_text((SAMPLES / "bandit.json").read_text()[:300])
    done = cli("findings", "import", "1", str(junk), str(SAMPLES / "bandit.json"), code=1)
    assert "junk.json" in done.stderr
    assert "no importer recognises" in done.stderr
    failed = cli("findings", "import", "1", str(broken), "--tool", "bandit", code=1)
    assert "invalid JSON" in failed.stderr
    assert len(cli.json("findings", "list", "1")) == 2
    cli("findings", "import", "1", str(tmp_path / "missing.json"), code=2)
    unknown = cli("findings", "import", "1", str(junk), "--tool", "nessus", code=2)
    assert "--tool" in unknown.stderr
    cli("findings", "list", "1", "--severity", "urgent", code=2)
    cli("findings", "show", "1", "77", code=2)


def test_overdue_filter_and_text_output(cli: Cli) -> None:
    cli("findings", "import", "1", str(SAMPLES / "sqlmap.csv"))
    out = cli("findings", "list", "1").stdout
    assert "critical" in out
    assert "1 findings, 0 overdue" in out
    assert cli.json("findings", "list", "1", "--overdue") == []
    assert [f["status"] for f in cli.json("findings", "list", "1", "--open")] == ["open"]
    assert "SQL injection" in cli("findings", "show", "1", "1").stdout


def test_sla_days_setting(cli: Cli) -> None:
    cli.env["BREACHDESK_SLA_DAYS"] = "critical=1,urgent=2"
    bad = cli("findings", "list", "1", code=2)
    assert "BREACHDESK_SLA_DAYS" in bad.stderr
    cli.env["BREACHDESK_SLA_DAYS"] = "critical=1"
    (row,) = cli.json("findings", "import", "1", str(SAMPLES / "sqlmap.csv"))
    assert row["new"] == 1
    (finding,) = cli.json("findings", "list", "1")
    seen = datetime.fromisoformat(finding["first_seen_at"])
    assert datetime.fromisoformat(finding["due_at"]) - seen == timedelta(days=1)
