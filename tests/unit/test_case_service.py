"""Case-file use cases on the in-memory fakes: audit in the same transaction, nothing on refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from breachdesk.casefile.decision import DecisionDraft
from breachdesk.casefile.incident import IncidentDraft
from breachdesk.core.audit import verify_chain
from breachdesk.core.errors import IllegalTransitionError, InvalidInputError, NotFoundError
from breachdesk.core.ids import DecisionId, IncidentId
from breachdesk.core.status import CaseStatus, TaskStatus
from breachdesk.services.audit import AuditService
from breachdesk.services.casefile import CaseService
from breachdesk.services.evidence import EvidenceService
from breachdesk.testing import FakeUnitOfWorkFactory, FixedClock, MemoryBlobStore

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@pytest.fixture
def env() -> tuple[FakeUnitOfWorkFactory, FixedClock, CaseService]:
    uow, clock = FakeUnitOfWorkFactory(), FixedClock(T0 + timedelta(days=1))
    return uow, clock, CaseService(uow, clock)


def opened(cases: CaseService) -> IncidentId:
    return cases.open_incident(IncidentDraft("Leak", T0, controller="ACME"), actor="ana").id


def test_open_creates_six_stage_checklist_with_due_dates(env) -> None:
    uow, _, cases = env
    incident_id = opened(cases)
    tasks = cases.tasks(incident_id)
    stages = [t.key for t in tasks if t.parent is None]
    assert stages == ["notify", "exposure", "credentials", "investigate", "remediate", "prevent"]
    assert all(t.due_at and t.due_at > T0 for t in tasks if t.parent)
    regulator = next(t for t in tasks if t.key == "investigate.regulator")
    assert regulator.due_at == T0 + timedelta(hours=72)
    assert [e.action for e in uow.state.audit] == ["incident.opened"]


def test_illegal_move_writes_nothing(env) -> None:
    uow, _, cases = env
    incident_id = opened(cases)
    with pytest.raises(IllegalTransitionError):
        cases.change_status(incident_id, CaseStatus.NOTIFYING, actor="ana")
    assert len(uow.state.audit) == 1
    assert cases.show(incident_id).incident.status is CaseStatus.OPEN


def test_close_and_reopen_are_audited(env) -> None:
    uow, clock, cases = env
    incident_id = opened(cases)
    cases.change_status(incident_id, CaseStatus.CLOSED, actor="ana")
    clock.advance(timedelta(hours=1))
    reopened = cases.change_status(incident_id, CaseStatus.INVESTIGATING, actor="ben")
    assert reopened.updated_at == clock.now()
    assert [e.action for e in uow.state.audit][-2:] == [
        "incident.status_changed",
        "incident.reopened",
    ]


def test_stage_completes_with_its_last_subtask(env) -> None:
    _, _, cases = env
    incident_id = opened(cases)
    with pytest.raises(InvalidInputError, match="sub-tasks still open"):
        cases.complete_task(incident_id, "exposure", actor="ana")
    for key in ("exposure.discover", "exposure.link"):
        assert [t.key for t in cases.complete_task(incident_id, key, actor="ana")] == [key]
    done = cases.complete_task(incident_id, "exposure.manifest", actor="ana", note="ok")
    assert [t.key for t in done] == ["exposure.manifest", "exposure"]
    by_key = {t.key: t for t in cases.tasks(incident_id)}
    assert by_key["exposure"].status is TaskStatus.DONE
    with pytest.raises(InvalidInputError, match="already done"):
        cases.complete_task(incident_id, "exposure.link", actor="ana")
    with pytest.raises(InvalidInputError, match="no such task"):
        cases.complete_task(incident_id, "nope", actor="ana")


def test_decisions_are_corrected_not_edited(env) -> None:
    _, _, cases = env
    incident_id = opened(cases)
    first = cases.record_decision(
        incident_id, DecisionDraft("notify", "no", "encrypted"), actor="counsel"
    )
    fix = cases.record_decision(
        incident_id,
        DecisionDraft("notify", "yes", "key leaked", corrects=first.id),
        actor="counsel",
    )
    assert fix.corrects == first.id
    assert [d.decision for d in cases.decisions(incident_id)] == ["no", "yes"]
    with pytest.raises(NotFoundError):
        cases.record_decision(incident_id, DecisionDraft("a", "b", "c", DecisionId(99)), actor="x")
    with pytest.raises(InvalidInputError, match="--rationale"):
        cases.record_decision(incident_id, DecisionDraft("a", "b", " "), actor="x")


def test_unknown_incident_is_not_found(env) -> None:
    _, _, cases = env
    with pytest.raises(NotFoundError, match="incident 7"):
        cases.show(IncidentId(7))


def test_evidence_and_audit_on_fakes(env, tmp_path: Path) -> None:
    uow, clock, cases = env
    incident_id = opened(cases)
    store = MemoryBlobStore()
    evidence = EvidenceService(uow, store, clock)
    file = tmp_path / "dump.sql"
    file.write_bytes(b"INSERT INTO users VALUES (1);\n")
    first = evidence.add(incident_id, file, actor="ana")
    again = evidence.add(incident_id, file, actor="ana")
    assert first.created
    assert not again.created
    assert again.item.id == first.item.id
    assert all(r.ok for r in evidence.verify(incident_id, actor="ana"))
    sha = first.item.sha256
    store.blobs[sha] = b"X" + store.blobs[sha][1:]
    assert [r.ok for r in evidence.verify(incident_id, actor="ana")] == [False]
    report = AuditService(uow, clock).verify()
    assert report.ok, report.problems
    assert verify_chain(uow.state.audit)[1] == []
