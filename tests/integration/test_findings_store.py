"""Findings on SQLite and PostgreSQL: re-import semantics, SLA, workflow, audit, encryption."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from breachdesk.bootstrap import Workspace, init_workspace, open_workspace
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.config import Settings
from breachdesk.core.errors import InvalidInputError
from breachdesk.core.finding import Finding, FindingStatus, Location, Severity
from breachdesk.core.ids import IncidentId
from breachdesk.testing import FixedClock

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
SAMPLES = Path(__file__).resolve().parents[2] / "src/breachdesk/vulns/importers/samples"
SQLI = Finding(
    "SQL injection", "bandit", "B608", Severity.CRITICAL, Location.file("app/db.py", 12),
    cwe=(89,), evidence="password = 'zz-evidence-marker'",
)  # fmt: skip
XSS = Finding(
    "XSS", "zap", "40012", Severity.MEDIUM, Location.web("http://h/s?q=1", "q"), cwe=(79,)
)


@pytest.fixture
def clocked(settings: Settings) -> tuple[Workspace, FixedClock, IncidentId]:
    init_workspace(settings)
    clock = FixedClock(T0)
    ws = open_workspace(settings, clock=clock)
    incident = ws.cases.open_incident(IncidentDraft("Leak", T0 - timedelta(days=1)), actor="ana")
    yield ws, clock, incident.id
    ws.close()


def _status(ws: Workspace, incident: IncidentId) -> dict[str, FindingStatus]:
    return {r.stored.finding.title: r.stored.status for r in ws.findings.list_findings(incident)}


def test_close_on_absence_and_reopen_on_recurrence(clocked) -> None:
    ws, clock, incident = clocked
    first = ws.findings.import_findings(incident, "repo", "bandit", [SQLI, XSS], actor="ana")
    assert first.new == 2
    clock.advance(timedelta(days=2))
    second = ws.findings.import_findings(incident, "repo", "bandit", [XSS], actor="ana")
    assert second.fixed == 1
    fixed = next(r.stored for r in ws.findings.list_findings(incident) if r.stored.id == 1)
    assert (fixed.status, fixed.fixed_by_scan_id) == (FindingStatus.FIXED, second.scan.id)
    assert fixed.fixed_at == T0 + timedelta(days=2)
    clock.advance(timedelta(days=5))
    third = ws.findings.import_findings(incident, "repo", "bandit", [SQLI, XSS], actor="ana")
    assert third.reopened == 1
    row, occurrences, scans = ws.findings.show(incident, "1")
    assert row.stored.status is FindingStatus.REOPENED
    assert row.stored.recurring
    assert row.stored.due_at == T0 + timedelta(days=7 + 7)  # critical: 7 days from reopening
    assert [o.scan_id for o in occurrences] == [first.scan.id, third.scan.id]
    assert {s.id for s in scans} == {first.scan.id, third.scan.id}
    assert ws.audit.verify().problems == []


def test_sla_overdue_with_a_fixed_clock(clocked) -> None:
    ws, clock, incident = clocked
    ws.findings.import_findings(incident, "site", "zap", [SQLI, XSS], actor="ana")
    clock.advance(timedelta(days=8))
    overdue = ws.findings.list_findings(incident, overdue=True)
    assert [r.stored.finding.title for r in overdue] == ["SQL injection"]
    clock.advance(timedelta(days=90))
    assert len(ws.findings.list_findings(incident, overdue=True)) == 2


def test_workflow_root_cause_and_audit(clocked) -> None:
    ws, _clock, incident = clocked
    ws.findings.import_findings(incident, "repo", "bandit", [SQLI, XSS], actor="ana")
    with pytest.raises(InvalidInputError):
        ws.findings.set_status(incident, "2", FindingStatus.ACCEPTED, actor="ana", note="x")
    ws.findings.set_status(
        incident, "2", FindingStatus.ACCEPTED, actor="ana", note="compensating WAF rule",
        until=T0 + timedelta(days=30),
    )  # fmt: skip
    ws.findings.mark_root_cause(incident, "1", actor="ana")
    assert [f.id for f in ws.findings.root_causes(incident)] == [1]
    report = ws.audit.verify()
    assert report.problems == []
    actions = [e.action for e in ws.audit.entries(incident) if e.subject.startswith("findings:")]
    assert actions == ["findings.imported", "finding.status_changed", "finding.root_cause"]


def test_tampering_with_a_finding_is_detected(clocked) -> None:
    ws, _, incident = clocked
    ws.findings.import_findings(incident, "repo", "bandit", [SQLI], actor="ana")
    with ws.engine.begin() as conn:
        conn.execute(text("UPDATE findings SET status = 'false_positive' WHERE id = 1"))
    problems = ws.audit.verify().problems
    assert problems
    assert any("findings:" in str(p) for p in problems)


def test_evidence_is_encrypted_at_rest(clocked) -> None:
    ws, _, incident = clocked
    ws.findings.import_findings(incident, "repo", "bandit", [SQLI], actor="ana")
    with ws.engine.connect() as conn:
        raw = conn.execute(text("SELECT evidence FROM findings")).scalar_one()
    assert "zz-evidence-marker" not in raw
    row, _, _ = ws.findings.show(incident, "1")
    assert "zz-evidence-marker" in row.stored.finding.evidence


def test_report_files_become_evidence_then_findings(clocked) -> None:
    ws, _, incident = clocked
    paths = [SAMPLES / "bandit.json", SAMPLES / "semgrep.json", SAMPLES / "sarif.sarif"]
    results = ws.findings.import_files(
        incident,
        paths,
        actor="ana",
        add_evidence=lambda p: ws.evidence.add(incident, p, actor="ana").item.id,
    )
    outcomes = [r for _, r in results]
    assert [o.scan.tool for o in outcomes] == ["bandit", "semgrep", "sarif"]  # type: ignore[union-attr]
    assert len(ws.evidence.items(incident)) == 3
    # bandit, semgrep and CodeQL report the same SQL injection: one finding, three tools
    rows = ws.findings.list_findings(incident)
    sqli = [r for r in rows if 89 in r.stored.finding.cwe]
    assert len(sqli) == 1
    assert sqli[0].stored.tools == ("bandit", "codeql", "semgrep")
    with pytest.raises(InvalidInputError, match="--tool"):
        ws.findings.import_files(
            incident,
            paths,
            actor="ana",
            add_evidence=lambda p: 1,
            tool="nessus",  # type: ignore[arg-type,return-value]
        )


def test_the_same_fingerprint_is_unique_per_incident(clocked) -> None:
    ws, _, incident = clocked
    other = ws.cases.open_incident(IncidentDraft("Other", T0), actor="ana").id
    ws.findings.import_findings(incident, "repo", "bandit", [SQLI], actor="ana")
    ws.findings.import_findings(other, "repo", "bandit", [replace(SQLI, title="again")], actor="a")
    assert len(ws.findings.list_findings(incident)) == 1
    assert len(ws.findings.list_findings(other)) == 1
    again = ws.findings.import_findings(other, "repo", "bandit", [], actor="a")
    assert again.fixed == 1
    assert _status(ws, incident) == {"SQL injection": FindingStatus.OPEN}


def test_concurrent_imports_of_one_report_do_not_collide(settings: Settings) -> None:
    init_workspace(settings)
    first, second = open_workspace(settings), open_workspace(settings)
    try:
        incident = first.cases.open_incident(IncidentDraft("Leak", T0), actor="ana").id
        many = [replace(SQLI, location=Location.file("app/db.py", n)) for n in range(1, 60)]

        def run(ws: Workspace, label: str) -> int:
            return ws.findings.import_findings(incident, label, "bandit", many, actor="a").new

        with ThreadPoolExecutor(2) as pool:
            news = list(pool.map(run, (first, second), ("a", "b")))
        assert sorted(news) == [0, 59]
        assert len(first.findings.list_findings(incident)) == 59
        assert first.audit.verify().problems == []
    finally:
        first.close()
        second.close()
