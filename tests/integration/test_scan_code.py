"""scan-code runs the installed scanners (bandit here) and imports their findings; re-runs close."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from breachdesk.adapters.scanner_tools import ScannerTools, semgrep_rules
from breachdesk.bootstrap import Workspace, security_testing
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.finding import FindingStatus, Skipped

SAMPLE = Path(__file__).parent.parent / "data" / "vulncode"

needs_bandit = pytest.mark.skipif(
    not ScannerTools().available("bandit"), reason="bandit is a dev dependency"
)


def _active(ws: Workspace, incident: int) -> list[str]:
    rows = ws.findings.list_findings(
        incident,  # type: ignore[arg-type]
        status=(FindingStatus.OPEN, FindingStatus.REOPENED),
    )
    return [r.stored.finding.rule_id for r in rows]


@needs_bandit
def test_bandit_finds_the_planted_flaws_and_a_rescan_of_the_fixed_tree_closes_them(
    workspace: Workspace, tmp_path: Path
) -> None:
    tree = tmp_path / "src"
    shutil.copytree(SAMPLE, tree)
    draft = IncidentDraft(
        title="Code", controller="ACME", discovered_at=datetime(2026, 11, 20, tzinfo=UTC)
    )
    incident = workspace.cases.open_incident(draft, actor="t").id
    testing = security_testing(workspace)
    results = testing.code.scan(incident, tree, actor="t")
    by_tool = {r.tool: r.outcome for r in results}
    assert not isinstance(by_tool["bandit"], Skipped)
    pip_audit = by_tool["pip-audit"]
    assert isinstance(pip_audit, Skipped)
    assert "no advisory database configured" in pip_audit.reason
    rules = set(_active(workspace, incident))
    assert {"B608", "B602", "B324"} <= rules  # SQL, shell=True, MD5

    (tree / "app.py").write_text('"""Fixed."""\n', encoding="utf-8")
    report = testing.retest.retest(incident, actor="t")
    assert "bandit" in {r.tool for r in report.code}  # semgrep too, when it is installed
    assert report.not_rerunnable == []
    assert _active(workspace, incident) == []
    assert report.still_open == 0


def test_semgrep_rules_ship_in_the_package() -> None:
    text = semgrep_rules().read_text(encoding="utf-8")
    assert "breachdesk.python.sql-string-building" in text


@pytest.mark.skipif(not ScannerTools().available("semgrep"), reason="semgrep not installed")
def test_semgrep_with_our_rules_finds_the_planted_flaws_and_nothing_once_fixed(
    tmp_path: Path,
) -> None:
    from breachdesk.demodata.vulnapp import fix_vulnerable_app, write_vulnerable_app
    from breachdesk.vulns.importers.registry import read_report

    tree = tmp_path / "src"
    shutil.copytree(SAMPLE, tree)
    write_vulnerable_app(tree / "demo")
    report = ScannerTools().run("semgrep", str(tree), tmp_path / "out")
    assert not isinstance(report, Skipped)
    parsed = read_report(report, tool="semgrep")
    assert not isinstance(parsed, Skipped)
    found = {
        (f.cwe, Path(f.location.path or "").name) for f in parsed[1] if not isinstance(f, Skipped)
    }
    assert found == {((89,), "app.py"), ((78,), "app.py"), ((916,), "app.py"), ((89,), "api.py")}
    fix_vulnerable_app(tree / "demo")
    again = ScannerTools().run("semgrep", str(tree / "demo"), tmp_path / "again")
    assert not isinstance(again, Skipped)
    parsed = read_report(again, tool="semgrep")
    assert not isinstance(parsed, Skipped)
    assert list(parsed[1]) == []


@pytest.mark.skipif(
    not ScannerTools().available("detect-secrets"), reason="detect-secrets not installed"
)
def test_detect_secrets_runs_inside_the_tree(tmp_path: Path) -> None:
    from breachdesk.vulns.importers.registry import read_report

    tree = tmp_path / "svc"
    tree.mkdir()
    key = "AKIA" + "IOSFODNN7" + "EXAMPLE"  # AWS's documented example key, assembled here
    (tree / "settings.py").write_text(f'AWS_ACCESS_KEY_ID = "{key}"\n', encoding="utf-8")
    report = ScannerTools().run("detect-secrets", str(tree), tmp_path / "out")
    assert not isinstance(report, Skipped)
    parsed = read_report(report, tool="detect-secrets")
    assert not isinstance(parsed, Skipped)
    places = {f.location.describe() for f in parsed[1] if not isinstance(f, Skipped)}
    assert places == {"settings.py:1"}
    assert key not in report.read_text(encoding="utf-8")
