"""Tampering that bypasses breachdesk is detected and located, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from breachdesk.bootstrap import Workspace
from breachdesk.casefile.decision import DecisionDraft
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.errors import IntegrityError
from breachdesk.core.ids import IncidentId
from breachdesk.core.status import CaseStatus

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def populate(ws: Workspace, tmp_path: Path) -> IncidentId:
    """Workspace init (seq 1), then seq 2.. for the actions below."""
    incident = ws.cases.open_incident(IncidentDraft("Leak", T0, controller="ACME"), actor="a")
    ws.cases.change_status(incident.id, CaseStatus.INVESTIGATING, actor="a")
    ws.cases.complete_task(incident.id, "investigate.preserve", actor="a")
    ws.cases.record_decision(incident.id, DecisionDraft("t", "d", "r"), actor="a")
    sample = tmp_path / "sample.csv"
    sample.write_text("id,email\n1,someone@example.com\n")
    ws.evidence.add(incident.id, sample, actor="a")
    ws.cases.change_status(incident.id, CaseStatus.CONTAINED, actor="a")
    assert ws.audit.verify().ok
    return incident.id


def sql(ws: Workspace, statement: str) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text(statement))


def first_broken(ws: Workspace) -> int:
    report = ws.audit.verify()
    assert not report.ok
    return report.problems[0].seq


def test_update_of_one_audit_field_is_named(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    sql(workspace, "UPDATE audit_entries SET actor = 'mallory' WHERE seq = 3")
    assert first_broken(workspace) == 3


def test_update_of_details_is_named(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    sql(workspace, """UPDATE audit_entries SET details = '{"to":"closed"}' WHERE seq = 4""")
    assert first_broken(workspace) == 4


def test_delete_of_a_row_names_the_entry_after(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    sql(workspace, "DELETE FROM audit_entries WHERE seq = 4")
    assert first_broken(workspace) == 5


def test_delete_of_the_last_row_is_caught_by_the_head(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    head = workspace.audit.verify().head
    assert head is not None
    sql(workspace, f"DELETE FROM audit_entries WHERE seq = {head[0]}")
    assert first_broken(workspace) == head[0]


def test_reordering_rows_is_detected(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    sql(workspace, "UPDATE audit_entries SET seq = -1 WHERE seq = 3")
    sql(workspace, "UPDATE audit_entries SET seq = 3 WHERE seq = 4")
    sql(workspace, "UPDATE audit_entries SET seq = 4 WHERE seq = -1")
    assert first_broken(workspace) == 3


def test_incident_edit_outside_breachdesk_names_its_last_entry(
    workspace: Workspace, tmp_path: Path
) -> None:
    incident_id = populate(workspace, tmp_path)
    last = max(
        e.seq
        for e in workspace.audit.entries(incident_id)
        if e.subject == f"incident:{incident_id}"
    )
    sql(workspace, f"UPDATE incidents SET title = 'Nothing happened' WHERE id = {incident_id}")
    report = workspace.audit.verify()
    assert [p.seq for p in report.problems] == [last]
    assert f"incident:{incident_id}" in report.problems[0].reason


def test_task_decision_and_custody_edits_are_detected(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    for statement in (
        "UPDATE tasks SET status = 'done' WHERE key = 'notify.send'",
        "UPDATE decisions SET rationale = 'other'",
        "UPDATE custody_entries SET actor = 'mallory'",
    ):
        sql(workspace, statement)
    reasons = " ".join(p.reason for p in workspace.audit.verify().problems)
    assert "incident:1" in reasons
    assert "decision:1" in reasons
    assert "evidence:1" in reasons


def test_rows_inserted_or_deleted_outside_breachdesk(workspace: Workspace, tmp_path: Path) -> None:
    populate(workspace, tmp_path)
    sql(workspace, "DELETE FROM decisions")
    sql(
        workspace,
        "INSERT INTO incidents (title, status, discovered_at, created_at, updated_at) "
        "VALUES ('x', 'open', '2026-11-20 09:30:00', '2026-11-20 09:30:00', "
        "'2026-11-20 09:30:00')",
    )
    reasons = [p.reason for p in workspace.audit.verify().problems]
    assert any("decision:1" in r and "missing" in r for r in reasons)
    assert any("incident:2" in r and "no audit entry" in r for r in reasons)


def test_flipped_byte_in_stored_evidence_is_detected(workspace: Workspace, tmp_path: Path) -> None:
    incident_id = populate(workspace, tmp_path)
    item = workspace.evidence.items(incident_id)[0]
    stored = workspace.layout.evidence / "sha256" / item.sha256[:2] / item.sha256
    stored.chmod(0o644)
    data = bytearray(stored.read_bytes())
    data[5] ^= 0x01
    stored.write_bytes(bytes(data))
    results = workspace.evidence.verify(incident_id, actor="auditor")
    assert [(r.item.id, r.ok) for r in results] == [(item.id, False)]
    assert "no longer matches" in (results[0].reason or "")
    custody = workspace.evidence.custody(item.id)
    assert custody[-1].action.value == "verify_failed"
    assert workspace.audit.verify().ok  # recording the failure is itself a proper change


def test_export_copies_checks_and_records_custody(workspace: Workspace, tmp_path: Path) -> None:
    incident_id = populate(workspace, tmp_path)
    item = workspace.evidence.items(incident_id)[0]
    out = workspace.evidence.export(incident_id, item.id, tmp_path / "out.csv", actor="a")
    assert out.read_text().startswith("id,email")
    assert workspace.evidence.custody(item.id)[-1].action.value == "exported"
    stored = workspace.layout.evidence / "sha256" / item.sha256[:2] / item.sha256
    stored.chmod(0o644)
    stored.write_bytes(b"tampered")
    with pytest.raises(IntegrityError, match="not exported"):
        workspace.evidence.export(incident_id, item.id, tmp_path / "again.csv", actor="a")
    assert not (tmp_path / "again.csv").exists()
