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

pytestmark = pytest.mark.skipif(
    not ScannerTools().available("bandit"), reason="bandit is a dev dependency"
)


def _active(ws: Workspace, incident: int) -> list[str]:
    rows = ws.findings.list_findings(
        incident,  # type: ignore[arg-type]
        status=(FindingStatus.OPEN, FindingStatus.REOPENED),
    )
    return [r.stored.finding.rule_id for r in rows]


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
    assert [r.tool for r in report.code] == ["bandit"]
    assert _active(workspace, incident) == []
    assert report.still_open == 0


def test_semgrep_rules_ship_in_the_package() -> None:
    text = semgrep_rules().read_text(encoding="utf-8")
    assert "breachdesk.python.sql-string-building" in text
